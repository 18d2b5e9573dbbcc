"""Reference run of SciPy's L-BFGS-B on the Moré–Garbow–Hillstrom problems in problems.json.

This script records how scipy-baseline.json was made; no test runs it. It needs python3 with numpy, scipy and
sympy. Each problem's `formula` (plain syntax: `^` for powers, `atan`, `step`, `abs`, ...) is parsed with sympy,
differentiated symbolically for an exact gradient, and minimised from the standard start `x0` with
scipy.optimize.minimize(method='L-BFGS-B', jac=gradient), with SciPy's default options, or with `--matched` with
the stopping tolerances of crossgrad's `minimize` (ftol = 1e-15, gtol = 1e-10, and iteration limits that never bind),
so that both runs go as far towards the minimum.

    python3 libs/optimize/test/mgh/scipy-baseline.py > libs/optimize/test/mgh/scipy-baseline.json
    python3 libs/optimize/test/mgh/scipy-baseline.py --matched > libs/optimize/test/mgh/scipy-baseline-matched.json
"""

import datetime
import json
import pathlib
import statistics
import sys

import numpy as np
import scipy
import sympy as sp
from scipy.optimize import minimize


class Step(sp.Function):
    """step(u): 1 for u > 0, else 0; its derivative is taken as 0 (as crossgrad's rule table does)."""

    def fdiff(self, argindex=1):
        return sp.Integer(0)


def compile_problem(problem):
    xs = sp.symbols([f"x{i}" for i in range(1, problem["n"] + 1)], real=True)
    names = {str(x): x for x in xs}
    names.update(step=Step, atan=sp.atan, abs=sp.Abs, sign=sp.sign, sqrt=sp.sqrt, exp=sp.exp, log=sp.log,
                 sin=sp.sin, cos=sp.cos)
    expr = sp.sympify(problem["formula"].replace("^", "**"), locals=names)
    modules = [{"Step": lambda u: np.where(u > 0, 1.0, 0.0)}, "numpy"]
    f = sp.lambdify(xs, expr, modules)
    g = sp.lambdify(xs, [sp.diff(expr, x) for x in xs], modules)
    return (lambda x: float(f(*x))), (lambda x: np.array(g(*x), dtype=float))


def main():
    here = pathlib.Path(__file__).resolve().parent
    problems = json.loads((here / "problems.json").read_text())
    matched = "--matched" in sys.argv[1:]
    options = dict(ftol=1e-15, gtol=1e-10, maxiter=20000, maxfun=30000) if matched else {}
    runs = []
    for problem in problems:
        f, g = compile_problem(problem)
        res = minimize(f, np.array(problem["x0"], dtype=float), jac=g, method="L-BFGS-B", options=options)
        runs.append({
            "name": problem["name"],
            "number": problem["number"],
            "n": problem["n"],
            "fstar": problem["fstar"],
            "nfev": int(res.nfev),
            "njev": int(res.njev),
            "nit": int(res.nit),
            "f": float(res.fun),
            "success": bool(res.success),
            "message": str(res.message),
        })
    out = {
        "solver": "scipy.optimize.minimize(method='L-BFGS-B', jac=exact gradient), "
        + ("options ftol=1e-15, gtol=1e-10, maxiter=20000, maxfun=30000" if matched else "default options"),
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "sympy": sp.__version__,
        "date": datetime.date.today().isoformat(),
        "medianNfev": statistics.median(r["nfev"] for r in runs),
        "runs": runs,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
