r"""State evolution of AMP with soft thresholding: the recursion that predicts its error at every iteration.

Donoho, Maleki & Montanari 2009 (PNAS 106:18914, eq. 3-4; proved for Gaussian matrices by Bayati & Montanari
2011, IEEE Trans. Inf. Theory 57:764): for A with i.i.d. N(0, 1/m) entries, δ = m/n, and x with i.i.d. entries
distributed as X, AMP's pseudo-data :math:`x_t + A^T z_t` behaves like :math:`X + \sigma_t Z` with Z ~ N(0, 1)
independent of X, and the effective noise variance follows

.. math:: \sigma^2_{t+1} = \Psi(\sigma^2_t) = \sigma_w^2 + \frac{1}{\delta}\,
          E\big[(\eta(X + \sigma_t Z;\, \alpha\sigma_t) - X)^2\big], \qquad
          \sigma^2_0 = \sigma_w^2 + \frac{E X^2}{\delta},

(x_0 = 0, so z_0 = y and :math:`\|y\|^2/m \to \sigma_w^2 + E X^2/\delta`). The expectation is the predicted
mean-squared error per coordinate,
:math:`\|x_{t+1} - x\|_2^2/n \to E[(\eta(\cdot) - X)^2] = \delta(\sigma^2_{t+1} - \sigma_w^2)`.

Priors (the signal models of the experiments): X = 0 with probability 1 − ε, otherwise N(0, 1) (``"signed"``,
Bernoulli-Gaussian, soft thresholding η(u; θ) = sign(u)(|u| − θ)₊) or Uniform[0, 1) (``"nonneg"``, η(u; θ) = (u − θ)₊).
With ε = ρδ = k/n and α the minimax threshold (:func:`theory.soft_threshold_minimax.amp_threshold_alpha`),
:math:`\Psi(\sigma^2) \approx (M(\epsilon)/\delta)\,\sigma^2` as σ → 0, so the fixed point 0 is stable exactly below the
ℓ1 transition ρ < ρ(δ) (:func:`theory.l1_phase_transition.rho_l1`); above it the iteration settles at σ² > 0.

The error given X = μ is a polynomial in Z on three intervals (both tails past the threshold, and the dead zone
where η = 0), so each moment :math:`E[(\eta(\mu + \sigma Z; \theta) - \mu)^p]` is exact in terms of the truncated
Gaussian moments :math:`M_j(a) = E[Z^j 1\{Z > a\}] = a^{j-1}\phi(a) + (j - 1)M_{j-2}(a)`; the expectation over
the nonzero values μ is by Gauss quadrature (:func:`nonzero_expectation`).

>>> [round(mse, 4) for mse in predicted_mse(0.5, 0.2, "signed", iterations=3)]
[0.1, 0.0451, 0.023, 0.0126]
"""

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from theory.soft_threshold_minimax import amp_threshold_alpha, check_signal
from theory.validation import InvalidParameter, check_positive

#: Relative change of σ² below which :func:`fixed_point` stops, and σ²/σ²₀ below which it calls the fixed point 0.
FIXED_POINT_RTOL = 1e-10
ZERO_LEVEL = 1e-24


def _upper_moments(a, power: int) -> list:
    """[M_0(a), …, M_power(a)] with M_j(a) = E[Z^j 1{Z > a}] (a may be ±inf or an array)."""
    a = np.asarray(a, dtype=float)
    density = np.where(np.isfinite(a), stats.norm.pdf(a), 0.0)
    moments = [special.ndtr(-a), density]
    for j in range(2, power + 1):
        moments.append(np.where(np.isfinite(a), a ** (j - 1), 0.0) * density + (j - 1) * moments[j - 2])
    return moments[: power + 1]


