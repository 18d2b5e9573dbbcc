import { diffRules, explainDiff, loadParser, parse } from '@crossgrad/symbolic';
import { compareGradients } from '@crossgrad/verify';
import { beforeAll, describe, expect, it } from 'vitest';

import { formatValue } from '../../src/format/numbers.js';
import { expressionModel, pointFor, seedModel, stepView, variablesOf } from '../../web/src/model.js';

// What the checking worker computes for the page, in Node: the same report and printers as the CLI's --expr.

beforeAll(async () => {
  await loadParser();
});

describe("the page's model", () => {
  it('asks for every variable written, as the CLI does: one that cancels out keeps its row with derivative 0', () => {
    expect(variablesOf('x/(y - y)')).toEqual(['x', 'y']);
    expect(variablesOf('atan2(y, x) + min(x, 1)')).toEqual(['x', 'y']);
    const model = expressionModel('(x/x)^2 + w', { x: 0.8, w: 1 });
    expect(model.view.rows.map((r) => [r.variable, r.symbolic, r.autograd])).toEqual([
      ['w', 1, 1],
      ['x', 0, 0],
    ]);
  });

  it('judges an expression as compareGradients does, in the CLI words, and prints its value as the CLI does', () => {
    const source = 'x^2 * sin(y) + exp(x*y) / y';
    const model = expressionModel(source, { x: 0.5, y: 1.5 });
    const report = compareGradients(parse(source), { x: 0.5, y: 1.5 }, { mathjs: false, rules: diffRules });
    expect(model.view.value).toBe(report.value);
    expect(formatValue(model.view.value)).toBe('1.6607');
    expect(model.view.rows.map((r) => [r.variable, r.symbolic, r.autograd, r.verdict])).toEqual(
      report.rows.map((r) => [r.variable, r.symbolic, r.autograd, r.verdict]),
    );
    expect(model.view.reason).toBe('symbolic, autograd and finite differences agree on all 2 derivatives');
    // No tanh: nothing to expand, no expanded line.
    expect(model.view.expanded).toBeUndefined();
    expect(expressionModel('x^3', { x: 0.5 }).view.reason).toBe(
      'symbolic, autograd and finite differences agree on the derivative',
    );
  });

  it('prints the expansion of tanh nested 40 deep as a note of its size, the whole as shared subexpressions', () => {
    const source = `${'tanh('.repeat(40)}x${')'.repeat(40)}`;
    const model = expressionModel(source, { x: 0.5 });
    expect(model.view.expanded).toBe('f = (1.43e+13 nodes as a tree, 205 distinct: too large to print)');
    expect(model.view.expandedFull).toMatch(/^f = t1 = exp\(2 \* x\)\n/);
    expect(model.view.expandedFull!.length).toBeLessThan(20_000);
    expect(model.view.rows[0]!.symbolic).toBeCloseTo(0.0455974, 6);
    expect(model.view.rows[0]!.verdict).toBe('agree');
    expect(model.tex('x').length).toBeGreaterThan(4000);
  }, 60_000);

  it('expands one tanh on one line, and the seed with n named', () => {
    expect(expressionModel('tanh(x)', { x: 1 }).view.expanded).toBe(
      'f = (exp(2 * x) - 1) / (exp(2 * x) + 1)',
    );
    expect(seedModel().view.expanded).toBe(
      'o = (exp(2 * n) - 1) / (exp(2 * n) + 1) with n = b + w1 * x1 + w2 * x2',
    );
    expect(seedModel().view.reason).toBe(
      'symbolic, autograd and finite differences agree on all 6 derivatives',
    );
  });

  it('keeps the numbers typed and gives each new variable a distinct starting value', () => {
    expect(pointFor(['x', 'y', 'z'], { y: 3 })).toEqual({ x: 0.5, y: 3, z: -0.8 });
  });

  it('lists a derivation depth first, and cuts a long one after the limit', () => {
    const small = stepView(explainDiff(parse('x^2 + sin(x)'), 'x'), 'x');
    expect(small.cut).toBe(false);
    expect(small.tree.text).toBe('sum rule: d/dx x^2 + sin(x) = 2 * x + cos(x)');
    expect(small.tree.children.map((c) => c.text.split(':')[0])).toEqual(['power rule', 'sin rule']);

    const deep = `${'sin('.repeat(200)}x${')'.repeat(200)}`;
    const big = stepView(explainDiff(parse(deep), 'x'), 'x', 50);
    expect(big.cut).toBe(true);
    let count = 0;
    const stack = [big.tree];
    while (stack.length > 0) {
      const s = stack.pop()!;
      count++;
      stack.push(...s.children);
      // Each formula on one line, cut to 90 characters.
      expect(s.text.length).toBeLessThan(250);
    }
    expect(count).toBe(50);
  });
});
