"""numerics.willshaw: storage and retrieval properties of the batched memory, and its measured capacity."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from numerics.backend import resolve, to_numpy
from numerics.willshaw import (
    CHUNK, PairSource, WillshawMemory, analyse_scaling, measure_capacity, patterns_from_indices, sample_active_indices,
)
from theory.associative_memory import asymptotic_capacity_value, finite_capacity_value
from theory.validation import InvalidParameter

NUMPY = resolve("numpy")


def random_pairs(seed, trials, count, m, k):
    generator = np.random.default_rng(seed)
    indices = sample_active_indices(generator, (2, trials, count), m, k)
    return patterns_from_indices(indices[0], m), patterns_from_indices(indices[1], m)


def memory_with(inputs, outputs, backend=NUMPY):
    xp = backend.xp
    trials, _, m = inputs.shape
    return WillshawMemory.empty(trials, m, xp).store(xp.asarray(inputs), xp.asarray(outputs))


sizes = st.integers(min_value=8, max_value=48)


@given(st.integers(0, 2**32 - 1), sizes, st.integers(1, 4), st.data())
def test_patterns_have_exactly_k_distinct_active_units(seed, m, trials, data):
    k = data.draw(st.integers(1, m // 2))
    inputs, outputs = random_pairs(seed, trials, 5, m, k)
    assert set(np.unique(inputs)) <= {0.0, 1.0}
    assert np.all(inputs.sum(axis=-1) == k) and np.all(outputs.sum(axis=-1) == k)


@given(st.integers(0, 2**32 - 1), sizes, st.integers(1, 3), st.data())
def test_one_stored_pair_is_retrieved_exactly(seed, m, trials, data):
    k = data.draw(st.integers(1, m // 2))
    inputs, outputs = random_pairs(seed, trials, 1, m, k)
    memory = memory_with(inputs, outputs)
    assert np.array_equal(to_numpy(memory.retrieve(inputs)), outputs)


@given(st.integers(0, 2**32 - 1), st.integers(2, 6), st.integers(1, 4), st.data())
def test_pairs_with_disjoint_cues_are_all_retrieved_exactly(seed, count, k, data):
    """Only the pair itself sets synapses from its cue's units, so no other output unit reaches threshold."""
    m = data.draw(st.integers(count * k, count * k + 20))
    generator = np.random.default_rng(seed)
    cue_units = generator.permutation(m)[: count * k].reshape(1, count, k)
    inputs = patterns_from_indices(cue_units, m)
    outputs = patterns_from_indices(sample_active_indices(generator, (1, count), m, k), m)
    memory = memory_with(inputs, outputs)
    assert np.array_equal(to_numpy(memory.retrieve(inputs)), outputs)
    assert np.all(to_numpy(memory.wrong_units(inputs, outputs)) == 0)


