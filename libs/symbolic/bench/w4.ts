import { add, div, exp, type Expr, mul, softplus, sym } from '@crossgrad/symbolic';

/**
 * A DAG shaped like the W4 workload ("Fastest Autograd in the West"): 100 leaves x0…x99, then `ops` operations
 * cycling through softplus(x[-10]), x[-30] + x[-25] + x[-20] + x[-15], x[-20] · x[-10] and softmax(x[-4:]) (4
 * nodes appended: exp(u) / Σ exp), each reading the nodes appended before it. Returns the last node and the
 * leaves' names (prefixed by `tag`, so each call builds nodes of its own).
 */
export function w4Expr(ops: number, tag: string): { e: Expr; vars: string[] } {
  const vars = Array.from({ length: 100 }, (_, i) => `${tag}${i}`);
  const xs: Expr[] = vars.map((v) => sym(v));
  const at = (k: number): Expr => xs[xs.length + k];
  for (let i = 0; i < ops; i++) {
    switch (i % 4) {
      case 0:
        xs.push(softplus(at(-10)));
        break;
      case 1:
        xs.push(add(at(-30), at(-25), at(-20), at(-15)));
        break;
      case 2:
        xs.push(mul(at(-20), at(-10)));
        break;
      default: {
        const es = [at(-4), at(-3), at(-2), at(-1)].map((u) => exp(u));
        const total = add(...es);
        for (const v of es) xs.push(div(v, total));
      }
    }
  }
  return { e: xs[xs.length - 1], vars };
}
