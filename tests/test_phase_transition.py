"""Phase-transition experiment: configuration checks, determinism, and the analysis against a planted curve."""

import math

import numpy as np
import pytest

from numerics import phase_transition, trials
from numerics.phase_transition import PhaseTransitionConfig, analyse, evaluate_cell
from numerics.sweep import run_sweep
from theory.l1_phase_transition import rho_l1
from theory.validation import InvalidParameter

RHOS = tuple(np.round(np.arange(1, 20) / 20, 2))


def small_config(**changes):
    settings = {"n": 40, "deltas": (0.5,), "rhos": (0.1, 0.5, 0.9), "trials": 4, "seed": 3}
    return PhaseTransitionConfig(**{**settings, **changes})


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"deltas": (0.0, 0.5)}, r"^deltas must lie in \(0, 1\]"),
        ({"deltas": (1.5,)}, "^deltas must lie in"),
        ({"rhos": (0.2, -0.1)}, "^rhos must lie in"),
        ({"rhos": ()}, "^rhos must be a non-empty list"),
        ({"deltas": ()}, "^deltas must be a non-empty list"),
        ({"trials": 0}, "^trials must be >= 1"),
        ({"solver": "magic"}, "^solver must be one of"),
        ({"signal": "complex"}, "^signal must be one of"),
        ({"tol": 0.0}, "^tol must lie in"),
        ({"n": 1}, "^n must be >= 2"),
        ({"batch": 0}, "^batch must be >= 1"),
    ],
)
def test_bad_configurations_are_refused_naming_the_parameter(changes, words):
    with pytest.raises(InvalidParameter, match=words):
        small_config(**changes)


def test_cell_sizes_round_delta_n_and_rho_m():
    """m and k are the nearest integers to δn and ρm (not truncations: 13.6 gives 14, 14.7 gives 15)."""
    config = small_config(n=400)
    assert config.sizes(0.5, 0.25) == (200, 50)
    assert config.sizes(0.1, 0.33) == (40, 13)
    assert config.sizes(0.1, 0.34) == (40, 14)
    assert small_config(n=30).sizes(0.49, 0.25) == (15, 4)  # 14.7 -> 15, then 3.75 -> 4


def test_a_cell_depends_only_on_seed_and_coordinates():
    config = small_config(trials=6)
    first = evaluate_cell(config.to_dict(), {"delta": 0.5, "rho": 0.5})
    assert first == evaluate_cell(config.to_dict(), {"delta": 0.5, "rho": 0.5})
    assert first["trials"] == 6 and first["m"] == 20 and first["k"] == 10
    other_seed = evaluate_cell(small_config(trials=6, seed=4).to_dict(), {"delta": 0.5, "rho": 0.5})
    assert other_seed["median_relative_error"] != first["median_relative_error"]


def planted_records(config, offset=0.0, width=40.0, rng=None):
    """Synthetic success counts whose 50% point is rho(delta) + offset at every delta."""
    rng = rng or np.random.default_rng(0)
    records = []
    for coordinates in config.spec().cells:
        m, k = config.sizes(coordinates["delta"], coordinates["rho"])
        centre = rho_l1(m / config.n, config.signal) + offset
        probability = 1 / (1 + math.exp(width * (k / m - centre)))
        records.append({"coordinates": coordinates, "result": {
            "m": m, "k": k, "trials": config.trials, "successes": int(rng.binomial(config.trials, probability)),
            "median_relative_error": 0.0}})
    return records


@pytest.mark.parametrize("signal", ["signed", "nonneg"])
@pytest.mark.parametrize("offset", [0.0, -0.05])
def test_analysis_finds_a_planted_transition_and_its_deviation(signal, offset):
    config = PhaseTransitionConfig(n=1000, deltas=(0.1, 0.3, 0.5, 0.7, 0.9), rhos=RHOS, trials=400, signal=signal)
    analysis = analyse(config, planted_records(config, offset))
    assert all(t.bracketed for t in analysis.transitions)
    for transition in analysis.transitions:
        assert transition.deviation == pytest.approx(offset, abs=0.01)
    assert analysis.max_abs_deviation == pytest.approx(abs(offset), abs=0.01)


