"""Deterministic seeds: each grid cell's generator derives from the master seed and the cell's coordinates.

A cell's seed does not depend on the order in which cells run, on resuming, or on which worker runs it,
so serial, resumed and distributed runs give identical numbers.

>>> a = cell_seed_sequence(1, ("phase", 0.5, 0.25))
>>> b = cell_seed_sequence(1, ("phase", 0.5, 0.25))
>>> a.generate_state(2).tolist() == b.generate_state(2).tolist()
True
>>> bool(cell_seed_sequence(1, ("phase", 0.5, 0.3)).generate_state(1)[0] != a.generate_state(1)[0])
True
"""

import hashlib

import numpy as np


def coordinate_key(coordinate) -> int:
    """A stable 64-bit integer for an int, float or string coordinate (floats by their exact ``repr``)."""
    if isinstance(coordinate, (bool, np.bool_)):
        coordinate = int(coordinate)
    if isinstance(coordinate, (int, np.integer)) and coordinate >= 0:
        return int(coordinate)
    text = f"float:{float(coordinate)!r}" if isinstance(coordinate, (float, np.floating)) else repr(coordinate)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def cell_seed_sequence(master_seed: int, coordinates) -> np.random.SeedSequence:
    """The SeedSequence of the cell at ``coordinates`` (a tuple of ints, floats or strings)."""
    return np.random.SeedSequence(entropy=int(master_seed), spawn_key=tuple(coordinate_key(c) for c in coordinates))


def cell_generator(master_seed: int, coordinates) -> np.random.Generator:
    """A NumPy Generator (PCG64) for the cell at ``coordinates``."""
    return np.random.default_rng(cell_seed_sequence(master_seed, coordinates))
