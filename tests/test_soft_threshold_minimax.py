"""Minimax soft thresholding (Donoho–Johnstone 1994; DMM 2009) and its identity with the ℓ1 phase transition."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import integrate, stats
from scipy.optimize import minimize_scalar

from theory.l1_phase_transition import f_l1, rho_l1, transition_density, transition_undersampling
from theory.soft_threshold_minimax import (
    KAPPA,
    SIGNALS,
    GaussianDensity,
    GaussianTail,
    amp_threshold_alpha,
    epsilon,
    kappa,
    lambdified,
    maximal_risk,
    minimax_risk_at_threshold,
    minimax_sparsity,
    minimax_threshold,
    threshold,
    zero_signal_risk_unit,
)
from theory.validation import InvalidParameter

signals = st.sampled_from(SIGNALS)
sparsities = st.floats(min_value=1e-6, max_value=1.0)


def soft_threshold(x, level, signal):
    """eta(x; level): signed soft thresholding, or its positive part for nonnegative signals."""
    if signal == "nonneg":
        return np.maximum(x - level, 0.0)
    return np.sign(x) * np.maximum(np.abs(x) - level, 0.0)


def risk_by_quadrature(mean, level, signal):
    """E (eta(mean + Z; level) - mean)^2 for Z ~ N(0, 1), by numerical integration."""
    kinks = [z for z in (level - mean, -level - mean) if -12 < z < 12]
    integrand = lambda z: (soft_threshold(mean + z, level, signal) - mean) ** 2 * stats.norm.pdf(z)  # noqa: E731
    return integrate.quad(integrand, -12, 12, points=kinks or None, limit=200, epsabs=1e-13, epsrel=1e-12)[0]


# --- the Gaussian pieces -----------------------------------------------------------------------------------------

@given(x=st.floats(min_value=-30.0, max_value=30.0))
def test_gaussian_pieces_agree_with_scipy(x):
    assert float(lambdified(GaussianDensity(threshold), threshold)(x)) == pytest.approx(stats.norm.pdf(x), rel=1e-14)
    assert float(lambdified(GaussianTail(threshold), threshold)(x)) == pytest.approx(stats.norm.sf(x), rel=1e-14)
    assert float(GaussianTail(sp.Float(x, 30)).evalf(30)) == pytest.approx(stats.norm.sf(x), rel=1e-14)


def test_g_is_the_second_moment_of_one_noise_tail():
    """DMM's printed g(z) = (1 + z^2) Phi(-z) - z phi(z) equals E (Z - z)_+^2, derived by integration."""
    z = sp.Symbol("z", positive=True)
    x = sp.Symbol("x", real=True)
    derived = sp.integrate((x - z) ** 2 * GaussianDensity(x).rewrite(sp.exp), (x, z, sp.oo))
    assert sp.simplify((derived - zero_signal_risk_unit(z)).rewrite(sp.erfc)) == 0


@pytest.mark.parametrize("signal", SIGNALS)
@pytest.mark.parametrize("level", [0.0, 0.5, 1.3, 2.5])
def test_maximal_risk_is_the_risk_at_zero_and_at_a_large_signal(signal, level):
    """r(0) = kappa g(lambda) and r(mu) -> 1 + lambda^2 as mu -> infinity: the two ends the worst case mixes."""
    risk = lambdified(maximal_risk(), epsilon, threshold, kappa)
    at_zero, at_infinity = risk(0.0, level, KAPPA[signal]), risk(1.0, level, KAPPA[signal])
    assert risk_by_quadrature(0.0, level, signal) == pytest.approx(at_zero, rel=1e-9)
    assert risk_by_quadrature(40.0, level, signal) == pytest.approx(at_infinity, rel=1e-9)
    assert all(risk_by_quadrature(mean, level, signal) <= at_infinity * (1 + 1e-12) for mean in (0.5, 2.0, 5.0))


@given(level=st.floats(min_value=0.0, max_value=30.0), sparsity=st.floats(min_value=0.0, max_value=1.0),
       signal=signals)
def test_symbolic_and_lambdified_risk_agree(level, sparsity, signal):
    """Agreement to the conditioning of g: (1 + l^2) Phi(-l) - l phi(l) cancels about l^4/2 digits in the far tail."""
    values = {threshold: sp.Float(level, 30), epsilon: sp.Float(sparsity, 30), kappa: KAPPA[signal]}
    for expression in (maximal_risk(), minimax_sparsity(), minimax_risk_at_threshold()):
        exact = expression.rewrite(sp.erfc).subs(values).evalf(30)
        numeric = lambdified(expression, epsilon, threshold, kappa)(sparsity, level, KAPPA[signal])
        assert float(numeric) == pytest.approx(float(exact), rel=1e-13 + 1e-15 * level**4, abs=1e-300)


# --- the minimax threshold ---------------------------------------------------------------------------------------

