r"""Best-of-k restarts of the toy trainer, and convergence diagnostics of what it returns.

Every cell (one (density, importance) instance) is trained from k initialisations in one batch: cell j's restart r
is instance j k + r, its generator :func:`numerics.seeding.cell_generator` at the cell's coordinates (restart 0:
exactly the single-run generator, so k = 1 reproduces a plain run) or at coordinates + ("restart", r).
Each restart's final loss is then estimated on one evaluation sample per cell, shared by its k restarts
(common random numbers: their comparison carries no sampling noise between restarts), drawn from the cell's
coordinates + ("evaluation",). The lowest wins; ``restarts_needed`` = 1 + the index of the first restart within
:data:`SAME_LOSS` (relative) of the lowest: how many restarts, in order, one had to run to reach this result
(restarts that find the same solution differ by their last steps' noise, so the exact argmin is no measure).

Convergence diagnostic: the relative change of the loss over the last 10% of steps, from a least-squares line
through the recorded losses there (:func:`relative_change_last_tenth`): -0.01 means the loss still fell by 1% of
its level over the last tenth of training.

>>> steps = list(range(100, 2100, 100))
>>> round(float(relative_change_last_tenth(steps, [[10.0 - s / 1000] for s in steps])[0]), 6)
-0.024691
"""

from dataclasses import dataclass, replace

import numpy as np

from numerics.seeding import cell_generator
from numerics.toy_data import FeatureStream
from numerics.toy_model import ToyModelSpec, ToyTrainer, TrainingSettings, loss_and_gradients

#: Samples per cell on which restarts' final losses are compared (standard error of a loss about 1% of it at p = 1).
EVALUATION_SAMPLES = 8192
#: Restarts whose evaluated losses lie within this relative distance of the lowest count as the same result.
SAME_LOSS = 0.01
#: Samples per evaluation chunk (bounds memory: instances x chunk x n floats).
_CHUNK = 512


def restart_coordinates(coordinates: tuple, restart: int) -> tuple:
    """A restart's seed coordinates: the cell's own for restart 0, then (..., "restart", r)."""
    return tuple(coordinates) if restart == 0 else (*coordinates, "restart", restart)


def repeat_spec(spec: ToyModelSpec, restarts: int) -> ToyModelSpec:
    """``spec`` with every instance repeated ``restarts`` times in a row (cell j's restart r at j k + r)."""
    decay = None if spec.weight_decay is None else np.repeat(spec.weight_decay, restarts, axis=0)
    return replace(spec, densities=np.repeat(spec.densities, restarts, axis=0),
                   importance=np.repeat(spec.importance, restarts, axis=0), weight_decay=decay)


def evaluation_losses(W, b, spec: ToyModelSpec, generators, samples: int = EVALUATION_SAMPLES) -> np.ndarray:
    """Mean loss of each of the ``spec.instances x k`` models (W: (cells k, m, n)) on each cell's own sample.

    ``generators`` holds one generator per cell; all k restarts of a cell see the same ``samples`` inputs.
    """
    restarts = W.shape[0] // spec.instances
    stream = FeatureStream(generators, spec.densities, min(samples, _CHUNK), spec.feature_high)
    importance = np.repeat(spec.importance, restarts, axis=0)
    total, seen = np.zeros(W.shape[0]), 0
    while seen < samples:
        x = np.repeat(stream.next_batch(), restarts, axis=0)[:, : samples - seen]
        loss = loss_and_gradients(W, b, x, importance, spec.activation)[0]
        total += loss * x.shape[1]
        seen += x.shape[1]
    return total / samples


def relative_change_last_tenth(loss_steps, losses) -> np.ndarray:
    """Fitted change of the loss over the last 10% of steps divided by its mean there, per instance.

    ``losses`` has shape (records, instances); NaN where fewer than 3 records fall in the last tenth.
    """
    steps = np.asarray(loss_steps, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    if len(steps) == 0:
        return np.full(losses.shape[1:], np.nan)
    tail = steps >= steps[-1] - 0.1 * steps[-1]
    if tail.sum() < 3:
        return np.full(losses.shape[1], np.nan)
    slope, _ = np.polyfit(steps[tail], losses[tail], 1)
    return slope * 0.1 * steps[-1] / losses[tail].mean(axis=0)


@dataclass
class BestOf:
    """The chosen restart of every cell: weights, loss curve, every restart's evaluated loss and the choice."""

    W: np.ndarray                    # (cells, m, n)
    b: np.ndarray                    # (cells, n)
    loss_steps: list
    losses: np.ndarray               # (records, cells): the chosen restart's training loss curve
    restart_losses: np.ndarray       # (cells, k): evaluated final loss of every restart
    chosen: np.ndarray               # (cells,): index of the lowest

    @property
    def final_losses(self) -> np.ndarray:
        return self.restart_losses[np.arange(len(self.chosen)), self.chosen]

    @property
    def restarts_needed(self) -> np.ndarray:
        """1 + the first restart within :data:`SAME_LOSS` of each cell's lowest loss."""
        reached = self.restart_losses <= self.final_losses[:, None] * (1.0 + SAME_LOSS)
        return np.argmax(reached, axis=1) + 1

    @property
    def relative_change(self) -> np.ndarray:
        return relative_change_last_tenth(self.loss_steps, self.losses)


def train_best_of(spec: ToyModelSpec, coordinates, *, seed: int, settings: TrainingSettings, restarts: int = 1,
                  backend="numpy", evaluation_samples: int = EVALUATION_SAMPLES, on_progress=None) -> BestOf:
    """Train ``restarts`` initialisations of every cell of ``spec`` at once and keep each cell's lowest final loss.

    ``coordinates[j]`` is cell j's seed coordinates (a tuple). Training is :class:`numerics.toy_model.ToyTrainer`.
    """
    if restarts < 1:
        raise ValueError(f"restarts must be >= 1, got {restarts}")
    coordinates = [tuple(c) for c in coordinates]
    generators = [cell_generator(seed, restart_coordinates(c, r)) for c in coordinates for r in range(restarts)]
    result = ToyTrainer(repeat_spec(spec, restarts), generators, settings, backend).run(on_progress)
    evaluation = [cell_generator(seed, (*c, "evaluation")) for c in coordinates]
    losses = evaluation_losses(result.W, result.b, spec, evaluation, evaluation_samples).reshape(-1, restarts)
    chosen = np.argmin(losses, axis=1)
    rows = np.arange(spec.instances) * restarts + chosen
    return BestOf(W=result.W[rows], b=result.b[rows], loss_steps=result.loss_steps,
                  losses=result.losses[:, rows], restart_losses=losses, chosen=chosen)
