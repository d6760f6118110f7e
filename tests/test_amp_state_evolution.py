"""Undamped AMP follows its state evolution (DMM 2009) iteration by iteration: the solver's specification.

Setting: n = 2000, δ = m/n = 1/2, k = round(ρ m) with ρ = ρ(δ)/2 (half the ℓ1 transition), a batch of B = 8
problems, each with its own Gaussian N(0, 1/m) matrix; AMP with its minimax threshold, damping 1 (DMM's AMP), driven
through ``setup``/``step`` for T = 10 iterations. At every t the batch mean of ‖x_t − x‖²/n must lie within a
relative tolerance τ_t of the prediction :func:`theory.state_evolution.predicted_mse`.

Where τ_t comes from (fixed before the test was first run). State evolution says the n errors e_i = x_t,i − x_i
of a problem are i.i.d. like e = η(X + σZ; ασ) − X at the effective noise level of the previous step. So:

- the sampling noise of one problem's MSE, relative to its mean, has variance s_t² = (E e⁴ − (E e²)²)/(n (E e²)²)
  (both moments from the same quadrature as the prediction; at t = 0, e = −X);
- the effective noise AMP uses is estimated, σ̂² = ‖z‖²/m, which moves each relative error into the next through
  D_t = d log mse / d log σ² (≈ 1 at small σ, so errors accumulate rather than decay), plus the χ² noise of ‖z‖²/m
  itself, relative variance 2/m;
- so v_0 = s_0² and v_t = s_t² + D_t² (v_{t−1} + 2/m), per problem; the batch mean has variance v_t/B;
- τ_t = 4·√(v_t/B): four standard deviations (a Bonferroni bound over the 11 comparisons at family-wise level 0.1%
  would need 3.9). The O(1/n) bias of state evolution at finite n is not in τ_t: it is a prediction that it is small.

Measured at the commit that added the test (seed 12): largest |relative error| over t = 0..10 was 0.089 (signed,
τ from 0.17 to 0.36) and 0.16 (nonnegative, τ from 0.11 to 0.33). The Onsager factor ‖x‖₀/n instead of ‖x‖₀/m gives
relative errors +0.55 at t = 2 and +700 at t = 10; dropping the Onsager term, +2.0 at t = 2.
"""

import math

import numpy as np
import pytest

from numerics.backend import to_numpy
from numerics.problems import generate_problems
from numerics.solvers.amp import AMP
from numerics.solvers.operator import SensingOperator
from theory.l1_phase_transition import rho_l1
from theory.state_evolution import StateEvolution, predicted_mse, signal_power

N, DELTA, BATCH, ITERATIONS, STANDARD_DEVIATIONS = 2000, 0.5, 8, 10, 4.0
VALUES = {"signed": "gaussian", "nonneg": "uniform"}
#: E[V⁴] of a nonzero value: 3 for N(0, 1), 1/5 for Uniform[0, 1).
FOURTH_MOMENT = {"signed": 3.0, "nonneg": 0.2}


def tolerances(evolution: StateEvolution, m: int) -> list[float]:
    """τ_t = 4 √(v_t / B) for t = 0 … T (module docstring)."""
    variances = evolution.variances(ITERATIONS)

    def log_slope(variance, h=1e-4):
        return (math.log(evolution.mse(variance * (1 + h)) / evolution.mse(variance * (1 - h)))
                / math.log((1 + h) / (1 - h)))

    second = evolution.epsilon * signal_power(evolution.signal)
    v = (evolution.epsilon * FOURTH_MOMENT[evolution.signal] - second**2) / (N * second**2)
    taus = [STANDARD_DEVIATIONS * math.sqrt(v / BATCH)]
    for variance in variances[:-1]:
        second, fourth = evolution.mse(variance), evolution.mse(variance, power=4)
        v = (fourth - second**2) / (N * second**2) + log_slope(variance) ** 2 * (v + 2 / m)
        taus.append(STANDARD_DEVIATIONS * math.sqrt(v / BATCH))
    return taus


def amp_trajectory(signal: str, m: int, k: int, alpha: float, seed: int = 12) -> np.ndarray:
    """Batch mean of ‖x_t − x‖²/n for t = 0 … T of undamped AMP (no stopping rule: ``step`` by ``step``)."""
    problems = generate_problems(np.random.SeedSequence(seed), batch=BATCH, m=m, n=N, k=k, values=VALUES[signal])
    solver = AMP(alpha=alpha, damping=1.0, stall_window=None, nonnegative=signal == "nonneg")
    solver.setup(SensingOperator(problems.A), problems.y)
    x = to_numpy(problems.x)
    errors = [np.sum(x**2, axis=1) / N]
    for _ in range(ITERATIONS):
        errors.append(np.sum((to_numpy(solver.step()) - x) ** 2, axis=1) / N)
    return np.mean(errors, axis=1)


@pytest.mark.parametrize("signal", ["signed", pytest.param("nonneg", marks=pytest.mark.slow)])
def test_undamped_amp_tracks_state_evolution_for_ten_iterations(signal):
    m = round(DELTA * N)
    k = round(rho_l1(DELTA, signal) / 2 * m)
    evolution = StateEvolution(m / N, k / m, signal)
    predicted = np.array(predicted_mse(m / N, k / m, signal, iterations=ITERATIONS))
    measured = amp_trajectory(signal, m, k, evolution.alpha)
    relative_error = measured / predicted - 1
    assert np.all(np.abs(relative_error) <= tolerances(evolution, m)), relative_error.round(3).tolist()
    assert predicted[-1] < predicted[0] / 100  # below the transition: the error falls towards the fixed point 0


def test_damping_takes_a_fraction_of_each_step():
    """x₁ = β η(Aᵀy; α‖y‖/√m) from x₀ = 0 when damped from the first step (``oscillation_steps=0``, β = 0.9);
    by default a problem is damped only once it oscillates, so its first step is DMM's (β = 1)."""
    problems = generate_problems(np.random.SeedSequence(3), batch=2, m=40, n=80, k=4)
    steps = {}
    for label, options in {"always": {"oscillation_steps": 0}, "undamped": {"damping": 1.0}, "default": {}}.items():
        solver = AMP(alpha=1.0, **options)
        solver.setup(SensingOperator(problems.A), problems.y)
        steps[label] = to_numpy(solver.step())
    np.testing.assert_allclose(steps["always"], 0.9 * steps["undamped"], rtol=1e-12)
    np.testing.assert_array_equal(steps["default"], steps["undamped"])
    assert np.abs(steps["undamped"]).max() > 0


def test_the_stall_rule_stops_only_a_residual_that_no_longer_falls():
    """Every ``stall_window`` steps: stalled when ‖z‖ is above ``stall_ratio`` (0.9) times its value a window ago."""
    solver = AMP(alpha=1.0, stall_window=2)
    solver.level, solver.checkpoint = np.ones((2, 1)), np.array([2.0, 1.05])
    solver.steps, solver.stall_checks = 2, 0
    assert solver.stalled().tolist() == [False, True]
    np.testing.assert_array_equal(solver.checkpoint, [1.0, 1.0])  # the next window compares against this one
    solver.steps = 3
    assert solver.stalled() is None
    solver.steps, solver.level = 4, np.array([[0.5], [0.95]])  # halved; fell by only 5%
    assert solver.stalled().tolist() == [False, True]