def _tail_moment(a, shift, sigma: float, power: int, upper: bool):
    """E[(σZ + shift)^power 1{Z > a}] (``upper``) or E[(σZ + shift)^power 1{Z < a}], by the binomial expansion."""
    sign = 1.0 if upper else -1.0
    moments = _upper_moments(sign * np.asarray(a, dtype=float), power)  # E[Z^j 1{Z < a}] = (-1)^j M_j(-a)
    return sum(math.comb(power, j) * (sign * sigma) ** j * shift ** (power - j) * moments[j] for j in range(power + 1))


def error_moment(mu, sigma: float, theta: float, signal: str = "signed", power: int = 2):
    r""":math:`E[(\eta(\mu + \sigma Z; \theta) - \mu)^p]` for Z ~ N(0, 1), exactly; ``mu`` may be an array.

    Past the upper threshold (Z > (θ − μ)/σ) the error is σZ − θ; past the lower one (signed only, Z < (−θ − μ)/σ)
    it is σZ + θ; in between (η = 0) it is −μ. At μ = 0 the second moment is κσ²g(α) with α = θ/σ
    (:func:`theory.soft_threshold_minimax.zero_signal_risk_unit`):

    >>> from theory.soft_threshold_minimax import zero_signal_risk_unit, threshold
    >>> g = float(zero_signal_risk_unit(threshold).subs(threshold, 1.5).evalf())
    >>> bool(np.isclose(error_moment(0.0, 2.0, 3.0), 2 * 4.0 * g))
    True
    """
    kappa = check_signal(signal)
    mu = np.asarray(mu, dtype=float)
    upper = (theta - mu) / sigma
    lower = (-theta - mu) / sigma if kappa == 2 else np.full_like(mu, -np.inf)
    dead_zone = special.ndtr(upper) - special.ndtr(lower)
    return (_tail_moment(upper, -theta, sigma, power, upper=True)
            + (_tail_moment(lower, theta, sigma, power, upper=False) if kappa == 2 else 0.0)
            + (-mu) ** power * dead_zone)


#: Pieces the nonzero values' law is integrated on: N(0, 1) on [-12, 12] in steps of 2 (the tails beyond weigh
#: < 1e-32), Uniform on [0, 1].
PIECES = {2: tuple(np.linspace(-12.0, 12.0, 13)), 1: (0.0, 1.0)}
#: Gauss–Legendre nodes per piece, and the half-width (in σ) of the pieces around the kinks at ±θ.
NODES_PER_PIECE = 40
KINK_WIDTH = 10.0


@functools.cache
def _legendre(count: int = NODES_PER_PIECE) -> tuple:
    return special.roots_legendre(count)


def nonzero_expectation(function, signal: str = "signed", kinks=(), width: float = 0.0) -> float:
    """E[function(V)] for the nonzero values V: N(0, 1) (signed) or Uniform[0, 1) (nonneg), by Gauss–Legendre.

    ``function`` takes an array of nodes. The range is cut into pieces at ``kinks`` ± ``width`` (and at the kinks),
    each integrated with :data:`NODES_PER_PIECE` nodes: the error moments change on the scale σ around ±θ and
    are polynomial times density elsewhere. Cross-checked against ``scipy.integrate.quad`` in the tests.

    >>> [round(nonzero_expectation(lambda v: v**2, signal), 12) for signal in ("signed", "nonneg")]
    [1.0, 0.333333333333]
    """
    kappa = check_signal(signal)
    low, high = PIECES[kappa][0], PIECES[kappa][-1]
    cuts = set(PIECES[kappa]) | {min(max(kink + offset, low), high)
                                 for kink in kinks for offset in (-width, 0.0, width)}
    edges = np.array(sorted(cuts))
    nodes, weights = _legendre()
    half = np.diff(edges)[:, None] / 2
    points = (edges[:-1, None] + half * (nodes + 1)).reshape(-1)
    density = stats.norm.pdf(points) if kappa == 2 else np.ones_like(points)
    return float(np.sum((half * weights).reshape(-1) * density * function(points)))


