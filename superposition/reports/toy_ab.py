"""Model A against Model B on trained toys, beside the counting and interference predictions: JSON, LaTeX, figure."""

from dataclasses import asdict

import numpy as np
from rich.table import Table

from superposition.latex import booktabs_table, escape_text, math
from superposition.reports.table_files import TableFiles
from theory.superposition_pictures import derive_pictures

STEM = "toy_ab"
FILES = TableFiles(STEM, "Toy model: Model A against Model B")


def predictions(k) -> dict:
    """B/A at k: counting (features held), interference per feature and co-active (total loss), scaling laws (1)."""
    result = derive_pictures(k)
    return {"counting": float(result.picture("counting").ratio),
            "interference": float(result.picture("interference").ratio),
            "interference_coactive": float(result.picture("interference_coactive").ratio),
            "scaling_laws": float(result.scaling_law_ratio)}


def _ratio(value) -> float | None:
    return None if value != value else float(value)  # NaN (A stores nothing) -> None, for strict JSON


def payload(result) -> dict:
    config = result.config
    return {
        "experiment": "toy ab",
        "config": {**asdict(config), "n_b": config.n_b, "m_b": config.m_b},
        "densities": list(config.all_densities()),
        "predictions": predictions(config.k),
        "rows": [{"regime": row.regime, "density": row.density, "model_a": asdict(row.a), "model_b": asdict(row.b),
                  "represented_fraction_a": row.a.represented_fraction,
                  "represented_fraction_b": row.b.represented_fraction,
                  "represented_ratio": _ratio(row.represented_ratio), "total_loss_ratio": row.total_loss_ratio}
                 for row in result.rows],
        "reading": reading(result),
    }


def reading(result) -> str:
    """What the measurement says about the note's premises, from the numbers."""
    config, guesses = result.config, predictions(result.config.k)
    parts = []
    for regime in config.regimes:
        rows = [row for row in result.rows if row.regime == regime]
        at_reference = next(row for row in rows if row.density == config.reference_density)
        shifted = next(row for row in rows if row.density == config.shifted_density)
        losses = [row.total_loss_ratio for row in rows]
        parts.append(
            f"{regime}: at p = {config.reference_density:g} Model B represents {at_reference.b.represented_fraction:.2f} "
            f"of its features against A's {at_reference.a.represented_fraction:.2f} (ratio "
            f"{at_reference.represented_ratio:.2f}; counting predicts {guesses['counting']:g} at capacity), and "
            f"{shifted.b.represented_fraction:.2f} at the note's p_B = {config.shifted_density:.3g} "
            f"({shifted.b.represented / config.m_b:.2f} features per neuron against A's "
            f"{at_reference.a.represented / config.m_a:.2f} at p_A); total loss B/A "
            f"{min(losses):.2f} ... {max(losses):.2f} over the densities (scaling laws 1, interference per feature "
            f"{guesses['interference']:g}, co-active {guesses['interference_coactive']:g})")
    return ("; ".join(parts) + ". Equal steps and batch for both models (not scaled by parameter count). "
            "A represented ratio below 1 gives up universality (features); a total-loss ratio away from 1 gives up shape "
            "invariance (loss).")


def latex(result) -> str:
    config = result.config
    rows = [
        [escape_text(row.regime), math(f"{row.density:.3g}"), math(f"{row.a.represented_fraction:.2f}"),
         math(f"{row.b.represented_fraction:.2f}"), math(f"{row.a.loss_per_feature:.2e}"),
         math(f"{row.b.loss_per_feature:.2e}"), math(f"{row.total_loss_ratio:.2f}")]
        for row in result.rows
    ]
    guesses = predictions(config.k)
    return booktabs_table(
        ["regime", "$p$", "repr. A", "repr. B", "loss/feature A", "loss/feature B", "total loss B/A"], rows,
        caption=f"Model A (layer: $n = {config.n_a}$, $m = {config.m_a}$) against Model B ($n = {config.n_b}$, "
                f"$m = {config.m_b}$, $k = {config.k}$) on trained toy models.",
        label="tab:toy-ab",
        footnotes=[
            escape_text(f"Predicted B/A: counting {guesses['counting']:g} (features held at capacity), interference "
                        f"{guesses['interference']:g} (per feature) or {guesses['interference_coactive']:g} (co-active "
                        f"at density p), scaling laws {guesses['scaling_laws']:g} (total loss)."),
            escape_text(f"{config.steps} steps of batch {config.batch_size}, lr {config.learning_rate:g}; loss on "
                        f"{config.eval_batch} fresh inputs. " + reading(result)),
        ],
    )


def rich_table(result) -> Table:
    config = result.config
    table = Table(title=f"Model A (n = {config.n_a}, m = {config.m_a}) vs Model B (n = {config.n_b}, m = {config.m_b}), "
                        f"k = {config.k}")
    for column in ("regime", "p", "represented A", "represented B", "ratio", "loss/feature A", "loss/feature B",
                   "total loss B/A"):
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(row.regime, f"{row.density:.3g}", f"{row.a.represented}/{row.a.n}", f"{row.b.represented}/{row.b.n}",
                      f"{row.represented_ratio:.2f}", f"{row.a.loss_per_feature:.3e}", f"{row.b.loss_per_feature:.3e}",
                      f"{row.total_loss_ratio:.2f}")
    table.caption = reading(result)
    return table


def figure(result):
    """Represented fraction against p (A, B) and total loss B/A against p, with the predictions as lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    config, guesses = result.config, predictions(result.config.k)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    for regime, style in zip(config.regimes, ("-", "--")):
        rows = [row for row in result.rows if row.regime == regime]
        p = np.array([row.density for row in rows])
        left.plot(p, [row.a.represented_fraction for row in rows], "o" + style, color="C0", label=f"Model A, {regime}")
        left.plot(p, [row.b.represented_fraction for row in rows], "s" + style, color="C1", label=f"Model B, {regime}")
        right.plot(p, [row.total_loss_ratio for row in rows], "o" + style, color="C2", label=f"measured, {regime}")
    for key, label, colour in (("scaling_laws", "scaling laws", "black"), ("interference", "interference, per feature", "C3"),
                               ("interference_coactive", "interference, co-active", "C4")):
        right.axhline(guesses[key], color=colour, linestyle=":", label=f"{label}: {guesses[key]:g}")
    for axis in (left, right):
        axis.set_xscale("log")
        axis.axvline(config.reference_density, color="grey", linewidth=0.6)
        axis.axvline(config.shifted_density, color="grey", linestyle="-.", linewidth=0.6)
        axis.set_xlabel("feature density p (grey: p_A; dash-dot: the note's p_B)")
    left.set_ylabel("represented fraction (||W_i|| > 0.5)")
    left.set_title(f"features kept (counting: B/A = {guesses['counting']:g} at capacity)", fontsize=9)
    right.set_ylabel("total loss B/A")
    right.set_yscale("log")
    right.set_title("total loss of Model B over Model A", fontsize=9)
    left.legend(fontsize=7), right.legend(fontsize=7)
    figure.tight_layout()
    return figure
