import type { Verdict } from '@crossgrad/verify';

/** The parts of an output stream that decide how to print. */
export interface StreamInfo {
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

/** How to print: colour and Unicode marks only on a terminal, plain ASCII when piped. */
export interface Style {
  /** A terminal is reading: Unicode marks and a width taken from it. */
  readonly tty: boolean;
  readonly color: boolean;
  /** Columns the output should fit in. */
  readonly width: number;
  readonly ellipsis: string;
  green(text: string): string;
  red(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  yellow(text: string): string;
  /**
   * A verdict as the table prints it, unpainted: the verdict itself (`agree`, `disagree`, `undefined`,
   * `not-differentiable`, `skipped`), after a mark on a terminal: ✓ agree, ✗ disagree, – no derivative to check.
   */
  mark(verdict: Verdict): string;
  /** A verdict's mark alone: ✓ agree, ✗ disagree, – no derivative to check. */
  symbol(verdict: Verdict): string;
  /** Paints text for a verdict: green for agree, red for disagree, yellow where there is no derivative to check. */
  verdict(verdict: Verdict): (text: string) => string;
}

const PIPED_WIDTH = 100;

const SYMBOLS: Readonly<Record<Verdict, string>> = {
  agree: '✓',
  disagree: '✗',
  undefined: '–',
  'not-differentiable': '–',
  skipped: '–',
};

/**
 * Chooses the style for a stream. Colour needs a terminal and is off when `NO_COLOR` is set (no-color.org) or
 * `TERM=dumb`.
 *
 * @example
 * ```ts
 * const style = styleFor(process.stdout, process.env);
 * console.log(style.mark('agree')); // '✓ agree' on a terminal, 'agree' when piped
 * ```
 */
export function styleFor(stream: StreamInfo, env: Readonly<Record<string, string | undefined>>): Style {
  const tty = stream.isTTY === true;
  const noColor = (env['NO_COLOR'] ?? '') !== '' || env['TERM'] === 'dumb';
  const color = tty && !noColor;
  const paint = (code: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const green = paint('32');
  const red = paint('31');
  const yellow = paint('33');
  return {
    tty,
    color,
    width:
      tty && stream.columns !== undefined && stream.columns > 0 ? Math.max(60, stream.columns) : PIPED_WIDTH,
    ellipsis: tty ? '…' : '...',
    green,
    red,
    bold: paint('1'),
    dim: paint('2'),
    yellow,
    mark: (verdict) => (tty ? `${SYMBOLS[verdict]} ${verdict}` : verdict),
    symbol: (verdict) => SYMBOLS[verdict],
    verdict: (verdict) => (verdict === 'agree' ? green : verdict === 'disagree' ? red : yellow),
  };
}
