r"""Binary associative memory: a capacity set by the number of weights, not of neurons.

Inputs, the model of Willshaw, Buneman & Longuet-Higgins (1969, *Nature* 222:960) as analysed by Palm
(1980, *Biol. Cybern.* 36:19):

* an m x m binary weight matrix stores M pairs (x, y) of patterns with exactly k of m units active,
  drawn independently and uniformly;
* clipped Hebbian storage: W_ij = 1 iff some stored pair has y_i = x_j = 1, so one pair sets a given
  synapse with probability a = (k/m)^2 and after M pairs a synapse is set with probability (the *fill*)
  q = 1 - (1 - a)^M;
* threshold retrieval: output unit i fires iff all k active cue units reach it. The stored y always
  fires; each of the m - k other units fires wrongly iff its k synapses from the cue are set, with
  probability q^k when those synapses are treated as independent (Willshaw 1969), so the expected number
  of wrong units is (m - k) q^k. (The fill varies from row to row; since q -> q^k is convex, by Jensen's
  inequality that variation only adds wrong units, so a measured capacity lies at or below this prediction.)

Derived here with SymPy (:func:`derive_willshaw`), not typed in:

* the capacity at a retrieval criterion of at most epsilon wrong units on average,
  M*(m, k, epsilon) = ln(1 - (epsilon/(m - k))^(1/k)) / ln(1 - k^2/m^2);
* with k = log2 m active units and epsilon = 1 the fill at capacity tends to 1/2, and to leading order in
  k^2/m^2 the capacity is

  .. math:: M^* \sim \ln 2\, \frac{m^2}{(\log_2 m)^2},

  whose ratio to M* tends to 1;
* its local exponent d ln M / d ln m = 2 - 2/ln m (below 2 at every finite m, tending to 2), while the
  corrected capacity M (log2 m)^2 = ln 2 m^2 has exponent exactly 2;
* M* k log2 m bits (the leading order of log2 binom(m, k) per stored y) in m^2 synapses: ln 2 = 0.69 bits
  per synapse.

>>> derive_willshaw().asymptotic_capacity
m**2*log(2)**3/log(m)**2
>>> derive_willshaw().local_exponent
2 - 2/log(m)
>>> derive_willshaw().corrected_exponent, derive_willshaw().fill_limit, derive_willshaw().bits_per_synapse
(2, 1/2, log(2))
>>> round(asymptotic_capacity_value(1024), 3)
7268.175
>>> active_units(1024), active_units(100)
(10, 7)
"""

import functools
import math
from dataclasses import dataclass

import sympy as sp
from sympy.codegen.cfunctions import log1p

from theory.capacity import m_neurons as m
from theory.validation import InvalidParameter, check_in_interval, check_positive

#: Active units per pattern k, stored pairs M, fill q, retrieval criterion epsilon (mean wrong units),
#: and a = (k/m)^2, the probability that one pair sets a given synapse.
k_active = sp.Symbol("k_active", positive=True)
pairs = sp.Symbol("M", positive=True)
fill = sp.Symbol("q", positive=True)
epsilon = sp.Symbol("epsilon_wrong", positive=True)
set_probability = sp.Symbol("a_set", positive=True)

#: The number of active units per pattern that the capacity formula assumes: k = log2 m.
LOG2_M = sp.log(m) / sp.log(2)


def fill_after(stored=pairs, size=m, active=k_active) -> sp.Expr:
    """q = 1 - (1 - (k/m)^2)^M: the fraction of synapses set after M pairs (clipped Hebbian storage)."""
    return 1 - (1 - (active / size) ** 2) ** stored


def expected_wrong_units(current_fill=fill, size=m, active=k_active) -> sp.Expr:
    """(m - k) q^k: silent output units that reach threshold, synapses treated as independent (Willshaw 1969)."""
    return (size - active) * current_fill**active


@dataclass(frozen=True)
class WillshawDerivation:
    """Every step from the model to ln 2 m^2/(log2 m)^2 and its exponents (see the module docstring)."""

    fill_at_criterion: sp.Expr
    pairs_at_fill: sp.Expr
    capacity: sp.Expr
    fill_limit: sp.Expr
    asymptotic_capacity: sp.Expr
    ratio_limit: sp.Expr
    local_exponent: sp.Expr
    exponent_limit: sp.Expr
    corrected_capacity: sp.Expr
    corrected_exponent: sp.Expr
    bits_per_synapse: sp.Expr


def _log_slope(expr) -> sp.Expr:
    """d ln expr / d ln m."""
    return sp.simplify(m * sp.diff(sp.log(expr), m))


