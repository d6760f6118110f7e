"""Entry point of the ``superposition`` console script.

Start-up: a command's module (with SymPy, SciPy, matplotlib, rich or Dask behind it) is imported only when that
command is on the command line; ``superposition --help`` imports none of them and lists the commands from
:data:`COMMANDS`.

Every bad value ends in one line on stderr and exit status 2, never a traceback: argparse errors and
:class:`theory.validation.InvalidParameter` raised anywhere below are both caught here. Library code names the
Python parameter (``max_iter``); :func:`message_for` maps it, and the parameters its reason mentions, to the
command's flags (``--max-iter``) here, once. A computation that diverges (ArithmeticError, e.g.
:class:`numerics.toy_model.TrainingDiverged`) and an environment that fails (OSError: disk full, unwritable output)
end in one line and exit status 1. A reader that closes the pipe early (``| head``) ends the command quietly with
status 0: it asked for no more.
"""

import argparse
import importlib
import re
import sys
from typing import NamedTuple

from superposition import __version__
from superposition.cli.streams import discard_stdout, tolerate_narrow_encodings
from theory.validation import InvalidParameter

class Command(NamedTuple):
    """A subcommand: its ``name``; its ``module`` in :mod:`superposition.cli` (with ``register(subparsers)``); its
    one-line ``summary`` for ``--help``; the ``stages`` it adds to ``verify``, each ``(stage name,
    "module:function")``, the function taking a :class:`superposition.cli.verify.StageContext` and returning checks
    (imported only when ``verify`` runs)."""

    name: str
    module: str
    summary: str
    stages: tuple = ()


#: Every subcommand, once: in the order ``--help`` lists them and ``verify`` runs their stages.
COMMANDS = (
    Command("derive", "derive", "symbolic derivations: the Model A/B table and the note's formulas",
            (("derive", "derive:verify_stage"),)),
    Command("prove", "prove",
            "check the note's argument as a chain of lemmas (SymPy) and a theorem (Z3); write proofs.tex and .json",
            (("prove", "prove:verify_stage"),)),
    Command("willshaw", "willshaw",
            "associative memory whose capacity grows like m^2/(log m)^2, beside compressed sensing (m)",
            (("willshaw", "willshaw:verify_stage"),)),
    Command("shapes", "shapes",
            "the note's arithmetic on published shapes: architecture counts vs published counts, near-equal-N pairs",
            (("shapes", "shapes:verify_stage"),)),
    Command("recover", "recover", "solve a batch of sparse-recovery problems: success rate, errors, problems/s",
            (("recover", "recover:verify_stage"),)),
    Command("phase-transition", "phase_transition",
            "empirical l1 phase transition on a (delta, rho) grid vs Donoho-Tanner",
            (("phase-transition", "phase_transition:verify_stage"),)),
    Command("capacity", "capacity", "largest recoverable n per m at density p, and the exponent a of n_max ~ m^a",
            (("capacity", "capacity:verify_stage"),)),
    Command("toy", "toy",
            "train toy models of superposition: Elhage's intro, features per neuron, phase diagram, geometry",
            (("toy", "toy:verify_stage"), ("toy-scaling", "toy_scaling:verify_stage"), ("toy-ab", "toy_ab:verify_stage"),
             ("toy-phase", "toy_verify:verify_phase_stage"), ("toy-geometry", "toy_verify:verify_geometry_stage"))),
    Command("verify", "verify", "run every derivation, proof and experiment at a small size and record the checks"),
)


def command_module(name: str):
    """The module of subcommand ``name`` (imported now)."""
    module = {command.name: command.module for command in COMMANDS}[name]
    return importlib.import_module(f"superposition.cli.{module}")


def chosen_command(argv) -> str | None:
    """The subcommand named on the command line: its first word not starting with '-' (None if none or unknown)."""
    words = [word for word in argv if not word.startswith("-")]
    names = [command.name for command in COMMANDS]
    return words[0] if words and words[0] in names else None


class OneLineErrorParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (``prog: error: message``) with exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


class WithHelp:
    """Subparsers that give the one parser a module adds the help line of :data:`COMMANDS`."""

    def __init__(self, subparsers, summary: str):
        self.subparsers, self.summary = subparsers, summary

    def add_parser(self, name: str, **options):
        return self.subparsers.add_parser(name, help=self.summary, **options)


def build_parser(argv=None) -> argparse.ArgumentParser:
    """The full parser of the command named in ``argv``; the others are listed by name and help only.

    ``argv=None`` builds every command's parser (imports every command module).
    """
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
    chosen = chosen_command(argv) if argv is not None else None
    for command in COMMANDS:
        if argv is None or command.name == chosen:
            command_module(command.name).register(WithHelp(subparsers, command.summary))
        else:
            subparsers.add_parser(command.name, help=command.summary)
    return parser


def _options(parser: argparse.ArgumentParser):
    """Every optional argument of ``parser`` and of its subcommands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                yield from _options(subparser)
        elif action.option_strings:
            yield action


#: Python parameters whose flag's ``dest`` is another word: a configuration's plural or per-model field, a library
#: function's ``folder``. Every other parameter is found by its own name among the command's ``dest``.
DESTS = {"densities": "density", "n_a": "n", "m_a": "m", "n_bootstrap": "bootstrap", "folder": "out"}
#: How a :class:`~theory.validation.InvalidParameter` reason mentions another parameter: its name in backticks.
MENTION = re.compile(r"`(\w+)`")


def flag_for(parser: argparse.ArgumentParser, command: str, name: str) -> str:
    """The flag of ``command`` whose value is the Python parameter ``name`` (``name`` itself if none is).

    >>> flag_for(build_parser(), "phase-transition", "max_iter")
    '--max-iter'
    >>> flag_for(build_parser(), "capacity", "densities")
    '--density'
    """
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = [action for action in _options(subcommands.choices[command]) if action.option_strings[-1].startswith("--")]
    for dest in (name, DESTS.get(name)):
        for action in options:
            if action.dest == dest:
                return action.option_strings[-1]
    return name


def message_for(parser: argparse.ArgumentParser, command: str, error: InvalidParameter) -> str:
    """``error`` in the words of ``command``'s flags: its parameter and every parameter its reason mentions. A name
    may locate the value inside its parameter after a space (``data line 2, column n_layer``): the first word is the
    parameter.

    >>> message_for(build_parser(), "recover", InvalidParameter("batch", "too large; `max_memory` sets another"))
    '--batch too large; --max-memory sets another'
    """
    parameter, space, where = error.name.partition(" ")
    reason = MENTION.sub(lambda mention: flag_for(parser, command, mention.group(1)), error.reason)
    return f"{flag_for(parser, command, parameter)}{space}{where} {reason}"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    tolerate_narrow_encodings()
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        if hasattr(args, "tabular"):
            from superposition.cli import arguments  # imported here: --help stays free of the table machinery

            arguments.table_layout(args)  # the LaTeX options are refused before any work, not after a long run
        return args.run(args)
    except InvalidParameter as error:
        print(f"superposition {args.command}: error: {message_for(parser, args.command, error)}", file=sys.stderr)
        return 2
    except ArithmeticError as error:  # a computation diverged (numerics.toy_model.TrainingDiverged): one line
        print(f"superposition {args.command}: error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        discard_stdout()
        return 0
    except OSError as error:
        discard_stdout()
        where = f": {error.filename}" if error.filename else " (writing the output)"
        print(f"superposition {args.command}: error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"superposition {args.command}: interrupted; artefacts already written are kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
