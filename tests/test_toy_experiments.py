"""Trained toy models reproduce Elhage et al. (2022); the capacity analysis reproduces theory on theory's own curve."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from numerics import toy_experiments as experiments
from numerics.toy_data import importance_profile
from numerics.toy_experiments import (doubling_density, predicted_densities, run_capacity, run_intro,
                                      train_densities, training_settings)
from theory.capacity_functions import CAPACITY_FUNCTIONS, capacity_ratio, required_density
from theory.validation import InvalidParameter

FAST = training_settings(experiments.INTRO_SETTINGS, steps=4000, learning_rate=1e-2)


def test_short_intro_run_keeps_two_features_dense_and_all_five_sparse():
    """Elhage et al. 2022, intro: dense features -> m = 2 orthogonal features; sparse -> all 5 (a pentagon)."""
    run = run_intro((1.0, 0.01), seed=0, settings=FAST)
    assert run.represented.tolist() == [2, 5]
    np.testing.assert_allclose(run.dimensionality[1], 2 / 5, atol=0.05)  # the pentagon's sticky value


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_default_intro_run_from_dense_to_sparse(seed):
    run = run_intro(seed=seed)
    represented = dict(zip(run.densities.tolist(), run.represented.tolist()))
    assert represented[1.0] == 2
    assert all(represented[p] == 5 for p in (0.03, 0.01, 0.003, 0.001))
    np.testing.assert_allclose(run.dimensionality[-1], 2 / 5, atol=0.05)


@pytest.mark.parametrize("n, m", [(5, 2), (8, 3)])
def test_dense_relu_model_represents_the_m_most_important_features(n, m):
    """Dense features, n > m: no superposition; the ReLU model keeps the m most important features, like PCA."""
    run = train_densities("test-dense", [1.0], n=n, m=m, importance=importance_profile(n, 0.9), seed=1, settings=FAST)
    assert run.represented[0] == m
    assert run.norms[0, :m].min() > 0.9 and run.norms[0, m:].max() < 0.1


@pytest.mark.parametrize("density", [1.0, 0.05])
def test_linear_model_never_superposes(density):
    """The linear model's W^T W is a projection of rank <= m (eigenvalues 0 or 1): at most m features, PCA-like."""
    n, m = 6, 2
    run = train_densities("test-linear", [density], n=n, m=m, importance=importance_profile(n, 0.9), seed=2,
                          settings=FAST, activation="linear")
    eigenvalues = np.linalg.eigvalsh(run.interference[0])
    assert np.sum(eigenvalues > 1e-6) <= m
    distance_to_projection = np.minimum(np.abs(eigenvalues), np.abs(eigenvalues - 1)).max()
    assert distance_to_projection < 0.1, eigenvalues
    assert run.represented[0] <= m


@given(reference=st.floats(0.02, 0.3), scale=st.floats(0.2, 5.0))
def test_doubling_on_theorys_own_curve_recovers_theorys_prediction(reference, scale):
    """If features per neuron followed c f_note(p), the measured doubling density is required_density(p_ref, 2)."""
    densities = np.geomspace(0.35, 1e-4, 400)
    per_neuron = [scale * capacity_ratio(float(p), "note") for p in densities]
    measured, at_reference, reason = doubling_density(densities, per_neuron, reference, 2.0)
    assert reason is None
    np.testing.assert_allclose(at_reference, scale * capacity_ratio(reference, "note"), rtol=1e-3)
    np.testing.assert_allclose(measured, required_density(reference, 2.0, "note"), rtol=1e-3)


def test_doubling_not_reached_says_why():
    measured, reference, reason = doubling_density([0.3, 0.1, 0.03], [1.0, 2.0, 3.0], 0.1, 2.0)
    assert measured is None and reference == 2.0 and "not reached" in reason


def test_predictions_are_theorys_required_density():
    predictions = predicted_densities(0.1, 2.0)
    assert predictions == {f: required_density(0.1, 2.0, f) for f in CAPACITY_FUNCTIONS}


def test_tiny_capacity_run_carries_theory_and_measurement():
    result = run_capacity((2,), (1.0, 0.1, 0.01), 6, seed=0, settings=training_settings(FAST, steps=200))
    assert result.theory["note"][0] is None  # f is undefined at p = 1
    assert result.theory["note"][1] == capacity_ratio(0.1, "note")
    assert result.runs[0].per_neuron.shape == (3,) and result.doubling[0].m == 2


@pytest.mark.parametrize("arguments, parameter", [
    (dict(ms=(4,), densities=(0.3, 0.1), n=10, reference_density=0.05), "reference_density"),
    (dict(ms=(4, 8), densities=(0.3, 0.1), n=8), "n"),
])
def test_capacity_refuses_inconsistent_inputs(arguments, parameter):
    with pytest.raises(InvalidParameter) as error:
        run_capacity(**arguments, seed=0)
    assert error.value.name == parameter
