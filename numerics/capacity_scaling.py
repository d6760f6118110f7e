r"""The capacity exponent: how the largest recoverable number of features n_max grows with the neurons m.

For each density p and each m of a geometric grid (one sweep cell per (p, m)), :func:`evaluate_cell` finds
the largest n at which sparse recovery succeeds in at least half of the trials: bracket by doubling n from
n = 2m (n = m, a square system, is taken as recoverable), then bisect on the integer n down to a relative
width ``precision``. Every evaluation solves ``trials`` problems, ``batch`` signals per Gaussian sensing matrix;
its seed derives from (p, m, n, block[, repeat]).
Because the success rate is noisy near 50%, n_max is the 50% point of a
logistic fit of success against n over all the evaluations of the cell (they cluster at the transition); the
bisection bracket is kept beside it.

Support model: ``"bernoulli"`` (each of the n features active independently with probability p — the
superposition setting of the note and of Elhage et al. 2022) or ``"fixed"`` (exactly k = round(p n) active).

n_max must lie inside its final bracket: when it does not, the bracket end on its side is evaluated again with
fresh trials and, if the pooled verdict flips, bisection goes on from there (:func:`evaluate_cell`).

The analysis fits log n_max = a log m + c per density (:func:`numerics.power_law_fit.fit_power_law`) with two 95%
intervals side by side: the OLS t interval, and a trial-level (cluster) bootstrap that resamples the trials of
every evaluation of every cell, refits each n_max and then a (:func:`bootstrap_n_max`), so the interval carries the
Monte-Carlo noise of each n_max (a bootstrap over the handful of (m, n_max) points would not: with 4 points a third
of its resamples hold at most 2 distinct m). It compares a with 1 (n ≈ m f(p), the note's superposition bound) and
2 (the m² variant), and n_max/m at the largest m with f_ℓ1(p) and f_note(p) = -1/(p ln p) from
:mod:`theory.capacity`.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

from numerics.bracketing import bisect, double_until_failure
from numerics.power_law_fit import fit_power_law, slope_of_rows, with_bootstrap_slopes
from numerics.recovery import DEFAULT_TOL, SOLVERS, generate_problems
from numerics.seeding import cell_generator, cell_seed_sequence
from numerics.solvers.registry import check_options
from numerics.statistics import fit_logistic_transition, logistic_midpoints
from numerics.sweep import SweepSpec, run_in_batches
from numerics.trials import SIGNAL_VALUES, recover_trials
from theory.capacity_functions import REFERENCE, capacity_ratio, for_signal
from theory.l1_phase_transition import SIGNALS
from theory.validation import InvalidParameter, check_choice, check_in_interval

EXPERIMENT = "capacity"
SUPPORTS = ("bernoulli", "fixed")
#: The exponents the fit is compared with: n ≈ m f(p) (the note) and n ≈ m² f(p) (its speculative variant).
CANDIDATE_EXPONENTS = {"linear (note: n = m f(p))": 1.0, "quadratic (n = m^2 f(p))": 2.0}
#: Largest n/m tried before a cell gives up bracketing.
MAX_RATIO = 4096
#: Fields of :class:`CapacityConfig` that only change the analysis: outside the sweep's configuration hash, so
#: changing them reanalyses the stored cells without computing them again.
ANALYSIS_FIELDS = ("n_bootstrap",)

#: Re-evaluations of a bracket end when the logistic 50% point falls outside the bracket.
REFINEMENTS = 4
BOOTSTRAP_INTERVAL = "trial-level (cluster) bootstrap: trials resampled in every evaluation, n_max and a refitted"


@dataclass(frozen=True)
class CapacityConfig:
    """Everything that determines a capacity sweep's numbers."""

    densities: tuple
    m_grid: tuple
    trials: int
    solver: str = "amp"
    signal: str = "signed"
    support: str = "bernoulli"
    tol: float = DEFAULT_TOL
    precision: float = 0.02
    batch: int = 10
    backend: str = "numpy"
    seed: int = 0
    n_bootstrap: int = 2000
    max_iter: int | None = None

    def __post_init__(self):
        if len(self.densities) == 0:
            raise InvalidParameter("densities", "must be a non-empty list of densities in (0, 1)")
        for density in self.densities:
            check_in_interval("densities", density, 0, 1)
        if len(self.m_grid) == 0:
            raise InvalidParameter("m_grid", "must be a non-empty list of whole numbers >= 2")
        for m in self.m_grid:
            if int(m) != m or m < 2:
                raise InvalidParameter("m_grid", f"must hold whole numbers >= 2, got {m}")
        if self.trials < 1:
            raise InvalidParameter("trials", f"must be >= 1, got {self.trials}")
        for name, value in (("batch", self.batch), ("max_iter", self.max_iter)):
            if value is not None and value < 1:
                raise InvalidParameter(name, f"must be >= 1, got {value}")
        check_choice("solver", self.solver, SOLVERS)
        check_options(self.solver, {"max_iter": self.max_iter})
        check_choice("signal", self.signal, SIGNALS)
        check_choice("support", self.support, SUPPORTS)
        check_in_interval("tol", self.tol, 0, math.inf)
        check_in_interval("precision", self.precision, 0, 1)
        object.__setattr__(self, "densities", tuple(sorted(set(float(p) for p in self.densities))))
        object.__setattr__(self, "m_grid", tuple(sorted(set(int(m) for m in self.m_grid))))

    def to_dict(self) -> dict:
        return {**asdict(self), "densities": list(self.densities), "m_grid": list(self.m_grid)}

    def spec(self) -> SweepSpec:
        cells = [{"density": density, "m": m} for density in self.densities for m in self.m_grid]
        config = {key: value for key, value in self.to_dict().items() if key not in ANALYSIS_FIELDS}
        return SweepSpec(EXPERIMENT, config, cells)

    @property
    def l1_function(self) -> str:
        """The name of f_ℓ1 for this signal model in :data:`theory.capacity_functions.REGISTRY`."""
        return for_signal(self.signal).key


