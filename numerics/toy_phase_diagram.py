r"""Elhage et al.'s n = 2, m = 1 phase diagram, trained with best-of-k restarts, beside the exact phase map.

"Superposition as a Phase Change" (Elhage et al. 2022): two features at density p, importance (1, r), one hidden
dimension. Each cell (r, p) is trained (:func:`numerics.toy_restarts.train_best_of`, seed coordinates
("toy-phase", r, p)); its phase is read off the trained W by which ||W_i|| exceed 0.5
(:func:`theory.toy_references.phase_of`), and compared with the phase of the exact optimum
(:func:`theory.toy_references.phase_map`). Agreement is the share of cells where the two match.

Defaults: 10 x 10 cells, r in [0.1, 10], p in [0.01, 1] (Elhage's axes), 8 restarts, AdamW at peak lr 1e-2 with
warm-up (5%) then cosine to 5%, 2000 steps of batch 256 (a quarter of Elhage's 1024: the step's cost is
elementwise work on instances x batch x 2 numbers).
"""

from dataclasses import dataclass

import numpy as np

from numerics.lr_schedule import LearningRateSchedule
from numerics.toy_model import AdamWSettings, ToyModelSpec, TrainingSettings
from numerics.toy_metrics import feature_norms
from numerics.toy_restarts import BestOf, train_best_of
from theory.toy_references import phase_map, phase_of

RATIO_RANGE, DENSITY_RANGE = (0.1, 10.0), (0.01, 1.0)
GRID = 10
RESTARTS = 8
SETTINGS = TrainingSettings(steps=2000, batch_size=256, optimizer=AdamWSettings(learning_rate=1e-2),
                            schedule=LearningRateSchedule("warmup_cosine", warmup_steps=100, floor=0.05))


def grid_axes(ratios: int = GRID, densities: int = GRID):
    """Importance ratios and densities, log-spaced over Elhage's axes."""
    return np.geomspace(*RATIO_RANGE, ratios), np.geomspace(*DENSITY_RANGE, densities)


@dataclass
class PhaseDiagram:
    """Trained and exact phases on the grid (lists over ratios of lists over densities), and the training."""

    ratios: np.ndarray
    densities: np.ndarray
    trained: list
    exact: list                 # ExactPhase per cell
    training: BestOf
    settings: TrainingSettings
    restarts: int

    @property
    def agreement(self) -> float:
        cells = [(t, e.winner) for row_t, row_e in zip(self.trained, self.exact) for t, e in zip(row_t, row_e)]
        return sum(t == e for t, e in cells) / len(cells)

    def disagreements(self) -> list:
        """(r, p, trained phase, exact phase) of every cell where they differ."""
        return [(float(r), float(p), t, e.winner)
                for r, row_t, row_e in zip(self.ratios, self.trained, self.exact)
                for p, t, e in zip(self.densities, row_t, row_e) if t != e.winner]


def phase_spec(ratios, densities) -> ToyModelSpec:
    """One n = 2, m = 1 instance per (r, p), ratio-major; importance (1, r)."""
    r, p = np.meshgrid(ratios, densities, indexing="ij")
    return ToyModelSpec(n=2, m=1, densities=np.repeat(p.reshape(-1, 1), 2, axis=1),
                        importance=np.stack([np.ones(r.size), r.reshape(-1)], axis=1))


def run_phase_diagram(ratios, densities, *, seed: int, settings: TrainingSettings = SETTINGS,
                      restarts: int = RESTARTS, backend="numpy", on_progress=None) -> PhaseDiagram:
    """Train every cell with ``restarts`` restarts, classify it, and compute the exact map beside it."""
    ratios, densities = np.asarray(ratios, dtype=np.float64), np.asarray(densities, dtype=np.float64)
    coordinates = [("toy-phase", float(r), float(p)) for r in ratios for p in densities]
    training = train_best_of(phase_spec(ratios, densities), coordinates, seed=seed, settings=settings,
                             restarts=restarts, backend=backend, on_progress=on_progress)
    norms = np.asarray(feature_norms(training.W)).reshape(len(ratios), len(densities), 2)
    trained = [[phase_of(*cell) for cell in row] for row in norms]
    return PhaseDiagram(ratios, densities, trained, phase_map(ratios, densities), training, settings, restarts)
