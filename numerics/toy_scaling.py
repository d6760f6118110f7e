"""Loss against width m in Liu, Liu & Gore's toy model (arXiv:2505.10465), in the weak and the strong regime.

Configuration (:class:`ScalingConfig`, :data:`LAPTOP`, :data:`FULL`), simulation (:func:`run_scaling`: every
(alpha, decay) pair of one m trains at once with :class:`numerics.toy_model.ToyTrainer`) and analysis
(:func:`measure_instance`, :func:`fit_exponents`) apart.

Their setting (``exp/exp-10.py``): x' = ReLU(W^T W x + b), MSE averaged over batch and features (here: importance
1/n for every feature), frequencies p_i ~ i^-(1+alpha) (:func:`theory.liu_toy.power_law_frequencies`), active
features Uniform[0, 2), weight decay gamma on W only with their rule for gamma < 0 (:mod:`numerics.weight_decay`),
AdamW at lr 1e-2 with a 10% linear warm-up and a cosine down to 5% (:mod:`numerics.lr_schedule`).
Differences from theirs: W starts Glorot-normal N(0, 2/(m + n)) and b at 0 (theirs N(0, 1/m) and N(0, 1)); the loss
is measured after training on a fresh batch of ``eval_batch`` inputs shared by every m (theirs: training loss).

Seeds: each instance's generator derives from (master seed, "toy-scaling", n, m, alpha, decay); the evaluation
batch from (master seed, "toy-scaling-eval", n, alpha), the same inputs for every m and decay.
"""

import itertools
import math
from dataclasses import dataclass, replace

import numpy as np

from numerics.lr_schedule import LearningRateSchedule
from numerics.power_law_fit import fit_power_law
from numerics.seeding import cell_generator
from numerics.toy_data import FeatureStream
from numerics.toy_metrics import DEFAULT_THRESHOLD
from numerics.toy_model import AdamWSettings, ToyModelSpec, ToyTrainer, TrainingSettings, forward
from theory.liu_toy import HIGH, power_law_frequencies, tail_loss
from theory.superposition_pictures import welch_bound
from theory.validation import InvalidParameter

#: Fraction of the steps spent warming up (theirs: 2000 of 20 000) and the final fraction of the peak rate.
WARMUP_FRACTION, FLOOR = 0.1, 0.05
#: Bootstrap resamples for each exponent's interval.
N_BOOTSTRAP = 2000


