/**
 * Renders Graphviz DOT to SVG in-process with Graphviz compiled to WebAssembly (@viz-js/viz): no system Graphviz.
 * The package is loaded on first use, so runs without `--svg` do not pay for it.
 *
 * @throws Error when Graphviz rejects the DOT (its message lists Graphviz's errors).
 * @example
 * ```ts
 * const svg = await renderSvg('digraph { a -> b }');
 * ```
 */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => e.message.trim()).join('; ');
    throw new Error(`Graphviz could not render the graph: ${messages}`);
  }
  return result.output;
}
