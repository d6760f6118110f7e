r"""The empirical ℓ1 phase transition on a (δ, ρ) grid, against the Donoho–Tanner curve ρ(δ).

Configuration (:class:`PhaseTransitionConfig`), simulation (:func:`evaluate_cell`, one grid cell) and analysis
(:func:`analyse`) are apart, as in Magni's ``cs/phase_transition``. A cell (δ, ρ) solves ``trials`` problems with
n unknowns, m = round(δ n) Gaussian measurements and k = round(ρ m) nonzeros on a uniformly random support
(Donoho & Tanner 2009): signed signals have N(0, 1) values, nonnegative ones Uniform[0, 1) values. A problem is a
success when the relative ℓ2 error is below ``tol``. The realised δ = m/n and ρ = k/m are the coordinates
analysed, so rounding never shifts a point.

``rho_window`` restricts each δ to the grid's ρ within that distance of ρ(δ): a band that places the
trials where the success rate changes (whether the crossing lies inside it is reported, never assumed).

Per δ, the 50% point of a logistic fit of success against ρ (:func:`numerics.statistics.fit_logistic_transition`)
is the empirical transition; the theory beside it is ``theory.l1_phase_transition.rho_l1`` (DMM 2009, eq. 5).
The fit's slope gives the transition's 10-90% width in ρ, a finite-size effect that shrinks as n grows
(measured in the README: at δ = 0.5 it falls with n = 100, 200, 400).
"""

import dataclasses
import math
from dataclasses import asdict, dataclass

import numpy as np

from numerics.backend import device_batch_limit, from_numpy, resolve
from numerics.recovery import DEFAULT_TOL, SOLVERS, generate_problems
from numerics.seeding import cell_seed_sequence
from numerics.solvers.registry import check_options
from numerics.statistics import fit_logistic_transition, wilson_interval
from numerics.sweep import SweepSpec, run_in_batches
from numerics.trials import SIGNAL_VALUES, recover_trials
from theory.l1_phase_transition import SIGNALS, rho_l1
from theory.validation import InvalidParameter, check_choice, check_in_interval

EXPERIMENT = "phase-transition"
#: Host memory allowed for the sensing matrices of one batch (distinct matrices, float64).
BATCH_BYTES = 64 * 2**20


@dataclass(frozen=True)
class PhaseTransitionConfig:
    """Everything that determines a phase-transition sweep's numbers."""

    n: int
    deltas: tuple
    rhos: tuple
    trials: int
    solver: str = "amp"
    signal: str = "signed"
    tol: float = DEFAULT_TOL
    backend: str = "numpy"
    seed: int = 0
    batch: int | None = None
    max_iter: int | None = None
    rho_window: float | None = None

    def __post_init__(self):
        if self.n < 2:
            raise InvalidParameter("n", f"must be >= 2, got {self.n}")
        if self.trials < 1:
            raise InvalidParameter("trials", f"must be >= 1, got {self.trials}")
        for name, grid in (("deltas", self.deltas), ("rhos", self.rhos)):
            if len(grid) == 0:
                raise InvalidParameter(name, "must be a non-empty list of values in (0, 1]")
            for value in grid:
                check_in_interval(name, value, 0, 1, closed_high=True)
        check_choice("solver", self.solver, SOLVERS)
        check_options(self.solver, {"max_iter": self.max_iter})
        check_choice("signal", self.signal, SIGNALS)
        check_in_interval("tol", self.tol, 0, math.inf)
        if self.rho_window is not None:
            check_in_interval("rho_window", self.rho_window, 0, 1, closed_high=True)
        for name, value in (("batch", self.batch), ("max_iter", self.max_iter)):
            if value is not None and value < 1:
                raise InvalidParameter(name, f"must be >= 1, got {value}")
        object.__setattr__(self, "deltas", tuple(sorted(set(float(d) for d in self.deltas))))
        object.__setattr__(self, "rhos", tuple(sorted(set(float(r) for r in self.rhos))))

    def to_dict(self) -> dict:
        return {**asdict(self), "deltas": list(self.deltas), "rhos": list(self.rhos)}

    def sizes(self, delta: float, rho: float) -> tuple[int, int]:
        """(m, k) of a cell: m = round(δ n) >= 1, k = round(ρ m)."""
        m = max(1, round(delta * self.n))
        return m, round(rho * m)

    def rhos_at(self, delta: float) -> tuple:
        """The ρ of the grid at ``delta``: all of them, or those within ``rho_window`` of ρ(δ) (a band around theory)."""
        if self.rho_window is None:
            return self.rhos
        centre = rho_l1(self.sizes(delta, 1.0)[0] / self.n, self.signal)
        return tuple(rho for rho in self.rhos if abs(rho - centre) <= self.rho_window)

    def spec(self) -> SweepSpec:
        cells = [{"delta": delta, "rho": rho} for delta in self.deltas for rho in self.rhos_at(delta)]
        if not cells:
            raise InvalidParameter("rho_window", f"leaves no rho of the grid near rho(delta), got {self.rho_window}")
        return SweepSpec(EXPERIMENT, self.to_dict(), cells)


