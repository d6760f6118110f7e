r"""Lemmas 1-3: the shape algebra of Model A = (d, n) and Model B = (k d, n/k^2).

1. ``parameter-invariance``: N(k d, n/k^2) = N(d, n) (Kaplan's ratios and any d_attn/d_model, d_ff/d_model), and
   :func:`theory.shapes.width_preserving_layers` and the table find that layer count.
2. ``neuron-scaling``: neurons per layer x k (the definition of Model B), layers x 1/k^2, total neurons x 1/k.
3. ``feature-scaling``: under universality (same F, a hypothesis), features per layer x k^2, per neuron x k.

Premises are the parameter count, the theory's functions and the derived table
(:func:`theory.model_table.derive_model_table`). Steps that restate how the table computes a cell (or restate a
hypothesis) are checked, so a wrong cell fails, but marked ``by definition``: only the scalings are proved.

>>> PARAMETER_INVARIANCE.check().status, NEURON_SCALING.check().status, FEATURE_SCALING.check().status
('proved (symbolic)', 'proved (symbolic)', 'proved (symbolic)')
"""

import sympy as sp

from proofs.lemma import Lemma
from proofs.tactics import applied, definition, identity
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
    count = shapes.count_of_shape(parameter_count)
    general = shapes.count_of_shape(parameter_count, attn_ratio, ff_ratio)
    layers = table.row("layers")
    return [
        identity("the note's shape change (k d_model, n_layer / k^2) keeps the parameter count",
                 applied(count, (k * d_model, n_layer / k**2)), count(d_model, n_layer), conclusion=True),
        identity("the same for any ratios r_attn = d_attn/d_model, r_ff = d_ff/d_model",
                 applied(general, (k * d_model, n_layer / k**2)), general(d_model, n_layer), conclusion=True),
        identity("theory.shapes, solving N(k d_model, L_B) = N(d_model, n_layer), finds that layer count",
                 width_preserving_layers(k, parameter_count=parameter_count), n_layer / k**2, lhs_latex="L_B"),
        identity("and the table's Model B has it", layers.model_b, n_layer / k**2,
                 lhs_latex=r"\text{layers}_B"),
        *_cell_steps(table, "total_parameters", lambda i: count(*shape_of_model(table)[i]), "parameters",
                     "N(width, layers)"),
        definition("the table's parameter ratio is 1 by construction (L_B was solved from N_B = N_A)",
                   table.row("total_parameters").ratio, 1, lhs_latex=r"\text{parameters}_B / \text{parameters}_A"),
    ]


def shape_of_model(table):
    """(width, layers) of Model A and of Model B, read off the table's layer row."""
    layers = table.row("layers")
    return (d_model, layers.model_a), (table.k * d_model, layers.model_b)


def _cell_steps(table, key, definition_of, label, meaning):
    """Each model's cell of row ``key`` restates ``definition_of(model_index)`` (``meaning`` says it in words)."""
    row = table.row(key)
    return [definition(f"the table's {label} cell of Model {model} is {meaning}", cell, definition_of(index),
                       lhs_latex=rf"\text{{{label}}}_{model}")
            for index, (model, cell) in enumerate((("A", row.model_a), ("B", row.model_b)))]


def _scaling_step(table, key, factor, label, prove=identity):
    """Row ``key``: Model B's cell is ``factor`` times Model A's (``prove`` is identity, or definition)."""
    row = table.row(key)
    return prove(f"{label}: Model B = {sp.sstr(factor)} x Model A", row.model_b, factor * row.model_a,
                 conclusion=True, lhs_latex=rf"\text{{{label}}}_B")


def _ratio_step(table, key, factor, label):
    """The table's ratio column B/A is ``factor``: computed as B/A, so a restatement."""
    row = table.row(key)
    return definition(f"{label}: the table's ratio column B/A", row.ratio, factor,
                      lhs_latex=rf"\text{{{label}}}_B / \text{{{label}}}_A")


def prove_neuron_scaling(table=None, parameter_count=shapes.parameter_count,
                         neurons_per_layer=shapes.neurons_per_layer):
    table = symbolic_table(parameter_count) if table is None else table
    widths = (d_model, table.k * d_model)
    layers, per_layer = table.row("layers"), table.row("neurons_per_layer")
    cells = {"layers": (layers.model_a, layers.model_b), "neurons_per_layer": (per_layer.model_a, per_layer.model_b)}
    return [
        *_cell_steps(table, "neurons_per_layer",
                     lambda i: neurons_per_layer(widths[i], table.neurons, table.ff_ratio), "neurons per layer",
                     f"the {table.neurons} width of the layer"),
        *_cell_steps(table, "total_neurons",
                     lambda i: cells["neurons_per_layer"][i] * cells["layers"][i], "total neurons",
                     "neurons per layer x layers"),
        _scaling_step(table, "neurons_per_layer", table.k, "neurons per layer (Model B is k times wider)",
                      definition),
        _scaling_step(table, "layers", table.k**-2, "layers (solved from the parameter count)"),
        _scaling_step(table, "total_neurons", 1 / table.k, "total neurons"),
        *(_ratio_step(table, key, factor, label) for key, factor, label in (
            ("neurons_per_layer", table.k, "neurons per layer"), ("layers", table.k**-2, "layers"),
            ("total_neurons", 1 / table.k, "total neurons"))),
    ]


def prove_feature_scaling(table=None, parameter_count=shapes.parameter_count):
    table = symbolic_table(parameter_count) if table is None else table
    cell = {key: (table.row(key).model_a, table.row(key).model_b)
            for key in ("total_features", "layers", "neurons_per_layer", "features_per_layer")}
    return [
        definition("universality (a hypothesis): Model B learns the same F features as Model A",
                   table.row("total_features").model_b, table.row("total_features").model_a, lhs_latex="F_B"),
        *_cell_steps(table, "features_per_layer", lambda i: cell["total_features"][i] / cell["layers"][i],
                     "features per layer", "F / layers"),
        *_cell_steps(table, "features_per_neuron",
                     lambda i: cell["features_per_layer"][i] / cell["neurons_per_layer"][i],
                     "features per neuron", "features per layer / neurons per layer"),
        _scaling_step(table, "features_per_layer", table.k**2, "features per layer"),
        _scaling_step(table, "features_per_neuron", table.k, "features per neuron"),
        _ratio_step(table, "features_per_layer", table.k**2, "features per layer"),
        _ratio_step(table, "features_per_neuron", table.k, "features per neuron"),
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
