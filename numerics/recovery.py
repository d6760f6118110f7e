"""Recover batches of sparse signals: the entry point experiments call (``generate_problems`` + ``recover``).

``recover(problems, solver)`` runs one of :data:`SOLVERS` on the whole batch and scores each problem:

- ``relative_error`` = ‖x̂ − x‖₂ / ‖x‖₂ (‖x̂‖₂ when x = 0);
- ``success`` = ``relative_error < tol``, with ``tol`` = :data:`DEFAULT_TOL` = 1e-3 unless given;
- ``support_recovered``: the |supp x| largest entries of |x̂| are exactly supp x, i.e.
  min_{i ∈ supp x} |x̂_i| > max_{i ∉ supp x} |x̂_i| (no threshold to choose);
- ``iterations`` and ``converged`` as each solver's stopping rule defines them (see its module).

Solvers: ``amp`` (:mod:`~numerics.solvers.amp`, threshold from :mod:`theory.soft_threshold_minimax`, damping 0.9,
stops early where it stalls), ``fista``
(:mod:`~numerics.solvers.fista`), ``omp`` (:mod:`~numerics.solvers.omp`), ``iht`` (:mod:`~numerics.solvers.iht`)
and ``lp`` (:mod:`~numerics.solvers.lp`, exact basis pursuit on the CPU, the reference). Problems are drawn on the
host (:mod:`numerics.problems`), so every backend solves the same numbers.

>>> import numpy as np
>>> problems = generate_problems(np.random.SeedSequence(1), batch=4, m=40, n=80, k=4)
>>> result = recover(problems, "amp")
>>> result.success.tolist(), result.tol
([True, True, True, True], 0.001)
"""

import time
from dataclasses import dataclass, field

import numpy as np

from numerics.backend import namespace_of, synchronize, to_numpy
from numerics.problems import Problems, generate_problems
from numerics.solvers.operator import SensingOperator
from numerics.solvers.registry import SOLVERS, build_solver
from theory.validation import InvalidParameter

#: Default success tolerance on the relative ℓ2 error ‖x̂ − x‖₂/‖x‖₂.
DEFAULT_TOL = 1e-3


def check_arrays(A, y) -> None:
    """Refuse matrices and measurements of the wrong shapes or with NaN/inf entries."""
    xp = namespace_of(A, y)
    if A.ndim not in (2, 3) or y.ndim != 2:
        raise InvalidParameter("A", f"must have shape (m, n) or (batch, m, n) with y of shape (batch, m), got "
                                    f"A {tuple(A.shape)} and y {tuple(y.shape)}")
    if A.shape[-2] != y.shape[1] or (A.ndim == 3 and A.shape[0] != y.shape[0]):
        raise InvalidParameter("y", f"shape {tuple(y.shape)} does not match A of shape {tuple(A.shape)}")
    if A.dtype != y.dtype:
        raise InvalidParameter("y", f"must have the dtype of A ({A.dtype}), got {y.dtype}")
    for name, array in (("A", A), ("y", y)):
        if not bool(xp.all(xp.isfinite(array))):
            raise InvalidParameter(name, "must be finite, found NaN or inf entries")


def solve(A, y, solver: str = "amp", *, nonnegative: bool = False, sparsity: int | None = None, **options):
    """Run ``solver`` on y = A x for a batch: (:class:`~numerics.solvers.base.SolverOutput`, options used).

    ``sparsity`` (k, or the expected number of nonzeros) tunes AMP's threshold and is the k of IHT and OMP;
    ``options`` go to the solver class (``max_iter``, ``rtol``, ``alpha``...); those it does not declare are refused
    (:func:`numerics.solvers.registry.check_options`); a None value means "not given".
    """
    check_arrays(A, y)
    if sparsity is None:
        raise InvalidParameter("sparsity", "is needed: the number of nonzeros k (or its expected value)")
    instance, options = build_solver(solver, m=A.shape[-2], n=A.shape[-1], sparsity=sparsity,
                                     nonnegative=nonnegative, **options)
    return instance.run(SensingOperator(A), y), options


