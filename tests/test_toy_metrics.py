"""Metrics of a toy model's W and its data (Elhage et al. 2022): definitions, sticky values, invariants."""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from numerics.toy_data import FeatureStream, importance_profile
from numerics.toy_metrics import (dimensions_per_feature, feature_dimensionality, feature_norms,
                                  features_represented, interference)

weights = arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 6)),
                 elements=st.floats(-3, 3, allow_subnormal=False))


def regular_polygon(k):
    angles = 2 * np.pi * np.arange(k) / k
    return np.stack([np.cos(angles), np.sin(angles)])[None]


@pytest.mark.parametrize("k, sticky", [(2, 1 / 2), (5, 2 / 5)])
def test_sticky_dimensionalities_of_antipodal_pair_and_pentagon(k, sticky):
    """Elhage et al. 2022 observe D_i = 1/2 (antipodal pair) and 2/5 (pentagon) among the sticky values."""
    W = regular_polygon(k)
    np.testing.assert_allclose(feature_dimensionality(W), sticky, rtol=1e-12)
    np.testing.assert_allclose(dimensions_per_feature(W), 2 / k, rtol=1e-12)


def test_orthogonal_features_have_dimensionality_one_and_dead_ones_zero():
    W = np.zeros((1, 3, 4))
    W[0, 0, 0], W[0, 1, 1], W[0, 2, 2] = 1.0, 0.7, 2.0
    np.testing.assert_allclose(feature_dimensionality(W), [[1.0, 1.0, 1.0, 0.0]])
    assert features_represented(W).tolist() == [3]
    assert features_represented(W, threshold=0.8).tolist() == [2]


@given(weights)
def test_feature_dimensionality_lies_in_unit_interval(W):
    dimensionality = feature_dimensionality(W)
    assert np.all(dimensionality >= 0) and np.all(dimensionality <= 1 + 1e-12)


@given(weights, st.floats(0.1, 10))
def test_metrics_of_a_rescaled_model(W, scale):
    """D_i is scale-free; D* scales as 1/scale^2; W^T W is symmetric with the squared norms on its diagonal."""
    np.testing.assert_allclose(feature_dimensionality(scale * W), feature_dimensionality(W), atol=1e-9)
    alive = np.sum(W * W, axis=(1, 2)) > 1e-6  # D* = m / 0 is infinite for W = 0
    np.testing.assert_allclose(dimensions_per_feature(scale * W[alive]), dimensions_per_feature(W[alive]) / scale**2,
                               rtol=1e-9)
    gram = interference(W)
    np.testing.assert_allclose(gram, np.swapaxes(gram, 1, 2))
    np.testing.assert_allclose(np.diagonal(gram, axis1=1, axis2=2), feature_norms(W) ** 2, rtol=1e-12, atol=1e-12)


@given(st.floats(0.05, 1.0), st.integers(0, 1000))
def test_features_are_zero_with_probability_s_else_uniform(density, seed):
    stream = FeatureStream([np.random.default_rng(seed)], np.full((1, 50), density), batch_size=400)
    x = stream.next_batch()
    active = x[x > 0]
    assert x.shape == (1, 400, 50) and np.all(x >= 0) and np.all(x < 1)
    assert abs(active.size / x.size - density) < 5 * np.sqrt(density * (1 - density) / x.size) + 1e-9
    assert abs(active.mean() - 0.5) < 5 * np.sqrt(1 / 12 / active.size)


def test_stream_does_not_depend_on_chunking_or_batch_partners():
    def batches(generators, densities, count=3):
        stream = FeatureStream(generators, densities, batch_size=8)
        return [stream.next_batch() for _ in range(count)]

    alone = batches([np.random.default_rng(7)], [[0.2] * 3])
    together = batches([np.random.default_rng(1), np.random.default_rng(7)], [[0.5] * 3, [0.2] * 3])
    for single, pair in zip(alone, together):
        np.testing.assert_array_equal(single[0], pair[1])


def test_importance_profile_decays_geometrically():
    np.testing.assert_allclose(importance_profile(4, 0.7), [1, 0.7, 0.49, 0.343])
