"""Liu, Liu & Gore's toy model: their data, their weight decay, the scaling experiment and the A/B experiment."""


import numpy as np
import pytest

from numerics import toy_ab, toy_scaling
from numerics.toy_data import FeatureStream
from numerics.toy_model import AdamWSettings, ToyModelSpec, ToyTrainer, TrainingSettings
from numerics.weight_decay import liu_decay
from theory.liu_toy import power_law_frequencies, tail_loss
from theory.validation import InvalidParameter


# -- data -------------------------------------------------------------------------------------------------------------

def test_frequencies_are_a_normalised_power_law():
    """p_i = i^-(1+alpha) / sum_j j^-(1+alpha): sums to 1, p_1/p_2 = 2^(1+alpha) (their exp-10.py)."""
    p = power_law_frequencies(1000, 0.5)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert p[0] / p[1] == pytest.approx(2**1.5, rel=1e-12)


def test_tail_loss_is_the_dropped_frequency_times_the_mean_square_over_n():
    """Keeping the 2 most frequent of p = (1/2, 1/4, 1/8, 1/8): (1/4) * E[U[0,2)^2] / 4 = (1/4)(4/3)/4 = 1/12."""
    assert tail_loss([0.125, 0.5, 0.25, 0.125], 2) == pytest.approx(1 / 12, rel=1e-12)


def test_features_uniform_on_zero_two_are_twice_the_unit_stream():
    make = lambda high: FeatureStream([np.random.default_rng(3)], [[0.5, 0.2, 1.0]], 64, high).next_batch()
    one, two = make(1.0), make(2.0)
    assert np.array_equal(two, 2.0 * one) and two.max() < 2.0 and two.min() >= 0.0


# -- weight decay -----------------------------------------------------------------------------------------------------

def test_positive_decay_is_ordinary_decoupled_decay():
    W = np.random.default_rng(0).normal(size=(1, 3, 5))
    assert np.allclose(liu_decay(np.array([0.5]))(W, 0.1), W * (1 - 0.05), rtol=0, atol=1e-15)


def test_negative_decay_pulls_every_feature_norm_to_one():
    """Their rule alone, repeated: ||W_i|| -> 1 for small and large starting norms; unit columns are a fixed point."""
    rng = np.random.default_rng(1)
    W = rng.normal(size=(1, 4, 6)) * np.array([0.1, 0.5, 2.0, 3.0, 0.9, 1.1])
    decay = liu_decay(np.array([-1.0]))
    for _ in range(2000):
        W = decay(W, 0.01)
    assert np.allclose(np.linalg.norm(W[0], axis=0), 1.0, atol=1e-6)
    unit = W / np.linalg.norm(W, axis=1, keepdims=True)
    assert np.allclose(decay(unit, 0.01), unit, atol=1e-9)


def _trainer(weight_decay, optimizer_decay, steps=30):
    spec = ToyModelSpec(n=6, m=2, densities=np.full((2, 6), 0.3), importance=np.ones((2, 6)),
                        weight_decay=weight_decay)
    settings = TrainingSettings(steps=steps, batch_size=32, optimizer=AdamWSettings(1e-2, weight_decay=optimizer_decay))
    return ToyTrainer(spec, [np.random.default_rng(i) for i in range(2)], settings).run()


def test_zero_liu_decay_trains_exactly_like_no_decay():
    """The decay hook is wired in the place of PyTorch's decoupled decay: rate 0 changes nothing, bit for bit."""
    hooked, plain = _trainer(np.zeros(2), 0.0), _trainer(None, 0.0)
    assert np.array_equal(hooked.W, plain.W) and np.array_equal(hooked.b, plain.b)


def test_liu_decay_leaves_the_bias_alone():
    """A positive rate on W only: W differs from the optimiser's decay (which also decays b), b's path is different."""
    on_w_only, on_both = _trainer(np.full(2, 0.5), 0.0), _trainer(None, 0.5)
    assert not np.array_equal(on_w_only.b, on_both.b)


