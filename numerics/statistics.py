r"""Statistics of success counts: Wilson score intervals and the 50% point of a logistic fit.

Wilson (1927) score interval for s successes in t trials, p̂ = s/t, z the two-sided normal quantile:

.. math:: \frac{\hat p + z^2/(2t) \pm z \sqrt{\hat p(1-\hat p)/t + z^2/(4t^2)}}{1 + z^2/t}

(Newcombe 1998, "Two-sided confidence intervals for the single proportion", method 3).

>>> low, high = wilson_interval(81, 263)
>>> round(float(low), 4), round(float(high), 4)
(0.2553, 0.3662)

The transition of a success curve is the 50% point x₀ = -β₀/β₁ of the binomial logistic regression
P(success | x) = 1 / (1 + exp(-(β₀ + β₁ x))), fitted by maximum likelihood (Donoho & Tanner 2009 fit phase
transitions this way). A tiny ridge on β₁ keeps the fit finite when the data are perfectly separated; the
50% point then lies between the last success and the first failure.

>>> x = [0.1, 0.2, 0.3, 0.4, 0.5]
>>> round(fit_logistic_transition(x, [19, 16, 10, 4, 1], [20] * 5).midpoint, 2)
0.3
"""

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import optimize, special

from theory.validation import InvalidParameter, check_in_interval

#: Ridge on the standardized slope: negligible for real data, finite under perfect separation.
SLOPE_RIDGE = 1e-3


def normal_quantile(confidence: float) -> float:
    """z with P(|Z| <= z) = confidence for a standard normal Z."""
    check_in_interval("confidence", confidence, 0, 1)
    return float(special.ndtri(0.5 + confidence / 2))


def _counts(successes, trials):
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    if np.any(trials < 1) or np.any(trials != np.round(trials)):
        raise InvalidParameter("trials", f"must be whole numbers >= 1, got {trials.tolist()}")
    if np.any(successes < 0) or np.any(successes > trials) or np.any(successes != np.round(successes)):
        raise InvalidParameter("successes", f"must be whole numbers in [0, trials], got {successes.tolist()}")
    return np.broadcast_arrays(successes, trials)


def wilson_interval(successes, trials, confidence: float = 0.95):
    """The Wilson score interval (low, high) of the success probability; arrays broadcast."""
    successes, trials = _counts(successes, trials)
    z = normal_quantile(confidence)
    rate = successes / trials
    denominator = 1 + z**2 / trials
    centre = (rate + z**2 / (2 * trials)) / denominator
    half_width = z * np.sqrt(rate * (1 - rate) / trials + z**2 / (4 * trials**2)) / denominator
    low = np.where(successes == 0, 0.0, np.clip(centre - half_width, 0, 1))
    high = np.where(successes == trials, 1.0, np.clip(centre + half_width, 0, 1))
    return low, high


@dataclass(frozen=True)
class LogisticTransition:
    """P(success | x) = 1 / (1 + exp(-slope (x - midpoint))); ``bracketed`` when the data cross 50% inside the range."""

    midpoint: float
    slope: float
    bracketed: bool

    def to_dict(self) -> dict:
        return asdict(self)

    def probability(self, x):
        """The fitted success probability at ``x``."""
        return special.expit(self.slope * (np.asarray(x, dtype=float) - self.midpoint))


def fit_logistic_transition(x, successes, trials) -> LogisticTransition:
    """Maximum-likelihood logistic fit of success counts against x; its 50% point is the transition."""
    x = np.asarray(x, dtype=float).reshape(-1)
    successes, trials = (array.reshape(-1) for array in _counts(successes, trials))
    if x.size == 0 or x.size != successes.size:
        raise InvalidParameter("x", f"must be a non-empty grid with one value per count, got {x.size} for {successes.size}")
    if not np.all(np.isfinite(x)) or np.ptp(x) == 0:
        raise InvalidParameter("x", f"needs at least two distinct finite values, got {x.tolist()}")
    centre, spread = x.mean(), x.std()
    t = (x - centre) / spread

    def objective(beta):
        eta = beta[0] + beta[1] * t
        residual = trials * special.expit(eta) - successes
        value = np.sum(trials * np.logaddexp(0, eta) - successes * eta) + SLOPE_RIDGE * beta[1] ** 2 / 2
        gradient = np.array([residual.sum(), (residual * t).sum() + SLOPE_RIDGE * beta[1]])
        return value, gradient

    beta = optimize.minimize(objective, np.zeros(2), jac=True, method="BFGS", options={"gtol": 1e-10}).x
    rate = successes / trials
    bracketed = bool(np.any(rate >= 0.5) and np.any(rate <= 0.5))
    slope = beta[1] / spread
    midpoint = centre - beta[0] / beta[1] * spread if beta[1] != 0 else math.nan
    return LogisticTransition(float(midpoint), float(slope), bracketed)


