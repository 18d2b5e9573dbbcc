import { Value, compileGraph } from '../src/index.js';
import { buildW4, w4Inputs } from './w4.js';
import { cpuMs } from './measure.js';
for (let k = 0; k < 6; k++) {
  const leaves = Array.from(w4Inputs(), (x) => new Value(x));
  const out = buildW4(leaves);
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now(), c0 = cpuMs();
  const c = compileGraph(out, leaves, { mode: process.env.MODE as 'loops' ?? 'loops' });
  const t1 = performance.now(), c1 = cpuMs();
  c.run(w4Inputs());
  console.log(c.mode, (t1 - t0).toFixed(1), 'ms wall', (c1 - c0).toFixed(1), 'ms cpu', 'first run', (performance.now() - t1).toFixed(1));
}
