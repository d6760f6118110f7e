"""The Model-B density shift p_A -> p_B as JSON, a booktabs table and a terminal table."""

from rich.table import Table

from superposition.latex import booktabs_table, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles
from theory.capacity_functions import REGISTRY
from theory.symbols import to_latex

FILES = TableFiles("table_density_shift", "Density Model B needs: f(p_B) = k f(p_A)")


def _by_density(result) -> list:
    """(p_A, [p_B per function]) in the order of the densities and the functions."""
    p_b = {(row.function, row.p_a): row.p_b for row in result.rows}
    return [(density, [p_b[(function, float(density))] for function in result.functions])
            for density in result.densities]


def to_payload(result) -> dict:
    """JSON-ready dict: k, the closed form, its substitution residual, and every p_A -> p_B."""
    return {
        "k": expression_payload(result.k),
        "closed_form_note": expression_payload(result.closed_form),
        "substitution_residual": expression_payload(result.residual),
        "rows": [{"function": row.function, "p_a": row.p_a, "p_b": row.p_b, "p_b_over_p_a": row.ratio}
                 for row in result.rows],
    }


def latex_table(result) -> str:
    """Booktabs table: p_A, then p_B for each capacity function."""
    header = ["$p_A$", *(f"$p_B$, {REGISTRY[function].heading_latex}" for function in result.functions)]
    rows = [[math(f"{density:g}"), *(math(f"{value:.4g}") for value in values)] for density, values in _by_density(result)]
    footnotes = [
        f"$p_B$ solves $f(p_B) = k f(p_A)$ with $k = {to_latex(result.k)}$ on the decreasing branch of $f$: "
        f"Model B holds $k$ times as many features per neuron.",
        f"For $f_{{\\mathrm{{note}}}}$: $p_B = {to_latex(result.closed_form)}$ (SymPy; the residual "
        f"$f(p_B) - k f(p_A)$ simplifies to ${to_latex(result.residual)}$), defined for $p_A < 1/e$; "
        r"for $f_{\ell_1}$: Brent's method.",
    ]
    return booktabs_table(header, rows, caption=f"Feature density Model B needs ($k = {to_latex(result.k)}$).",
                          label="tab:density-shift", footnotes=footnotes, column_spec="r" * len(header))


def to_renderables(result) -> list:
    """A terminal table with the same numbers, plus the closed form and its check."""
    table = Table(title=f"Density Model B needs: f(p_B) = {result.k} f(p_A)")
    table.add_column("p_A", justify="right")
    for function in result.functions:
        table.add_column(f"p_B ({REGISTRY[function].label})", justify="right")
        table.add_column("p_B/p_A", justify="right")
    for density, values in _by_density(result):
        table.add_row(f"{density:g}", *(text for value in values for text in (f"{value:.6g}", f"{value / density:.4f}")))
    return [table, f"note: p_B = {result.closed_form}; f_note(p_B) - k f_note(p_A) simplifies to {result.residual}"]
