"""Specification of the Model A/B table (theory.model_table)."""

import sympy as sp
from hypothesis import given

from superposition.testing import positive_rationals, width_factors
from theory.model_table import derive_model_table
from theory.note import NOTE_K, NOTE_TABLE
from theory.shapes import parameter_count
from theory.symbols import F, d_model, k, n_layer


def _evaluate(table, d, L):
    return table.at_shape(d, L, features=7)


# --- invariants, as properties over random positive rationals -------------------------------------------------

@given(d=positive_rationals(), L=positive_rationals(), width=width_factors(),
       attn=positive_rationals(8, 4), ff=positive_rationals(16, 4))
def test_parameters_are_invariant_under_the_shape_change(d, L, width, attn, ff):
    table = derive_model_table(k=width, attn_ratio=attn, ff_ratio=ff).at_shape(d, L)
    row = table.row("total_parameters")
    assert row.model_a == row.model_b == parameter_count(d, L, attn, ff)


@given(d=positive_rationals(), L=positive_rationals(), width=width_factors(), ff=positive_rationals(16, 4))
def test_each_row_scales_by_its_power_of_k(d, L, width, ff):
    for neurons in ("residual", "mlp"):
        table = derive_model_table(k=width, ff_ratio=ff, neurons=neurons).at_shape(d, L, features=1000)
        expected = {
            "neurons_per_layer": width, "layers": 1 / width**2, "total_neurons": 1 / width,
            "total_features": 1, "features_per_layer": width**2, "features_per_neuron": width,
        }
        for key, factor in expected.items():
            row = table.row(key)
            assert sp.simplify(row.model_b - factor * row.model_a) == 0, key


def test_symbolic_ratios_are_powers_of_k():
    ratios = {row.key: row.ratio for row in derive_model_table().rows}
    assert ratios == {
        "total_parameters": 1, "neurons_per_layer": k, "layers": k**-2, "total_neurons": 1 / k,
        "total_features": 1, "features_per_layer": k**2, "features_per_neuron": k,
    }


# --- the seed's table, cell by cell ----------------------------------------------------------------------------

def test_seed_table_at_k_2_cell_by_cell():
    table = derive_model_table(k=NOTE_K)
    for key, (printed_a, printed_b) in NOTE_TABLE.items():
        row = table.row(key)
        constant = 12 if key == "total_parameters" else 1  # the seed drops Kaplan's 12 from N
        assert sp.simplify(row.model_a - constant * printed_a) == 0, key
        assert sp.simplify(row.model_b - constant * printed_b) == 0, key


def test_mlp_neurons_keep_the_same_ratios():
    table = derive_model_table(k=2, neurons="mlp")
    assert table.row("neurons_per_layer").model_a == 4 * d_model
    assert table.row("features_per_neuron").model_b == F / (2 * d_model * n_layer)
    assert table.row("features_per_neuron").ratio == 2


# --- reference values from the literature ----------------------------------------------------------------------

def test_kaplan_fig5_pair_parameters_and_features_per_neuron():
    """Kaplan et al. (2020) Fig. 5: (n_layer, d_model) = (6, 4288) vs (48, 1600), loss within 3%."""
    wide, deep = parameter_count(4288, 6), parameter_count(1600, 48)
    assert wide == 12 * 6 * 4288**2 == 1_323_859_968
    assert deep == 12 * 48 * 1600**2 == 1_474_560_000
    # Universality: features per neuron = F / (d_model n_layer); the wide model packs this many times more.
    ratio = sp.Rational(48 * 1600, 6 * 4288)
    assert (F / (4288 * 6)) / (F / (1600 * 48)) == ratio
    assert ratio == sp.Rational(200, 67)  # about 2.985 times the features per neuron


def test_concrete_shape_warns_when_layers_are_not_whole():
    table = derive_model_table(k=2).at_shape(512, 6)
    assert table.row("layers").model_b == sp.Rational(3, 2)
    assert any("not a whole number" in warning for warning in table.warnings)
    assert derive_model_table(k=2).at_shape(512, 8).warnings == ()
