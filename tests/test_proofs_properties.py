"""Hypothesis: every claim a lemma proves holds at random points of its domain.

The left side is evaluated numbers first (values substituted into the unevaluated formula, e.g. N(k d, n/k^2)
with k, d, n numbers, then evaluated by SymPy to 30 digits); the right side, the simplified symbolic result, is
lambdified with mpmath. Symbols are drawn from the claim's domain (in order, so an interval may depend on an
earlier symbol), else from what their assumptions allow.
"""

import functools

import mpmath
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs.catalogue import NAMES, by_name
from proofs.lemma import DEFINITION, PROVED_SYMBOLIC

#: Where a symbol without a domain is drawn: positive symbols from (0.05, 20), real ones from (-3, 3).
POSITIVE_RANGE = (0.05, 20.0)
REAL_RANGE = (-3.0, 3.0)
#: Relative margin kept from an open interval's ends.
MARGIN = 1e-6


def proved_claims(name):
    """The claims of the steps SymPy proved or that restate a definition (Z3's steps carry their own query)."""
    return [step.claim for step in by_name(name).check().steps
            if step.status in (PROVED_SYMBOLIC, DEFINITION) and step.claim is not None]


@functools.cache
def numeric(claim):
    """The claim's free symbols (sorted) and its right side lambdified with mpmath."""
    symbols = sorted(claim.lhs.free_symbols | claim.rhs.free_symbols, key=str)
    return symbols, sp.lambdify(symbols, claim.rhs, "mpmath")


def draw_values(data, claim, symbols):
    """A point of the claim's domain: bounded intervals drawn inside, unbounded ones up to 20 past the end."""
    values, domain = {}, dict(claim.domain)
    for symbol in [symbol for symbol, _ in claim.domain] + [s for s in symbols if s not in domain]:
        if symbol in domain:
            interval = domain[symbol].subs(values)
            low = float(interval.inf)
            high = float(interval.sup) if interval.sup.is_finite else low + 20.0
        else:
            low, high = POSITIVE_RANGE if symbol.is_positive else REAL_RANGE
        width = high - low
        values[symbol] = data.draw(st.floats(low + MARGIN * width, high - MARGIN * width), label=str(symbol))
    return [mpmath.mpf(values[symbol]) for symbol in symbols]


def real(value):
    """A SymPy or mpmath number as a real mpf (asserting a negligible imaginary part)."""
    if isinstance(value, sp.Expr):
        real_part, imaginary_part = (mpmath.mpf(str(part.evalf(30))) for part in value.as_real_imag())
        value = mpmath.mpc(real_part, imaginary_part)
    value = mpmath.mpmathify(value)
    if isinstance(value, mpmath.mpc):
        assert abs(value.imag) <= 1e-12 * max(1.0, abs(value)), value
        return value.real
    return value


def claim_holds(claim, values) -> bool:
    """The claim's relation between its numbers-first left side and lambdified right side (equality to 1e-9)."""
    symbols, right = numeric(claim)
    lhs = real(claim.lhs.subs(dict(zip(symbols, values))).doit())
    rhs = real(right(*values))
    if claim.relation == "=":
        return mpmath.almosteq(lhs, rhs, rel_eps=1e-9, abs_eps=1e-12)
    return {"<": lhs < rhs, ">": lhs > rhs, "<=": lhs <= rhs, ">=": lhs >= rhs}[claim.relation]


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_proved_claims_hold_at_random_points(name, data):
    for claim in proved_claims(name):
        values = draw_values(data, claim, numeric(claim)[0])
        assert claim_holds(claim, values), (claim.text(), values)


@given(data=st.data())
def test_the_harness_rejects_a_false_claim(data):
    from proofs.capacity_lemmas import SPARSE_BRANCH, p
    from proofs.lemma import Claim
    from theory.capacity import f_note

    increasing = Claim(sp.diff(f_note(p), p), ">", sp.Integer(0), ((p, SPARSE_BRANCH),))
    assert not claim_holds(increasing, draw_values(data, increasing, numeric(increasing)[0]))
