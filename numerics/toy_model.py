r"""The toy model of superposition, its hand-derived gradients, batched AdamW, and the training loop.

Elhage et al. (2022), "Toy Models of Superposition": h = W x with W in R^{m x n}, and

    ReLU model:    x' = ReLU(W^T W x + b)
    linear model:  x' = W^T W x + b

with loss L = (1/B) sum_batch sum_i I_i (x_i - x'_i)^2 (importance I_i; Elhage's notebook also divides by n, a
constant factor that AdamW's updates do not see, up to its eps). Many independent instances, each with
its own density and importance, train at once: W has shape (instances, m, n), b (instances, n), a batch
(instances, B, n). Gradients, derived by hand (no autodiff): with a = W^T W x + b, h = W x,
g = dL/da = (2/B) I (x' - x) * [a > 0] (the indicator is 1 for the linear model),

    dL/db = sum_batch g,        dL/dW = h^T g + (g W^T)^T x    (per instance; rows of x and g are samples).

Written once against the array API: ``xp`` is NumPy by default, CuPy on a GPU, array-api-strict in tests.

>>> import numpy as np
>>> from numerics.backend import resolve
>>> xp = resolve("numpy").xp
>>> W = xp.asarray(np.eye(2, 3)[None]); b = xp.zeros((1, 3)); x = xp.asarray([[[0.5, 0.0, 1.0]]])
>>> forward(W, b, x, "relu")[-1].tolist()
[[[0.5, 0.0, 0.0]]]
"""

from dataclasses import dataclass, field

import numpy as np

from numerics.backend import as_backend, from_numpy, namespace_of, to_numpy
from numerics.host import blas_thread_limit
from numerics.lr_schedule import LearningRateSchedule
from numerics.toy_data import FeatureStream
from numerics.toy_initialisation import INITIALISATIONS
from numerics.weight_decay import keep_parameter, liu_decay

ACTIVATIONS = ("relu", "linear")
#: Floating-point precisions the trainer computes in (the data are drawn in float64 and cast).
DTYPES = ("float64", "float32")


def forward(W, b, x, activation: str = "relu"):
    """Hidden h = W x, pre-activation a = W^T W x + b and output x' (each with a leading instance axis)."""
    xp = namespace_of(W)
    hidden = xp.matmul(x, xp.matrix_transpose(W))          # (I, B, m): rows are samples
    pre = xp.matmul(hidden, W) + b[:, None, :]               # (I, B, n)
    return hidden, pre, (pre if activation == "linear" else xp.maximum(pre, 0.0))


def loss_and_gradients(W, b, x, importance, activation: str = "relu"):
    """Per-instance loss (I,) and the gradients dL/dW (I, m, n), dL/db (I, n); formulas in the module docstring.

    ``importance`` has shape (I, n). The factor 2/B is applied to the small gradient arrays, not to the batch.
    """
    xp = namespace_of(W)
    hidden, pre, out = forward(W, b, x, activation)
    residual = out - x
    scale = 2.0 / x.shape[1]
    weighted = importance[:, None, :] * residual
    loss = xp.sum(weighted * residual, axis=(1, 2)) * (scale / 2.0)
    grad_pre = weighted if activation == "linear" else weighted * xp.astype(pre > 0, pre.dtype)  # dL/da / scale
    grad_b = scale * xp.sum(grad_pre, axis=1)
    grad_hidden = xp.matmul(grad_pre, xp.matrix_transpose(W))  # (I, B, m)
    grad_W = scale * (xp.matmul(xp.matrix_transpose(hidden), grad_pre) + xp.matmul(xp.matrix_transpose(grad_hidden), x))
    return loss, grad_W, grad_b


@dataclass(frozen=True)
class AdamWSettings:
    """AdamW (Loshchilov & Hutter 2019) as in PyTorch: lr 1e-3 as in Elhage's notebook, PyTorch's other defaults."""

    learning_rate: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.01


