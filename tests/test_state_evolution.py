"""State evolution: exact error moments, the minimax slope at σ → 0, and a fixed point 0 exactly below ρ(δ)."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from theory.l1_phase_transition import rho_l1
from theory.soft_threshold_minimax import minimax_threshold
from theory.state_evolution import StateEvolution, error_moment, predicted_mse, prior_error_moment
from theory.validation import InvalidParameter

SIGNALS = ("signed", "nonneg")


def eta(u, theta, signal):
    return np.sign(u) * np.maximum(np.abs(u) - theta, 0) if signal == "signed" else np.maximum(u - theta, 0)


@pytest.mark.parametrize("signal", SIGNALS)
@pytest.mark.parametrize("mu", [0.0, 0.3, -1.2, 2.5])
@pytest.mark.parametrize("power", [2, 3, 4])
def test_closed_form_error_moments_match_quadrature_over_the_noise(signal, mu, power):
    sigma, theta = 0.7, 1.1
    integrand = lambda z: (eta(mu + sigma * z, theta, signal) - mu) ** power * stats.norm.pdf(z)
    kinks = sorted({(theta - mu) / sigma, (-theta - mu) / sigma})
    expected = sum(integrate.quad(integrand, low, high, epsabs=1e-13, epsrel=1e-12)[0]
                   for low, high in zip([-np.inf, *kinks], [*kinks, np.inf]))
    assert error_moment(mu, sigma, theta, signal, power) == pytest.approx(expected, rel=1e-9, abs=1e-13)


@pytest.mark.parametrize("signal", SIGNALS)
@pytest.mark.parametrize("sigma", [1e-3, 0.05, 0.4, 3.0])
def test_expectation_over_the_prior_matches_adaptive_quadrature(signal, sigma):
    theta, epsilon = 1.3 * sigma, 0.2
    density, low, high = (stats.norm.pdf, -np.inf, np.inf) if signal == "signed" else (lambda v: 1.0, 0.0, 1.0)
    pieces = sorted({low, high, *(b for b in (-theta, theta) if low < b < high)})
    nonzero = sum(integrate.quad(lambda v: float(error_moment(v, sigma, theta, signal)) * density(v), a, b,
                                 epsabs=0, epsrel=1e-12, limit=500)[0] for a, b in zip(pieces, pieces[1:]))
    expected = (1 - epsilon) * float(error_moment(0.0, sigma, theta, signal)) + epsilon * nonzero
    assert prior_error_moment(sigma, theta, epsilon, signal) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("signal", SIGNALS)
def test_at_small_noise_one_step_multiplies_the_variance_by_the_minimax_risk_over_delta(signal):
    """Ψ(σ²) ≈ (M(ε)/δ) σ² as σ → 0 (DMM 2009): the contraction factor behind the ℓ1 transition."""
    evolution = StateEvolution(0.5, 0.2, signal)
    risk = minimax_threshold(evolution.epsilon, signal).risk
    assert evolution.psi(1e-12) / 1e-12 == pytest.approx(risk / evolution.delta, rel=1e-5)


@pytest.mark.parametrize("signal", SIGNALS)
@pytest.mark.parametrize("delta", [0.25, 0.5])
def test_fixed_point_is_zero_below_the_l1_transition_and_positive_above(signal, delta):
    transition = rho_l1(delta, signal)
    assert StateEvolution(delta, 0.8 * transition, signal).fixed_point() == 0.0
    above = StateEvolution(delta, 1.2 * transition, signal)
    fixed = above.fixed_point()
    assert 0 < fixed < above.initial_variance
    assert above.psi(fixed) == pytest.approx(fixed, rel=1e-8)


def test_the_first_prediction_is_the_signal_power_and_noise_raises_the_floor():
    assert predicted_mse(0.5, 0.2, "nonneg", iterations=0) == [pytest.approx(0.1 / 3)]
    noisy = StateEvolution(0.5, 0.2, "signed", noise=1e-4)
    assert noisy.fixed_point() > 1e-4 and noisy.initial_variance == pytest.approx(1e-4 + 0.2)


@pytest.mark.parametrize("changes, words", [({"delta": 0.0}, "delta must be > 0"),
                                            ({"rho": 1.5}, "rho must lie in"),
                                            ({"noise": -1.0}, "noise must be a variance >= 0")])
def test_bad_parameters_are_refused_by_name(changes, words):
    with pytest.raises(InvalidParameter, match=words):
        StateEvolution(**{"delta": 0.5, "rho": 0.2, **changes})


def test_the_recursion_is_monotone_so_it_settles_at_the_fixed_point_below_its_start():
    evolution = StateEvolution(0.5, 1.2 * rho_l1(0.5), "signed")
    grid = np.geomspace(1e-6, 1.0, 30)
    values = [evolution.psi(v) for v in grid]
    assert all(b > a for a, b in zip(values, values[1:])) and not math.isnan(values[0])
