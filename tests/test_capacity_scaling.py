"""Capacity experiment: bracket-and-bisect finds a planted n_max inside its bracket; the trial-level bootstrap
interval of the exponent covers a planted exponent at its nominal rate; n_max/m is read at the largest m."""


import numpy as np
import pytest
from scipy import special

from numerics import capacity_scaling
from numerics.capacity_scaling import CapacityConfig, analyse, evaluate_cell, geometric_grid
from numerics.statistics import logistic_midpoints
from numerics.sweep import run_sweep
from theory.capacity_functions import capacity_ratio
from theory.validation import InvalidParameter


def config(**changes):
    settings = {"densities": (0.1,), "m_grid": (20, 40), "trials": 20, "batch": 20, "n_bootstrap": 200}
    return CapacityConfig(**{**settings, **changes})


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"densities": ()}, "^densities must be a non-empty list"),
        ({"densities": (0.0,)}, r"^densities must lie in \(0, 1\)"),
        ({"densities": (1.0,)}, "^densities must lie in"),
        ({"m_grid": ()}, "^m_grid must be a non-empty list"),
        ({"m_grid": (1, 10)}, "^m_grid must hold whole numbers >= 2"),
        ({"m_grid": (10.5,)}, "^m_grid must hold whole numbers"),
        ({"trials": 0}, "^trials must be >= 1"),
        ({"support": "poisson"}, "^support must be one of bernoulli, fixed"),
        ({"precision": 0.0}, "^precision must lie in"),
        ({"max_iter": 0}, "^max_iter must be >= 1"),
    ],
)
def test_bad_configurations_are_refused_naming_the_parameter(changes, words):
    with pytest.raises(InvalidParameter, match=words):
        config(**changes)


@pytest.mark.parametrize("ratio", [1.5, 3.3, 7.9])
def test_bracket_and_bisect_finds_a_planted_threshold(monkeypatch, ratio):
    """With success 100% up to n* = ratio m and 0% beyond, n_max lands within the bisection precision of n*."""
    def planted(settings, density, m, n, repeat=0):
        return settings.trials if n <= ratio * m else 0

    monkeypatch.setattr(capacity_scaling, "successes_at", planted)
    settings = config(precision=0.01)
    result = evaluate_cell(settings.to_dict(), {"density": 0.1, "m": 100})
    low, high = result["bracket"]
    assert low <= ratio * 100 < high and high - low <= max(1, 0.01 * low)
    assert result["n_max"] == pytest.approx(ratio * 100, rel=0.02)
    assert low <= result["n_max"] <= high and result["n_max_inside_bracket"]


def test_a_threshold_beyond_the_largest_ratio_is_reported_unbracketed(monkeypatch):
    monkeypatch.setattr(capacity_scaling, "successes_at", lambda settings, density, m, n, repeat=0: settings.trials)
    result = evaluate_cell(config().to_dict(), {"density": 0.1, "m": 10})
    assert result["bracketed"] is False and result["n_max"] is None


PLANTED_SCALE, PLANTED_WIDTH, PLANTED_TRIALS = 3.0, 0.03, 40
#: Where a planted cell is evaluated: n = n*(1 + 0.02 j), j = -3 … 3, clustered at the transition as bisection does.
PLANTED_DESIGN = 1 + 0.02 * np.arange(-3, 4)


def planted_records(settings, exponent, rng):
    """Cells whose success at n is Binomial(40, 1/(1 + exp((n − n*)/(0.03 n*)))) with n* = 3 m^exponent: a planted
    power law with the binomial noise of real trials, no solver. n_max is each cell's logistic 50% point."""
    cells = [(p, m, PLANTED_SCALE * m**exponent) for p in settings.densities for m in settings.m_grid]
    ns = np.array([np.round(n_star * PLANTED_DESIGN) for _, _, n_star in cells])
    n_star = np.array([n for _, _, n in cells])[:, None]
    successes = rng.binomial(PLANTED_TRIALS, special.expit(-(ns - n_star) / (PLANTED_WIDTH * n_star)))
    midpoints, _ = logistic_midpoints(ns, successes, PLANTED_TRIALS)
    return [
        {"coordinates": {"density": p, "m": m},
         "result": {"n_max": float(n_max), "bracketed": True, "bracket": [int(row[0]), int(row[-1])],
                    "evaluations": [[int(n), int(s), PLANTED_TRIALS] for n, s in zip(row, counts)]}}
        for (p, m, _), n_max, row, counts in zip(cells, midpoints, ns, successes)
    ]


