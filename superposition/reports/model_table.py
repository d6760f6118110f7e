"""The Model A/B table as JSON, booktabs LaTeX and a terminal table."""

import sympy as sp
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles
from theory.architectures import homogeneity
from theory.note import compare_with_note
from theory.symbols import to_latex

FILES = TableFiles("table_model_ab", "Model A vs Model B")


def describe_assumptions(table) -> str:
    """One line stating what the table was derived under."""
    return (
        f"k = {table.k}, d_attn/d_model = {table.attn_ratio}, d_ff/d_model = {table.ff_ratio}, "
        f"neurons per layer = {'d_model (residual stream)' if table.neurons == 'residual' else 'd_ff (MLP hidden units)'}"
    )


def architecture_text(family) -> str:
    """One line naming the parameter-count family, its source and its checked homogeneity."""
    return (f"Parameter count: {family.name}, {family.summary} ({family.source}); n_kv_heads/n_heads = "
            f"{family.kv_ratio}; {homogeneity(family).reason} (checked with SymPy), so N(k d, L/k^2) = N(d, L)")


def architecture_payload(family) -> dict:
    """The family, its ratios, its count and what was checked, for JSON."""
    check = homogeneity(family)
    return {"name": family.name, "summary": family.summary, "source": family.source,
            "attn_ratio": expression_payload(family.attn_ratio), "ff_ratio": expression_payload(family.ff_ratio),
            "kv_ratio": expression_payload(family.kv_ratio), "gated_mlp": family.gated,
            "count": expression_payload(check.count), "homogeneous_degree_2_1": check.holds}


def parameter_footnote(table) -> str | None:
    """The footnote on the note's dropped constant, when the table is in the note's setting."""
    factors = compare_with_note(table)["total_parameters"] if table.k.is_number and table.neurons == "residual" else None
    if factors and factors[0] == factors[1] and factors[0].is_number and factors[0] != 1:
        return (
            f"Parameters from Kaplan et al.\\ (2020) eq.~2.1; the note prints "
            f"$d_{{\\mathrm{{model}}}}^2 n_{{\\mathrm{{layer}}}}$, dropping the constant factor ${to_latex(factors[0])}$."
        )
    return None


def to_payload(table) -> dict:
    """JSON-ready dict: every cell as LaTeX, text and srepr."""
    return {
        "k": expression_payload(table.k),
        "attn_ratio": expression_payload(table.attn_ratio),
        "ff_ratio": expression_payload(table.ff_ratio),
        "neurons": table.neurons,
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "model_a": expression_payload(row.model_a),
                "model_b": expression_payload(row.model_b),
                "ratio_b_over_a": expression_payload(row.ratio),
            }
            for row in table.rows
        ],
        "warnings": list(table.warnings),
    }


def to_latex_table(table, architecture=None) -> str:
    """A booktabs table float: quantity, Model A, Model B, B/A; cells in math mode; ``architecture`` (a
    :class:`~theory.architectures.Architecture`) named in a footnote in place of Kaplan's eq. 2.1."""
    k_text = to_latex(table.k)
    rows = [[escape_text(row.label), math(to_latex(row.model_a)), math(to_latex(row.model_b)), math(to_latex(row.ratio))] for row in table.rows]
    footnotes = [f"Model B: width $\\times {k_text}$, layers chosen so that the parameter count is unchanged; "
                 f"{escape_text(describe_assumptions(table))}."]
    footnote = parameter_footnote(table) if architecture is None else escape_text(architecture_text(architecture) + ".")
    if footnote:
        footnotes.append(footnote)
    footnotes.extend(escape_text(f"Warning: {warning}.") for warning in table.warnings)
    return booktabs_table(
        ["", "Model A", "Model B", "B/A"], rows,
        caption=f"Model A and Model B at equal parameters (width factor $k = {k_text}$), derived with SymPy.",
        label="tab:model-ab", footnotes=footnotes, column_spec="lccc",
    )


def to_rich_table(table, architecture=None) -> Table:
    """A terminal table with the same cells as the LaTeX one."""
    rich_table = Table(title=f"Model A vs Model B at equal parameters ({describe_assumptions(table)})")
    for column in ("Quantity", "Model A", "Model B", "B/A"):
        rich_table.add_column(column, overflow="fold")
    for row in table.rows:
        rich_table.add_row(row.label, *(sp.sstr(value) for value in (row.model_a, row.model_b, row.ratio)))
    if architecture is not None:
        rich_table.caption = architecture_text(architecture)
    elif parameter_footnote(table):
        rich_table.caption = "The note prints d_model**2*n_layer for the parameters, dropping Kaplan's constant 12."
    return rich_table
