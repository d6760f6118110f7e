"""The power-law fit: planted exponents come back, with an interval that covers them; bad inputs refused."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scipy import stats

from numerics.power_law_fit import fit_power_law, with_bootstrap_slopes
from theory.validation import InvalidParameter


@pytest.mark.parametrize("exponent", [1.0, 2.0])
def test_recovers_planted_exponent_from_noisy_points(exponent):
    rng = np.random.default_rng(3)
    m = np.geomspace(50, 3200, 7)
    n_max = 2.5 * m**exponent * np.exp(rng.normal(0, 0.02, m.size))
    fit = fit_power_law(m, n_max, n_bootstrap=2000, seed=1)
    assert abs(fit.exponent - exponent) < 0.03
    assert fit.contains(exponent)
    assert fit.ci_high - fit.ci_low < 0.1
    assert abs(math.exp(fit.intercept) - 2.5) < 0.3


@given(
    exponent=st.floats(-3, 3),
    scale=st.floats(1e-3, 1e3),
    x=st.lists(st.floats(0.1, 1e4), min_size=2, max_size=8, unique=True),
)
def test_exact_power_law_gives_its_exponent(exponent, scale, x):
    if np.ptp(np.log(x)) < 1e-3:
        return
    fit = fit_power_law(x, [scale * value**exponent for value in x], n_bootstrap=50)
    assert fit.exponent == pytest.approx(exponent, abs=1e-6)
    assert fit.intercept == pytest.approx(math.log(scale), abs=1e-5 * (1 + abs(math.log(max(x)))))


def test_bootstrap_is_reproducible_from_its_seed():
    x, y = [1, 2, 4, 8, 16], [1.0, 2.3, 3.9, 8.4, 15.0]
    assert fit_power_law(x, y, seed=5) == fit_power_law(x, y, seed=5)
    assert fit_power_law(x, y, seed=5).ci_low != fit_power_law(x, y, seed=6).ci_low


@pytest.mark.parametrize(
    "x, y, words",
    [
        ([1, 2, 3], [1, -2, 3], "y must be finite and > 0"),
        ([0, 2, 3], [1, 2, 3], "x must be finite and > 0"),
        ([1, 2, 3], [1, 2], "y must have as many points as x"),
        ([2, 2, 2], [1, 2, 3], "two distinct values"),
        ([1, 2, float("nan")], [1, 2, 3], "x must be finite"),
    ],
)
def test_bad_inputs_are_refused_with_the_name(x, y, words):
    with pytest.raises(InvalidParameter, match=words):
        fit_power_law(x, y)


def test_two_points_give_a_slope_but_no_interval():
    fit = fit_power_law([10, 20], [30, 60])
    assert fit.exponent == pytest.approx(1.0)
    assert math.isnan(fit.ci_low) and math.isnan(fit.ci_high) and not fit.contains(1.0)


def test_the_ols_interval_is_the_t_interval_of_the_regression_slope():
    x, y = [10, 20, 40, 80, 160], [31.0, 58.0, 125.0, 236.0, 490.0]
    fit = fit_power_law(x, y, n_bootstrap=0)
    regression = stats.linregress(np.log(x), np.log(y))
    half_width = stats.t.ppf(0.975, 3) * regression.stderr
    assert fit.exponent == pytest.approx(regression.slope)
    assert (fit.ols_low, fit.ols_high) == pytest.approx((regression.slope - half_width, regression.slope + half_width))


def test_replicate_slopes_give_the_percentile_interval_at_the_fits_confidence():
    fit = with_bootstrap_slopes(fit_power_law([1, 2, 4], [1, 2, 4]), np.linspace(0, 1, 1001), "replicates")
    assert (fit.ci_low, fit.ci_high) == pytest.approx((0.025, 0.975)) and fit.interval == "replicates"
    assert fit.n_bootstrap == 1001
