"""Every solver as a specification: invariances, the LP reference in the easy region, stopping and bad inputs.

Easy region: δ = m/n = 1/2 and ρ = k/m = 1/20, far below the ℓ1 transition ρ(1/2) ≈ 0.38, where every solver
recovered every one of 20 000 sampled problems at m = 60 and at m = 80, signed and nonnegative (measured when
these tests were written; at m = 40 each solver still fails about once in 10 000, so the properties use 60, 80).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics.backend import resolve, to_numpy
from numerics.recovery import DEFAULT_TOL, SOLVERS, generate_problems, recover, solve
from numerics.solvers.base import soft_threshold
from theory.soft_threshold_minimax import amp_threshold_alpha
from theory.validation import InvalidParameter

ITERATIVE = ("amp", "fista", "omp", "iht")
SIGNALS = {"signed": ("gaussian", False), "nonneg": ("uniform", True)}


def easy_problems(seed: int, m: int, shared: bool, signal: str = "signed", batch: int = 3, backend="numpy"):
    values, _ = SIGNALS[signal]
    return generate_problems(np.random.SeedSequence(seed), batch=batch, m=m, n=2 * m, k=m // 20, values=values,
                             shared_matrix=shared, backend=backend)


instances = st.fixed_dictionaries({
    "seed": st.integers(0, 2**32 - 1), "m": st.sampled_from([60, 80]), "shared": st.booleans(),
    "signal": st.sampled_from(sorted(SIGNALS)),
})


def estimate(problems, solver, nonnegative, A=None, y=None):
    output, _ = solve(problems.A if A is None else A, problems.y if y is None else y, solver,
                      nonnegative=nonnegative, sparsity=problems.sparsity_level)
    return to_numpy(output.x)


def test_soft_thresholding_shrinks_towards_zero_by_theta():
    """η(u; θ) = sign(u)·max(|u| − θ, 0); nonnegative: max(u − θ, 0), with θ per row (DMM 2009)."""
    u = np.array([[-3.0, -1.0, 0.0, 0.5, 2.0], [-3.0, -1.0, 0.0, 0.5, 2.0]])
    theta = np.array([[1.0], [0.25]])
    np.testing.assert_array_equal(soft_threshold(u, theta, False), [[-2, 0, 0, 0, 1], [-2.75, -0.75, 0, 0.25, 1.75]])
    np.testing.assert_array_equal(soft_threshold(u, theta, True), [[0, 0, 0, 0, 1], [0, 0, 0, 0.25, 1.75]])


@settings(max_examples=15)
@given(instance=instances)
def test_in_the_easy_region_every_solver_matches_the_lp_reference(instance):
    problems = easy_problems(**instance)
    nonnegative = SIGNALS[instance["signal"]][1]
    reference = recover(problems, "lp", nonnegative=nonnegative)
    assert reference.success.all()
    for solver in ITERATIVE:
        result = recover(problems, solver, nonnegative=nonnegative)
        difference = np.linalg.norm(to_numpy(result.x_hat) - to_numpy(reference.x_hat), axis=1)
        assert (difference < DEFAULT_TOL * np.linalg.norm(to_numpy(problems.x), axis=1)).all(), solver
        assert result.success.all() and result.support_recovered.all() and result.converged.all(), solver


@settings(max_examples=15)
@given(instance=instances)
def test_the_lp_solution_satisfies_the_measurements(instance):
    problems = easy_problems(**instance)
    nonnegative = SIGNALS[instance["signal"]][1]
    x_hat = estimate(problems, "lp", nonnegative)
    A, y = to_numpy(problems.A), to_numpy(problems.y)
    residual = x_hat @ A.T - y if problems.shared_matrix else np.einsum("bmn,bn->bm", A, x_hat) - y
    assert np.abs(residual).max() < 1e-7 * max(1.0, np.abs(y).max())
    if nonnegative:
        assert x_hat.min() >= -1e-9


@settings(max_examples=10)
@given(instance=instances, scale=st.sampled_from([1e-3, 0.5, 3.0, 1e3]), solver=st.sampled_from(SOLVERS))
def test_scale_equivariance_solve_of_c_y_is_c_times_solve_of_y(instance, scale, solver):
    problems = easy_problems(**instance)
    nonnegative = SIGNALS[instance["signal"]][1]
    base = estimate(problems, solver, nonnegative)
    scaled = estimate(problems, solver, nonnegative, y=scale * problems.y)
    np.testing.assert_allclose(scaled, scale * base, rtol=0, atol=1e-5 * scale * np.abs(base).max())


@settings(max_examples=10)
@given(instance=instances, solver=st.sampled_from(SOLVERS), data=st.data())
def test_permuting_the_columns_of_A_permutes_the_estimate(instance, solver, data):
    problems = easy_problems(**instance)
    nonnegative = SIGNALS[instance["signal"]][1]
    permutation = np.array(data.draw(st.permutations(range(problems.n))))
    xp = problems.backend.xp
    permuted_A = xp.take(problems.A, xp.asarray(permutation), axis=problems.A.ndim - 1)
    base = estimate(problems, solver, nonnegative)
    permuted = estimate(problems, solver, nonnegative, A=permuted_A)
    np.testing.assert_allclose(permuted, base[:, permutation], rtol=0, atol=1e-5 * np.abs(base).max())


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("shared", [False, True])
def test_zero_measurements_give_the_zero_estimate(solver, shared):
    problems = easy_problems(0, 40, shared)
    xp = problems.backend.xp
    x_hat = estimate(problems, solver, False, y=xp.zeros_like(problems.y))
    assert np.array_equal(x_hat, np.zeros_like(x_hat))


@pytest.mark.parametrize("solver", ITERATIVE)
def test_a_problem_solved_in_a_batch_is_solved_as_alone_and_shared_equals_distinct(solver):
    problems = easy_problems(7, 40, shared=True, batch=5)
    batched = estimate(problems, solver, False)
    xp = problems.backend.xp
    alone = estimate(problems, solver, False, y=problems.y[2:3, :])
    np.testing.assert_allclose(alone[0], batched[2], rtol=0, atol=1e-10)
    distinct_A = xp.broadcast_to(problems.A[None, ...], (5, problems.m, problems.n))
    np.testing.assert_allclose(estimate(problems, solver, False, A=distinct_A), batched, rtol=0, atol=1e-10)


def test_amp_takes_its_threshold_from_the_minimax_theory():
    problems = easy_problems(1, 40, shared=True)
    result = recover(problems, "amp")
    assert result.options["alpha"] == amp_threshold_alpha(problems.delta, problems.rho, "signed")
    nonnegative = recover(easy_problems(1, 40, shared=True, signal="nonneg"), "amp", nonnegative=True)
    assert nonnegative.options["alpha"] == amp_threshold_alpha(problems.delta, problems.rho, "nonneg")


def test_far_above_the_transition_every_solver_fails_and_says_so():
    problems = generate_problems(np.random.SeedSequence(2), batch=4, m=20, n=80, k=18)
    for solver in SOLVERS:
        result = recover(problems, solver, **({"max_iter": 200} if solver in ("amp", "fista", "iht") else {}))
        assert not result.success.any(), solver
        assert result.relative_error.min() > DEFAULT_TOL


def test_float32_runs_in_float32_and_still_recovers_to_its_precision():
    problems = generate_problems(np.random.SeedSequence(3), batch=4, m=60, n=120, k=3, dtype="float32")
    for solver in ITERATIVE:
        result = recover(problems, solver, tol=1e-2, rtol=1e-4) if solver != "omp" else recover(problems, solver)
        assert result.x_hat.dtype == np.float32 and result.success.all(), solver


def test_summary_states_the_tolerance_and_its_definition():
    summary = recover(easy_problems(4, 40, shared=True), "omp").summary()
    assert summary["tol"] == DEFAULT_TOL == 1e-3
    assert summary["success_definition"] == "relative l2 error < 0.001"
    assert summary["success_rate"] == 1.0 and summary["problems_per_second"] > 0


def test_bernoulli_support_uses_the_expected_count_as_the_sparsity_level():
    problems = generate_problems(np.random.SeedSequence(5), batch=6, m=60, n=120, density=0.02)
    for solver in ("amp", "fista", "lp"):
        assert recover(problems, solver).success.all(), solver


def bad(A, y, solver="amp", **options):
    return solve(A, y, solver, sparsity=2, **options)


@pytest.mark.parametrize("case, words", [
    ("nan_in_A", "A must be finite, found NaN or inf entries"),
    ("inf_in_y", "y must be finite, found NaN or inf entries"),
    ("wrong_y_length", "does not match A"),
    ("wrong_batch", "does not match A"),
    ("vector_y", "must have shape (m, n) or (batch, m, n)"),
    ("unknown_solver", "solver must be one of amp, fista, omp, iht, lp, got 'cosamp'"),
    ("unknown_option", "is not an option of solver 'amp'"),
    ("mixed_dtypes", "must have the dtype of A"),
])
def test_bad_inputs_are_refused_by_name(case, words):
    problems = easy_problems(0, 40, shared=False)
    A, y = to_numpy(problems.A), to_numpy(problems.y)
    xp = resolve("numpy").xp
    arguments = {
        "nan_in_A": lambda: bad(xp.asarray(np.where(np.arange(A.size).reshape(A.shape) == 5, np.nan, A)),
                                xp.asarray(y)),
        "inf_in_y": lambda: bad(xp.asarray(A), xp.asarray(np.where(y > 0, np.inf, y))),
        "wrong_y_length": lambda: bad(xp.asarray(A), xp.asarray(y[:, :-1])),
        "wrong_batch": lambda: bad(xp.asarray(A), xp.asarray(y[:-1])),
        "vector_y": lambda: bad(xp.asarray(A), xp.asarray(y[0])),
        "unknown_solver": lambda: bad(xp.asarray(A), xp.asarray(y), "cosamp"),
        "unknown_option": lambda: bad(xp.asarray(A), xp.asarray(y), frobnicate=1),
        "mixed_dtypes": lambda: bad(xp.asarray(A), xp.asarray(y.astype(np.float32))),
    }[case]
    with pytest.raises(InvalidParameter) as raised:
        arguments()
    assert words in str(raised.value)


def test_bad_tolerance_is_refused():
    with pytest.raises(InvalidParameter, match="tol must be a finite number > 0"):
        recover(easy_problems(0, 40, shared=True), "amp", tol=0)


def test_with_measurement_noise_every_estimate_stays_finite_and_close():
    problems = generate_problems(np.random.SeedSequence(8), batch=10, m=100, n=200, k=10, noise=0.01,
                                 shared_matrix=True)
    for solver, options in [("amp", {}), ("fista", {"final_ratio": 1e-2}), ("omp", {"max_atoms": 10}),
                            ("iht", {}), ("lp", {})]:
        result = recover(problems, solver, **options)
        assert np.isfinite(to_numpy(result.x_hat)).all(), solver
        assert np.median(result.relative_error) < 0.1, solver


@pytest.mark.parametrize("shared", [False, True])
def test_solving_a_batch_in_parts_gives_the_results_of_solving_it_whole(shared):
    from numerics.recovery import RecoveryResult

    problems = easy_problems(9, 60, shared, batch=7)
    whole = recover(problems, "amp")
    parts = RecoveryResult.concatenate([recover(problems.subset(0, 3), "amp"), recover(problems.subset(3, 7), "amp")])
    np.testing.assert_allclose(to_numpy(parts.x_hat), to_numpy(whole.x_hat), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(parts.iterations, whole.iterations)
    assert parts.batch == 7 and parts.summary()["success_rate"] == whole.summary()["success_rate"] == 1.0


@pytest.mark.parametrize("solver", SOLVERS)
def test_signed_solvers_are_odd_solve_of_minus_y_is_minus_solve_of_y(solver):
    problems = easy_problems(11, 60, shared=False)
    base = estimate(problems, solver, False)
    np.testing.assert_allclose(estimate(problems, solver, False, y=-problems.y), -base, rtol=0,
                               atol=1e-6 * np.abs(base).max())