def signal_power(signal: str = "signed") -> float:
    """E[V²] of a nonzero value: 1 for N(0, 1), 1/3 for Uniform[0, 1)."""
    return 1.0 if check_signal(signal) == 2 else 1.0 / 3.0


def prior_error_moment(sigma: float, theta: float, epsilon: float, signal: str = "signed", power: int = 2) -> float:
    """E[(η(X + σZ; θ) − X)^p] with X = 0 w.p. 1 − ε and X ~ the signal's nonzero law otherwise."""
    zero = float(error_moment(0.0, sigma, theta, signal, power))
    nonzero = nonzero_expectation(lambda v: error_moment(v, sigma, theta, signal, power), signal,
                                  kinks=(-theta, theta), width=KINK_WIDTH * sigma)
    return (1 - epsilon) * zero + epsilon * nonzero


@dataclass(frozen=True)
class StateEvolution:
    """The recursion at one (δ, ρ): ε = ρδ, threshold factor α, measurement-noise variance ``noise``."""

    delta: float
    rho: float
    signal: str = "signed"
    alpha: float | None = None
    noise: float = 0.0

    def __post_init__(self):
        check_positive("delta", self.delta)
        if self.alpha is None:
            object.__setattr__(self, "alpha", amp_threshold_alpha(self.delta, self.rho, self.signal))
        if not self.noise >= 0:
            raise InvalidParameter("noise", f"must be a variance >= 0, got {self.noise}")

    @property
    def epsilon(self) -> float:
        """The fraction of nonzero coordinates k/n = ρδ."""
        return self.rho * self.delta

    @property
    def initial_variance(self) -> float:
        """σ²₀ = σ_w² + ε E[V²]/δ (x₀ = 0)."""
        return self.noise + self.epsilon * signal_power(self.signal) / self.delta

    def mse(self, variance: float, power: int = 2) -> float:
        """The predicted E[(η(X + σZ; ασ) − X)^p] of the next estimate at effective noise variance σ² = ``variance``."""
        sigma = math.sqrt(variance)
        if sigma == 0:
            return 0.0
        return prior_error_moment(sigma, self.alpha * sigma, self.epsilon, self.signal, power)

    def psi(self, variance: float) -> float:
        """Ψ(σ²) = σ_w² + mse(σ²)/δ."""
        return self.noise + self.mse(variance) / self.delta

    def variances(self, iterations: int) -> list[float]:
        """[σ²₀, σ²₁, …, σ²_iterations]."""
        sequence = [self.initial_variance]
        for _ in range(iterations):
            sequence.append(self.psi(sequence[-1]))
        return sequence

    def fixed_point(self, max_iterations: int = 100_000) -> float:
        """The σ² the recursion settles at from σ²₀: 0.0 when it falls below ``ZERO_LEVEL``·σ²₀ (noiseless)."""
        variance = self.initial_variance
        for _ in range(max_iterations):
            following = self.psi(variance)
            if following - self.noise <= ZERO_LEVEL * self.initial_variance:
                return self.noise
            if abs(following - variance) <= FIXED_POINT_RTOL * variance:
                return following
            variance = following
        raise ArithmeticError(f"state evolution did not settle in {max_iterations} iterations "
                              f"(delta = {self.delta}, rho = {self.rho}): too close to the transition")


def predicted_mse(delta: float, rho: float, signal: str = "signed", *, iterations: int, alpha: float | None = None,
                  noise: float = 0.0) -> list[float]:
    """The predicted ‖x_t − x‖²/n of AMP for t = 0 … ``iterations`` (t = 0: x₀ = 0, so ε E[V²])."""
    evolution = StateEvolution(delta, rho, signal, alpha, noise)
    return [evolution.epsilon * signal_power(signal)] + [
        evolution.mse(variance) for variance in evolution.variances(iterations)[:-1]]


__all__ = ["StateEvolution", "error_moment", "nonzero_expectation", "predicted_mse", "prior_error_moment",
           "signal_power"]
