import { toDot, type Value } from '@crossgrad/autograd';

/** The Graphviz WASM build is large: loaded on first use, after the table is on screen. */
let viz: Promise<{ renderSVGElement(dot: string): SVGSVGElement }> | undefined;

function loadViz() {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  return viz;
}

/**
 * Start loading Graphviz without waiting for it.
 *
 * @example
 * ```ts
 * preloadGraphviz(); // the first renderGraph then finds it loaded
 * ```
 */
export function preloadGraphviz(): void {
  void loadViz();
}

/**
 * Past this many nodes a drawing is unreadable (and slow to lay out): the page says so instead.
 *
 * @example
 * ```ts
 * if (topologicalOrder(root).length > MAX_DRAWN_NODES) showTooLarge();
 * ```
 */
export const MAX_DRAWN_NODES = 400;

/**
 * The graph as micrograd's `draw_dot` draws it (autograd's `toDot`: a record per value with data and grad, a small
 * node per op), as SVG laid out by Graphviz in the browser. `current` (a `toDot` node index) is highlighted.
 *
 * @example
 * ```ts
 * container.replaceChildren(await renderGraph(o, 3)); // node n3 highlighted
 * ```
 */
export async function renderGraph(root: Value, current: number | undefined): Promise<SVGSVGElement> {
  const instance = await loadViz();
  const svg = instance.renderSVGElement(toDot(root));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'the Value graph with data and grad in every node');
  if (current !== undefined) {
    for (const title of svg.querySelectorAll('g.node > title')) {
      if (title.textContent === `n${current}`) title.parentElement?.classList.add('current');
    }
  }
  return svg;
}
