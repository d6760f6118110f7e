"""Fit a power law y = C x^a by least squares on log y = a log x + c, with two intervals for a.

The exponent is the ordinary least-squares slope of log y on log x. Its intervals:

- ``ols_low``/``ols_high``: the classical regression interval a ± t_{N−2} · s / √Σ(log x − mean)², s² the residual
  variance over N − 2 degrees of freedom (it assumes independent normal errors in log y; NaN for N = 2);
- ``ci_low``/``ci_high``: a bootstrap percentile interval. By default over ``n_bootstrap`` case-resampled fits
  (Efron & Tibshirani 1993, ch. 13; resamples in which every x is equal are drawn again; none for fewer than three
  points). With few points this interval is too narrow (with 4 points about a third of the resamples hold
  at most 2 distinct x), so experiments with the raw data behind each y pass their own replicate slopes instead
  (:func:`with_bootstrap_slopes`; the capacity experiment resamples the trials behind each n_max).

The fit runs on the host (NumPy): its inputs are a handful of measured points, not device arrays.

>>> fit = fit_power_law([10, 20, 40, 80], [30, 60, 120, 240], n_bootstrap=200)
>>> round(fit.exponent, 12), round(fit.ci_low, 12), round(fit.ci_high, 12), fit.n_points
(1.0, 1.0, 1.0, 4)
>>> round(fit.ols_low, 9), round(fit.ols_high, 9)
(1.0, 1.0)
>>> round(math.exp(fit.intercept), 9)
3.0
"""

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy import stats

from theory.validation import InvalidParameter, check_in_interval


@dataclass(frozen=True)
class PowerLawFit:
    """log y = exponent * log x + intercept, with a bootstrap interval [ci_low, ci_high] for the exponent and the
    ordinary least-squares interval [ols_low, ols_high]; ``interval`` names how the bootstrap resampled."""

    exponent: float
    intercept: float
    ci_low: float
    ci_high: float
    n_points: int
    confidence: float = 0.95
    n_bootstrap: int = 0
    ols_low: float = math.nan
    ols_high: float = math.nan
    interval: str = "percentile bootstrap over the points"

    def to_dict(self) -> dict:
        return asdict(self)

    def contains(self, exponent: float) -> bool:
        """Whether ``exponent`` lies in the bootstrap interval (False when there is none)."""
        return self.ci_low <= exponent <= self.ci_high


def _positive_finite(name: str, values) -> np.ndarray:
    array = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(array)) or not np.all(array > 0):
        raise InvalidParameter(name, f"must be finite and > 0 for a log-log fit, got {array.tolist()}")
    return array


def _slopes_and_intercepts(log_x: np.ndarray, log_y: np.ndarray):
    """Least-squares slope and intercept of each row of ``log_y`` on the same row of ``log_x`` (2-D arrays)."""
    x_mean = log_x.mean(axis=-1, keepdims=True)
    y_mean = log_y.mean(axis=-1, keepdims=True)
    slope = ((log_x - x_mean) * (log_y - y_mean)).sum(axis=-1) / ((log_x - x_mean) ** 2).sum(axis=-1)
    return slope, y_mean[..., 0] - slope * x_mean[..., 0]


def fit_power_law(x, y, *, n_bootstrap: int = 1000, seed: int = 0, confidence: float = 0.95) -> PowerLawFit:
    """Least-squares fit of log y = a log x + c and a percentile-bootstrap interval for a."""
    x = _positive_finite("x", x)
    y = _positive_finite("y", y)
    if x.shape != y.shape:
        raise InvalidParameter("y", f"must have as many points as x ({x.size}), got {y.size}")
    if np.unique(x).size < 2:
        raise InvalidParameter("x", f"needs at least two distinct values for a slope, got {x.tolist()}")
    check_in_interval("confidence", confidence, 0, 1)
    if int(n_bootstrap) < 0:
        raise InvalidParameter("n_bootstrap", f"must be >= 0, got {n_bootstrap}")
    log_x, log_y = np.log(x), np.log(y)
    slope, intercept = (float(value[0]) for value in _slopes_and_intercepts(log_x[None, :], log_y[None, :]))
    ols = _ols_interval(log_x, log_y, slope, intercept, confidence)
    if n_bootstrap == 0 or x.size < 3:
        return PowerLawFit(slope, intercept, math.nan, math.nan, x.size, confidence, 0, *ols)
    rng = np.random.default_rng(seed)
    indices = np.empty((0, x.size), dtype=np.intp)
    while indices.shape[0] < n_bootstrap:
        draw = rng.integers(0, x.size, size=(n_bootstrap, x.size))
        usable = np.ptp(log_x[draw], axis=1) > 0
        indices = np.concatenate([indices, draw[usable]])[:n_bootstrap]
    slopes, _ = _slopes_and_intercepts(log_x[indices], log_y[indices])
    tail = (1 - confidence) / 2
    low, high = np.quantile(slopes, [tail, 1 - tail])
    return PowerLawFit(slope, intercept, float(low), float(high), x.size, confidence, int(n_bootstrap), *ols)


def _ols_interval(log_x, log_y, slope: float, intercept: float, confidence: float) -> tuple[float, float]:
    """a ± t_{N−2} s/√Sxx (module docstring); (NaN, NaN) with two points."""
    if log_x.size < 3:
        return math.nan, math.nan
    residuals = log_y - (slope * log_x + intercept)
    standard_error = math.sqrt(residuals @ residuals / (log_x.size - 2) / np.sum((log_x - log_x.mean()) ** 2))
    half_width = float(stats.t.ppf(0.5 + confidence / 2, log_x.size - 2)) * standard_error
    return slope - half_width, slope + half_width


def slope_of_rows(x, y_rows) -> np.ndarray:
    """The least-squares slope of log y on log x for every row of ``y_rows`` (replicates, len(x)): for bootstraps."""
    log_x = np.broadcast_to(np.log(np.asarray(x, dtype=float)), np.shape(y_rows))
    return _slopes_and_intercepts(log_x, np.log(np.asarray(y_rows, dtype=float)))[0]


def with_bootstrap_slopes(fit: PowerLawFit, slopes, interval: str) -> PowerLawFit:
    """``fit`` with its bootstrap interval replaced by the percentile interval of replicate ``slopes``
    (NaNs dropped)."""
    slopes = np.asarray(slopes, dtype=float)
    slopes = slopes[np.isfinite(slopes)]
    tail = (1 - fit.confidence) / 2
    low, high = np.quantile(slopes, [tail, 1 - tail]) if slopes.size else (math.nan, math.nan)
    return replace(fit, ci_low=float(low), ci_high=float(high), n_bootstrap=int(slopes.size), interval=interval)
