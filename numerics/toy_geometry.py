r"""Elhage et al.'s "Geometry of Superposition": feature dimensionality D_i against sparsity, and its sticky values.

A sweep of densities p = 1 - S at n features, m dimensions, uniform importance (Elhage et al. 2022, section
"Feature dimensionality": n = 400, m = 30 there; here n = 200, m = 20 by default, :data:`FULL` for a GPU). Each
density is trained with best-of-k restarts (:func:`numerics.toy_restarts.train_best_of`, coordinates
("toy-geometry", n, m, p)); reported per density: D* = m / ||W||_F^2 against 1/(1 - S) = 1/p, every represented
feature's D_i, the final loss beside the axis-aligned loss (:func:`theory.toy_references.axis_aligned_loss`, the
optimum's reference at p = 1), the loss's relative change over the last 10% of steps, and the dead outputs.

Initialisation ``liu`` (||W_i|| about 1 from the start) by default: from ``xavier`` (||W_i|| about 0.4) the dense
end stalls near loss 20 against 15, because outputs whose pre-activation turns negative for every input get no
gradient through the ReLU and stay at 0 (loss 1/3 each instead of Var(x) = 1/12); measured at n = 200, m = 20,
p = 1, 3000 steps at peak lr 3e-3: 19.46 (xavier), 15.15 (liu).

Sticky values (Elhage et al. 2022 name 1, 3/4, 2/3, 1/2, 2/5, 3/8, 1/3 among the fractions D_i settles at):
:func:`sticky_shares` gives the share of represented features with |D_i - s| <= 0.02 for each s, beside a uniform
spread's share over the same range of D_i (the window's length inside the range, over the range's length).

>>> shares = sticky_shares(np.array([0.5, 0.5, 0.51, 0.9]), values=(0.5,), tolerance=0.02)
>>> shares["0.5"]["share"], round(shares["0.5"]["uniform"], 6)
(0.75, 0.05)
"""

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from numerics.lr_schedule import LearningRateSchedule
from numerics.toy_experiments import density_spec
from numerics.toy_model import AdamWSettings, TrainingSettings
from numerics import toy_metrics
from numerics.toy_restarts import BestOf, train_best_of
from theory.toy_references import axis_aligned_loss

N, M = 200, 20
FULL = dict(n=400, m=30)
#: Densities from dense to sparse: 1/(1 - S) from 1 to 10, where m/||W||_F^2 falls from 1 through the sticky values.
DENSITIES = tuple(float(p) for p in np.geomspace(1.0, 0.1, 8))
FULL_DENSITIES = tuple(float(p) for p in np.geomspace(1.0, 1e-3, 27))
RESTARTS = 1
SETTINGS = TrainingSettings(steps=3000, batch_size=256, optimizer=AdamWSettings(learning_rate=1e-2),
                            schedule=LearningRateSchedule("warmup_cosine", warmup_steps=150, floor=0.05),
                            initialisation="liu")
FULL_SETTINGS = TrainingSettings(steps=10_000, optimizer=AdamWSettings(learning_rate=1e-2),
                                 schedule=LearningRateSchedule("warmup_cosine", warmup_steps=500, floor=0.05),
                                 initialisation="liu")
#: Sticky values named by Elhage et al. (2022), largest first, and those the target asks to see clustered.
STICKY = (Fraction(1), Fraction(3, 4), Fraction(2, 3), Fraction(1, 2), Fraction(2, 5), Fraction(3, 8), Fraction(1, 3))
TARGET_STICKY = (Fraction(3, 4), Fraction(2, 3), Fraction(1, 2), Fraction(2, 5))
TOLERANCE = 0.02


def sticky_shares(dimensionality, values=STICKY, tolerance: float = TOLERANCE) -> dict:
    """Per sticky value s (keyed by its text): share of ``dimensionality`` within ``tolerance`` of s, and a uniform
    spread's share over [min, max] of ``dimensionality``; ``all`` pools the windows of ``values`` (their union)."""
    d = np.asarray(dimensionality, dtype=np.float64)
    low, high = float(d.min()), float(d.max())
    span = max(high - low, 1e-12)

    def uniform(centre):
        return max(0.0, min(high, centre + tolerance) - max(low, centre - tolerance)) / span

    result = {str(s): {"share": float(np.mean(np.abs(d - float(s)) <= tolerance)), "uniform": uniform(float(s))}
              for s in values}
    centres = np.array([float(s) for s in values])
    near_any = np.min(np.abs(d[:, None] - centres[None]), axis=1) <= tolerance
    result["all"] = {"share": float(np.mean(near_any)), "uniform": union_length(centres, tolerance, low, high) / span}
    return result


def union_length(centres, tolerance: float, low: float, high: float) -> float:
    """Length of the union of the windows [c - tolerance, c + tolerance] inside [low, high] (windows may overlap).

    >>> round(union_length([0.4, 0.375], 0.02, 0.0, 1.0), 6)
    0.065
    """
    covered, reach = 0.0, low
    for centre in sorted(centres):
        start, end = max(centre - tolerance, reach, low), min(centre + tolerance, high)
        if end > start:
            covered += end - start
            reach = end
    return covered


@dataclass
class Geometry:
    """One density sweep: the trained weights and their dimensionality metrics, the references and diagnostics."""

    n: int
    m: int
    densities: np.ndarray
    training: BestOf
    settings: TrainingSettings
    restarts: int
    threshold: float = toy_metrics.DEFAULT_THRESHOLD

    def __post_init__(self):
        W = self.training.W
        self.norms = np.asarray(toy_metrics.feature_norms(W))
        self.represented = self.norms > self.threshold
        self.dimensionality = np.asarray(toy_metrics.feature_dimensionality(W))
        self.dimensions_per_feature = np.asarray(toy_metrics.dimensions_per_feature(W))
        self.dead_outputs = dead_outputs(W, self.training.b)
        self.axis_aligned = np.array([axis_aligned_loss(self.n, self.m, p, 1.0) for p in self.densities])

    def represented_dimensionality(self) -> np.ndarray:
        """D_i of every represented feature, all densities pooled."""
        return self.dimensionality[self.represented]

    def shares(self) -> dict:
        return sticky_shares(self.represented_dimensionality())


def dead_outputs(W, b) -> np.ndarray:
    """Per instance, how many outputs can never be positive for inputs in [0, 1]^n: b_i + sum_j max(0, (W^T W)_ij) <= 0.

    Such an output is ReLU(...) = 0 for every input, and its gradient is 0: it cannot recover.

    >>> int(dead_outputs(np.eye(2)[None], np.array([[0.0, -1.5]]))[0])
    1
    """
    gram = np.asarray(toy_metrics.interference(W))
    return np.sum(b + np.sum(np.maximum(gram, 0.0), axis=-1) <= 0, axis=-1)


def run_geometry(densities=DENSITIES, *, n: int = N, m: int = M, seed: int, settings: TrainingSettings = SETTINGS,
                 restarts: int = RESTARTS, backend="numpy", on_progress=None) -> Geometry:
    """Train one uniform-importance instance per density (best of ``restarts``) and measure its geometry."""
    densities = np.asarray(densities, dtype=np.float64)
    spec = density_spec(densities, n=n, m=m, importance=np.ones(n))
    coordinates = [("toy-geometry", n, m, float(p)) for p in densities]
    training = train_best_of(spec, coordinates, seed=seed, settings=settings, restarts=restarts, backend=backend,
                             on_progress=on_progress)
    return Geometry(n, m, densities, training, settings, restarts)
