"""Approximate message passing with soft thresholding (Donoho, Maleki & Montanari 2009, PNAS 106, eq. 1-2).

With δ = m/n, starting from x_0 = 0 and z_0 = y:

    x_{t+1} = η(x_t + Aᵀ z_t; θ_t),        θ_t = α · ‖z_t‖₂ / √m,
    z_{t+1} = y − A x_{t+1} + (1/δ) ⟨η'(x_t + Aᵀ z_t; θ_t)⟩ z_t = y − A x_{t+1} + (‖x_{t+1}‖₀ / m) z_t,

where η is soft thresholding (signed) or its nonnegative version max(u − θ, 0) (DMM 2009, section
"Nonnegative"), ⟨·⟩ the average over the n coordinates, and the last term the Onsager correction. ‖z_t‖₂/√m
estimates the effective noise level σ_t of the pseudo-data x_t + Aᵀz_t; the factor α is the minimax threshold
of :mod:`theory.soft_threshold_minimax` (chosen by :mod:`numerics.recovery` from the problem's δ and ρ).

Damping: the update used is x_{t+1} = β·η(·) + (1 − β)·x_t with β = ``damping`` = 0.9 by default (β = 1 is
DMM's AMP). At the sizes experiments use (n of a few hundred), undamped AMP sometimes locks into a period-2
oscillation of the active set even far below the transition; β = 0.9 removes most of it (measured at
m = 100, n = 200: failures 0.05% → 0% at ρ = 0.05, 6.0% → 3.1% at ρ = 0.3 against 3.5% for the LP) at about
10% more iterations. Damping is the standard safeguard (Rangan, Schniter & Fletcher 2019, "On the convergence
of approximate message passing with arbitrary matrices", IEEE Trans. Inf. Theory 65:5339).

Stopping rule: the base class's stationarity ‖x_t − x_{t−1}‖₂ ≤ rtol·‖x_t‖₂ (converged); or a stall: every
``stall_window`` = 100 iterations, ‖z_t‖₂ has not fallen below ``stall_ratio`` = 0.9 times its value a window
earlier (not converged: above the transition AMP settles at a nonzero noise level and never becomes stationary);
or ``max_iter`` = 5000 iterations. A problem that still improves, but by less than 10% per 100 iterations, would
need more than 6500 iterations for its residual to fall by another factor 1000. Measured at n = 400, δ = 0.25 and 0.5,
ρ from 0.03 below to 0.1 above ρ(δ), signed and nonnegative, 100 problems each: success within ±0.04 of
``max_iter`` = 1000 without the stall rule, 2 to 20 times faster (most above the transition).
``stall_window=None`` turns the rule off.
Each iteration costs two products with A (one GEMM each on a shared matrix).
"""

from numerics.backend import namespace_of
from numerics.solvers.base import IterativeSolver, soft_threshold


class AMP(IterativeSolver):
    """Batched AMP; ``alpha`` is the threshold factor α of θ_t = α‖z_t‖₂/√m."""

    name = "amp"
    accepts = IterativeSolver.accepts + ("alpha", "damping", "stall_window", "stall_ratio")
    batch_state = ("y", "x", "z", "checkpoint")
    max_iter_default = 5000

    def __init__(self, *, alpha: float, damping: float = 0.9, stall_window: int | None = 100,
                 stall_ratio: float = 0.9, **options):
        super().__init__(**options)
        self.alpha = float(alpha)
        self.damping = float(damping)
        self.stall_window, self.stall_ratio = stall_window, float(stall_ratio)

    @classmethod
    def complete_options(cls, options: dict, *, m: int, n: int, sparsity: int, nonnegative: bool) -> dict:
        """``alpha`` defaults to the minimax threshold at δ = m/n, ρ = k/m (:mod:`theory.soft_threshold_minimax`)."""
        if options.get("alpha") is not None:
            return dict(options)
        from theory.soft_threshold_minimax import amp_threshold_alpha

        rho = min(max(sparsity, 1), m) / m
        return {**options, "alpha": amp_threshold_alpha(m / n, rho, "nonneg" if nonnegative else "signed")}

    def setup(self, operator, y) -> None:
        xp = namespace_of(y)
        self.operator, self.y = operator, y
        self.x = xp.zeros((y.shape[0], operator.n), dtype=y.dtype)
        self.z = y
        self.checkpoint = xp.full((y.shape[0],), float("inf"), dtype=y.dtype)
        self.steps = 0

    def step(self):
        xp, operator = namespace_of(self.y), self.operator
        sigma = xp.linalg.vector_norm(self.z, axis=-1, keepdims=True) / operator.m**0.5
        estimate = soft_threshold(self.x + operator.adjoint(self.z), self.alpha * sigma, self.nonnegative)
        active = xp.astype(xp.count_nonzero(estimate, axis=-1, keepdims=True), self.y.dtype)
        self.x = estimate if self.damping == 1.0 else self.damping * estimate + (1.0 - self.damping) * self.x
        self.z = self.y - operator.forward(self.x) + (active / operator.m) * self.z
        self.matmul_flops += 2 * operator.matmul_flops(self.y.shape[0])
        self.steps += 1
        return self.x

    def stalled(self):
        """Every ``stall_window`` iterations: ‖z_t‖₂ above ``stall_ratio`` times its value a window ago."""
        if not self.stall_window or self.steps % self.stall_window:
            return None
        xp = namespace_of(self.z)
        level = xp.linalg.vector_norm(self.z, axis=-1)
        stalled = level > self.stall_ratio * self.checkpoint
        self.checkpoint = level
        return stalled
