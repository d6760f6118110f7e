"""The phase-diagram grid and the sticky-value shares (numerics.toy_phase_diagram, numerics.toy_geometry)."""

import numpy as np
import pytest

from numerics.toy_geometry import sticky_shares
from numerics.toy_phase_diagram import grid_axes, phase_spec


def test_phase_grid_spans_elhages_axes_ratio_major_with_importance_one_and_r():
    ratios, densities = grid_axes(3, 4)
    assert ratios.tolist() == pytest.approx([0.1, 1.0, 10.0]) and densities[[0, -1]].tolist() == pytest.approx([0.01, 1])
    spec = phase_spec(ratios, densities)
    assert spec.instances == 12 and (spec.n, spec.m) == (2, 1)
    assert spec.importance[4].tolist() == [1.0, 1.0] and spec.densities[5].tolist() == [densities[1]] * 2


def test_sticky_share_counts_the_window_and_the_uniform_share_is_its_length_over_the_range():
    values = np.array([0.2, 0.49, 0.5, 0.515, 0.53, 1.0])
    shares = sticky_shares(values, values=(0.5, 0.9), tolerance=0.02)
    assert shares["0.5"]["share"] == pytest.approx(3 / 6)
    assert shares["0.5"]["uniform"] == pytest.approx(0.04 / 0.8)
    assert shares["0.9"] == {"share": 0.0, "uniform": pytest.approx(0.04 / 0.8)}
    assert shares["all"]["share"] == pytest.approx(3 / 6) and shares["all"]["uniform"] == pytest.approx(0.1)


def test_uniformly_spread_values_score_their_uniform_share():
    values = np.linspace(0.1, 1.0, 90_001)
    shares = sticky_shares(values)
    for key, row in shares.items():
        assert row["share"] == pytest.approx(row["uniform"], abs=1e-4), key
