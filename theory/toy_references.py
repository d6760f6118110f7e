r"""Exact expected losses of known toy-model solutions (Elhage et al. 2022), to judge what a trainer reaches.

Model and data as in :mod:`numerics.toy_model` and :mod:`numerics.toy_data` (Elhage et al. 2022, "Toy Models of
Superposition"): x' = ReLU(W^T W x + b), loss sum_i I_i E[(x_i - x'_i)^2]; each x_i is 0 with probability 1 - p
and Uniform[0, 1] with probability p, independently, so E[x_i] = p/2 and E[x_i^2] = p/3.

**Axis-aligned solution** (derived here). Keep a set K of at most m features on orthonormal directions
(W_i = e_{k(i)} for i in K, W_i = 0 otherwise) with b_i = 0 for i in K: then x'_i = ReLU(x_i) = x_i, error 0.
A dropped feature's output is the constant ReLU(b_i); E[(x_i - c)^2] over c >= 0 is smallest at c = E[x_i] = p_i/2,
leaving Var(x_i) = p_i/3 - p_i^2/4. Keeping the m features of largest I_i Var(x_i) gives

.. math:: L_{axis} = \sum_{i \notin K} I_i \left(\frac{p_i}{3} - \frac{p_i^2}{4}\right).

At n = 200, m = 20, p = 1, I = 1 that is 180/12 = 15:

>>> round(axis_aligned_loss(200, 20, 1.0, 1.0), 12)
15.0

(For p = 1 and uniform importance it is also the loss of every orthogonal projection of rank m with the bias at
the mean, the linear model's optimum; the ReLU can only lower it, since x >= 0 makes ReLU(y) at least as close to
x as y is.)

**n = 2, m = 1** (Elhage et al. 2022, "Superposition as a Phase Change"): importance I = (1, r), both features at
density p. Three candidate solutions: feature 1 kept (W = (1, 0); loss r Var(x)), feature 2 kept (W = (0, 1);
loss Var(x)), and the antipodal pair W = (a, -c), a, c > 0, with biases b_1, b_2 optimised numerically over the
exact loss :func:`pair_loss`. Writing alpha = a^2, beta = a c for output 1 (and c^2, a c for output 2), each output's
error is

    T(alpha, beta, b) = E[(x_1 - ReLU(alpha x_1 - beta x_2 + b))^2]
                      = (1-p)^2 ReLU(b)^2 + p(1-p) int_0^1 (u - ReLU(alpha u + b))^2 du
                        + (1-p) p int_0^1 ReLU(b - beta v)^2 dv + p^2 int int (u - ReLU(alpha u - beta v + b))^2 du dv.

The inner integral over v is done in closed form (a polynomial up to the ReLU's kink); what remains is piecewise
polynomial in u (degree <= 3) between the kinks u = -b/alpha and u = (beta - b)/alpha, integrated exactly by
Gauss-Legendre on each piece. The phase map picks the lowest of the three.

>>> phase = exact_phase(importance_ratio=1.0, density=0.05)
>>> phase.winner, round(phase.keep_first, 6), phase.pair_loss < phase.keep_first
('pair', 0.016042, True)
>>> exact_phase(importance_ratio=1.0, density=1.0).winner in ("first", "second")
True
"""

from dataclasses import dataclass

import numpy as np
import scipy.optimize

#: Candidate solutions of the n = 2, m = 1 model, in the order of :class:`ExactPhase`'s losses.
PHASES = ("first", "second", "pair")
#: ||W_i|| above which a feature counts as represented (as :data:`numerics.toy_metrics.DEFAULT_THRESHOLD`).
REPRESENTED_NORM = 0.5
#: Gauss-Legendre nodes per polynomial piece: exact for degree <= 7 (the pieces have degree <= 3).
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(4)


def dropped_feature_loss(density, importance=1.0):
    """I Var(x) = I (p/3 - p^2/4): the least loss of a feature the model outputs as a constant.

    >>> round(float(dropped_feature_loss(1.0)), 12) == round(1 / 12, 12)
    True
    """
    density = np.asarray(density, dtype=np.float64)
    return np.asarray(importance, dtype=np.float64) * (density / 3.0 - density * density / 4.0)


