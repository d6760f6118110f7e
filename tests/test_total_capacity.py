"""Total capacity of Model A and Model B: linear superposition loses 1/k, the m^2 variant is shape-free, a = beta."""

import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from superposition.testing import positive_rationals
from theory import symbols
from theory.total_capacity import POOLINGS, a, beta, total_capacity, uniqueness


def test_linear_superposition_model_b_holds_one_kth_of_the_features():
    assert total_capacity(a=1).ratio == 1 / symbols.k


def test_the_notes_m_squared_variant_is_shape_invariant():
    assert total_capacity(a=2).ratio == 1


def test_cross_layer_pooling_still_scales_as_one_over_k():
    assert total_capacity(a=1, pooling="cross-layer").ratio == 1 / symbols.k


def test_model_a_total_is_layers_times_per_layer_capacity():
    from theory.total_capacity import f_p

    assert total_capacity(a=1).model_a == symbols.d_model * symbols.n_layer * f_p


def test_transformer_beta_is_two_from_kaplans_parameter_count():
    result = uniqueness()
    assert (result.beta_transformer, result.layer_exponent) == (2, 1)


def test_uniqueness_solves_a_equals_beta():
    result = uniqueness()
    assert result.coefficient == a - beta
    assert result.solution == beta
    assert result.ratio == symbols.k ** (a - beta)


@given(beta_value=positive_rationals(max_numerator=40, max_denominator=7), k_value=positive_rationals(50, 7))
def test_a_equal_to_beta_is_the_only_shape_invariant_exponent(beta_value, k_value):
    result = uniqueness()
    assert result.invariant_exponent(beta_value) == beta_value
    assert result.ratio.subs({a: beta_value, beta: beta_value, symbols.k: k_value}) == 1
    if k_value != 1:
        assert result.ratio.subs({a: beta_value + 1, beta: beta_value, symbols.k: k_value}) != 1


@given(k_value=positive_rationals(50, 7), exponent=st.sampled_from([1, 2, 3]), pooling=st.sampled_from(POOLINGS))
def test_numeric_k_agrees_with_the_symbolic_ratio(k_value, exponent, pooling):
    symbolic = total_capacity(a=exponent, pooling=pooling).ratio
    assert total_capacity(a=exponent, k=k_value, pooling=pooling).ratio == sp.simplify(symbolic.subs(symbols.k, k_value))


def test_mlp_neurons_give_the_same_ratio():
    assert total_capacity(a=1, neurons="mlp").ratio == 1 / symbols.k
