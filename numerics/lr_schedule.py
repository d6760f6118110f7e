r"""Learning-rate schedules for the toy trainer: a multiplier of the peak rate at each step.

``constant``: 1 at every step (Elhage et al. 2022's notebook: AdamW at a fixed lr).

``warmup_cosine``: linear warm-up from 0 to the peak over ``warmup_steps``, then a cosine from the peak down to
``floor`` times the peak at the last step (Liu, Liu & Gore 2025, arXiv:2505.10465, their ``exp/exp-10.py``: 2000
warm-up steps of 20 000, cosine to 5% of the peak):

    s(t) = t / W                                                   for t <= W,
    s(t) = floor + (1 - floor) (1 + cos(pi (t - W) / (T - W))) / 2 for W < t <= T,

with t = 1 ... T the step being taken.

>>> schedule = LearningRateSchedule("warmup_cosine", warmup_steps=2, floor=0.05)
>>> [round(schedule.multiplier(t, 4), 6) for t in (1, 2, 3, 4)]
[0.5, 1.0, 0.525, 0.05]
>>> LearningRateSchedule().multiplier(7, 10)
1.0
"""

import math
from dataclasses import dataclass

SCHEDULES = ("constant", "warmup_cosine")


@dataclass(frozen=True)
class LearningRateSchedule:
    """A schedule's kind, its warm-up length in steps and the final fraction of the peak rate (cosine only)."""

    kind: str = "constant"
    warmup_steps: int = 0
    floor: float = 0.05

    def __post_init__(self):
        if self.kind not in SCHEDULES:
            raise ValueError(f"kind must be one of {SCHEDULES}, got {self.kind!r}")
        if self.warmup_steps < 0:
            raise ValueError(f"warmup_steps must be >= 0, got {self.warmup_steps}")
        if not 0.0 <= self.floor <= 1.0:
            raise ValueError(f"floor must lie in [0, 1], got {self.floor}")

    def multiplier(self, step: int, total_steps: int) -> float:
        """The factor on the peak learning rate for step ``step`` (1-based) of ``total_steps``."""
        if self.kind == "constant":
            return 1.0
        if step <= self.warmup_steps:
            return step / self.warmup_steps
        span = max(1, total_steps - self.warmup_steps)
        progress = min(1.0, (step - self.warmup_steps) / span)
        return self.floor + (1.0 - self.floor) * 0.5 * (1.0 + math.cos(math.pi * progress))
