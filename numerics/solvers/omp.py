"""Orthogonal matching pursuit, batched, with an incremental QR factorisation (Pati, Rezaiifar & Krishnaprasad 1993).

From r_0 = y and an empty support, step t picks the column most correlated with the residual,

    j_t = argmax_j |a_jᵀ r_t|   (argmax_j a_jᵀ r_t for nonnegative signals),

orthogonalises it against the columns already chosen by classical Gram–Schmidt applied twice (CGS2, stable to
working precision: Giraud et al. 2005), q_t = (I − Q Qᵀ)² a_{j_t} / ‖·‖, appends q_t to Q and the coefficients to
R (so A_S = Q R), and updates r_{t+1} = r_t − q_t (q_tᵀ r_t), the residual of least squares on the support.
At the end x̂_S = R⁻¹ Qᵀ y, one batched triangular system. The nonnegative variant only changes the selection
rule; its least-squares coefficients are not constrained.

Every problem of the batch adds one atom per step. Stopping rule, per problem: ‖r_t‖₂ ≤ rtol·‖y‖₂ (rtol = 1e-10),
or ``max_atoms`` atoms chosen (default min(2k, m) with k = ``sparsity``), or no column with positive score is
left; after that the problem's steps add nothing. Allowing more than k atoms lets OMP recover after a wrong early
pick (least squares then gives the wrong atom a zero coefficient) and a Bernoulli support with more than its
expected k nonzeros; with noisy measurements, where the residual never vanishes, pass ``max_atoms=k``.
``converged`` means the residual rule was met. Cost per step: one product with Aᵀ and O(m·t) for CGS2.
"""

from numerics.backend import namespace_of
from numerics.solvers.base import SolverOutput, SparsityOptions


class OMP(SparsityOptions):
    """Batched OMP: ``setup``, ``step`` (add one atom to every unfinished problem), ``run``."""

    name = "omp"
    accepts = ("sparsity", "rtol", "max_atoms")

    def __init__(self, *, sparsity: int, nonnegative: bool = False, rtol: float = 1e-10,
                 max_atoms: int | None = None):
        self.sparsity = int(sparsity)
        self.nonnegative = bool(nonnegative)
        self.rtol = float(rtol)
        self.max_atoms = max_atoms
        self.matmul_flops = 0

    def setup(self, operator, y) -> None:
        xp = namespace_of(y)
        batch = y.shape[0]
        self.operator, self.y, self.xp = operator, y, xp
        self.atoms = min(2 * self.sparsity if self.max_atoms is None else int(self.max_atoms), operator.m)
        self.residual = y
        self.target = self.rtol * xp.linalg.vector_norm(y, axis=-1)
        self.active = xp.linalg.vector_norm(y, axis=-1) > self.target
        if self.atoms <= 0:
            self.active = xp.zeros_like(self.active)
        self.selected = xp.zeros((batch, operator.n), dtype=xp.bool)
        self.positions = xp.arange(operator.n)
        self.q_columns, self.r_columns, self.indices, self.used = [], [], [], []
        self.iterations = xp.zeros((batch,), dtype=xp.int64)
        self.matmul_flops = 0

    def step(self) -> None:
        xp, operator = self.xp, self.operator
        batch, t = self.y.shape[0], len(self.q_columns)
        correlation = operator.adjoint(self.residual)
        score = correlation if self.nonnegative else xp.abs(correlation)
        score = xp.where(self.selected, -1.0, score)
        index = xp.argmax(score, axis=-1)
        best = xp.max(score, axis=-1)
        active = self.active & (best > 0)
        column = operator.columns(index)
        coefficients = xp.zeros((batch, t), dtype=self.y.dtype)
        if t:
            Q = xp.stack(self.q_columns, axis=-1)
            for _ in range(2):
                projection = (xp.matrix_transpose(Q) @ column[..., None])[..., 0]
                column = column - (Q @ projection[..., None])[..., 0]
                coefficients = coefficients + projection
        norm = xp.linalg.vector_norm(column, axis=-1, keepdims=True)
        q = xp.where(active[:, None], column / xp.where(norm > 0, norm, 1.0), 0.0)
        diagonal = xp.where(active[:, None], norm, 1.0)
        self.q_columns.append(q)
        self.r_columns.append(xp.concat([xp.where(active[:, None], coefficients, 0.0), diagonal], axis=-1))
        self.indices.append(index)
        self.used.append(active)
        self.selected = self.selected | (active[:, None] & (self.positions[None, :] == index[:, None]))
        self.residual = self.residual - q * xp.sum(q * self.residual, axis=-1, keepdims=True)
        self.iterations = self.iterations + xp.astype(active, xp.int64)
        still = xp.linalg.vector_norm(self.residual, axis=-1) > self.target
        self.active = active & still & (self.iterations < self.atoms)
        self.matmul_flops += operator.matmul_flops(batch) + 4 * batch * operator.m * t

    def estimate(self):
        """x̂ with x̂_S = R⁻¹ Qᵀ y on each problem's chosen support S."""
        xp, batch = self.xp, self.y.shape[0]
        x = xp.zeros((batch, self.operator.n), dtype=self.y.dtype)
        steps = len(self.q_columns)
        if not steps:
            return x
        Q = xp.stack(self.q_columns, axis=-1)
        R = xp.stack([xp.concat([c, xp.zeros((batch, steps - c.shape[1]), dtype=c.dtype)], axis=-1)
                      for c in self.r_columns], axis=-1)
        coefficients = xp.linalg.solve(R, (xp.matrix_transpose(Q) @ self.y[..., None]))[..., 0]
        for t in range(steps):
            hit = self.used[t][:, None] & (self.positions[None, :] == self.indices[t][:, None])
            x = x + xp.where(hit, coefficients[:, t:t + 1], 0.0)
        return x

    def run(self, operator, y) -> SolverOutput:
        self.setup(operator, y)
        for _ in range(self.atoms):
            if not bool(self.xp.any(self.active)):
                break
            self.step()
        xp = self.xp
        converged = xp.linalg.vector_norm(self.residual, axis=-1) <= self.target
        return SolverOutput(self.estimate(), self.iterations, converged, self.matmul_flops)
