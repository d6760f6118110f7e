r"""Scaling laws: loss as a function of parameters N and data D, and what follows from them.

Forms (each written once, here; the fitted constants are inputs with their sources):

* Kaplan et al. 2020 (arXiv:2001.08361) eq. 1.1, :math:`L(N) = (N_c/N)^{\alpha_N}`, and eq. 1.2,
  :math:`L(D) = (D_c/D)^{\alpha_D}`;
* Kaplan et al. 2020 eq. 1.5, :math:`L(N, D) = [(N_c/N)^{\alpha_N/\alpha_D} + D_c/D]^{\alpha_D}`;
* the note's eq. (1) *as printed* (Katta 2024), :math:`[(N_c/N)^{\alpha_N/\alpha_D} + (D_c/D)^{\alpha_D}]^{\alpha_D}`,
  kept as the claim under test;
* Hoffmann et al. 2022 (Chinchilla, arXiv:2203.15556) eq. 2, :math:`L(N, D) = E + A/N^\alpha + B/D^\beta`,
  with training compute :math:`C = 6ND` (Kaplan 2020, Sec. 2.1); two sets of constants for it, Hoffmann's own and
  Besiroglu et al.'s 2024 refit of the same Approach 3 (arXiv:2404.10102), selectable by name (``CHINCHILLA_FITS``).

Derived, not typed in: the compute-optimal allocation under C = 6ND, the shape invariance of the predicted
loss, and the N -> oo limits of eq. 1.5 and of the note's printed eq. (1).

>>> loss_of_parameters()
(N_c/N)**alpha_N
>>> compute_optimal_allocation().n_exponent
beta/(alpha + beta)
>>> note_eq1_limits().printed_limit_n
(D_c/D)**(alpha_D**2)
"""

import functools
from dataclasses import dataclass

import sympy as sp

from theory import symbols
from theory.names import CHINCHILLA_COMPUTE_PRINTED, CHINCHILLA_CONSTANTS
from theory.shapes import KAPLAN_ATTN_RATIO, KAPLAN_FF_RATIO, count_of_shape, parameter_count, width_preserving_layers
from theory.validation import as_exact, check_choice, check_positive, check_positive_exact, parse_rational

#: Parameters N, tokens D, training compute C, and Kaplan's constants (all positive).
N, D, C, N_c, D_c, alpha_N, alpha_D = sp.symbols("N D C N_c D_c alpha_N alpha_D", positive=True)
#: Chinchilla's constants (all positive).
E, A, B, alpha, beta = sp.symbols("E A B alpha beta", positive=True)

#: FLOPs per parameter per token: forward pass 2N, training (forward + backward) 6N (Kaplan 2020, Sec. 2.1).
FORWARD_FLOPS_PER_PARAMETER = sp.Integer(2)
TRAINING_FLOPS_PER_PARAMETER = sp.Integer(6)


def _exact(text: str) -> sp.Rational:
    """A published decimal as an exact rational (0.076 -> 19/250), so limits and ratios stay exact."""
    return parse_rational("constant", text)


@dataclass(frozen=True)
class KaplanFit:
    """Constants of Kaplan's power laws, exact as printed, with where they are printed."""

    name: str
    source: str
    alpha_N: sp.Rational
    N_c: sp.Rational
    alpha_D: sp.Rational
    D_c: sp.Rational

    def substitutions(self) -> dict:
        """Symbol -> value, for ``expr.subs(fit.substitutions())``."""
        return {alpha_N: self.alpha_N, N_c: self.N_c, alpha_D: self.alpha_D, D_c: self.D_c}


@dataclass(frozen=True)
class ChinchillaFit:
    """Constants of the Chinchilla parametric loss, exact as printed, with where they are printed."""

    name: str
    source: str
    E: sp.Rational
    A: sp.Rational
    B: sp.Rational
    alpha: sp.Rational
    beta: sp.Rational

    def substitutions(self) -> dict:
        """Symbol -> value, for ``expr.subs(fit.substitutions())``."""
        return {E: self.E, A: self.A, B: self.B, alpha: self.alpha, beta: self.beta}


