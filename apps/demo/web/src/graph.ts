import type { FromDrawer, ToDrawer } from './draw-protocol.js';

/**
 * Lays out Value graphs in a Web Worker (Graphviz WASM, `draw-worker.ts`) and gives them back as SVG elements. The
 * newest request wins: a request for another graph ends a worker still busy with an older one, and requests for
 * the same graph (each step of backward) while one is laid out keep only the latest.
 */
class Drawer {
  private worker: Worker | undefined;
  private lastId = 0;
  /** The request being laid out: its graph and how to answer it. */
  private busy: { id: number; graph: number; answer: (svg: string | undefined) => void } | undefined;
  /** The newest request for the busy graph, sent when the worker is free. */
  private queued: { graph: number; dot: string; answer: (svg: string | undefined) => void } | undefined;

  start(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(new URL('./draw-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromDrawer>) => this.receive(event.data);
    worker.onerror = () => this.receive({ type: 'error', id: this.busy?.id ?? -1, message: 'worker failed' });
    this.worker = worker;
    return worker;
  }

  draw(graph: number, dot: string): Promise<string | undefined> {
    return new Promise((answer) => {
      if (this.busy !== undefined && this.busy.graph !== graph) {
        this.worker?.terminate();
        this.worker = undefined;
        this.busy.answer(undefined);
        this.busy = undefined;
      }
      this.queued?.answer(undefined);
      this.queued = { graph, dot, answer };
      if (this.busy === undefined) this.next();
    });
  }

  private next(): void {
    const q = this.queued;
    this.queued = undefined;
    if (q === undefined) return;
    const id = ++this.lastId;
    this.busy = { id, graph: q.graph, answer: q.answer };
    this.start().postMessage({ id, dot: q.dot } satisfies ToDrawer);
  }

  private receive(m: FromDrawer): void {
    if (this.busy?.id !== m.id) return;
    this.busy.answer(m.type === 'svg' ? m.svg : undefined);
    this.busy = undefined;
    this.next();
  }
}

const drawer = new Drawer();

/**
 * Start the drawing worker (and its Graphviz) without waiting for it.
 *
 * @example
 * ```ts
 * preloadGraphviz(); // the first renderGraph then finds Graphviz loaded
 * ```
 */
export function preloadGraphviz(): void {
  drawer.start();
}

/**
 * The graph as micrograd's `draw_dot` draws it (autograd's `toDot`, made by the checking worker: a record per
 * value with data and grad, a small node per op), as SVG laid out by Graphviz in the drawing worker. `current` (a
 * `toDot` node index) is highlighted. `graph` names the graph (the check that made it): a drawing of another graph
 * replaces one not finished, and the superseded drawing resolves to undefined.
 *
 * @example
 * ```ts
 * const svg = await renderGraph(7, toDot(o), 3); // node n3 highlighted
 * if (svg !== undefined) container.replaceChildren(svg);
 * ```
 */
export async function renderGraph(
  graph: number,
  dot: string,
  current: number | undefined,
): Promise<SVGSVGElement | undefined> {
  const text = await drawer.draw(graph, dot);
  if (text === undefined) return undefined;
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
  if (!(parsed instanceof SVGSVGElement)) return undefined;
  const svg = document.importNode(parsed, true);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'the Value graph with data and grad in every node');
  if (current !== undefined) {
    for (const title of svg.querySelectorAll('g.node > title')) {
      if (title.textContent === `n${current}`) title.parentElement?.classList.add('current');
    }
  }
  return svg;
}
