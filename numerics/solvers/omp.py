"""Orthogonal matching pursuit, batched (Pati, Rezaiifar & Krishnaprasad 1993), with two factorisations of A_S.

From r_0 = y and an empty support, step t picks the column most correlated with the residual,

    j_t = argmax_j |a_jᵀ r_t|   (argmax_j a_jᵀ r_t for nonnegative signals),

and appends it to the support S; r_{t+1} is the residual of least squares on S, r_{t+1} = r_t − q_t (q_tᵀ r_t) with
q_t the new column orthogonalised against the chosen ones (A_S = Q R, Q orthonormal, R upper triangular).
At the end x̂_S = R⁻¹ Qᵀ y, one batched triangular system. The nonnegative variant only changes the selection
rule; its least-squares coefficients are not constrained.

Distinct matrices (batch, m, n): Q and R are built explicitly, q_t = (I − Q Qᵀ)² a_{j_t}/‖·‖ by classical
Gram–Schmidt applied twice (CGS2, stable to working precision: Giraud et al. 2005); each step costs one product
with Aᵀ and O(m·t) per problem.

A shared matrix (m, n): Batch-OMP in Gram form (Rubinstein, Zibulevsky & Elad 2008, "Efficient implementation of
the K-SVD algorithm using batch orthogonal matching pursuit", Technion CS-2008-08), written with the rows of the
inverse-Cholesky factor. With G = AᵀA (once per batch), c_0 = Aᵀy (one GEMM) and u_s = Aᵀq_s (n values per
problem), R's column t is R_{st} = q_sᵀa_j = u_s[j] for s < t and

    ν_t = R_{tt} = √(G_jj − Σ_s u_s[j]²),   u_t = (G_{j,:} − Σ_s u_s[j]·u_s)/ν_t,
    w_t = q_tᵀy = c_t[j]/ν_t,               c_{t+1} = c_t − w_t·u_t,   ‖r_{t+1}‖₂² = ‖r_t‖₂² − w_t²,

so a step costs O(n·t) per problem and no product with A at all. The squared residual loses the digits below
√ε·‖y‖₂ ≈ 1.5e-8·‖y‖₂ (a difference of squares), the reason for the rtol below. Problems are solved in blocks of
at most ``block_bytes`` (64 MiB) of u vectors.

Every problem of the batch adds one atom per step. Stopping rule, per problem: ‖r_t‖₂ ≤ rtol·‖y‖₂ (rtol = 1e-6,
far above that resolution in float64, far below any residual of a wrong support in noiseless problems; in Gram form
at least 10·√ε, 3.5e-3 in float32), or ``max_atoms``
atoms chosen (default min(2k, m) with k = ``sparsity``), or no column with positive score is left; after that the
problem's steps add nothing. Allowing more than k atoms lets OMP recover after a wrong early pick (least squares
then gives the wrong atom a zero coefficient) and a Bernoulli support with more than its expected k nonzeros; with
noisy measurements, where the residual never vanishes, pass ``max_atoms=k``. ``converged`` means the residual
rule was met.
"""

from numerics.backend import namespace_of
from numerics.solvers.base import SolverOutput, SparsityOptions, norm

#: Memory for the u vectors of one block of problems on a shared matrix (batch · max_atoms · n floats).
BLOCK_BYTES = 64 * 2**20


