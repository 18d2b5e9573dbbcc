import { describe, expect, it } from 'vitest';
import { InvalidInputError, leastSquares, NonFiniteError, type ResidualCallbacks } from '../src/index.js';

/** y = a · exp(-b x) + c on 40 points, no noise. */
function exponential(a: number, b: number, c: number): ResidualCallbacks & { x: number[]; y: number[] } {
  const x = Array.from({ length: 40 }, (_, i) => i / 8);
  const y = x.map((t) => a * Math.exp(-b * t) + c);
  return {
    m: x.length,
    x,
    y,
    evaluate(p, r, J) {
      for (let i = 0; i < x.length; i++) {
        const e = Math.exp(-p[1] * x[i]);
        r[i] = p[0] * e + p[2] - y[i];
        if (J) {
          J[3 * i] = e;
          J[3 * i + 1] = -p[0] * x[i] * e;
          J[3 * i + 2] = 1;
        }
      }
    },
  };
}

describe('leastSquares', () => {
  it('recovers the parameters of noise-free data to about 1e-12', () => {
    const r = leastSquares(exponential(2.5, 1.3, -0.7), [1, 1, 0]);
    expect(r.converged, r.reason).toBe(true);
    expect(Math.abs(r.x[0] - 2.5)).toBeLessThan(1e-12);
    expect(Math.abs(r.x[1] - 1.3)).toBeLessThan(1e-12);
    expect(Math.abs(r.x[2] + 0.7)).toBeLessThan(1e-12);
    expect(r.rss).toBeLessThan(1e-25);
  });

  it('takes residuals as a function of autograd Values, with their exact Jacobian', () => {
    // Rosenbrock's function as residuals 10 (x1 - x0²), 1 - x0: the minimum is (1, 1) with zero residuals.
    const r = leastSquares(([a, b]) => [b.sub(a.mul(a)).mul(10), a.neg().add(1)], [-1.2, 1]);
    expect(r.termination).toBe('gtol');
    expect(r.reason).toBe('the residuals are exactly zero');
    expect(r.x).toEqual([1, 1]);
    expect(r.rss).toBe(0);
  });

  it('gives the closed-form standard errors of a straight-line fit', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1];
    const n = x.length;
    const line: ResidualCallbacks = {
      m: n,
      evaluate(p, r, J) {
        for (let i = 0; i < n; i++) {
          r[i] = p[0] + p[1] * x[i] - y[i];
          if (J) {
            J[2 * i] = 1;
            J[2 * i + 1] = x[i];
          }
        }
      },
    };
    const r = leastSquares(line, [0, 0]);
    const mx = x.reduce((s, v) => s + v, 0) / n;
    const my = y.reduce((s, v) => s + v, 0) / n;
    const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
    const sxy = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0);
    const slope = sxy / sxx;
    const intercept = my - slope * mx;
    const rss = y.reduce((s, v, i) => s + (v - intercept - slope * x[i]) ** 2, 0);
    const s2 = rss / (n - 2);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(rel(r.x[1], slope)).toBeLessThan(1e-13);
    expect(rel(r.x[0], intercept)).toBeLessThan(1e-13);
    expect(rel(r.rss, rss)).toBeLessThan(1e-12);
    expect(r.dof).toBe(6);
    expect(rel(r.standardErrors[1], Math.sqrt(s2 / sxx))).toBeLessThan(1e-12);
    expect(rel(r.standardErrors[0], Math.sqrt(s2 * (1 / n + (mx * mx) / sxx)))).toBeLessThan(1e-12);
    expect(rel(r.covariance[0][1], (-s2 * mx) / sxx)).toBeLessThan(1e-12);
    expect(r.covariance[0][1]).toBe(r.covariance[1][0]);
  });

  it('reads a column-major Jacobian when told so', () => {
    const problem = exponential(2, 0.5, 1);
    const colMajor: ResidualCallbacks = {
      m: problem.m,
      layout: 'column-major',
      evaluate(p, r, J) {
        const rowJ = J ? new Float64Array(J.length) : null;
        problem.evaluate(p, r, rowJ);
        if (J && rowJ)
          for (let i = 0; i < problem.m; i++)
            for (let j = 0; j < 3; j++) J[i + j * problem.m] = rowJ[3 * i + j];
      },
    };
    expect(leastSquares(colMajor, [1, 1, 0])).toEqual(leastSquares(problem, [1, 1, 0]));
  });
});

