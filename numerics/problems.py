"""Batches of compressed-sensing problems y = A x (+ noise): sensing matrices, sparse signals, measurements.

Ensembles (Donoho & Tanner 2009, "Observed universality of phase transitions"):

- ``matrix``: ``"gaussian"`` entries N(0, 1/m), or ``"rademacher"`` entries ±1/√m (columns of unit norm on average);
- ``k`` (exactly k nonzeros on a uniformly random support) or ``density`` (each of the n entries nonzero
  independently with probability p: the superposition setting, every feature active with probability p);
- ``values`` of the nonzeros: ``"gaussian"`` N(0, 1), ``"rademacher"`` ±1, or ``"uniform"`` Uniform[0, 1) (the
  nonnegative toy-model feature distribution of Elhage et al. 2022);
- ``noise``: standard deviation σ of i.i.d. N(0, σ²) noise added to each measurement (default 0).

Layouts: a distinct matrix per problem, ``A`` of shape (batch, m, n), or one ``shared_matrix`` of shape (m, n)
for every signal. Signals ``x`` have shape (batch, n) and measurements ``y`` shape (batch, m).

Reproducibility: every number is drawn on the host by a NumPy ``Generator`` (PCG64) seeded with the given
``numpy.random.SeedSequence``, in a fixed order (matrix, support, values, noise), in float64, and then copied
to the backend (and cast to float32 if asked). So the same seed gives the same problems, bit for bit, on
NumPy, CuPy and array-api-strict; only the solvers' floating-point arithmetic differs between backends.

>>> problems = generate_problems(np.random.SeedSequence(0), batch=3, m=20, n=40, k=4)
>>> problems.A.shape, problems.x.shape, problems.y.shape
((3, 20, 40), (3, 40), (3, 20))
>>> [int(count) for count in (to_numpy(problems.x) != 0).sum(axis=1)]
[4, 4, 4]
"""

from dataclasses import dataclass, replace

import numpy as np

from numerics.backend import DTYPES, Backend, as_backend, from_numpy, to_numpy
from theory.validation import InvalidParameter, check_choice, check_in_interval, check_positive

MATRICES = ("gaussian", "rademacher")
VALUES = ("gaussian", "rademacher", "uniform")


@dataclass(frozen=True)
class Problems:
    """A batch of problems on one backend: ``A`` (batch, m, n) or shared (m, n), ``x`` (batch, n), ``y`` (batch, m)."""

    A: object
    x: object
    y: object
    m: int
    n: int
    batch: int
    k: int | None
    density: float | None
    matrix: str
    values: str
    shared_matrix: bool
    noise: float
    backend: Backend
    dtype: str

    @property
    def sparsity_level(self) -> int:
        """k, or the expected number of nonzeros ⌈p·n⌉ when the support is Bernoulli(p)."""
        return self.k if self.k is not None else max(1, int(np.ceil(self.density * self.n)))

    @property
    def delta(self) -> float:
        """Undersampling ratio δ = m/n."""
        return self.m / self.n

    @property
    def rho(self) -> float:
        """Sparsity ratio ρ = k/m (with k the expected number of nonzeros p·n for a Bernoulli support)."""
        return (self.k if self.k is not None else self.density * self.n) / self.m

    def subset(self, start: int, stop: int) -> "Problems":
        """Problems ``start`` to ``stop - 1`` of the batch (the same matrix when shared).

        >>> generate_problems(np.random.SeedSequence(0), batch=5, m=2, n=4, k=1).subset(1, 3).A.shape
        (2, 2, 4)
        """
        rows = slice(start, stop)
        return replace(self, A=self.A if self.shared_matrix else self.A[rows, ...], x=self.x[rows, ...],
                       y=self.y[rows, ...], batch=len(range(self.batch)[rows]))

    def describe(self) -> dict:
        """The problem ensemble as plain values (for JSON outputs)."""
        return {
            "m": self.m, "n": self.n, "batch": self.batch, "k": self.k, "density": self.density,
            "delta": self.delta, "rho": self.rho, "matrix": self.matrix, "values": self.values,
            "shared_matrix": self.shared_matrix, "noise": self.noise, "dtype": self.dtype,
        }


