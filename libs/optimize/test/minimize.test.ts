import type { Value } from '@crossgrad/autograd';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, minimize, NonFiniteError, UnknownVariableError } from '../src/index.js';
import { propertySeed } from './support/seed.js';

/** The solution of A x = b by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    [M[k], M[p]] = [M[p], M[k]];
    for (let i = k + 1; i < n; i++) {
      const f = M[i][k] / M[k][k];
      for (let j = k; j <= n; j++) M[i][j] -= f * M[k][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i][n];
    for (let j = i + 1; j < n; j++) s -= M[i][j] * x[j];
    x[i] = s / M[i][i];
  }
  return x;
}

describe('minimize (L-BFGS)', () => {
  it('reaches the exact optimum of random convex quadratics, as a formula and as a function of Values', () => {
    const seed = propertySeed('convex quadratics', 20261207);
    const problem = fc.integer({ min: 2, max: 8 }).chain((n) =>
      fc.record({
        M: fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }), {
          minLength: n,
          maxLength: n,
        }),
        b: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
        x0: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(problem, ({ M, b, x0 }) => {
        const n = b.length;
        // A = MᵀM + I/2: symmetric, eigenvalues at least 1/2.
        const A = M.map((_, i) =>
          M.map((__, j) => M.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? 0.5 : 0)),
        );
        const exact = solve(A, b);
        const terms: string[] = [];
        for (let i = 0; i < n; i++) {
          terms.push(`${0.5 * A[i][i]} * x${i}^2`, `-(${b[i]}) * x${i}`);
          for (let j = i + 1; j < n; j++) terms.push(`${A[i][j]} * x${i} * x${j}`);
        }
        const start = Object.fromEntries(x0.map((v, i) => [`x${i}`, v]));
        // ftol: 0, so the gradient test decides: |x - x*| ≤ ‖∇f‖ / λmin (an f-based test stops at about
        // √(ftol · |f| / λmin), rounding's limit for comparing values of f).
        const options = { ftol: 0 };
        const fromFormula = minimize(terms.join(' + '), start, options);
        const fromValues = minimize(
          (x: readonly Value[]) => {
            let f = x[0].mul(0);
            for (let i = 0; i < n; i++) {
              f = f.add(x[i].mul(x[i]).mul(0.5 * A[i][i])).sub(x[i].mul(b[i]));
              for (let j = i + 1; j < n; j++) f = f.add(x[i].mul(x[j]).mul(A[i][j]));
            }
            return f;
          },
          x0,
          options,
        );
        for (const r of [fromFormula, fromValues]) {
          expect(r.termination, r.reason).toBe('gtol');
          r.x.forEach((v, i) =>
            expect(Math.abs(v - exact[i]), `${r.reason}; x${i}`).toBeLessThan(
              1e-9 * (1 + Math.abs(exact[i])),
            ),
          );
        }
        expect(Object.keys(fromFormula.point)).toEqual(x0.map((_, i) => `x${i}`));
      }),
      { seed, numRuns: 60 },
    );
  });

  it("minimises Rosenbrock's function from (-1.2, 1)", () => {
    const r = minimize('100*(y - x^2)^2 + (1 - x)^2', { x: -1.2, y: 1 });
    expect([r.termination, r.converged]).toEqual(['gtol', true]);
    expect(Math.abs(r.point.x - 1)).toBeLessThan(1e-10);
    expect(Math.abs(r.point.y - 1)).toBeLessThan(1e-10);
    expect(r.gradientNorm).toBeLessThanOrEqual(1e-10);
    expect(r.reason).toBe("the gradient's largest component is below gtol = 1e-10");
  });

  it('minimises the extended Rosenbrock function of 1,000 variables given as one formula', () => {
    const n = 1000;
    const terms: string[] = [];
    for (let i = 1; i <= n / 2; i++) {
      terms.push(`100*(x${2 * i} - x${2 * i - 1}^2)^2 + (1 - x${2 * i - 1})^2`);
    }
    const start = Object.fromEntries(
      Array.from({ length: n }, (_, j) => [`x${j + 1}`, j % 2 === 0 ? -1.2 : 1]),
    );
    const r = minimize(terms.join(' + '), start);
    expect(r.converged, r.reason).toBe(true);
    expect(r.x).toHaveLength(n);
    expect(Math.max(...r.x.map((v) => Math.abs(v - 1)))).toBeLessThan(1e-9);
    expect(r.value).toBeLessThan(1e-18);
  }, 120_000);
});

describe('minimize: naming the variables', () => {
  it('a function of Values with a start by name', () => {
    const r = minimize(([a, b]: readonly Value[]) => a.sub(2).pow(2).add(b.mul(b)), { u: 0, v: 1 });
    expect(Object.keys(r.point)).toEqual(['u', 'v']);
    expect(r.point.u).toBeCloseTo(2, 10);
    expect(r.point.v).toBeCloseTo(0, 10);
  });

  it('a formula with an array start: its variables in sorted order', () => {
    const r = minimize('(b - 1)^2 + (a + 1)^2', [5, 5]);
    expect(r.point.a).toBeCloseTo(-1, 10);
    expect(r.point.b).toBeCloseTo(1, 10);
    expect(r.x[0]).toBe(r.point.a);
  });
});

describe('minimize: why it stops', () => {
  const rosenbrock = '100*(y - x^2)^2 + (1 - x)^2';
  const start = { x: -1.2, y: 1 };

  it('gtol, with an exactly zero gradient', () => {
    const r = minimize('(x - 3)^2', { x: 3 });
    expect([r.termination, r.iterations, r.reason]).toEqual(['gtol', 0, 'the gradient is exactly zero']);
  });

  it('ftol', () => {
    // A minimum value of 1: the reduction is measured against it. The quartic's minimum is degenerate, so the
    // iterates approach it only linearly and f's reduction over 10 iterations falls below ftol long before the
    // gradient is exactly zero (on Rosenbrock's function it reaches an exactly zero gradient first).
    const r = minimize('x^4 + y^4 + 1', { x: 1, y: 2 }, { gtol: 0, ftol: 1e-6 });
    expect([r.termination, r.converged]).toEqual(['ftol', true]);
    expect(r.value).toBeGreaterThan(1);
    expect(r.value - 1).toBeLessThan(1e-10);
    expect(r.reason).toBe(
      'the reduction of f over the last 10 iterations relative to |f| is below ftol = 0.000001',
    );
    // With the tighter default ftol it goes closer.
    const tight = minimize('x^4 + y^4 + 1', { x: 1, y: 2 }, { gtol: 0 });
    expect(tight.termination).toBe('ftol');
    expect(tight.value - 1).toBeLessThan(r.value - 1);
  });

  it('max-iterations and max-evaluations', () => {
    const a = minimize(rosenbrock, start, { maxIterations: 3 });
    expect([a.termination, a.converged, a.iterations]).toEqual(['max-iterations', false, 3]);
    expect(a.reason).toBe('the budget of 3 iterations ran out before convergence');
    const b = minimize(rosenbrock, start, { maxEvaluations: 5 });
    expect([b.termination, b.converged]).toEqual(['max-evaluations', false]);
    expect(b.evaluations).toBeLessThanOrEqual(5);
  });

  it('line-search-failed: f unbounded below', () => {
    const r = minimize('x - y^2', { x: 0, y: 0 });
    expect([r.termination, r.converged]).toEqual(['line-search-failed', false]);
    expect(r.value).toBeLessThan(-1e9);
    expect(Number.isFinite(r.value)).toBe(true);
  });

  it('non-finite-value: steps into the domain where f is NaN are backed off, never accepted', () => {
    // log(x) is NaN below 0 and tends to -∞ at 0, so the iterates crowd against 0 from above.
    const r = minimize('(x + 1)^2 + 1e-12 * log(x)', { x: 1 });
    expect([r.termination, r.converged]).toEqual(['non-finite-value', false]);
    expect(r.point.x).toBeGreaterThan(0);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.reason).toBe('f or its gradient was not finite at every trial step along the search direction');
  });
});

describe('minimize: bad input', () => {
  it('a start missing, empty or not finite', () => {
    expect(() => minimize('x^2', {})).toThrow(InvalidInputError);
    expect(() => minimize('x^2', {})).toThrow('minimize: start gives no variables');
    expect(() => minimize('x^2', { x: NaN })).toThrow(
      'minimize: the start value of x must be a finite number, got NaN',
    );
  });

  it('a variable without a start value', () => {
    const call = () => minimize('x^2 + y', { x: 1 });
    expect(call).toThrow(UnknownVariableError);
    expect(call).toThrow("minimize: the objective uses 'y', which has no start value");
  });

  it('an array start of the wrong length for a formula', () => {
    expect(() => minimize('x^2 + y^2', [1])).toThrow(
      'minimize: the formula has 2 variables (x, y), the start 1 values',
    );
  });

  it('a formula that does not parse', () => {
    const call = () => minimize('x^2 +', { x: 1 });
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow('minimize: the objective does not parse');
  });

  it('a bad option', () => {
    expect(() => minimize('x^2', { x: 1 }, { c2: 2 })).toThrow(
      'minimize: options.c2 must be a number in [0.0001, 1], got 2',
    );
  });

  it('an objective not finite at the start', () => {
    const call = () => minimize('log(x)', { x: -1 });
    expect(call).toThrow(NonFiniteError);
    expect(call).toThrow('minimize: the objective or its gradient is not finite at the start point');
  });
});
