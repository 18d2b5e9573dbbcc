import type { Expr } from '@crossgrad/symbolic';
import { InvalidInputError, MissingVariableError } from './errors.js';

/**
 * An expression DAG flattened into evaluation order: every distinct node once, operands before the nodes that use
 * them, the root last. The numeric oracles of this package (complex step, the function finite differences probe)
 * walk it with their own arithmetic, so they depend on the shape of `Expr` only, not on symbolic's evaluator.
 */
export interface Tape {
  /** Distinct nodes, operands first, the root last. */
  readonly nodes: readonly Expr[];
  /** Per node, the tape indices of its operands, in order (for `pow`: base, exponent). */
  readonly operands: readonly (readonly number[])[];
  /** The variable names the expression uses, sorted. */
  readonly variables: readonly string[];
}

/** The operands of one node, in order. */
export function operandsOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'num':
    case 'sym':
      return [];
    case 'add':
      return e.terms;
    case 'mul':
      return e.factors;
    case 'pow':
      return [e.base, e.exponent];
    case 'call':
      return [e.arg];
    case 'call2':
      return e.args;
  }
}

/**
 * Flattens an expression into a {@link Tape}, without recursion (a chain of any depth is fine). Each node is
 * visited once however often it is shared.
 */
export function tapeOf(root: Expr): Tape {
  const index = new Map<Expr, number>();
  const nodes: Expr[] = [];
  const operands: number[][] = [];
  const names = new Set<string>();
  const stack: { node: Expr; expanded: boolean }[] = [{ node: root, expanded: false }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (index.has(top.node)) continue;
    const kids = operandsOf(top.node);
    if (!top.expanded) {
      stack.push({ node: top.node, expanded: true });
      for (const kid of [...kids].reverse()) if (!index.has(kid)) stack.push({ node: kid, expanded: false });
      continue;
    }
    index.set(top.node, nodes.length);
    nodes.push(top.node);
    // Every operand was placed before its node (it was pushed after it, so popped first).
    operands.push(kids.map((k) => index.get(k) ?? -1));
    if (top.node.kind === 'sym') names.add(top.node.name);
  }
  return { nodes, operands, variables: [...names].sort() };
}

/**
 * The point's values in the tape's variable order, checked: every variable present and a finite number.
 */
export function pointValues(tape: Tape, point: Readonly<Record<string, number>>): number[] {
  return tape.variables.map((name) => {
    if (!Object.hasOwn(point, name)) throw new MissingVariableError(name);
    const v = point[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MissingVariableError(name, `variable "${name}" must be a finite number, got ${String(v)}`);
    }
    return v;
  });
}

/** Checks that a caller's variable list names variables once each. */
export function checkVariableList(variables: readonly string[]): void {
  const seen = new Set<string>();
  for (const v of variables) {
    if (typeof v !== 'string' || v === '')
      throw new InvalidInputError(`variable names must be non-empty strings`);
    if (seen.has(v)) throw new InvalidInputError(`variable "${v}" is listed twice`);
    seen.add(v);
  }
}
