"""Capacity n/m = f(p): the note's -1/(p ln p), its misprinted sign, and the exact l1 capacity against it."""

import math

import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from theory.capacity import f_note, f_note_printed, f_note_value, note_shape, p, printed_sign_finding
from theory.capacity_comparison import l1_note_ratio_peak, small_density_comparison
from theory.capacity_functions import CAPACITY_FUNCTIONS, capacity_ratio
from theory.validation import InvalidParameter

sparse_densities = st.floats(min_value=1e-12, max_value=math.exp(-1), exclude_min=True, exclude_max=True)
unit_densities = st.floats(min_value=1e-12, max_value=1 - 1e-9)


def test_f_note_is_elhages_bound_solved_for_n_over_m():
    assert sp.simplify(f_note() - (-1 / (p * sp.log(p)))) == 0


def test_the_printed_form_is_negative_on_the_whole_unit_interval():
    finding = printed_sign_finding()
    assert finding.negative_set == sp.Interval.open(0, 1)
    assert finding.chart_is_negative is True
    assert finding.ratio_to_derived == -1
    assert finding.negative_on_unit_interval


@given(density=unit_densities)
def test_printed_form_is_negative_and_f_note_positive_at_any_density(density):
    assert float(f_note_printed(density)) < 0 < f_note_value(density)


def test_f_note_minimum_is_e_at_one_over_e():
    shape = note_shape()
    assert shape.critical_point == sp.exp(-1)
    assert shape.minimum == sp.E
    assert shape.decreasing_on == sp.Interval.open(0, sp.exp(-1))
    assert (shape.limit_at_zero, shape.limit_at_one) == (sp.oo, sp.oo)


@given(first=sparse_densities, second=sparse_densities)
def test_f_note_strictly_decreasing_on_the_sparse_branch(first, second):
    assume(first < second * (1 - 1e-9))
    assert f_note_value(first) > f_note_value(second)


@given(density=unit_densities)
def test_f_note_is_at_least_e(density):
    assert f_note_value(density) >= math.e * (1 - 1e-15)


@given(numerator=st.integers(1, 999), denominator=st.integers(1000, 10**6))
def test_symbolic_and_lambdified_f_note_agree(numerator, denominator):
    density = sp.Rational(numerator, denominator)
    assert f_note_value(float(density)) == pytest.approx(float(f_note(density).evalf(30)), rel=1e-13)


@pytest.mark.parametrize("density", [0.0, 1.0, -0.1, 1.5, float("nan")])
@pytest.mark.parametrize("function", CAPACITY_FUNCTIONS)
def test_density_outside_the_unit_interval_is_refused(density, function):
    with pytest.raises(InvalidParameter, match="p must lie in"):
        capacity_ratio(density, function)


def test_unknown_capacity_function_is_refused():
    with pytest.raises(InvalidParameter, match="function must be one of"):
        capacity_ratio(0.1, "hopfield")


l1_functions = st.sampled_from(["l1-signed", "l1-nonneg"])


@given(density=st.floats(min_value=1e-300, max_value=1 - 1e-9), function=l1_functions)
def test_f_l1_is_below_f_note_on_the_whole_unit_interval(density, function):
    """f_l1 < f_note for every p in [1e-300, 1): the ratio peaks below 1 and tends to 1/2 (p -> 0) and 0 (p -> 1)."""
    assert capacity_ratio(density, function) < f_note_value(density)


@pytest.mark.parametrize("function, ratio, density", [("l1-signed", 0.7524, 0.0130), ("l1-nonneg", 0.8996, 0.0339)])
def test_f_l1_over_f_note_peaks_below_one(function, ratio, density):
    peak = l1_note_ratio_peak(function)
    assert peak.ratio == pytest.approx(ratio, abs=1e-4)
    assert peak.density == pytest.approx(density, rel=1e-2)


@pytest.mark.parametrize("function", ["l1-signed", "l1-nonneg"])
def test_small_density_constant_is_one_half_and_approached_from_above(function):
    comparison = small_density_comparison(function)
    assert comparison.constant == sp.Rational(1, 2)
    ratios = [ratio for _, ratio in comparison.ratios]
    assert all(later < earlier for earlier, later in zip(ratios, ratios[1:]))
    assert 0.5 < ratios[-1] < 0.51


def test_f_l1_reference_value_from_dmm():
    """rho(0.5) = 0.3848 (DMM 2009, signed) means p = 0.5 rho(0.5) holds n/m = 2 features per neuron."""
    from theory.l1_phase_transition import rho_l1

    assert capacity_ratio(0.5 * rho_l1(0.5), "l1-signed") == pytest.approx(2, rel=1e-10)
