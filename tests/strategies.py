"""Hypothesis strategies shared by the test modules."""

import sympy as sp
from hypothesis import strategies as st


def positive_rationals(max_numerator: int = 10_000, max_denominator: int = 50):
    """Exact positive rationals p/q as SymPy Rationals."""
    return st.builds(
        sp.Rational,
        st.integers(min_value=1, max_value=max_numerator),
        st.integers(min_value=1, max_value=max_denominator),
    )
