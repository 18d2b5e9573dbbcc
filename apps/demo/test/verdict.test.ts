import type { Verdict } from '@crossgrad/verify';
import { describe, expect, it } from 'vitest';

import { agreementSummary, exitStatus, worst } from '../src/check/verdict.js';
import { jsonNumber } from '../src/format/report-json.js';

const judged = (verdict: Verdict, reason: string = verdict) => ({ verdict, reason });

describe('worst', () => {
  it('ranks undefined > disagree > not-differentiable > skipped > agree, the earliest of a kind first', () => {
    expect(worst([])).toEqual({ verdict: 'agree', reason: '' });
    expect(worst([judged('agree'), judged('skipped')])).toEqual(judged('skipped'));
    expect(worst([judged('skipped'), judged('not-differentiable'), judged('agree')])).toEqual(
      judged('not-differentiable'),
    );
    expect(worst([judged('not-differentiable'), judged('disagree')])).toEqual(judged('disagree'));
    expect(worst([judged('disagree'), judged('undefined'), judged('agree')])).toEqual(judged('undefined'));
    expect(worst([judged('disagree', 'first'), judged('disagree', 'second')])).toEqual(
      judged('disagree', 'first'),
    );
  });
});

describe('exitStatus', () => {
  it('is 0 only for agreement, 1 for a disagreement, 3 where there is no derivative to check', () => {
    const verdicts: readonly Verdict[] = ['agree', 'disagree', 'undefined', 'not-differentiable', 'skipped'];
    expect(verdicts.map(exitStatus)).toEqual([0, 1, 3, 3, 3]);
  });
});

describe('agreementSummary', () => {
  it('names the three columns, or the variables finite differences did not reach', () => {
    expect(agreementSummary([{ variable: 'x', finiteDifference: 1 }])).toBe(
      'symbolic, autograd and finite differences agree on the derivative',
    );
    expect(
      agreementSummary([
        { variable: 'x', finiteDifference: 1 },
        { variable: 'y', finiteDifference: undefined },
      ]),
    ).toBe(
      'symbolic, autograd and the complex step agree on all 2 derivatives; finite differences not run for y',
    );
  });
});

describe('jsonNumber', () => {
  it('keeps finite numbers and writes NaN and the infinities as strings Number() reads back', () => {
    expect([0.5, -0, 1e308].map(jsonNumber)).toEqual([0.5, -0, 1e308]);
    const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    expect(special.map(jsonNumber)).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(special.map((x) => Number(jsonNumber(x)))).toEqual(special);
  });
});
