"""A SymPy expression as JSON: its LaTeX, its plain text and its ``srepr`` (rebuildable by another program)."""

import sympy as sp

from theory.symbols import to_latex


def expression_payload(expr) -> dict:
    """``{"latex", "text", "srepr"}`` of ``expr``.

    >>> expression_payload(sp.Rational(1, 4))["srepr"]
    'Rational(1, 4)'
    """
    expr = sp.sympify(expr)
    return {"latex": to_latex(expr), "text": sp.sstr(expr), "srepr": sp.srepr(expr)}