@functools.cache
def derive_willshaw() -> WillshawDerivation:
    """Solve the criterion for the fill, the fill for M, and take the large-m limits with k = log2 m, epsilon = 1."""
    (fill_at_criterion,) = sp.solve(sp.Eq(expected_wrong_units(), epsilon), fill)
    (pairs_at_fill,) = sp.solve(sp.Eq(1 - (1 - set_probability) ** pairs, fill), pairs)
    capacity = pairs_at_fill.subs({fill: fill_at_criterion, set_probability: k_active**2 / m**2})
    at_log2_m = {epsilon: 1, k_active: LOG2_M}
    fill_limit = sp.limit(fill_at_criterion.subs(at_log2_m), m, sp.oo)
    leading_order = sp.limit(pairs_at_fill * set_probability, set_probability, 0) / set_probability
    asymptotic = sp.simplify(leading_order.subs({fill: fill_limit, set_probability: k_active**2 / m**2}).subs(at_log2_m))
    corrected = sp.simplify(asymptotic * LOG2_M**2)
    local_exponent = _log_slope(asymptotic)
    return WillshawDerivation(
        fill_at_criterion=fill_at_criterion,
        pairs_at_fill=pairs_at_fill,
        capacity=capacity,
        fill_limit=fill_limit,
        asymptotic_capacity=asymptotic,
        ratio_limit=sp.limit(capacity.subs(at_log2_m) / asymptotic, m, sp.oo),
        local_exponent=local_exponent,
        exponent_limit=sp.limit(local_exponent, m, sp.oo),
        corrected_capacity=corrected,
        corrected_exponent=_log_slope(corrected),
        bits_per_synapse=sp.simplify(asymptotic * LOG2_M * LOG2_M / m**2),
    )


def _with_log1p(expr) -> sp.Expr:
    """ln(x) written as log1p(x - 1): ln(1 - k^2/m^2) stays accurate where k^2/m^2 is below the float epsilon."""
    return expr.replace(lambda part: isinstance(part, sp.log), lambda part: log1p(sp.expand(part.args[0] - 1)))


def _as_exponential(expr) -> sp.Expr:
    """(1 - a)^M written as exp(M ln(1 - a)), so that :func:`_with_log1p` can keep it accurate for tiny a."""
    return expr.replace(lambda part: part.is_Pow and part.exp == pairs, lambda part: sp.exp(part.exp * sp.log(part.base)))


@functools.cache
def _numeric():
    derivation = derive_willshaw()
    return {
        "asymptotic": sp.lambdify(m, derivation.asymptotic_capacity, "math"),
        "local_exponent": sp.lambdify(m, derivation.local_exponent, "math"),
        "capacity": sp.lambdify((m, k_active, epsilon), _with_log1p(derivation.capacity), "math"),
        "wrong_units": sp.lambdify((pairs, m, k_active), _with_log1p(_as_exponential(expected_wrong_units(fill_after()))),
                                   "math"),
    }


def _check_size(size) -> float:
    check_positive("m", size)
    if size < 2:
        raise InvalidParameter("m", f"must be at least 2 units, got {size}")
    return float(size)


def asymptotic_capacity_value(size: float) -> float:
    """ln 2 m^2 / (log2 m)^2 at a number m >= 2 (the lambdified :attr:`WillshawDerivation.asymptotic_capacity`)."""
    return float(_numeric()["asymptotic"](_check_size(size)))


def local_exponent_value(size: float) -> float:
    """2 - 2/ln m at a number m >= 2: the slope of ln 2 m^2/(log2 m)^2 on a log-log plot at m.

    >>> round(local_exponent_value(math.e**2), 12)
    1.0
    """
    return float(_numeric()["local_exponent"](_check_size(size)))


def finite_capacity_value(size: int, active: int, max_wrong_units: float = 1.0) -> float:
    """M*(m, k, epsilon): pairs at which the expected wrong units (m - k) q^k reach epsilon.

    >>> round(finite_capacity_value(1024, 10), 1)
    7278.1
    """
    size = _check_size(size)
    check_in_interval("k", active, 0, size)
    check_in_interval("max_wrong_units", max_wrong_units, 0, size - active)
    return float(_numeric()["capacity"](size, float(active), float(max_wrong_units)))


def expected_wrong_units_value(stored: float, size: int, active: int) -> float:
    """(m - k) q^k after ``stored`` pairs, q = 1 - (1 - k^2/m^2)^M.

    >>> round(expected_wrong_units_value(finite_capacity_value(256, 8, 0.5), 256, 8), 12)
    0.5
    """
    return float(_numeric()["wrong_units"](float(stored), _check_size(size), float(active)))


def active_units(size: int) -> int:
    """k = log2 m rounded to the nearest whole number (at least 1): the active units per pattern."""
    return max(1, round(math.log2(_check_size(size))))
