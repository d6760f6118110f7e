"""theory.published_shapes: the shipped data, its validation, per-row consistency, and near-equal-N pairs."""

import csv
from importlib import resources

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from theory.published_shapes import (
    BASIC_COLUMNS, COLUMNS, PublishedShape, bias_and_norm_parameters, check_shape, density_needed, load_published_shapes, make_pair,
    pairs_within, parse_published_shapes,
)
from theory.validation import InvalidParameter

SHAPES = {shape.model: shape for shape in load_published_shapes()}
CHECKS = {model: check_shape(shape) for model, shape in SHAPES.items()}


def raw_rows():
    text = resources.files("theory.data").joinpath("published_shapes.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def shape(model="M", n_layer=4, d_model=64, **fields):
    values = dict(family="F", model=model, n_layer=n_layer, d_model=d_model, n_heads=None, d_head=None,
                  published_params=None, params_kind="none", n_vocab=None, n_ctx=None, source="S", notes="")
    return PublishedShape(**{**values, **fields})


def test_every_row_has_a_source_and_the_published_families():
    assert all(row.source for row in SHAPES.values())
    families = {row.family for row in SHAPES.values()}
    assert families == {"GPT-3", "Pythia", "Kaplan", "Llama 2", "Llama 3.1"}
    assert sum(row.family == "GPT-3" for row in SHAPES.values()) == 8
    assert sum(row.family == "Pythia" for row in SHAPES.values()) == 6
    assert sum(row.family == "Llama 2" for row in SHAPES.values()) == 3


#: Architecture count + untied embeddings + RMSNorm gains (2 d per layer, d after the last): the parameter counts of
#: the released checkpoints (config.json of meta-llama/Llama-2-*-hf and Llama-3.1-*), as their model pages report.
RELEASED_TOTALS = {
    "Llama 2 7B": 6_738_415_616, "Llama 2 13B": 13_015_864_320, "Llama 2 70B": 68_976_648_192,
    "Llama 3.1 8B": 8_030_261_248, "Llama 3.1 70B": 70_553_706_496, "Llama 3.1 405B": 405_853_388_800,
}


@pytest.mark.parametrize("model, total", RELEASED_TOTALS.items())
def test_llama_architecture_count_plus_embeddings_and_norms_is_the_released_checkpoints_count(model, total):
    row, check = SHAPES[model], CHECKS[model]
    norms = 2 * row.d_model * row.n_layer + row.d_model
    assert check.compared_params + norms == total


@pytest.mark.parametrize("model, error", [
    ("Llama 2 7B", -0.0374), ("Llama 2 13B", 0.0012), ("Llama 2 70B", -0.0146),
    ("Llama 3.1 8B", 0.0037), ("Llama 3.1 70B", 0.0079), ("Llama 3.1 405B", 0.0021),
])
def test_llama_printed_sizes_are_the_architecture_count_with_embeddings_rounded(model, error):
    check = CHECKS[model]
    assert check.relative_error == pytest.approx(error, abs=5e-5)
    assert check.disagreements == ()


def test_a_kaplan_count_would_misjudge_llama_2_70b():
    """12 L d^2 assumes a 4 d MLP of two matrices and full key/value heads: 64.4e9 against 68.5e9 for 70B."""
    row = SHAPES["Llama 2 70B"]
    assert row.kaplan_params == 12 * 80 * 8192**2 < row.architecture_params == 68_451_041_280


@pytest.mark.parametrize("model", [model for model in SHAPES if model.startswith("Pythia")])
def test_pythia_12_L_d2_is_within_half_a_percent_of_the_published_count(model):
    assert abs(CHECKS[model].kaplan_relative_error) < 0.005


@pytest.mark.parametrize("model", [model for model in SHAPES if model.startswith("Pythia")])
def test_pythia_remainder_is_exactly_the_biases_and_layer_norms(model):
    row = SHAPES[model]
    assert row.published_params - row.kaplan_params == bias_and_norm_parameters(row.d_model, row.n_layer)
    assert CHECKS[model].remainder_is_bias_and_norm is True


def test_pythia_70m_reference_count():
    """Biderman et al. (2023): 18,915,328 non-embedding parameters; 12 * 6 * 512**2 = 18,874,368."""
    assert SHAPES["Pythia 70M"].kaplan_params == 18_874_368


def test_kaplan_pair_features_per_neuron_ratio_is_48_1600_over_6_4288():
    pair = make_pair(SHAPES["Kaplan (48 x 1600)"], SHAPES["Kaplan (6 x 4288)"])
    assert pair.wide.model == "Kaplan (6 x 4288)"
    assert pair.features_per_neuron_ratio == sp.Rational(48 * 1600, 6 * 4288)
    assert pair.width_ratio == sp.Rational(4288, 1600)
    assert pair in pairs_within(SHAPES.values(), 0.15)


def test_gpt3_totals_match_12_L_d2_plus_embeddings_within_rounding():
    for model, check in CHECKS.items():
        if model.startswith("GPT-3"):
            assert abs(check.relative_error) < 0.025, model


def test_rows_whose_published_numbers_disagree_are_reported():
    flagged = {model for model, check in CHECKS.items() if check.disagreements}
    assert flagged == {"GPT-3 XL", "GPT-3 13B"}
    (thirteen,) = CHECKS["GPT-3 13B"].disagreements
    assert "40 x 128 = 5120 differs from d_model = 5140" in thirteen
    assert "does not decide" in thirteen
    (xl,) = CHECKS["GPT-3 XL"].disagreements
    assert "3072" in xl and "supports d_model = 2048" in xl


def test_the_data_file_is_never_corrected():
    rows = {row["model"]: row for row in raw_rows()}
    assert rows["GPT-3 13B"]["d_model"] == "5140" and SHAPES["GPT-3 13B"].d_model == 5140
    assert rows["GPT-3 XL"]["d_head"] == "128"


def test_count_outside_the_tolerance_is_a_disagreement():
    row = shape(published_params=1_000_000, params_kind="non-embedding")
    (text,) = check_shape(row).disagreements
    assert "differs from the published" in text


@given(st.integers(1, 64), st.integers(1, 4), st.integers(1, 8))
def test_parameter_preserving_pair_has_features_per_neuron_ratio_k(d, k, layers_b):
    """(d, k^2 L) vs (k d, L): equal N, and B packs k times the features per neuron, as in the note's table."""
    a, b = shape("A", n_layer=k * k * layers_b, d_model=d), shape("B", n_layer=layers_b, d_model=k * d)
    pair = make_pair(b, a)
    assert pair.relative_difference == 0
    if k > 1:
        assert (pair.narrow.model, pair.wide.model) == ("A", "B")
    assert pair.features_per_neuron_ratio == k


@given(st.floats(min_value=0.01, max_value=1.0))
def test_pairs_within_respect_the_tolerance_and_grow_with_it(tolerance):
    pairs = pairs_within(SHAPES.values(), tolerance)
    assert all(pair.relative_difference < tolerance for pair in pairs)
    assert set(pairs) <= set(pairs_within(SHAPES.values(), 2 * tolerance))
    for pair in pairs:  # effective k = width ratio x N_A / N_B (exactly k when N is equal)
        n_ratio = sp.Rational(pair.narrow.kaplan_params, pair.wide.kaplan_params)
        assert pair.features_per_neuron_ratio == pair.width_ratio * n_ratio


def test_wider_model_needs_sparser_features():
    pair = make_pair(SHAPES["Kaplan (48 x 1600)"], SHAPES["Kaplan (6 x 4288)"])
    for function in ("note", "l1-signed"):
        density, reason = density_needed(pair, 0.05, function)
        assert reason is None and density < 0.05
    same = make_pair(SHAPES["GPT-3 XL"], SHAPES["Pythia 1.4B"])
    assert density_needed(same, 0.05, "note")[0] == pytest.approx(0.05)


def test_unreachable_density_is_a_reason_not_an_error():
    pair = make_pair(SHAPES["Kaplan (48 x 1600)"], SHAPES["Kaplan (6 x 4288)"])
    density, reason = density_needed(pair, 0.5, "note")
    assert density is None and "p_A must lie in" in reason


HEADER = ",".join(BASIC_COLUMNS)  # a file without the architecture columns is read as Kaplan rows
FULL = ",".join(COLUMNS)
GOOD = "F,M,4,64,,,,none,,,S,"


@pytest.mark.parametrize("text, words", [
    ("a,b\n1,2\n", "header must be family,model"),
    (f"{HEADER}\n", "must hold at least one model"),
    (f"{HEADER}\nF,M,four,64,,,,none,,,S,\n", "line 2, column n_layer must be a whole number, got 'four'"),
    (f"{HEADER}\nF,M,-4,64,,,,none,,,S,\n", "line 2, column n_layer must be > 0"),
    (f"{HEADER}\nF,M,4,,,,,none,,,S,\n", "line 2, column d_model must be a positive whole number"),
    (f"{HEADER}\nF,M,4,64,,,,none,,,,\n", "line 2, column source must not be empty"),
    (f"{HEADER}\nF,M,4,64,8,,,none,,,S,\n", "line 2, column d_head and n_heads must both be given"),
    (f"{HEADER}\nF,M,4,64,,,,exact,,,S,\n", "column params_kind must be one of"),
    (f"{HEADER}\nF,M,4,64,,,100,none,,,S,\n", "column published_params must be given exactly when"),
    (f"{HEADER}\nF,M,4,64,,,100,total-nominal,,,S,\n", "n_vocab and n_ctx are needed"),
    (f"{HEADER}\n{GOOD}\n{GOOD}\n", "line 3, column model must be unique"),
    (f"{HEADER}\nF,M,4,64\n", "line 2 must have exactly 12 cells"),
    (f"{FULL}\n{GOOD},mamba,,,\n", "line 2, column architecture must be one of kaplan, swiglu"),
    (f"{FULL}\nF,M,4,64,8,8,,none,,,S,,gqa,,16,\n", "line 2, column n_kv_heads must be at most n_heads (8), got 16"),
    (f"{FULL}\nF,M,4,64,,,100,total-nominal,,,S,,,,,untied-rotary\n", "column n_vocab is needed"),
    (f"{FULL}\n{GOOD},,,,learned\n", "column embeddings must be one of"),
])
def test_invalid_csv_names_the_line_and_column(text, words):
    with pytest.raises(InvalidParameter, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_published_shapes(text, "shapes.csv")


def test_architecture_columns_set_the_rows_count():
    (row,) = parse_published_shapes(f"{FULL}\nF,M,2,64,8,8,,none,,,S,,swiglu-gqa,192,2,\n")
    assert row.architecture_params == 2 * (2 * 64 * 64 + 2 * 64 * 16 + 3 * 64 * 192)


def test_unreadable_file_is_named(tmp_path):
    with pytest.raises(InvalidParameter, match="data must be a readable UTF-8 CSV file"):
        load_published_shapes(tmp_path / "missing.csv", name="data")
