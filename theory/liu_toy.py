r"""The data of Liu, Liu & Gore's toy model and what its two regimes predict (arXiv:2505.10465; their ``exp/exp-10.py``).

Feature frequencies follow a power law normalised to one active feature per input on average:

.. math:: p_i = \frac{i^{-(1+\alpha)}}{\sum_{j=1}^{n} j^{-(1+\alpha)}}, \qquad x_i = \mathrm{Bernoulli}(p_i)\,U[0, h),

with h = 2; the loss is the mean over batch and features of (x_i - x'_i)^2.

* Weak superposition: only the most frequent features are represented, about m of them, and an unrepresented
  feature's output is ReLU(b_i) = 0 at best, so it costs p_i E[U^2] = p_i h^2/3. The loss is the tail
  (1/n) sum_{i > m} p_i h^2/3 (:func:`tail_loss`), which falls as m^(-alpha) for 1 << m << n.
* Strong superposition: every feature is kept at unit norm and the loss follows the squared overlaps, ~ 1/m
  (:func:`theory.superposition_pictures.overlap_many_features`).

>>> p = power_law_frequencies(4, 1.0)
>>> round(float(p.sum()), 12), bool(p[0] > p[1] > p[2] > p[3])
(1.0, True)
>>> round(tail_loss(p, 4, 2.0), 12)
0.0
"""

import numpy as np

#: Active features are Uniform[0, HIGH) (Liu et al.'s ``torch.rand(...) * 2``).
HIGH = 2.0


def power_law_frequencies(n: int, alpha: float) -> np.ndarray:
    """p_i = i^-(1+alpha) / sum_j j^-(1+alpha), i = 1..n (sums to 1)."""
    weights = np.arange(1, n + 1, dtype=np.float64) ** -(1.0 + alpha)
    return weights / weights.sum()


def mean_square_active(high: float = HIGH) -> float:
    """E[U^2] for U ~ Uniform[0, high): high^2 / 3."""
    return high * high / 3.0


def tail_loss(frequencies, m: int, high: float = HIGH) -> float:
    """The weak-regime loss when exactly the m most frequent features are represented perfectly and the rest are
    dropped: (1/n) sum_{i > m} p_i E[U^2] (mean over features, as Liu et al.'s MSE)."""
    frequencies = np.sort(np.asarray(frequencies, dtype=np.float64))[::-1]
    return float(frequencies[m:].sum() * mean_square_active(high) / frequencies.size)
