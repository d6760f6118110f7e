r"""Lemmas 1-3: the shape algebra of Model A = (d, n) and Model B = (k d, n/k^2).

1. ``parameter-invariance``: N(k d, L_B) = N(d, n) for the layer count L_B of
   :func:`theory.shapes.width_preserving_layers` (Kaplan's ratios and any d_attn/d_model, d_ff/d_model), and the
   table's parameter row says so.
2. ``neuron-scaling``: neurons per layer x k, layers x 1/k^2, total neurons x 1/k.
3. ``feature-scaling``: under universality (same F), features per layer x k^2, features per neuron x k.

Premises are the theory's functions and the derived table (:func:`theory.model_table.derive_model_table`);
each lemma first checks the table's cells against their definitions, then the scaling it states.

>>> PARAMETER_INVARIANCE.check().status, NEURON_SCALING.check().status, FEATURE_SCALING.check().status
('proved', 'proved', 'proved')
"""

import sympy as sp

from proofs.lemma import Lemma
from proofs.tactics import applied, identity
from theory import shapes
from theory.model_table import derive_model_table
from theory.symbols import F, attn_ratio, d_model, ff_ratio, k, n_layer


def symbolic_table(parameter_count=shapes.parameter_count):
    """The table for symbolic k and Kaplan's ratios under ``parameter_count``, the default premise (cached)."""
    return derive_model_table(parameter_count=parameter_count)


SHAPE_HYPOTHESES = tuple(sp.Gt(symbol, 0, evaluate=False) for symbol in (d_model, n_layer, k))


def prove_parameter_invariance(parameter_count=shapes.parameter_count,
                               width_preserving_layers=shapes.width_preserving_layers, table=None):
    table = symbolic_table(parameter_count) if table is None else table
    kaplan_layers = width_preserving_layers(k)
    general_layers = width_preserving_layers(k, attn_ratio, ff_ratio)
    return [
        identity(f"Model B has L_B = {sp.sstr(kaplan_layers)} layers (solved in theory.shapes); its parameter "
                 "count equals Model A's (Kaplan's d_attn = d_model, d_ff = 4 d_model)",
                 applied(parameter_count, (k * d_model, kaplan_layers)), parameter_count(d_model, n_layer),
                 conclusion=True),
        identity("the same for any ratios r_attn = d_attn/d_model, r_ff = d_ff/d_model "
                 f"(L_B = {sp.sstr(general_layers)})",
                 applied(parameter_count, (k * d_model, general_layers), attn_ratio, ff_ratio),
                 parameter_count(d_model, n_layer, attn_ratio, ff_ratio), conclusion=True),
        *_cell_steps(table, "total_parameters",
                     lambda i: parameter_count(*shape_of_model(table, width_preserving_layers)[i],
                                               table.attn_ratio, table.ff_ratio), "parameters",
                     "N(width, layers)"),
        *_scaling_steps(table, "total_parameters", 1, "parameters"),
    ]


def shape_of_model(table, width_preserving_layers=shapes.width_preserving_layers):
    """(width, layers) of Model A and of Model B for the table's k and ratios."""
    return (d_model, n_layer), (table.k * d_model, width_preserving_layers(table.k, table.attn_ratio, table.ff_ratio))


def _cell_steps(table, key, definition, label, meaning):
    """Each model's cell of row ``key`` equals ``definition(model_index)`` (``meaning`` says it in words)."""
    row = table.row(key)
    return [identity(f"the table's {label} cell of Model {model} is {meaning}", cell, definition(index),
                     lhs_latex=rf"\text{{{label}}}_{model}")
            for index, (model, cell) in enumerate((("A", row.model_a), ("B", row.model_b)))]


def _scaling_steps(table, key, factor, label):
    """Row ``key``: Model B's cell is ``factor`` times Model A's, and the ratio column says so."""
    row = table.row(key)
    return [
        identity(f"{label}: Model B = {sp.sstr(factor)} x Model A", row.model_b, factor * row.model_a,
                 conclusion=True, lhs_latex=rf"\text{{{label}}}_B"),
        identity(f"{label}: the table's ratio column B/A", row.ratio, factor,
                 lhs_latex=rf"\text{{{label}}}_B / \text{{{label}}}_A"),
    ]


def prove_neuron_scaling(table=None, parameter_count=shapes.parameter_count,
                         neurons_per_layer=shapes.neurons_per_layer):
    table = symbolic_table(parameter_count) if table is None else table
    widths = (d_model, table.k * d_model)
    layers, per_layer = table.row("layers"), table.row("neurons_per_layer")
    cells = {"layers": (layers.model_a, layers.model_b), "neurons_per_layer": (per_layer.model_a, per_layer.model_b)}
    return [
        identity("Model B's layer cell keeps the parameter count of Model A",
                 applied(parameter_count, (widths[1], layers.model_b), table.attn_ratio, table.ff_ratio),
                 parameter_count(widths[0], layers.model_a, table.attn_ratio, table.ff_ratio)),
        *_cell_steps(table, "neurons_per_layer",
                     lambda i: neurons_per_layer(widths[i], table.neurons, table.ff_ratio), "neurons per layer",
                     f"the {table.neurons} width of the layer"),
        *_cell_steps(table, "total_neurons",
                     lambda i: cells["neurons_per_layer"][i] * cells["layers"][i], "total neurons",
                     "neurons per layer x layers"),
        *_scaling_steps(table, "neurons_per_layer", table.k, "neurons per layer"),
        *_scaling_steps(table, "layers", table.k**-2, "layers"),
        *_scaling_steps(table, "total_neurons", 1 / table.k, "total neurons"),
    ]


def prove_feature_scaling(table=None, parameter_count=shapes.parameter_count):
    table = symbolic_table(parameter_count) if table is None else table
    cell = {key: (table.row(key).model_a, table.row(key).model_b)
            for key in ("total_features", "layers", "neurons_per_layer", "features_per_layer")}
    return [
        identity("universality: Model B learns the same F features as Model A",
                 table.row("total_features").model_b, table.row("total_features").model_a, lhs_latex="F_B"),
        *_cell_steps(table, "features_per_layer", lambda i: cell["total_features"][i] / cell["layers"][i],
                     "features per layer", "F / layers"),
        *_cell_steps(table, "features_per_neuron",
                     lambda i: cell["features_per_layer"][i] / cell["neurons_per_layer"][i],
                     "features per neuron", "features per layer / neurons per layer"),
        *_scaling_steps(table, "features_per_layer", table.k**2, "features per layer"),
        *_scaling_steps(table, "features_per_neuron", table.k, "features per neuron"),
    ]


PARAMETER_INVARIANCE = Lemma(
    "parameter-invariance", "The width-k shape change preserves the parameter count", SHAPE_HYPOTHESES,
    prove_parameter_invariance,
    summary="Model B = (k d_model, n_layer / k^2) has the same non-embedding parameter count as Model A "
            "(Kaplan et al. 2020, eq. 2.1).",
)
NEURON_SCALING = Lemma(
    "neuron-scaling", "Neurons per layer scale by k, layers by 1/k^2, total neurons by 1/k", SHAPE_HYPOTHESES,
    prove_neuron_scaling,
    summary="At equal parameters the wider model has fewer neurons in total.",
)
FEATURE_SCALING = Lemma(
    "feature-scaling", "Universality: features per layer scale by k^2, features per neuron by k",
    (*SHAPE_HYPOTHESES, sp.Gt(F, 0, evaluate=False)), prove_feature_scaling,
    summary="If both models learn the same F features, Model B packs k times as many features per neuron.",
)
