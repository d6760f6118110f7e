r"""The Model A/B table of the note, derived for any parameter-preserving width factor k.

Model A has shape (d_model, n_layer). Model B is k times wider with the number of layers that keeps the
parameter count equal (:func:`theory.shapes.width_preserving_layers`, n_layer/k**2 for a transformer).
Universality (both learn the same F features) and linear superposition per layer then give the rest:

* total neurons = neurons per layer x layers,
* features per layer = F / layers,
* features per neuron = features per layer / neurons per layer.

The ratio column is B/A, simplified. For k = 2 and Kaplan's ratios this reproduces the note's table
(:mod:`theory.note`) cell by cell, except that the note drops the constant 12 from the parameter row.

>>> table = derive_model_table()
>>> [str(row.ratio) for row in table.rows]
['1', 'k', 'k**(-2)', '1/k', '1', 'k**2', 'k']
>>> derive_model_table(k=2).row("layers").model_b
n_layer/4
"""

import functools
from dataclasses import dataclass, field

import sympy as sp

from theory import symbols
from theory.shapes import (
    KAPLAN_ATTN_RATIO,
    KAPLAN_FF_RATIO,
    NEURON_DEFINITIONS,
    count_of_shape,
    neurons_per_layer,
    parameter_count,
    width_preserving_layers,
)
from theory.validation import as_exact, check_choice, check_positive, check_positive_exact

#: (key, label) of each row, in the order the note prints them.
ROWS = (
    ("total_parameters", "Total parameters"),
    ("neurons_per_layer", "Neurons per layer"),
    ("layers", "Number of layers"),
    ("total_neurons", "Total number of neurons"),
    ("total_features", "Total number of features learned"),
    ("features_per_layer", "Number of features per layer"),
    ("features_per_neuron", "Features per neuron"),
)


@dataclass(frozen=True)
class Row:
    """One row of the table: Model A's cell, Model B's cell, and their ratio B/A."""

    key: str
    label: str
    model_a: sp.Expr
    model_b: sp.Expr
    ratio: sp.Expr


@dataclass(frozen=True)
class ModelTable:
    """The derived table with the assumptions it was derived under."""

    k: sp.Expr
    attn_ratio: sp.Expr
    ff_ratio: sp.Expr
    neurons: str
    rows: tuple
    warnings: tuple = field(default=())

    def row(self, key: str) -> Row:
        """The row named ``key`` (one of :data:`ROWS`)."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def at_shape(self, d_model, n_layer, features=None) -> "ModelTable":
        """The table for a concrete Model A shape; warns when Model B's layer count is not whole.

        >>> t = derive_model_table(k=2).at_shape(512, 6)
        >>> t.row("layers").model_b, t.warnings
        (3/2, ('Model B has n_layer/k^2 = 3/2 layers, not a whole number: the shape is not realisable exactly',))
        """
        values = {
            symbols.d_model: check_positive("d_model", as_exact("d_model", d_model)),
            symbols.n_layer: check_positive("n_layer", as_exact("n_layer", n_layer)),
        }
        if features is not None:
            values[symbols.F] = check_positive("features", as_exact("features", features))
        rows = tuple(
            Row(r.key, r.label, sp.simplify(r.model_a.subs(values)), sp.simplify(r.model_b.subs(values)), r.ratio)
            for r in self.rows
        )
        warnings = list(self.warnings)
        layers_b = next(r.model_b for r in rows if r.key == "layers")
        if layers_b.is_number and not layers_b.is_integer:
            warnings.append(
                f"Model B has n_layer/k^2 = {layers_b} layers, not a whole number: "
                "the shape is not realisable exactly"
            )
        return ModelTable(self.k, self.attn_ratio, self.ff_ratio, self.neurons, rows, tuple(warnings))


@functools.lru_cache(maxsize=256)
def derive_model_table(
    k=symbols.k,
    attn_ratio=KAPLAN_ATTN_RATIO,
    ff_ratio=KAPLAN_FF_RATIO,
    neurons: str = "residual",
    parameter_count=parameter_count,
) -> ModelTable:
    """Derive the Model A/B table for width factor ``k`` (a symbol or a positive number).

    ``attn_ratio`` and ``ff_ratio`` are d_attn/d_model and d_ff/d_model (Kaplan's defaults 1 and 4);
    ``neurons`` is ``"residual"`` (d_model per layer) or ``"mlp"`` (d_ff per layer); ``parameter_count`` is a
    callable ``count(d_model, n_layer)`` (Kaplan's by default; see :func:`theory.shapes.count_of_shape`).

    >>> derive_model_table(parameter_count=lambda d, layers: d**3 * layers).row("total_neurons").ratio
    k**(-2)
    """
    values = {
        symbols.k: check_positive_exact("k", k),
        symbols.attn_ratio: check_positive_exact("attn_ratio", attn_ratio),
        symbols.ff_ratio: check_positive_exact("ff_ratio", ff_ratio),
    }
    check_choice("neurons", neurons, NEURON_DEFINITIONS)
    general = _derive_general(neurons, parameter_count)
    rows = tuple(
        Row(row.key, row.label, *(sp.simplify(cell.subs(values)) for cell in (row.model_a, row.model_b, row.ratio)))
        for row in general
    )
    return ModelTable(values[symbols.k], values[symbols.attn_ratio], values[symbols.ff_ratio], neurons, rows)


@functools.cache
def _derive_general(neurons: str, parameter_count=parameter_count) -> tuple:
    """The rows for symbolic k, r_attn and r_ff (derived once per neuron definition and count, then substituted)."""
    k, attn_ratio, ff_ratio = symbols.k, symbols.attn_ratio, symbols.ff_ratio
    d, layers_a, features = symbols.d_model, symbols.n_layer, symbols.F
    count = count_of_shape(parameter_count, attn_ratio, ff_ratio)
    layers_b = width_preserving_layers(k, parameter_count=count)
    cells = {
        "total_parameters": (count(d, layers_a), count(k * d, layers_b)),
        "neurons_per_layer": (neurons_per_layer(d, neurons, ff_ratio), neurons_per_layer(k * d, neurons, ff_ratio)),
        "layers": (layers_a, layers_b),
        "total_features": (features, features),
    }
    cells["total_neurons"] = tuple(n * L for n, L in zip(cells["neurons_per_layer"], cells["layers"]))
    cells["features_per_layer"] = tuple(f / L for f, L in zip(cells["total_features"], cells["layers"]))
    cells["features_per_neuron"] = tuple(
        f / n for f, n in zip(cells["features_per_layer"], cells["neurons_per_layer"])
    )
    return tuple(
        Row(key, label, sp.simplify(cells[key][0]), sp.simplify(cells[key][1]), sp.simplify(cells[key][1] / cells[key][0]))
        for key, label in ROWS
    )
