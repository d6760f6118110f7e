"""Problem batches: the ensembles they claim, reproducible from the seed on every backend, bad sizes refused."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from numerics.backend import to_numpy
from numerics.problems import generate_problems
from theory.validation import InvalidParameter


def host(problems):
    return to_numpy(problems.A), to_numpy(problems.x), to_numpy(problems.y)


@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 12), extra=st.integers(0, 12), shared=st.booleans())
def test_k_sparse_signals_have_exactly_k_nonzeros_and_y_is_A_x(seed, m, extra, shared):
    n = m + extra
    k = seed % (m + 1)
    A, x, y = host(generate_problems(np.random.SeedSequence(seed), batch=3, m=m, n=n, k=k, shared_matrix=shared))
    assert A.shape == ((m, n) if shared else (3, m, n))
    assert ((x != 0).sum(axis=1) == k).all()
    expected = x @ A.T if shared else np.einsum("bmn,bn->bm", A, x)
    np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-12)


def test_gaussian_matrix_has_variance_one_over_m_and_rademacher_entries_are_plus_minus_one_over_root_m():
    gaussian, _, _ = host(generate_problems(np.random.SeedSequence(0), batch=1, m=200, n=400, k=1, shared_matrix=True))
    assert gaussian.var() * 200 == pytest.approx(1.0, rel=0.02)
    rademacher, _, _ = host(generate_problems(np.random.SeedSequence(0), batch=1, m=16, n=32, k=1,
                                              matrix="rademacher", shared_matrix=True))
    assert set(np.unique(rademacher * 4).tolist()) == {-1.0, 1.0}


def test_bernoulli_support_has_the_requested_density():
    _, x, _ = host(generate_problems(np.random.SeedSequence(1), batch=200, m=50, n=100, density=0.1))
    assert (x != 0).mean() == pytest.approx(0.1, abs=0.01)


@pytest.mark.parametrize("values, check", [
    ("uniform", lambda v: ((v > 0) & (v < 1)).all()),
    ("rademacher", lambda v: set(np.unique(v).tolist()) == {-1.0, 1.0}),
    ("gaussian", lambda v: (v < 0).any() and (v > 0).any()),
])
def test_nonzero_values_follow_the_named_distribution(values, check):
    _, x, _ = host(generate_problems(np.random.SeedSequence(2), batch=50, m=10, n=20, k=5, values=values))
    assert check(x[x != 0])


def test_noise_has_the_requested_standard_deviation():
    clean = generate_problems(np.random.SeedSequence(3), batch=400, m=50, n=60, k=3, shared_matrix=True)
    noisy = generate_problems(np.random.SeedSequence(3), batch=400, m=50, n=60, k=3, shared_matrix=True, noise=0.1)
    residual = to_numpy(noisy.y) - to_numpy(clean.y)
    assert residual.std() == pytest.approx(0.1, rel=0.02)
    np.testing.assert_array_equal(to_numpy(noisy.x), to_numpy(clean.x))


def test_same_seed_gives_the_same_numbers_bit_for_bit_on_numpy_and_array_api_strict():
    arguments = dict(batch=4, m=8, n=16, density=0.3, values="uniform")
    numpy_problems = host(generate_problems(np.random.SeedSequence(9), backend="numpy", **arguments))
    strict_problems = host(generate_problems(np.random.SeedSequence(9), backend="array-api-strict", **arguments))
    for ours, theirs in zip(numpy_problems, strict_problems):
        np.testing.assert_array_equal(ours, theirs)
    different = host(generate_problems(np.random.SeedSequence(10), **arguments))
    assert not np.array_equal(different[0], numpy_problems[0])


def test_float32_is_a_cast_of_the_float64_draws():
    single = generate_problems(np.random.SeedSequence(4), batch=2, m=5, n=10, k=2, dtype="float32")
    double = generate_problems(np.random.SeedSequence(4), batch=2, m=5, n=10, k=2)
    assert single.A.dtype == np.float32 and single.describe()["dtype"] == "float32"
    np.testing.assert_array_equal(to_numpy(single.A), to_numpy(double.A).astype(np.float32))


def test_ratios_describe_the_ensemble():
    problems = generate_problems(np.random.SeedSequence(0), batch=1, m=25, n=100, k=5)
    assert (problems.delta, problems.rho, problems.sparsity_level) == (0.25, 0.2, 5)
    bernoulli = generate_problems(np.random.SeedSequence(0), batch=1, m=25, n=100, density=0.05)
    assert bernoulli.rho == pytest.approx(0.2) and bernoulli.sparsity_level == 5


@pytest.mark.parametrize("arguments, words", [
    (dict(m=10, n=20, k=11), "k must be a whole number in [0, m = 10]"),
    (dict(m=30, n=20, k=2), "m must be <= n"),
    (dict(m=10, n=20), "give exactly one of k"),
    (dict(m=10, n=20, k=2, density=0.1), "give exactly one of k"),
    (dict(m=10, n=20, density=1.5), "density must lie in (0, 1]"),
    (dict(m=10, n=20, density=0.0), "density must lie in (0, 1]"),
    (dict(m=0, n=20, k=0), "m must be > 0"),
    (dict(m=10, n=20, k=2, matrix="bernoulli"), "matrix must be one of gaussian, rademacher"),
    (dict(m=10, n=20, k=2, values="cauchy"), "values must be one of"),
    (dict(m=10, n=20, k=2, noise=-1.0), "noise must be a finite number >= 0"),
    (dict(m=10, n=20, k=2, noise=float("nan")), "noise must be a finite number >= 0"),
    (dict(m=10, n=20, k=2, dtype="float16"), "dtype must be one of float64, float32"),
    (dict(m=10.5, n=20, k=2), "m must be a whole number"),
])
def test_bad_sizes_are_refused_by_name(arguments, words):
    with pytest.raises(InvalidParameter, ) as raised:
        generate_problems(np.random.SeedSequence(0), batch=2, **arguments)
    assert words in str(raised.value)
