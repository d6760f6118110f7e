"""A check that ``superposition verify`` records: name, passed (None when skipped or a measurement), detail.

Kinds: a ``"check"`` has a pass condition stated in its detail (and, where it has a tolerance, where the tolerance
comes from); a ``"measurement"`` reports a number beside theory with no pass mark (``passed`` is None), and is
counted apart from the skipped checks. A skipped check names its ``fix`` (what to install to run it).
"""

from dataclasses import asdict, dataclass

KINDS = ("check", "measurement")


@dataclass(frozen=True)
class Check:
    """One verified claim. ``passed`` is True, False, or None when the check could not run (detail says why, ``fix``
    how to make it run) or when it is a measurement (``kind="measurement"``)."""

    name: str
    passed: bool | None
    detail: str
    kind: str = "check"
    fix: str = ""

    @property
    def skipped(self) -> bool:
        return self.passed is None and self.kind == "check"

    def to_dict(self) -> dict:
        return asdict(self)


def measurement(name: str, detail: str) -> Check:
    """A number reported beside theory, with no pass mark."""
    return Check(name, None, detail, kind="measurement")


def counts(checks) -> dict:
    """Passed, failed, skipped (checks that could not run) and measurements (no pass mark), counted apart."""
    return {
        "passed": sum(check.passed is not None and bool(check.passed) for check in checks),
        "failed": sum(check.passed is not None and not bool(check.passed) for check in checks),
        "skipped": sum(check.skipped for check in checks),
        "measurements": sum(check.kind == "measurement" for check in checks),
    }
