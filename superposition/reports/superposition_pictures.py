"""The three pictures of superposition (counting, m^2 variant, interference) as JSON, LaTeX and a terminal table."""

import sympy as sp
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles
from theory import symbols
from theory.symbols import to_latex

FILES = TableFiles("table_superposition_pictures", "Three pictures of superposition: Model B relative to Model A")


def verdict(result, row, value, k_value) -> str:
    """How one picture's B/A at the evaluated k compares with the scaling laws' 1, in words."""
    agrees = result.agrees_with_scaling_laws(row.key)
    if row.quantity.startswith("total capacity"):
        return ("capacity a function of N: no contradiction" if agrees else
                f"Model B holds {sp.sstr(value)} of Model A's features at equal density (or needs f(p_B) = "
                f"{sp.sstr(row.needed.subs(symbols.k, k_value))} f(p_A)): universality or density must give")
    if agrees:
        return "loss shape-invariant, like the scaling laws"
    return f"L_B/L_A = {sp.sstr(value)}, not 1: the loss would depend on shape at equal N"


def summary(result, k_value, density_needed) -> str:
    """Where the pictures disagree, in words, from the derived ratios."""
    values = {row.key: row.at(k_value) for row in result.pictures}
    return (
        f"At k = {sp.sstr(k_value)}: counting gives Model B {sp.sstr(values['counting'])} of Model A's capacity, so at "
        f"the same features it needs a sparser density (f(p_B) = k f(p_A); p_A = {density_needed[0]:g} -> p_B = "
        f"{density_needed[1]:.4g} for the note's f); the m^2 variant gives {sp.sstr(values['quadratic'])}, no "
        f"contradiction. The interference picture keeps every feature (strong superposition) and moves the cost to the "
        f"loss instead: {sp.sstr(values['interference'])} when each feature pays one overlap 1/m (Model B better), "
        f"{sp.sstr(values['interference_coactive'])} when the co-active features of a layer at fixed density p add up "
        f"(Model B worse). Only the m^2 variant agrees with the scaling laws' L_B/L_A = {sp.sstr(result.scaling_law_ratio)}; "
        "the two interference readings disagree even in the direction of the change."
    )


def to_payload(result, k_value, density_needed) -> dict:
    """JSON-ready dict: each picture's expressions (LaTeX, text, srepr) and its value at k."""
    return {
        "k": expression_payload(k_value),
        "scaling_law_ratio": expression_payload(result.scaling_law_ratio),
        "pictures": [
            {"key": row.key, "label": row.label, "source": row.source, "quantity": row.quantity,
             "model_a": expression_payload(row.model_a), "model_b": expression_payload(row.model_b),
             "ratio": expression_payload(row.ratio), "per_layer_ratio": expression_payload(row.per_layer_ratio),
             "needed_f_ratio": None if row.needed is None else expression_payload(row.needed),
             "ratio_at_k": expression_payload(row.at(k_value)), "ratio_at_k_float": float(row.at(k_value)),
             "agrees_with_scaling_laws": result.agrees_with_scaling_laws(row.key),
             "verdict": verdict(result, row, row.at(k_value), k_value)}
            for row in result.pictures
        ],
        "density_needed": {"p_a": density_needed[0], "p_b": density_needed[1], "capacity_function": "note"},
        "summary": summary(result, k_value, density_needed),
    }


def to_latex_table(result, k_value, density_needed) -> str:
    """A booktabs table: picture, quantity, Model A, Model B, B/A (symbolic), B/A at k."""
    rows = [
        [escape_text(row.label), escape_text(row.quantity), math(to_latex(row.model_a)), math(to_latex(row.model_b)),
         math(to_latex(row.ratio)), math(to_latex(row.at(k_value)))]
        for row in result.pictures
    ]
    rows.append([escape_text("Scaling laws (Chinchilla, Kaplan)"), escape_text("total loss"), "", "",
                 math(to_latex(result.scaling_law_ratio)), math(to_latex(result.scaling_law_ratio))])
    return booktabs_table(
        ["Picture", "Compared", "Model A", "Model B", "B/A", f"B/A at $k = {to_latex(k_value)}$"], rows,
        caption="What three pictures of superposition predict for Model B (width $k d_{\\mathrm{model}}$, "
                "$n_{\\mathrm{layer}}/k^2$ layers, equal parameters) relative to Model A, derived with SymPy from the "
                "Model A/B table.",
        label="tab:superposition-pictures",
        footnotes=[escape_text("Sources: " + "; ".join(dict.fromkeys(row.source for row in result.pictures)) + "."),
                   escape_text("Overlap: the mean squared overlap of n unit vectors in m dimensions is at least the "
                               "Welch bound (n - m)/(m (n - 1)), which tends to 1/m for n >> m."),
                   escape_text(summary(result, k_value, density_needed))],
        column_spec="p{4.2cm}p{2.2cm}cccc",
    )


def to_rich_table(result, k_value, density_needed) -> Table:
    table = Table(title=f"Three pictures of superposition: Model B relative to Model A (k = {sp.sstr(k_value)})")
    for column in ("Picture", "Compared", "Model A", "Model B", "B/A", "per layer B/A", f"B/A at k = {sp.sstr(k_value)}",
                   "Verdict"):
        table.add_column(column, overflow="fold")
    for row in result.pictures:
        value = row.at(k_value)
        table.add_row(row.label, row.quantity, sp.sstr(row.model_a), sp.sstr(row.model_b), sp.sstr(row.ratio),
                      sp.sstr(row.per_layer_ratio), sp.sstr(value), verdict(result, row, value, k_value))
    table.add_row("Scaling laws", "total loss", "", "", sp.sstr(result.scaling_law_ratio), "", sp.sstr(result.scaling_law_ratio),
                  "shape invariance at equal N")
    table.caption = summary(result, k_value, density_needed)
    return table
