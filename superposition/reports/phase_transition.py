"""The phase-transition experiment as a heatmap with the theory curve, a cells CSV, a LaTeX table and a rich table."""

import csv
import io
import math

import numpy as np
from rich.table import Table

from numerics.phase_transition import theory_curve
from superposition.latex import booktabs_table, escape_text, math as in_math
from superposition.reports.table_files import TableFiles, TableOutput

CSV_COLUMNS = ("delta", "rho", "n", "m", "k", "delta_realised", "rho_realised", "successes", "trials",
               "success_rate", "wilson_low", "wilson_high", "median_relative_error")
SIGNAL_WORDS = {"signed": "signed Gaussian", "nonneg": "nonnegative Uniform[0,1)"}


def stem(config) -> str:
    """File names carry the signal model, so signed and nonnegative runs can share a folder."""
    return f"phase_transition_{config.signal}"


def describe(config) -> str:
    """One line: solver, signal, size, trials, success rule."""
    band = f", rho within {config.rho_window:g} of rho(delta)" if config.rho_window is not None else ""
    return (f"{config.solver} on {SIGNAL_WORDS[config.signal]} signals, n = {config.n}, {config.trials} trials per cell"
            f"{band}, success: relative l2 error < {config.tol:g}, seed {config.seed}")


def cells_csv(analysis) -> str:
    """Every cell as a CSV row (coordinates, sizes, successes, Wilson 95% interval)."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(analysis.cells)
    return stream.getvalue()


def _number(value: float, digits: int = 3) -> str:
    return "--" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def to_latex_table(analysis) -> str:
    """Per δ: fitted 50% point, theory ρ(δ), deviation; the largest deviation in a footnote."""
    rows = [
        [in_math(_number(t.delta, 3)), in_math(_number(t.rho_fitted)), in_math(_number(t.rho_theory)),
         in_math(f"{t.deviation:+.3f}") if t.bracketed else "not bracketed", in_math(_number(t.width))]
        for t in analysis.transitions
    ]
    return booktabs_table(
        [r"$\delta = m/n$", r"$\rho_{50\%}$ fitted", r"$\rho(\delta)$ theory", "deviation", r"width 10--90\%"], rows,
        caption=f"Empirical $\\ell_1$ phase transition ({analysis.config.signal} signals) against the "
                "Donoho--Tanner curve $\\rho(\\delta)$ (Donoho, Maleki \\& Montanari 2009, eq.~5).",
        label=f"tab:phase-transition-{analysis.config.signal}",
        footnotes=[escape_text(describe(analysis.config)) + ".",
                   "Fitted: 50\\% point of a logistic regression of success on $\\rho = k/m$ at each $\\delta$; "
                   "width: the $\\rho$-distance from 90\\% to 10\\% success on the fitted curve. "
                   f"Largest $|$deviation$|$: ${_number(analysis.max_abs_deviation)}$."],
        column_spec="ccccc",
    )


def to_rich_table(analysis) -> Table:
    table = Table(title=f"Phase transition: {describe(analysis.config)}")
    for column in ("delta", "rho 50% (fitted)", "rho(delta) theory", "deviation", "width 10-90%"):
        table.add_column(column, justify="right")
    for t in analysis.transitions:
        table.add_row(_number(t.delta), _number(t.rho_fitted), _number(t.rho_theory),
                      f"{t.deviation:+.3f}" if t.bracketed else "not bracketed", _number(t.width))
    table.caption = f"largest |deviation| over bracketed delta: {_number(analysis.max_abs_deviation)}"
    return table


def _edges(centres) -> np.ndarray:
    """Cell edges around sorted centres (midpoints; the outer edges mirror the first and last gaps)."""
    centres = np.asarray(centres, dtype=float)
    if centres.size == 1:
        return np.array([centres[0] - 0.025, centres[0] + 0.025])
    middle = (centres[1:] + centres[:-1]) / 2
    return np.concatenate([[2 * centres[0] - middle[0]], middle, [2 * centres[-1] - middle[-1]]])


def heatmap_figure(analysis):
    """Success rate over the (δ, ρ) grid, the theory curve ρ(δ) and the fitted 50% points."""
    from matplotlib import patheffects
    from matplotlib.figure import Figure

    config = analysis.config
    rates = np.full((len(config.rhos), len(config.deltas)), np.nan)
    for cell in analysis.cells:
        rates[config.rhos.index(cell["rho"]), config.deltas.index(cell["delta"])] = cell["success_rate"]
    figure = Figure(figsize=(6.4, 4.8))
    axes = figure.subplots()
    mesh = axes.pcolormesh(_edges(config.deltas), _edges(config.rhos), rates, cmap="viridis", vmin=0, vmax=1)
    figure.colorbar(mesh, ax=axes, label="success rate")
    deltas, rhos = theory_curve(config.signal)
    axes.plot(deltas, rhos, color="white", linewidth=2, label=r"theory $\rho(\delta)$ (DMM 2009)",
              path_effects=[patheffects.withStroke(linewidth=3.5, foreground="black")])
    fitted = [t for t in analysis.transitions if t.bracketed]
    axes.plot([t.delta for t in fitted], [t.rho_fitted for t in fitted], "o", color="red", markersize=5,
              label="fitted 50% point")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel(r"$\delta = m/n$")
    axes.set_ylabel(r"$\rho = k/m$")
    axes.set_title(f"{config.solver}, {config.signal} signals, n = {config.n}, {config.trials} trials/cell", fontsize=10)
    axes.legend(loc="upper left", fontsize=8)
    return figure


def to_payload(analysis) -> dict:
    return {"description": describe(analysis.config), **analysis.to_dict()}


def table_output(analysis) -> TableOutput:
    """LaTeX table (fragment + standalone), JSON, the terminal table, heatmap (PDF, PNG) and cells CSV."""
    name = stem(analysis.config)
    files = TableFiles(name, f"Empirical l1 phase transition ({analysis.config.signal}) vs Donoho-Tanner")
    return TableOutput(files, to_payload(analysis), to_latex_table(analysis), (to_rich_table(analysis),),
                       figures=((f"{name}_heatmap", lambda: heatmap_figure(analysis)),),
                       texts=((f"{name}_cells.csv", cells_csv(analysis)),))
