"""Verify's stages side by side: the same checks, in the stages' order, and every written file, whatever ``jobs``."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from superposition.checks import Check
from superposition.cli.verify_pool import map_threads, run_stages


class Folder:
    """The part of :class:`superposition.artefacts.Artefacts` a stage uses here: a folder and the files written."""

    def __init__(self, folder):
        self.folder, self.written = Path(folder), []

    def write_text(self, name, text):
        path = self.folder / name
        path.write_text(text)
        self.written.append(path)
        return path


def slow_stage(context):
    """Finishes last when run beside ``quick_stage`` (so completion order differs from the stages' order)."""
    for _ in range(200_000):
        pass
    context.artefacts.write_text("slow.txt", "slow")
    return [Check("slow", True, f"pid {os.getpid()}"), Check("slow.second", None, "measured", kind="measurement")]


def quick_stage(context):
    context.artefacts.write_text("quick.txt", "quick")
    return [Check("quick", context.seed == 7, "seed seen")]


def failing_stage(context):
    raise ValueError("stage failed")


STAGES = [("slow", slow_stage), ("quick", quick_stage)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_checks_keep_the_stages_order_and_every_written_file_comes_back(tmp_path, jobs):
    context = SimpleNamespace(artefacts=Folder(tmp_path), seed=7, backend="numpy")
    finished = []
    results = run_stages(STAGES, context, jobs, on_done=lambda name, seconds, done: finished.append(done))
    assert [name for name, *_ in results] == ["slow", "quick"]
    assert [check.name for _, checks, _, _ in results for check in checks] == ["slow", "slow.second", "quick"]
    assert all(check.passed is not False for _, checks, _, _ in results for check in checks)
    assert sorted(path.name for path in context.artefacts.written) == ["quick.txt", "slow.txt"]
    assert finished == [1, 2]
    assert all(seconds >= 0 for *_, seconds in results)


def test_a_stage_that_raises_raises_in_the_caller_too(tmp_path):
    context = SimpleNamespace(artefacts=Folder(tmp_path), seed=7, backend="numpy")
    with pytest.raises(ValueError, match="stage failed"):
        run_stages([("quick", quick_stage), ("failing", failing_stage)], context, 2)


def test_map_threads_keeps_the_order_of_its_items():
    assert map_threads(lambda x: x * x, [3, 1, 2], 2) == [9, 1, 4] == map_threads(lambda x: x * x, [3, 1, 2], 1)
