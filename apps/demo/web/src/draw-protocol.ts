/** A request to the drawing worker: lay out a graph given as Graphviz DOT. */
export interface ToDrawer {
  /** Names the drawing; the page shows only the newest. */
  readonly id: number;
  readonly dot: string;
}

/** The drawing worker's answer: the graph as SVG text, or why it could not be drawn. */
export type FromDrawer =
  | { readonly type: 'svg'; readonly id: number; readonly svg: string }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
