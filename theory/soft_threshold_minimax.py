r"""Soft thresholding at its minimax threshold: the risk behind AMP and the ℓ1 phase transition.

Soft thresholding :math:`\eta(x; \lambda) = \operatorname{sign}(x)(|x| - \lambda)_+` (and its nonnegative version
:math:`\eta^+(x; \lambda) = (x - \lambda)_+`) estimates a signal :math:`\mu` from :math:`x = \mu + Z`,
:math:`Z \sim N(0, 1)`. Over the :math:`\epsilon`-sparse priors :math:`\{\nu : \nu(\{0\}) \ge 1 - \epsilon\}` the
worst case puts the mass :math:`\epsilon` at infinity (Donoho & Johnstone 1994, Biometrika 81:425; Donoho, Maleki &
Montanari 2009, PNAS 106:18914, "minimax thresholding"), so the maximal risk is

.. math:: R(\epsilon, \lambda) = (1 - \epsilon)\,\kappa\,g(\lambda) + \epsilon\,(1 + \lambda^2),
          \qquad g(\lambda) = (1 + \lambda^2)\,\Phi(-\lambda) - \lambda\,\phi(\lambda) = E (Z - \lambda)_+^2,

with :math:`\kappa = 2` for signed signals (both tails of Z survive the threshold) and :math:`\kappa = 1` for
nonnegative ones; :math:`1 + \lambda^2` is the risk at an infinitely large signal (bias :math:`\lambda`, variance 1).
The minimax risk is :math:`M(\epsilon) = \min_\lambda R(\epsilon, \lambda)`. Setting :math:`\partial_\lambda R = 0`
is linear in :math:`\epsilon`; SymPy solves it for the sparsity at which a threshold is minimax,

.. math:: \epsilon(\lambda) = \frac{\kappa\,(\phi(\lambda) - \lambda\Phi(-\lambda))}
                                   {\lambda + \kappa\,(\phi(\lambda) - \lambda\Phi(-\lambda))},

which decreases from 1 at :math:`\lambda = 0` to 0, so the minimax threshold :math:`\lambda^*(\epsilon)` is the root of
:math:`\epsilon(\lambda) = \epsilon`, found with a bracketing root finder (Brent) to machine precision.

>>> result = minimax_threshold(0.1, "signed")
>>> round(result.alpha, 4), round(result.risk, 4)
(1.1402, 0.3288)
>>> minimax_sparsity()
kappa*(-lambda*Phi(-lambda) + phi(lambda))/(kappa*(-lambda*Phi(-lambda) + phi(lambda)) + lambda)
"""

import functools
import math
from typing import NamedTuple

import numpy as np
import scipy.special
import sympy as sp
from scipy.optimize import brentq

from theory.validation import InvalidParameter, check_choice, check_in_interval, check_positive, parse_float

#: Signal classes: signed values, or nonnegative values (Donoho, Maleki & Montanari 2009, eq. 5).
SIGNALS = ("signed", "nonneg")

#: kappa per signal class: how many tails of the noise survive the threshold (DMM 2009, eq. 5).
KAPPA = {"signed": 2, "nonneg": 1}

threshold = sp.Symbol("lambda", nonnegative=True)
epsilon = sp.Symbol("epsilon", positive=True)
kappa = sp.Symbol("kappa", positive=True)

#: Largest threshold the float64 numerics use: phi(37) ~ 1e-298 is still a normal double, so every formula is
#: finite on [0, Z_MAX]; it bounds epsilon, delta and density from below at about 1e-298.
Z_MAX = 37.0

#: Tolerances of the Brent root finder: the relative one is the smallest scipy allows (4 machine epsilons).
_XTOL = 1e-300
_RTOL = 4 * np.finfo(float).eps


class _GaussianFunction(sp.Function):
    """What the Gaussian pieces share: exact evaluation through their erfc form, positivity on the real line, and
    printing as ``name(argument)`` (the tail prints its argument negated, as DMM write it: Phi(-x))."""

    _names = ("", "")  # (plain text, LaTeX)
    _printed_sign = 1

    def _eval_evalf(self, prec):
        return self.rewrite(sp.erfc)._eval_evalf(prec)

    def _eval_is_positive(self):
        return self.args[0].is_extended_real

    def _sympystr(self, printer):
        return f"{self._names[0]}({printer.doprint(self._printed_sign * self.args[0])})"

    def _latex(self, printer):
        return rf"{self._names[1]}\left({printer.doprint(self._printed_sign * self.args[0])}\right)"


class GaussianDensity(_GaussianFunction):
    r"""The standard normal density :math:`\phi(x) = e^{-x^2/2}/\sqrt{2\pi}`, kept unevaluated for readable algebra.

    >>> x = sp.Symbol("x")
    >>> sp.diff(GaussianDensity(x), x)
    -x*phi(x)
    >>> GaussianDensity(0).evalf(6), sp.latex(GaussianDensity(x))
    (0.398942, '\\phi\\left(x\\right)')
    """

    _names = ("phi", r"\phi")
    _imp_ = staticmethod(lambda x: np.exp(-np.square(x) / 2) / math.sqrt(2 * math.pi))

    def fdiff(self, argindex=1):
        return -self.args[0] * self

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)

    _eval_rewrite_as_erfc = _eval_rewrite_as_exp


