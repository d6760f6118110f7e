r"""Superposition capacity: features per neuron n/m = f(p) at feature density p = 1 - S.

Input from the literature (Elhage et al. 2022, "Toy Models of Superposition", the compressed-sensing
bound the note quotes): m neurons hold n features of density p only if

.. math:: m = \Omega\bigl(-n\, p \ln p\bigr), \qquad p = 1 - S.

Solving that bound for n/m gives the note's capacity function (derived here, not typed in)

.. math:: f_{\mathrm{note}}(p) = -\frac{1}{p \ln p},

positive on 0 < p < 1, strictly decreasing on the sparse branch 0 < p < 1/e, with its minimum e at p = 1/e.
Some copies of the note print n/m = 1/((1-S) log(1-S)) without the minus sign; that form is negative on the
whole of 0 < p < 1 (:func:`printed_sign_finding` proves it). The package reports this, it does not fix it silently.

The registry of capacity functions (this one and exact l1) is :mod:`theory.capacity_functions`; the comparison
of f_l1 with f_note is :mod:`theory.capacity_comparison`.

>>> f_note()
-1/(p*log(p))
>>> note_shape().critical_point, note_shape().minimum
(exp(-1), E)
>>> printed_sign_finding().negative_on_unit_interval
True
>>> round(f_note_value(0.1), 6)
4.342945
"""

import functools
import math
from dataclasses import dataclass

import sympy as sp

from theory import l1_phase_transition
from theory.validation import check_in_interval

#: Feature density p = 1 - S (S the sparsity): the fraction of inputs on which a feature is active
#: (one symbol with :mod:`theory.l1_phase_transition`, which defines it).
p = l1_phase_transition.density
#: Features n and neurons m of one layer.
n_features = sp.Symbol("n", positive=True)
m_neurons = sp.Symbol("m", positive=True)


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
