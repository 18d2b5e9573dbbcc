import type { FitResult } from './fit.js';
import type { LeastSquaresResult } from './least-squares.js';
import type { MinimizeResult } from './minimize.js';

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function sci(v: number): string {
  return Number.isFinite(v) ? v.toExponential(10) : String(v);
}

function table(names: readonly string[], estimates: readonly number[], errors?: readonly number[]): string[] {
  const width = Math.max(9, ...names.map((n) => n.length));
  const head =
    `${'parameter'.padEnd(width)}  ${'estimate'.padStart(17)}` +
    (errors ? `  ${'std. error'.padStart(17)}` : '');
  return [
    head,
    ...names.map(
      (n, j) =>
        `${n.padEnd(width)}  ${sci(estimates[j]).padStart(17)}` +
        (errors ? `  ${sci(errors[j]).padStart(17)}` : ''),
    ),
  ];
}

/**
 * A plain-text summary of a result: whether it converged and why, the estimates (with standard errors for a
 * fit), and the counts, with numbers to 11 significant digits as NIST prints its certified values.
 *
 * @example
 * ```ts
 * console.log(report(fit('a * x + b', { x: [0, 1, 2], y: [1, 3, 5.5] }, { a: 0, b: 0 })));
 * ```
 */
export function report(result: FitResult | LeastSquaresResult | MinimizeResult): string {
  const lines = [
    `${result.converged ? 'converged' : 'did not converge'} (${result.termination}): ${result.reason}`,
  ];
  if ('params' in result) {
    lines.push(
      ...table(
        result.names,
        result.names.map((n) => result.params[n]),
        result.names.map((n) => result.standardErrors[n]),
      ),
    );
  } else if ('rss' in result) {
    const names = result.x.map((_, j) => `x${j}`);
    lines.push(...table(names, result.x, result.standardErrors));
  } else {
    const names = Object.keys(result.point);
    lines.push(...table(names, result.x));
    lines.push(`f = ${sci(result.value)}, largest gradient component ${sci(result.gradientNorm)}`);
  }
  if ('rss' in result) {
    lines.push(
      `residual sum of squares ${sci(result.rss)}, residual standard deviation ${sci(result.residualStdDev)}, ` +
        `${count(result.dof, 'degree')} of freedom`,
    );
    lines.push(
      `${count(result.iterations, 'iteration')}, ${count(result.evaluations, 'residual evaluation')}, ` +
        `${count(result.jacobianEvaluations, 'Jacobian evaluation')}`,
    );
  } else {
    lines.push(`${count(result.iterations, 'iteration')}, ${count(result.evaluations, 'evaluation')}`);
  }
  return lines.join('\n');
}
