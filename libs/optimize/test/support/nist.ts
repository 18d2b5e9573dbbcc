import { readFileSync } from 'node:fs';

/** One NIST StRD nonlinear regression problem, as stored in test/nist/*.json (see test/nist/README.md). */
export interface NistProblem {
  name: string;
  difficulty: string;
  model: string;
  expr: string;
  response: string;
  params: string[];
  starts: number[][];
  certified: { values: number[]; sd: number[]; rss: number };
  x: string[];
  columns: string[];
  data: number[][];
}

export function loadProblems(file: string): NistProblem[] {
  return JSON.parse(readFileSync(new URL(`../nist/${file}`, import.meta.url), 'utf8')) as NistProblem[];
}

/** The data as columns by name. */
export function columnsOf(p: NistProblem): Record<string, number[]> {
  return Object.fromEntries(p.columns.map((c, k) => [c, p.data.map((row) => row[k])]));
}

/** Start `k` (0 or 1) as an object of parameter values. */
export function startOf(p: NistProblem, k: number): Record<string, number> {
  return Object.fromEntries(p.params.map((n, j) => [n, p.starts[k][j]]));
}

/** The log relative error: the number of correct significant digits, capped at 11 as NIST does. */
export function lre(estimate: number, certified: number): number {
  if (estimate === certified) return 11;
  return Math.min(11, -Math.log10(Math.abs(estimate - certified) / Math.abs(certified)));
}
