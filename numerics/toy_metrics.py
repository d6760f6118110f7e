r"""What a trained toy model stores: represented features, dimensions per feature, feature dimensionality.

Definitions from Elhage et al. (2022), "Toy Models of Superposition", for W of shape (instances, m, n) whose
column W_i is feature i's direction in the m-dimensional hidden space:

- represented features: ||W_i|| > threshold (default 0.5; a represented feature has ||W_i|| near 1);
- dimensions per feature D* = m / ||W||_F^2 (section "Feature dimensionality");
- feature dimensionality D_i = ||W_i||^2 / sum_j (W^_i . W_j)^2 = ||W_i||^4 / sum_j (W_i . W_j)^2, with
  W^_i = W_i / ||W_i||; 0 for a feature with W_i = 0;
- interference matrix W^T W (n x n).

Reference case: five unit vectors at the vertices of a regular pentagon in the plane (the intro's sparse
solution) have D_i = 2/5 each, and D* = 2/5:

>>> import numpy as np
>>> from numerics.backend import resolve
>>> xp = resolve("numpy").xp
>>> angles = 2 * np.pi * np.arange(5) / 5
>>> W = xp.asarray(np.stack([np.cos(angles), np.sin(angles)])[None])
>>> np.round(np.asarray(feature_dimensionality(W)), 12).tolist(), float(dimensions_per_feature(W)[0])
([[0.4, 0.4, 0.4, 0.4, 0.4]], 0.4)
>>> int(features_represented(W)[0])
5
"""

from numerics.backend import namespace_of

#: ||W_i|| above which feature i counts as represented (Elhage et al. 2022 plot ||W_i||; 0.5 is a common cut).
DEFAULT_THRESHOLD = 0.5


def feature_norms(W):
    """||W_i|| for every instance and feature: shape (instances, n)."""
    xp = namespace_of(W)
    return xp.sqrt(xp.sum(W * W, axis=-2))


def features_represented(W, threshold: float = DEFAULT_THRESHOLD):
    """How many features have ||W_i|| > ``threshold``, per instance (integer array of shape (instances,))."""
    xp = namespace_of(W)
    return xp.sum(xp.astype(feature_norms(W) > threshold, xp.int64), axis=-1)


def interference(W):
    """W^T W per instance, shape (instances, n, n): diagonal ||W_i||^2, off-diagonal W_i . W_j."""
    xp = namespace_of(W)
    return xp.matmul(xp.matrix_transpose(W), W)


def dimensions_per_feature(W):
    """D* = m / ||W||_F^2 per instance (shape (instances,)); infinite for W = 0."""
    xp = namespace_of(W)
    return W.shape[-2] / xp.sum(W * W, axis=(-2, -1))


def feature_dimensionality(W):
    """D_i = ||W_i||^4 / sum_j (W_i . W_j)^2 per instance and feature (shape (instances, n)); 0 where W_i = 0."""
    xp = namespace_of(W)
    gram = interference(W)
    squared_norms = xp.sum(W * W, axis=-2)
    overlap = xp.sum(gram * gram, axis=-1)
    alive = overlap > 0
    safe = xp.where(alive, overlap, xp.ones_like(overlap))
    return xp.where(alive, squared_norms * squared_norms / safe, xp.zeros_like(overlap))
