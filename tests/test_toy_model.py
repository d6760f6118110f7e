"""The toy model's hand-derived gradients, AdamW, and the batched trainer (Elhage et al. 2022)."""

import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

from numerics.backend import resolve
from numerics.seeding import cell_generator
from numerics.toy_model import (ACTIVATIONS, AdamW, AdamWSettings, ToyModelSpec, ToyTrainer, TrainingSettings,
                                forward, loss_and_gradients)

xp = resolve("numpy").xp


def random_problem(seed, instances=2, batch=6, m=3, n=5):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(instances, m, n))
    b = rng.normal(scale=0.3, size=(instances, n))
    x = np.maximum(rng.random((instances, batch, n)) - 0.4, 0.0) / 0.6
    importance = rng.random((instances, n)) + 0.1
    return W, b, x, importance


def central_differences(function, array, step=1e-6):
    """d sum(function()) / d array by central differences, entry by entry (array is perturbed in place)."""
    gradient = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + step
        up = float(np.sum(function()))
        array[index] = saved - step
        down = float(np.sum(function()))
        array[index] = saved
        gradient[index] = (up - down) / (2 * step)
    return gradient


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(seed=st.integers(0, 2**32 - 1))
def test_gradients_match_central_finite_differences(activation, seed):
    W, b, x, importance = random_problem(seed)
    _, pre, _ = forward(W, b, x, activation)
    assume(np.abs(pre).min() > 1e-4)  # away from the ReLU kink, where the loss is not differentiable
    _, grad_W, grad_b = loss_and_gradients(W, b, x, importance, activation)

    def loss():
        return loss_and_gradients(W, b, x, importance, activation)[0]

    np.testing.assert_allclose(grad_W, central_differences(loss, W), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(grad_b, central_differences(loss, b), rtol=1e-6, atol=1e-8)


def test_loss_is_the_importance_weighted_squared_error_averaged_over_the_batch():
    W, b, x, importance = random_problem(1)
    _, _, out = forward(W, b, x, "relu")
    expected = np.mean(np.sum(importance[:, None, :] * (x - out) ** 2, axis=2), axis=1)
    np.testing.assert_allclose(loss_and_gradients(W, b, x, importance)[0], expected, rtol=1e-13)


def test_adamw_first_step_moves_each_entry_by_lr_against_the_gradient_sign():
    """At t = 1 the bias-corrected step is g / (|g| + eps): each entry moves by lr (plus the weight decay)."""
    settings = AdamWSettings(learning_rate=0.1, weight_decay=0.0)
    parameter = xp.asarray([1.0, -2.0, 3.0])
    gradient = xp.asarray([0.5, -4.0, 1e-3])
    (updated,) = AdamW([parameter], settings).step([parameter], [gradient])
    np.testing.assert_allclose(updated, parameter - 0.1 * np.sign(gradient), rtol=1e-4)


def test_adamw_decays_weights_decoupled_from_the_gradient():
    settings = AdamWSettings(learning_rate=0.1, weight_decay=0.5)
    parameter = xp.asarray([2.0])
    (updated,) = AdamW([parameter], settings).step([parameter], [xp.zeros_like(parameter)])
    np.testing.assert_allclose(updated, [2.0 * (1 - 0.1 * 0.5)])


def make_trainer(densities, backend="numpy", steps=5, n=5, m=2, seed=0):
    densities = np.asarray(densities, dtype=float)
    spec = ToyModelSpec(n=n, m=m, densities=np.repeat(densities[:, None], n, axis=1),
                        importance=np.tile(0.9 ** np.arange(n), (len(densities), 1)))
    generators = [cell_generator(seed, ("test", float(p))) for p in densities]
    return ToyTrainer(spec, generators, TrainingSettings(steps=steps, log_every=1), backend=backend)


def test_numpy_and_array_api_strict_give_identical_trajectories():
    numpy_run = make_trainer([1.0, 0.1]).run()
    strict_run = make_trainer([1.0, 0.1], backend="array-api-strict").run()
    np.testing.assert_array_equal(numpy_run.W, strict_run.W)
    np.testing.assert_array_equal(numpy_run.b, strict_run.b)
    np.testing.assert_array_equal(numpy_run.losses, strict_run.losses)


@pytest.mark.gpu
def test_cupy_follows_the_numpy_trajectory():
    numpy_run = make_trainer([1.0, 0.1], steps=20).run()
    cupy_run = make_trainer([1.0, 0.1], backend="cupy", steps=20).run()
    np.testing.assert_allclose(cupy_run.W, numpy_run.W, rtol=1e-9, atol=1e-12)


def test_an_instance_trains_the_same_alone_as_batched_with_others():
    batched = make_trainer([1.0, 0.3, 0.05], steps=20).run()
    alone = make_trainer([0.3], steps=20).run()
    np.testing.assert_allclose(batched.W[1], alone.W[0], rtol=1e-12, atol=1e-14)


def test_training_is_deterministic_per_seed_and_differs_across_seeds():
    first, again = make_trainer([0.1], seed=3).run(), make_trainer([0.1], seed=3).run()
    other = make_trainer([0.1], seed=4).run()
    np.testing.assert_array_equal(first.W, again.W)
    assert not np.array_equal(first.W, other.W)


def test_progress_callback_counts_every_step_once():
    counted = []
    make_trainer([0.5], steps=7).run(on_progress=counted.append)
    assert sum(counted) == 7


def test_loss_curve_records_every_log_step():
    result = make_trainer([0.5], steps=4).run()
    assert result.loss_steps == [1, 2, 3, 4] and result.losses.shape == (4, 1)


def test_a_diverging_run_raises_naming_instance_density_and_step():
    from numerics.toy_model import TrainingDiverged

    spec = ToyModelSpec(n=5, m=2, densities=np.full((2, 5), 0.5), importance=np.ones((2, 5)))
    settings = TrainingSettings(steps=60, batch_size=16, log_every=20, optimizer=AdamWSettings(learning_rate=1e10))
    trainer = ToyTrainer(spec, [np.random.default_rng(i) for i in range(2)], settings)
    with pytest.raises(TrainingDiverged, match=r"instance 0 \(density 0.5 and 1 more\) has loss (nan|inf) at step 20, "
                                               r"finite at step 0; lower the learning rate \(now 1e\+10\)"):
        trainer.run()
