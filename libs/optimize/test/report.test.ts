import { describe, expect, it } from 'vitest';
import { fit, leastSquares, minimize, report } from '../src/index.js';

describe('report', () => {
  it('summarises a fit with estimates and standard errors', () => {
    const r = fit('a * x + b', { x: [0, 1, 2], y: [1, 3, 5.5] }, { a: 0, b: 0 });
    expect(report(r).split('\n')).toEqual([
      `converged (${r.termination}): ${r.reason}`,
      'parameter           estimate         std. error',
      'a            2.2500000000e+0    1.4433756730e-1',
      'b            9.1666666667e-1    1.8633899812e-1',
      'residual sum of squares 4.1666666667e-2, residual standard deviation 2.0412414523e-1, 1 degree of freedom',
      `${r.iterations} iterations, ${r.evaluations} residual evaluations, ${r.jacobianEvaluations} Jacobian evaluations`,
    ]);
  });

  it('summarises a least-squares result and a minimisation', () => {
    const ls = report(leastSquares(([a]) => [a.sub(2), a.sub(3)], [0]));
    expect(ls).toContain('x0           2.5000000000e+0    5.0000000000e-1');
    const m = report(minimize('(x - 1)^2', { x: 0 }));
    expect(m.split('\n')).toEqual([
      'converged (gtol): the gradient is exactly zero',
      'parameter           estimate',
      'x            1.0000000000e+0',
      'f = 0.0000000000e+0, largest gradient component 0.0000000000e+0',
      '1 iteration, 2 evaluations',
    ]);
    const stopped = report(minimize('100*(y - x^2)^2 + (1 - x)^2', { x: -1.2, y: 1 }, { maxIterations: 1 }));
    expect(stopped.split('\n')[0]).toBe(
      'did not converge (max-iterations): the budget of 1 iterations ran out before convergence',
    );
  });
});
