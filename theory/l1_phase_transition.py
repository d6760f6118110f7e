r"""The ℓ1 (basis pursuit) phase transition of Donoho, Maleki & Montanari, and the capacity it implies.

Donoho, Maleki & Montanari 2009 (PNAS 106:18914, eq. 5; equal to the Donoho–Tanner weak threshold) give the largest
recoverable sparsity :math:`\rho = k/m` at undersampling :math:`\delta = m/n` as

.. math:: \rho(\delta; \kappa) = \max_{z \ge 0}
          \frac{1 - (\kappa/\delta)\, g(z)}{1 + z^2 - \kappa\, g(z)}, \qquad
          g(z) = (1 + z^2)\Phi(-z) - z\phi(z),

with :math:`\kappa = 2` for signed and :math:`\kappa = 1` for nonnegative signals (the formula is the input; g is
:func:`theory.soft_threshold_minimax.zero_signal_risk_unit`). The stationarity condition
:math:`\partial_z(\cdot) = 0` is linear in :math:`1/\delta`; SymPy solves it and substitutes back, giving the
transition in parametric form (the maximiser z is the minimax threshold, here the symbol ``lambda``):

.. math:: \delta(z) = \frac{\kappa\phi(z)}{z + \kappa(\phi(z) - z\Phi(-z))}, \qquad
          \rho(z) = 1 - \frac{z\,\Phi(-z)}{\phi(z)}.

:math:`\delta(z)` falls from 1 at z = 0 to 0, so :func:`rho_l1` finds the z with :math:`\delta(z) = \delta` by Brent's
method (to machine precision) and returns :math:`\rho(z)`.

Superposition (Katta 2024): a layer of m neurons storing n features, each active with probability
:math:`p = 1 - S = k/n`, is at the ℓ1 limit when :math:`p = \rho(\delta)\,\delta`; the largest number of features per
neuron ℓ1 recovers is :math:`f_{\ell_1}(p) = n/m = 1/\delta^*` with :math:`\delta^* \rho(\delta^*) = p`
(:func:`f_l1`).

Small p (derived here by SymPy limits as z → ∞, for any kappa): :math:`\rho(\delta) \sim 1/(2\ln(1/\delta))` and
:math:`f_{\ell_1}(p) \sim c/(p\ln(1/p))` with :math:`c = 1/2` for signed and nonnegative signals alike: half the
note's :math:`f(p) = -1/(p\ln p)`, reached only very slowly: :math:`f_{\ell_1}/f` is 0.75 (signed) and 0.88
(nonnegative) at p = 0.01, 0.61 and 0.63 at p = 1e-10, 0.52 at p = 1e-100.

>>> round(rho_l1(0.5, "signed"), 4), round(rho_l1(0.5, "nonneg"), 4), round(rho_l1(0.19), 4)
(0.3857, 0.5582, 0.2383)
>>> transition_sparsity()
-lambda*Phi(-lambda)/phi(lambda) + 1
"""

import functools

import numpy as np
import sympy as sp

from theory.soft_threshold_minimax import (
    SIGNALS,
    check_signal,
    kappa,
    lambdified,
    solve_on_curve,
    threshold,
    tidy,
    zero_signal_risk_unit,
)
from theory.validation import parse_float

__all__ = [
    "SIGNALS", "delta", "density", "dmm_objective", "transition_undersampling", "transition_sparsity",
    "transition_density", "parametric_curve", "rho_l1", "f_l1", "small_delta_constant", "asymptotic_constant",
    "rho_l1_asymptotic", "f_l1_asymptotic",
]

delta = sp.Symbol("delta", positive=True)
density = sp.Symbol("p", positive=True)


def dmm_objective() -> sp.Expr:
    r"""DMM 2009 eq. 5: the function of the threshold z (``lambda``) whose maximum over z >= 0 is rho(delta)."""
    g = zero_signal_risk_unit(threshold)
    return (1 - kappa / delta * g) / (1 + threshold**2 - kappa * g)


@functools.cache
def transition_undersampling() -> sp.Expr:
    r""":math:`\delta(z)`: the undersampling at which z maximises eq. 5 (its stationarity condition solved for delta).

    >>> transition_undersampling()
    kappa*phi(lambda)/(kappa*(-lambda*Phi(-lambda) + phi(lambda)) + lambda)
    """
    numerator, _ = sp.fraction(sp.together(sp.diff(dmm_objective(), threshold)))
    (solution,) = sp.solve(numerator, delta)
    return tidy(solution)


@functools.cache
def transition_sparsity() -> sp.Expr:
    r""":math:`\rho(z)`: eq. 5 at its maximiser, i.e. with :math:`\delta = \delta(z)` substituted (kappa drops out)."""
    return sp.expand(sp.simplify(dmm_objective().subs(delta, transition_undersampling())))


@functools.cache
def transition_density() -> sp.Expr:
    r""":math:`p(z) = \delta(z)\rho(z) = k/n`, the feature density at the transition point of threshold z.

    >>> transition_density()
    kappa*(-lambda*Phi(-lambda) + phi(lambda))/(kappa*(-lambda*Phi(-lambda) + phi(lambda)) + lambda)
    """
    return tidy(transition_undersampling() * transition_sparsity())


@functools.cache
def _numeric(name: str):
    expression = {"delta": transition_undersampling, "rho": transition_sparsity, "p": transition_density}[name]()
    return lambdified(expression, threshold, kappa)