class AdamW:
    """Elementwise AdamW over a list of arrays, so every instance is optimised independently in one computation.

    Per step t: p <- p (1 - lr wd); m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
    p <- p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
    """

    def __init__(self, parameters, settings: AdamWSettings = AdamWSettings(), decays=None):
        """``decays``: per parameter, a function (parameter, learning rate) -> decayed parameter that replaces the
        decoupled decay p (1 - lr wd) (e.g. :func:`numerics.weight_decay.liu_decay`); None keeps it for all."""
        xp = namespace_of(parameters[0])
        self.settings = settings
        self.decays = decays
        self.first = [xp.zeros_like(p) for p in parameters]
        self.second = [xp.zeros_like(p) for p in parameters]
        self.t = 0

    def step(self, parameters, gradients, rate_multiplier: float = 1.0):
        """The updated parameters (new arrays; inputs are not modified).

        ``rate_multiplier`` scales the learning rate of this step (a schedule's value; 1 leaves it as set).
        """
        s = self.settings
        xp = namespace_of(parameters[0])
        self.t += 1
        learning_rate = s.learning_rate if rate_multiplier == 1.0 else s.learning_rate * rate_multiplier
        correction1 = 1.0 - s.beta1 ** self.t
        correction2 = 1.0 - s.beta2 ** self.t
        updated = []
        for index, (parameter, gradient) in enumerate(zip(parameters, gradients)):
            self.first[index] = s.beta1 * self.first[index] + (1.0 - s.beta1) * gradient
            self.second[index] = s.beta2 * self.second[index] + (1.0 - s.beta2) * gradient * gradient
            step = (self.first[index] / correction1) / (xp.sqrt(self.second[index] / correction2) + s.eps)
            if self.decays is None:
                updated.append(parameter * (1.0 - learning_rate * s.weight_decay) - learning_rate * step)
            else:
                updated.append(self.decays[index](parameter, learning_rate) - learning_rate * step)
        return updated


@dataclass(frozen=True)
class ToyModelSpec:
    """What to train: n features, m hidden dimensions, activation, and per-instance densities and importances.

    ``densities`` and ``importance`` are host arrays of shape (instances, n). ``feature_high``: active features are
    Uniform[0, feature_high). ``weight_decay``: None for the optimiser's decoupled decay on W and b, or a host array
    (instances,) of per-instance rates applied to W only with Liu et al.'s rule (:mod:`numerics.weight_decay`).
    """

    n: int
    m: int
    densities: np.ndarray
    importance: np.ndarray
    activation: str = "relu"
    feature_high: float = 1.0
    weight_decay: np.ndarray | None = None

    @property
    def instances(self) -> int:
        return self.densities.shape[0]


@dataclass(frozen=True)
class TrainingSettings:
    """Steps, batch size (1024 as in Elhage's notebook), optimiser, loss recording, BLAS threads, lr schedule,
    initialisation and precision.

    ``schedule``: the learning-rate multiplier per step (:mod:`numerics.lr_schedule`; constant by default).
    ``initialisation``: a name in :data:`numerics.toy_initialisation.INITIALISATIONS` (``xavier`` by default).
    ``dtype``: ``float64`` (default) or ``float32`` for W, b, the optimiser's moments and each batch.

    ``blas_threads``: host BLAS threads while training (None: the library's default). The matrix products of a
    step are small (instances x batch x n x m); on a busy CPU, OpenBLAS's worker threads made them 70 times slower
    than one thread, so the default is 1.
    """

    steps: int = 10_000
    batch_size: int = 1024
    optimizer: AdamWSettings = AdamWSettings()
    log_every: int = 100
    blas_threads: int | None = 1
    schedule: LearningRateSchedule = LearningRateSchedule()
    initialisation: str = "xavier"
    dtype: str = "float64"

    def __post_init__(self):
        if self.initialisation not in INITIALISATIONS:
            raise ValueError(f"initialisation must be one of {tuple(INITIALISATIONS)}, got {self.initialisation!r}")
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {DTYPES}, got {self.dtype!r}")


class TrainingDiverged(ArithmeticError):
    """Training produced a non-finite loss: the message names the instance, its density and the steps."""


@dataclass
class TrainingResult:
    """Trained weights on the host, and the loss curve: ``losses[k]`` (per instance) at step ``loss_steps[k]``."""

    W: np.ndarray
    b: np.ndarray
    loss_steps: list = field(default_factory=list)
    losses: np.ndarray | None = None


