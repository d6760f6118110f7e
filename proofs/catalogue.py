"""Every lemma in the order of the note's argument, then the theorem; lookup by name.

>>> NAMES[0], NAMES[-1]
('parameter-invariance', 'theorem')
>>> by_name("cylinder").title
'Cylinder analogy: at fixed volume the lateral surface scales by 1/k'
"""

from proofs.capacity_lemmas import CAPACITY_SHAPE, DENSITY_SHIFT
from proofs.cylinder_lemma import CYLINDER
from proofs.invariance_lemmas import EXPONENT_UNIQUENESS, QUADRATIC_INVARIANCE
from proofs.l1_lemma import DENSITY_SHIFT_L1
from proofs.scaling_lemma import SCALING_LAWS
from proofs.shape_lemmas import FEATURE_SCALING, NEURON_SCALING, PARAMETER_INVARIANCE
from proofs.theorem import THEOREM
from theory.capacity_functions import SYMBOLIC_PREMISES

#: Lemmas 1-9 of the argument, lemma 10 (the shift with the exact l1 capacity, numerical evidence), then the theorem.
ALL = (PARAMETER_INVARIANCE, NEURON_SCALING, FEATURE_SCALING, CAPACITY_SHAPE, DENSITY_SHIFT,
       QUADRATIC_INVARIANCE, EXPONENT_UNIQUENESS, CYLINDER, SCALING_LAWS, DENSITY_SHIFT_L1, THEOREM)
NAMES = tuple(lemma.name for lemma in ALL)
#: Capacity functions the argument can be checked with (theory.capacity_functions.SYMBOLIC_PREMISES): the note's
#: -1/(p ln p), and 1/(p ln p) as some copies print it.
CAPACITY_PREMISES = SYMBOLIC_PREMISES


def by_name(name: str):
    """The lemma (or the theorem) called ``name``; KeyError for an unknown name."""
    for lemma in ALL:
        if lemma.name == name:
            return lemma
    raise KeyError(name)


def check_all(names=None, capacity: str = "note", **premises) -> list:
    """Check the named lemmas (all by default) in the catalogue's order, with the capacity function ``capacity``.

    ``capacity`` is a key of :data:`CAPACITY_PREMISES`; it is passed to every lemma whose premises include f, and
    each other premise (``parameter_count=``, ``table=``, ...) to every lemma that takes it.

    >>> [result.status for result in check_all(("capacity-shape",), capacity="printed")]
    ['failed']
    >>> [result.status for result in check_all(("neuron-scaling",), parameter_count=lambda d, n: d**3 * n)]
    ['failed']
    """
    premises = {"f": CAPACITY_PREMISES[capacity], **premises}
    return [lemma.check(**{name: value for name, value in premises.items() if name in lemma.premises})
            for lemma in ALL if names is None or lemma.name in names]