@pytest.mark.parametrize("exponent", [1.0, 2.0])
def test_fit_recovers_a_planted_exponent_from_synthetic_cells(exponent):
    settings = config(densities=(0.05, 0.1), m_grid=tuple(geometric_grid(50, 1600, 8)), n_bootstrap=1000)
    analysis = analyse(settings, planted_records(settings, exponent, np.random.default_rng(1)))
    for fit in analysis.fits:
        assert fit.fit.exponent == pytest.approx(exponent, abs=0.03)
        assert fit.fit.contains(exponent) and not fit.fit.contains(3 - exponent)
        assert fit.fit.ols_low < fit.fit.exponent < fit.fit.ols_high and fit.fit.interval.startswith("trial-level")
        payload = fit.to_dict()
        assert payload["candidates"]["linear (note: n = m f(p))"]["inside_interval"] is (exponent == 1.0)
        assert fit.f_l1 == capacity_ratio(fit.density, "l1-signed")
        assert fit.f_note == capacity_ratio(fit.density, "note")


def test_the_bootstrap_interval_covers_a_planted_exponent_in_at_least_90_percent_of_200_replicates():
    """Nominal 95%: over 200 independent planted sweeps (8 geometric m, a = 1), the trial-level bootstrap interval
    must contain a = 1 at least 180 times (a binomial(200, 0.95) count falls below 180 with probability 0.0012)."""
    settings = config(m_grid=tuple(geometric_grid(50, 800, 8)), n_bootstrap=200)
    rng = np.random.default_rng(2024)
    fits = [analyse(settings, planted_records(settings, 1.0, rng)).fits[0].fit for _ in range(200)]
    coverage = np.mean([fit.contains(1.0) for fit in fits])
    assert coverage >= 0.90, coverage


def test_n_max_over_m_is_read_at_the_largest_m_whatever_the_record_order():
    settings = config(m_grid=(20, 40, 80, 160))
    records = planted_records(settings, 1.0, np.random.default_rng(5))
    for record in records:
        record["result"]["n_max"] = record["coordinates"]["m"] * (4.0 + record["coordinates"]["m"] / 160)
    (fit,) = analyse(settings, records[::-1]).fits
    assert fit.m == [20, 40, 80, 160] and fit.ratio_at_largest_m == pytest.approx(5.0)
    assert fit.to_dict()["largest_m"] == 160


def test_a_noisy_end_of_the_bracket_is_evaluated_again_until_n_max_lies_inside(monkeypatch):
    """Success falls smoothly (logistic, width 3 around n* = 250.5): single evaluations near n* are noisy, and
    the logistic 50% point must end up inside the final bracket."""
    rng = np.random.default_rng(7)

    def noisy(settings, density, m, n, repeat=0):
        return int(rng.binomial(settings.trials, special.expit(-(n - 250.5) / 3)))

    monkeypatch.setattr(capacity_scaling, "successes_at", noisy)
    for _ in range(20):
        result = evaluate_cell(config(precision=0.005).to_dict(), {"density": 0.1, "m": 100})
        low, high = result["bracket"]
        assert result["n_max_inside_bracket"] is (low <= result["n_max"] <= high)
        assert result["n_max_inside_bracket"] or result["refinements"] == capacity_scaling.REFINEMENTS
        assert all(trials % 20 == 0 for _, _, trials in result["evaluations"])


def test_small_real_sweep_grows_linearly_near_f_l1(tmp_path):
    settings = config(m_grid=(20, 40, 80), trials=20, precision=0.05, seed=1)
    analysis = analyse(settings, run_sweep(tmp_path, settings.spec(), evaluate_cell))
    (fit,) = analysis.fits
    assert abs(fit.fit.exponent - 1) < 0.25
    assert fit.ratio_at_largest_m / fit.f_l1 == pytest.approx(1, abs=0.25)
