import { partialByRule } from './diff.js';
import { ONE, ZERO, type Expr } from './expr.js';
import { diffRules, type DiffRules } from './rules.js';

/**
 * ∂node/∂(operand j), holding the other operands fixed: the forward rule applied to a one-hot vector of operand
 * derivatives. This is how reverse accumulation reuses the rule table instead of keeping a second one. A power's
 * base takes the power rule, its exponent the general power rule.
 */
export function partial(node: Expr, j: number, rules: DiffRules): Expr {
  switch (node.kind) {
    case 'add':
      // The default sum rule's partials are all 1; asking it with a one-hot vector per term would make the
      // gradient of a long sum quadratic.
      return rules.sum === diffRules.sum ? ONE : partialByRule(rules.sum, 'sum', node, j);
    case 'mul':
      return partialByRule(rules.product, 'product', node, j);
    case 'pow':
      return j === 0
        ? partialByRule(rules.power, 'power', node, 0)
        : partialByRule(rules.generalPower, 'generalPower', node, 1);
    case 'call':
      return partialByRule(rules[node.fn], node.fn, node, 0);
    case 'call2':
      return partialByRule(rules[node.fn], node.fn, node, j);
    default:
      return ZERO;
  }
}
