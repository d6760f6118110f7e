"""Capacity experiment: bracket-and-bisect finds a planted n_max; the fit recovers planted exponents 1 and 2."""

import math

import numpy as np
import pytest

from numerics import capacity_scaling
from numerics.capacity_scaling import CapacityConfig, analyse, evaluate_cell, geometric_grid
from numerics.sweep import run_sweep
from theory.capacity_functions import capacity_ratio
from theory.validation import InvalidParameter


def config(**changes):
    settings = {"densities": (0.1,), "m_grid": (20, 40), "trials": 20, "batch": 20, "n_bootstrap": 200}
    return CapacityConfig(**{**settings, **changes})


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"densities": ()}, "--density must be a non-empty list"),
        ({"densities": (0.0,)}, r"--density must lie in \(0, 1\)"),
        ({"densities": (1.0,)}, "--density must lie in"),
        ({"m_grid": ()}, "--m-grid must be a non-empty list"),
        ({"m_grid": (1, 10)}, "--m-grid must hold whole numbers >= 2"),
        ({"m_grid": (10.5,)}, "--m-grid must hold whole numbers"),
        ({"trials": 0}, "--trials must be >= 1"),
        ({"support": "poisson"}, "--support must be one of bernoulli, fixed"),
        ({"precision": 0.0}, "--precision must lie in"),
        ({"max_iter": 0}, "--max-iter must be >= 1"),
    ],
)
def test_bad_configurations_are_refused_naming_the_option(changes, words):
    with pytest.raises(InvalidParameter, match=words):
        config(**changes)


@pytest.mark.parametrize("ratio", [1.5, 3.3, 7.9])
def test_bracket_and_bisect_finds_a_planted_threshold(monkeypatch, ratio):
    """With success 100% up to n* = ratio m and 0% beyond, n_max lands within the bisection precision of n*."""
    def planted(settings, density, m, n):
        return settings.trials if n <= ratio * m else 0

    monkeypatch.setattr(capacity_scaling, "successes_at", planted)
    settings = config(precision=0.01)
    result = evaluate_cell(settings.to_dict(), {"density": 0.1, "m": 100})
    low, high = result["bracket"]
    assert low <= ratio * 100 < high and high - low <= max(1, 0.01 * low)
    assert result["n_max"] == pytest.approx(ratio * 100, rel=0.02)


def test_a_threshold_beyond_the_largest_ratio_is_reported_unbracketed(monkeypatch):
    monkeypatch.setattr(capacity_scaling, "successes_at", lambda settings, density, m, n: settings.trials)
    result = evaluate_cell(config().to_dict(), {"density": 0.1, "m": 10})
    assert result["bracketed"] is False and result["n_max"] is None


def planted_records(settings, exponent, noise, rng):
    return [
        {"coordinates": {"density": p, "m": m},
         "result": {"n_max": 3.0 * m**exponent * math.exp(rng.normal(0, noise)), "bracketed": True, "evaluations": []}}
        for p in settings.densities for m in settings.m_grid
    ]


@pytest.mark.parametrize("exponent", [1.0, 2.0])
def test_fit_recovers_a_planted_exponent_from_synthetic_n_max(exponent):
    settings = config(densities=(0.05, 0.1), m_grid=tuple(geometric_grid(50, 1600, 6)), n_bootstrap=1000)
    analysis = analyse(settings, planted_records(settings, exponent, 0.02, np.random.default_rng(1)))
    for fit in analysis.fits:
        assert fit.fit.exponent == pytest.approx(exponent, abs=0.03)
        assert fit.fit.contains(exponent) and not fit.fit.contains(3 - exponent)
        payload = fit.to_dict()
        assert payload["candidates"]["linear (note: n = m f(p))"]["inside_interval"] is (exponent == 1.0)
        assert fit.f_l1 == capacity_ratio(fit.density, "l1-signed")
        assert fit.f_note == capacity_ratio(fit.density, "note")


def test_small_real_sweep_grows_linearly_near_f_l1(tmp_path):
    settings = config(m_grid=(20, 40, 80), trials=20, precision=0.05, seed=1)
    analysis = analyse(settings, run_sweep(tmp_path, settings.spec(), evaluate_cell))
    (fit,) = analysis.fits
    assert abs(fit.fit.exponent - 1) < 0.25
    assert fit.ratio_at_largest_m / fit.f_l1 == pytest.approx(1, abs=0.25)