class GaussianTail(_GaussianFunction):
    r"""The standard normal upper tail :math:`\Phi(-x) = \operatorname{erfc}(x/\sqrt 2)/2`, kept unevaluated.

    Evaluated numerically as ``scipy.special.ndtr(-x)``, accurate in the far tail (no ``1 - Phi(x)`` cancellation).

    >>> x = sp.Symbol("x")
    >>> sp.diff(GaussianTail(x), x)
    -phi(x)
    >>> GaussianTail(0).evalf(), sp.latex(GaussianTail(x))
    (0.500000000000000, '\\Phi\\left(- x\\right)')
    """

    _names = ("Phi", r"\Phi")
    _printed_sign = -1
    _imp_ = staticmethod(lambda x: scipy.special.ndtr(-np.asarray(x, dtype=float)))

    def fdiff(self, argindex=1):
        return -GaussianDensity(self.args[0])

    def _eval_rewrite_as_erfc(self, x, **kwargs):
        return sp.erfc(x / sp.sqrt(2)) / 2


def _mills_ratio(x):
    return math.sqrt(math.pi / 2) * scipy.special.erfcx(np.asarray(x, dtype=float) / math.sqrt(2))


class GaussianMillsRatio(_GaussianFunction):
    r"""Mills' ratio :math:`R(x) = \Phi(-x)/\phi(x)`, evaluated as ``sqrt(pi/2) * erfcx(x/sqrt(2))``.

    Only numerics use it: :func:`lambdified` writes :math:`\Phi(-x) = R(x)\phi(x)`, so that ratios such as
    :math:`\Phi(-z)/\phi(z)` cancel symbolically instead of being divided in floating point (where the relative error
    of :math:`e^{-z^2/2}` grows like :math:`z^2` machine epsilons).

    >>> GaussianMillsRatio(0).evalf(6)
    1.25331
    """

    _names = ("R", "R")
    _imp_ = staticmethod(_mills_ratio)

    def _eval_rewrite_as_erfc(self, x, **kwargs):
        return GaussianTail(x).rewrite(sp.erfc) / GaussianDensity(x).rewrite(sp.exp)


def zero_signal_risk_unit(x=threshold) -> sp.Expr:
    r"""DMM's :math:`g(x) = (1 + x^2)\Phi(-x) - x\phi(x)`, the risk :math:`E(Z - x)_+^2` of one noise tail.

    Source: Donoho, Maleki & Montanari 2009, eq. 5. The risk of soft thresholding a zero signal is
    :math:`\kappa g(\lambda)`; the tests derive the identity with :math:`E (Z - \lambda)_+^2` by integration.

    >>> zero_signal_risk_unit(0).evalf(6)
    0.500000
    """
    return (1 + x**2) * GaussianTail(x) - x * GaussianDensity(x)


def maximal_risk() -> sp.Expr:
    r""":math:`R(\epsilon, \lambda) = (1 - \epsilon)\kappa g(\lambda) + \epsilon(1 + \lambda^2)`: the worst-case MSE
    of soft thresholding over :math:`\epsilon`-sparse priors (Donoho & Johnstone 1994; DMM 2009)."""
    return (1 - epsilon) * kappa * zero_signal_risk_unit(threshold) + epsilon * (1 + threshold**2)


@functools.cache
def minimax_sparsity() -> sp.Expr:
    r"""The sparsity :math:`\epsilon(\lambda)` at which :math:`\lambda` minimises the maximal risk (solved by SymPy)."""
    (solution,) = sp.solve(sp.diff(maximal_risk(), threshold), epsilon)
    return tidy(solution)


@functools.cache
def minimax_risk_at_threshold() -> sp.Expr:
    r"""The minimax risk as a function of the minimax threshold: :math:`M = R(\epsilon(\lambda), \lambda)`.

    SymPy simplifies it to :math:`\kappa\phi(\lambda) / (\lambda + \kappa(\phi(\lambda) - \lambda\Phi(-\lambda)))`,
    the same curve as the undersampling :math:`\delta(z)` of the ℓ1 phase transition
    (:mod:`theory.l1_phase_transition`): the transition is where the minimax risk equals :math:`\delta`.

    >>> minimax_risk_at_threshold()
    kappa*phi(lambda)/(kappa*(-lambda*Phi(-lambda) + phi(lambda)) + lambda)
    """
    return tidy(sp.simplify(maximal_risk().subs(epsilon, minimax_sparsity())))


def tidy(expr: sp.Expr) -> sp.Expr:
    """``expr`` as one fraction with a positive-looking denominator and kappa collected (for readable output).

    >>> tidy(kappa / (-threshold - 1))
    -kappa/(lambda + 1)
    """
    numerator, denominator = sp.fraction(sp.factor(expr))
    if denominator.could_extract_minus_sign():
        numerator, denominator = -numerator, -denominator
    return sp.collect(sp.expand(numerator), kappa) / sp.collect(sp.expand(denominator), kappa)