def geometric_grid(low: int, high: int, points: int) -> list[int]:
    """``points`` whole numbers spaced geometrically from ``low`` to ``high`` (duplicates dropped).

    >>> geometric_grid(50, 400, 4)
    [50, 100, 200, 400]
    """
    return sorted({int(round(value)) for value in np.geomspace(low, high, points)})


def successes_at(settings: CapacityConfig, density: float, m: int, n: int, repeat: int = 0) -> int:
    """Successes among ``trials`` problems with m measurements, n features of density p.

    ``repeat`` > 0 draws a further, independent block of trials at the same n (a refinement of the bracket).
    """
    support = {"density": density} if settings.support == "bernoulli" else {"k": min(m, round(density * n))}
    extra = (repeat,) if repeat else ()

    def run_batch(start: int, size: int) -> int:
        seed = cell_seed_sequence(settings.seed, (EXPERIMENT, density, m, n, start, size, *extra))
        problems = generate_problems(seed, batch=size, m=m, n=n, **support, values=SIGNAL_VALUES[settings.signal],
                                     shared_matrix=True, backend=settings.backend)
        return int(recover_trials(settings, problems).success.sum())

    return sum(run_in_batches(run_batch, settings.trials, settings.batch))


class CellSearch:
    """The evaluations of one cell (n -> pooled [successes, trials]) and its bracket [low, high]: low succeeds in at
    least half of its pooled trials, high in fewer (n = m, a square system, is taken as recoverable)."""

    def __init__(self, settings: CapacityConfig, density: float, m: int):
        self.settings, self.density, self.m = settings, density, m
        self.counts = {}

    def succeeds(self, n: int) -> bool:
        """Evaluate ``trials`` more problems at n (a fresh block if n was evaluated before); pooled rate >= 50%."""
        successes, trials = self.counts.get(n, (0, 0))
        repeat = trials // self.settings.trials
        successes += successes_at(self.settings, self.density, self.m, n, *((repeat,) if repeat else ()))
        self.counts[n] = (successes, trials + self.settings.trials)
        return self.passes(n)

    def passes(self, n: int) -> bool:
        successes, trials = self.counts[n]
        return 2 * successes >= trials

    def bisect(self, low: int, high: int) -> tuple[int, int]:
        """:func:`numerics.bracketing.bisect` on this cell's evaluations, to the configured ``precision``."""
        return bisect(self.succeeds, low, high, precision=self.settings.precision)

    def fit(self):
        ns = sorted(self.counts)
        if len(ns) < 2:
            return None
        return fit_logistic_transition(ns, [self.counts[n][0] for n in ns], [self.counts[n][1] for n in ns])

    def evaluations(self) -> list:
        return [[n, *self.counts[n]] for n in sorted(self.counts)]


