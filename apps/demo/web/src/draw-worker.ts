import { instance } from '@viz-js/viz';

import type { FromDrawer, ToDrawer } from './draw-protocol.js';

// Graphviz (WASM) lays out the Value graph here, off the page's main thread: a graph of a few hundred nodes takes
// seconds to lay out, and the page must stay responsive meanwhile.

/** The worker's global scope: the two members used here (the DOM library types `self` as a window). */
const scope = self as unknown as {
  postMessage(message: FromDrawer): void;
  onmessage: ((event: MessageEvent<ToDrawer>) => void) | null;
};

const viz = instance();

scope.onmessage = (event: MessageEvent<ToDrawer>) => {
  const { id, dot } = event.data;
  void viz.then(
    (v) => {
      try {
        scope.postMessage({ type: 'svg', id, svg: v.renderString(dot, { format: 'svg' }) });
      } catch (error) {
        scope.postMessage({
          type: 'error',
          id,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    },
    (error: unknown) =>
      scope.postMessage({
        type: 'error',
        id,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
};