#: Newton steps of :func:`logistic_midpoints` (each halves its step until the objective does not rise).
NEWTON_STEPS = 100


def logistic_midpoints(x, successes, trials):
    """The 50% points and slopes of many logistic fits at once: one per row of ``successes`` (rows, len(x)).

    The same maximum-likelihood fit (and ridge) as :func:`fit_logistic_transition`, by damped Newton steps on the
    two coefficients of every row together, for bootstrap replicates. ``x`` is one grid (len,) or one per row
    (rows, len); entries with zero trials are padding and ignored. Returns (midpoints, slopes), arrays (rows,).

    >>> x = [0.1, 0.2, 0.3, 0.4, 0.5]
    >>> midpoints, slopes = logistic_midpoints(x, [[19, 16, 10, 4, 1], [20, 18, 12, 3, 0]], [20] * 5)
    >>> bool(abs(midpoints[0] - fit_logistic_transition(x, [19, 16, 10, 4, 1], [20] * 5).midpoint) < 1e-6)
    True
    """
    successes = np.atleast_2d(np.asarray(successes, dtype=float))
    trials = np.broadcast_to(np.asarray(trials, dtype=float), successes.shape)
    x = np.broadcast_to(np.asarray(x, dtype=float), successes.shape)
    counted = trials > 0
    centre = np.sum(np.where(counted, x, 0.0), axis=1, keepdims=True) / counted.sum(axis=1, keepdims=True)
    spread = np.sqrt(np.sum(np.where(counted, (x - centre) ** 2, 0.0), axis=1, keepdims=True)
                     / counted.sum(axis=1, keepdims=True))
    t = np.where(counted, (x - centre) / spread, 0.0)

    def objective(beta, rows):
        eta = beta[:, :1] + beta[:, 1:] * t[rows]
        return (np.sum(trials[rows] * np.logaddexp(0, eta) - successes[rows] * eta, axis=1)
                + SLOPE_RIDGE * beta[:, 1] ** 2 / 2)

    beta = np.zeros((successes.shape[0], 2))
    rows = np.arange(beta.shape[0])  # the rows still iterating
    value = objective(beta, rows)
    for _ in range(NEWTON_STEPS):
        current, tr, sc, tt = beta[rows], trials[rows], successes[rows], t[rows]
        probability = special.expit(current[:, :1] + current[:, 1:] * tt)
        residual, weight = tr * probability - sc, tr * probability * (1 - probability)
        g0, g1 = residual.sum(axis=1), (residual * tt).sum(axis=1) + SLOPE_RIDGE * current[:, 1]
        h00, h01 = weight.sum(axis=1), (weight * tt).sum(axis=1)
        h11 = (weight * tt**2).sum(axis=1) + SLOPE_RIDGE
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.stack([(h11 * g0 - h01 * g1), (h00 * g1 - h01 * g0)], axis=1) / (h00 * h11 - h01**2)[:, None]
        finite = np.all(np.isfinite(step), axis=1)
        step = np.where(finite[:, None], step, 0.0)
        for _ in range(40):  # halve the step of every row whose objective would rise
            candidate = objective(current - step, rows)
            worse = finite & ~(candidate <= value[rows])
            if not worse.any():
                break
            step = np.where(worse[:, None], step / 2, step)
        beta[rows] = current - step
        value[rows] = np.minimum(candidate, value[rows])
        moving = finite & (np.max(np.abs(step), axis=1) > 1e-9 * (1 + np.max(np.abs(beta[rows]), axis=1)))
        rows = rows[moving]
        if rows.size == 0:
            break
    with np.errstate(divide="ignore", invalid="ignore"):
        midpoints = centre[:, 0] - beta[:, 0] / beta[:, 1] * spread[:, 0]
    return midpoints, beta[:, 1] / spread[:, 0]


def significant_increase(before: int, after: int, total: int, z: float = 2.0) -> bool:
    """Whether a count out of ``total`` rose from ``before`` to ``after`` by more than ``z`` standard deviations
    of the difference, each count taken as binomial with its observed proportion: after − before >
    z √(b(1 − b/t) + a(1 − a/t)). With z = 2, a one-sided test at about the 2% level.

    >>> significant_increase(10, 30, 40), significant_increase(30, 33, 40), significant_increase(20, 20, 40)
    (True, False, False)
    """
    spread = math.sqrt(before * (1 - before / total) + after * (1 - after / total))
    return bool(after - before > z * spread) and after > before