def usable(fit) -> bool:
    """A logistic fit whose 50% point can serve as n_max: the data cross 50% and success falls with n."""
    return fit is not None and fit.bracketed and fit.slope < 0 and math.isfinite(fit.midpoint)


def evaluate_cell(config: dict, coordinates: dict) -> dict:
    """Bracket and bisect for the largest n with success >= 50% at (p, m) (module-level, so Dask can ship it).

    n_max is the logistic 50% point over all evaluations. When it falls outside the final bracket [low, high], the
    endpoint on its side is evaluated again with ``trials`` fresh problems (pooled): if its verdict flips, the
    bracket moves to that side and bisection goes on there; at most :data:`REFINEMENTS` times. A cell whose n_max
    still lies outside says so (``n_max_inside_bracket``).
    """
    settings = CapacityConfig(**config)
    density, m = coordinates["density"], coordinates["m"]
    search = CellSearch(settings, density, m)
    low, high = double_until_failure(search.succeeds, m, 2 * m, limit=MAX_RATIO * m)
    if high is None:
        return {"bracketed": False, "bracket": [low, None], "n_max": None, "evaluations": search.evaluations()}
    low, high = search.bisect(low, high)
    refinements = 0
    fit = search.fit()
    while usable(fit) and not low <= fit.midpoint <= high and refinements < REFINEMENTS:
        refinements += 1
        if fit.midpoint < low and low in search.counts and not search.succeeds(low):
            high = low
            low = max([n for n in search.counts if n < high and search.passes(n)], default=m)
            low, high = search.bisect(low, high)
        elif fit.midpoint > high and search.succeeds(high):
            low = high
            above = [n for n in search.counts if n > low and not search.passes(n)]
            if above:
                high = min(above)
            else:
                low, high = double_until_failure(search.succeeds, low, 2 * low, limit=math.inf)
            low, high = search.bisect(low, high)
        fit = search.fit()
    inside = usable(fit) and low <= fit.midpoint <= high
    return {
        "bracketed": True, "bracket": [low, high], "n_max": fit.midpoint if usable(fit) else float(low),
        "n_max_method": "logistic 50% point" if usable(fit) else "bisection lower end (no usable logistic fit)",
        "n_max_inside_bracket": bool(inside or not usable(fit)), "refinements": refinements,
        "evaluations": search.evaluations(),
    }