def axis_aligned_loss(n: int, m: int, density, importance) -> float:
    """L_axis: the m features of largest I_i Var(x_i) kept on orthonormal axes, the others at their mean.

    ``density`` and ``importance`` are a number or an array of n values.

    >>> round(axis_aligned_loss(5, 2, 1.0, 0.9 ** np.arange(5)), 12) == round((0.9**2 + 0.9**3 + 0.9**4) / 12, 12)
    True
    """
    if not 0 <= m:
        raise ValueError(f"m must be >= 0, got {m}")
    losses = np.broadcast_to(dropped_feature_loss(density, importance), (n,))
    return float(np.sort(losses)[: max(n - m, 0)].sum())


def _gauss_legendre(function, breakpoints) -> float:
    """int_0^1 function(u) du, exact when ``function`` is a polynomial of degree <= 7 between ``breakpoints``."""
    edges = np.unique(np.clip(np.concatenate([[0.0, 1.0], breakpoints]), 0.0, 1.0))
    lower, upper = edges[:-1, None], edges[1:, None]
    nodes = lower + (upper - lower) * (_NODES[None, :] + 1.0) / 2.0
    return float(np.sum((upper - lower) / 2.0 * _WEIGHTS[None, :] * function(nodes)))


def _kinks(alpha: float, beta: float, b: float) -> list:
    """Where alpha u + b crosses 0 and beta (the pieces of the integrand in u)."""
    return [-b / alpha, (beta - b) / alpha] if alpha > 0 else []


def _squared_ramp(start, slope, upper):
    """int_0^upper (start + slope v)^2 dv = start^2 t + start slope t^2 + slope^2 t^3 / 3 (t = upper)."""
    return start * start * upper + start * slope * upper * upper + slope * slope * upper ** 3 / 3.0


def _both_active(u, alpha: float, beta: float, b: float):
    """int_0^1 (u - ReLU(alpha u - beta v + b))^2 dv, in closed form for every u."""
    value_at_zero = alpha * u + b
    if beta > 0:
        active = np.clip(value_at_zero / beta, 0.0, 1.0)
    else:
        active = np.where(value_at_zero > 0, 1.0, 0.0)
    return _squared_ramp(u - value_at_zero, beta, active) + (1.0 - active) * u * u


def output_error(alpha: float, beta: float, b: float, density: float) -> float:
    """T(alpha, beta, b) = E[(x_1 - ReLU(alpha x_1 - beta x_2 + b))^2] for x_1, x_2 iid at ``density`` (exact).

    A kept feature (alpha = 1, beta = 0, b = 0) has no error; a dropped one (alpha = beta = 0, b = p/2) has Var(x):

    >>> output_error(1.0, 0.0, 0.0, 0.3), round(output_error(0.0, 0.0, 0.15, 0.3), 12) == round(0.1 - 0.0225, 12)
    (0.0, True)
    """
    p, q = density, 1.0 - density
    kinks = _kinks(alpha, beta, b)
    alone = _gauss_legendre(lambda u: (u - np.maximum(alpha * u + b, 0.0)) ** 2, kinks)
    other_alone = _squared_ramp(b, -beta, min(1.0, b / beta) if beta > 0 else 1.0) if b > 0 else 0.0
    both = _gauss_legendre(lambda u: _both_active(u, alpha, beta, b), kinks)
    return q * q * max(b, 0.0) ** 2 + p * q * alone + q * p * other_alone + p * p * both


def pair_loss(parameters, importance_ratio: float, density: float) -> float:
    """Exact loss of W = (a, -c), b = (b_1, b_2) with importance (1, r): T(a^2, ac, b_1) + r T(c^2, ac, b_2)."""
    a, c, b1, b2 = parameters
    return (output_error(a * a, a * c, b1, density)
            + importance_ratio * output_error(c * c, a * c, b2, density))


