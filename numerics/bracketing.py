"""Bracket by doubling, then bisect: the largest whole number that passes a monotone test, to a relative width.

Shared by the capacity sweep (largest recoverable n, :mod:`numerics.capacity_scaling`) and the Willshaw memory
(largest number of stored pairs, :mod:`numerics.willshaw`). ``passes(x)`` may be noisy and may keep state (each
call is one evaluation, in the order made here); both functions keep ``passes(low)`` and ``not passes(high)``.

>>> double_until_failure(lambda x: x <= 37, 8, 16, limit=1000)
(32, 64)
>>> bisect(lambda x: x <= 37, 32, 64, precision=0.0)
(37, 38)
>>> double_until_failure(lambda x: True, 8, 16, limit=100)
(64, None)
"""

from collections.abc import Callable


def double_until_failure(passes: Callable[[int], bool], low: int, high: int, *, limit: float) -> tuple[int, int | None]:
    """Evaluate ``high``, doubling it (``low`` following) while it passes: ``(low, high)`` with ``high`` the first
    failure, or ``(low, None)`` when the next ``high`` would exceed ``limit`` (it is not evaluated)."""
    while high <= limit:
        if not passes(high):
            return low, high
        low, high = high, 2 * high
    return low, None


def bisect(passes: Callable[[int], bool], low: int, high: int, *, precision: float) -> tuple[int, int]:
    """Halve ``[low, high]`` on whole numbers until ``high - low <= max(1, precision * low)``: the middle
    ``(low + high) // 2`` replaces ``low`` when it passes, ``high`` when it fails."""
    while high - low > max(1, precision * low):
        middle = (low + high) // 2
        if passes(middle):
            low = middle
        else:
            high = middle
    return low, high