describe('leastSquares: why it stops', () => {
  const problem = exponential(2.5, 1.3, -0.7);
  // Noisy data: a nonzero residual at the minimum.
  const noisy: ResidualCallbacks = {
    m: problem.m,
    evaluate(p, r, J) {
      problem.evaluate(p, r, J);
      for (let i = 0; i < problem.m; i++) r[i] += 0.01 * Math.sin(7 * i);
    },
  };

  it('ftol', () => {
    const r = leastSquares(noisy, [1, 1, 0], { ftol: 1e-6, xtol: 0, gtol: 0 });
    expect([r.termination, r.converged]).toEqual(['ftol', true]);
    expect(r.reason).toBe('relative reduction of the sum of squares below ftol = 0.000001');
  });

  it('xtol', () => {
    const r = leastSquares(noisy, [1, 1, 0], { ftol: 0, xtol: 1e-4, gtol: 0 });
    expect([r.termination, r.converged]).toEqual(['xtol', true]);
    expect(r.reason).toBe('relative step size below xtol = 0.0001');
  });

  it('gtol', () => {
    const r = leastSquares(noisy, [1, 1, 0], { ftol: 0, xtol: 0, gtol: 1e-3 });
    expect([r.termination, r.converged]).toEqual(['gtol', true]);
    expect(r.reason).toContain("orthogonal to the Jacobian's columns to gtol = 0.001");
  });

  it('machine-precision', () => {
    const r = leastSquares(noisy, [1, 1, 0], { ftol: 0, xtol: 0, gtol: 0 });
    expect([r.termination, r.converged]).toEqual(['machine-precision', true]);
    expect(r.reason).toBe('no further reduction of the sum of squares is possible in double precision');
  });

  it('max-evaluations', () => {
    const r = leastSquares(noisy, [1, 1, 0], { maxEvaluations: 3 });
    expect([r.termination, r.converged, r.evaluations]).toEqual(['max-evaluations', false, 3]);
    expect(r.reason).toBe('the budget of 3 residual evaluations ran out before convergence');
  });

  it('max-iterations', () => {
    const r = leastSquares(noisy, [1, 1, 0], { maxIterations: 2 });
    expect([r.termination, r.converged]).toEqual(['max-iterations', false]);
    expect(r.jacobianEvaluations).toBe(3); // two iterations and the one for the covariance
  });

  it('non-finite-value: trial points beyond the domain shrink the trust region, never accepted', () => {
    // r = x - 2, defined only for x ≤ 1: the iterates crowd against x = 1 and every step beyond is NaN.
    let worst = -Infinity;
    const edge: ResidualCallbacks = {
      m: 1,
      evaluate(p, r, J) {
        r[0] = p[0] <= 1 ? p[0] - 2 : NaN;
        if (J) J[0] = 1;
      },
    };
    const watched: ResidualCallbacks = {
      m: 1,
      evaluate(p, r, J) {
        edge.evaluate(p, r, J);
        if (Number.isFinite(r[0])) worst = Math.max(worst, p[0]);
      },
    };
    const r = leastSquares(watched, [0]);
    expect([r.termination, r.converged]).toEqual(['non-finite-value', false]);
    expect(r.x[0]).toBeLessThanOrEqual(1);
    expect(r.x[0]).toBeGreaterThan(0.99);
    expect(Number.isFinite(r.rss)).toBe(true);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('non-finite-derivative', () => {
    const bad: ResidualCallbacks = {
      m: 1,
      evaluate(p, r, J) {
        r[0] = p[0] - 2;
        if (J) J[0] = p[0] > 0.5 ? NaN : 1;
      },
    };
    const r = leastSquares(bad, [0]);
    expect([r.termination, r.converged]).toEqual(['non-finite-derivative', false]);
    expect(r.x).toEqual([2]);
    expect(r.standardErrors).toEqual([Infinity]);
  });

  it('singular-jacobian: a parameter the data do not determine', () => {
    // r = a · b · x - y: only the product a · b is determined.
    const x = [1, 2, 3, 4];
    const r = leastSquares(
      ([a, b]) =>
        x.map((t) =>
          a
            .mul(b)
            .mul(t)
            .sub(3 * t + 0.1 * Math.cos(t)),
        ),
      [1, 2],
    );
    expect([r.termination, r.converged, r.rank]).toEqual(['singular-jacobian', false, 1]);
    expect(r.reason).toBe(
      'the Jacobian at the solution has rank 1 < 2: some parameters are not determined by the data',
    );
    expect(r.standardErrors.some((s) => s === Infinity)).toBe(true);
  });
});

describe('leastSquares: bad input', () => {
  const one: ResidualCallbacks = {
    m: 1,
    evaluate(p, r, J) {
      r[0] = Math.log(p[0]);
      if (J) J[0] = 1 / p[0];
    },
  };

  it('rejects a start that is empty or not finite', () => {
    expect(() => leastSquares(one, [])).toThrow(InvalidInputError);
    expect(() => leastSquares(one, [])).toThrow('leastSquares: start must be a non-empty array of numbers');
    expect(() => leastSquares(one, [NaN])).toThrow('leastSquares: start[0] must be a finite number, got NaN');
  });

  it('rejects fewer residuals than parameters', () => {
    expect(() => leastSquares(one, [1, 2])).toThrow(
      'leastSquares: 1 residuals for 2 parameters: need at least as many residuals as parameters',
    );
  });

  it('rejects a bad option', () => {
    expect(() => leastSquares(one, [1], { ftol: -1 })).toThrow(InvalidInputError);
    expect(() => leastSquares(one, [1], { ftol: -1 })).toThrow('options.ftol must be a number ≥ 0, got -1');
  });

  it('throws NonFiniteError for non-finite residuals at the start', () => {
    expect(() => leastSquares(one, [-1])).toThrow(NonFiniteError);
    expect(() => leastSquares(one, [-1])).toThrow(
      'leastSquares: the residuals are not finite at the start point',
    );
  });

  it('rejects a residual function returning something else than Values', () => {
    expect(() => leastSquares(() => [], [1])).toThrow(
      'the residual function must return a non-empty array of Values',
    );
  });
});
