r"""A batched Willshaw memory and its measured capacity: clipped Hebbian storage, threshold retrieval.

The model is :mod:`theory.associative_memory`'s (Willshaw, Buneman & Longuet-Higgins 1969; Palm 1980):
``trials`` independent memories, each an m x m binary weight matrix ``W[t, i, j]`` (output unit i, input
unit j), store pairs (x, y) of patterns with exactly k active units by ``W <- max(W, [y^T x > 0])`` and
retrieve y from x by firing every output unit whose sum ``sum_j W_ij x_j`` reaches the number of active
cue units. Weights and patterns are 0/1 in float32 so that storage and retrieval are matrix products
(exact: the counts stay far below 2**24); everything runs on the array-API namespace of a
:class:`numerics.backend.Backend`.

The capacity at a retrieval criterion is the largest number of stored pairs M at which the stored pairs
are retrieved with at most ``max_wrong_units`` wrong output units on average (over trials and up to
``probes`` stored pairs per trial, the most recently stored ones: every stored pair sees the same W).
It is found by bracketing (M = start, 2 start, 4 start, ... until the criterion fails) and bisection to a
relative width ``rel_tol``. Storage is incremental: W(M') for M' > M is W(M) with pairs M..M' added.

Pair i of every trial comes from chunk i // CHUNK, whose generator derives from the master seed and
(m, k, chunk) (:func:`numerics.seeding.cell_generator`), so the pairs do not depend on the search path.

>>> result = measure_capacity(64, trials=2, probes=64, seed=1)
>>> result.k, result.capacity > 40, result.wrong_units_at_capacity <= 1.0 < result.wrong_units_above
(6, True, True)
"""

from dataclasses import asdict, dataclass

import numpy as np

from numerics.backend import as_backend, from_numpy
from numerics.bracketing import bisect, double_until_failure
from numerics.seeding import cell_generator
from numerics.power_law_fit import fit_power_law
from theory.associative_memory import active_units, asymptotic_capacity_value, finite_capacity_value
from theory.validation import InvalidParameter, check_in_interval, check_positive

#: Stored pairs per seeded chunk of the pair stream.
CHUNK = 512
DEFAULT_TRIALS = 4
DEFAULT_PROBES = 256
DEFAULT_MAX_WRONG_UNITS = 1.0
DEFAULT_REL_TOL = 0.01
DEFAULT_START = 16


def sample_active_indices(generator: np.random.Generator, shape: tuple, m: int, k: int) -> np.ndarray:
    """``shape + (k,)`` indices of active units, k distinct ones per pattern (redrawn where two coincide)."""
    indices = np.sort(generator.integers(0, m, size=(*shape, k)), axis=-1)
    repeated = np.any(indices[..., 1:] == indices[..., :-1], axis=-1)
    while np.any(repeated):
        indices[repeated] = np.sort(generator.integers(0, m, size=(int(repeated.sum()), k)), axis=-1)
        repeated = np.any(indices[..., 1:] == indices[..., :-1], axis=-1)
    return indices


def patterns_from_indices(indices: np.ndarray, m: int) -> np.ndarray:
    """Binary patterns (float32 0/1, last axis of length m) with ones at ``indices``."""
    patterns = np.zeros((*indices.shape[:-1], m), dtype=np.float32)
    np.put_along_axis(patterns, indices, 1.0, axis=-1)
    return patterns


