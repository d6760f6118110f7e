"""What every batched solver shares: ``setup`` / ``step`` / ``run`` (after PyLops' solver classes).

A solver's ``setup(operator, y)`` initialises its state for the batch, ``step()`` advances every problem by
one iteration and returns the current estimates (batch, n), and ``run(operator, y)`` iterates until each
problem meets its stopping rule or ``max_iter`` is reached. The default stopping rule is stationarity:

    ‖x_t − x_{t−1}‖₂ ≤ rtol · ‖x_t‖₂

(a problem whose estimate stays 0, e.g. y = 0, stops at once), with rtol = 1e-7 unless given; a solver may replace
it (:meth:`IterativeSolver.progress`; AMP's is tied to the requested accuracy). The rule is evaluated every
``check_every`` iterations (default 1; then x_{t−1} is the iterate of the previous check). A problem whose
estimate diverges (non-finite, or ‖x_t‖₂ > 1e8·‖y‖₂) stops too, keeping its last finite estimate, and is not
converged. Each problem stops independently of the others: its estimate is frozen at the iteration where its
rule first held (that is its ``iterations`` count) while the rest of the batch goes on, so a problem's result
does not depend on what it is batched with.

Every solver, iterative or not (OMP, the LP), satisfies :class:`Solver`: it declares the options its constructor
accepts (``accepts``) and completes them from the problem (``complete_options``); :mod:`numerics.solvers.registry`
refuses any other option in one place.
"""

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from numerics.backend import namespace_of

#: An estimate this many times larger than the measurements (in ℓ2) has diverged: the problem stops, unconverged.
DIVERGENCE = 1e8

#: Matrices per block of a distinct-matrix batch (bytes). Measured at m = 200, n = 400, 250 problems, one thread,
#: load ≈ 12: 1.26× the whole batch at 8 MiB (float64; 1.12× float32), 1.09-1.23× from 0.5 to 32 MiB.
BLOCK_BYTES = 8 * 2**20

#: Iterations a stopped problem may stay in the working batch before the batch is compacted.
PATIENCE = 20


@dataclass
class SolverOutput:
    """Estimates (batch, n) on the backend; per-problem iteration counts and converged flags (backend arrays)."""

    x: object
    iterations: object
    converged: object
    matmul_flops: int = 0


@runtime_checkable
class Solver(Protocol):
    """What :mod:`numerics.recovery` needs of a solver: a name, its options, and ``run`` on a batch."""

    name: str
    accepts: tuple

    @classmethod
    def complete_options(cls, options: dict, *, m: int, n: int, sparsity: int, nonnegative: bool) -> dict: ...

    def run(self, operator, y) -> "SolverOutput": ...


class DeclaredOptions:
    """``accepts``: the constructor's keyword options besides ``nonnegative``; none derived from the problem."""

    accepts: tuple = ()

    @classmethod
    def complete_options(cls, options: dict, *, m: int, n: int, sparsity: int, nonnegative: bool) -> dict:
        """The user's options plus those derived from the problem's sizes (none unless a solver says so)."""
        return dict(options)


class SparsityOptions(DeclaredOptions):
    """For solvers that keep k entries: ``sparsity`` defaults to the problem's k (or expected number of nonzeros)."""

    @classmethod
    def complete_options(cls, options: dict, *, m: int, n: int, sparsity: int, nonnegative: bool) -> dict:
        return {**options, "sparsity": sparsity} if options.get("sparsity") is None else dict(options)


