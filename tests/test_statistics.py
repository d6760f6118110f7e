"""Wilson intervals against Newcombe (1998) and scipy; the logistic fit recovers a planted transition."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from numerics.statistics import fit_logistic_transition, logistic_midpoints, wilson_interval
from theory.validation import InvalidParameter

#: Newcombe (1998), Stat. Med. 17:857, Table I, method 3 (Wilson score without continuity correction).
NEWCOMBE_WILSON = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize("successes, trials, low, high", NEWCOMBE_WILSON)
def test_wilson_matches_newcombe_table(successes, trials, low, high):
    computed = wilson_interval(successes, trials)
    assert float(computed[0]) == pytest.approx(low, abs=5e-5)
    assert float(computed[1]) == pytest.approx(high, abs=5e-5)


@given(trials=st.integers(1, 500), data=st.data(), confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_matches_scipy_and_contains_the_rate(trials, data, confidence):
    successes = data.draw(st.integers(0, trials))
    low, high = wilson_interval(successes, trials, confidence)
    reference = binomtest(successes, trials).proportion_ci(confidence_level=confidence, method="wilson")
    assert float(low) == pytest.approx(reference.low, abs=1e-10)
    assert float(high) == pytest.approx(reference.high, abs=1e-10)
    assert low <= successes / trials <= high


def test_wilson_broadcasts_over_cells():
    low, high = wilson_interval(np.array([0, 5, 10]), 10)
    assert low.shape == high.shape == (3,)
    assert low[0] == 0 and high[2] == 1


@pytest.mark.parametrize("midpoint, slope", [(0.3, -40.0), (0.55, -15.0), (0.2, 25.0)])
def test_logistic_fit_recovers_a_planted_transition(midpoint, slope):
    rng = np.random.default_rng(7)
    x = np.linspace(0.05, 0.95, 19)
    trials = np.full(x.size, 400)
    successes = rng.binomial(trials, 1 / (1 + np.exp(-slope * (x - midpoint))))
    fit = fit_logistic_transition(x, successes, trials)
    assert fit.bracketed
    assert fit.midpoint == pytest.approx(midpoint, abs=0.01)
    assert fit.slope == pytest.approx(slope, rel=0.2)


def test_perfect_separation_puts_the_midpoint_between_last_success_and_first_failure():
    fit = fit_logistic_transition([0.1, 0.2, 0.3, 0.4], [10, 10, 0, 0], [10] * 4)
    assert 0.2 < fit.midpoint < 0.3 and fit.slope < 0


@given(seed=st.integers(0, 2**32 - 1), points=st.integers(3, 12), width=st.floats(2, 40))
def test_the_batched_newton_fit_gives_the_maximum_likelihood_midpoint_of_every_row(seed, points, width):
    """logistic_midpoints (bootstrap replicates, padded rows) = fit_logistic_transition row by row, to 1e-6."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.choice(np.arange(100, 300), size=(4, points), replace=True), axis=1).astype(float)
    trials = np.full(x.shape, 20)
    trials[1, -1] = 0  # padding: ignored
    successes = rng.binomial(trials, 1 / (1 + np.exp((x - 200) / width)))
    midpoints, slopes = logistic_midpoints(x, successes, trials)
    for row in range(4):
        counted = trials[row] > 0
        if np.ptp(x[row, counted]) == 0:
            continue
        fit = fit_logistic_transition(x[row, counted], successes[row, counted], trials[row, counted])
        if fit.bracketed and abs(fit.slope) > 1e-6:
            assert midpoints[row] == pytest.approx(fit.midpoint, rel=1e-6)
            assert slopes[row] == pytest.approx(fit.slope, rel=1e-4)


def test_no_crossing_is_reported_as_not_bracketed():
    assert not fit_logistic_transition([0.1, 0.2, 0.3], [9, 8, 7], [10] * 3).bracketed


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: wilson_interval(3, 0), "trials must be whole numbers >= 1"),
        (lambda: wilson_interval(11, 10), "successes must be whole numbers in"),
        (lambda: wilson_interval(1, 10, confidence=1.5), "confidence must lie in"),
        (lambda: fit_logistic_transition([], [], []), "x must be a non-empty grid"),
        (lambda: fit_logistic_transition([0.2, 0.2], [1, 2], [4, 4]), "two distinct"),
    ],
)
def test_bad_inputs_are_refused(call, words):
    with pytest.raises(InvalidParameter, match=words):
        call()
