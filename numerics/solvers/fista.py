"""FISTA for the LASSO with continuation to basis pursuit (Beck & Teboulle 2009; Hale, Yin & Zhang 2008).

Each stage minimises ½‖A x − y‖₂² + λ‖x‖₁ by FISTA with step 1/L, L ≥ ‖A‖₂² (power iteration):

    x_{t+1} = η(w_t − Aᵀ(A w_t − y)/L; λ/L),   s_{t+1} = (1 + √(1 + 4 s_t²))/2,
    w_{t+1} = x_{t+1} + ((s_t − 1)/s_{t+1}) (x_{t+1} − x_t),

with η soft thresholding (nonnegative: max(u − λ/L, 0)). Continuation: λ starts at ``shrink``·λ₀ with
λ₀ = ‖Aᵀy‖_∞ (the smallest λ whose LASSO solution is 0) and is multiplied by ``shrink`` each time the stage is
stationary (‖x_{t+1} − x_t‖₂ ≤ ``stage_rtol``·‖x_{t+1}‖₂; momentum restarts, warm start), down to
λ_min = ``final_ratio``·λ₀. As λ → 0 the LASSO solution tends to the basis-pursuit solution; at λ_min the
remaining bias is of order λ_min/λ₀ relative to the signal.

With noisy measurements continuation toward basis pursuit interpolates the noise and the last stages converge
slowly (often up to ``max_iter``); a larger ``final_ratio`` (say 1e-2) stops at a LASSO estimate instead.

Stopping rule: at λ = λ_min, ‖x_{t+1} − x_t‖₂ ≤ rtol·‖x_{t+1}‖₂; or ``max_iter`` iterations in all.
Two products with A per iteration.
"""

from numerics.backend import namespace_of
from numerics.solvers.base import IterativeSolver, soft_threshold
from numerics.solvers.operator import POWER_ITERATIONS


class FISTA(IterativeSolver):
    """Batched FISTA with λ-continuation (each problem has its own λ, step and momentum)."""

    name = "fista"
    accepts = IterativeSolver.accepts + ("shrink", "final_ratio", "stage_rtol")
    batch_state = ("y", "x", "w", "momentum", "penalty", "smallest", "lipschitz", "final")
    max_iter_default = 5000

    def __init__(self, *, shrink: float = 0.1, final_ratio: float = 1e-5, stage_rtol: float = 1e-5, **options):
        super().__init__(**options)
        self.shrink, self.final_ratio, self.stage_rtol = float(shrink), float(final_ratio), float(stage_rtol)

    def setup(self, operator, y) -> None:
        xp = namespace_of(y)
        batch = y.shape[0]
        self.operator, self.y = operator, y
        self.lipschitz = operator.squared_norm(batch)
        self.matmul_flops += 2 * POWER_ITERATIONS * operator.matmul_flops(1 if operator.shared else batch)
        start = xp.max(xp.abs(operator.adjoint(y)), axis=-1, keepdims=True)
        self.smallest = self.final_ratio * start
        self.penalty = xp.maximum(self.shrink * start, self.smallest)
        self.x = xp.zeros((batch, operator.n), dtype=y.dtype)
        self.w = self.x
        self.momentum = xp.ones((batch, 1), dtype=y.dtype)
        self.final = self.penalty <= self.smallest

    def step(self):
        xp, operator = namespace_of(self.y), self.operator
        gradient = operator.adjoint(operator.forward(self.w) - self.y)
        x = soft_threshold(self.w - gradient / self.lipschitz, self.penalty / self.lipschitz, self.nonnegative)
        change = xp.linalg.vector_norm(x - self.x, axis=-1, keepdims=True)
        stage_done = change <= self.stage_rtol * xp.linalg.vector_norm(x, axis=-1, keepdims=True)
        momentum = (1.0 + xp.sqrt(1.0 + 4.0 * self.momentum * self.momentum)) / 2.0
        extrapolated = x + ((self.momentum - 1.0) / momentum) * (x - self.x)
        self.w = xp.where(stage_done, x, extrapolated)
        self.momentum = xp.where(stage_done, 1.0, momentum)
        self.final = self.penalty <= self.smallest
        self.penalty = xp.where(stage_done, xp.maximum(self.shrink * self.penalty, self.smallest), self.penalty)
        self.x = x
        self.matmul_flops += 2 * operator.matmul_flops(self.y.shape[0])
        return x

    def stationary(self, change, size):
        """Stationary at the last stage (λ = λ_min) only."""
        return super().stationary(change, size) & self.final[:, 0]
