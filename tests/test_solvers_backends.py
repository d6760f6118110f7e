"""Every solver gives the same results on NumPy, array-api-strict and (where there is a GPU) CuPy.

The problems are drawn on the host, so every backend solves bit-identical inputs; only floating-point
rounding in the solvers may differ. array-api-strict refuses anything outside the standard, which is what
keeps the CuPy path honest on machines without a GPU.
"""

import numpy as np
import pytest

from numerics.backend import to_numpy
from numerics.recovery import SOLVERS, generate_problems, recover


def both_layouts(backend: str, signal: str):
    values = "uniform" if signal == "nonneg" else "gaussian"
    return [
        generate_problems(np.random.SeedSequence(21), batch=4, m=40, n=80, k=3, values=values, shared_matrix=shared,
                          backend=backend)
        for shared in (False, True)
    ]


def assert_same_results(reference, other):
    np.testing.assert_allclose(to_numpy(other.x_hat), to_numpy(reference.x_hat), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(other.success, reference.success)
    np.testing.assert_array_equal(other.support_recovered, reference.support_recovered)
    assert np.abs(other.iterations - reference.iterations).max() <= 1


@pytest.mark.parametrize("signal", ["signed", "nonneg"])
@pytest.mark.parametrize("solver", SOLVERS)
def test_numpy_and_array_api_strict_give_identical_results(solver, signal):
    nonnegative = signal == "nonneg"
    for ours, strict in zip(both_layouts("numpy", signal), both_layouts("array-api-strict", signal)):
        reference = recover(ours, solver, nonnegative=nonnegative)
        assert reference.success.all()
        assert_same_results(reference, recover(strict, solver, nonnegative=nonnegative))


@pytest.mark.gpu
@pytest.mark.parametrize("solver", SOLVERS)
def test_cupy_gives_the_numpy_results(solver):
    for ours, gpu in zip(both_layouts("numpy", "signed"), both_layouts("cupy", "signed")):
        assert_same_results(recover(ours, solver), recover(gpu, solver))
