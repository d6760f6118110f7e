"""The cylinder analogy as JSON, a booktabs LaTeX table and a terminal table."""

import sympy as sp
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles
from theory.symbols import to_latex

FILES = TableFiles("table_cylinder", "The cylinder analogy")

#: What each part of the cylinder stands for in the note's analogy.
ANALOGY = "radius for d_model, height for n_layer, volume for parameters, lateral surface for total neurons"


def summary(change) -> str:
    """The result in words, built from the derived ratios."""
    return (
        f"At equal volume, widening by k = {sp.sstr(change.k)} sets the height to {sp.sstr(change.height_b)}; "
        f"the lateral surface scales by {sp.sstr(change.lateral_ratio)} (like the total neurons of Model B) and the "
        f"total surface by {sp.sstr(change.total_ratio)} with a = h/r; {_when_total_shrinks(change)}."
    )


def _when_total_shrinks(change) -> str:
    """When the total surface shrinks, read off the sign of total_ratio - 1 = -(k - 1)(a - threshold)/(k(a + 1))."""
    threshold = sp.sstr(change.total_shrinks_above)
    if not change.k.is_number:
        return f"for k > 1 the total surface shrinks exactly when a > {threshold}, for k < 1 exactly when a < {threshold}"
    if change.k == 1:
        return "the total surface is unchanged"
    return f"the total surface shrinks exactly when a {'>' if change.k > 1 else '<'} {threshold}"


def to_payload(change) -> dict:
    """JSON-ready dict: every cell as LaTeX, text and srepr."""
    return {
        "k": expression_payload(change.k),
        "aspect": expression_payload(change.aspect),
        "analogy": ANALOGY,
        "rows": [
            {"quantity": label, "cylinder_a": expression_payload(a), "cylinder_b": expression_payload(b),
             "ratio_b_over_a": expression_payload(ratio)}
            for label, a, b, ratio in change.rows()
        ],
        **{name: expression_payload(getattr(change, name)) for name in (
            "height_b", "volume_ratio", "lateral_ratio", "total_ratio", "total_change", "total_shrinks_above")},
        "summary": summary(change),
    }


def to_latex_table(change) -> str:
    """A booktabs table: quantity, cylinder A, cylinder B, B/A."""
    rows = [[escape_text(label), math(to_latex(a)), math(to_latex(b)), math(to_latex(ratio))]
            for label, a, b, ratio in change.rows()]
    return booktabs_table(
        ["", "Cylinder A", "Cylinder B", "B/A"], rows,
        caption=f"The cylinder analogy at equal volume (width factor $k = {to_latex(change.k)}$, aspect ratio "
                f"$a = h/r = {to_latex(change.aspect)}$), derived with SymPy.",
        label="tab:cylinder",
        footnotes=[escape_text(f"Analogy: {ANALOGY}."), escape_text(summary(change))],
        column_spec="lccc",
    )


def to_rich_table(change) -> Table:
    """A terminal table with the same cells as the LaTeX one."""
    table = Table(title=f"Cylinder analogy at equal volume (k = {change.k}, aspect a = h/r = {change.aspect}; {ANALOGY})")
    for column in ("Quantity", "Cylinder A", "Cylinder B", "B/A"):
        table.add_column(column, overflow="fold")
    for label, *cells in change.rows():
        table.add_row(label, *(sp.sstr(cell) for cell in cells))
    table.caption = summary(change)
    return table
