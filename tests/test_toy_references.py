"""Exact toy-model references (theory.toy_references) against the trainer's own loss function, by Monte Carlo."""

import numpy as np
import pytest

from numerics.toy_data import FeatureStream
from numerics.toy_model import loss_and_gradients
from theory.toy_references import (axis_aligned_loss, dropped_feature_loss, exact_phase, optimise_pair, pair_loss,
                                   phase_of)

#: Monte Carlo samples; tolerances below are 5 standard errors of the sample mean (set before looking).
SAMPLES = 400_000


def monte_carlo_loss(W, b, densities, importance, seed):
    """The trainer's loss of (W, b) averaged over SAMPLES fresh inputs, and its standard error."""
    n = W.shape[1]
    stream = FeatureStream([np.random.default_rng(seed)], np.full((1, n), densities), SAMPLES)
    x = stream.next_batch()
    out = np.maximum(x @ W.T @ W + b, 0.0)
    per_sample = np.sum(importance * (x - out) ** 2, axis=-1)[0]
    loss = loss_and_gradients(W[None], b[None], x, importance[None])[0][0]
    np.testing.assert_allclose(loss, per_sample.mean(), rtol=1e-10)  # the same function the trainer minimises
    return loss, per_sample.std() / np.sqrt(SAMPLES)


def axis_aligned_solution(n, m, density, importance):
    """W_i = e_i for the m features of largest I_i Var(x_i), b_i = p/2 for the others."""
    kept = np.argsort(-np.asarray(dropped_feature_loss(density, importance)) * np.ones(n), kind="stable")[:m]
    W = np.zeros((m, n))
    W[np.arange(m), kept] = 1.0
    b = np.full(n, density / 2.0)
    b[kept] = 0.0
    return W, b


@pytest.mark.parametrize("n, m, density, decay", [(20, 4, 1.0, 1.0), (12, 3, 0.3, 0.9), (6, 2, 0.05, 0.7)])
def test_axis_aligned_loss_is_the_trainers_loss_of_that_solution(n, m, density, decay):
    importance = decay ** np.arange(n)
    W, b = axis_aligned_solution(n, m, density, importance)
    loss, error = monte_carlo_loss(W, b, density, importance, seed=n)
    assert abs(loss - axis_aligned_loss(n, m, density, importance)) < 5 * error


def test_axis_aligned_loss_keeps_the_most_important_features():
    """Dropping feature i costs I_i (p/3 - p^2/4): the kept ones are those whose loss would be largest."""
    importance = np.array([0.1, 3.0, 1.0, 2.0])
    assert axis_aligned_loss(4, 2, 1.0, importance) == pytest.approx((0.1 + 1.0) / 12)
    assert axis_aligned_loss(4, 4, 0.5, importance) == 0.0


def test_dense_axis_aligned_reference_of_the_issue():
    assert axis_aligned_loss(200, 20, 1.0, 1.0) == pytest.approx(15.0, rel=1e-14)


@pytest.mark.parametrize("parameters, ratio, density", [
    ((1.0, 0.8, -0.1, -0.3), 0.7, 0.2), ((0.9, 1.1, 0.05, -0.02), 2.0, 0.6), ((1.2, 0.5, 0.2, 0.1), 1.5, 1.0),
])
def test_pair_loss_is_the_trainers_loss_of_that_pair(parameters, ratio, density):
    a, c, b1, b2 = parameters
    loss, error = monte_carlo_loss(np.array([[a, -c]]), np.array([b1, b2]), density, np.array([1.0, ratio]), seed=7)
    assert abs(loss - pair_loss(parameters, ratio, density)) < 5 * error


def test_pair_loss_contains_the_single_feature_solutions():
    """W = (1, 0), b = (0, p/2): feature 1 kept, feature 2 at its mean: loss r Var(x)."""
    assert pair_loss((1.0, 0.0, 0.0, 0.15), 0.4, 0.3) == pytest.approx(float(dropped_feature_loss(0.3, 0.4)))


@pytest.mark.parametrize("ratio, density, winner", [(1.2, 0.05, "pair"), (5.0, 1.0, "second"), (0.2, 1.0, "first")])
def test_exact_phase_of_clear_cells(ratio, density, winner):
    """Sparse and equally important: the antipodal pair; dense: the more important feature alone."""
    assert exact_phase(ratio, density).winner == winner


def test_optimised_pair_beats_every_nearby_pair():
    """A local minimum: random perturbations of the optimum do not lower the exact loss."""
    loss, parameters = optimise_pair(1.5, 0.1)
    rng = np.random.default_rng(0)
    nearby = [pair_loss(np.array(parameters) + rng.normal(scale=1e-2, size=4), 1.5, 0.1) for _ in range(50)]
    assert min(nearby) >= loss


def test_phase_of_reads_represented_norms():
    assert [phase_of(*norms) for norms in [(1, 0), (0, 1), (1, 1), (0, 0)]] == ["first", "second", "pair", "none"]
