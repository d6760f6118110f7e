"""The sensing operator of a batch: y_b = A_b x_b for distinct matrices, or Y = X Aᵀ for a shared one.

Signals are rows: ``x`` has shape (batch, n), measurements ``y`` shape (batch, m). With a shared A of shape
(m, n) every product is one GEMM over the whole batch; with A of shape (batch, m, n) it is a batched
matrix-vector product.

>>> import array_api_compat.numpy as xp
>>> operator = SensingOperator(xp.asarray([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]]))
>>> operator.forward(xp.asarray([[1.0, 1.0, 1.0]])).tolist()
[[3.0, 1.0]]
>>> operator.adjoint(xp.asarray([[1.0, 2.0]])).tolist()
[[1.0, 2.0, 2.0]]
"""

from numerics.backend import namespace_of

#: Power-iteration steps estimating ‖A‖₂² (each step multiplies by AᵀA once).
POWER_ITERATIONS = 50


class SensingOperator:
    """Forward ``x -> A x``, adjoint ``z -> Aᵀ z``, column gathers and spectral norms of a batch of matrices."""

    def __init__(self, A):
        self.A = A
        self.xp = namespace_of(A)
        self.shared = A.ndim == 2
        self.m, self.n = A.shape[-2], A.shape[-1]
        self.At = self.xp.matrix_transpose(A)

    def forward(self, x):
        """A x for each row of ``x`` (batch, n) -> (batch, m)."""
        if self.shared:
            return x @ self.At
        return (self.A @ x[..., None])[..., 0]

    def adjoint(self, z):
        """Aᵀ z for each row of ``z`` (batch, m) -> (batch, n)."""
        if self.shared:
            return z @ self.A
        return (self.At @ z[..., None])[..., 0]

    def gram(self):
        """G = AᵀA of a shared matrix (n, n), computed once and kept."""
        if getattr(self, "_gram", None) is None:
            self._gram = self.At @ self.A
        return self._gram

    def rows(self, start: int, stop: int) -> "SensingOperator":
        """The operator of problems ``start`` … ``stop − 1``: a view of their matrices, not a copy (shared: itself)."""
        return self if self.shared else SensingOperator(self.A[start:stop, ...])

    def restrict(self, keep) -> "SensingOperator":
        """The operator of the problems at positions ``keep`` (a shared matrix stays as it is)."""
        return self if self.shared else SensingOperator(self.xp.take(self.A, keep, axis=0))

    def columns(self, index):
        """Column ``index[b]`` of A_b for each problem b: (batch,) integers -> (batch, m)."""
        xp = self.xp
        if self.shared:
            return xp.matrix_transpose(xp.take(self.A, index, axis=1))
        batch = index.shape[0]
        gather = xp.broadcast_to(xp.reshape(index, (batch, 1, 1)), (batch, self.m, 1))
        return xp.take_along_axis(self.A, gather, axis=2)[..., 0]

    def squared_norm(self, batch: int):
        """An upper estimate of ‖A_b‖₂² per problem, shape (batch, 1): power iteration on AᵀA, times 1.01."""
        xp = self.xp
        rows = 1 if self.shared else batch
        v = xp.ones((rows, self.n), dtype=self.A.dtype) / self.n**0.5
        estimate = xp.ones((rows, 1), dtype=self.A.dtype)
        for _ in range(POWER_ITERATIONS):
            w = self.adjoint(self.forward(v))
            estimate = xp.linalg.vector_norm(w, axis=-1, keepdims=True)
            v = w / xp.where(estimate > 0, estimate, 1.0)
        return xp.broadcast_to(1.01 * estimate, (batch, 1))

    def matmul_flops(self, batch: int) -> int:
        """Floating-point operations of one forward or adjoint product over the batch: 2·batch·m·n."""
        return 2 * batch * self.m * self.n
