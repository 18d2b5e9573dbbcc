import { Value } from '@crossgrad/autograd';
import { mul, num, parse, sym } from '@crossgrad/symbolic';
import { compareGradients } from '@crossgrad/verify';
import { describe, expect, it } from 'vitest';

import { matchesExact } from '../src/check/agreement.js';
import type { CheckReport } from '../src/check/report.js';
import { seedReport } from '../src/check/seed-report.js';
import { formatReportText } from '../src/format/report-text.js';
import { styleFor } from '../src/format/style.js';

const tty = { isTTY: true, columns: 120 };

describe('formatReportText on a terminal', () => {
  it('marks agreeing rows with a green ✓ agree, and keeps the columns aligned', () => {
    const text = formatReportText(seedReport(), styleFor(tty, {}));
    const rows = text.split('\n').filter((line) => /^ {2}(n|x1|w1|x2|w2|b) {2}/.test(line));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row.endsWith('\u001b[32m✓ agree\u001b[0m')).toBe(true);
    // The mark starts in the same column on every row: alignment ignores the escape codes.
    expect(new Set(rows.map((row) => row.indexOf('\u001b[32m'))).size).toBe(1);
    expect(text).toContain(
      '\u001b[32m✓ verdict: agree (symbolic, autograd and finite differences agree on all 6 derivatives)\u001b[0m',
    );
  });

  it('prints the same marks without escape codes under NO_COLOR', () => {
    const text = formatReportText(seedReport(), styleFor(tty, { NO_COLOR: '1' }));
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/\u001b/);
    expect(text.match(/✓/g)).toHaveLength(7);
  });

  it('paints a point with no derivative to check yellow, with a dash', () => {
    const report = { ...seedReport(), verdict: 'not-differentiable' as const, reason: 'abs at its kink' };
    const text = formatReportText(report, styleFor(tty, {}));
    expect(text).toContain('\u001b[33m– verdict: not-differentiable (abs at its kink)\u001b[0m');
  });
});

describe('formatReportText on a disagreement', () => {
  const x = new Value(3, 'x');
  const report: CheckReport = {
    output: 'f',
    expression: 'x^2',
    expressionExpr: parse('x^2'),
    expanded: parse('x^2'),
    definitions: [],
    point: { x: 3 },
    value: 9,
    rows: [
      {
        variable: 'x',
        derivative: mul(num(2), sym('x')),
        symbolic: 6,
        autograd: 6.000000123,
        finiteDifference: 6.00000000001,
        verdict: 'disagree',
        reason: '∂/∂x: autograd 6.000000123 vs complexStep 6',
        derivations: () => [],
      },
    ],
    verdict: 'disagree',
    reason: '∂/∂x: autograd 6.000000123 vs complexStep 6',
    legend: [],
    graph: () => x,
  };

  it('shows more digits in the failing row, a red ✗ on a terminal, the verdict when piped, and the reason', () => {
    const piped = formatReportText(report, styleFor({ isTTY: false }, {}));
    expect(piped).toMatch(/^ {2}x {2}2 \* x +6 +6\.000000123 +6\.00000000001 {2}disagree$/m);
    expect(piped.endsWith('\n  verdict: disagree (∂/∂x: autograd 6.000000123 vs complexStep 6)\n')).toBe(
      true,
    );
    const coloured = formatReportText(report, styleFor(tty, {}));
    expect(coloured).toContain('\u001b[31m✗ disagree\u001b[0m');
    expect(coloured).toContain(
      '\u001b[31m✗ verdict: disagree (∂/∂x: autograd 6.000000123 vs complexStep 6)\u001b[0m',
    );
  });

  it('shortens a formula too wide for the screen, and says so', () => {
    const long = {
      ...report,
      rows: [
        {
          ...report.rows[0]!,
          derivative: parse(Array.from({ length: 40 }, (_, i) => `sin(x + ${i + 1})`).join('+')),
        },
      ],
    };
    const text = formatReportText(long, styleFor({ isTTY: false }, {}));
    const row = text.split('\n').find((line) => line.startsWith('  x  '));
    expect(row?.length).toBeLessThanOrEqual(100);
    expect(row).toContain('...');
    expect(text).toContain('(formulas shortened to fit: --json prints them whole)');
    // --steps cuts each formula to the screen too: the note does not send you there.
    expect(text).not.toContain('--steps');
  });
});

describe('agreement', () => {
  const report = compareGradients('x^2 * y', { x: 3, y: 2 }, { mathjs: false });
  const row = report.rows[0]!;

  it('holds numbers computed outside verify to its exact tolerance', () => {
    expect(row.variable).toBe('x');
    expect(matchesExact(12, row)).toBe(true);
    expect(matchesExact(12 * (1 + 1e-12), row)).toBe(true);
    expect(matchesExact(12 + 1e-6, row)).toBe(false);
    expect(matchesExact(Number.NaN, row)).toBe(false);
  });
});
