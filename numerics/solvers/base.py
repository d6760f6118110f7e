"""What every batched solver shares: ``setup`` / ``step`` / ``run`` (after PyLops' solver classes).

A solver's ``setup(operator, y)`` initialises its state for the batch, ``step()`` advances every problem by
one iteration and returns the current estimates (batch, n), and ``run(operator, y)`` iterates until each
problem meets its stopping rule or ``max_iter`` is reached. The default stopping rule is stationarity:

    ‖x_t − x_{t−1}‖₂ ≤ rtol · ‖x_t‖₂

(a problem whose estimate stays 0, e.g. y = 0, stops at once). A problem stops independently of the others:
its estimate is frozen at the iteration where its rule first held (that is its ``iterations`` count) while
the rest of the batch goes on, so a problem's result does not depend on what it is batched with.
"""

from dataclasses import dataclass

from numerics.backend import namespace_of


@dataclass
class SolverOutput:
    """Estimates (batch, n) on the backend; per-problem iteration counts and converged flags (backend arrays)."""

    x: object
    iterations: object
    converged: object
    matmul_flops: int = 0


class IterativeSolver:
    """Base class: subclasses implement ``setup`` and ``step`` (and may refine ``stationary``)."""

    name = "iterative"
    #: Default iteration cap; subclasses override.
    max_iter_default = 1000

    def __init__(self, *, nonnegative: bool = False, max_iter: int | None = None, rtol: float = 1e-7):
        self.nonnegative = bool(nonnegative)
        self.max_iter = int(max_iter if max_iter is not None else self.max_iter_default)
        self.rtol = float(rtol)
        self.matmul_flops = 0

    def setup(self, operator, y) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def step(self):  # pragma: no cover - interface
        raise NotImplementedError

    def stationary(self, previous, current):
        """Per-problem stopping rule (batch,) bool: relative change of the estimate at most ``rtol``."""
        xp = namespace_of(current)
        change = xp.linalg.vector_norm(current - previous, axis=-1)
        return change <= self.rtol * xp.linalg.vector_norm(current, axis=-1)

    def run(self, operator, y) -> SolverOutput:
        """Iterate until every problem is stationary or ``max_iter`` steps have run."""
        xp = namespace_of(y)
        batch = y.shape[0]
        self.matmul_flops = 0
        self.setup(operator, y)
        estimate = xp.zeros((batch, operator.n), dtype=y.dtype)
        previous = estimate
        active = xp.ones((batch,), dtype=xp.bool)
        iterations = xp.zeros((batch,), dtype=xp.int64)
        for _ in range(self.max_iter):
            current = self.step()
            estimate = xp.where(active[:, None], current, estimate)
            iterations = iterations + xp.astype(active, xp.int64)
            active = active & ~self.stationary(previous, current)
            previous = current
            if not bool(xp.any(active)):
                break
        return SolverOutput(estimate, iterations, ~active, self.matmul_flops)


def soft_threshold(u, threshold, nonnegative: bool):
    """η(u; θ) = sign(u)·max(|u| − θ, 0), or max(u − θ, 0) for nonnegative signals (θ broadcasts per row)."""
    xp = namespace_of(u)
    if nonnegative:
        return xp.maximum(u - threshold, 0.0)
    return xp.sign(u) * xp.maximum(xp.abs(u) - threshold, 0.0)