@dataclass(frozen=True)
class ScalingConfig:
    """Sizes of a run: features n, widths ms, frequency exponents alphas, weight decays, training and evaluation."""

    n: int
    ms: tuple
    alphas: tuple
    decays: tuple
    steps: int
    batch_size: int
    learning_rate: float = 1e-2
    eval_batch: int = 8192

    def __post_init__(self):
        if not self.n > max(self.ms):
            raise InvalidParameter("n", f"must exceed every m (superposition needs more features than dimensions), "
                                        f"got n = {self.n} with m up to {max(self.ms)}")
        if len(set(self.ms)) < 2:
            raise InvalidParameter("m", f"needs at least two distinct widths for an exponent, got {list(self.ms)}")
        if any(alpha < 0 for alpha in self.alphas):
            raise InvalidParameter("alphas", f"must be >= 0, got {list(self.alphas)}")

    def training_settings(self) -> TrainingSettings:
        schedule = LearningRateSchedule("warmup_cosine", warmup_steps=max(1, round(WARMUP_FRACTION * self.steps)),
                                        floor=FLOOR)
        return TrainingSettings(steps=self.steps, batch_size=self.batch_size, log_every=max(1, self.steps // 50),
                                optimizer=AdamWSettings(learning_rate=self.learning_rate, weight_decay=0.0),
                                schedule=schedule)


#: Liu et al.'s exp-10 sizes (for a GPU; hours on a CPU): n = 1000, m = floor(exp(linspace(ln 10, ln 100, 6))),
#: alpha in linspace(0, 1, 9), decay in linspace(-1, 1, 10), 20 000 steps of batch 2048.
FULL = ScalingConfig(
    n=1000, ms=tuple(int(m) for m in np.floor(np.exp(np.linspace(math.log(10), math.log(100), 6)))),
    alphas=tuple(float(a) for a in np.linspace(0, 1, 9)), decays=tuple(float(g) for g in np.linspace(-1, 1, 10)),
    steps=20_000, batch_size=2048,
)
#: The laptop default: n 5x smaller, widths 6 ... 28 (n/m >= 7), two alphas, the two extreme decays and 0,
#: 1500 steps of batch 256 (13x fewer steps, 8x smaller batches).
LAPTOP = ScalingConfig(n=200, ms=(6, 9, 13, 19, 28), alphas=(0.5, 1.0), decays=(-1.0, 0.0, 1.0), steps=1500,
                       batch_size=256)


@dataclass(frozen=True)
class InstanceResult:
    """One trained (alpha, decay, m): final loss on the evaluation batch and the geometry of W."""

    alpha: float
    decay: float
    m: int
    loss: float
    represented_fraction: float
    mean_squared_overlap: float | None   # of the represented directions (None with fewer than two)
    welch_bound: float | None            # for that many unit vectors in m dimensions (0 when they fit)
    tail_loss: float                     # the weak-regime reference: the m most frequent features kept


def evaluation_batch(config: ScalingConfig, alpha: float, seed: int) -> np.ndarray:
    """``eval_batch`` inputs at frequencies p(alpha), drawn from the evaluation generator (host, (1, E, n))."""
    frequencies = power_law_frequencies(config.n, alpha)[None, :]
    stream = FeatureStream([cell_generator(seed, ("toy-scaling-eval", config.n, float(alpha)))], frequencies,
                           config.eval_batch, HIGH)
    return stream.next_batch()


def measure_instance(W, b, x, alpha, decay, threshold=DEFAULT_THRESHOLD) -> InstanceResult:
    """Loss (mean over batch and features), represented fraction (||W_i|| > threshold) and mean squared overlap.

    ``W`` (m, n) and ``b`` (n,) on the host; ``x`` (1, E, n).
    """
    m, n = W.shape
    out = forward(W[None], b[None], x)[-1]
    loss = float(np.mean((out - x) ** 2))
    norms = np.linalg.norm(W, axis=0)
    kept = norms > threshold
    count = int(kept.sum())
    overlap = welch = None
    if count >= 2:
        directions = W[:, kept] / norms[kept]
        gram = directions.T @ directions
        overlap = float((gram[~np.eye(count, dtype=bool)] ** 2).mean())
        welch = float(welch_bound(count, m)) if count > m else 0.0
    return InstanceResult(float(alpha), float(decay), int(m), loss, count / n, overlap, welch,
                          tail_loss(power_law_frequencies(n, alpha), m))


def instance_grid(config: ScalingConfig) -> list:
    """The (alpha, decay) pairs trained together at each m."""
    return list(itertools.product(config.alphas, config.decays))


def scaling_spec(config: ScalingConfig, m: int) -> ToyModelSpec:
    grid = instance_grid(config)
    return ToyModelSpec(
        n=config.n, m=m,
        densities=np.stack([power_law_frequencies(config.n, alpha) for alpha, _ in grid]),
        importance=np.full((len(grid), config.n), 1.0 / config.n),
        feature_high=HIGH, weight_decay=np.array([decay for _, decay in grid], dtype=np.float64),
    )


@dataclass(frozen=True)
class ExponentFit:
    """Loss ~ m^-exponent for one (alpha, decay), with the bootstrap interval, and what it is compared with."""

    alpha: float
    decay: float
    exponent: float
    ci_low: float | None    # None with fewer than three widths (no bootstrap interval)
    ci_high: float | None
    intercept: float        # log loss = intercept - exponent log m
    tail_exponent: float    # the same fit on the weak-regime reference tail_loss(m)


@dataclass
class ScalingResult:
    config: ScalingConfig
    instances: list          # InstanceResult, m-major
    fits: list               # ExponentFit per (alpha, decay)

    def cell(self, alpha, decay, m) -> InstanceResult:
        return next(r for r in self.instances if (r.alpha, r.decay, r.m) == (alpha, decay, m))

    def fit(self, alpha, decay) -> ExponentFit:
        return next(f for f in self.fits if (f.alpha, f.decay) == (alpha, decay))

    @property
    def strong_decay(self) -> float:
        """The most negative decay: the strongest superposition trained."""
        return min(self.config.decays)

    @property
    def weak_decay(self) -> float:
        """The most positive decay: the weakest superposition trained."""
        return max(self.config.decays)


def fit_exponents(config: ScalingConfig, instances, seed: int) -> list:
    """Fit log loss on log m per (alpha, decay): exponent = -slope, interval from the case bootstrap."""
    fits = []
    for alpha, decay in instance_grid(config):
        rows = sorted((r for r in instances if (r.alpha, r.decay) == (alpha, decay)), key=lambda r: r.m)
        ms = [r.m for r in rows]
        fit = fit_power_law(ms, [r.loss for r in rows], n_bootstrap=N_BOOTSTRAP, seed=seed)
        reference = fit_power_law(ms, [r.tail_loss for r in rows], n_bootstrap=0)
        low, high = (None, None) if math.isnan(fit.ci_low) else (-fit.ci_high, -fit.ci_low)
        fits.append(ExponentFit(alpha, decay, -fit.exponent, low, high, fit.intercept, -reference.exponent))
    return fits


def run_scaling(config: ScalingConfig = LAPTOP, *, seed: int = 0, backend="numpy", threshold=DEFAULT_THRESHOLD,
                on_progress=None) -> ScalingResult:
    """Train every (alpha, decay) at every m, measure each instance on the shared evaluation batch, fit exponents."""
    settings = config.training_settings()
    grid = instance_grid(config)
    instances = []
    for m in config.ms:
        generators = [cell_generator(seed, ("toy-scaling", config.n, m, float(a), float(g))) for a, g in grid]
        trained = ToyTrainer(scaling_spec(config, m), generators, settings, backend).run(on_progress)
        for alpha in config.alphas:
            batch = evaluation_batch(config, alpha, seed)  # drawn again per m (the same inputs): less memory held
            instances.extend(
                measure_instance(trained.W[index], trained.b[index], batch, a, decay, threshold)
                for index, (a, decay) in enumerate(grid) if a == alpha
            )
    return ScalingResult(config, instances, fit_exponents(config, instances, seed))


def with_sizes(config: ScalingConfig, **sizes) -> ScalingConfig:
    """``config`` with the given fields replaced (None keeps them)."""
    return replace(config, **{key: value for key, value in sizes.items() if value is not None})
