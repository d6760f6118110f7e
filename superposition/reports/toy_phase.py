"""The n = 2, m = 1 phase diagram: trained phases beside the exact map, as JSON, LaTeX, a terminal table, a figure."""

import numpy as np
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.toy import finite_or_none, settings_payload

PHASE_STEM = "toy_phase_diagram"
#: One character per phase in the terminal map, and its colour in the figure.
SYMBOLS = {"first": "1", "second": "2", "pair": "P", "none": "."}
COLOURS = {"first": "#4c72b0", "second": "#dd8452", "pair": "#55a868", "none": "#dddddd"}
LABELS = {"first": "feature 1 kept", "second": "feature 2 kept", "pair": "antipodal pair", "none": "none"}


def phase_payload(result) -> dict:
    training = result.training
    cells = []
    index = 0
    for r, row_t, row_e in zip(result.ratios, result.trained, result.exact):
        for p, trained, exact in zip(result.densities, row_t, row_e):
            cells.append({
                "importance_ratio": float(r), "density": float(p), "trained": trained, "exact": exact.winner,
                "W": training.W[index].tolist(), "b": training.b[index].tolist(),
                "final_loss": float(training.final_losses[index]), "exact_best_loss": exact.best_loss,
                "exact_losses": {"first": exact.keep_first, "second": exact.keep_second, "pair": exact.pair_loss},
                "exact_pair_parameters": list(exact.pair_parameters),
                "exact_margin": exact_margin(exact),
                "restart_losses": training.restart_losses[index].tolist(),
                "restarts_needed": int(training.restarts_needed[index]),
                "relative_change_last_tenth": finite_or_none(training.relative_change[index]),
            })
            index += 1
    return {
        "experiment": "toy phase-diagram", "n": 2, "m": 1, "restarts": result.restarts,
        "settings": settings_payload(result.settings),
        "importance_ratios": result.ratios.tolist(), "densities": result.densities.tolist(),
        "agreement": result.agreement, "disagreements": [list(d) for d in result.disagreements()],
        "cells": cells,
    }


def exact_margin(exact) -> float:
    """How much the runner-up candidate's exact loss exceeds the winner's, relative to the winner's.

    Cells with a margin of a few per cent sit on a phase boundary: there the trained phase is a coin toss.
    """
    losses = sorted([exact.keep_first, exact.keep_second, exact.pair_loss])
    return (losses[1] - losses[0]) / losses[0]


def summary_line(result) -> str:
    needed = result.training.restarts_needed
    return (f"agreement with the exact map: {result.agreement:.1%} of {needed.size} cells "
            f"(best of {result.restarts} restarts; the first restart sufficed in {np.mean(needed == 1):.0%})")


def phase_rich(result) -> Table:
    table = Table(title="toy phase-diagram: trained | exact (1, 2: that feature kept; P: antipodal pair)")
    table.add_column("r = I2/I1", justify="right")
    table.add_column("trained, p = " + f"{result.densities[0]:.2g} … {result.densities[-1]:.2g}")
    table.add_column("exact")
    for r, row_t, row_e in zip(result.ratios, result.trained, result.exact):
        table.add_row(f"{r:.3g}", "".join(SYMBOLS[t] for t in row_t), "".join(SYMBOLS[e.winner] for e in row_e))
    table.caption = summary_line(result)
    return table


def phase_latex(result) -> str:
    rows = []
    for r, row_t, row_e in zip(result.ratios, result.trained, result.exact):
        rows.append([math(f"{r:.3g}"), "".join(SYMBOLS[t] for t in row_t), "".join(SYMBOLS[e.winner] for e in row_e)])
    return booktabs_table(
        [math("r = I_2/I_1"), "trained", "exact"], rows,
        caption=escape_text(f"n = 2, m = 1 toy model (Elhage et al. 2022): phase per cell, density "
                            f"{result.densities[0]:.2g} to {result.densities[-1]:.2g} left to right."),
        label="tab:toy-phase-diagram", column_spec="rll",
        footnotes=[escape_text("1, 2: that feature alone represented (||W_i|| > 0.5); P: both, the antipodal pair. "
                               + summary_line(result) + ".")],
    )


def log_edges(centres) -> np.ndarray:
    """Cell edges around log-spaced ``centres``: geometric midpoints, extended by half a step at both ends.

    >>> log_edges(np.array([1.0, 100.0])).tolist()
    [0.1, 10.0, 1000.0]
    """
    logs = np.log10(centres)
    step = logs[1] - logs[0] if len(logs) > 1 else 1.0
    return 10 ** np.concatenate([[logs[0] - step / 2], (logs[1:] + logs[:-1]) / 2, [logs[-1] + step / 2]])


def phase_figure(result):
    """Two maps over (p, r), log axes: the trained phases (best of k) and the exact optimum's."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    order = list(COLOURS)
    colours = ListedColormap([COLOURS[k] for k in order])
    figure, axes = plt.subplots(1, 2, figsize=(9.0, 4.0))
    exact = [[cell.winner for cell in row] for row in result.exact]
    for axis, phases, title in ((axes[0], result.trained, f"trained (best of {result.restarts})"),
                                (axes[1], exact, "exact optimum")):
        codes = np.array([[order.index(c) for c in row] for row in phases])
        axis.pcolormesh(log_edges(result.densities), log_edges(result.ratios), codes, cmap=colours, vmin=-0.5,
                        vmax=len(order) - 0.5, shading="flat")
        axis.set_xscale("log"), axis.set_yscale("log")
        axis.set_xlabel("feature density p = 1 - S")
        axis.set_title(title, fontsize=10)
    for r, p, _, _ in result.disagreements():
        axes[0].plot(p, r, "kx", markersize=5)
    axes[0].set_ylabel("relative importance of feature 2, r")
    figure.legend(handles=[Patch(color=COLOURS[k], label=LABELS[k]) for k in order[:3]] +
                  [plt.Line2D([], [], color="k", marker="x", linestyle="", label="disagrees with exact")],
                  loc="lower center", ncol=4, fontsize=8)
    figure.suptitle(f"n = 2, m = 1: {summary_line(result)}", fontsize=9)
    figure.tight_layout(rect=(0, 0.08, 1, 0.95))
    return figure
