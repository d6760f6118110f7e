"""Toy-model results as JSON payloads, booktabs LaTeX, terminal tables and Matplotlib figures."""

from dataclasses import asdict

import numpy as np
from rich.table import Table

from numerics.toy_experiments import theory_curves
from superposition.latex import booktabs_table, escape_text, math
from theory.capacity_functions import CAPACITY_FUNCTIONS, REGISTRY

INTRO_STEM, CAPACITY_STEM = "toy_intro", "toy_capacity"


def _number(value, digits=3) -> str:
    return "--" if value is None else f"{value:.{digits}g}"


def importance_text(run) -> str:
    """``importance 0.9^i`` (geometric, as trained by the intro) or ``uniform importance``."""
    ratio = run.importance[1] / run.importance[0] if run.n > 1 else 1.0
    return "uniform importance" if ratio == 1.0 else f"importance {ratio:.3g}^i"


def settings_payload(settings) -> dict:
    """Training settings (steps, batch size, AdamW hyper-parameters) as plain numbers."""
    return asdict(settings)


def run_payload(run) -> dict:
    """A trained batch of instances: per density the count of represented features and the metrics."""
    return {
        "n": run.n, "m": run.m, "activation": run.activation, "threshold": run.threshold,
        "ceiling_features_per_neuron": run.n / run.m,
        "importance": run.importance.tolist(),
        "instances": [
            {
                "density": float(run.densities[j]),
                "features_represented": int(run.represented[j]),
                "features_per_neuron": float(run.per_neuron[j]),
                "dimensions_per_feature": float(run.dimensions_per_feature[j]),
                "feature_norms": run.norms[j].tolist(),
                "feature_dimensionality": run.dimensionality[j].tolist(),
                "W": run.W[j].tolist(),
                "b": run.b[j].tolist(),
                "final_loss": float(run.losses[-1, j]) if len(run.losses) else None,
            }
            for j in range(len(run.densities))
        ],
        "loss_curve": {"steps": list(run.loss_steps), "loss": run.losses.T.tolist()},
    }


def intro_payload(run, settings) -> dict:
    """The run's payload with each instance's interference matrix W^T W (5 x 5) added."""
    payload = run_payload(run)
    for cell, gram in zip(payload["instances"], run.interference):
        cell["interference"] = gram.tolist()
    return {"experiment": "toy intro", "settings": settings_payload(settings), **payload}


def capacity_payload(result) -> dict:
    return {
        "experiment": "toy capacity",
        "n": result.n,
        "densities": list(result.densities),
        "settings": settings_payload(result.settings),
        "theory_features_per_neuron": result.theory,
        "runs": [run_payload(run) for run in result.runs],
        "doubling": [asdict(row) for row in result.doubling],
    }


def intro_latex(run) -> str:
    """Represented features and D* per density."""
    rows = [
        [math(f"{p:g}"), math(f"{1 - p:g}"), math(str(int(k))), math(f"{d:.3f}")]
        for p, k, d in zip(run.densities, run.represented, run.dimensions_per_feature)
    ]
    return booktabs_table(
        [math("p = 1 - S"), math("S"), "represented", math("D^*")], rows,
        caption=escape_text(f"Toy model (Elhage et al. 2022 intro): n = {run.n} features, m = {run.m} dimensions, "
                            f"{importance_text(run)}, {run.activation} output."),
        label="tab:toy-intro", column_spec="rrrr",
        footnotes=[escape_text(f"A feature is represented when ||W_i|| > {run.threshold}; "
                               "D* = m / ||W||_F^2 (dimensions per feature).")],
    )


def capacity_latex(result) -> str:
    """Represented features per neuron per m and density, beside the theory's n/m = f(p)."""
    header = [math("p"), *(math(f"m = {run.m}") for run in result.runs),
              *(REGISTRY[f].heading_latex for f in CAPACITY_FUNCTIONS)]
    rows = []
    for j, p in enumerate(result.densities):
        rows.append([math(f"{p:g}"), *(math(f"{run.per_neuron[j]:.3g}") for run in result.runs),
                     *(math(_number(result.theory[f][j])) for f in CAPACITY_FUNCTIONS)])
    notes = [escape_text(f"Trained ReLU toy models, n = {result.n} features of uniform importance, "
                         f"{result.settings.steps} AdamW steps; represented: ||W_i|| > {result.runs[0].threshold}.")]
    for row in result.doubling:
        predicted = ", ".join(f"{REGISTRY[f].heading_latex}: ${_number(v)}$" for f, v in row.predicted.items())
        measured = f"at $p = {_number(row.measured)}$" if row.measured is not None else escape_text(row.reason)
        notes.append(f"$m = {row.m}$, ${row.factor:g}\\times$ the features per neuron of $p = {row.reference_density:g}$: "
                     f"measured {measured}; theory's Model-B density: {predicted}.")
    return booktabs_table(
        header, rows, caption="Features per neuron of trained toy models against the capacity functions.",
        label="tab:toy-capacity", column_spec="r" * len(header), footnotes=notes,
    )


