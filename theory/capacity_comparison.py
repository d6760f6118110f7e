r"""Each capacity function against the reference f_note: the ratio f/f_note, its limit as p -> 0 and its peak.

For the exact l1 (basis pursuit) capacity f_l1 of :mod:`theory.l1_phase_transition`: f_l1/f_note tends to 1/2
as p -> 0 (SymPy, from f_l1's small-p form; :func:`small_density_comparison`), very slowly (0.75 at p = 0.01,
0.51 at p = 1e-256 for signed features), and tends to 0 as p -> 1. Its maximum over the whole interval is
about 0.752 (signed, at p = 0.013) and 0.900 (nonnegative, at p = 0.034) (:func:`l1_note_ratio_peak`), so
f_l1 < f_note on all of 0 < p < 1: the note's function is an upper bound on what l1 recovery achieves.

The functions compared are those of :data:`theory.capacity_functions.REGISTRY` with a small-p form.
"""

import functools
from dataclasses import dataclass

import numpy as np
import scipy.optimize
import sympy as sp

from theory.capacity import f_note, f_note_value, p
from theory.capacity_functions import REGISTRY, capacity_ratio
from theory.validation import check_choice

#: The functions with a small-p form, compared with f_note as p -> 0.
COMPARED = tuple(key for key, function in REGISTRY.items() if function.small_density_form is not None)


def l1_note_ratio(density: float, function: str = "l1-signed") -> float:
    """f(p) / f_note(p) at a float density in (0, 1), for ``function`` one of :data:`COMPARED`."""
    return capacity_ratio(density, function) / f_note_value(density)


#: Densities at which the small-p comparison evaluates f_l1 / f_note (the approach to the limit is logarithmic).
SMALL_DENSITIES = (1e-2, 1e-4, 1e-8, 1e-16, 1e-64, 1e-256)


@dataclass(frozen=True)
class SmallDensityComparison:
    """f_l1 against f_note as p -> 0: the l1 asymptotic form, the limit of its ratio to f_note, and numbers."""

    function: str
    asymptotic: sp.Expr
    constant: sp.Expr
    ratios: tuple


@functools.cache
def small_density_comparison(function: str = "l1-signed", densities=SMALL_DENSITIES) -> SmallDensityComparison:
    """lim_{p->0} f/f_note by SymPy from f's small-p form, and the exact ratio f/f_note at ``densities``.

    >>> small_density_comparison("l1-nonneg").constant
    1/2
    """
    check_choice("function", function, COMPARED)
    asymptotic = REGISTRY[function].small_density_form(p)
    constant = sp.limit(asymptotic / f_note(), p, 0, "+")
    ratios = tuple((density, l1_note_ratio(density, function)) for density in densities)
    return SmallDensityComparison(function, asymptotic, constant, ratios)


@dataclass(frozen=True)
class RatioPeak:
    """The largest f_l1/f_note over 0 < p < 1 and where it is; below 1 means f_l1 < f_note on the whole interval."""

    function: str
    density: float
    ratio: float


@functools.cache
def l1_note_ratio_peak(function: str = "l1-signed") -> RatioPeak:
    """Maximise f(p)/f_note(p) over p in [1e-300, 1): a log-spaced scan, then a bounded refinement.

    The ratio tends to 1/2 as p -> 0 (:func:`small_density_comparison`) and to 0 as p -> 1 (f_l1 -> 1 while
    f_note -> oo), so the scan's range holds the maximum.

    >>> peak = l1_note_ratio_peak("l1-signed")
    >>> round(peak.ratio, 4), round(peak.density, 3)
    (0.7524, 0.013)
    """
    check_choice("function", function, COMPARED)

    def ratio(log_density):
        return l1_note_ratio(float(np.exp(log_density)), function)

    grid = np.linspace(np.log(1e-300), np.log1p(-1e-9), 400)
    best = int(np.argmax([ratio(point) for point in grid]))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    refined = scipy.optimize.minimize_scalar(lambda x: -ratio(x), bounds=(low, high), method="bounded",
                                             options={"xatol": 1e-10})
    return RatioPeak(function, float(np.exp(refined.x)), float(-refined.fun))