class PairSource:
    """The deterministic stream of pairs (x, y) stored in ``trials`` memories of size m with k active units."""

    def __init__(self, seed: int, m: int, k: int, trials: int, backend):
        self.seed, self.m, self.k, self.trials, self.backend = int(seed), int(m), int(k), int(trials), backend

    def _chunk(self, index: int) -> np.ndarray:
        generator = cell_generator(self.seed, ("willshaw", self.m, self.k, index))
        return sample_active_indices(generator, (2, self.trials, CHUNK), self.m, self.k)

    def pairs(self, start: int, stop: int):
        """Inputs and outputs of pairs start..stop-1, each ``(trials, stop - start, m)`` on the backend."""
        pieces = []
        for index in range(start // CHUNK, -(-stop // CHUNK)):
            low, high = max(start, index * CHUNK) - index * CHUNK, min(stop, (index + 1) * CHUNK) - index * CHUNK
            pieces.append(self._chunk(index)[:, :, low:high])
        dense = patterns_from_indices(np.concatenate(pieces, axis=2), self.m)
        return from_numpy(self.backend, dense[0]), from_numpy(self.backend, dense[1])


class WillshawMemory:
    """``trials`` binary m x m weight matrices (float32 0/1 on one array namespace); storing returns a new memory."""

    def __init__(self, weights, xp):
        self.weights, self.xp = weights, xp

    @classmethod
    def empty(cls, trials: int, m: int, xp) -> "WillshawMemory":
        return cls(xp.zeros((trials, m, m), dtype=xp.float32), xp)

    def store(self, inputs, outputs) -> "WillshawMemory":
        """Clipped Hebbian storage of the pairs ``(trials, count, m)``: W_ij = 1 if any pair has y_i x_j = 1."""
        xp = self.xp
        coincidences = xp.matmul(xp.matrix_transpose(outputs), inputs)
        return WillshawMemory(xp.maximum(self.weights, xp.astype(coincidences > 0, xp.float32)), xp)

    def retrieve(self, cues):
        """Output patterns (float32 0/1): unit i fires iff sum_j W_ij x_j reaches the cue's number of active units."""
        xp = self.xp
        dendritic_sums = xp.matmul(cues, xp.matrix_transpose(self.weights))
        threshold = xp.sum(cues, axis=-1, keepdims=True) - 0.5
        return xp.astype(dendritic_sums > threshold, xp.float32)

    def wrong_units(self, inputs, outputs):
        """Per pair, the output units where retrieval from x differs from the stored y: ``(trials, count)``."""
        return self.xp.sum(self.xp.abs(self.retrieve(inputs) - outputs), axis=-1)


@dataclass(frozen=True)
class WillshawCapacity:
    """The measured capacity at one m: the largest M meeting the criterion and the first M found to fail."""

    m: int
    k: int
    capacity: int
    first_failure: int
    wrong_units_at_capacity: float
    wrong_units_above: float
    max_wrong_units: float
    trials: int
    probes: int
    evaluations: int

    def to_dict(self) -> dict:
        return asdict(self)


def _validated(m, k, trials, probes, max_wrong_units, rel_tol, start):
    m = int(check_positive("m", m))
    if m < 4:
        raise InvalidParameter("m", f"must be at least 4 units, got {m}")
    k = active_units(m) if k is None else int(k)
    check_in_interval("k", k, 0, m // 2, closed_high=True)
    check_positive("trials", trials)
    check_positive("probes", probes)
    check_in_interval("max_wrong_units", max_wrong_units, 0, m - k)
    check_in_interval("rel_tol", rel_tol, 0, 1)
    check_positive("start", start)
    return m, k


def measure_capacity(m: int, *, k: int | None = None, trials: int = DEFAULT_TRIALS, probes: int = DEFAULT_PROBES,
                     max_wrong_units: float = DEFAULT_MAX_WRONG_UNITS, rel_tol: float = DEFAULT_REL_TOL,
                     start: int = DEFAULT_START, seed: int = 0, backend="numpy") -> WillshawCapacity:
    """Capacity of ``trials`` memories of m units with k (default log2 m, rounded) active units per pattern.

    ``max_wrong_units`` must lie in (0, m - k): at saturation every silent unit fires, m - k wrong units.
    """
    m, k = _validated(m, k, trials, probes, max_wrong_units, rel_tol, start)
    backend = as_backend(backend)
    source = PairSource(seed, m, k, trials, backend)
    evaluations = 0

    def mean_wrong_units(memory, count):
        nonlocal evaluations
        evaluations += 1
        inputs, outputs = source.pairs(max(0, count - probes), count)
        return float(backend.xp.mean(memory.wrong_units(inputs, outputs)))

    # The memory of the largest count that met the criterion: a larger count stores only the pairs beyond it.
    low_memory, low_wrong, high_wrong = WillshawMemory.empty(trials, m, backend.xp), 0.0, None
    stored = 0

    def meets_criterion(count: int) -> bool:
        nonlocal low_memory, low_wrong, high_wrong, stored
        memory = low_memory.store(*source.pairs(stored, count))
        wrong = mean_wrong_units(memory, count)
        if wrong <= max_wrong_units:
            low_memory, low_wrong, stored = memory, wrong, count
            return True
        high_wrong = wrong
        return False

    low, high = double_until_failure(meets_criterion, 0, int(start), limit=m * m)
    if high is None:
        raise InvalidParameter("max_wrong_units", f"is not exceeded with up to m^2 = {m * m} stored pairs "
                                                  f"(m = {m}, k = {k}); choose a smaller criterion")
    low, high = bisect(meets_criterion, low, high, precision=rel_tol)
    return WillshawCapacity(m, k, low, high, low_wrong, high_wrong, float(max_wrong_units), int(trials), int(probes),
                            evaluations)


def capacity_curve(sizes, *, on_progress=None, **options) -> tuple:
    """:func:`measure_capacity` at each size; ``on_progress(1)`` after each."""
    results = []
    for size in sizes:
        results.append(measure_capacity(size, **options))
        if on_progress is not None:
            on_progress(1)
    return tuple(results)


@dataclass(frozen=True)
class WillshawScaling:
    """Power-law fits of the measured capacities against m, raw and with the (log2 m)^2 correction.

    ``raw_fit``: log M = a log m + c. ``corrected_fit``: log (M (log2 m)^2) = a log m + c, exponent 2 in theory.
    ``theory_raw_slope``: the least-squares slope of ln 2 m^2/(log2 m)^2 over the same sizes (no noise),
    what ``raw_fit`` should find; ``predicted``: M*(m, k, max_wrong_units) at each measured (m, k).
    """

    measurements: tuple
    raw_fit: object
    corrected_fit: object
    theory_raw_slope: float
    predicted: tuple
    asymptotic: tuple


def analyse_scaling(measurements, *, n_bootstrap: int = 1000, seed: int = 0, confidence: float = 0.95) -> WillshawScaling:
    """Fit the capacities of :func:`capacity_curve` (at least two sizes) and set the theory beside them."""
    sizes = np.array([result.m for result in measurements], dtype=float)
    capacities = np.array([result.capacity for result in measurements], dtype=float)
    options = {"n_bootstrap": n_bootstrap, "seed": seed, "confidence": confidence}
    asymptotic = tuple(asymptotic_capacity_value(size) for size in sizes)
    return WillshawScaling(
        measurements=tuple(measurements),
        raw_fit=fit_power_law(sizes, capacities, **options),
        corrected_fit=fit_power_law(sizes, capacities * np.log2(sizes) ** 2, **options),
        theory_raw_slope=fit_power_law(sizes, asymptotic, n_bootstrap=0).exponent,
        predicted=tuple(finite_capacity_value(r.m, r.k, r.max_wrong_units) for r in measurements),
        asymptotic=asymptotic,
    )
