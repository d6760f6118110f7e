"""The ℓ1 phase transition rho(delta) of Donoho, Maleki & Montanari (2009) and the capacity f_l1(p) it implies."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from theory.l1_phase_transition import (
    SIGNALS,
    asymptotic_constant,
    delta,
    density,
    dmm_objective,
    f_l1,
    f_l1_asymptotic,
    parametric_curve,
    rho_l1,
    rho_l1_asymptotic,
    small_delta_constant,
    transition_density,
    transition_sparsity,
    transition_undersampling,
)
from theory.soft_threshold_minimax import KAPPA, kappa, lambdified, threshold
from theory.validation import InvalidParameter

signals = st.sampled_from(SIGNALS)
deltas = st.floats(min_value=1e-6, max_value=1.0)
densities = st.floats(min_value=1e-8, max_value=1.0)


# --- reference values (DMM 2009, Fig. 1 / the Donoho–Tanner weak threshold) ---------------------------------------

@pytest.mark.parametrize(
    ("undersampling", "signal", "published"),
    [(0.5, "signed", 0.386), (0.5, "nonneg", 0.558), (0.19, "signed", 0.238)],
)
def test_rho_matches_published_values(undersampling, signal, published):
    assert rho_l1(undersampling, signal) == pytest.approx(published, abs=1e-3)


@pytest.mark.parametrize("signal", SIGNALS)
@pytest.mark.parametrize("undersampling", [1e-12, 0.01, 0.19, 0.5, 0.9, 0.999])
def test_rho_to_near_machine_precision_against_40_digit_solution(undersampling, signal):
    """The same parametric equations solved with mpmath at 40 digits agree to a few ulps."""
    kap = KAPPA[signal]
    curve = transition_undersampling().subs(kappa, kap).rewrite(sp.erfc)
    guess = math.sqrt(2 * math.log(1 / undersampling)) if undersampling < 0.1 else 0.5
    z = sp.nsolve(sp.log(curve / sp.Rational(repr(undersampling))), threshold, guess, prec=40)
    exact = transition_sparsity().rewrite(sp.erfc).subs(threshold, z).evalf(40)
    assert rho_l1(undersampling, signal) == pytest.approx(float(exact), rel=1e-13)


# --- the formula: rho is the maximum of DMM eq. 5 ----------------------------------------------------------------

@given(undersampling=st.floats(min_value=1e-3, max_value=0.999), signal=signals)
def test_rho_is_the_maximum_of_eq_5(undersampling, signal):
    objective = lambdified(dmm_objective().subs(delta, undersampling), threshold, kappa)
    kap = KAPPA[signal]
    best = minimize_scalar(lambda z: -objective(z, kap), bounds=(1e-9, 12.0), method="bounded",
                           options={"xatol": 1e-12})
    grid = objective(np.linspace(1e-6, 12.0, 20001), kap)
    assert rho_l1(undersampling, signal) == pytest.approx(-best.fun, abs=1e-9)
    assert rho_l1(undersampling, signal) >= grid.max() - 1e-13


def test_stationarity_condition_holds_on_the_parametric_curve():
    derivative = sp.diff(dmm_objective(), threshold).subs(delta, transition_undersampling())
    assert sp.simplify(derivative) == 0


def test_rho_of_threshold_does_not_depend_on_kappa():
    assert kappa not in transition_sparsity().free_symbols
    assert sp.simplify(transition_density() - transition_undersampling() * transition_sparsity()) == 0


@given(z=st.floats(min_value=0.0, max_value=30.0), signal=signals)
def test_symbolic_and_lambdified_forms_agree(z, signal):
    kap = KAPPA[signal]
    for expression in (transition_undersampling(), transition_sparsity(), transition_density()):
        exact = expression.rewrite(sp.erfc).subs({threshold: sp.Float(z, 30), kappa: kap}).evalf(30)
        assert float(lambdified(expression, threshold, kappa)(z, kap)) == pytest.approx(float(exact), rel=1e-12)


@given(z=st.floats(min_value=1e-6, max_value=20.0), signal=signals)
def test_parametric_curve_agrees_with_rho_l1(z, signal):
    """Round trip z -> delta(z) -> rho_l1. Near z = 0, delta(z) = 1 - O(z^2) rounds away digits of z: allow eps/z."""
    (undersampling,), (sparsity,) = parametric_curve(np.array([z]), signal)
    assert rho_l1(undersampling, signal) == pytest.approx(sparsity, rel=1e-13, abs=1e-15 / z)


# --- properties of rho -------------------------------------------------------------------------------------------

@given(a=deltas, b=deltas, signal=signals)
def test_rho_increasing_in_delta(a, b, signal):
    low, high = sorted((a, b))
    assert rho_l1(low, signal) <= rho_l1(high, signal)
    if high > low * (1 + 1e-9):
        assert rho_l1(low, signal) < rho_l1(high, signal)


@given(undersampling=st.floats(min_value=1e-298, max_value=0.9999), signal=signals)
def test_rho_strictly_between_zero_and_one(undersampling, signal):
    assert 0 < rho_l1(undersampling, signal) < 1


@given(undersampling=st.floats(min_value=1e-12, max_value=0.9999))
def test_nonnegative_signals_recover_more(undersampling):
    assert rho_l1(undersampling, "nonneg") > rho_l1(undersampling, "signed")


@pytest.mark.parametrize("signal", SIGNALS)
def test_rho_and_f_at_the_dense_end(signal):
    assert rho_l1(1.0, signal) == 1.0
    assert f_l1(1.0, signal) == 1.0


# --- capacity f_l1(p) = 1/delta* with delta* rho(delta*) = p --------------------------------------------------------

@given(p=densities, signal=signals)
def test_f_l1_solves_its_defining_equation(p, signal):
    undersampling = 1 / f_l1(p, signal)
    assert undersampling * rho_l1(undersampling, signal) == pytest.approx(p, rel=1e-12)


@given(a=densities, b=densities, signal=signals)
def test_f_l1_decreasing_in_density(a, b, signal):
    low, high = sorted((a, b))
    assert f_l1(low, signal) >= f_l1(high, signal) >= 1.0
    if high > low * (1 + 1e-9):
        assert f_l1(low, signal) > f_l1(high, signal)


@given(p=st.floats(min_value=1e-8, max_value=0.9999))
def test_nonnegative_features_pack_more_per_neuron(p):
    assert f_l1(p, "nonneg") > f_l1(p, "signed")


# --- small-p asymptotics -----------------------------------------------------------------------------------------

def test_rho_behaves_like_one_over_two_log_one_over_delta():
    assert small_delta_constant() == sp.Rational(1, 2)
    assert rho_l1_asymptotic() == 1 / (2 * sp.log(1 / delta))


def test_f_l1_is_half_the_note_for_very_sparse_features():
    assert asymptotic_constant() == sp.Rational(1, 2)
    assert sp.simplify(f_l1_asymptotic() - 1 / (2 * density * sp.log(1 / density))) == 0
    note = -1 / (density * sp.log(density))
    assert sp.limit(f_l1_asymptotic(density, "nonneg") / note, density, 0, "+") == sp.Rational(1, 2)


@pytest.mark.parametrize("signal", SIGNALS)
def test_numerics_approach_the_asymptotic_forms_slowly(signal):
    """2 rho ln(1/delta) -> 1 and f_l1 / f_l1_asymptotic -> 1 monotonically, within 2% by 1e-250."""
    small = [1e-5, 1e-20, 1e-100, 1e-250]
    rho_ratio = [rho_l1(d, signal) / float(rho_l1_asymptotic(d)) for d in small]
    f_ratio = [f_l1(p, signal) / float(f_l1_asymptotic(sp.Float(p), signal)) for p in small]
    for ratios in (rho_ratio, f_ratio):
        assert all(abs(later - 1) < abs(earlier - 1) for earlier, later in zip(ratios, ratios[1:]))
        assert ratios[-1] == pytest.approx(1, abs=0.02)


def test_f_l1_asymptotic_takes_numbers():
    assert float(f_l1_asymptotic(sp.Rational(1, 100))) == pytest.approx(1 / (2 * 0.01 * math.log(100)), rel=1e-15)


# --- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, float("nan"), float("inf"), "abc", 1e-320])
def test_bad_delta_is_named(bad):
    with pytest.raises(InvalidParameter) as error:
        rho_l1(bad)
    assert error.value.name == "delta"


@pytest.mark.parametrize("bad", [0.0, -1.0, 1.0001, float("nan"), "x"])
def test_bad_density_is_named(bad):
    with pytest.raises(InvalidParameter) as error:
        f_l1(bad)
    assert error.value.name == "p"


@pytest.mark.parametrize("call", [lambda: rho_l1(0.5, "complex"), lambda: f_l1(0.1, "Signed"),
                                  lambda: f_l1_asymptotic(density, "positive"), lambda: parametric_curve([1.0], "")])
def test_bad_signal_is_named(call):
    with pytest.raises(InvalidParameter) as error:
        call()
    assert error.value.name == "signal"