@given(st.integers(0, 2**32 - 1), sizes, st.integers(1, 60), st.data())
def test_complete_cues_never_miss_a_stored_unit(seed, m, count, data):
    k = data.draw(st.integers(1, m // 2))
    inputs, outputs = random_pairs(seed, 2, count, m, k)
    retrieved = to_numpy(memory_with(inputs, outputs).retrieve(inputs))
    assert np.all(retrieved >= outputs)


@given(st.integers(0, 2**32 - 1), sizes, st.integers(2, 40), st.data())
def test_storage_is_idempotent_and_order_free(seed, m, count, data):
    k = data.draw(st.integers(1, m // 2))
    split = data.draw(st.integers(1, count - 1))
    inputs, outputs = random_pairs(seed, 2, count, m, k)
    at_once = memory_with(inputs, outputs)
    in_two = memory_with(inputs[:, split:], outputs[:, split:]).store(inputs[:, :split], outputs[:, :split])
    twice = at_once.store(inputs, outputs)
    assert np.array_equal(at_once.weights, in_two.weights) and np.array_equal(at_once.weights, twice.weights)


@given(st.integers(0, 2**32 - 1), sizes, st.integers(1, 40), st.integers(1, 40), st.data())
def test_storing_more_pairs_never_removes_a_wrong_unit(seed, m, first, more, data):
    """Weights only grow, so the units retrieved from a cue only grow."""
    k = data.draw(st.integers(1, m // 2))
    inputs, outputs = random_pairs(seed, 1, first + more, m, k)
    fewer = memory_with(inputs[:, :first], outputs[:, :first])
    everything = fewer.store(inputs[:, first:], outputs[:, first:])
    cues = inputs[:, :first]
    assert np.all(to_numpy(everything.retrieve(cues)) >= to_numpy(fewer.retrieve(cues)))


def test_array_api_strict_gives_the_numpy_retrieval():
    strict = resolve("array-api-strict")
    inputs, outputs = random_pairs(3, 2, 40, 32, 5)
    on_numpy, on_strict = memory_with(inputs, outputs), memory_with(inputs, outputs, strict)
    assert np.array_equal(to_numpy(on_numpy.weights), np.asarray(on_strict.weights))
    assert np.array_equal(to_numpy(on_numpy.wrong_units(inputs, outputs)),
                          np.asarray(on_strict.wrong_units(strict.xp.asarray(inputs), strict.xp.asarray(outputs))))


def test_pair_stream_does_not_depend_on_how_it_is_cut():
    source = PairSource(seed=5, m=64, k=6, trials=2, backend=NUMPY)
    whole = source.pairs(CHUNK - 10, CHUNK + 30)
    parts = [source.pairs(CHUNK - 10, CHUNK + 5), source.pairs(CHUNK + 5, CHUNK + 30)]
    for index in range(2):
        assert np.array_equal(whole[index], np.concatenate([part[index] for part in parts], axis=1))


def test_capacity_is_deterministic_and_brackets_the_criterion():
    first = measure_capacity(32, trials=2, probes=64, seed=11)
    assert first == measure_capacity(32, trials=2, probes=64, seed=11)
    assert first.wrong_units_at_capacity <= 1.0 < first.wrong_units_above
    assert first.capacity < first.first_failure <= first.capacity + max(1, 0.01 * first.capacity) + 1


def test_capacity_grows_with_m_and_stays_near_the_independence_prediction():
    results = [measure_capacity(size, trials=2, probes=128, seed=2) for size in (32, 64, 128, 256)]
    capacities = [result.capacity for result in results]
    assert capacities == sorted(capacities) and len(set(capacities)) == 4
    for result in results:
        assert 0.7 < result.capacity / finite_capacity_value(result.m, result.k) < 1.1


def test_scaling_fit_of_exact_asymptotic_capacities_has_corrected_exponent_two():
    class Exact:
        def __init__(self, m):
            self.m, self.k, self.max_wrong_units = m, round(np.log2(m)), 1.0
            self.capacity = asymptotic_capacity_value(m)

    scaling = analyse_scaling([Exact(2**j) for j in range(6, 12)], n_bootstrap=100)
    assert scaling.corrected_fit.exponent == pytest.approx(2, abs=1e-9)
    assert scaling.raw_fit.exponent == pytest.approx(scaling.theory_raw_slope, abs=1e-9)
    assert 1.5 < scaling.raw_fit.exponent < 2


@pytest.mark.parametrize("options, words", [
    ({"m": 2}, "m must be at least 4"),
    ({"m": 64, "k": 40}, "k must lie in"),
    ({"m": 64, "max_wrong_units": 0}, "max_wrong_units must lie in"),
    ({"m": 64, "max_wrong_units": 58}, "max_wrong_units must lie in"),
    ({"m": 64, "trials": 0}, "trials must be > 0"),
    ({"m": 64, "rel_tol": 1.5}, "rel_tol must lie in"),
])
def test_bad_values_name_the_parameter(options, words):
    with pytest.raises(InvalidParameter, match=words):
        measure_capacity(**options)


@pytest.mark.gpu
def test_cupy_measures_the_numpy_capacity():
    """0/1 float32 products are exact on any device, so the capacity does not depend on the backend."""
    assert measure_capacity(128, trials=2, seed=4, backend="cupy") == measure_capacity(128, trials=2, seed=4)
