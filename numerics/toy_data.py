"""Synthetic sparse features for the toy models of Elhage et al. (2022), one NumPy Generator per instance.

Each feature x_i is 0 with probability S = 1 - p and otherwise drawn from Uniform[0, 1)
(Elhage et al. 2022, "Toy Models of Superposition", section "Demonstrating superposition").
One uniform draw u per entry gives both: x_i = max(0, (u - S) / p) is 0 when u < S (probability S) and
Uniform[0, 1) given u >= S. A single draw per entry makes the stream independent of how many steps are
generated at once, so an instance sees the same data whether it is trained alone or batched with others,
and whatever the chunking.

>>> import numpy as np
>>> stream = FeatureStream([np.random.default_rng(0)], densities=[[1.0, 0.5]], batch_size=4)
>>> x = stream.next_batch()
>>> x.shape, bool((x >= 0).all() and (x < 1).all())
((1, 4, 2), True)
"""

import numpy as np

#: Entries generated per instance at once (a host-memory budget, not a parameter of the data).
CHUNK_ENTRIES = 1 << 18


def importance_profile(n: int, decay: float) -> np.ndarray:
    """Feature importances I_i = decay**i, i = 0..n-1 (Elhage et al. 2022 use 0.9**i and 0.7**i).

    >>> importance_profile(3, 0.9).tolist()
    [1.0, 0.9, 0.81]
    """
    return decay ** np.arange(n, dtype=np.float64)


def sparse_features_inplace(uniforms: np.ndarray, densities: np.ndarray) -> np.ndarray:
    """Turn uniforms into features in place: ``max(0, (u - (1 - p)) / p)``; returns ``uniforms``.

    >>> sparse_features_inplace(np.array([0.9, 0.5]), np.array([0.2, 0.2])).round(12).tolist()
    [0.5, 0.0]
    """
    np.multiply(uniforms, 1.0 / densities, out=uniforms)
    np.subtract(uniforms, (1.0 - densities) / densities, out=uniforms)
    return np.maximum(uniforms, 0.0, out=uniforms)


class FeatureStream:
    """Batches of shape (instances, batch_size, n), instance j drawn from ``generators[j]`` at ``densities[j]``.

    ``densities`` has shape (instances, n): each instance, and each feature, its own density. ``high``: an active
    feature is Uniform[0, high) (1 as in Elhage et al. 2022; Liu, Liu & Gore 2025 use 2).
    """

    def __init__(self, generators, densities, batch_size: int, high: float = 1.0):
        self.generators = list(generators)
        self.densities = np.asarray(densities, dtype=np.float64)
        if self.densities.ndim != 2 or self.densities.shape[0] != len(self.generators):
            raise ValueError(f"densities must have shape (instances, n), got {self.densities.shape}")
        self.batch_size = int(batch_size)
        self.high = float(high)
        self.n = self.densities.shape[1]
        self._chunk = None
        self._position = 0

    def _refill(self) -> None:
        steps = max(1, CHUNK_ENTRIES // (self.batch_size * self.n))
        if self._chunk is None:
            self._chunk = np.empty((len(self.generators), steps, self.batch_size, self.n))
        for generator, block in zip(self.generators, self._chunk):
            generator.random(out=block)
        sparse_features_inplace(self._chunk, self.densities[:, None, None, :])
        if self.high != 1.0:
            np.multiply(self._chunk, self.high, out=self._chunk)
        self._position = 0

    def next_batch(self) -> np.ndarray:
        """The next batch of every instance, on the host, float64."""
        if self._chunk is None or self._position == self._chunk.shape[1]:
            self._refill()
        batch = np.ascontiguousarray(self._chunk[:, self._position])  # a copy: the chunk is refilled in place
        self._position += 1
        return batch
