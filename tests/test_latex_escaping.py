"""Plain text in LaTeX tables: every special character is escaped, so a footnote like "40% trials" compiles."""

import pytest

from superposition.latex import escape_text


@pytest.mark.parametrize("text, escaped", [
    ("40% of trials", r"40\% of trials"), ("a & b", r"a \& b"), ("$5", r"\$5"), ("#1", r"\#1"),
    ("n_max", r"n\_max"), ("{x}", r"\{x\}"), ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}"),
    ("a\\b", r"a\textbackslash{}b"), ("plain words", "plain words"),
])
def test_special_characters_are_escaped(text, escaped):
    assert escape_text(text) == escaped
