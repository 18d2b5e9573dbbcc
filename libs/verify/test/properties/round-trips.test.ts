import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { evaluate, format, parse, variables } from '@crossgrad/symbolic';
import { compareGradients, fromValue, pointFromValue, toValue } from '@crossgrad/verify';
import { close, exprs, points } from '../support/oracles.js';

test.prop([exprs()])('5a. parse(format(e)) is the same interned Expr', (e) => {
  const text = format(e);
  expect(parse(text) === e, text).toBe(true);
});

test.prop([exprs(), points])(
  '5b. fromValue(toValue(e)) evaluates the same, with the same variables',
  (e, p) => {
    const { output } = toValue(e, p);
    const back = fromValue(output);
    expect(variables(back)).toEqual(variables(e));
    expect(pointFromValue(output)).toEqual(Object.fromEntries(variables(e).map((v) => [v, p[v]])));
    const before = evaluate(e, p);
    const after = evaluate(back, p);
    if (Number.isNaN(before)) {
      expect(after).toBeNaN();
      return;
    }
    // The same operations, possibly reassociated by symbolic's canonical forms: equal up to rounding.
    const { valueRounding } = compareGradients(e, p, { mathjs: false });
    expect(close(before, after, 0, 4 * valueRounding), `${format(e)}: ${before} vs ${after}`).toBe(true);
  },
);
