"""Trainer options: initialisation registry, float32, best-of-k restarts and the convergence diagnostic."""

import numpy as np
import pytest

from numerics.seeding import cell_generator
from numerics.toy_experiments import density_spec
from numerics.toy_initialisation import INITIALISATIONS, initial_scale
from numerics.toy_model import ToyTrainer, TrainingSettings
from numerics.toy_restarts import evaluation_losses, relative_change_last_tenth, train_best_of


def test_default_initialisation_is_glorot_for_one_instances_matrix():
    """The default draws N(0, 2/(m+n)) from the instance's generator: the trainer's draw before the registry."""
    draw = INITIALISATIONS["xavier"](np.random.default_rng(5), 20, 200, 27)
    np.testing.assert_array_equal(draw, np.random.default_rng(5).normal(0.0, np.sqrt(2.0 / 220), size=(20, 200)))
    assert TrainingSettings().initialisation == "xavier"


def test_notebook_scale_is_pytorch_xavier_normal_of_the_instances_by_n_by_m_tensor():
    """torch.nn.init.xavier_normal_: fan_in = size(1) * prod(size[2:]), fan_out = size(0) * prod(size[2:])."""
    instances, n, m = 27, 200, 20
    fan_in, fan_out = n * m, instances * m
    assert initial_scale("notebook", m=m, n=n, instances=instances) == pytest.approx(np.sqrt(2 / (fan_in + fan_out)))
    assert initial_scale("notebook", m=m, n=n, instances=instances) < initial_scale("xavier", m=m, n=n, instances=1)


@pytest.mark.parametrize("name", list(INITIALISATIONS))
def test_every_initialisation_draws_at_its_stated_scale(name):
    draw = INITIALISATIONS[name](np.random.default_rng(0), 30, 400, 10)
    assert draw.std() == pytest.approx(initial_scale(name, m=30, n=400, instances=10), rel=0.02)  # 12 000 draws


def test_unknown_initialisation_or_dtype_is_refused_by_name():
    with pytest.raises(ValueError, match="initialisation"):
        TrainingSettings(initialisation="orthogonal")
    with pytest.raises(ValueError, match="dtype"):
        TrainingSettings(dtype="float16")


def trainer(settings, densities=(1.0, 0.1), n=6, m=2):
    spec = density_spec(densities, n=n, m=m, importance=0.9 ** np.arange(n))
    return ToyTrainer(spec, [cell_generator(0, ("options", p)) for p in densities], settings)


def test_float32_trains_in_float32_and_follows_float64_closely():
    double = trainer(TrainingSettings(steps=50, log_every=10)).run()
    single = trainer(TrainingSettings(steps=50, log_every=10, dtype="float32")).run()
    assert single.W.dtype == np.float32 and double.W.dtype == np.float64
    np.testing.assert_allclose(single.W, double.W, atol=1e-3)  # 50 steps of lr 1e-3: rounding of 1e-7 per step


def test_one_restart_is_the_plain_run():
    spec = density_spec((1.0, 0.1), n=6, m=2, importance=np.ones(6))
    coordinates = [("options", p) for p in (1.0, 0.1)]
    settings = TrainingSettings(steps=30)
    best = train_best_of(spec, coordinates, seed=0, settings=settings, restarts=1, evaluation_samples=256)
    plain = ToyTrainer(spec, [cell_generator(0, c) for c in coordinates], settings).run()
    np.testing.assert_array_equal(best.W, plain.W)
    assert best.restarts_needed.tolist() == [1, 1]


def test_restarts_keep_the_lowest_evaluated_loss_and_include_the_plain_run():
    spec = density_spec((0.3,), n=6, m=2, importance=np.ones(6))
    best = train_best_of(spec, [("options", 0.3)], seed=0, settings=TrainingSettings(steps=30), restarts=3,
                         evaluation_samples=256)
    assert best.restart_losses.shape == (1, 3)
    assert best.final_losses[0] == best.restart_losses[0].min()
    first_within = np.flatnonzero(best.restart_losses[0] <= 1.01 * best.final_losses[0])[0]
    assert best.restarts_needed[0] == first_within + 1 <= np.argmin(best.restart_losses[0]) + 1
    assert len(set(best.restart_losses[0].tolist())) == 3  # different initialisations


def test_restarts_of_a_cell_are_evaluated_on_the_same_inputs():
    """Identical weights in two restarts of a cell get identical losses: common random numbers."""
    spec = density_spec((0.3, 0.05), n=5, m=2, importance=np.ones(5))
    W = np.repeat(np.random.default_rng(1).normal(size=(2, 1, 2, 5)), 2, axis=1).reshape(4, 2, 5)
    losses = evaluation_losses(W, np.zeros((4, 5)), spec, [cell_generator(0, (p,)) for p in (0.3, 0.05)], 700)
    assert losses[0] == losses[1] and losses[2] == losses[3] and losses[0] != losses[2]


def test_relative_change_reads_a_linear_decline_and_a_plateau():
    steps = list(range(100, 2100, 100))
    falling = [[5.0 - 0.001 * s, 2.0] for s in steps]
    change = relative_change_last_tenth(steps, falling)
    assert change[0] == pytest.approx(-0.2 / np.mean([5.0 - 0.001 * s for s in steps if s >= 1800]))
    assert change[1] == pytest.approx(0.0, abs=1e-12)


def test_restarts_repeat_every_per_instance_field_of_the_spec():
    from dataclasses import replace

    from numerics.toy_restarts import repeat_spec

    spec = replace(density_spec((1.0, 0.1), n=4, m=2, importance=np.ones(4)), feature_high=2.0,
                   weight_decay=np.array([-1.0, 0.5]))
    repeated = repeat_spec(spec, 3)
    assert repeated.instances == 6 and repeated.feature_high == 2.0
    assert repeated.weight_decay.tolist() == [-1.0, -1.0, -1.0, 0.5, 0.5, 0.5]
    assert repeated.densities[3].tolist() == [0.1] * 4
