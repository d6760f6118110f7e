"""Figures of the capacity topics: f(p) for each capacity function, f_l1/f_note, and the density shift p_A -> p_B."""

import numpy as np

from theory.capacity import f_note_value, sparse_branch_end
from theory.capacity_comparison import COMPARED, small_density_comparison
from theory.capacity_functions import CAPACITY_FUNCTIONS, REGISTRY, capacity_ratio, required_density
from theory.validation import InvalidParameter

CAPACITY_STEM = "figure_capacity"
DENSITY_SHIFT_STEM = "figure_density_shift"
#: The right end of the density axis for functions decreasing on all of (0, 1).
DENSE_END = 0.95


def capacity_figure(points: int = 120):
    """Left: n/m = f(p) (log-log) for every capacity function. Right: f_l1/f_note with its p -> 0 limit."""
    from matplotlib.figure import Figure

    densities = np.geomspace(1e-8, 0.99, points)
    figure = Figure(figsize=(10, 4.2))
    values_axes, ratio_axes = figure.subplots(1, 2)
    note = np.array([f_note_value(density) for density in densities])
    for function in CAPACITY_FUNCTIONS:
        values = np.array([capacity_ratio(density, function) for density in densities])
        record = REGISTRY[function]
        values_axes.loglog(densities, values, color=record.colour, label=record.label)
        if function in COMPARED:
            ratio_axes.semilogx(densities, values / note, color=record.colour, label=record.label)
    limits = {small_density_comparison(function).constant for function in COMPARED}
    for limit in limits:
        ratio_axes.axhline(float(limit), color="grey", linestyle="--", label=f"limit as p -> 0: {limit}")
    values_axes.axvline(sparse_branch_end(), color="grey", linestyle=":", label="p = 1/e (f_note's minimum e)")
    values_axes.set(xlabel="feature density p = 1 - S", ylabel="features per neuron n/m",
                    title="Capacity: the note's -1/(p ln p) and exact l1")
    ratio_axes.set(xlabel="feature density p = 1 - S", ylabel="f_l1 / f_note", ylim=(0, 1),
                   title="f_l1 < f_note on (0, 1)")
    values_axes.legend(fontsize=8)
    ratio_axes.legend(fontsize=8)
    figure.tight_layout()
    return figure


def density_shift_figure(k: float, functions=CAPACITY_FUNCTIONS, points: int = 60):
    """p_B / p_A against p_A for each capacity function, with 1/k (the small-p limit of the ratio) for reference."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.4))
    axes = figure.subplots()
    for function in functions:
        record = REGISTRY[function]
        upper = min(record.branch_end(), DENSE_END)
        densities = np.geomspace(1e-6, upper * (1 - 1e-6), points)
        shifted = [_shifted_or_nan(density, k, function) for density in densities]
        axes.semilogx(densities, np.array(shifted) / densities, color=record.colour, label=record.label)
    axes.axhline(1 / k, color="grey", linestyle="--", label=f"1/k = {1 / k:.3g}")
    axes.set(xlabel="Model A's feature density p_A", ylabel="p_B / p_A",
             title=f"Density Model B needs: f(p_B) = {k:g} f(p_A)")
    axes.legend(fontsize=8)
    return figure


def _shifted_or_nan(density: float, k: float, function: str) -> float:
    """p_B, or NaN where no density on the branch gives k f(p_A) (k < 1 near the branch end): a gap in the curve."""
    try:
        return required_density(density, k, function)
    except InvalidParameter:
        return float("nan")
