"""The capacity comparison (f_note against exact l1) and the total-capacity table: JSON, booktabs LaTeX, terminal."""

import sympy as sp
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles
from theory.capacity import f_note, f_note_printed
from theory.capacity_functions import REFERENCE, REGISTRY
from theory.symbols import to_latex

FILES = TableFiles("table_capacity", "Superposition capacity n/m = f(p)")

def _ratio_functions(result) -> tuple:
    """The functions that get an f/f_reference column (only when the reference's column is there)."""
    if REFERENCE.key not in result.functions:
        return ()
    return tuple(function for function in result.functions if function != REFERENCE.key)


def capacity_rows(result) -> list:
    """Per density: p, each function's n/m, then f_l1/f_note for each l1 function."""
    rows = []
    for density in result.densities:
        values = [result.values[(function, density)] for function in result.functions]
        ratios = [result.values[(function, density)] / result.values[(REFERENCE.key, density)]
                  for function in _ratio_functions(result)]
        rows.append((density, values, ratios))
    return rows


def _total_payload(total) -> dict:
    return {"a": int(total.a), "pooling": total.pooling, "model_a": expression_payload(total.model_a),
            "model_b": expression_payload(total.model_b), "ratio_b_over_a": expression_payload(total.ratio)}


def to_payload(result) -> dict:
    """JSON-ready dict of every number and expression the capacity topic derives."""
    sign, shape, unique = result.sign, result.shape, result.uniqueness
    return {
        "k": expression_payload(result.k),
        "f_note": expression_payload(f_note()),
        "f_note_printed": expression_payload(f_note_printed()),
        "sign_finding": {
            "printed_negative_on": str(sign.negative_set),
            "chart_p_equals_exp_minus_u": expression_payload(sign.chart),
            "chart_is_negative": sign.chart_is_negative,
            "printed_over_derived": expression_payload(sign.ratio_to_derived),
            "negative_on_unit_interval": sign.negative_on_unit_interval,
        },
        "f_note_shape": {
            "derivative": expression_payload(shape.derivative),
            "critical_point": expression_payload(shape.critical_point),
            "minimum": expression_payload(shape.minimum),
            "decreasing_on": str(shape.decreasing_on),
        },
        "capacity": [
            {"p": density, **{function: value for function, value in zip(result.functions, values)},
             **{f"{function}/{REFERENCE.key}": ratio for function, ratio in zip(_ratio_functions(result), ratios)}}
            for density, values, ratios in capacity_rows(result)
        ],
        "small_density": [
            {"function": comparison.function, "asymptotic": expression_payload(comparison.asymptotic),
             "limit_ratio_to_note": expression_payload(comparison.constant),
             "ratios": [{"p": density, "f_l1/f_note": ratio} for density, ratio in comparison.ratios]}
            for comparison in result.small_density
        ],
        "total_capacity": [_total_payload(total) for total in result.totals],
        "uniqueness": {
            "layers_b": expression_payload(unique.layers_b),
            "ratio_b_over_a": expression_payload(unique.ratio),
            "log_ratio": expression_payload(unique.log_ratio),
            "invariant_exponent_a": expression_payload(unique.solution),
            "beta_transformer": expression_payload(unique.beta_transformer),
        },
    }


def _number(value: float) -> str:
    return f"{value:.4g}"


def capacity_latex(result) -> str:
    """Booktabs table: p, n/m for each function, f_l1/f_note."""
    header = ["$p$", *(REGISTRY[function].heading_latex for function in result.functions),
              *(REGISTRY[function].ratio_heading_latex for function in _ratio_functions(result))]
    rows = [[math(f"{density:g}"), *(math(_number(value)) for value in values + ratios)]
            for density, values, ratios in capacity_rows(result)]
    sign, shape = result.sign, result.shape
    footnotes = [
        f"$f_{{\\mathrm{{note}}}}(p) = {to_latex(f_note())}$, from $m = \\Omega(-n p \\ln p)$ (Elhage et al.\\ 2022) "
        f"solved for $n/m$; minimum ${to_latex(shape.minimum)}$ at $p = {to_latex(shape.critical_point)}$, "
        f"decreasing on $(0, 1/e)$.",
        f"Some copies of the note print ${to_latex(f_note_printed())}$: negative for every $0 < p < 1$ "
        f"(SymPy: at $p = e^{{-u}}$, $u > 0$, it is ${to_latex(sign.chart)}$).",
        r"$f_{\ell_1}(p) = 1/\delta^*$ with $\delta^* \rho(\delta^*) = p$, $\rho$ the weak threshold of "
        r"Donoho, Maleki \& Montanari (2009), eq.~5.",
    ]
    footnotes.extend(
        f"{REGISTRY[c.function].heading_latex}: $\\lim_{{p \\to 0}} f_{{\\ell_1}}/f_{{\\mathrm{{note}}}} "
        f"= {to_latex(c.constant)}$ (from ${to_latex(c.asymptotic)}$); slow convergence."
        for c in result.small_density
    )
    return booktabs_table(header, rows, caption="Features per neuron $n/m$ at feature density $p = 1 - S$.",
                          label="tab:capacity", footnotes=footnotes, column_spec="r" * len(header))


