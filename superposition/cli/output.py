"""Printing results: a rich table for people, JSON for programs; progress and notices go to stderr."""

import sys

from rich.console import Console

from superposition.strict_json import dumps_strict


class QuietConsole(Console):
    """A rich Console that lets a closed pipe (``| head``) end the command quietly through BrokenPipeError."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


stdout = QuietConsole(highlight=False, soft_wrap=True)
stderr = QuietConsole(stderr=True, highlight=False, soft_wrap=True)


def print_json(payload: dict) -> None:
    """Print ``payload`` as indented strict JSON on stdout (plain, no colour codes; NaN as null with a reason)."""
    sys.stdout.write(dumps_strict(payload, indent=2) + "\n")
    sys.stdout.flush()


def notice(message: str) -> None:
    """A one-line notice on stderr (warnings, fallbacks, where artefacts went)."""
    stderr.print(message)


class progress_bar:
    """A rich progress bar with ETA on stderr, used as ``with progress_bar(total, "cells") as advance: advance(1)``.

    ``advance`` is a plain callable, so numerics code can take it as an ``on_progress`` callback
    without importing the CLI. Hidden when ``enabled`` is False (e.g. under ``--json`` with no TTY).
    """

    def __init__(self, total: int, description: str, enabled: bool = True):
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=stderr, disable=not enabled, transient=False,
        )
        self._task = self._progress.add_task(description, total=total)

    def __enter__(self):
        self._progress.start()
        return lambda amount=1: self._progress.advance(self._task, amount)

    def __exit__(self, *exc_info):
        self._progress.stop()
        return False
