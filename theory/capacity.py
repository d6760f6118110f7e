r"""Superposition capacity: features per neuron n/m = f(p) at feature density p = 1 - S.

Input from the literature (Elhage et al. 2022, "Toy Models of Superposition", the compressed-sensing
bound the note quotes): m neurons hold n features of density p only if

.. math:: m = \Omega\bigl(-n\, p \ln p\bigr), \qquad p = 1 - S.

Solving that bound for n/m gives the note's capacity function (derived here, not typed in)

.. math:: f_{\mathrm{note}}(p) = -\frac{1}{p \ln p},

positive on 0 < p < 1, strictly decreasing on the sparse branch 0 < p < 1/e, with its minimum e at p = 1/e.
Some copies of the note print n/m = 1/((1-S) log(1-S)) without the minus sign; that form is negative on the
whole of 0 < p < 1 (:func:`printed_sign_finding` proves it). The package reports this, it does not fix it silently.

Against the exact l1 (basis pursuit) capacity f_l1 of :mod:`theory.l1_phase_transition`: f_l1/f_note tends to 1/2
as p -> 0 (SymPy, from f_l1's small-p form; :func:`small_density_comparison`), very slowly (0.75 at p = 0.01,
0.51 at p = 1e-256 for signed features), and tends to 0 as p -> 1. Its maximum over the whole interval is
about 0.752 (signed, at p = 0.013) and 0.900 (nonnegative, at p = 0.034) (:func:`l1_note_ratio_peak`), so
f_l1 < f_note on all of 0 < p < 1: the note's function is an upper bound on what l1 recovery achieves.

>>> f_note()
-1/(p*log(p))
>>> note_shape().critical_point, note_shape().minimum
(exp(-1), E)
>>> printed_sign_finding().negative_on_unit_interval
True
>>> round(capacity_ratio(0.1, "note"), 6)
4.342945
"""

import functools
import math
from dataclasses import dataclass

import numpy as np
import scipy.optimize
import sympy as sp

from theory import l1_phase_transition
from theory.l1_phase_transition import f_l1, f_l1_asymptotic
from theory.validation import check_choice, check_in_interval

#: Feature density p = 1 - S (S the sparsity): the fraction of inputs on which a feature is active
#: (one symbol with :mod:`theory.l1_phase_transition`, which defines it).
p = l1_phase_transition.density
#: Features n and neurons m of one layer.
n_features = sp.Symbol("n", positive=True)
m_neurons = sp.Symbol("m", positive=True)

#: Capacity functions the package knows: the note's, and exact l1 (basis pursuit) for signed / nonnegative features.
CAPACITY_FUNCTIONS = ("note", "l1-signed", "l1-nonneg")
#: The phase-transition signal model behind each l1 capacity function (theory.l1_phase_transition.SIGNALS).
L1_SIGNALS = {"l1-signed": "signed", "l1-nonneg": "nonneg"}
#: Short name of each capacity function for tables.
CAPACITY_LABELS = {"note": "f_note", "l1-signed": "f_l1 signed", "l1-nonneg": "f_l1 nonneg"}


def elhage_bound(n, m, density):
    """The compressed-sensing bound m = -n p ln p at equality (Elhage et al. 2022, as quoted by the note): an input."""
    return sp.Eq(m, -n * density * sp.log(density))


@functools.cache
def _derived_f_note() -> sp.Expr:
    """n/m solved from :func:`elhage_bound`."""
    (n_solution,) = sp.solve(elhage_bound(n_features, m_neurons, p), n_features)
    return sp.simplify(n_solution / m_neurons)


def f_note(density=p) -> sp.Expr:
    """The note's capacity n/m = -1/(p ln p), at ``density`` (the symbol p by default, or a number).

    >>> f_note(sp.Rational(1, 10))
    10/log(10)
    """
    return _derived_f_note().subs(p, density)


def f_note_printed(density=p) -> sp.Expr:
    """The form some copies of the note print, n/m = 1/((1-S) log(1-S)) = 1/(p ln p): a transcription, under test.

    >>> sp.simplify(f_note_printed() / f_note())
    -1
    """
    return 1 / (density * sp.log(density))


@dataclass(frozen=True)
class SignFinding:
    """The printed capacity's sign on 0 < p < 1, proved two ways.

    ``negative_set`` is SymPy's solution set of f_printed(p) < 0 on (0, 1); ``chart`` is f_printed at
    p = exp(-u) with u > 0 (a chart of the whole interval), whose sign SymPy decides from the assumptions alone.
    """

    printed: sp.Expr
    negative_set: sp.Set
    chart: sp.Expr
    chart_is_negative: bool
    ratio_to_derived: sp.Expr

    @property
    def negative_on_unit_interval(self) -> bool:
        return self.negative_set == sp.Interval.open(0, 1) and self.chart_is_negative is True


