"""``superposition verify``: run every stage of the package at a laptop size and record each check.

Writes into ``--out`` (default ``verify-output``): each stage's artefacts, ``references.bib`` and
``summary.json`` (each check: name, passed, detail, kind, fix; counts of passed, failed, skipped and measurements
apart; provenance). Exit status 1 if any check fails. A skipped check (passed None) names what to install to run it.
"""

import importlib
from dataclasses import dataclass

from superposition.bibliography import references_bib
from superposition.checks import Check, counts
from superposition.cli.backend_option import add_backend_option, resolve_backend
from superposition.cli import arguments, output, verify_pool
from superposition.cli.main import COMMANDS
from superposition.cli.memory_option import add_memory_option, check_memory
from superposition.latex import PDFLATEX_FIX, PDFLATEX_MISSING, compile_pdf, pdflatex_available

DEFAULT_OUT = "verify-output"
DEFAULT_SEED = 20240701


@dataclass
class StageContext:
    """What a stage gets: where to write, the master seed and the array backend."""

    artefacts: object
    seed: int
    backend: str


def stages() -> list:
    """(name, stage) in the order they run: the stages :data:`superposition.cli.main.COMMANDS` names, imported now;
    a stage takes a :class:`StageContext` and returns its checks."""
    def imported(target: str):
        module, function = target.split(":")
        return getattr(importlib.import_module(f"superposition.cli.{module}"), function)

    return [(name, imported(target)) for command in COMMANDS for name, target in command.stages]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "verify",
        description=__doc__.split("\n\n")[0].strip() + " Writes each stage's artefacts, references.bib and "
        "summary.json into --out; exit status 1 if any check fails.",
    )
    parser.add_argument("--seed", type=arguments.nonnegative_int, default=DEFAULT_SEED,
                        help=f"master seed of the numerical stages (default: {DEFAULT_SEED})")
    add_backend_option(parser, "array backend of the numerical stages")
    parser.add_argument("--jobs", type=arguments.positive_int, default=None,
                        help="stages run side by side in this many worker processes (at most one per stage), each "
                             "with its share of the cores' BLAS threads; results do not depend on it (default: the "
                             "cores available; 1 on CuPy)")
    add_memory_option(parser)
    arguments.add_output_options(parser, default_out=DEFAULT_OUT)
    parser.set_defaults(run=run)


def latex_checks(paths, jobs: int = 1) -> list[Check]:
    """Compile every standalone document written (``jobs`` at a time), or record why it could not be."""
    documents = [path for path in paths if path.suffix == ".tex" and "standalone" in path.stem]
    if not pdflatex_available():
        return [Check(f"latex.{path.name}", None, PDFLATEX_MISSING, fix=PDFLATEX_FIX) for path in documents]

    def compiled(path) -> Check:
        process = compile_pdf(path)
        last = process.stdout.strip().splitlines()[-1:] if process.returncode else ["compiled with pdflatex"]
        return Check(f"latex.{path.name}", process.returncode == 0, " ".join(last))

    return verify_pool.map_threads(compiled, documents, jobs)


def run(args) -> int:
    from numerics.memory import verify_peak
    from superposition.artefacts import Artefacts
    from superposition.cli.emit import emit
    from superposition.provenance import collect
    from superposition.reports.table_files import JsonFile, TableOutput

    backend = resolve_backend(args.backend)  # an unusable --backend cupy is a one-line error before any stage
    stage_list = stages()
    jobs = 1 if backend.name == "cupy" else min(args.jobs or verify_pool.available_cores(), len(stage_list))
    check_memory(args, verify_peak(workers=jobs if jobs > 1 else 0), backend=backend.name)
    provenance = collect(seed=args.seed, backend=backend.name, device=backend.device)
    artefacts = Artefacts(args.out, provenance)
    context = StageContext(artefacts=artefacts, seed=args.seed, backend=backend.name)

    def done(name, seconds, count):
        if not args.json:
            output.notice(f"[bold]{name}[/] done in {seconds:.1f} s ({count} of {len(stage_list)})")

    results = verify_pool.run_stages(stage_list, context, jobs, on_done=done)
    checks = [check for _, stage_checks, _, _ in results for check in stage_checks]
    timings = {name: round(seconds, 3) for name, _, _, seconds in results}
    artefacts.write_text("references.bib", references_bib())
    checks.extend(latex_checks(artefacts.written, jobs))
    failed = [check for check in checks if check.passed is False]
    summary = {
        "passed": not failed,
        "counts": counts(checks),
        "fixes": fixes(checks),
        "stage_seconds": timings,
        "checks": [check.to_dict() for check in checks],
        "artefacts": sorted({str(path.relative_to(artefacts.folder)) for path in artefacts.written} | {"summary.json"}),
    }
    result = TableOutput(files=JsonFile("summary.json"), payload=summary, latex_table="",
                         renderables=checklist(checks, artefacts.folder))
    emit(args, result, provenance=provenance, artefacts=artefacts)
    return 1 if failed else 0


def checklist(checks, folder) -> tuple:
    """The terminal view: every check with its mark and detail, the headline counts, and each skip's install fix."""
    from rich.table import Table

    table = Table(title="superposition verify")
    for column in ("", "check", "detail"):
        table.add_column(column, overflow="fold")
    marks = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[yellow]–[/]"}
    for check in checks:
        mark = "[cyan]m[/]" if check.kind == "measurement" else marks[check.passed]
        table.add_row(mark, check.name, check.detail)
    skips = (f"to run the {len(names)} skipped check(s) {', '.join(names)}: {fix}"
             for fix, names in fixes(checks).items())
    return (table, headline(checks) + f"; artefacts in {folder}/", *skips)


def fixes(checks) -> dict:
    """For each install fix, the skipped checks it would let run."""
    grouped = {}
    for check in checks:
        if check.skipped:
            grouped.setdefault(check.fix or "no fix known", []).append(check.name)
    return grouped


def headline(checks) -> str:
    """Passed, failed, skipped and measured, each counted apart (a skip is not a pass).

    >>> checks = [Check("a", True, ""), Check("b", None, "", fix="install x")]
    >>> headline(checks + [Check("c", None, "", kind="measurement")])
    '1 passed, 0 failed, 1 skipped (not run: see the fix below), 1 measurement (no pass mark) of 3'
    """
    number = counts(checks)
    skipped = f"{number['skipped']} skipped" + (" (not run: see the fix below)" if number["skipped"] else "")
    plural = "s" if number["measurements"] != 1 else ""
    return (f"{number['passed']} passed, {number['failed']} failed, {skipped}, {number['measurements']} "
            f"measurement{plural} (no pass mark) of {len(checks)}")
