"""A check that ``superposition verify`` records: name, passed (None when skipped), detail."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Check:
    """One verified claim. ``passed`` is True, False, or None when the check could not run (detail says why)."""

    name: str
    passed: bool | None
    detail: str

    def to_dict(self) -> dict:
        return asdict(self)
