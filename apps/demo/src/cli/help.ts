/**
 * The text of `crossgrad --help`.
 *
 * @example
 * ```ts
 * process.stdout.write(helpText());
 * ```
 */
export function helpText(): string {
  return `crossgrad: the symbolic derivative next to the numeric gradients

Usage:
  crossgrad [options]                 the seed's neuron o = tanh(x1*w1 + x2*w2 + b)
  crossgrad --expr EXPR --at POINT    any expression, at a point
  crossgrad train [train options]     train MLP(2,[16,16,1]) on 100 moons
  crossgrad fit [fit options]         fit a model to the columns of a CSV file (least squares)
  crossgrad minimize [options]        minimize an expression from a start point (L-BFGS)

Options:
  --expr EXPR   the expression to differentiate, e.g. "x^x * sin(y)" or "-x^2"
                operators + - * / ^ (a ** b is a^b), functions exp log sqrt sin cos tan
                asin acos atan sinh cosh tanh asinh acosh atanh sigmoid softplus relu abs
                step sign logz, of two arguments atan2 min max (atan2(y, x); at a tie min
                and max pass the derivative to the second argument), also read as spelled
                elsewhere: pow ln arcsin arccos arctan arsinh arcosh artanh arcsinh
                arccosh arctanh (pow(a, b) is a^b, ln is log, arcsin is asin, ...),
                constants e and pi (e^u is exp(u)); step and sign are the derivatives of
                relu and abs (0 at 0), and logz is log with logz(0) = 0 (d/dy x^y =
                logz(x) * x^y, 0 at x = 0)
  --at POINT    the point, as name=value pairs of decimal numbers separated by commas: x=1.5,y=-2
  --steps       show how each derivative is derived, rule by rule
  --json        print the result as JSON
  --tex         print the derivatives as LaTeX
  --dot FILE    write the Value graph, with data and grad after backward, as Graphviz DOT
  --svg FILE    write the same graph as SVG (rendered in-process)
  -h, --help    show this help

Train options:
  --steps N     training steps (default 100)
  --seed N      seed of the data set and the initial weights (default 1337)
  --svg FILE    write the decision boundary with the points as SVG
  --engine E    both (default): train with the compiled tape, then eagerly from the same
                weights, and compare steps per second and the trained weights;
                compiled or eager: train one way only

Fit options:
  --model EXPR        the model, in parameters and columns: "b1*(1-exp(-b2*x))"
  --data FILE         a CSV file: a header row naming the columns (x, y, ...), then one
                      decimal number per column on each row
  --start POINT       each parameter's start value, as name=value pairs: b1=500,b2=1e-4
  --response EXPR     what the model is fitted to, an expression of columns (default y)
  --max-iterations N  the solver's budget of iterations
  --json              print the result as JSON
  --svg FILE          draw the data, the fitted curve and the residuals (one predictor)

Minimize options:
  --expr EXPR         the function to minimize: "100*(x2-x1^2)^2 + (1-x1)^2"
  --start POINT       the start, a value for every variable: x1=-1.2,x2=1
  --max-iterations N  the solver's budget of iterations
  --json              print the result as JSON

Examples:
  crossgrad
  crossgrad --expr "x^x * sin(y)" --at x=1.5,y=2
  crossgrad --expr "log(1 + x^2)" --at x=3 --steps
  crossgrad --json > neuron.json
  crossgrad --svg neuron.svg
  crossgrad train --steps 100 --svg moons.svg
  crossgrad fit --model "b1*(1-exp(-b2*x))" --data misra1a.csv --start b1=500,b2=1e-4
  crossgrad minimize --expr "100*(x2-x1^2)^2 + (1-x1)^2" --start x1=-1.2,x2=1

Each derivative gets a verdict, and so does the whole run: agree, disagree, undefined (the
value is not a real number at the point), not-differentiable (a kink, an infinite or one-sided
slope), skipped (no judgement possible; the reason says why).

Exit status:
  0  every derivative agrees, at a point where the function is differentiable (fit: converged,
     and no check of its Jacobian disagrees; minimize: converged)
  1  a disagreement (or crossgrad itself failed; train: the two engines trained different weights;
     fit: the Jacobian disagrees with complex step or finite differences)
  2  bad input (one message on stderr)
  3  no derivative to check at this point: undefined, not-differentiable or skipped (the
     closing line, or "reason" in --json, says why in one line)
  4  fit or minimize stopped without converging (the result is printed, with the reason)
`;
}