def parametric_curve(z, signal: str = "signed") -> tuple[np.ndarray, np.ndarray]:
    """The transition as arrays (delta(z), rho(z)) at thresholds ``z`` >= 0: no root finding, for plotting.

    >>> d, r = parametric_curve(np.array([0.0, 1.0]), "signed")
    >>> d.round(4).tolist(), r.round(4).tolist()
    ([1.0, 0.4148], [1.0, 0.3443])
    """
    kap = check_signal(signal)
    z = np.asarray(z, dtype=float)
    rho_of_z = np.broadcast_to(_numeric("rho")(z, kap), z.shape)
    return np.asarray(_numeric("delta")(z, kap), dtype=float), np.asarray(rho_of_z, dtype=float)


def _solve_on_curve(name: str, value: float, kap: int) -> float:
    """The threshold z at which the decreasing curve ``name`` (delta(z) or p(z)) equals ``value`` (validated)."""
    return solve_on_curve(name, value, lambda z: _numeric(name)(z, kap))


@functools.lru_cache(maxsize=4096)
def _rho_l1(value: float, signal: str) -> float:
    kap = check_signal(signal)
    z = _solve_on_curve("delta", value, kap)
    return float(_numeric("rho")(z, kap))


def rho_l1(delta: float, signal: str = "signed") -> float:
    r"""The ℓ1 weak threshold :math:`\rho(\delta) = k/m` at undersampling ``delta`` = m/n in (0, 1].

    ``signal`` is ``"signed"`` (kappa = 2) or ``"nonneg"`` (kappa = 1). Brent's method on the parametric form, cached.
    Relative accuracy about (z^2 + 3) machine epsilons (1e-14 for delta >= 1e-6); near delta = 1, where
    rho = 1 - O(sqrt(1 - delta)), the rounding of delta itself dominates. Deltas below about 1e-299 (float64
    underflow of phi) are refused.

    >>> rho_l1(1.0)
    1.0
    >>> rho_l1(0.0)
    Traceback (most recent call last):
    ...
    theory.validation.InvalidParameter: delta must lie in (0, 1], got 0.0
    """
    return _rho_l1(parse_float("delta", delta), signal)


@functools.lru_cache(maxsize=4096)
def _f_l1(value: float, signal: str) -> float:
    kap = check_signal(signal)
    z = _solve_on_curve("p", value, kap)
    return 1.0 / float(_numeric("delta")(z, kap))


def f_l1(p: float, signal: str = "signed") -> float:
    r"""The ℓ1 capacity :math:`f_{\ell_1}(p) = n/m = 1/\delta^*`, where :math:`\delta^*\rho(\delta^*) = p`.

    ``p`` = 1 - S = k/n is the feature density in (0, 1]. Solved in one root finding along the parametric curve
    (:math:`p(z) = \delta(z)\rho(z)` decreases from 1 to 0), then :math:`\delta^* = \delta(z^*)`. Cached.

    >>> round(f_l1(0.1, "signed"), 4), round(f_l1(0.1, "nonneg"), 4)
    (3.0414, 3.7693)
    >>> f_l1(1.0)
    1.0
    """
    return _f_l1(parse_float("p", p), signal)


def _limit_at_large_threshold(expression: sp.Expr) -> sp.Expr:
    return sp.limit(expression.rewrite(sp.erfc), threshold, sp.oo)


@functools.cache
def small_delta_constant() -> sp.Expr:
    r""":math:`\lim_{\delta\to 0} \rho(\delta)\ln(1/\delta)`, by SymPy along the curve (z → ∞), for any kappa.

    >>> small_delta_constant()
    1/2
    """
    return _limit_at_large_threshold(transition_sparsity() * sp.log(1 / transition_undersampling()))


@functools.cache
def asymptotic_constant() -> sp.Expr:
    r"""The constant c of :math:`f_{\ell_1}(p) \sim c/(p\ln(1/p))` as p → 0: :math:`\lim p\ln(1/p) f_{\ell_1}(p)`.

    Along the curve :math:`p\,f_{\ell_1} = \rho`, so :math:`c = \lim \rho\ln(1/p) = \lim \rho\ln(1/\delta) +
    \lim \rho\ln(1/\rho)`: the first limit is :func:`small_delta_constant`, the second is
    :math:`\lim_{u\to 0^+} u\ln(1/u) = 0` because :math:`\rho(z) \to 0`. SymPy finds c = 1/2 for every kappa (signed
    and nonnegative alike). Compared with the note's :math:`f(p) = -1/(p\ln p)` (constant 1), ℓ1 stores half as many
    features per neuron in the limit of very sparse features.

    >>> asymptotic_constant()
    1/2
    """
    u = sp.Symbol("u", positive=True)
    correction = sp.limit(u * sp.log(1 / u), u, _limit_at_large_threshold(transition_sparsity()), "+")
    return small_delta_constant() + correction


def rho_l1_asymptotic(delta_value=delta) -> sp.Expr:
    r"""The leading small-delta form :math:`\rho(\delta) \sim c/\ln(1/\delta)`, c from :func:`small_delta_constant`.

    >>> rho_l1_asymptotic()
    1/(2*log(1/delta))
    """
    return small_delta_constant() / sp.log(1 / sp.sympify(delta_value))


def f_l1_asymptotic(p=density, signal: str = "signed") -> sp.Expr:
    r"""The leading small-p form :math:`f_{\ell_1}(p) \sim c/(p\ln(1/p))` (c = 1/2, the same for both signals).

    Works on a symbol or a number; ``signal`` is validated (the constant does not depend on kappa).

    >>> f_l1_asymptotic()
    1/(2*p*log(1/p))
    >>> round(float(f_l1_asymptotic(sp.Rational(1, 100), "nonneg")), 13)
    10.8573620475813
    """
    check_signal(signal)
    p = sp.sympify(p)
    return asymptotic_constant() / (p * sp.log(1 / p))
