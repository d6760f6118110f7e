"""Approximate message passing with soft thresholding (Donoho, Maleki & Montanari 2009, PNAS 106, eq. 1-2).

With δ = m/n, starting from x_0 = 0 and z_0 = y:

    x_{t+1} = η(x_t + Aᵀ z_t; θ_t),        θ_t = α · ‖z_t‖₂ / √m,
    z_{t+1} = y − A x_{t+1} + (1/δ) ⟨η'(x_t + Aᵀ z_t; θ_t)⟩ z_t = y − A x_{t+1} + (‖x_{t+1}‖₀ / m) z_t,

where η is soft thresholding (signed) or its nonnegative version max(u − θ, 0) (DMM 2009, section
"Nonnegative"), ⟨·⟩ the average over the n coordinates, and the last term the Onsager correction. ‖z_t‖₂/√m
estimates the effective noise level σ_t of the pseudo-data x_t + Aᵀz_t; the factor α is the minimax threshold
of :mod:`theory.soft_threshold_minimax` (chosen by :mod:`numerics.recovery` from the problem's δ and ρ).

Damping, only where a problem oscillates: at the sizes experiments use (n of a few hundred), undamped AMP sometimes
locks into a period-2 oscillation of the active set even far below the transition. The step then damps that problem
(and only it), x_{t+1} = β·η(·) + (1 − β)·x_t with β = ``damping`` = 0.9, from the iteration where its residual norm
‖z_t‖₂ has gone up, down and up again (the period-2 signature: the active set switching back and forth moves ‖z_t‖₂
with it) at ``oscillation_steps`` = 4 consecutive steps, and for the rest of the run (``oscillation_steps=0``:
damped from the first step, the engine's earlier always-on damping). A problem that converges
never pays for damping (always-on damping cost about 35% more iterations, 41 against 30, at m = 200, n = 400, k = 20).
Damping is the standard safeguard (Rangan, Schniter & Fletcher 2019, "On the convergence of approximate message
passing with arbitrary matrices", IEEE Trans. Inf. Theory 65:5339). ``damping=1`` is DMM's AMP, never damped: each
``step`` is then exactly eq. 1-2 (what state-evolution tests drive).

Stopping rule tied to the requested accuracy (``tol``, the success tolerance on ‖x̂ − x‖₂/‖x‖₂): in AMP the residual
with its Onsager term estimates the error, ‖z_t‖₂² ≈ m·σ_t² ≈ ‖x_t − x‖₂² (state evolution: the mean squared error
of x_t per coordinate is δ·σ_t², DMM 2009 eq. 3, noiseless). A problem is converged once

    ‖z_t‖₂ ≤ ``tol_margin`` · tol · ‖x_t‖₂,        ``tol_margin`` = 0.1,

one decade of margin for the estimate's error at finite n (after the support is found, z_t ≈ A(x − x_t)/(1 − k/m)
and A restricted to k ≪ m columns is near an isometry). Without ``tol`` (direct :func:`numerics.recovery.solve`
calls), the base class's stationarity ‖x_t − x_{t−1}‖₂ ≤ rtol·‖x_t‖₂ is the rule. :func:`numerics.recovery.recover`
passes its ``tol``. Either rule is evaluated every ``check_every`` = 2 iterations (the bookkeeping costs passes
over the batch). Failures stop early on a stall: every ``stall_window`` = 100 iterations, ‖z_t‖₂ has not fallen
below ``stall_ratio`` = 0.9 times its value a window earlier (above the transition AMP settles at a nonzero noise
level and never becomes stationary); or at ``max_iter`` = 5000 iterations. A problem that still improves, but by
less than 10% per 100 iterations, would need more than 6500 iterations for its residual to fall by another factor
1000. ``stall_window=None`` turns the rule off.

Each iteration costs two products with A (one GEMM each on a shared matrix) and, on the (batch, n) arrays, one
in-place addition, a soft threshold in two passes (clip, subtract in place) and a count of nonzeros.
"""

from numerics.backend import namespace_of
from numerics.solvers.base import IterativeSolver, norm

#: Entries of a (batch, n) array up to which the soft threshold clips by ``minimum`` and ``maximum``, two plain
#: elementwise calls, rather than by ``clip``, one call that array-api-compat's NumPy wraps at a fixed cost of
#: ~20 µs (it broadcasts the per-row bounds), 10% of a step on a block of 13 distinct 200 × 400 matrices. Above,
#: ``clip``'s one temporary instead of two is what counts: a fresh 6 MB temporary costs page faults (measured at
#: batch 2000, n = 400: minimum-maximum 4-9% slower a step than clip; blocks of 13: 10-15% faster). 2^14 float64
#: entries are 128 KiB, where glibc starts to map large allocations afresh.
SMALL_BATCH_ENTRIES = 2**14


