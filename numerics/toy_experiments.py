"""Two toy-model experiments: Elhage's intro (n = 5, m = 2) and features per neuron against density.

Configuration, simulation and analysis apart: the ``*_settings`` and defaults configure, :func:`run_intro` and
:func:`run_capacity` train (every instance of one (n, m) at once, :class:`numerics.toy_model.ToyTrainer`),
and :func:`doubling_density` analyses. Every instance's generator comes from :mod:`numerics.seeding` with the
coordinates (experiment, n, m, density), so a result does not depend on which other cells run with it.

Learning rate: Elhage's notebook uses AdamW with lr 1e-3 for 10 000 steps. At lr 1e-3 the dense instance has not
converged after 10 000 steps (3 features above 0.5); the intro default lr 3e-3 reaches 2 features dense and all 5
at p = 0.001 for every seed tried (0-5); lr 1e-2 is faster but now and then loses a feature at p = 0.001.
"""

from dataclasses import dataclass, field, replace

import numpy as np

from numerics import toy_metrics
from numerics.seeding import cell_generator
from numerics.toy_data import importance_profile
from numerics.toy_model import AdamWSettings, ToyModelSpec, ToyTrainer, TrainingSettings
from theory.capacity_functions import CAPACITY_FUNCTIONS, capacity_ratio, required_density
from theory.validation import InvalidParameter

#: Intro setting (Elhage et al. 2022, Fig. "superposition in a toy model"): five features, two dimensions.
INTRO_N, INTRO_M, INTRO_DECAY = 5, 2, 0.9
#: Densities p = 1 - S from dense to sparse (Elhage's intro shows S = 0 ... 0.999).
INTRO_DENSITIES = (1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001)
INTRO_SETTINGS = TrainingSettings(steps=10_000, optimizer=AdamWSettings(learning_rate=3e-3))

#: Capacity grid: uniform importance; features per neuron cannot exceed n/m (20 and 10 here, which m = 8 nears at
#: p = 0.01: the figure draws each ceiling). Two minutes or less on a laptop CPU.
CAPACITY_MS = (4, 8)
CAPACITY_N = 80
CAPACITY_DENSITIES = (0.3, 0.1, 0.03, 0.01)
CAPACITY_SETTINGS = TrainingSettings(steps=3000, optimizer=AdamWSettings(learning_rate=1e-2))
#: The note's comparison: Model B packs k = 2 times the features per neuron of Model A, at density p_A.
REFERENCE_DENSITY, FACTOR = 0.1, 2.0


def training_settings(base: TrainingSettings, steps=None, learning_rate=None, batch_size=None, initialisation=None,
                      dtype=None) -> TrainingSettings:
    """``base`` with the given fields replaced (None keeps the base value)."""
    optimizer = base.optimizer if learning_rate is None else replace(base.optimizer, learning_rate=learning_rate)
    return replace(base, steps=steps or base.steps, batch_size=batch_size or base.batch_size, optimizer=optimizer,
                   initialisation=initialisation or base.initialisation, dtype=dtype or base.dtype)


@dataclass
class ToyRun:
    """One trained (n, m) batch: per-instance densities, weights and the metrics of :mod:`numerics.toy_metrics`."""

    n: int
    m: int
    activation: str
    densities: np.ndarray           # (instances,)
    importance: np.ndarray          # (n,)
    W: np.ndarray                   # (instances, m, n)
    b: np.ndarray                   # (instances, n)
    loss_steps: list
    losses: np.ndarray              # (records, instances)
    threshold: float
    represented: np.ndarray = field(init=False)
    norms: np.ndarray = field(init=False)
    dimensionality: np.ndarray = field(init=False)
    dimensions_per_feature: np.ndarray = field(init=False)
    interference: np.ndarray = field(init=False)

    def __post_init__(self):
        self.represented = np.asarray(toy_metrics.features_represented(self.W, self.threshold))
        self.norms = np.asarray(toy_metrics.feature_norms(self.W))
        self.dimensionality = np.asarray(toy_metrics.feature_dimensionality(self.W))
        self.dimensions_per_feature = np.asarray(toy_metrics.dimensions_per_feature(self.W))
        self.interference = np.asarray(toy_metrics.interference(self.W))

    @property
    def per_neuron(self) -> np.ndarray:
        """Represented features per neuron (hidden dimension), per instance."""
        return self.represented / self.m


def density_spec(densities, *, n: int, m: int, importance, activation="relu") -> ToyModelSpec:
    """One instance per density, every feature of an instance at its density, all with the same ``importance``."""
    densities = np.asarray(densities, dtype=np.float64)
    return ToyModelSpec(
        n=n, m=m, activation=activation,
        densities=np.repeat(densities[:, None], n, axis=1),
        importance=np.tile(np.asarray(importance, dtype=np.float64), (len(densities), 1)),
    )


def train_densities(experiment: str, densities, *, n: int, m: int, importance, seed: int,
                    settings: TrainingSettings, activation="relu", threshold=toy_metrics.DEFAULT_THRESHOLD,
                    backend="numpy", on_progress=None) -> ToyRun:
    """Train one instance per density (all at once) and measure them; metrics run on the host (NumPy)."""
    densities = np.asarray(densities, dtype=np.float64)
    importance = np.asarray(importance, dtype=np.float64)
    spec = density_spec(densities, n=n, m=m, importance=importance, activation=activation)
    generators = [cell_generator(seed, (experiment, activation, n, m, float(p))) for p in densities]
    result = ToyTrainer(spec, generators, settings, backend).run(on_progress)
    return ToyRun(n=n, m=m, activation=activation, densities=densities, importance=importance, W=result.W,
                  b=result.b, loss_steps=result.loss_steps, losses=result.losses, threshold=threshold)


