"""Printing results: a rich table for people, JSON for programs; progress and notices go to stderr."""

import json
import sys

from rich.console import Console

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(payload: dict) -> None:
    """Print ``payload`` as indented JSON on stdout (plain, no colour codes)."""
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
    sys.stdout.flush()


def notice(message: str) -> None:
    """A one-line notice on stderr (warnings, fallbacks, where artefacts went)."""
    stderr.print(message)