def intro_rich(run) -> Table:
    table = Table(title=f"toy intro: n = {run.n}, m = {run.m}, {importance_text(run)}, {run.activation}")
    for column in ("p = 1 - S", "represented", "D*", "||W_i||", "final loss"):
        table.add_column(column, justify="right")
    for j, p in enumerate(run.densities):
        table.add_row(f"{p:g}", str(int(run.represented[j])), f"{run.dimensions_per_feature[j]:.3f}",
                      " ".join(f"{v:.2f}" for v in run.norms[j]), f"{run.losses[-1, j]:.3g}")
    table.caption = f"represented: ||W_i|| > {run.threshold}"
    return table


def capacity_rich(result) -> Table:
    table = Table(title=f"toy capacity: represented features per neuron, n = {result.n}")
    table.add_column("p", justify="right")
    for run in result.runs:
        table.add_column(f"m = {run.m}", justify="right")
    for function in CAPACITY_FUNCTIONS:
        table.add_column(REGISTRY[function].label, justify="right")
    for j, p in enumerate(result.densities):
        table.add_row(f"{p:g}", *(f"{run.per_neuron[j]:.3g}" for run in result.runs),
                      *(_number(result.theory[f][j]) for f in CAPACITY_FUNCTIONS))
    return table


def doubling_lines(result) -> list[str]:
    """One line per m: the measured density for factor x features per neuron, and theory's."""
    lines = []
    for row in result.doubling:
        measured = f"p = {row.measured:.3g}" if row.measured is not None else row.reason
        predicted = ", ".join(f"{f}: {_number(v)}" for f, v in row.predicted.items())
        lines.append(f"m = {row.m}: {row.factor:g} x {row.reference_per_neuron:.3g} features per neuron "
                     f"(p = {row.reference_density:g}) measured at {measured}; predicted {predicted}")
    return lines


def intro_figure(run):
    """Per density: W^T W (top) and the feature directions W_i in the plane (bottom; the pentagon when sparse)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    count = len(run.densities)
    figure, axes = plt.subplots(2, count, figsize=(1.9 * count, 4.0), squeeze=False)
    colours = plt.cm.viridis(np.linspace(0.0, 0.9, run.n))
    for j, p in enumerate(run.densities):
        top, bottom = axes[0, j], axes[1, j]
        top.imshow(run.interference[j], cmap="RdBu", vmin=-1.2, vmax=1.2)
        top.set_xticks([]), top.set_yticks([])
        top.set_title(f"1-S = {p:g}", fontsize=9)
        for i in range(run.n):
            direction = run.W[j][:, i] if run.m == 2 else run.W[j][:2, i]
            bottom.plot([0, direction[0]], [0, direction[1]], color=colours[i], linewidth=1.5)
            bottom.plot(direction[0], direction[1], "o", color=colours[i], markersize=3)
        bottom.set_xlim(-1.4, 1.4), bottom.set_ylim(-1.4, 1.4), bottom.set_aspect("equal")
        bottom.set_xticks([]), bottom.set_yticks([])
        bottom.set_xlabel(f"{int(run.represented[j])} represented", fontsize=8)
    axes[0, 0].set_ylabel(r"$W^T W$")
    axes[1, 0].set_ylabel(r"columns $W_i$")
    figure.suptitle(f"Toy model, n = {run.n}, m = {run.m}, {importance_text(run)} (dark = most important)", fontsize=10)
    figure.tight_layout()
    return figure


def capacity_figure(result):
    """Features per neuron against density (log scale): measured per m, the capacity functions, the doubling."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6.0, 4.2))
    densities = np.asarray(result.densities)
    for run, row in zip(result.runs, result.doubling):
        line, = axis.plot(densities, run.per_neuron, "o-", label=f"toy ReLU, m = {run.m}")
        axis.axhline(result.n / run.m, color=line.get_color(), linestyle=":", linewidth=0.8)
        if row.measured is not None:
            axis.axvline(row.measured, color=line.get_color(), linewidth=0.8,
                         label=f"toy: p for {row.factor:g}x (m = {run.m})")
    grid = np.geomspace(densities.min(), min(densities.max(), 0.999), 60)
    for function, values in theory_curves(grid).items():
        axis.plot(grid, values, "--", label=REGISTRY[function].label)
    note = result.doubling[0].predicted.get("note") if result.doubling else None
    if note is not None:
        axis.axvline(note, color="black", linestyle="-.", linewidth=0.8,
                     label=f"note: p for {result.doubling[0].factor:g}x (Model B)")
    axis.set_xscale("log")
    axis.set_yscale("log")
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

    axis.yaxis.set_major_locator(FixedLocator([1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500]))
    axis.yaxis.set_major_formatter(ScalarFormatter())
    axis.yaxis.set_minor_formatter(NullFormatter())
    axis.set_xlabel("feature density p = 1 - S")
    axis.set_ylabel("features per neuron n/m")
    axis.set_title(f"Represented features per neuron (n = {result.n}; dotted: n/m ceiling)", fontsize=10)
    axis.legend(fontsize=7)
    figure.tight_layout()
    return figure