#: The single-variable fits L(N) and L(D) (Kaplan et al. 2020, eqs. 1.1 and 1.2).
KAPLAN_SEPARATE = KaplanFit(
    "Kaplan 2020, separate fits", "Kaplan et al. 2020, arXiv:2001.08361, eqs. 1.1 and 1.2",
    alpha_N=_exact("0.076"), N_c=_exact("8.8e13"), alpha_D=_exact("0.095"), D_c=_exact("5.4e13"),
)
#: The joint fit of L(N, D) (Kaplan et al. 2020, eq. 1.5 with the constants of Table 2).
KAPLAN_JOINT = KaplanFit(
    "Kaplan 2020, joint fit", "Kaplan et al. 2020, arXiv:2001.08361, eq. 1.5 and Table 2",
    alpha_N=_exact("0.076"), N_c=_exact("6.4e13"), alpha_D=_exact("0.103"), D_c=_exact("1.8e13"),
)
#: Chinchilla's parametric fit (Hoffmann et al. 2022, Sec. 3.3, Approach 3).
CHINCHILLA = ChinchillaFit(
    "Chinchilla (Approach 3)", "Hoffmann et al. 2022, arXiv:2203.15556, Sec. 3.3 (Approach 3)",
    E=_exact("1.69"), A=_exact("406.4"), B=_exact("410.7"), alpha=_exact("0.34"), beta=_exact("0.28"),
)
#: Besiroglu et al.'s refit of Approach 3 on the 240 points read off Hoffmann's Figure 4 (Huber loss, delta = 1e-3).
BESIROGLU = ChinchillaFit(
    "Besiroglu 2024 replication", "Besiroglu et al. 2024, arXiv:2404.10102 (refit of Hoffmann's Approach 3)",
    E=_exact("1.8172"), A=_exact("482.01"), B=_exact("2085.43"), alpha=_exact("0.3478"), beta=_exact("0.3658"),
)
#: The named constant sets of the Chinchilla loss (``--constants``, keys from :data:`theory.names.CHINCHILLA_CONSTANTS`);
#: the first is the default.
CHINCHILLA_FITS = dict(zip(CHINCHILLA_CONSTANTS, (CHINCHILLA, BESIROGLU), strict=True))


def loss_of_parameters(n=N):
    """Kaplan 2020 eq. 1.1: L(N) = (N_c/N)^alpha_N, data unlimited."""
    return (N_c / n) ** alpha_N


def loss_of_data(d=D):
    """Kaplan 2020 eq. 1.2: L(D) = (D_c/D)^alpha_D, model size unlimited."""
    return (D_c / d) ** alpha_D


def kaplan_joint_loss(n=N, d=D):
    """Kaplan 2020 eq. 1.5: L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D."""
    return ((N_c / n) ** (alpha_N / alpha_D) + D_c / d) ** alpha_D


def note_eq1_printed(n=N, d=D):
    """The note's eq. (1) as printed: [(N_c/N)^(alpha_N/alpha_D) + (D_c/D)^alpha_D]^alpha_D (the claim under test)."""
    return ((N_c / n) ** (alpha_N / alpha_D) + (D_c / d) ** alpha_D) ** alpha_D


def chinchilla_loss(n=N, d=D):
    """Hoffmann et al. 2022 eq. 2: L(N, D) = E + A/N^alpha + B/D^beta."""
    return E + A / n**alpha + B / d**beta


def forward_flops_per_token(n=N):
    """Forward-pass FLOPs per token, 2N (Kaplan 2020, Sec. 2.1)."""
    return FORWARD_FLOPS_PER_PARAMETER * n


def training_compute(n=N, d=D):
    """Training FLOPs C = 6ND: 6N per token (forward and backward) over D tokens (Kaplan 2020, Sec. 2.1)."""
    return TRAINING_FLOPS_PER_PARAMETER * n * d


# --------------------------------------------------------------------------------------------------------------
# Chinchilla: the compute-optimal allocation


