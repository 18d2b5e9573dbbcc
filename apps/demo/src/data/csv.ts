import { numberProblem } from '@crossgrad/symbolic';
import { UsageError } from '../cli/usage-error.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A table of numbers read from CSV: the column names of the header, in order, and one array per column.
 *
 * @example
 * ```ts
 * const table: NumberTable = readCsv('x,y\n1,2\n', 'data.csv');
 * table.columns; // ['x', 'y']
 * table.data.y; // [2]
 * ```
 */
export interface NumberTable {
  readonly columns: readonly string[];
  readonly data: Readonly<Record<string, readonly number[]>>;
  /** The number of data rows (the header not counted). */
  readonly rows: number;
}

/**
 * Reads a strict CSV table of numbers. The first row is the header: column names, each a variable name that a
 * formula can use (`x`, `conc_2`), optionally in double quotes. Every other row holds one decimal number per
 * column, separated by commas; blanks around a value are allowed. Lines may end in CRLF, the file may end with
 * blank lines and may start with a UTF-8 byte order mark. Anything else is refused: a blank line between rows, a
 * row with too few or too many values, a value that is not a decimal number (`abc`, `0x10`, `NaN`, empty) or is
 * too large for a double (`1e999`).
 *
 * Rows are numbered as the lines of the file, the header being row 1, so an editor shows the row a message names.
 *
 * @param file - the file's name as the user gave it, for messages.
 * @throws UsageError naming the file, the row and the column: `data.csv row 7, column x: 'abc' is not a number`.
 * @example
 * ```ts
 * readCsv('"x","y"\r\n1,2\r\n3,4.5\r\n', 'data.csv').data; // { x: [1, 3], y: [2, 4.5] }
 * ```
 */
export function readCsv(text: string, file: string): NumberTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  const [header, ...body] = lines;
  if (header === undefined) throw new UsageError(`${file} is empty: the first row must name the columns`);
  const columns = header.split(',').map((cell, i) => headerName(file, cell, i));
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) throw new UsageError(`${file} row 1: column ${name} is named twice`);
    seen.add(name);
  }
  if (body.length === 0) throw new UsageError(`${file} has no data rows, only the header`);
  const data: Record<string, number[]> = Object.fromEntries(columns.map((name) => [name, []]));
  body.forEach((line, index) => {
    const row = index + 2;
    if (line.trim() === '') throw new UsageError(`${file} row ${row} is blank`);
    const cells = line.split(',');
    if (cells.length !== columns.length) {
      const values = cells.length === 1 ? 'value' : 'values';
      throw new UsageError(
        `${file} row ${row} has ${cells.length} ${values}, the header names ${columns.length} columns`,
      );
    }
    cells.forEach((cell, i) => {
      const name = columns[i] ?? '';
      data[name]?.push(numberCell(cell.trim(), `${file} row ${row}, column ${name}`));
    });
  });
  return { columns, data, rows: body.length };
}

function headerName(file: string, cell: string, index: number): string {
  const trimmed = cell.trim();
  const quoted = /^"(.*)"$/.exec(trimmed);
  const name = quoted === null ? trimmed : (quoted[1] ?? '');
  if (name === '') throw new UsageError(`${file} row 1: column ${index + 1} has no name`);
  if (!NAME.test(name)) {
    throw new UsageError(
      `${file} row 1: column ${index + 1} '${name}' is not a variable name (letters, digits, _; not starting with a digit)`,
    );
  }
  return name;
}

function numberCell(text: string, where: string): number {
  if (text === '') throw new UsageError(`${where}: the value is missing`);
  if (/^[+-]?(nan|inf|infinity)$/i.test(text))
    throw new UsageError(`${where}: '${text}' is not a finite number`);
  // One grammar for numbers, the parser's and --at's: decimal only (0x10 is refused with its decimal value).
  const problem = numberProblem(text);
  if (problem !== undefined) throw new UsageError(`${where}: ${problem}`);
  return Number(text);
}
