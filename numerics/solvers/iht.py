"""Normalized iterative hard thresholding (Blumensath & Davies 2010, IEEE J. Sel. Topics Signal Process. 4:298).

From x_0 = 0, with g_t = Aᵀ(y − A x_t) and S_t the support of x_t (of H_k(Aᵀy) at t = 0):

    μ_t = ‖g_{t,S_t}‖₂² / ‖A g_{t,S_t}‖₂²,      x_{t+1} = H_k(x_t + μ_t g_t),

where H_k keeps the k entries of largest magnitude (the k largest positive entries for nonnegative signals)
and zeroes the rest. The adaptive step μ_t is NIHT's; its backtracking safeguard (taken when the support
changes and the step is too long) is left out, so convergence is not guaranteed, and ``converged`` says where
it was reached. k is the problem's sparsity (for a Bernoulli(p) support, ⌈p·n⌉ unless ``sparsity`` is given).

Stopping rule: the base class's stationarity ‖x_t − x_{t−1}‖₂ ≤ rtol·‖x_t‖₂, or ``max_iter`` iterations.
Three products with A per iteration.
"""

from numerics.backend import namespace_of
from numerics.solvers.base import IterativeSolver, SparsityOptions


def hard_threshold(u, k: int, nonnegative: bool):
    """H_k(u) row by row: keep the k largest |u_i| (largest u_i > 0 when nonnegative), zero the rest."""
    xp = namespace_of(u)
    scores = xp.maximum(u, 0.0) if nonnegative else xp.abs(u)
    if k <= 0:
        return xp.zeros_like(u)
    n = u.shape[-1]
    cutoff = xp.sort(scores, axis=-1)[:, n - min(k, n):n - min(k, n) + 1]
    return xp.where((scores >= cutoff) & (scores > 0), u, 0.0)


class IHT(SparsityOptions, IterativeSolver):
    """Batched normalized IHT keeping ``sparsity`` = k entries."""

    name = "iht"
    accepts = IterativeSolver.accepts + ("sparsity",)
    max_iter_default = 1000

    def __init__(self, *, sparsity: int, **options):
        super().__init__(**options)
        self.sparsity = int(sparsity)

    def setup(self, operator, y) -> None:
        xp = namespace_of(y)
        self.operator, self.y = operator, y
        self.x = xp.zeros((y.shape[0], operator.n), dtype=y.dtype)

    def step(self):
        xp, operator = namespace_of(self.y), self.operator
        gradient = operator.adjoint(self.y - operator.forward(self.x))
        support = self.x != 0
        support = xp.where(xp.any(support, axis=-1, keepdims=True), support,
                           hard_threshold(gradient, self.sparsity, self.nonnegative) != 0)
        restricted = xp.where(support, gradient, 0.0)
        numerator = xp.sum(restricted * restricted, axis=-1, keepdims=True)
        image = operator.forward(restricted)
        denominator = xp.sum(image * image, axis=-1, keepdims=True)
        step = numerator / xp.where(denominator > 0, denominator, 1.0)
        self.x = hard_threshold(self.x + step * gradient, self.sparsity, self.nonnegative)
        self.matmul_flops += 3 * operator.matmul_flops(self.y.shape[0])
        return self.x