def lambdified(expr: sp.Expr, *args: sp.Symbol):
    """A NumPy/SciPy function of ``args`` evaluating ``expr``, with the tail written as Mills' ratio times the density.

    >>> lambdified(GaussianTail(threshold) / GaussianDensity(threshold), threshold)(40.0).round(6)
    np.float64(0.024984)
    """
    accurate = expr.replace(GaussianTail, lambda x: GaussianMillsRatio(x) * GaussianDensity(x))
    return sp.lambdify(args, accurate, modules=["scipy", "numpy"])


@functools.cache
def _numeric_sparsity():
    return lambdified(minimax_sparsity(), threshold, kappa)


@functools.cache
def _numeric_maximal_risk():
    return lambdified(maximal_risk(), epsilon, threshold, kappa)


def check_signal(signal: str) -> int:
    """Validate ``signal`` (one of :data:`SIGNALS`) and return its kappa."""
    return KAPPA[check_choice("signal", signal, SIGNALS)]


def solve_on_curve(name: str, value: float, curve) -> float:
    """The z in [0, Z_MAX] with ``curve(z) == value``, for a curve of z decreasing from ``curve(0) = 1``, by Brent.

    ``value`` (the parameter ``name``) must lie in (0, 1] and not below ``curve(Z_MAX)``, where float64 underflows.
    The ℓ1 phase transition (delta(z), p(z)) and the minimax threshold (epsilon(lambda)) all reduce to this.
    """
    value = check_in_interval(name, value, 0, 1, closed_high=True)
    smallest = float(curve(Z_MAX))
    if value < smallest:
        raise InvalidParameter(name, f"must be >= {smallest:.3g} (below, float64 underflows), got {value}")
    return brentq(lambda z: float(curve(z)) - value, 0.0, Z_MAX, xtol=_XTOL, rtol=_RTOL)


class MinimaxThreshold(NamedTuple):
    """The minimax soft threshold ``alpha`` = lambda*(epsilon), in noise standard deviations; its risk M(epsilon)."""

    alpha: float
    risk: float


@functools.lru_cache(maxsize=4096)
def _minimax_threshold(eps: float, signal: str) -> MinimaxThreshold:
    kap = check_signal(signal)
    alpha = solve_on_curve("epsilon", eps, lambda z: _numeric_sparsity()(z, kap))
    return MinimaxThreshold(alpha, float(_numeric_maximal_risk()(eps, alpha, kap)))


def minimax_threshold(epsilon: float, signal: str = "signed") -> MinimaxThreshold:
    r"""The minimax threshold :math:`\lambda^*(\epsilon)` and minimax risk :math:`M(\epsilon)` of soft thresholding.

    ``epsilon`` = k/n is the fraction of nonzero coefficients, in (0, 1]; ``signal`` is ``"signed"`` (kappa = 2) or
    ``"nonneg"`` (kappa = 1, the positive-part threshold). At epsilon = 1 the threshold is 0 and the risk 1.

    >>> minimax_threshold(1.0)
    MinimaxThreshold(alpha=0.0, risk=1.0)
    >>> round(minimax_threshold(0.05, "nonneg").risk, 4)
    0.1671
    """
    return _minimax_threshold(parse_float("epsilon", epsilon), signal)


def amp_threshold_alpha(delta: float, rho: float, signal: str = "signed") -> float:
    r"""The AMP threshold multiplier :math:`\alpha` for undersampling :math:`\delta = m/n` and sparsity
    :math:`\rho = k/m`: AMP thresholds at :math:`\theta_t = \alpha \|z_t\|_2 / \sqrt m`.

    Tuning (DMM 2009): :math:`\|z_t\|_2/\sqrt m` estimates the standard deviation :math:`\sigma_t` of the effective
    noise in :math:`x_t + A^T z_t`, so :math:`\alpha = \lambda^*(\epsilon)` is the minimax threshold at the problem's
    sparsity :math:`\epsilon = \rho\delta = k/n`. With it, state evolution contracts the noise variance by the factor
    :math:`M(\epsilon)/\delta` per iteration, below 1 exactly when :math:`\rho < \rho_{\ell_1}(\delta)`.

    ``delta`` > 0 (overdetermined systems, delta > 1, are allowed), ``rho`` in (0, 1] with k/n = rho delta <= 1.

    >>> amp_threshold_alpha(0.5, 0.2) == minimax_threshold(0.1).alpha
    True
    """
    delta = check_positive("delta", parse_float("delta", delta))
    rho = check_in_interval("rho", parse_float("rho", rho), 0, 1, closed_high=True)
    if rho * delta > 1:
        raise InvalidParameter("rho", f"times delta is k/n and must be <= 1, got rho = {rho}, delta = {delta}")
    return minimax_threshold(rho * delta, signal).alpha
