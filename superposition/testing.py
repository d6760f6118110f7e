r"""Hypothesis strategies for property tests of your own, over the package's domains.

Each strategy draws from the domain on which the package's statements hold, stated in its docstring:
exact positive rationals for the shape algebra, whole-number transformer shapes, width factors k > 0,
feature densities on the sparse branch 0 < p < 1/e of f_note, the capacity functions, the parameter-count
families of :mod:`theory.architectures`, and small compressed-sensing problems.

Hypothesis is a dependency of the ``test`` extra only (``pip install 'scaling-superposition[test]'``);
importing this module without it raises a one-line :class:`ModuleNotFoundError` that says so.

A property test written only from these strategies ("features per neuron grows with k for every shape"):

>>> from hypothesis import given, settings
>>> from theory.model_table import derive_model_table
>>> @settings(max_examples=10, deadline=None)
... @given(shape=shapes(), k=width_factors(greater_than_one=True))
... def features_per_neuron_grow_with_k(shape, k):
...     row = derive_model_table(k=k).at_shape(*shape, features=1000).row("features_per_neuron")
...     assert row.model_b > row.model_a
>>> features_per_neuron_grow_with_k()
"""

import numpy as np
import sympy as sp

try:
    from hypothesis import strategies as st
    from hypothesis.strategies import SearchStrategy
except ModuleNotFoundError:  # pragma: no cover - exercised in a subprocess by the tests
    raise ModuleNotFoundError(
        "superposition.testing needs Hypothesis, which comes with the test extra: "
        "pip install 'scaling-superposition[test]'"
    ) from None

from numerics.problems import Problems, generate_problems
from theory.architectures import ARCHITECTURES, Architecture
from theory.capacity_functions import CAPACITY_FUNCTIONS, REGISTRY

__all__ = [
    "capacity_functions",
    "parameter_counts",
    "positive_rationals",
    "sensing_problems",
    "sensing_sizes",
    "shapes",
    "sparse_densities",
    "width_factors",
]

#: The sparse branch of f_note(p) = -1/(p ln p) ends at p = 1/e, where f_note has its minimum e (theory.capacity).
SPARSE_BRANCH_END = REGISTRY["note"].branch_end()


def positive_rationals(max_numerator: int = 10_000, max_denominator: int = 50) -> SearchStrategy[sp.Rational]:
    """Exact positive rationals p/q as SymPy ``Rational``: 1 <= p <= ``max_numerator``, 1 <= q <= ``max_denominator``."""
    return st.builds(
        sp.Rational,
        st.integers(min_value=1, max_value=max_numerator),
        st.integers(min_value=1, max_value=max_denominator),
    )


def shapes(max_d_model: int = 16_384, max_n_layer: int = 256) -> SearchStrategy[tuple[int, int]]:
    """Transformer shapes ``(d_model, n_layer)``: whole numbers 1 <= d_model <= ``max_d_model``,
    1 <= n_layer <= ``max_n_layer`` (the defaults cover every published model in the shipped CSV)."""
    return st.tuples(st.integers(min_value=1, max_value=max_d_model), st.integers(min_value=1, max_value=max_n_layer))


def width_factors(max_numerator: int = 50, max_denominator: int = 10,
                  greater_than_one: bool = False) -> SearchStrategy[sp.Rational]:
    """Width factors k of the parameter-preserving shape change, exact positive rationals p/q (bounds as for
    :func:`positive_rationals`); with ``greater_than_one`` only k > 1 (Model B wider than Model A, where the
    note's contradiction arises)."""
    factors = positive_rationals(max_numerator, max_denominator)
    return factors.filter(lambda k: k > 1) if greater_than_one else factors


def sparse_densities(min_value: float = 1e-12) -> SearchStrategy[float]:
    """Feature densities p = 1 - S on the sparse branch of f_note: floats with ``min_value`` <= p < 1/e, where
    f_note(p) = -1/(p ln p) is strictly decreasing and exceeds its minimum e (so f(p_B) = k f(p_A) has a
    solution on the branch for every k >= 1)."""
    if not 0 < min_value < SPARSE_BRANCH_END:
        raise ValueError(f"min_value must lie in (0, 1/e), got {min_value}")
    return st.floats(min_value=min_value, max_value=SPARSE_BRANCH_END, exclude_max=True)


def capacity_functions() -> SearchStrategy[str]:
    """Names of the capacity functions n/m = f(p) of :data:`theory.capacity_functions.REGISTRY` (``"note"``,
    ``"l1-signed"``, ``"l1-nonneg"``); each is defined for 0 < p < 1."""
    return st.sampled_from(CAPACITY_FUNCTIONS)


def parameter_counts(homogeneous_only: bool = True) -> SearchStrategy[Architecture]:
    """Parameter-count families of :mod:`theory.architectures` (Kaplan, SwiGLU, grouped-query attention and
    their combination, at their default ratios). Each is an :class:`~theory.architectures.Architecture`,
    callable as ``count(d_model, n_layer) -> sympy.Expr`` and passable as ``parameter_count=``. With
    ``homogeneous_only`` (default) only families of degree 2 in d_model and 1 in n_layer, for which the Model
    A/B table and the lemmas hold."""
    families = [family for family in ARCHITECTURES.values() if family.is_homogeneous or not homogeneous_only]
    return st.sampled_from(families)


def sensing_sizes(max_n: int = 40) -> SearchStrategy[tuple[int, int, int]]:
    """Sizes ``(m, n, k)`` of a compressed-sensing problem: 1 <= k <= m <= n <= ``max_n`` (k nonzeros among n
    features measured by m neurons)."""
    return st.integers(min_value=1, max_value=max_n).flatmap(
        lambda n: st.integers(min_value=1, max_value=n).flatmap(
            lambda m: st.tuples(st.just(m), st.just(n), st.integers(min_value=1, max_value=m))
        )
    )


def sensing_problems(max_n: int = 40, max_batch: int = 4) -> SearchStrategy[Problems]:
    """Batches of y = A x on NumPy (:func:`numerics.problems.generate_problems`, Gaussian A with N(0, 1/m)
    entries, exactly k Gaussian nonzeros): sizes from :func:`sensing_sizes`, 1 <= batch <= ``max_batch``, a
    seed 0 <= seed < 2**32 (the same seed gives the same problems)."""
    return st.builds(
        lambda sizes, batch, seed: generate_problems(np.random.SeedSequence(seed), batch=batch, m=sizes[0],
                                                     n=sizes[1], k=sizes[2]),
        sensing_sizes(max_n), st.integers(min_value=1, max_value=max_batch), st.integers(min_value=0, max_value=2**32 - 1),
    )
