import { ONE, ZERO, type Expr } from './expr.js';
import { diffRules, type DiffRule, type DiffRules } from './rules.js';

/**
 * ∂node/∂(operand j), holding the other operands fixed: the forward rule applied to a one-hot vector of operand
 * derivatives. This is how reverse accumulation reuses the rule table instead of keeping a second one.
 */
export function partial(node: Expr, j: number, rules: DiffRules = diffRules): Expr {
  switch (node.kind) {
    case 'add':
      return ONE;
    case 'mul': {
      const d = node.factors.map((_, i) => (i === j ? ONE : ZERO));
      return rules.product.derive(node, d);
    }
    case 'pow':
      return j === 0 ? rules.power.derive(node, [ONE, ZERO]) : rules.generalPower.derive(node, [ZERO, ONE]);
    case 'call':
      return (rules[node.fn] as DiffRule).derive(node, [ONE]);
    default:
      return ZERO;
  }
}
