"""Argument types and shared options: every bad value becomes a one-line argparse error (exit 2).

Types wrap :mod:`theory.validation` so that the CLI and the Python API refuse the same values with the
same words. Numbers are parsed exactly, never through ``eval``/``sympify``.
"""

import argparse
import re

from theory import validation


def argument_type(parse, name_for_errors: str):
    """An argparse type from a theory.validation parser: InvalidParameter becomes a one-line argparse error."""

    def convert(text):
        try:
            return parse(text)
        except validation.InvalidParameter as error:
            raise argparse.ArgumentTypeError(error.reason) from None

    convert.__name__ = name_for_errors
    return convert


positive_rational = argument_type(
    lambda text: validation.check_positive("value", validation.parse_rational("value", text)), "positive number"
)
positive_int = argument_type(
    lambda text: validation.check_positive("value", validation.parse_int("value", text)), "positive integer"
)
nonnegative_int = argument_type(
    lambda text: validation.check_in_interval(
        "value", validation.parse_int("value", text), 0, float("inf"), closed_low=True
    ),
    "non-negative integer",
)
density = argument_type(
    lambda text: validation.check_in_interval("value", validation.parse_float("value", text), 0, 1, closed_high=True),
    "density in (0, 1]",
)
positive_float = argument_type(
    lambda text: validation.check_positive("value", validation.parse_float("value", text)), "positive number"
)
nonnegative_float = argument_type(
    lambda text: validation.check_in_interval(
        "value", validation.parse_float("value", text), 0, float("inf"), closed_low=True
    ),
    "number >= 0",
)
probability_open = argument_type(
    lambda text: validation.check_in_interval("value", validation.parse_float("value", text), 0, 1),
    "probability in (0, 1)",
)


def comma_list(item_type):
    """A type that parses ``"a,b,c"`` into a non-empty list, each item with ``item_type``; an empty item is refused.

    >>> comma_list(positive_int)("1, 2")
    [1, 2]
    >>> comma_list(positive_int)("0.1,,0.2")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a non-empty comma-separated list without empty items, got '0.1,,0.2' (item 2 is empty)
    """

    def convert(text):
        items = str(text).split(",")
        if not str(text).strip():
            raise argparse.ArgumentTypeError(f"must be a non-empty comma-separated list, got {text!r}")
        for position, item in enumerate(items, start=1):
            if not item.strip():
                raise argparse.ArgumentTypeError(f"must be a non-empty comma-separated list without empty items, got {text!r} "
                                                 f"(item {position} is empty)")
        return [item_type(item) for item in items]

    convert.__name__ = f"comma-separated list of {item_type.__name__}"
    return convert


#: What a command can print on stdout.
FORMATS = ("text", "latex", "json")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """``--format text|latex|json`` (``--json`` from :func:`add_output_options` means ``--format json``), and the
    LaTeX layout options (:func:`add_latex_options`)."""
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="what to print on stdout (default: text; --json is the same as --format json)")
    add_latex_options(parser)


def add_latex_options(parser: argparse.ArgumentParser) -> None:
    """``--tabular``, ``--caption``, ``--label``: how LaTeX tables are written (stdout and ``--out``)."""
    group = parser.add_argument_group("LaTeX tables")
    group.add_argument("--tabular", action="store_true",
                       help="write each LaTeX table as a bare booktabs tabular for your own float "
                            "(default: a table float with caption and label)")
    group.add_argument("--caption", metavar="TEXT", default=None,
                       help="the table float's caption (LaTeX, one line; default: the package's own)")
    group.add_argument("--label", metavar="KEY", default=None,
                       help="the table float's \\label key (letters, digits, :._/-; default: the package's own)")


def table_layout(args):
    """The :class:`~superposition.latex.TableLayout` the LaTeX options ask for (errors name ``caption`` and
    ``label``, which the entry point maps to their flags)."""
    from superposition.latex import TableLayout

    return TableLayout("tabular" if args.tabular else "float", caption=args.caption, label=args.label)


def add_output_options(parser: argparse.ArgumentParser, default_out=None) -> None:
    """``--json`` (machine-readable result on stdout) and ``--out DIR`` (artefacts)."""
    group = parser.add_argument_group("output")
    group.add_argument("--json", action="store_true", help="print the result as JSON on stdout (with provenance)")
    group.add_argument(
        "--out", metavar="DIR", default=default_out,
        help="write artefacts (LaTeX, JSON, figures) into DIR" + (f" (default: {default_out})" if default_out else ""),
    )


def parse_byte_size(text: str) -> int:
    """A number of bytes: ``4G``, ``512MiB``, ``1.5T``, ``100000`` (binary units K, M, G, T; B/iB optional).

    >>> parse_byte_size("4G"), parse_byte_size("512 MiB"), parse_byte_size("1000")
    (4294967296, 536870912, 1000)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([KMGT]?)(?:i?B)?\s*", str(text), flags=re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"must be a size such as 4G, 512M or 1.5GiB, got {text!r}")
    size = int(float(match.group(1)) * 1024 ** " KMGT".index(match.group(2).upper() or " "))
    if size < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 byte, got {text!r}")
    return size


parse_byte_size.__name__ = "memory size"

