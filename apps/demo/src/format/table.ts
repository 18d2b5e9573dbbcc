/** One column of a table: its heading, its alignment, and how to colour a cell after padding. */
export interface Column {
  readonly heading: string;
  readonly align: 'left' | 'right';
}

/** A cell: its text, and an optional painter applied after padding so escape codes never skew the widths. */
export type Cell = string | { readonly text: string; readonly paint: (text: string) => string };

/**
 * Lays out rows under headings, each column as wide as its widest cell, two spaces between columns.
 *
 * @example
 * ```ts
 * renderTable([{ heading: 'v', align: 'left' }, { heading: 'grad', align: 'right' }], [['x', '0.5']]);
 * // ['v  grad', 'x   0.5']
 * ```
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.heading.length, ...rows.map((row) => cellText(row[i]).length)),
  );
  const line = (cells: readonly Cell[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const text = cellText(cell);
        const width = widths[i] ?? 0;
        const last = i === columns.length - 1;
        // The last column is not padded on the right: no trailing blanks inside a painted cell.
        const padded = column.align === 'right' ? text.padStart(width) : last ? text : text.padEnd(width);
        return typeof cell === 'string' ? padded : cell.paint(padded);
      })
      .join('  ');
  return [line(columns.map((c) => c.heading)), ...rows.map(line)];
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  return typeof cell === 'string' ? cell : cell.text;
}
