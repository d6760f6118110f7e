r"""Transformer shape algebra: parameter count, neurons, and the parameter-preserving shape change.

Parameter count (Kaplan et al. 2020, arXiv:2001.08361, eq. 2.1), non-embedding:

.. math:: N \approx 2\, d_{\mathrm{model}}\, n_{\mathrm{layer}} (2 d_{\mathrm{attn}} + d_{\mathrm{ff}})

With ``d_attn = r_attn * d_model`` and ``d_ff = r_ff * d_model``; Kaplan's defaults (1, 4) give
``12 n_layer d_model**2``.

>>> from theory.symbols import d_model, n_layer
>>> parameter_count(d_model, n_layer)
12*d_model**2*n_layer
>>> width_preserving_layers(2)
n_layer/4
"""

import sympy as sp

from theory import symbols

#: Kaplan et al. (2020) defaults: d_attn = d_model, d_ff = 4 d_model.
KAPLAN_ATTN_RATIO = sp.Integer(1)
KAPLAN_FF_RATIO = sp.Integer(4)

#: Definitions of "neurons per layer" the package supports.
NEURON_DEFINITIONS = ("residual", "mlp")


def parameter_count(d_model, n_layer, attn_ratio=KAPLAN_ATTN_RATIO, ff_ratio=KAPLAN_FF_RATIO):
    """Non-embedding parameters N = 2 d_model n_layer (2 d_attn + d_ff) (Kaplan 2020, eq. 2.1)."""
    d_attn = attn_ratio * d_model
    d_ff = ff_ratio * d_model
    return sp.expand(2 * d_model * n_layer * (2 * d_attn + d_ff))


def neurons_per_layer(d_model, definition="residual", ff_ratio=KAPLAN_FF_RATIO):
    """Neurons per layer: the residual stream (d_model) or the MLP hidden units (d_ff = r_ff d_model).

    >>> from theory.symbols import d_model
    >>> neurons_per_layer(d_model, "mlp")
    4*d_model
    """
    if definition == "residual":
        return d_model
    if definition == "mlp":
        return ff_ratio * d_model
    raise ValueError(f"definition must be one of {', '.join(NEURON_DEFINITIONS)}, got {definition!r}")


def width_preserving_layers(k, attn_ratio=KAPLAN_ATTN_RATIO, ff_ratio=KAPLAN_FF_RATIO):
    """Layers of the model whose width is ``k d_model`` and whose parameter count equals Model A's.

    Derived by solving N(k d_model, L_B) = N(d_model, n_layer) for L_B; never typed in.
    """
    layers_b = sp.Symbol("L_B", positive=True)
    equation = sp.Eq(
        parameter_count(k * symbols.d_model, layers_b, attn_ratio, ff_ratio),
        parameter_count(symbols.d_model, symbols.n_layer, attn_ratio, ff_ratio),
    )
    (solution,) = sp.solve(equation, layers_b)
    return sp.simplify(solution)