@dataclass(frozen=True)
class ComputeOptimal:
    """The allocation minimising the Chinchilla loss on the constraint C = 6ND, as functions of C.

    ``n_opt = n_coefficient * C**n_exponent`` and likewise for D (Chinchilla writes
    ``N_opt = G (C/6)^a``; ``G`` is ``chinchilla_g``). ``curvature`` is d^2L/dN^2 along the constraint at any
    stationary point, positive, so the stationary point is the minimum.
    """

    n_opt: sp.Expr
    d_opt: sp.Expr
    loss_opt: sp.Expr
    n_exponent: sp.Expr
    d_exponent: sp.Expr
    n_coefficient: sp.Expr
    d_coefficient: sp.Expr
    chinchilla_g: sp.Expr
    curvature: sp.Expr

    def at_compute(self, compute) -> dict:
        """Numbers at a compute budget (FLOPs): parameters, tokens, predicted loss (needs a numeric fit)."""
        # evalf(subs=...) evaluates numerically; subs() would first try exact powers of a possibly huge rational.
        values = {name: getattr(self, name).evalf(15, subs={C: sp.sympify(compute)}) for name in ("n_opt", "d_opt", "loss_opt")}
        return {"compute": sp.sympify(compute), "parameters": values["n_opt"], "tokens": values["d_opt"], "loss": values["loss_opt"]}


def compute_optimal_allocation(fit: ChinchillaFit | None = None) -> ComputeOptimal:
    """Minimise E + A/N^alpha + B/D^beta subject to 6ND = C; symbolic, or at ``fit``'s constants.

    D is eliminated with the constraint, dL/dN = 0 is solved for N; each exponent is the log-derivative
    d log N_opt / d log C (constant, so N_opt is a power of C) and each coefficient is the value at C = 1.

    >>> opt = compute_optimal_allocation(CHINCHILLA)
    >>> opt.n_exponent, opt.d_exponent
    (14/31, 17/31)
    """
    general = _derive_allocation()
    if fit is None:
        return general
    values = fit.substitutions()
    return ComputeOptimal(*(sp.simplify(getattr(general, name).subs(values)) for name in ComputeOptimal.__dataclass_fields__))


@functools.cache
def _derive_allocation() -> ComputeOptimal:
    tokens_on_constraint = sp.solve(sp.Eq(training_compute(N, D), C), D)[0]
    loss_on_constraint = chinchilla_loss(N, tokens_on_constraint)
    slope = sp.diff(loss_on_constraint, N)
    (n_opt,) = sp.solve(slope, N)
    d_opt = sp.simplify(tokens_on_constraint.subs(N, n_opt))
    n_exponent = sp.simplify(C * sp.diff(n_opt, C) / n_opt)
    d_exponent = sp.simplify(C * sp.diff(d_opt, C) / d_opt)
    # At a stationary point (slope = 0) the curvature equals N L'' - (beta - 1) L', divided by N.
    curvature = sp.simplify((N * sp.diff(loss_on_constraint, N, 2) - (beta - 1) * slope) / N)
    return ComputeOptimal(
        n_opt=n_opt, d_opt=d_opt, loss_opt=sp.simplify(loss_on_constraint.subs(N, n_opt)),
        n_exponent=n_exponent, d_exponent=d_exponent,
        n_coefficient=sp.simplify(n_opt.subs(C, 1)), d_coefficient=sp.simplify(d_opt.subs(C, 1)),
        chinchilla_g=sp.simplify(n_opt.subs(C, TRAINING_FLOPS_PER_PARAMETER)), curvature=curvature,
    )


# --------------------------------------------------------------------------------------------------------------
# Shape invariance: the loss depends on the shape only through N

#: Laws that predict loss from N (and D): name -> (description, function of N).
LAWS = {
    "kaplan_n": ("Kaplan L(N), eq. 1.1", loss_of_parameters),
    "kaplan_nd": ("Kaplan L(N, D), eq. 1.5", kaplan_joint_loss),
    "chinchilla": ("Chinchilla L(N, D)", chinchilla_loss),
}


@dataclass(frozen=True)
class ShapeInvariance:
    """A law's loss at Model A = (d_model, n_layer) and Model B = (k d_model, equal-N layers).

    ``difference`` is L_B - L_A simplified; ``jacobian`` is the determinant of d(L, N)/d(d_model, n_layer),
    zero exactly when L depends on the shape only through N.
    """

    law: str
    description: str
    k: sp.Expr
    loss_model_a: sp.Expr
    loss_model_b: sp.Expr
    difference: sp.Expr
    jacobian: sp.Expr

    @property
    def holds(self) -> bool:
        return self.difference == 0 and self.jacobian == 0