class AMP(IterativeSolver):
    """Batched AMP; ``alpha`` is the threshold factor α of θ_t = α‖z_t‖₂/√m; ``tol`` the accuracy to stop at."""

    name = "amp"
    accepts = IterativeSolver.accepts + ("alpha", "damping", "tol", "tol_margin", "oscillation_steps", "check_every",
                                         "stall_window", "stall_ratio")
    batch_state = ("y", "x", "z", "level", "rising", "oscillations", "damped", "checkpoint")
    max_iter_default = 5000
    #: :func:`numerics.recovery.recover` passes its success tolerance as ``tol``.
    uses_tolerance = True

    def __init__(self, *, alpha: float, damping: float = 0.9, tol: float | None = None, tol_margin: float = 0.1,
                 oscillation_steps: int = 4, check_every: int = 2, stall_window: int | None = 100,
                 stall_ratio: float = 0.9, **options):
        super().__init__(**options)
        self.alpha = float(alpha)
        self.damping = float(damping)
        self.tol = None if tol is None else float(tol)
        self.tol_margin = float(tol_margin)
        self.oscillation_steps = int(oscillation_steps)
        self.check_every = int(check_every)
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
        batch = y.shape[0]
        self.operator, self.y = operator, y
        self.x = xp.zeros((batch, operator.n), dtype=y.dtype)
        self.z = xp.asarray(y, copy=True)  # updated in place by step
        self.level = norm(y)[:, None]
        self.rising = xp.zeros((batch,), dtype=xp.bool)
        self.oscillations = xp.zeros((batch,), dtype=xp.int64)
        self.damped = xp.full((batch,), self.oscillation_steps <= 0, dtype=xp.bool)
        self.checkpoint = xp.full((batch,), float("inf"), dtype=y.dtype)
        self.steps = self.stall_checks = 0

    def step(self):
        xp, operator = namespace_of(self.y), self.operator
        pseudo = operator.adjoint(self.z)
        pseudo += self.x
        threshold = self.level * (self.alpha / operator.m**0.5)
        if self.nonnegative:
            pseudo -= threshold
            estimate = xp.maximum(pseudo, 0.0)
        else:  # u - clip(u, -θ, θ) in place
            if pseudo.shape[0] * pseudo.shape[1] <= SMALL_BATCH_ENTRIES:
                pseudo -= xp.maximum(xp.minimum(pseudo, threshold), -threshold)
            else:
                pseudo -= xp.clip(pseudo, -threshold, threshold)
            estimate = pseudo
        onsager = xp.astype(xp.count_nonzero(estimate, axis=-1, keepdims=True), self.y.dtype) / operator.m
        if self.damping != 1.0 and bool(xp.any(self.damped)):
            estimate = xp.where(self.damped[:, None], self.damping * estimate + (1.0 - self.damping) * self.x,
                                estimate)
        self.x = estimate
        self.z *= onsager
        self.z += self.y
        self.z -= operator.forward(estimate)
        self.watch_oscillation(norm(self.z)[:, None])
        self.matmul_flops += 2 * operator.matmul_flops(self.y.shape[0])
        self.steps += 1
        return self.x

    def watch_oscillation(self, level) -> None:
        """Track ‖z_t‖₂; mark a problem ``damped`` once its direction flipped at ``oscillation_steps`` steps in a row."""
        if self.damping == 1.0:
            self.level = level
            return
        xp = namespace_of(level)
        rising = level[:, 0] > self.level[:, 0]
        alternating = rising != self.rising
        self.oscillations = xp.where(alternating, self.oscillations + 1, 0)
        self.damped = self.damped | (self.oscillations >= self.oscillation_steps)
        self.rising, self.level = rising, level

    def progress(self, current, previous):
        """Converged once the error estimate ‖z_t‖₂ is ``tol_margin``·tol of ‖x_t‖₂ (stationarity without ``tol``)."""
        if self.tol is None:
            return super().progress(current, previous)
        size = norm(current)
        return size, self.level[:, 0] <= (self.tol_margin * self.tol) * size

    def stalled(self):
        """Every ``stall_window`` iterations: ‖z_t‖₂ above ``stall_ratio`` times its value a window ago."""
        if not self.stall_window or self.steps < self.stall_window * (self.stall_checks + 1):
            return None
        self.stall_checks += 1
        stalled = self.level[:, 0] > self.stall_ratio * self.checkpoint
        self.checkpoint = self.level[:, 0]
        return stalled
