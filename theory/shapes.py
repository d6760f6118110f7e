r"""Transformer shape algebra: parameter count, neurons, and the parameter-preserving shape change.

Parameter count (Kaplan et al. 2020, arXiv:2001.08361, eq. 2.1), non-embedding:

.. math:: N \approx 2\, d_{\mathrm{model}}\, n_{\mathrm{layer}} (2 d_{\mathrm{attn}} + d_{\mathrm{ff}})

With ``d_attn = r_attn * d_model`` and ``d_ff = r_ff * d_model``; Kaplan's defaults (1, 4) give
``12 n_layer d_model**2``.

A *parameter count* is any callable ``count(d_model, n_layer) -> sympy.Expr``; :func:`parameter_count` (Kaplan's)
is the default of every function that depends on one (``parameter_count=``), so the shape algebra can be checked
under another count (another architecture, or a wrong one in a mutation test). Only the exponents of d_model and
n_layer matter for the argument: a constant factor (18 instead of 12) cancels from every ratio.

>>> from theory.symbols import d_model, n_layer
>>> parameter_count(d_model, n_layer)
12*d_model**2*n_layer
>>> width_preserving_layers(2)
n_layer/4
"""

from collections.abc import Callable

import sympy as sp

from theory import symbols
from theory.names import NEURON_DEFINITIONS

#: Kaplan et al. (2020) defaults: d_attn = d_model, d_ff = 4 d_model.
KAPLAN_ATTN_RATIO = sp.Integer(1)
KAPLAN_FF_RATIO = sp.Integer(4)


def parameter_count(d_model: sp.Expr | int, n_layer: sp.Expr | int, attn_ratio: sp.Expr | float = KAPLAN_ATTN_RATIO,
                    ff_ratio: sp.Expr | float = KAPLAN_FF_RATIO) -> sp.Expr:
    """Non-embedding parameters N = 2 d_model n_layer (2 d_attn + d_ff) (Kaplan 2020, eq. 2.1)."""
    d_attn = attn_ratio * d_model
    d_ff = ff_ratio * d_model
    return sp.expand(2 * d_model * n_layer * (2 * d_attn + d_ff))


def neurons_per_layer(d_model: sp.Expr | int, definition: str = "residual",
                      ff_ratio: sp.Expr | float = KAPLAN_FF_RATIO) -> sp.Expr | int:
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


def count_of_shape(count: Callable[..., sp.Expr] = parameter_count, attn_ratio: sp.Expr | float = KAPLAN_ATTN_RATIO,
                   ff_ratio: sp.Expr | float = KAPLAN_FF_RATIO) -> Callable[[sp.Expr, sp.Expr], sp.Expr]:
    """The parameter count as a function of (d_model, n_layer) alone.

    Kaplan's :func:`parameter_count` gets the ratios d_attn/d_model and d_ff/d_model bound; any other count is a
    whole architecture by itself (its own ratios built in) and is returned as it is.

    >>> from theory.symbols import d_model, n_layer
    >>> count_of_shape(attn_ratio=2, ff_ratio=2)(d_model, n_layer)
    12*d_model**2*n_layer
    >>> count_of_shape(lambda d, layers: d**3 * layers)(d_model, n_layer)
    d_model**3*n_layer
    """
    if count is not parameter_count:
        return count
    return lambda d_model, n_layer: parameter_count(d_model, n_layer, attn_ratio, ff_ratio)


def width_preserving_layers(k: sp.Expr | float, attn_ratio: sp.Expr | float = KAPLAN_ATTN_RATIO,
                            ff_ratio: sp.Expr | float = KAPLAN_FF_RATIO,
                            parameter_count: Callable[..., sp.Expr] = parameter_count) -> sp.Expr:
    """Layers of the model whose width is ``k d_model`` and whose parameter count equals Model A's.

    Derived by solving N(k d_model, L_B) = N(d_model, n_layer) for L_B (N = ``parameter_count``, see
    :func:`count_of_shape`); never typed in. A count with no positive solution, or more than one, raises
    ``ArithmeticError``.

    >>> width_preserving_layers(2, parameter_count=lambda d, layers: d**3 * layers)
    n_layer/8
    """
    count = count_of_shape(parameter_count, attn_ratio, ff_ratio)
    layers_b = sp.Symbol("L_B", positive=True)
    equation = sp.Eq(count(k * symbols.d_model, layers_b), count(symbols.d_model, symbols.n_layer))
    solutions = sp.solve(equation, layers_b)
    if len(solutions) != 1:
        raise ArithmeticError(f"N(k d_model, L_B) = N(d_model, n_layer) has {len(solutions)} positive solutions "
                              f"for L_B, not one: {solutions}")
    return sp.simplify(solutions[0])


__all__ = ["KAPLAN_ATTN_RATIO", "KAPLAN_FF_RATIO", "NEURON_DEFINITIONS", "count_of_shape", "neurons_per_layer",
           "parameter_count", "width_preserving_layers"]