def totals_latex(result) -> str:
    """Booktabs table: total capacity of Model A and B for n = m^a f(p), per layer and pooled."""
    rows = [[escape_text(total.pooling), math(str(int(total.a))), math(to_latex(total.model_a)),
             math(to_latex(total.model_b)), math(to_latex(total.ratio))] for total in result.totals]
    unique = result.uniqueness
    footnotes = [
        f"Model B: width $\\times {to_latex(result.k)}$, layers $/ {to_latex(result.k**2)}$ (equal parameters); "
        "per-layer capacity $n = m^a f_p$, cross-layer (pooled neurons): $(m_{\\mathrm{total}})^a f_p$, "
        "$f_p = f(p)$ the same for both models (same data).",
        f"For $N \\propto d_{{\\mathrm{{model}}}}^\\beta n_{{\\mathrm{{layer}}}}$: B/A $= {to_latex(unique.ratio)}$, "
        f"$= 1$ for every $k$ iff $a = {to_latex(unique.solution)}$; transformers: "
        f"$\\beta = {to_latex(unique.beta_transformer)}$.",
    ]
    return booktabs_table(["pooling", "$a$", "Model A", "Model B", "B/A"], rows,
                          caption="Total capacity of Model A and Model B.", label="tab:total-capacity",
                          footnotes=footnotes, column_spec="lcccc")


def latex_table(result) -> str:
    """Both tables, one after the other (one fragment to ``\\input``)."""
    return capacity_latex(result) + "\n" + totals_latex(result)


def to_renderables(result) -> list:
    """Terminal tables with the same content as the LaTeX ones, and the findings as lines."""
    table = Table(title=f"Capacity n/m = f(p) at density p = 1 - S (f_note = {sp.sstr(f_note())})")
    table.add_column("p", justify="right")
    for function in result.functions:
        table.add_column(REGISTRY[function].label, justify="right")
    for function in _ratio_functions(result):
        table.add_column(f"{function} / {REFERENCE.key}", justify="right")
    for density, values, ratios in capacity_rows(result):
        table.add_row(f"{density:g}", *(_number(value) for value in values + ratios))
    totals = Table(title=f"Total capacity, Model B = width x{result.k}, layers / {result.k**2}")
    for column in ("pooling", "a", "Model A", "Model B", "B/A"):
        totals.add_column(column)
    for total in result.totals:
        totals.add_row(total.pooling, str(total.a), sp.sstr(total.model_a), sp.sstr(total.model_b), sp.sstr(total.ratio))
    sign, shape, unique = result.sign, result.shape, result.uniqueness
    lines = [
        f"Printed form {sp.sstr(sign.printed)} is negative on {sign.negative_set} "
        f"(at p = exp(-u), u > 0: {sp.sstr(sign.chart)}): the minus sign belongs there.",
        f"f_note has its minimum {shape.minimum} at p = {shape.critical_point} and decreases on {shape.decreasing_on}.",
        *(f"{c.function}: lim p->0 f_l1/f_note = {c.constant}; "
          + ", ".join(f"p = {density:g}: {ratio:.4f}" for density, ratio in c.ratios) for c in result.small_density),
        f"Uniqueness: B/A = {sp.sstr(unique.ratio)} = 1 for every k iff a = {unique.solution} "
        f"(beta = {unique.beta_transformer} for transformers).",
    ]
    return [table, totals, *lines]