# -- the scaling experiment -------------------------------------------------------------------------------------------

def test_measure_instance_on_a_known_geometry():
    """Three unit vectors at 120 degrees in the plane (m = 2): squared overlaps 1/4, the Welch bound (3-2)/(2*2)."""
    angles = 2 * np.pi * np.arange(3) / 3
    W = np.stack([np.cos(angles), np.sin(angles)])
    x = np.zeros((1, 4, 3))
    result = toy_scaling.measure_instance(W, np.zeros(3), x, alpha=1.0, decay=-1.0)
    assert result.represented_fraction == 1.0 and result.loss == 0.0
    assert result.mean_squared_overlap == pytest.approx(0.25) and result.welch_bound == pytest.approx(0.25)


def test_fit_recovers_an_exact_power_law():
    config = toy_scaling.with_sizes(toy_scaling.LAPTOP, alphas=(1.0,), decays=(-1.0,))
    rows = [toy_scaling.InstanceResult(1.0, -1.0, m, 0.3 / m, 1.0, None, None, tail_loss(power_law_frequencies(200, 1.0), m))
            for m in config.ms]
    (fit,) = toy_scaling.fit_exponents(config, rows, seed=0)
    assert fit.exponent == pytest.approx(1.0, abs=1e-12) and fit.ci_low == pytest.approx(1.0, abs=1e-9)


def test_full_is_the_papers_exp10_grid():
    full = toy_scaling.FULL
    assert (full.n, full.ms, full.steps, full.batch_size) == (1000, (10, 15, 25, 39, 63, 100), 20_000, 2048)
    assert len(full.alphas) == 9 and len(full.decays) == 10 and full.decays[0] == -1.0 and full.decays[-1] == 1.0
    assert full.training_settings().schedule.warmup_steps == 2000


def test_config_refuses_widths_not_below_n():
    with pytest.raises(InvalidParameter) as error:
        toy_scaling.with_sizes(toy_scaling.LAPTOP, n=20)
    assert error.value.name == "n"


def test_tiny_run_separates_the_regimes():
    """Strong (decay -1) keeps more features than weak (+1), all of them at m = 6; deterministic per seed."""
    config = toy_scaling.ScalingConfig(n=30, ms=(3, 6), alphas=(1.0,), decays=(-1.0, 1.0), steps=300, batch_size=64,
                                       eval_batch=512)
    result = toy_scaling.run_scaling(config, seed=5)
    for m in config.ms:
        assert result.cell(1.0, -1.0, m).represented_fraction > result.cell(1.0, 1.0, m).represented_fraction
    assert result.cell(1.0, -1.0, 6).represented_fraction == 1.0 and result.cell(1.0, 1.0, 6).represented_fraction < 0.5
    again = toy_scaling.run_scaling(config, seed=5)
    assert [r.loss for r in again.instances] == [r.loss for r in result.instances]


# -- the A/B experiment -----------------------------------------------------------------------------------------------

def test_ab_shapes_follow_the_model_table():
    config = toy_ab.ABConfig(k=3, n_a=10, m_a=2)
    assert (config.n_b, config.m_b) == (90, 6)
    densities = config.all_densities()
    assert 0.1 in densities and any(0.01 < p < 0.1 and p not in config.densities for p in densities)


def test_total_loss_ratio_is_the_loss_per_feature_ratio():
    """(L/k^2) n_B l_B / (L n_A l_A) with n_B = k^2 n_A is l_B / l_A."""
    a = toy_ab.LayerResult("A", "natural", 0.1, 10, 2, 5, 0.02)
    b = toy_ab.LayerResult("B", "natural", 0.1, 40, 4, 10, 0.03)
    row = toy_ab.ABRow("natural", 0.1, a, b)
    assert row.total_loss_ratio == pytest.approx(1.5) and row.represented_ratio == pytest.approx(0.5)


def test_ab_refuses_an_unknown_regime():
    with pytest.raises(InvalidParameter) as error:
        toy_ab.ABConfig(regimes=("weak",))
    assert error.value.name == "regimes"