@pytest.mark.parametrize("width", [20.0, 80.0])
def test_analysis_reports_the_10_90_width_of_a_planted_transition(width):
    """A logistic success curve exp(width·(ρ − ρ₀)) has 10-90% width 2 ln 9 / width (0.22 and 0.055 here)."""
    fine = tuple(np.round(np.arange(1, 100) / 100, 2))
    config = PhaseTransitionConfig(n=1000, deltas=(0.3, 0.5), rhos=fine, trials=400)
    analysis = analyse(config, planted_records(config, width=width))
    for transition in analysis.transitions:
        assert transition.width == pytest.approx(2 * math.log(9) / width, rel=0.15)
        assert transition.to_dict()["width_10_90"] == transition.width


def test_cells_carry_wilson_intervals_around_their_rates():
    config = small_config(deltas=(0.5, 0.8), rhos=RHOS, trials=10)
    analysis = analyse(config, planted_records(config))
    assert len(analysis.cells) == 2 * len(RHOS)
    for cell in analysis.cells:
        assert cell["wilson_low"] <= cell["success_rate"] <= cell["wilson_high"]
        assert cell["rho_realised"] == cell["k"] / cell["m"]


def test_small_real_sweep_brackets_the_transition_near_theory(tmp_path):
    config = PhaseTransitionConfig(n=60, deltas=(0.5,), rhos=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7), trials=8, seed=2)
    analysis = analyse(config, run_sweep(tmp_path, config.spec(), evaluate_cell))
    (transition,) = analysis.transitions
    assert transition.bracketed
    assert abs(transition.deviation) < 0.15


def test_rho_window_keeps_a_band_around_theory_at_each_delta():
    config = small_config(n=400, deltas=(0.2, 0.8), rhos=tuple(np.round(np.arange(1, 50) / 50, 2)), rho_window=0.05)
    for delta in config.deltas:
        centre = rho_l1(config.sizes(delta, 1.0)[0] / config.n, "signed")
        kept = config.rhos_at(delta)
        assert kept and all(abs(rho - centre) <= 0.05 for rho in kept)
        assert len(kept) == sum(abs(rho - centre) <= 0.05 for rho in config.rhos)
    assert len(config.spec().cells) == sum(len(config.rhos_at(delta)) for delta in config.deltas)


def test_a_rho_window_that_keeps_nothing_is_refused():
    with pytest.raises(InvalidParameter, match="^rho_window leaves no rho"):
        small_config(rhos=(0.95,), rho_window=0.01).spec()


def test_a_cell_does_not_depend_on_how_its_trials_are_batched():
    whole = evaluate_cell(small_config(trials=5).to_dict(), {"delta": 0.5, "rho": 0.3})
    split = evaluate_cell(small_config(trials=5, batch=2).to_dict(), {"delta": 0.5, "rho": 0.3})
    assert whole == split


def test_trial_problems_are_the_same_whatever_block_they_are_drawn_in():
    config = small_config(trials=4)
    block = phase_transition.trial_problems(config, {"delta": 0.5, "rho": 0.3}, 0, 4)
    single = phase_transition.trial_problems(config, {"delta": 0.5, "rho": 0.3}, 2, 1)
    assert np.array_equal(np.asarray(block.A[2:3]), np.asarray(single.A))
    assert block.batch == 4 and block.x.shape == (4, 40)


def test_a_cell_on_array_api_strict_counts_what_numpy_counts():
    coordinates = {"delta": 0.5, "rho": 0.1}
    numpy_cell = evaluate_cell(small_config(trials=3).to_dict(), coordinates)
    strict_cell = evaluate_cell(small_config(trials=3, backend="array-api-strict").to_dict(), coordinates)
    assert strict_cell["successes"] == numpy_cell["successes"] == 3
    assert strict_cell["median_relative_error"] == pytest.approx(numpy_cell["median_relative_error"], abs=1e-9)


def test_an_out_of_memory_error_splits_the_batch_and_the_cell_keeps_its_numbers(monkeypatch):
    class OutOfMemoryError(Exception):
        """Named like CuPy's."""

    real_recover = trials.recover
    sizes = []

    def small_device_recover(problems, *args, **options):
        sizes.append(problems.batch)
        if problems.batch > 2:
            raise OutOfMemoryError("out of memory allocating")
        return real_recover(problems, *args, **options)

    reference = evaluate_cell(small_config(trials=5).to_dict(), {"delta": 0.5, "rho": 0.3})
    monkeypatch.setattr(trials, "recover", small_device_recover)
    split = evaluate_cell(small_config(trials=5).to_dict(), {"delta": 0.5, "rho": 0.3})
    assert split == reference
    assert sizes == [5, 2, 3, 1, 2]  # 5 -> 2 + 3, 3 -> 1 + 2
