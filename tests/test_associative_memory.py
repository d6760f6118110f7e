"""theory.associative_memory: the Willshaw/Palm capacity ln 2 m^2/(log2 m)^2 and its exponents, derived."""

import math

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from theory.associative_memory import (
    active_units, asymptotic_capacity_value, derive_willshaw, expected_wrong_units_value, finite_capacity_value,
    local_exponent_value, m,
)
from theory.validation import InvalidParameter


def test_asymptotic_capacity_is_palms_ln2_m2_over_log2_m_squared():
    """Willshaw 1969 / Palm 1980: about ln 2 m^2/(log2 m)^2 pairs (facts.md section 5)."""
    literature = sp.log(2) * m**2 / (sp.log(m) / sp.log(2)) ** 2
    assert sp.simplify(derive_willshaw().asymptotic_capacity - literature) == 0


def test_local_exponent_is_two_minus_two_over_ln_m():
    assert sp.simplify(derive_willshaw().local_exponent - (2 - 2 / sp.log(m))) == 0
    assert derive_willshaw().exponent_limit == 2


def test_log_squared_correction_leaves_exponent_exactly_two():
    derivation = derive_willshaw()
    assert sp.simplify(derivation.corrected_capacity - sp.log(2) * m**2) == 0
    assert derivation.corrected_exponent == 2


def test_fill_at_capacity_tends_to_one_half_and_the_finite_capacity_to_the_asymptote():
    derivation = derive_willshaw()
    assert derivation.fill_limit == sp.Rational(1, 2)
    assert derivation.ratio_limit == 1


def test_palm_bits_per_synapse_is_ln2():
    """Palm (1980): about 0.69 bits per synapse."""
    assert derive_willshaw().bits_per_synapse == sp.log(2)
    assert float(derive_willshaw().bits_per_synapse) == pytest.approx(0.693, abs=1e-3)


@given(st.integers(min_value=2, max_value=60))
def test_local_exponent_is_below_two_and_increasing(log2_size):
    size = 2.0**log2_size
    assert local_exponent_value(size) < 2
    assert local_exponent_value(size) < local_exponent_value(2 * size)


@given(st.integers(min_value=16, max_value=1 << 20), st.floats(min_value=0.01, max_value=5))
def test_finite_capacity_meets_the_criterion_exactly(size, criterion):
    """M*(m, k, eps) solves (m - k) q(M)^k = eps: the expected wrong units at M* are eps."""
    k = active_units(size)
    capacity = finite_capacity_value(size, k, criterion)
    assert expected_wrong_units_value(capacity, size, k) == pytest.approx(criterion, rel=1e-6)


@given(st.integers(min_value=16, max_value=1 << 16), st.floats(min_value=0.01, max_value=2))
def test_finite_capacity_grows_with_the_tolerated_errors(size, criterion):
    k = active_units(size)
    assert finite_capacity_value(size, k, criterion) < finite_capacity_value(size, k, 2 * criterion)


@pytest.mark.parametrize("log2_size", [10, 20, 40])
def test_finite_capacity_approaches_the_asymptote(log2_size):
    size = 2**log2_size
    ratio = finite_capacity_value(size, log2_size) / asymptotic_capacity_value(size)
    assert abs(ratio - 1) < 3 / log2_size**2


def test_active_units_is_log2_m_rounded():
    assert [active_units(size) for size in (64, 100, 1024, 2048)] == [6, 7, 10, 11]
    assert active_units(math.e) == 1


@pytest.mark.parametrize("call, words", [
    (lambda: asymptotic_capacity_value(1), "m must be at least 2"),
    (lambda: local_exponent_value(-4), "m must be > 0"),
    (lambda: finite_capacity_value(64, 70), "k must lie in"),
    (lambda: finite_capacity_value(64, 6, 58), "max_wrong_units must lie in"),
])
def test_bad_values_name_the_parameter(call, words):
    with pytest.raises(InvalidParameter, match=words):
        call()
