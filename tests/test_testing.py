"""The public Hypothesis strategies (superposition.testing): each draws only from the domain it documents."""

import math
import subprocess
import sys

import numpy as np
from hypothesis import given

from numerics.backend import to_numpy
from superposition import testing
from theory.architectures import homogeneity
from theory.capacity_functions import CAPACITY_FUNCTIONS


@given(shape=testing.shapes())
def test_shapes_are_positive_whole_numbers(shape):
    d_model, n_layer = shape
    assert isinstance(d_model, int) and isinstance(n_layer, int)
    assert 1 <= d_model <= 16_384 and 1 <= n_layer <= 256


@given(k=testing.width_factors(greater_than_one=True), any_k=testing.width_factors())
def test_width_factors_are_exact_and_positive(k, any_k):
    assert k.is_Rational and k > 1
    assert any_k.is_Rational and any_k > 0


@given(p=testing.sparse_densities())
def test_sparse_densities_lie_on_the_sparse_branch(p):
    assert 1e-12 <= p < math.exp(-1)


@given(function=testing.capacity_functions())
def test_capacity_functions_are_the_packages(function):
    assert function in CAPACITY_FUNCTIONS


@given(count=testing.parameter_counts())
def test_parameter_counts_are_homogeneous_families(count):
    assert homogeneity(count).holds


@given(problems=testing.sensing_problems())
def test_sensing_problems_are_small_k_sparse_batches_with_y_equal_A_x(problems):
    A, x, y = (to_numpy(array) for array in (problems.A, problems.x, problems.y))
    assert 1 <= problems.k <= problems.m <= problems.n <= 40
    assert ((x != 0).sum(axis=1) == problems.k).all()
    np.testing.assert_allclose(y, np.einsum("bmn,bn->bm", A, x), rtol=1e-12, atol=1e-12)


def test_without_hypothesis_the_import_fails_with_one_line_naming_the_test_extra():
    code = "import sys; sys.modules['hypothesis'] = None; import superposition.testing"
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert process.returncode == 1
    last = process.stderr.strip().splitlines()[-1]
    assert last == ("ModuleNotFoundError: superposition.testing needs Hypothesis, which comes with the test extra: "
                    "pip install 'scaling-superposition[test]'")
