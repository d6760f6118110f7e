"""Parameter-count families (theory.architectures): each count, its homogeneity, and the refusal of the rest."""

import pytest
import sympy as sp
from hypothesis import given

from superposition.testing import parameter_counts, width_factors
from theory.architectures import ARCHITECTURES, architecture, homogeneity, require_homogeneous
from theory.shapes import parameter_count
from theory.symbols import attn_ratio, d_model, ff_ratio, n_layer
from theory.validation import InvalidParameter


def test_kaplan_family_is_eq_2_1_for_any_ratios():
    kaplan = architecture("kaplan", attn_ratio=attn_ratio, ff_ratio=ff_ratio)
    assert sp.expand(kaplan(d_model, n_layer) - parameter_count(d_model, n_layer, attn_ratio, ff_ratio)) == 0


def test_swiglu_at_llamas_eight_thirds_keeps_twelve_d_squared_per_layer():
    assert ARCHITECTURES["swiglu"](d_model, n_layer) == 12 * d_model**2 * n_layer


def test_grouped_query_attention_with_one_group_per_head_is_multi_head_attention():
    assert architecture("gqa", kv_ratio=1)(d_model, n_layer) == ARCHITECTURES["kaplan"](d_model, n_layer)


def test_llama_2_70b_layer_counted_matrix_by_matrix():
    """Llama 2 70B: d = 8192, 64 query heads and 8 key/value heads of 128, d_ff = 28672 (SwiGLU)."""
    d, d_ff, d_kv = 8192, 28672, 8 * 128
    per_layer = d * d + 2 * d * d_kv + d * d + 3 * d * d_ff  # Q, K and V, O, gate/up/down
    assert ARCHITECTURES["swiglu-gqa"](d, 1) == per_layer == ARCHITECTURES["gqa-fixed-kv"](d, 1)


@pytest.mark.parametrize("name", ["kaplan", "swiglu", "gqa", "swiglu-gqa"])
def test_every_homogeneous_family_keeps_its_count_under_the_width_k_change(name):
    count, k = ARCHITECTURES[name], sp.Symbol("k", positive=True)
    assert homogeneity(count).holds
    assert sp.simplify(count(k * d_model, n_layer / k**2) - count(d_model, n_layer)) == 0


@given(count=parameter_counts(), k=width_factors())
def test_model_b_layers_solved_from_any_public_family_are_n_layer_over_k_squared(count, k):
    layers_b = sp.Symbol("L_B", positive=True)
    (solution,) = sp.solve(sp.Eq(count(k * d_model, layers_b), count(d_model, n_layer)), layers_b)
    assert sp.simplify(solution - n_layer / k**2) == 0


@pytest.mark.parametrize("count, words", [
    (ARCHITECTURES["gqa-fixed-kv"], "its term 2048*d_model*n_layer has degree 1 in d_model and 1 in n_layer"),
    (lambda d, L: 12 * d**3 * L, "has degree 3 in d_model"),
    (lambda d, L: 12 * d**2 * L**2, "has degree 2 in d_model and 2 in n_layer"),
    (lambda d, L: d**2 * L * sp.log(d), "is not a power product of them"),
])
def test_a_count_of_another_degree_is_refused_with_the_offending_term(count, words):
    assert not homogeneity(count).holds
    with pytest.raises(InvalidParameter, match="architecture must be homogeneous") as raised:
        require_homogeneous(count, "architecture")
    assert words in str(raised.value)


@pytest.mark.parametrize("call, words", [
    (lambda: architecture("mamba"), "architecture must be one of kaplan, swiglu, gqa"),
    (lambda: architecture("gqa", kv_ratio=2), "kv_ratio must be <= 1"),
    (lambda: architecture("swiglu", ff_ratio=0), "ff_ratio must be > 0"),
])
def test_bad_names_and_ratios_are_refused_in_python_names(call, words):
    with pytest.raises(InvalidParameter, match=words):
        call()
