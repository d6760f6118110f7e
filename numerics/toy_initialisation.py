r"""Initial weights of the toy model: a registry of named draws of W (the bias starts at 0 in every case).

Each takes one instance's NumPy Generator, m, n and the number of instances trained together, and returns an
m x n matrix with N(0, sigma^2) entries:

- ``xavier`` (the default): Glorot & Bengio (2010) for one instance's m x n matrix, sigma^2 = 2 / (m + n).
- ``notebook``: what Elhage et al.'s notebook draws. It calls PyTorch's ``nn.init.xavier_normal_`` on W of shape
  (instances, n, m), whose fans PyTorch reads as fan_in = n m (dim 1 times the trailing dims) and fan_out =
  instances m, so sigma^2 = 2 / (m (n + instances)): smaller than ``xavier`` by a factor
  (m + n) / (m (n + instances)) in variance, and dependent on how many instances share the tensor
  (n = 5, m = 2, 7 instances: sigma = 0.289 against ``xavier``'s 0.535; n = 200, m = 20, 27 instances: 0.0664 against
  0.0953). An instance's draw then depends on its batch-mates' count, unlike the other two.
- ``liu``: Liu, Liu & Gore (2025, arXiv:2505.10465, ``exp/exp-10.py``), sigma^2 = 1/m: every column W_i starts
  with E||W_i||^2 = 1, a represented feature's norm.

>>> import numpy as np
>>> [round(initial_scale(name, m=2, n=5, instances=7), 3) for name in INITIALISATIONS]
[0.535, 0.289, 0.707]
>>> INITIALISATIONS["xavier"](np.random.default_rng(0), 2, 5, 7).shape
(2, 5)
"""

import numpy as np


def initial_scale(name: str, *, m: int, n: int, instances: int) -> float:
    """The standard deviation sigma of the entries the initialisation ``name`` draws."""
    variances = {"xavier": 2.0 / (m + n), "notebook": 2.0 / (m * (n + instances)), "liu": 1.0 / m}
    if name not in variances:
        raise ValueError(f"initialisation must be one of {tuple(variances)}, got {name!r}")
    return float(np.sqrt(variances[name]))


def _normal(name: str):
    def draw(generator: np.random.Generator, m: int, n: int, instances: int) -> np.ndarray:
        return generator.normal(0.0, initial_scale(name, m=m, n=n, instances=instances), size=(m, n))

    draw.__doc__ = f"N(0, sigma^2) with sigma = initial_scale({name!r}, ...)."
    return draw


#: Name -> draw(generator, m, n, instances); ``xavier`` first (the default).
INITIALISATIONS = {name: _normal(name) for name in ("xavier", "notebook", "liu")}
