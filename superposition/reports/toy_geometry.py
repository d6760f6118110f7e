"""Feature dimensionality against sparsity (Elhage et al. 2022): JSON, LaTeX, a terminal table and a figure."""

import numpy as np
from rich.table import Table

from numerics.toy_geometry import STICKY, TARGET_STICKY, TOLERANCE
from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.toy import finite_or_none, settings_payload

GEOMETRY_STEM = "toy_geometry"


def geometry_payload(result) -> dict:
    training = result.training
    return {
        "experiment": "toy geometry", "n": result.n, "m": result.m, "restarts": result.restarts,
        "threshold": result.threshold, "settings": settings_payload(result.settings),
        "sticky_tolerance": TOLERANCE, "sticky_shares": result.shares(),
        "target_sticky": [str(s) for s in TARGET_STICKY],
        "densities": [
            {
                "density": float(p), "one_over_one_minus_S": 1.0 / float(p),
                "features_represented": int(result.represented[j].sum()),
                "dead_outputs": int(result.dead_outputs[j]),
                "dimensions_per_feature": float(result.dimensions_per_feature[j]),
                "feature_dimensionality": result.dimensionality[j].tolist(),
                "feature_norms": result.norms[j].tolist(),
                "final_loss": float(training.final_losses[j]),
                "axis_aligned_loss": float(result.axis_aligned[j]),
                "relative_change_last_tenth": finite_or_none(training.relative_change[j]),
                "restart_losses": training.restart_losses[j].tolist(),
                "restarts_needed": int(training.restarts_needed[j]),
                "W": training.W[j].tolist(), "b": training.b[j].tolist(),
            }
            for j, p in enumerate(result.densities)
        ],
        "loss_curve": {"steps": list(training.loss_steps), "loss": training.losses.T.tolist()},
    }


def share_lines(result) -> list[str]:
    """One line per sticky value: share of represented features within the tolerance, and a uniform spread's."""
    shares = result.shares()
    lines = []
    for key, row in shares.items():
        ratio = f"{row['share'] / row['uniform']:.2f}x" if row["uniform"] > 0 else "outside the range of D_i"
        lines.append(f"D_i within ±{TOLERANCE} of {key}: {row['share']:.1%} of represented features "
                     f"(uniform spread: {row['uniform']:.1%}; {ratio})")
    return lines


def percent_or_dash(value) -> str:
    """A signed percentage, or -- for NaN (too few loss records in the last tenth)."""
    return "--" if not np.isfinite(value) else f"{value:+.2%}"


def geometry_rich(result) -> Table:
    table = Table(title=f"toy geometry: n = {result.n}, m = {result.m}, uniform importance")
    for column in ("p", "1/(1-S)", "represented", "m/||W||_F^2", "final loss", "axis-aligned", "Δ last 10%"):
        table.add_column(column, justify="right")
    training = result.training
    for j, p in enumerate(result.densities):
        table.add_row(f"{p:.3g}", f"{1 / p:.3g}", str(int(result.represented[j].sum())),
                      f"{result.dimensions_per_feature[j]:.3f}", f"{training.final_losses[j]:.4g}",
                      f"{result.axis_aligned[j]:.4g}", percent_or_dash(training.relative_change[j]))
    return table


def geometry_latex(result) -> str:
    training = result.training
    rows = [[math(f"{p:.3g}"), math(f"{1 / p:.3g}"), math(str(int(result.represented[j].sum()))),
             math(f"{result.dimensions_per_feature[j]:.3f}"), math(f"{training.final_losses[j]:.4g}"),
             math(f"{result.axis_aligned[j]:.4g}")]
            for j, p in enumerate(result.densities)]
    return booktabs_table(
        [math("p"), math("1/(1-S)"), "represented", math("m/\\|W\\|_F^2"), "final loss", "axis-aligned"], rows,
        caption=escape_text(f"Feature dimensionality of trained toy models, n = {result.n}, m = {result.m}, "
                            "uniform importance (Elhage et al. 2022)."),
        label="tab:toy-geometry", column_spec="rrrrrr",
        footnotes=[escape_text(line) for line in share_lines(result)],
    )


def geometry_figure(result):
    """Left: D_i of represented features and m/||W||_F^2 against 1/(1-S), sticky values drawn. Right: histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(10.0, 4.2), gridspec_kw={"width_ratios": [2, 1]})
    inverse = 1.0 / result.densities
    for j, x in enumerate(inverse):
        values = result.dimensionality[j][result.represented[j]]
        jitter = x * np.exp(np.random.default_rng(j).uniform(-0.04, 0.04, values.size))
        left.plot(jitter, values, ".", color="#4c72b0", markersize=2, alpha=0.5)
    left.plot(inverse, result.dimensions_per_feature, "k-", linewidth=1.2, label=r"$m/\|W\|_F^2$")
    for value in STICKY:
        left.axhline(float(value), color="grey", linestyle=":", linewidth=0.7)
        left.text(inverse.max() * 1.1, float(value), str(value), fontsize=7, va="center")
    left.set_xscale("log")
    left.set_ylim(0, 1.1)
    left.set_xlabel("1/(1 - S) = 1/p")
    left.set_ylabel(r"feature dimensionality $D_i$ (represented features)")
    left.legend(fontsize=8)
    pooled = result.represented_dimensionality()
    right.hist(pooled, bins=np.arange(0, 1.1, 0.01), color="#4c72b0", orientation="horizontal")
    for value in STICKY:
        right.axhline(float(value), color="grey", linestyle=":", linewidth=0.7)
    right.set_ylim(0, 1.1)
    right.set_xlabel("represented features")
    shares = result.shares()["all"]
    figure.suptitle(f"n = {result.n}, m = {result.m}: {shares['share']:.0%} of represented D_i within ±{TOLERANCE} of "
                    f"a sticky value (uniform spread: {shares['uniform']:.0%})", fontsize=10)
    figure.tight_layout()
    return figure
