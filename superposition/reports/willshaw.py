"""The Willshaw capacity curve beside linear superposition: JSON, booktabs LaTeX, a terminal table and a log-log figure."""

import numpy as np
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.expressions import expression_payload
from superposition.reports.table_files import TableFiles, TableOutput
from theory.associative_memory import asymptotic_capacity_value, derive_willshaw, local_exponent_value
from theory.symbols import to_latex

FILES = TableFiles("table_willshaw", "Willshaw associative memory: capacity against m")
FIGURE_STEM = "willshaw_capacity"
#: The capacity formula as the literature writes it (the derived expression is m^2 log(2)^3 / log(m)^2).
CAPACITY_LATEX = r"\ln 2\, m^2/(\log_2 m)^2"


def fit_text(fit) -> str:
    """'1.634 [1.601, 1.662]' with the interval's confidence."""
    return f"{fit.exponent:.3f} [{fit.ci_low:.3f}, {fit.ci_high:.3f}]"


def to_payload(result) -> dict:
    """Measurements, fits, theory and the statement of what this shows and does not show."""
    scaling, derivation = result.scaling, derive_willshaw()
    return {
        "criterion": f"mean wrong output units per stored pair <= {scaling.measurements[0].max_wrong_units:g}",
        "measurements": [
            {**measurement.to_dict(), "predicted_capacity": predicted, "asymptotic_capacity": asymptotic}
            for measurement, predicted, asymptotic in zip(scaling.measurements, scaling.predicted, scaling.asymptotic)
        ],
        "raw_fit": scaling.raw_fit.to_dict(),
        "corrected_fit": {**scaling.corrected_fit.to_dict(), "quantity": "capacity * (log2 m)^2"},
        "theory": {
            "capacity": expression_payload(derivation.asymptotic_capacity),
            "local_exponent": expression_payload(derivation.local_exponent),
            "local_exponent_range": [local_exponent_value(result.sizes[0]), local_exponent_value(result.sizes[-1])],
            "raw_slope_over_grid": scaling.theory_raw_slope,
            "corrected_capacity": expression_payload(derivation.corrected_capacity),
            "corrected_exponent": expression_payload(derivation.corrected_exponent),
            "fill_at_capacity_limit": expression_payload(derivation.fill_limit),
            "bits_per_synapse": expression_payload(derivation.bits_per_synapse),
        },
        "compressed_sensing": {
            "density": result.cs_density, "function": "l1-signed", "features_per_neuron": result.cs_ratio,
            "exponent": 1, "formula": "n = m f_l1(p)",
        },
        "statement": result.statement,
    }


def _measurement_rows(scaling):
    for measurement, predicted, asymptotic in zip(scaling.measurements, scaling.predicted, scaling.asymptotic):
        yield measurement, predicted, asymptotic, measurement.capacity / predicted, measurement.capacity / asymptotic


def latex_table(result) -> str:
    """Per m: k, measured capacity, the finite-m and asymptotic predictions; then the exponents."""
    scaling = result.scaling
    header = ["$m$", "$k$", "measured $M$", r"$M^*(m, k, \varepsilon)$", math(CAPACITY_LATEX), "$M/M^*$",
              "$M$ / asympt."]
    rows = [[math(str(m.m)), math(str(m.k)), math(str(m.capacity)), math(f"{predicted:.0f}"), math(f"{asymptotic:.0f}"),
             math(f"{to_predicted:.3f}"), math(f"{to_asymptotic:.3f}")]
            for m, predicted, asymptotic, to_predicted, to_asymptotic in _measurement_rows(scaling)]
    criterion = scaling.measurements[0].max_wrong_units
    capacity_table = booktabs_table(
        header, rows, caption="Measured capacity of a binary associative memory against $m$.", label="tab:willshaw",
        footnotes=[f"Capacity: the most stored pairs with at most $\\varepsilon = {criterion:g}$ wrong output units "
                   f"per retrieval on average ({scaling.measurements[0].trials} memories, up to "
                   f"{scaling.measurements[0].probes} stored pairs probed each); $k = \\mathrm{{round}}(\\log_2 m)$.",
                   r"$M^*$: $\ln(1 - (\varepsilon/(m-k))^{1/k}) / \ln(1 - k^2/m^2)$, synapses treated as independent "
                   r"(the fill varies between rows, which by Jensen's inequality only adds errors)."],
        column_spec="rrrrrrr",
    )
    derivation = derive_willshaw()
    confidence = f"{100 * scaling.raw_fit.confidence:g}\\%"
    exponent_rows = [
        ["measured $M$", math(fit_text(scaling.raw_fit)),
         math(f"{scaling.theory_raw_slope:.3f}") + f" (local ${to_latex(derivation.local_exponent)}$)"],
        [r"measured $M (\log_2 m)^2$", math(fit_text(scaling.corrected_fit)), math(to_latex(derivation.corrected_exponent))],
        [f"compressed sensing $n = m f_{{\\ell_1}}({result.cs_density:g})$", math("1"), math("1")],
    ]
    exponent_table = booktabs_table(
        ["quantity", f"fitted exponent [{confidence} bootstrap]", "theory"], exponent_rows,
        caption="Exponents against $m$: associative memory vs linear superposition.", label="tab:willshaw-exponents",
        footnotes=[escape_text(result.statement)], column_spec="lll",
    )
    return capacity_table + "\n" + exponent_table