@functools.cache
def printed_sign_finding() -> SignFinding:
    """Prove that the printed 1/(p ln p) is negative for every 0 < p < 1 (so it cannot be a capacity)."""
    printed = f_note_printed()
    u = sp.Symbol("u", positive=True)
    chart = sp.simplify(printed.subs(p, sp.exp(-u)))
    return SignFinding(
        printed=printed,
        negative_set=sp.solveset(printed < 0, p, sp.Interval.open(0, 1)),
        chart=chart,
        chart_is_negative=chart.is_negative,
        ratio_to_derived=sp.simplify(printed / f_note()),
    )


@dataclass(frozen=True)
class NoteShape:
    """Where f_note decreases and its minimum: the sparse branch 0 < p < 1/e ends at the critical point."""

    derivative: sp.Expr
    critical_point: sp.Expr
    minimum: sp.Expr
    decreasing_on: sp.Set
    limit_at_zero: sp.Expr
    limit_at_one: sp.Expr


@functools.cache
def note_shape() -> NoteShape:
    """Derivative, critical point, minimum value and the interval where f_note decreases, all by SymPy."""
    f = f_note()
    derivative = sp.factor(sp.diff(f, p))
    (critical_point,) = sp.solveset(derivative, p, sp.Interval.open(0, 1))
    return NoteShape(
        derivative=derivative,
        critical_point=critical_point,
        minimum=sp.simplify(f.subs(p, critical_point)),
        decreasing_on=sp.solveset(derivative < 0, p, sp.Interval.open(0, 1)),
        limit_at_zero=sp.limit(f, p, 0, "+"),
        limit_at_one=sp.limit(f, p, 1, "-"),
    )


def sparse_branch_end() -> float:
    """The end 1/e of the sparse branch, as a float (derived by :func:`note_shape`)."""
    return float(note_shape().critical_point)


_f_note_numeric = sp.lambdify(p, _derived_f_note(), "math")


def f_note_value(density: float) -> float:
    """f_note at a float density in (0, 1) (the lambdified symbolic form).

    >>> round(f_note_value(math.exp(-1)), 12) == round(math.e, 12)
    True
    """
    check_in_interval("p", density, 0, 1)
    return float(_f_note_numeric(density))


def capacity_ratio(density: float, function: str = "note") -> float:
    """Features per neuron n/m at density p in (0, 1) for a capacity function of :data:`CAPACITY_FUNCTIONS`.

    ``"l1-signed"`` and ``"l1-nonneg"`` are the exact basis-pursuit capacities 1/delta* with
    delta* rho(delta*) = p (:func:`theory.l1_phase_transition.f_l1`).
    """
    check_choice("function", function, CAPACITY_FUNCTIONS)
    check_in_interval("p", density, 0, 1)
    if function == "note":
        return f_note_value(density)
    return float(f_l1(density, L1_SIGNALS[function]))


def l1_note_ratio(density: float, function: str = "l1-signed") -> float:
    """f_l1(p) / f_note(p) at a float density in (0, 1), for ``function`` ``"l1-signed"`` or ``"l1-nonneg"``."""
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
    """lim_{p->0} f_l1/f_note by SymPy from f_l1's small-p form, and the exact ratio f_l1/f_note at ``densities``.

    >>> small_density_comparison("l1-nonneg").constant
    1/2
    """
    check_choice("function", function, tuple(L1_SIGNALS))
    asymptotic = f_l1_asymptotic(p, L1_SIGNALS[function])
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
    """Maximise f_l1(p)/f_note(p) over p in [1e-300, 1): a log-spaced scan, then a bounded refinement.

    The ratio tends to 1/2 as p -> 0 (:func:`small_density_comparison`) and to 0 as p -> 1 (f_l1 -> 1 while
    f_note -> oo), so the scan's range holds the maximum.

    >>> peak = l1_note_ratio_peak("l1-signed")
    >>> round(peak.ratio, 4), round(peak.density, 3)
    (0.7524, 0.013)
    """
    check_choice("function", function, tuple(L1_SIGNALS))

    def ratio(log_density):
        return l1_note_ratio(float(np.exp(log_density)), function)

    grid = np.linspace(np.log(1e-300), np.log1p(-1e-9), 400)
    best = int(np.argmax([ratio(point) for point in grid]))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    refined = scipy.optimize.minimize_scalar(lambda x: -ratio(x), bounds=(low, high), method="bounded",
                                             options={"xatol": 1e-10})
    return RatioPeak(function, float(np.exp(refined.x)), float(-refined.fun))
