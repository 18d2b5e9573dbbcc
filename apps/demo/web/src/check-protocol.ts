import type { Verdict } from '@crossgrad/verify';

/**
 * Messages from the page to the checking worker. Every request carries an id: a check's id names the results it
 * produces, and the page reads only the newest check's.
 */
export type ToChecker =
  | {
      readonly type: 'check';
      readonly id: number;
      readonly source: string;
      /** The numbers typed in the point's boxes, by name (a name without a box takes a starting value). */
      readonly point: Readonly<Record<string, number>>;
      /** The boxes that hold no number, by name, with what is wrong (the CLI's `--at` grammar). */
      readonly bad: Readonly<Record<string, string>>;
    }
  | { readonly type: 'seed'; readonly id: number }
  /** The derivative of check `id` with respect to `variable` as TeX, and its derivation when `steps`. */
  | { readonly type: 'derivative'; readonly id: number; readonly variable: string; readonly steps: boolean }
  /** Backward through check `id`'s graph: one node, all the rest, or clear the grads. */
  | { readonly type: 'backward'; readonly id: number; readonly action: 'step' | 'all' | 'reset' };

/** Messages from the checking worker to the page. */
export type FromChecker =
  | {
      readonly type: 'model';
      readonly id: number;
      /** The expression's variables and the point used, a number for each. */
      readonly variables: readonly string[];
      readonly point: Readonly<Record<string, number>>;
      readonly model: ModelView;
    }
  | {
      readonly type: 'problem';
      readonly id: number;
      /** One line, no stack trace. */
      readonly message: string;
      /** For a parse error: the source and the 1-based column to point at. */
      readonly source?: string;
      readonly column?: number;
      /** The variables, when the expression parsed (the point then names a box that holds no number). */
      readonly variables?: readonly string[];
      readonly point?: Readonly<Record<string, number>>;
    }
  | {
      readonly type: 'derivative';
      readonly id: number;
      readonly variable: string;
      /** `\frac{∂f}{∂x} = …` typeset as MathML (by Temml), or undefined when too long to typeset (`note` says why). */
      readonly mathml: string | undefined;
      readonly note: string;
      readonly steps: StepView | undefined;
      /** Steps left out past the limit of steps shown. */
      readonly stepsCut: boolean;
    }
  | {
      readonly type: 'graph';
      readonly id: number;
      /** The graph as Graphviz DOT (autograd's `toDot`), or undefined when too large to draw. */
      readonly dot: string | undefined;
      /** The `toDot` index of the node just stepped, to highlight. */
      readonly current: number | undefined;
      readonly status: string;
      /** Nodes still to pass their grad on (0 when nothing can be stepped). */
      readonly remaining: number;
    };

/** What the page shows for one expression at one point: plain data, printed already. */
export interface ModelView {
  /** `o` for the seed neuron, `f` for an expression of your own. */
  readonly output: string;
  readonly value: number;
  /** The expansion (tanh written out) on one line, cut to fit, or a note of its size; undefined when it is the expression itself. */
  readonly expanded: string | undefined;
  /** The expansion whole, with shared subexpressions named once when large (the line's tooltip). */
  readonly expandedFull: string | undefined;
  readonly rows: readonly RowView[];
  readonly verdict: Verdict;
  /** Why; for `agree`, what agreed (the CLI's words). */
  readonly reason: string;
}

/** One variable's row of the table. */
export interface RowView {
  readonly variable: string;
  readonly symbolic: number;
  readonly autograd: number;
  readonly finiteDifference: number | undefined;
  readonly verdict: Verdict;
  readonly reason: string;
}

/** One step of a derivation as a line of text, with the steps it used. */
export interface StepView {
  readonly text: string;
  readonly children: readonly StepView[];
}
