"""The symbols of the note, each with the assumptions that make the algebra valid.

Shape (Kaplan et al. 2020, Table 1 notation): ``d_model`` width of the residual stream, ``n_layer``
number of layers, ``attn_ratio`` = d_attn/d_model, ``ff_ratio`` = d_ff/d_model. ``k`` is the width factor
of a parameter-preserving shape change, ``F`` the number of features a model learns.

>>> d_model.is_positive and n_layer.is_positive and k.is_positive
True
"""

import sympy as sp

d_model = sp.Symbol("d_model", positive=True)
n_layer = sp.Symbol("n_layer", positive=True)
attn_ratio = sp.Symbol("r_attn", positive=True)
ff_ratio = sp.Symbol("r_ff", positive=True)
k = sp.Symbol("k", positive=True)
F = sp.Symbol("F", positive=True)

#: How each symbol is written in LaTeX output (the seed's notation).
LATEX_NAMES = {
    d_model: r"d_{\mathrm{model}}",
    n_layer: r"n_{\mathrm{layer}}",
    attn_ratio: r"r_{\mathrm{attn}}",
    ff_ratio: r"r_{\mathrm{ff}}",
}


def to_latex(expr: sp.Basic | int | float) -> str:
    r"""Render a SymPy expression in the note's notation.

    >>> to_latex(d_model**2 * n_layer)
    'd_{\\mathrm{model}}^{2} n_{\\mathrm{layer}}'
    """
    return sp.latex(sp.sympify(expr), symbol_names=LATEX_NAMES)


__all__ = ["F", "LATEX_NAMES", "attn_ratio", "d_model", "ff_ratio", "k", "n_layer", "to_latex"]