def loss_of_shape(law: str, d_model=symbols.d_model, n_layer=symbols.n_layer,
                  attn_ratio=KAPLAN_ATTN_RATIO, ff_ratio=KAPLAN_FF_RATIO, parameter_count=parameter_count):
    """The law's loss with N = N(d_model, n_layer) substituted (Kaplan eq. 2.1 unless ``parameter_count`` is given).

    >>> loss_of_shape("kaplan_n")
    (N_c/(12*d_model**2*n_layer))**alpha_N
    """
    return LAWS[law][1](count_of_shape(parameter_count, attn_ratio, ff_ratio)(d_model, n_layer))


def shape_invariance(law: str = "kaplan_nd", k=symbols.k, attn_ratio=symbols.attn_ratio,
                     ff_ratio=symbols.ff_ratio, parameter_count=parameter_count) -> ShapeInvariance:
    """Check that the width-k shape change leaves the law's predicted loss unchanged.

    Model B's layers are solved from ``parameter_count`` (Kaplan's by default), so this holds for any count:
    a law of N alone is shape-invariant at fixed N by construction.

    >>> result = shape_invariance("chinchilla")
    >>> result.difference, result.jacobian
    (0, 0)
    """
    d, layers = symbols.d_model, symbols.n_layer
    loss_a = loss_of_shape(law, d, layers, attn_ratio, ff_ratio, parameter_count)
    layers_b = width_preserving_layers(symbols.k, attn_ratio, ff_ratio, parameter_count).subs(symbols.k, k)
    loss_b = loss_of_shape(law, k * d, layers_b, attn_ratio, ff_ratio, parameter_count)
    count = count_of_shape(parameter_count, attn_ratio, ff_ratio)(d, layers)
    jacobian = sp.Matrix([[sp.diff(loss_a, d), sp.diff(loss_a, layers)], [sp.diff(count, d), sp.diff(count, layers)]]).det()
    return ShapeInvariance(law, LAWS[law][0], sp.sympify(k), loss_a, loss_b, sp.simplify(loss_b - loss_a), sp.simplify(jacobian))


# --------------------------------------------------------------------------------------------------------------
# The note's eq. (1) against Kaplan's eq. 1.5: the limits


@dataclass(frozen=True)
class Eq1Limits:
    """Limits of Kaplan's eq. 1.5 and of the note's printed eq. (1) as N -> oo and D -> oo.

    The printed form's N -> oo limit is compared with L(D) = (D_c/D)^alpha_D: ``printed_matches_loss_of_data``
    is False when they differ, ``ratio_to_loss_of_data`` shows by how much, and ``agree_only_at`` lists the D
    where the two are equal.
    """

    kaplan_form: sp.Expr
    printed_form: sp.Expr
    kaplan_limit_n: sp.Expr
    printed_limit_n: sp.Expr
    kaplan_limit_d: sp.Expr
    printed_limit_d: sp.Expr
    loss_of_data: sp.Expr
    loss_of_parameters: sp.Expr
    ratio_to_loss_of_data: sp.Expr
    agree_only_at: tuple

    @property
    def kaplan_matches_loss_of_data(self) -> bool:
        return sp.simplify(self.kaplan_limit_n - self.loss_of_data) == 0

    @property
    def printed_matches_loss_of_data(self) -> bool:
        return sp.simplify(self.printed_limit_n - self.loss_of_data) == 0

    @property
    def printed_matches_loss_of_parameters(self) -> bool:
        return sp.simplify(self.printed_limit_d - self.loss_of_parameters) == 0


@functools.cache
def note_eq1_limits() -> Eq1Limits:
    """SymPy's limits of both forms, for symbolic positive constants.

    >>> limits = note_eq1_limits()
    >>> limits.kaplan_matches_loss_of_data, limits.printed_matches_loss_of_data, limits.agree_only_at
    (True, False, (D_c,))
    """
    kaplan, printed = kaplan_joint_loss(), note_eq1_printed()
    printed_limit_n = sp.limit(printed, N, sp.oo)
    return Eq1Limits(
        kaplan_form=kaplan, printed_form=printed,
        kaplan_limit_n=sp.limit(kaplan, N, sp.oo), printed_limit_n=printed_limit_n,
        kaplan_limit_d=sp.limit(kaplan, D, sp.oo), printed_limit_d=sp.limit(printed, D, sp.oo),
        loss_of_data=loss_of_data(), loss_of_parameters=loss_of_parameters(),
        ratio_to_loss_of_data=sp.powsimp(printed_limit_n / loss_of_data(), force=True),
        agree_only_at=tuple(sp.solve(sp.Eq(printed_limit_n, loss_of_data()), D)),
    )