@given(sparsity=st.floats(min_value=1e-4, max_value=0.99), signal=signals)
def test_minimax_threshold_minimises_the_maximal_risk(sparsity, signal):
    risk = lambdified(maximal_risk(), epsilon, threshold, kappa)
    best = minimize_scalar(lambda z: risk(sparsity, z, KAPPA[signal]), bounds=(0.0, 10.0), method="bounded",
                           options={"xatol": 1e-10})
    result = minimax_threshold(sparsity, signal)
    assert result.risk == pytest.approx(best.fun, rel=1e-9)
    assert result.risk <= best.fun * (1 + 1e-13)
    assert result.alpha == pytest.approx(best.x, abs=1e-4)


@given(a=sparsities, b=sparsities, signal=signals)
def test_minimax_risk_increasing_and_threshold_decreasing_in_sparsity(a, b, signal):
    low, high = sorted((a, b))
    assert minimax_threshold(low, signal).risk <= minimax_threshold(high, signal).risk
    assert minimax_threshold(low, signal).alpha >= minimax_threshold(high, signal).alpha


@given(sparsity=st.floats(min_value=1e-6, max_value=0.999), signal=signals)
def test_minimax_risk_between_sparsity_and_one(sparsity, signal):
    assert sparsity < minimax_threshold(sparsity, signal).risk < 1


@pytest.mark.parametrize("signal", SIGNALS)
def test_dense_signal_needs_no_threshold(signal):
    assert minimax_threshold(1.0, signal) == (0.0, 1.0)


@pytest.mark.parametrize("signal", SIGNALS)
def test_minimax_risk_tends_to_two_epsilon_log_one_over_epsilon(signal):
    """M(eps) ~ 2 eps ln(1/eps) as eps -> 0 (DMM 2009; Donoho–Johnstone 1994), approached slowly."""
    ratios = [minimax_threshold(e, signal).risk / (2 * e * math.log(1 / e)) for e in (1e-5, 1e-20, 1e-100, 1e-250)]
    assert all(abs(later - 1) < abs(earlier - 1) for earlier, later in zip(ratios, ratios[1:]))
    assert ratios[-1] == pytest.approx(1, abs=0.02)


# --- the identity: the ℓ1 phase transition is where the minimax risk equals delta -------------------------------

def test_identity_symbolically():
    """M(lambda) = delta(lambda) and epsilon(lambda) = delta(lambda) rho(lambda): the same curve, derived twice."""
    assert sp.simplify(minimax_risk_at_threshold() - transition_undersampling()) == 0
    assert sp.simplify(minimax_sparsity() - transition_density()) == 0


@given(sparsity=st.floats(min_value=1e-12, max_value=0.999), signal=signals)
def test_identity_numerically(sparsity, signal):
    """rho(delta) = epsilon/delta at delta = M(epsilon); equivalently f_l1(epsilon) = 1/M(epsilon)."""
    risk = minimax_threshold(sparsity, signal).risk
    assert rho_l1(risk, signal) == pytest.approx(sparsity / risk, rel=1e-11)
    assert f_l1(sparsity, signal) == pytest.approx(1 / risk, rel=1e-11)


# --- AMP tuning --------------------------------------------------------------------------------------------------

@given(undersampling=st.floats(min_value=0.01, max_value=4.0), sparsity=st.floats(min_value=0.01, max_value=1.0),
       signal=signals)
def test_amp_alpha_is_the_minimax_threshold_at_k_over_n(undersampling, sparsity, signal):
    """alpha depends on the problem only through k/n = rho delta (also for overdetermined systems, delta > 1)."""
    assume(sparsity * undersampling <= 1)
    expected = minimax_threshold(sparsity * undersampling, signal).alpha
    assert amp_threshold_alpha(undersampling, sparsity, signal) == expected


@given(undersampling=st.floats(min_value=0.01, max_value=0.99), sparsity=st.floats(min_value=0.01, max_value=0.99),
       signal=signals)
def test_state_evolution_contracts_exactly_below_the_transition(undersampling, sparsity, signal):
    """With the minimax tuning the noise variance shrinks by M(rho delta)/delta per step: < 1 iff rho < rho(delta)."""
    contraction = minimax_threshold(sparsity * undersampling, signal).risk / undersampling
    below = sparsity < rho_l1(undersampling, signal)
    if abs(sparsity - rho_l1(undersampling, signal)) > 1e-9:
        assert (contraction < 1) == below


# --- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [0.0, -0.5, 1.5, float("nan"), "a lot"])
def test_bad_epsilon_is_named(bad):
    with pytest.raises(InvalidParameter) as error:
        minimax_threshold(bad)
    assert error.value.name == "epsilon"


@pytest.mark.parametrize(("arguments", "name"), [
    ((0.0, 0.1), "delta"), ((-1.0, 0.1), "delta"), ((0.5, 0.0), "rho"), ((0.5, 2.0), "rho"), ((2.0, 0.6), "rho"),
    ((0.5, 0.1, "complex"), "signal"),
])
def test_bad_amp_tuning_input_is_named(arguments, name):
    with pytest.raises(InvalidParameter) as error:
        amp_threshold_alpha(*arguments)
    assert error.value.name == name