class IterativeSolver(DeclaredOptions):
    """Base class: subclasses implement ``setup`` and ``step``, list ``batch_state``, and may refine ``stationary``.

    ``setup`` must set ``self.operator`` and ``self.y``; ``step`` works on the current working batch.
    """

    name = "iterative"
    accepts = ("max_iter", "rtol", "block_bytes")
    #: Attributes holding one row per problem of the working batch (subset together by ``restrict``).
    batch_state: tuple = ("y", "x")
    #: Default iteration cap; subclasses override.
    max_iter_default = 1000
    #: Iterations between evaluations of the stopping rule (bookkeeping on the whole batch costs passes over it).
    check_every = 1

    def __init__(self, *, nonnegative: bool = False, max_iter: int | None = None, rtol: float = 1e-7,
                 block_bytes: int | None = BLOCK_BYTES):
        self.block_bytes = block_bytes
        self.nonnegative = bool(nonnegative)
        self.max_iter = int(max_iter if max_iter is not None else self.max_iter_default)
        self.rtol = float(rtol)
        self.matmul_flops = 0

    def setup(self, operator, y) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def step(self):  # pragma: no cover - interface
        raise NotImplementedError

    def stationary(self, change, size):
        """Per-problem stopping rule (batch,) bool from ``change`` = ‖x_t − x_{t−1}‖₂ and ``size`` = ‖x_t‖₂."""
        return change <= self.rtol * size

    def progress(self, current, previous):
        """(‖x_t‖₂, stopping rule) per problem at a check; the default rule is :meth:`stationary`."""
        size = norm(current)
        return size, self.stationary(norm(current - previous), size)

    def stalled(self):
        """Per-problem early failure (batch,) bool, or None (the default: no such rule); see AMP."""
        return None

    def restrict(self, keep) -> None:
        """Keep only the problems at positions ``keep`` (integer array) of the working batch."""
        xp = namespace_of(keep)
        for name in self.batch_state:
            setattr(self, name, xp.take(getattr(self, name), keep, axis=0))
        self.operator = self.operator.restrict(keep)

    def run(self, operator, y) -> SolverOutput:
        """Solve the batch; with distinct matrices in blocks of at most ``block_bytes`` of matrices (None: whole).

        A block's matrices stay in cache across its iterations instead of streaming from memory twice per
        iteration (:data:`BLOCK_BYTES`). Each problem's answer does not depend on its block.
        """
        xp = namespace_of(y)
        itemsize = 4 if y.dtype == xp.float32 else 8
        block = y.shape[0]
        if not operator.shared and self.block_bytes is not None:
            block = max(1, self.block_bytes // (itemsize * operator.m * operator.n))
        if block >= y.shape[0]:
            return self.run_block(operator, y)
        parts, flops = [], 0
        for start in range(0, y.shape[0], block):
            stop = min(start + block, y.shape[0])
            parts.append(self.run_block(operator.rows(start, stop), y[start:stop, ...]))
            flops += self.matmul_flops
        return SolverOutput(*(xp.concat([getattr(p, name) for p in parts], axis=0)
                              for name in ("x", "iterations", "converged")), flops)

    def run_block(self, operator, y) -> SolverOutput:
        """Iterate until every problem is stationary or ``max_iter`` steps have run.

        Stopped problems are frozen at once (masked) and dropped from the working batch when at most half of it
        is still running or a stopped problem has waited :data:`PATIENCE` iterations: stragglers do not keep
        the whole batch busy, and a stopped problem does not iterate on into subnormal numbers (slow on CPUs).
        """
        xp = namespace_of(y)
        self.matmul_flops = 0
        self.setup(operator, y)
        working = xp.arange(y.shape[0])
        estimate = previous = xp.zeros((y.shape[0], operator.n), dtype=y.dtype)
        active = xp.ones((y.shape[0],), dtype=xp.bool)
        iterations = xp.zeros((y.shape[0],), dtype=xp.int64)
        converged = xp.zeros((y.shape[0],), dtype=xp.bool)
        bound = DIVERGENCE * norm(y)
        retired, waiting, running, since = [], 0, y.shape[0], 0
        for number in range(1, self.max_iter + 1):
            current = self.step()
            since += 1
            if number % self.check_every and number < self.max_iter:
                continue
            size, stationary = self.progress(current, previous)
            diverged = ~(size <= bound)  # also catches NaN
            if running == active.shape[0] and not bool(xp.any(diverged)):
                estimate = current  # every problem still runs: nothing to freeze
            else:
                estimate = xp.where((active & ~diverged)[:, None], current, estimate)
            iterations = iterations + since * xp.astype(active, xp.int64)
            since = 0
            stationary = stationary & ~diverged
            converged = converged | (active & stationary)
            active = active & ~stationary & ~diverged
            stalled = self.stalled()
            if stalled is not None:
                active = active & ~stalled
            previous = current
            running = int(xp.sum(xp.astype(active, xp.int64)))
            if running == 0:
                break
            waiting = waiting + 1 if running < active.shape[0] else 0
            if 2 * running <= active.shape[0] or waiting > PATIENCE:
                waiting = 0
                stopped, keep = xp.nonzero(~active)[0], xp.nonzero(active)[0]
                retired.append(tuple(xp.take(a, stopped, axis=0) for a in (working, estimate, iterations, converged)))
                working, estimate, previous, iterations, converged, active, bound = (
                    xp.take(a, keep, axis=0)
                    for a in (working, estimate, previous, iterations, converged, active, bound))
                self.restrict(keep)
        retired.append((working, estimate, iterations, converged))
        order = xp.argsort(xp.concat([part[0] for part in retired]))
        estimate, iterations, converged = (
            xp.take(xp.concat([part[i] for part in retired]), order, axis=0) for i in (1, 2, 3))
        return SolverOutput(estimate, iterations, converged, self.matmul_flops)


def norm(rows):
    """‖·‖₂ of each row: √(x·x) by ``vecdot``, several times faster than ``vector_norm`` (no overflow guard needed:
    an entry above 1e154 has diverged anyway)."""
    xp = namespace_of(rows)
    return xp.sqrt(xp.linalg.vecdot(rows, rows))


def soft_threshold(u, threshold, nonnegative: bool):
    """η(u; θ) = sign(u)·max(|u| − θ, 0) = u − clip(u, −θ, θ), or max(u − θ, 0) for nonnegative signals.

    θ broadcasts per row. The clip form makes two passes over u instead of five.
    """
    xp = namespace_of(u)
    if nonnegative:
        return xp.maximum(u - threshold, 0.0)
    return u - xp.clip(u, -threshold, threshold)