@dataclass(frozen=True)
class ExactPhase:
    """The exact losses of the three candidates at (r, p), the optimised pair's parameters, and the winner."""

    importance_ratio: float
    density: float
    keep_first: float
    keep_second: float
    pair_loss: float
    pair_parameters: tuple      # (a, c, b_1, b_2): W = (a, -c)
    winner: str                 # one of PHASES

    @property
    def best_loss(self) -> float:
        return min(self.keep_first, self.keep_second, self.pair_loss)


#: Starting points (a, c, b_1, b_2) for the pair's optimisation: a symmetric and two lopsided antipodal pairs.
PAIR_STARTS = ((1.0, 1.0, 0.0, 0.0), (1.0, 0.4, 0.0, 0.1), (0.4, 1.0, 0.1, 0.0))


def optimise_pair(importance_ratio: float, density: float, starts=PAIR_STARTS):
    """The lowest exact pair loss found from ``starts`` (L-BFGS-B, a, c in [0, 2]); (loss, parameters).

    The objective is divided by Var(x), so that its scale, and L-BFGS-B's stopping rule, do not depend on p.
    """
    scale = float(dropped_feature_loss(density))
    best = None
    for start in starts:
        found = scipy.optimize.minimize(lambda v: pair_loss(v, importance_ratio, density) / scale, start,
                                        method="L-BFGS-B", bounds=[(0.0, 2.0), (0.0, 2.0), (-2.0, 2.0), (-2.0, 2.0)])
        if best is None or found.fun < best.fun:
            best = found
    return float(best.fun) * scale, tuple(float(v) for v in best.x)


def exact_phase(importance_ratio: float, density: float, starts=PAIR_STARTS) -> ExactPhase:
    """The exact optimum among the candidates of the n = 2, m = 1 model with importance (1, r), and its phase.

    The phase is read off the lowest-loss solution as a trained model's is (:func:`phase_of`): the optimised
    "pair" can slide towards one feature (near p = 1 it does, a little below the single features' loss), and is
    then that feature's phase.
    """
    if not 0 < density <= 1:
        raise ValueError(f"density must lie in (0, 1], got {density}")
    if not importance_ratio > 0:
        raise ValueError(f"importance_ratio must be > 0, got {importance_ratio}")
    keep_first = float(dropped_feature_loss(density, importance_ratio))
    keep_second = float(dropped_feature_loss(density, 1.0))
    pair, parameters = optimise_pair(importance_ratio, density, starts)
    norms = min([(keep_first, (1.0, 0.0)), (keep_second, (0.0, 1.0)), (pair, parameters[:2])])[1]
    winner = phase_of(*norms)
    return ExactPhase(importance_ratio, density, keep_first, keep_second, pair, parameters, winner)


def phase_of(first_norm: float, second_norm: float) -> str:
    """"first", "second" or "pair" by which ||W_i|| exceed :data:`REPRESENTED_NORM` ("none" if neither).

    >>> phase_of(0.98, 0.1), phase_of(0.2, 1.0), phase_of(1.0, 0.9), phase_of(0.1, 0.2)
    ('first', 'second', 'pair', 'none')
    """
    first, second = first_norm > REPRESENTED_NORM, second_norm > REPRESENTED_NORM
    return "pair" if first and second else "first" if first else "second" if second else "none"


def phase_map(importance_ratios, densities) -> list:
    """:func:`exact_phase` for every (r, p): a list over ratios of lists over densities.

    Along each ratio the pair's optimisation starts from the symmetric pair and from the previous density's
    optimum (two starts, not three: the map's cost is these optimisations).
    """
    rows = []
    for r in importance_ratios:
        row, previous = [], PAIR_STARTS[1] if r < 1 else PAIR_STARTS[2]
        for p in densities:
            row.append(exact_phase(float(r), float(p), (PAIR_STARTS[0], previous)))
            previous = row[-1].pair_parameters
        rows.append(row)
    return rows
