"""Model A against Model B on trained toys: one toy model stands for one layer holding its share of the features.

Model A's layer: n_A features in m_A dimensions; Model B's (k times wider, n_layer/k^2 layers, the same F features):
n_B = k^2 n_A features in k m_A dimensions (:mod:`theory.model_table`: features per layer x k^2, width x k). Both see
the same density p for every feature (Elhage et al.'s data, uniform importance) and the same steps and batch size.
Per model and density: represented fraction, loss per feature (mean over features of the per-sample squared error),
and the total loss of the model, layers x n x loss per feature, whose ratio B/A is

    (L/k^2) n_B l_B / (L n_A l_A) = l_B / l_A,

set beside the counting and interference predictions (:mod:`theory.superposition_pictures`).

Two regimes: ``natural`` (the package's toy defaults: AdamW with decoupled decay 0.01, constant lr) and ``strong``
(Liu et al.'s decay -1 on W only, every feature pulled to unit norm; warm-up then cosine). Seeds derive from
(master seed, "toy-ab", regime, model, n, m, p).
"""

from dataclasses import dataclass

import numpy as np

from numerics.lr_schedule import LearningRateSchedule
from numerics.seeding import cell_generator
from numerics.toy_data import FeatureStream
from numerics.toy_metrics import DEFAULT_THRESHOLD, features_represented
from numerics.toy_model import AdamWSettings, ToyModelSpec, ToyTrainer, TrainingSettings, forward
from theory.capacity_functions import required_density
from theory.validation import InvalidParameter

REGIMES = ("natural", "strong")
#: Model A's layer and the density whose Model-B counterpart p_B (f(p_B) = k f(p_A), the note's f) is added.
N_A, M_A, REFERENCE_DENSITY = 20, 4, 0.1
DENSITIES = (0.3, 0.1, 0.03, 0.01)
STEPS, BATCH, LEARNING_RATE, EVAL_BATCH = 3000, 256, 1e-2, 8192


@dataclass(frozen=True)
class ABConfig:
    k: int = 2
    n_a: int = N_A
    m_a: int = M_A
    densities: tuple = DENSITIES
    reference_density: float = REFERENCE_DENSITY
    regimes: tuple = REGIMES
    steps: int = STEPS
    batch_size: int = BATCH
    learning_rate: float = LEARNING_RATE
    eval_batch: int = EVAL_BATCH

    def __post_init__(self):
        if not self.n_a > self.m_a:
            raise InvalidParameter("n_a", f"must exceed `m_a` = {self.m_a} (more features than dimensions), got {self.n_a}")
        for regime in self.regimes:
            if regime not in REGIMES:
                raise InvalidParameter("regimes", f"must be among {', '.join(REGIMES)}, got {regime!r}")

    @property
    def n_b(self) -> int:
        return self.k * self.k * self.n_a

    @property
    def m_b(self) -> int:
        return self.k * self.m_a

    @property
    def shifted_density(self) -> float:
        """The note's p_B: f_note(p_B) = k f_note(p_A) at p_A = ``reference_density`` (:mod:`theory.density_shift`)."""
        return required_density(self.reference_density, float(self.k))

    def all_densities(self) -> tuple:
        """The densities trained: the grid plus the note's p_B for the reference density, densest first."""
        return tuple(sorted(set(self.densities) | {self.reference_density, self.shifted_density}, reverse=True))

    def settings(self, regime: str) -> TrainingSettings:
        if regime == "natural":
            return TrainingSettings(steps=self.steps, batch_size=self.batch_size,
                                    optimizer=AdamWSettings(learning_rate=self.learning_rate))
        schedule = LearningRateSchedule("warmup_cosine", warmup_steps=max(1, self.steps // 10), floor=0.05)
        return TrainingSettings(steps=self.steps, batch_size=self.batch_size, schedule=schedule,
                                optimizer=AdamWSettings(learning_rate=self.learning_rate, weight_decay=0.0))


@dataclass(frozen=True)
class LayerResult:
    """One trained layer: its model (A or B), regime, density and what it stores."""

    model: str
    regime: str
    density: float
    n: int
    m: int
    represented: int
    loss_per_feature: float

    @property
    def represented_fraction(self) -> float:
        return self.represented / self.n


@dataclass(frozen=True)
class ABRow:
    """Model B against Model A at one regime and density."""

    regime: str
    density: float
    a: LayerResult
    b: LayerResult

    @property
    def represented_ratio(self) -> float:
        """Represented fraction B / A (the counting picture predicts 1/k when both are at capacity)."""
        return self.b.represented_fraction / self.a.represented_fraction if self.a.represented else float("nan")

    @property
    def total_loss_ratio(self) -> float:
        """Total loss B/A = (layers_B n_B l_B)/(layers_A n_A l_A) = l_B / l_A."""
        return self.b.loss_per_feature / self.a.loss_per_feature


@dataclass
class ABResult:
    config: ABConfig
    rows: list


def _train_layer(config, model, regime, n, m, densities, seed, backend, threshold, on_progress) -> list:
    densities = np.asarray(densities, dtype=np.float64)
    spec = ToyModelSpec(n=n, m=m, densities=np.repeat(densities[:, None], n, axis=1),
                        importance=np.ones((len(densities), n)),
                        weight_decay=None if regime == "natural" else np.full(len(densities), -1.0))
    generators = [cell_generator(seed, ("toy-ab", regime, model, n, m, float(p))) for p in densities]
    trained = ToyTrainer(spec, generators, config.settings(regime), backend).run(on_progress)
    evaluation = FeatureStream([cell_generator(seed, ("toy-ab-eval", n, float(p))) for p in densities],
                               spec.densities, config.eval_batch).next_batch()
    out = forward(trained.W, trained.b, evaluation)[-1]
    per_feature = np.mean((out - evaluation) ** 2, axis=(1, 2))
    counts = np.asarray(features_represented(trained.W, threshold))
    return [LayerResult(model, regime, float(p), n, m, int(count), float(loss))
            for p, count, loss in zip(densities, counts, per_feature)]


def run_ab(config: ABConfig = ABConfig(), *, seed: int = 0, backend="numpy", threshold=DEFAULT_THRESHOLD,
           on_progress=None) -> ABResult:
    """Train Model A's and Model B's layer at every density, in each regime, and pair them."""
    densities = config.all_densities()
    rows = []
    for regime in config.regimes:
        a = _train_layer(config, "A", regime, config.n_a, config.m_a, densities, seed, backend, threshold, on_progress)
        b = _train_layer(config, "B", regime, config.n_b, config.m_b, densities, seed, backend, threshold, on_progress)
        rows.extend(ABRow(regime, layer_a.density, layer_a, layer_b) for layer_a, layer_b in zip(a, b))
    return ABResult(config, rows)
