r"""Liu, Liu & Gore's weight decay for the toy model (arXiv:2505.10465; their ``exp/adamw.py``), per instance.

A rate gamma per instance, applied to W only (the bias is not decayed), before AdamW's update as in PyTorch:

    gamma >= 0:  W <- W (1 - lr gamma)                                  (ordinary decoupled decay: weak superposition)
    gamma <  0:  W_i <- W_i + lr gamma W_i (1 - 1/(||W_i|| + eps))       (each feature's norm pulled towards 1)

W_i is feature i's direction (a column here, a row of their n x m matrix); eps = 1e-8 as their optimiser's.
For gamma < 0 a feature with ||W_i|| < 1 grows and one with ||W_i|| > 1 shrinks: every feature is kept at about
unit norm, overlapping with the others (strong superposition).

>>> import numpy as np
>>> W = np.array([[[0.5, 2.0]], [[0.5, 2.0]]])          # two instances, m = 1, n = 2: norms 0.5 and 2
>>> liu_decay(np.array([1.0, -1.0]))(W, 0.1).round(6).tolist()
[[[0.45, 1.8]], [[0.55, 1.9]]]
"""

from numerics.backend import namespace_of

#: Added to ||W_i|| before dividing (their optimiser's eps), so a zero column stays zero.
NORM_EPS = 1e-8


def liu_decay(rates):
    """The decay of W for per-instance ``rates`` (backend array of shape (instances,)): a function (W, lr) -> W."""

    def decay(W, learning_rate):
        xp = namespace_of(W)
        gamma = rates[:, None, None]
        norms = xp.sqrt(xp.sum(W * W, axis=-2, keepdims=True)) + NORM_EPS
        shrunk = W * (1.0 - learning_rate * gamma)
        pulled = W + learning_rate * gamma * W * (1.0 - 1.0 / norms)
        return xp.where(gamma >= 0, shrunk, pulled)

    return decay


def keep_parameter(parameter, learning_rate):
    """No decay (Liu et al. decay W only, not the bias)."""
    return parameter