def check_sizes(batch: int, m: int, n: int, k: int | None, density: float | None) -> None:
    """Refuse sizes that define no compressed-sensing problem, naming the bad value."""
    for name, value in (("batch", batch), ("m", m), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise InvalidParameter(name, f"must be a whole number, got {value!r}")
        check_positive(name, value)
    if m > n:
        raise InvalidParameter("m", f"must be <= n (an underdetermined system), got m = {m} > n = {n}")
    if (k is None) == (density is None):
        raise InvalidParameter("k", "give exactly one of k (fixed sparsity) and density (Bernoulli support)")
    if k is not None:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= m:
            raise InvalidParameter("k", f"must be a whole number in [0, m = {m}], got {k!r}")
    else:
        check_in_interval("density", float(density), 0, 1, closed_high=True)


def sensing_matrices(rng: np.random.Generator, shape, m: int, matrix: str) -> np.ndarray:
    """Gaussian N(0, 1/m) or Rademacher ±1/√m entries."""
    if matrix == "gaussian":
        return rng.standard_normal(shape) / np.sqrt(m)
    return (2.0 * rng.integers(0, 2, size=shape) - 1.0) / np.sqrt(m)


def sparse_signals(rng: np.random.Generator, batch: int, n: int, k, density, values: str) -> np.ndarray:
    """Signals of shape (batch, n): support of size k (uniform) or Bernoulli(density); values as named."""
    if k is not None:
        order = np.argsort(rng.random((batch, n)), axis=1)  # a uniform random permutation per problem
        support = np.zeros((batch, n), dtype=bool)
        np.put_along_axis(support, order[:, :k], True, axis=1)
    else:
        support = rng.random((batch, n)) < density
    if values == "gaussian":
        magnitudes = rng.standard_normal((batch, n))
    elif values == "rademacher":
        magnitudes = 2.0 * rng.integers(0, 2, size=(batch, n)) - 1.0
    else:
        magnitudes = rng.random((batch, n))
    return np.where(support, magnitudes, 0.0)


def generate_problems(
    seed_sequence, *, batch: int, m: int, n: int, k: int | None = None, density: float | None = None,
    matrix: str = "gaussian", values: str = "gaussian", shared_matrix: bool = False, noise: float = 0.0,
    backend="numpy", dtype: str = "float64",
) -> Problems:
    """A batch of problems y = A x + σ·noise drawn from ``seed_sequence`` (see the module docstring).

    ``backend`` is a name (see :func:`numerics.backend.resolve`) or a :class:`~numerics.backend.Backend`.
    """
    check_sizes(batch, m, n, k, density)
    check_choice("matrix", matrix, MATRICES)
    check_choice("values", values, VALUES)
    check_choice("dtype", dtype, DTYPES)
    noise = float(noise)
    if not np.isfinite(noise) or noise < 0:
        raise InvalidParameter("noise", f"must be a finite number >= 0, got {noise}")
    target = as_backend(backend)
    rng = np.random.default_rng(seed_sequence)
    A = sensing_matrices(rng, (m, n) if shared_matrix else (batch, m, n), m, matrix)
    x = sparse_signals(rng, batch, n, k, density, values)
    y = x @ A.T if shared_matrix else np.einsum("bmn,bn->bm", A, x)
    if noise > 0:
        y = y + noise * rng.standard_normal((batch, m))
    return Problems(
        A=from_numpy(target, A, dtype), x=from_numpy(target, x, dtype), y=from_numpy(target, y, dtype),
        m=m, n=n, batch=batch, k=k, density=None if density is None else float(density), matrix=matrix,
        values=values, shared_matrix=bool(shared_matrix), noise=noise, backend=target, dtype=dtype,
    )


__all__ = ["MATRICES", "VALUES", "Problems", "generate_problems"]