@dataclass
class RecoveryResult:
    """Per-problem outcomes (NumPy arrays on the host) and the estimates ``x_hat`` (on the backend)."""

    solver: str
    tol: float
    nonnegative: bool
    relative_error: np.ndarray
    success: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray
    support_recovered: np.ndarray
    x_hat: object
    seconds: float
    matmul_flops: int
    options: dict = field(default_factory=dict)

    @property
    def batch(self) -> int:
        return int(self.success.shape[0])

    @property
    def success_rate(self) -> float:
        return float(self.success.mean()) if self.batch else float("nan")

    @property
    def problems_per_second(self) -> float:
        return self.batch / self.seconds if self.seconds > 0 else float("inf")

    @classmethod
    def concatenate(cls, results: list) -> "RecoveryResult":
        """One result from the results of consecutive parts of a batch (same solver and options)."""
        first = results[0]
        joined = {name: np.concatenate([getattr(r, name) for r in results])
                  for name in ("relative_error", "success", "iterations", "converged", "support_recovered")}
        return cls(solver=first.solver, tol=first.tol, nonnegative=first.nonnegative, **joined,
                   x_hat=namespace_of(first.x_hat).concat([r.x_hat for r in results], axis=0),
                   seconds=sum(r.seconds for r in results), matmul_flops=sum(r.matmul_flops for r in results),
                   options=first.options)

    def summary(self) -> dict:
        """Success rate, error quantiles, iterations and throughput, as plain values."""
        quantiles = np.quantile(self.relative_error, [0.1, 0.5, 0.9]) if self.batch else [float("nan")] * 3
        return {
            "solver": self.solver, "tol": self.tol, "success_definition": f"relative l2 error < {self.tol:g}",
            "nonnegative": self.nonnegative, "batch": self.batch, "success_rate": self.success_rate,
            "successes": int(self.success.sum()), "support_recovered_rate": float(self.support_recovered.mean()),
            "relative_error_quantiles": dict(zip(("q10", "median", "q90"), map(float, quantiles))),
            "iterations": {"median": float(np.median(self.iterations)), "max": int(self.iterations.max())},
            "converged_rate": float(self.converged.mean()), "seconds": self.seconds,
            "problems_per_second": self.problems_per_second,
            "options": {key: value for key, value in self.options.items() if isinstance(value, (int, float, str))},
        }


def score(x_true: np.ndarray, x_hat: np.ndarray, tol: float):
    """(relative_error, success, support_recovered) per problem, computed on the host."""
    norms = np.linalg.norm(x_true, axis=1)
    difference = np.linalg.norm(x_hat - x_true, axis=1)
    relative_error = np.where(norms > 0, difference / np.where(norms > 0, norms, 1.0), difference)
    magnitude, support = np.abs(x_hat), x_true != 0
    smallest_on = np.where(support, magnitude, np.inf).min(axis=1, initial=np.inf)
    largest_off = np.where(support, -np.inf, magnitude).max(axis=1, initial=-np.inf)
    support_recovered = smallest_on > largest_off
    return relative_error, relative_error < tol, support_recovered


def recover(problems: Problems, solver: str = "amp", *, tol: float = DEFAULT_TOL, nonnegative: bool = False,
            **options) -> RecoveryResult:
    """Solve every problem of ``problems`` with ``solver`` and score it against the true signal (module docstring)."""
    tol = float(tol)
    if not np.isfinite(tol) or tol <= 0:
        raise InvalidParameter("tol", f"must be a finite number > 0, got {tol}")
    synchronize(problems.y)
    started = time.perf_counter()
    output, used = solve(problems.A, problems.y, solver, nonnegative=nonnegative,
                         sparsity=problems.sparsity_level, **options)
    synchronize(output.x)
    seconds = time.perf_counter() - started
    x_hat_host = to_numpy(output.x).astype(np.float64)
    relative_error, success, support_recovered = score(to_numpy(problems.x).astype(np.float64), x_hat_host, tol)
    return RecoveryResult(
        solver=solver, tol=tol, nonnegative=bool(nonnegative), relative_error=relative_error, success=success,
        iterations=to_numpy(output.iterations).astype(np.int64), converged=to_numpy(output.converged).astype(bool),
        support_recovered=support_recovered, x_hat=output.x, seconds=seconds, matmul_flops=output.matmul_flops,
        options=used,
    )


__all__ = ["DEFAULT_TOL", "SOLVERS", "Problems", "RecoveryResult", "build_solver", "generate_problems", "recover", "solve"]