def to_renderables(result) -> list:
    """A terminal table of the measurements, the exponents, and the statement."""
    scaling = result.scaling
    table = Table(title=f"Willshaw memory capacity (<= {scaling.measurements[0].max_wrong_units:g} wrong units per "
                        f"retrieval on average)")
    for column in ("m", "k", "measured M", "bracket", "M*(m,k,eps)", "ln2 m^2/(log2 m)^2", "M/M*", "M/asymptotic"):
        table.add_column(column, justify="right")
    for m, predicted, asymptotic, to_predicted, to_asymptotic in _measurement_rows(scaling):
        table.add_row(str(m.m), str(m.k), str(m.capacity), f"[{m.capacity}, {m.first_failure})", f"{predicted:.0f}",
                      f"{asymptotic:.0f}", f"{to_predicted:.3f}", f"{to_asymptotic:.3f}")
    derivation = derive_willshaw()
    lines = [
        f"raw exponent of M vs m: {fit_text(scaling.raw_fit)} ({100 * scaling.raw_fit.confidence:g}% bootstrap); "
        f"theory over this grid {scaling.theory_raw_slope:.3f} (local slope {derivation.local_exponent} = "
        f"{local_exponent_value(result.sizes[0]):.3f} .. {local_exponent_value(result.sizes[-1]):.3f})",
        f"corrected exponent of M (log2 m)^2 vs m: {fit_text(scaling.corrected_fit)}; theory "
        f"{derivation.corrected_exponent} (M (log2 m)^2 = {derivation.corrected_capacity})",
        f"compressed sensing (linear superposition) n = m f_l1({result.cs_density:g}) = {result.cs_ratio:.3f} m: exponent 1",
        result.statement,
    ]
    return [table, *lines]


def capacity_figure(result):
    """Log-log: measured Willshaw capacity, its two predictions, and the compressed-sensing line of slope 1."""
    from matplotlib.figure import Figure

    scaling = result.scaling
    sizes = np.array(result.sizes, dtype=float)
    dense = np.geomspace(sizes[0], sizes[-1], 200)
    figure = Figure(figsize=(6.4, 4.8))
    axes = figure.subplots()
    axes.loglog(sizes, [m.capacity for m in scaling.measurements], "o", color="C0",
                label=f"Willshaw, measured (slope {scaling.raw_fit.exponent:.2f})")
    axes.loglog(sizes, scaling.predicted, "x", color="C0", label=r"Willshaw, $M^*(m, k, \varepsilon)$")
    axes.loglog(dense, [asymptotic_capacity_value(size) for size in dense], "-", color="C0", alpha=0.6,
                label=f"${CAPACITY_LATEX}$")
    corrected = np.array([m.capacity for m in scaling.measurements]) * np.log2(sizes) ** 2
    axes.loglog(sizes, corrected, "s", color="C2", markersize=4,
                label=f"Willshaw $M(\\log_2 m)^2$ (slope {scaling.corrected_fit.exponent:.2f})")
    axes.loglog(dense, [asymptotic_capacity_value(size) * np.log2(size) ** 2 for size in dense], "-", color="C2",
                alpha=0.6, label=r"$\ln 2\, m^2$ (slope 2)")
    axes.loglog(dense, dense * result.cs_ratio, "--", color="C3",
                label=f"compressed sensing $n = m f_{{\\ell_1}}({result.cs_density:g})$ (slope 1)")
    axes.set_xlabel("$m$ (neurons; the memory has $m^2$ binary weights)")
    axes.set_ylabel("items stored (pairs $M$, or features $n$)")
    axes.set_title("Capacity set by weights (slope ~2) vs by neurons (slope 1)", fontsize=10)
    axes.legend(fontsize=7, loc="upper left")
    return figure


def table_output(result) -> TableOutput:
    """The LaTeX tables (fragment + standalone), the JSON, the terminal tables and the figure (PDF, PNG)."""
    return TableOutput(FILES, to_payload(result), latex_table(result), tuple(to_renderables(result)),
                       figures=((FIGURE_STEM, lambda: capacity_figure(result)),))
