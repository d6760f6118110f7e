"""Entry point of the ``superposition`` console script.

Every bad value ends in one line on stderr and exit status 2, never a traceback: argparse errors and
:class:`theory.validation.InvalidParameter` raised anywhere below are both caught here. A computation that
diverges (ArithmeticError, e.g. :class:`numerics.toy_model.TrainingDiverged`) and an environment that fails
(OSError: disk full, unwritable output) end in one line and exit status 1. A reader that closes the pipe early
(``| head``) ends the command quietly with status 0: it asked for no more.
"""

import argparse
import sys

from superposition import __version__
from superposition.cli import capacity, derive, phase_transition, prove, recover, shapes, toy, verify, willshaw
from theory.validation import InvalidParameter

#: The subcommand modules, in the order ``--help`` lists them.
COMMANDS = (derive, prove, recover, phase_transition, capacity, toy, willshaw, shapes, verify)


class OneLineErrorParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (``prog: error: message``) with exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="superposition",
        description=(
            "Verify Katta (2024), 'On Implications of Scaling Laws on Feature Superposition': the Model A/B "
            "table, the scaling-law and capacity algebra, machine-checked lemmas and numerical experiments."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineErrorParser)
    subparsers.required = True
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv=None) -> int:
    from superposition.cli import output

    output.tolerate_narrow_encodings()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InvalidParameter as error:
        print(f"superposition {args.command}: error: {error}", file=sys.stderr)
        return 2
    except ArithmeticError as error:  # a computation diverged (numerics.toy_model.TrainingDiverged): one line
        print(f"superposition {args.command}: error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        output.discard_stdout()
        return 0
    except OSError as error:
        output.discard_stdout()
        where = f": {error.filename}" if error.filename else " (writing the output)"
        print(f"superposition {args.command}: error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"superposition {args.command}: interrupted; artefacts already written are kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