class OMP(SparsityOptions):
    """Batched OMP: ``setup``, ``step`` (add one atom to every unfinished problem), ``run``."""

    name = "omp"
    accepts = ("sparsity", "rtol", "max_atoms", "block_bytes")

    def __init__(self, *, sparsity: int, nonnegative: bool = False, rtol: float = 1e-6,
                 max_atoms: int | None = None, block_bytes: int = BLOCK_BYTES):
        self.sparsity = int(sparsity)
        self.nonnegative = bool(nonnegative)
        self.rtol = float(rtol)
        self.max_atoms = max_atoms
        self.block_bytes = int(block_bytes)
        self.matmul_flops = 0

    def setup(self, operator, y) -> None:
        xp = namespace_of(y)
        batch = y.shape[0]
        self.operator, self.y, self.xp = operator, y, xp
        self.atoms = min(2 * self.sparsity if self.max_atoms is None else int(self.max_atoms), operator.m)
        self.gram_form = operator.shared
        rtol = self.rtol
        if self.gram_form:  # the squared residual resolves ‖r‖₂ down to √ε·‖y‖₂ only (module docstring)
            rtol = max(rtol, 10 * float(xp.finfo(y.dtype).eps) ** 0.5)
        self.target = rtol * norm(y)
        self.active = norm(y) > self.target
        if self.atoms <= 0:
            self.active = xp.zeros_like(self.active)
        self.selected = xp.zeros((batch, operator.n), dtype=xp.bool)
        self.positions = xp.arange(operator.n)
        self.indices, self.used = [], []
        self.iterations = xp.zeros((batch,), dtype=xp.int64)
        self.matmul_flops = operator.matmul_flops(batch) if operator.shared else 0
        if self.gram_form:
            atoms = max(self.atoms, 1)
            self.G = operator.gram()
            self.pivots = xp.linalg.diagonal(self.G)
            self.correlation = operator.adjoint(y)
            self.residual_squared = xp.linalg.vecdot(y, y)
            self.U = xp.zeros((batch, atoms, operator.n), dtype=y.dtype)
            self.R = xp.zeros((batch, atoms, atoms), dtype=y.dtype)
            self.W = xp.zeros((batch, atoms), dtype=y.dtype)
        else:
            self.residual = y
            self.q_columns, self.r_columns = [], []

    def step(self) -> None:
        xp, operator = self.xp, self.operator
        correlation = self.correlation if self.gram_form else operator.adjoint(self.residual)
        score = correlation if self.nonnegative else xp.abs(correlation)
        score = xp.where(self.selected, -1.0, score)
        index = xp.argmax(score, axis=-1)
        active = self.active & (xp.max(score, axis=-1) > 0)
        still = (self.append_gram if self.gram_form else self.append_qr)(index, active, correlation)
        self.indices.append(index)
        self.used.append(active)
        self.selected = self.selected | (active[:, None] & (self.positions[None, :] == index[:, None]))
        self.iterations = self.iterations + xp.astype(active, xp.int64)
        self.active = active & still & (self.iterations < self.atoms)

    def append_qr(self, index, active, correlation):
        """CGS2 step on explicit Q, R (distinct matrices); returns ‖r_{t+1}‖₂ > target per problem."""
        xp, operator = self.xp, self.operator
        batch, t = self.y.shape[0], len(self.q_columns)
        column = operator.columns(index)
        coefficients = xp.zeros((batch, t), dtype=self.y.dtype)
        if t:
            Q = xp.stack(self.q_columns, axis=-1)
            for _ in range(2):
                projection = (xp.matrix_transpose(Q) @ column[..., None])[..., 0]
                column = column - (Q @ projection[..., None])[..., 0]
                coefficients = coefficients + projection
        size = xp.linalg.vector_norm(column, axis=-1, keepdims=True)
        q = xp.where(active[:, None], column / xp.where(size > 0, size, 1.0), 0.0)
        diagonal = xp.where(active[:, None], size, 1.0)
        self.q_columns.append(q)
        self.r_columns.append(xp.concat([xp.where(active[:, None], coefficients, 0.0), diagonal], axis=-1))
        self.residual = self.residual - q * xp.sum(q * self.residual, axis=-1, keepdims=True)
        self.matmul_flops += operator.matmul_flops(batch) + 4 * batch * operator.m * t
        return norm(self.residual) > self.target

    def append_gram(self, index, active, correlation):
        """Inverse-Cholesky step in Gram form (module docstring); returns ‖r_{t+1}‖₂ > target per problem."""
        xp = self.xp
        batch, t, n = self.y.shape[0], len(self.indices), self.operator.n
        row = xp.take(self.G, index, axis=0)
        pivot = xp.take(self.pivots, index, axis=0)
        if t:
            earlier = self.U[:, :t, :]
            gather = xp.broadcast_to(xp.reshape(index, (batch, 1, 1)), (batch, t, 1))
            coefficients = xp.take_along_axis(earlier, gather, axis=2)[..., 0]
            row -= (coefficients[:, None, :] @ earlier)[:, 0, :]
            pivot = pivot - xp.linalg.vecdot(coefficients, coefficients)
            self.R[:, :t, t] = xp.where(active[:, None], coefficients, 0.0)
            self.matmul_flops += 2 * batch * n * t
        active = active & (pivot > 0)
        diagonal = xp.sqrt(xp.where(active, pivot, 1.0))
        u = xp.where(active[:, None], row / diagonal[:, None], 0.0)
        chosen = xp.take_along_axis(correlation, index[:, None], axis=1)[:, 0]
        w = xp.where(active, chosen / diagonal, 0.0)
        self.correlation = correlation - w[:, None] * u
        self.U[:, t, :] = u
        self.R[:, t, t] = diagonal
        self.W[:, t] = w
        self.residual_squared = self.residual_squared - w * w
        return self.residual_squared > self.target * self.target

    def estimate(self):
        """x̂ with x̂_S = R⁻¹ Qᵀ y on each problem's chosen support S."""
        xp, batch = self.xp, self.y.shape[0]
        x = xp.zeros((batch, self.operator.n), dtype=self.y.dtype)
        steps = len(self.indices)
        if not steps:
            return x
        if self.gram_form:
            R, projections = self.R[:, :steps, :steps], self.W[:, :steps, None]
        else:
            Q = xp.stack(self.q_columns, axis=-1)
            R = xp.stack([xp.concat([c, xp.zeros((batch, steps - c.shape[1]), dtype=c.dtype)], axis=-1)
                          for c in self.r_columns], axis=-1)
            projections = xp.matrix_transpose(Q) @ self.y[..., None]
        coefficients = xp.linalg.solve(R, projections)[..., 0]
        for t in range(steps):
            hit = self.used[t][:, None] & (self.positions[None, :] == self.indices[t][:, None])
            x = x + xp.where(hit, coefficients[:, t:t + 1], 0.0)
        return x

    def run(self, operator, y) -> SolverOutput:
        """Solve the batch; on a shared matrix in blocks of at most ``block_bytes`` of u vectors."""
        xp = namespace_of(y)
        atoms = max(1, min(2 * self.sparsity if self.max_atoms is None else int(self.max_atoms), operator.m))
        block = y.shape[0] if not operator.shared else max(1, self.block_bytes // (8 * atoms * operator.n))
        parts, flops = [], 0
        for start in range(0, max(y.shape[0], 1), block):
            parts.append(self.run_block(operator, y[start:min(start + block, y.shape[0]), ...]))
            flops += self.matmul_flops
        if len(parts) == 1:
            return parts[0]
        return SolverOutput(*(xp.concat([getattr(p, name) for p in parts], axis=0)
                              for name in ("x", "iterations", "converged")), flops)

    def run_block(self, operator, y) -> SolverOutput:
        self.setup(operator, y)
        for _ in range(self.atoms):
            if not bool(self.xp.any(self.active)):
                break
            self.step()
        converged = (self.residual_squared <= self.target * self.target if self.gram_form
                     else norm(self.residual) <= self.target)
        return SolverOutput(self.estimate(), self.iterations, converged, self.matmul_flops)
