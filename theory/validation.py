"""Validation at the boundary: parse user numbers exactly and name the parameter in every error.

Modelled on scikit-learn's ``utils/validation.py``. Numbers are parsed with :class:`fractions.Fraction`,
never with ``eval`` or ``sympify``, so a user string can never run code. SymPy is imported by the functions that
return SymPy numbers, not on import: every command line imports this module, most never need SymPy.

>>> parse_rational("k", "3/2")
3/2
>>> parse_rational("k", "0.25")
1/4
>>> check_positive("k", parse_rational("k", "-1"))
Traceback (most recent call last):
...
theory.validation.InvalidParameter: k must be > 0, got -1
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import TypeVar


#: A checked value comes back with its own type.
T = TypeVar("T")


class InvalidParameter(ValueError):
    """A user-supplied value is outside what is allowed; the message names the parameter.

    ``name`` is the Python parameter (``max_iter``, ``m_grid``), never a command-line flag; ``reason`` refers to any
    other parameter by its name in backticks (``"...; `batch` 20 would fit"``), so that the command line can name
    both by their flags (:func:`superposition.cli.main.message_for`).
    """

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name} {reason}")
        self.name = name
        self.reason = reason


def parse_rational(name: str, text: str) -> sp.Rational:
    """Parse ``text`` as an exact rational (``"2"``, ``"3/2"``, ``"0.25"``, ``"1e3"``)."""
    try:
        value = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise InvalidParameter(name, f"must be a number such as 2, 3/2 or 0.25, got {text!r}") from None
    import sympy as sp

    return sp.Rational(value.numerator, value.denominator)


def as_exact(name: str, value: sp.Basic | int | float | Fraction) -> sp.Expr:
    """``value`` as an exact SymPy number or expression: floats by their decimal ``repr`` (0.1 -> 1/10).

    >>> as_exact("k", 0.1), as_exact("k", 3)
    (1/10, 3)
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidParameter(name, f"must be finite, got {value}")
        return parse_rational(name, repr(value))
    if isinstance(value, str):
        raise InvalidParameter(name, f"must be a number, not the string {value!r} (parse it with parse_rational)")
    import sympy as sp

    return sp.sympify(value)


def parse_float(name: str, text: str) -> float:
    """Parse ``text`` as a finite float."""
    try:
        value = float(str(text).strip())
    except ValueError:
        raise InvalidParameter(name, f"must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise InvalidParameter(name, f"must be finite, got {text!r}")
    return value


def parse_int(name: str, text: str) -> int:
    """Parse ``text`` as an integer (``"400"``, ``"1e3"`` is refused: write 1000)."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise InvalidParameter(name, f"must be a whole number, got {text!r}") from None


def check_positive(name: str, value: T) -> T:
    """Return ``value`` if it is > 0."""
    if not value > 0:
        raise InvalidParameter(name, f"must be > 0, got {value}")
    return value


def check_positive_exact(name: str, value: sp.Basic | int | float | Fraction) -> sp.Expr:
    """``value`` as an exact number or expression (:func:`as_exact`), refused when it is known not to be > 0.

    A symbol passes unless its assumptions rule out > 0, so a derivation can stay symbolic.

    >>> import sympy as sp
    >>> check_positive_exact("k", 0.5), check_positive_exact("k", sp.Symbol("k", positive=True))
    (1/2, k)
    >>> check_positive_exact("k", sp.Symbol("k", negative=True))
    Traceback (most recent call last):
    ...
    theory.validation.InvalidParameter: k must be > 0, got k
    """
    value = as_exact(name, value)
    if value.is_positive is False or (value.is_number and not value > 0):
        raise InvalidParameter(name, f"must be > 0, got {value}")
    return value


def check_in_interval(name: str, value: T, low: float, high: float, *, closed_low: bool = False,
                      closed_high: bool = False) -> T:
    """Return ``value`` if it lies in the interval between ``low`` and ``high`` with the given closedness."""
    above = value >= low if closed_low else value > low
    below = value <= high if closed_high else value < high
    if not (above and below):
        interval = f"{'[' if closed_low else '('}{low}, {high}{']' if closed_high else ')'}"
        raise InvalidParameter(name, f"must lie in {interval}, got {value}")
    return value


def check_choice(name: str, value: str, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``."""
    if value not in allowed:
        raise InvalidParameter(name, f"must be one of {', '.join(allowed)}, got {value!r}")
    return value


__all__ = ["InvalidParameter", "as_exact", "check_choice", "check_in_interval", "check_positive", "check_positive_exact",
           "parse_float", "parse_int", "parse_rational"]
