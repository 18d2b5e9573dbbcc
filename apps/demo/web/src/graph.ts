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
 * The graph as micrograd's `draw_dot` draws it (autograd's `toDot`, made by the checking worker: a record per
 * value with data and grad, a small node per op), as SVG laid out by Graphviz in the browser. `current` (a `toDot`
 * node index) is highlighted.
 *
 * @example
 * ```ts
 * container.replaceChildren(await renderGraph(toDot(o), 3)); // node n3 highlighted
 * ```
 */
export async function renderGraph(dot: string, current: number | undefined): Promise<SVGSVGElement> {
  const instance = await loadViz();
  const svg = instance.renderSVGElement(dot);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'the Value graph with data and grad in every node');
  if (current !== undefined) {
    for (const title of svg.querySelectorAll('g.node > title')) {
      if (title.textContent === `n${current}`) title.parentElement?.classList.add('current');
    }
  }
  return svg;
}