def bootstrap_n_max(cells: list, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """n_max of ``replicates`` trial-level resamples of each cell, shape (replicates, cells).

    At each evaluated n of a cell its t trials are drawn again with replacement (Binomial(t, s/t) successes) and the
    logistic refitted (all cells and replicates in one vectorised fit); a resample without a usable fit takes the
    bracket's lower end, as the cell itself would.
    """
    width = max(len(cell["evaluations"]) for cell in cells)
    grid = np.zeros((len(cells), 3, width))
    for index, cell in enumerate(cells):
        columns = np.array(cell["evaluations"], dtype=float).T
        grid[index, :, : columns.shape[1]] = columns
        grid[index, 0, columns.shape[1]:] = columns[0, 0]  # padding: zero trials, ignored by the fit
    ns, successes, trials = (np.broadcast_to(grid[:, row], (replicates, *grid[:, row].shape)) for row in range(3))
    rate = np.divide(successes, trials, out=np.zeros_like(successes), where=trials > 0)
    resampled = rng.binomial(trials.astype(np.int64), rate)
    midpoints, slopes = logistic_midpoints(ns.reshape(-1, width), resampled.reshape(-1, width),
                                           trials.reshape(-1, width))
    midpoints, slopes = midpoints.reshape(replicates, len(cells)), slopes.reshape(replicates, len(cells))
    resampled_rate = np.where(trials > 0, resampled / np.maximum(trials, 1), np.nan)
    crossing = np.any(resampled_rate >= 0.5, axis=2) & np.any(resampled_rate <= 0.5, axis=2)
    fallback = np.array([float(cell["bracket"][0]) for cell in cells])
    return np.where(crossing & (slopes < 0) & np.isfinite(midpoints) & (midpoints > 0), midpoints, fallback)


@dataclass(frozen=True)
class DensityFit:
    """The power-law fit of n_max against m at one density, and the comparisons the issue asks for."""

    density: float
    m: list
    n_max: list
    fit: object
    f_l1: float
    f_note: float

    @property
    def ratio_at_largest_m(self) -> float:
        return self.n_max[-1] / self.m[-1] if self.m else math.nan

    def to_dict(self) -> dict:
        return {
            "density": self.density, "m": self.m, "n_max": self.n_max,
            "n_max_over_m": [n / m for n, m in zip(self.n_max, self.m)],
            "exponent": self.fit.to_dict() if self.fit else None,
            "candidates": {
                name: {"exponent": value, "inside_interval": bool(self.fit and self.fit.contains(value)),
                       "distance": abs(self.fit.exponent - value) if self.fit else None}
                for name, value in CANDIDATE_EXPONENTS.items()
            },
            "f_l1": self.f_l1, "f_note": self.f_note, "largest_m": self.m[-1] if self.m else None,
            "ratio_at_largest_m": self.ratio_at_largest_m,
            "relative_deviation_from_f_l1": self.ratio_at_largest_m / self.f_l1 - 1,
            "relative_deviation_from_f_note": self.ratio_at_largest_m / self.f_note - 1,
        }


@dataclass(frozen=True)
class CapacityAnalysis:
    config: CapacityConfig
    cells: list
    fits: list

    def to_dict(self) -> dict:
        return {
            "config": self.config.to_dict(),
            "success_rule": f"relative l2 error < {self.config.tol}",
            "support_model": ("Bernoulli(p): each feature active independently with probability p"
                              if self.config.support == "bernoulli" else "k = round(p n) active features"),
            "values": SIGNAL_VALUES[self.config.signal],
            "n_max_definition": "largest n with success >= 50% (logistic 50% point over the bracket-and-bisect "
                                "evaluations; a bracket end is re-evaluated when the point falls outside the bracket)",
            "exponent_intervals": {"ci": BOOTSTRAP_INTERVAL,
                                   "ols": "least squares on log n_max, t interval (independent normal errors)"},
            "cells": self.cells,
            "fits": [fit.to_dict() for fit in self.fits],
        }


def analyse(config: CapacityConfig, records: list) -> CapacityAnalysis:
    """Per density: n_max(m) in increasing m, the fit log n_max = a log m + c with its OLS interval and a
    trial-level (cluster) bootstrap interval (:func:`bootstrap_n_max` in every cell, then a refitted), f_ℓ1(p) and
    f_note(p). The bootstrap's generator derives from the master seed and the density."""
    cells = [{**record["coordinates"], **record["result"]} for record in records]
    fits = []
    for density in config.densities:
        row = sorted((cell for cell in cells if cell["density"] == density and cell["n_max"] is not None),
                     key=lambda cell: cell["m"])
        m = [cell["m"] for cell in row]
        n_max = [cell["n_max"] for cell in row]
        fit = None
        if len(set(m)) >= 2:
            fit = fit_power_law(m, n_max, n_bootstrap=0)
            if len(m) >= 3 and all(cell["evaluations"] and len(cell["evaluations"][0]) == 3 for cell in row):
                rng = cell_generator(config.seed, (EXPERIMENT, "bootstrap", density))
                replicates = bootstrap_n_max(row, config.n_bootstrap, rng)
                fit = with_bootstrap_slopes(fit, slope_of_rows(m, replicates), BOOTSTRAP_INTERVAL)
        fits.append(DensityFit(density, m, n_max, fit, capacity_ratio(density, config.l1_function),
                               capacity_ratio(density, REFERENCE.key)))
    return CapacityAnalysis(config, cells, fits)