def trial_problems(settings: PhaseTransitionConfig, coordinates: dict, start: int, size: int):
    """Problems ``start`` … ``start + size - 1`` of a cell, each drawn from its own seed (master seed, cell, trial).

    Each problem's numbers depend on its trial index only, so a cell's results do not depend on how its
    trials are split into solver calls (``--batch``, device memory, an out-of-memory split).
    """
    delta, rho = coordinates["delta"], coordinates["rho"]
    m, k = settings.sizes(delta, rho)
    host = [
        generate_problems(cell_seed_sequence(settings.seed, (EXPERIMENT, delta, rho, trial)), batch=1, m=m,
                          n=settings.n, k=k, values=SIGNAL_VALUES[settings.signal], backend="numpy")
        for trial in range(start, start + size)
    ]
    target = resolve(settings.backend)
    stacked = {name: from_numpy(target, np.concatenate([getattr(problem, name) for problem in host]))
               for name in ("A", "x", "y")}
    return dataclasses.replace(host[0], **stacked, batch=size, backend=target)


def default_batch(settings: PhaseTransitionConfig, m: int) -> int:
    """Trials per solver call: all of them within :data:`BATCH_BYTES` of matrices, or what fits on the device."""
    matrix_bytes = 8 * m * settings.n
    limit = device_batch_limit(resolve(settings.backend), bytes_per_problem=4 * matrix_bytes)
    return max(1, min(settings.trials, limit if limit is not None else BATCH_BYTES // matrix_bytes))


def evaluate_cell(config: dict, coordinates: dict) -> dict:
    """Solve one cell's problems and count successes (a module-level function, so Dask can ship it)."""
    settings = PhaseTransitionConfig(**config)
    m, k = settings.sizes(coordinates["delta"], coordinates["rho"])

    def run_batch(start: int, size: int):
        result = recover_trials(settings, trial_problems(settings, coordinates, start, size))
        return result.success, result.relative_error

    parts = run_in_batches(run_batch, settings.trials, settings.batch or default_batch(settings, m))
    success = np.concatenate([part[0] for part in parts])
    errors = np.concatenate([part[1] for part in parts])
    return {"m": m, "k": k, "successes": int(success.sum()), "trials": int(success.size),
            "median_relative_error": float(np.median(errors))}


#: The 10-90% width of a logistic curve of slope s is WIDTH_FACTOR / |s| (from logit(0.9) - logit(0.1) = 2 ln 9).
WIDTH_FACTOR = 2 * math.log(9)


@dataclass(frozen=True)
class Transition:
    """The fitted 50% point at one δ beside the theory; ``slope`` of the logistic fit in ρ (NaN without a fit)."""

    delta: float
    rho_fitted: float
    rho_theory: float
    bracketed: bool
    slope: float = math.nan

    @property
    def deviation(self) -> float:
        return self.rho_fitted - self.rho_theory

    @property
    def width(self) -> float:
        """The 10-90% width in ρ of the fitted success curve: how far from sharp the transition is at this n.

        >>> round(Transition(0.5, 0.38, 0.386, True, slope=-43.94).width, 4)
        0.1
        """
        return WIDTH_FACTOR / abs(self.slope)

    def to_dict(self) -> dict:
        return {**asdict(self), "deviation": self.deviation, "width_10_90": self.width}


@dataclass(frozen=True)
class PhaseTransitionAnalysis:
    """Cells with Wilson intervals and the transition per δ; ``max_abs_deviation`` over bracketed δ only."""

    config: PhaseTransitionConfig
    cells: list
    transitions: list

    @property
    def max_abs_deviation(self) -> float:
        deviations = [abs(t.deviation) for t in self.transitions if t.bracketed]
        return max(deviations) if deviations else math.nan

    def to_dict(self) -> dict:
        return {
            "config": self.config.to_dict(),
            "success_rule": f"relative l2 error < {self.config.tol}",
            "support_model": "k = round(rho m) nonzeros on a uniformly random support",
            "values": SIGNAL_VALUES[self.config.signal],
            "cells": self.cells,
            "transitions": [t.to_dict() for t in self.transitions],
            "max_abs_deviation": self.max_abs_deviation,
        }


def analyse(config: PhaseTransitionConfig, records: list) -> PhaseTransitionAnalysis:
    """Wilson 95% intervals per cell; per δ, the logistic 50% point in realised ρ = k/m and ρ(δ) at realised δ = m/n."""
    cells = []
    for record in records:
        result = record["result"]
        low, high = wilson_interval(result["successes"], result["trials"])
        cells.append({
            **record["coordinates"], "m": result["m"], "k": result["k"], "n": config.n,
            "delta_realised": result["m"] / config.n, "rho_realised": result["k"] / result["m"],
            "successes": result["successes"], "trials": result["trials"],
            "success_rate": result["successes"] / result["trials"], "wilson_low": float(low),
            "wilson_high": float(high), "median_relative_error": result["median_relative_error"],
        })
    transitions = []
    for delta in config.deltas:
        row = [cell for cell in cells if cell["delta"] == delta]
        if not row:
            continue
        delta_realised = row[0]["delta_realised"]
        theory = float(rho_l1(delta_realised, config.signal))
        if len({cell["rho_realised"] for cell in row}) < 2:
            transitions.append(Transition(delta_realised, math.nan, theory, False))
            continue
        fit = fit_logistic_transition([cell["rho_realised"] for cell in row], [cell["successes"] for cell in row],
                                      [cell["trials"] for cell in row])
        transitions.append(Transition(delta_realised, fit.midpoint, theory, fit.bracketed, fit.slope))
    return PhaseTransitionAnalysis(config, cells, transitions)


def theory_curve(signal: str, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """ρ(δ) on a fine δ grid in (0, 1), for drawing."""
    deltas = np.linspace(0.005, 0.995, points)
    return deltas, np.array([rho_l1(float(delta), signal) for delta in deltas])
