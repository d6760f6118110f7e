"""Exact basis pursuit as a linear program, solved by HiGHS: the CPU reference every other solver is tested against.

Signed (Chen, Donoho & Saunders 1998):  min ‖x‖₁ s.t. A x = y, written with x = u − v, u, v ≥ 0 as
    min 1ᵀu + 1ᵀv  s.t.  [A, −A] [u; v] = y,  u, v ≥ 0.
Nonnegative:  min 1ᵀx  s.t.  A x = y,  x ≥ 0.

Runs on the host, one problem at a time with ``scipy.optimize.linprog(method="highs")``: arrays are copied to
NumPy at the start and the estimates copied back to the backend at the end (the edges). ``iterations`` is
HiGHS' iteration count and ``converged`` means HiGHS reported an optimal solution (status 0); its stopping
rule is HiGHS' own (primal and dual feasibility tolerance 1e-7, scipy's default). With noise, A x = y is
still feasible (m ≤ n, A of full rank), so the estimate interpolates the noise.
"""

import numpy as np
from scipy.optimize import linprog

from array_api_compat import device

from numerics.backend import namespace_of, to_numpy
from numerics.solvers.base import DeclaredOptions, SolverOutput


def basis_pursuit(A: np.ndarray, y: np.ndarray, nonnegative: bool):
    """One problem on the host: (estimate, iterations, converged)."""
    n = A.shape[1]
    if nonnegative:
        result = linprog(np.ones(n), A_eq=A, b_eq=y, bounds=(0, None), method="highs")
        estimate = result.x if result.status == 0 else np.zeros(n)
    else:
        result = linprog(np.ones(2 * n), A_eq=np.hstack([A, -A]), b_eq=y, bounds=(0, None), method="highs")
        estimate = result.x[:n] - result.x[n:] if result.status == 0 else np.zeros(n)
    return estimate, int(result.nit), result.status == 0


class LinearProgram(DeclaredOptions):
    """Basis pursuit by linear programming (HiGHS), problem by problem on the CPU."""

    name = "lp"

    def __init__(self, *, nonnegative: bool = False):
        self.nonnegative = bool(nonnegative)

    def run(self, operator, y) -> SolverOutput:
        xp = namespace_of(y)
        matrices, measurements = to_numpy(operator.A).astype(np.float64), to_numpy(y).astype(np.float64)
        results = [
            basis_pursuit(matrices if operator.shared else matrices[b], measurements[b], self.nonnegative)
            for b in range(measurements.shape[0])
        ]
        estimates = np.stack([estimate for estimate, _, _ in results]) if results else np.zeros((0, operator.n))
        return SolverOutput(
            x=xp.asarray(estimates, dtype=y.dtype, device=device(y)),
            iterations=xp.asarray(np.array([r[1] for r in results], dtype=np.int64), device=device(y)),
            converged=xp.asarray(np.array([r[2] for r in results], dtype=bool), device=device(y)),
        )
