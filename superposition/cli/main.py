"""Entry point of the ``superposition`` console script.

Every bad value ends in one line on stderr and exit status 2, never a traceback: argparse errors and
:class:`theory.validation.InvalidParameter` raised anywhere below are both caught here. Library code names the
Python parameter (``max_iter``); :func:`flag_for` maps it to the command's flag (``--max-iter``) here, once. A
computation that diverges (ArithmeticError, e.g. :class:`numerics.toy_model.TrainingDiverged`) and an environment
that fails (OSError: disk full, unwritable output) end in one line and exit status 1. A reader that closes the pipe
early (``| head``) ends the command quietly with status 0: it asked for no more.
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


def _options(parser: argparse.ArgumentParser):
    """Every optional argument of ``parser`` and of its subcommands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                yield from _options(subparser)
        elif action.option_strings:
            yield action


def flag_for(parser: argparse.ArgumentParser, command: str, name: str) -> str:
    """The flag of ``command`` whose value is the Python parameter ``name`` (``name`` itself if none is).

    >>> flag_for(build_parser(), "phase-transition", "max_iter")
    '--max-iter'
    """
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for action in _options(subcommands.choices[command]):
        if action.dest == name.replace("-", "_") and action.option_strings[-1].startswith("--"):
            return action.option_strings[-1]
    return name


def main(argv=None) -> int:
    from superposition.cli import output

    output.tolerate_narrow_encodings()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InvalidParameter as error:
        print(f"superposition {args.command}: error: {flag_for(parser, args.command, error.name)} {error.reason}",
              file=sys.stderr)
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