def eq1_limit_values(fit: KaplanFit = KAPLAN_JOINT, tokens=10**10) -> dict:
    """The N -> oo limits at ``fit``'s constants and ``tokens`` of data: printed form vs L(D).

    >>> values = eq1_limit_values()
    >>> round(float(values["loss_of_data"]), 3), round(float(values["printed_limit_n"]), 3)
    (2.164, 1.083)
    """
    limits = note_eq1_limits()
    values = {**fit.substitutions(), D: sp.sympify(tokens)}
    return {
        "tokens": sp.sympify(tokens),
        "loss_of_data": limits.loss_of_data.evalf(15, subs=values),
        "kaplan_limit_n": limits.kaplan_limit_n.evalf(15, subs=values),
        "printed_limit_n": limits.printed_limit_n.evalf(15, subs=values),
    }


# --------------------------------------------------------------------------------------------------------------
# Everything at once, for the command line and the proofs

#: Chinchilla's own training budget in FLOPs (Hoffmann et al. 2022, Sec. 4), the default evaluation point.
CHINCHILLA_COMPUTE = _exact(CHINCHILLA_COMPUTE_PRINTED)
#: The Chinchilla model itself: 70e9 parameters trained on 1.4e12 tokens (Hoffmann et al. 2022, Sec. 4.1).
CHINCHILLA_MODEL = (_exact("70e9"), _exact("1.4e12"))


@dataclass(frozen=True)
class FitComparison:
    """One named constant set: its compute-optimal exponents and its optimum at the Chinchilla model's compute
    6 * 70e9 * 1.4e12 = 5.88e23 FLOPs (``at_model_compute``, with ``tokens_per_parameter`` = D_opt / N_opt)."""

    key: str
    fit: ChinchillaFit
    allocation: ComputeOptimal
    at_model_compute: dict

    @property
    def tokens_per_parameter(self):
        return self.at_model_compute["tokens"] / self.at_model_compute["parameters"]


def compare_fits() -> tuple:
    """Every named Chinchilla constant set at the Chinchilla model's own compute.

    >>> [(row.key, round(float(row.allocation.n_exponent), 4)) for row in compare_fits()]
    [('hoffmann', 0.4516), ('besiroglu', 0.5126)]
    """
    compute = training_compute(*CHINCHILLA_MODEL)
    rows = []
    for key, fit in CHINCHILLA_FITS.items():
        allocation = compute_optimal_allocation(fit)
        rows.append(FitComparison(key, fit, allocation, allocation.at_compute(compute)))
    return tuple(rows)


@dataclass(frozen=True)
class ScalingLawDerivation:
    """The scaling-law results for width factor ``k``, a compute budget (FLOPs) and the Chinchilla constant set
    ``constants`` (a key of ``CHINCHILLA_FITS``; ``allocation_chinchilla`` is at that set, ``fits`` compares all)."""

    k: sp.Expr
    compute: sp.Expr
    constants: str
    fit: ChinchillaFit
    allocation: ComputeOptimal
    allocation_chinchilla: ComputeOptimal
    allocation_at_compute: dict
    invariance: tuple
    limits: Eq1Limits
    limit_values: dict
    fits: tuple


def derive_scaling_laws(k=symbols.k, compute=CHINCHILLA_COMPUTE, constants="hoffmann") -> ScalingLawDerivation:
    """Allocation (symbolic and at Chinchilla's constants), shape invariance of every law, eq. (1) limits.

    >>> result = derive_scaling_laws(k=2)
    >>> all(check.holds for check in result.invariance), result.limits.printed_matches_loss_of_data
    (True, False)
    """
    k = check_positive_exact("k", k)
    compute = check_positive("compute", as_exact("compute", compute))
    fit = CHINCHILLA_FITS[check_choice("constants", constants, CHINCHILLA_FITS)]
    chinchilla = compute_optimal_allocation(fit)
    return ScalingLawDerivation(
        k=k, compute=compute, constants=constants, fit=fit,
        allocation=compute_optimal_allocation(), allocation_chinchilla=chinchilla,
        allocation_at_compute=chinchilla.at_compute(compute),
        invariance=tuple(shape_invariance(law, k) for law in LAWS),
        limits=note_eq1_limits(), limit_values=eq1_limit_values(), fits=compare_fits(),
    )