class ToyTrainer:
    """Trains every instance of a :class:`ToyModelSpec` at once (setup in ``__init__``, then ``step``/``run``).

    ``generators`` holds one NumPy Generator per instance (from :mod:`numerics.seeding`): it draws that instance's
    initial W and then its data, so an instance's trajectory does not depend on the others batched with it.
    """

    def __init__(self, spec: ToyModelSpec, generators, settings: TrainingSettings = TrainingSettings(),
                 backend="numpy"):
        generators = list(generators)
        if len(generators) != spec.instances:
            raise ValueError(f"need one generator per instance ({spec.instances}), got {len(generators)}")
        if spec.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {spec.activation!r}")
        self.spec, self.settings = spec, settings
        self.backend = as_backend(backend)
        xp = self.backend.xp
        draw = INITIALISATIONS[settings.initialisation]
        initial = np.stack([draw(g, spec.m, spec.n, spec.instances) for g in generators])
        self.W = from_numpy(self.backend, initial, settings.dtype)
        self.b = xp.zeros((spec.instances, spec.n), dtype=self.W.dtype)
        self.importance = from_numpy(self.backend, spec.importance, settings.dtype)
        self.stream = FeatureStream(generators, spec.densities, settings.batch_size, spec.feature_high)
        decays = None if spec.weight_decay is None else [
            liu_decay(from_numpy(self.backend, spec.weight_decay, settings.dtype)), keep_parameter]
        self.optimizer = AdamW([self.W, self.b], settings.optimizer, decays)
        self.steps_done = 0

    def step(self):
        """One AdamW step on a fresh batch; returns the per-instance loss before the step (backend array)."""
        x = from_numpy(self.backend, self.stream.next_batch(), self.settings.dtype)
        loss, grad_W, grad_b = loss_and_gradients(self.W, self.b, x, self.importance, self.spec.activation)
        multiplier = self.settings.schedule.multiplier(self.steps_done + 1, self.settings.steps)
        self.W, self.b = self.optimizer.step([self.W, self.b], [grad_W, grad_b], multiplier)
        self.steps_done += 1
        return loss

    def run(self, on_progress=None) -> TrainingResult:
        """All remaining steps; ``on_progress(k)`` is called after every ``log_every`` steps with k steps done."""
        with blas_thread_limit(self.settings.blas_threads), np.errstate(over="ignore", invalid="ignore"):
            loss_steps, losses = self._train(on_progress)  # overflow is reported as TrainingDiverged, not warned
        return TrainingResult(
            W=to_numpy(self.W), b=to_numpy(self.b), loss_steps=loss_steps,
            losses=to_numpy(self.backend.xp.stack(losses)) if losses else np.zeros((0, self.spec.instances)),
        )

    def _train(self, on_progress):
        loss_steps, losses = [], []
        reported = self.steps_done
        while self.steps_done < self.settings.steps:
            loss = self.step()
            if self.steps_done % self.settings.log_every == 0 or self.steps_done == self.settings.steps:
                self._check_finite(loss, loss_steps[-1] if loss_steps else 0)
                loss_steps.append(self.steps_done)
                losses.append(loss)  # stays on the device: one copy to the host when training ends
                if on_progress is not None:
                    on_progress(self.steps_done - reported)
                reported = self.steps_done
        return loss_steps, losses

    def _check_finite(self, loss, last_checked: int) -> None:
        """Raise :class:`TrainingDiverged` when an instance's loss (before step ``steps_done``) is NaN or infinite."""
        host = to_numpy(loss)
        bad = np.flatnonzero(~np.isfinite(host))
        if bad.size:
            instance = int(bad[0])
            raise TrainingDiverged(
                f"training diverged: instance {instance} (density {self.spec.densities[instance, 0]:g}"
                f"{f' and {bad.size - 1} more' if bad.size > 1 else ''}) has loss {host[instance]} at step "
                f"{self.steps_done}, finite at step {last_checked}; lower the learning rate "
                f"(now {self.settings.optimizer.learning_rate:g})")