def run_intro(densities=INTRO_DENSITIES, *, seed: int, settings: TrainingSettings = INTRO_SETTINGS,
              activation="relu", decay=INTRO_DECAY, threshold=toy_metrics.DEFAULT_THRESHOLD, backend="numpy",
              on_progress=None) -> ToyRun:
    """Elhage's intro: n = 5, m = 2, I_i = decay^i (0.9^i), one instance per density."""
    return train_densities(
        "toy-intro", densities, n=INTRO_N, m=INTRO_M, importance=importance_profile(INTRO_N, decay),
        seed=seed, settings=settings, activation=activation, threshold=threshold, backend=backend,
        on_progress=on_progress,
    )


@dataclass(frozen=True)
class Doubling:
    """Where features per neuron reach ``factor`` times their value at ``reference_density``, measured and predicted.

    ``measured`` is None (``reason`` says why) when the curve does not get there within the densities trained.
    ``predicted`` maps each capacity function to required_density(p_ref, factor, f), or None where undefined.
    """

    m: int
    reference_density: float
    factor: float
    reference_per_neuron: float
    measured: float | None
    reason: str | None
    predicted: dict


def interpolate_log(density: float, densities, values) -> float:
    """``values`` at ``density``, linear in log p between the two nearest trained densities.

    >>> interpolate_log(0.1, [1.0, 0.01], [1.0, 3.0])
    2.0
    """
    order = np.argsort(densities)
    return float(np.interp(np.log(density), np.log(np.asarray(densities)[order]), np.asarray(values)[order]))


def doubling_density(densities, per_neuron, reference_density: float, factor: float):
    """The first density sparser than ``reference_density`` at which ``per_neuron`` reaches factor x its reference value.

    Linear in log p between the last trained density below the target and the first at or above it.
    Returns (density or None, reference value, reason or None).

    >>> doubling_density([0.3, 0.1, 0.03, 0.01], [2.0, 3.0, 5.0, 7.0], 0.1, 2.0)[0] == float(np.exp(np.log(0.03) + np.log(1 / 3) * 0.5))
    True
    """
    order = np.argsort(densities)[::-1]
    densities = np.asarray(densities, dtype=np.float64)[order]
    per_neuron = np.asarray(per_neuron, dtype=np.float64)[order]
    reference = interpolate_log(reference_density, densities, per_neuron)
    target = factor * reference
    previous_density, previous_value = reference_density, reference
    for density, value in zip(densities, per_neuron):
        if density >= reference_density:
            continue
        if value >= target:
            weight = (target - previous_value) / (value - previous_value)
            log_density = np.log(previous_density) + weight * (np.log(density) - np.log(previous_density))
            return float(np.exp(log_density)), reference, None
        previous_density, previous_value = density, value
    return None, reference, (f"not reached: {target:.3g} features per neuron needed, at most "
                             f"{per_neuron[densities < reference_density].max(initial=reference):.3g} "
                             f"down to p = {densities.min():.3g}")


def predicted_densities(reference_density: float, factor: float) -> dict:
    """required_density(p_ref, factor, f) for every capacity function (None where theory has no such density)."""
    predictions = {}
    for function in CAPACITY_FUNCTIONS:
        try:
            predictions[function] = required_density(reference_density, factor, function)
        except InvalidParameter:
            predictions[function] = None
    return predictions


def theory_curves(densities) -> dict:
    """capacity_ratio(p, f) per capacity function and density (None at p = 1, where f is undefined)."""
    return {
        function: [capacity_ratio(float(p), function) if 0 < p < 1 else None for p in densities]
        for function in CAPACITY_FUNCTIONS
    }


@dataclass
class CapacityResult:
    """Features per neuron of trained ReLU toy models for each m and density, with the theory beside them."""

    n: int
    densities: tuple
    runs: list                       # one ToyRun per m
    theory: dict                     # function -> list over densities
    doubling: list                   # one Doubling per m
    settings: TrainingSettings


def check_capacity_inputs(ms, densities, n, reference_density) -> None:
    """Refuse a reference density outside the trained ones, and n not above every m (InvalidParameter)."""
    if not min(densities) <= reference_density <= max(densities):
        raise InvalidParameter("reference_density", f"must lie within the trained densities "
                                                      f"[{min(densities):g}, {max(densities):g}], got {reference_density:g}")
    if not n > max(ms):
        raise InvalidParameter("n", f"must exceed every m (superposition needs more features than dimensions), "
                                      f"got n = {n} with m up to {max(ms)}")


def run_capacity(ms=CAPACITY_MS, densities=CAPACITY_DENSITIES, n=CAPACITY_N, *, seed: int,
                 settings: TrainingSettings = CAPACITY_SETTINGS, reference_density=REFERENCE_DENSITY, factor=FACTOR,
                 threshold=toy_metrics.DEFAULT_THRESHOLD, backend="numpy", on_progress=None) -> CapacityResult:
    """Train ReLU toy models (uniform importance) for every m and density; compare with f_note and f_l1."""
    check_capacity_inputs(ms, densities, n, reference_density)
    runs, doubling = [], []
    predictions = predicted_densities(reference_density, factor)
    for m in ms:
        run = train_densities("toy-capacity", densities, n=n, m=m, importance=np.ones(n), seed=seed,
                              settings=settings, threshold=threshold, backend=backend, on_progress=on_progress)
        runs.append(run)
        measured, reference, reason = doubling_density(run.densities, run.per_neuron, reference_density, factor)
        doubling.append(Doubling(m=m, reference_density=reference_density, factor=factor,
                                 reference_per_neuron=reference, measured=measured, reason=reason,
                                 predicted=predictions))
    return CapacityResult(n=n, densities=tuple(densities), runs=runs, theory=theory_curves(densities),
                          doubling=doubling, settings=settings)
