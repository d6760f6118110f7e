"""The density Model B needs: f(p_B) = k f(p_A), closed form via Lambert W for the note, root finding for l1."""

import math
import re

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from theory.capacity import f_note_value
from theory.capacity_functions import capacity_ratio, required_density, shift_table
from theory.density_shift import (
    density_shift_closed_form, derive_closed_form, k, note_density_value, p_a,
    verify_closed_form,
)
from theory.validation import InvalidParameter

sparse_densities = st.floats(min_value=1e-9, max_value=math.exp(-1) * (1 - 1e-9))
factors = st.floats(min_value=1.0 + 1e-6, max_value=1e3)


def test_closed_form_is_the_sparse_lambert_branch():
    assert density_shift_closed_form() == sp.exp(sp.LambertW(p_a * sp.log(p_a) / k, -1))


def test_sympy_solve_gives_the_principal_branch_which_is_the_dense_one():
    derivation = derive_closed_form()
    assert derivation.principal_solution == derivation.branches[0]


@pytest.mark.parametrize("branch", [0, -1])
def test_both_real_branches_solve_the_equation_by_substitution(branch):
    assert verify_closed_form(branch).residual == 0


@given(density=sparse_densities, factor=factors)
def test_p_b_solves_f_of_p_b_equals_k_f_of_p_a_and_is_sparser(density, factor):
    p_b = required_density(density, factor)
    assert f_note_value(p_b) == pytest.approx(factor * f_note_value(density), rel=1e-9)
    assert p_b < density


@given(numerator=st.integers(1, 367), factor=st.integers(2, 20))
def test_symbolic_and_lambdified_closed_form_agree(numerator, factor):
    density = sp.Rational(numerator, 1000)
    exact = density_shift_closed_form().subs({p_a: density, k: factor}).evalf(30)
    assert note_density_value(float(density), float(factor)) == pytest.approx(float(exact), rel=1e-12)


def test_k_equal_one_keeps_the_density():
    assert required_density(0.1, 1) == pytest.approx(0.1, rel=1e-12)


def test_reference_value_k2_p01():
    """p_A = 0.1, k = 2: p_B ln p_B = 0.05 ln 0.1, p_B = 0.0340680 (checked by substitution above)."""
    assert required_density(0.1, 2) == pytest.approx(0.034067985758, rel=1e-10)


def test_table_for_k2_makes_every_density_sparser():
    rows = [row for row in shift_table(functions=("note",))]
    assert all(row.p_b < row.p_a for row in rows)


@pytest.mark.parametrize(
    "density, factor, words",
    [
        (0.5, 2, "p_A must lie in (0, 1/e) = (0, 0.367879) for f = note"),
        (0.0, 2, "p_A must lie in"),
        (0.1, 0, "k must be > 0"),
        (0.1, -2, "k must be > 0"),
        (0.3, 0.5, "k too small"),
    ],
)
def test_bad_input_is_refused_with_the_allowed_range(density, factor, words):
    with pytest.raises(InvalidParameter, match=re.escape(words)):
        required_density(density, factor)


@given(density=st.floats(min_value=1e-8, max_value=0.95), factor=st.floats(min_value=1.01, max_value=20),
       function=st.sampled_from(["l1-signed", "l1-nonneg"]))
def test_l1_p_b_solves_the_capacity_equation_and_is_sparser(density, factor, function):
    p_b = required_density(density, factor, function)
    assert capacity_ratio(p_b, function) == pytest.approx(factor * capacity_ratio(density, function), rel=1e-9)
    assert p_b < density


@pytest.mark.parametrize("function", ["l1-signed", "l1-nonneg"])
def test_l1_narrower_model_b_needs_denser_features(function):
    p_b = required_density(0.1, 0.5, function)
    assert p_b > 0.1
    assert capacity_ratio(p_b, function) == pytest.approx(0.5 * capacity_ratio(0.1, function), rel=1e-9)


@pytest.mark.parametrize("function", ["l1-signed", "l1-nonneg"])
def test_l1_allows_dense_features_outside_the_notes_branch(function):
    assert 0 < required_density(0.5, 2, function) < 0.5


def test_l1_target_below_one_feature_per_neuron_is_refused():
    with pytest.raises(InvalidParameter, match="k too small"):
        required_density(0.5, 0.01, "l1-signed")
