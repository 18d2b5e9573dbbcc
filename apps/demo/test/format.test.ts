import type { Verdict } from '@crossgrad/verify';
import { describe, expect, it } from 'vitest';

import { formatNumber, formatValue, truncate } from '../src/format/numbers.js';
import { styleFor } from '../src/format/style.js';
import { renderTable } from '../src/format/table.js';

describe('numbers', () => {
  it('prints six significant digits without noise or trailing zeros', () => {
    expect(formatNumber(-1.4999999999999996)).toBe('-1.5');
    expect(formatNumber(0.7071067811865476)).toBe('0.707107');
    expect(formatNumber(1.2e-13)).toBe('1.2e-13');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(formatNumber(0.1234567890123, 12)).toBe('0.123456789012');
  });

  it('prints a function value as the seed does, four decimals', () => {
    expect(formatValue(0.7071067811865476)).toBe('0.7071');
    expect(formatValue(2)).toBe('2');
    expect(formatValue(1.234567e-6)).toBe('0.000001235');
    expect(formatValue(3.2e9)).toBe('3200000000');
  });

  it('truncates with the ellipsis inside the width', () => {
    expect(truncate('exp(2*n) + 1', 8, '...')).toBe('exp(2...');
    expect(truncate('short', 8, '...')).toBe('short');
  });
});

describe('styleFor', () => {
  it('is plain ASCII when piped, whatever the environment says', () => {
    const style = styleFor({ isTTY: false }, {});
    expect([style.color, style.tty, style.mark('agree'), style.mark('disagree'), style.width]).toEqual([
      false,
      false,
      'agree',
      'disagree',
      100,
    ]);
    expect(style.mark('not-differentiable')).toBe('not-differentiable');
    expect(style.green('x')).toBe('x');
    expect(style.verdict('undefined')('x')).toBe('x');
  });

  it('colours on a terminal unless NO_COLOR or TERM=dumb', () => {
    const tty = { isTTY: true, columns: 132 };
    const style = styleFor(tty, {});
    expect([style.color, style.mark('agree'), style.mark('disagree'), style.width]).toEqual([
      true,
      '✓ agree',
      '✗ disagree',
      132,
    ]);
    expect(['undefined', 'not-differentiable', 'skipped'].map((v) => style.symbol(v as Verdict))).toEqual([
      '–',
      '–',
      '–',
    ]);
    expect(style.verdict('disagree')('✗')).toBe('\u001b[31m✗\u001b[0m');
    expect(style.verdict('agree')('✓')).toBe('\u001b[32m✓\u001b[0m');
    expect(style.verdict('skipped')('–')).toBe('\u001b[33m–\u001b[0m');
    expect(styleFor(tty, { NO_COLOR: '1' }).color).toBe(false);
    expect(styleFor(tty, { NO_COLOR: '1' }).mark('agree')).toBe('✓ agree');
    expect(styleFor(tty, { NO_COLOR: '' }).color).toBe(true);
    expect(styleFor(tty, { TERM: 'dumb' }).color).toBe(false);
  });
});

describe('renderTable', () => {
  it('pads each column to its widest cell, numbers to the right, and paints after padding', () => {
    const lines = renderTable(
      [
        { heading: 'v', align: 'left' },
        { heading: 'grad', align: 'right' },
        { heading: 'ok', align: 'left' },
      ],
      [
        ['x1', '-1.5', { text: 'yes', paint: (t) => `<${t}>` }],
        ['b', '0.5', 'NO'],
      ],
    );
    expect(lines).toEqual(['v   grad  ok', 'x1  -1.5  <yes>', 'b    0.5  NO']);
  });
});
