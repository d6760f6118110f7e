"""``superposition prove``: check every lemma of the note's argument (SymPy, the theorem with Z3); write the document.

Prints a checklist (✓ proved (symbolic), ✓Z3 proved (SMT), ≡ by definition, † cited, ~ numerical evidence,
✗ failed, with the time each took; every Z3 answer and model under its lemma) and the legend, writes ``proofs.tex``
(a standalone document with each lemma's hypotheses, statement and checked derivation steps, Z3's premises as
formulas) and ``proofs.json`` into ``--out``. Exit status 1 if any lemma fails.
"""

import time

from superposition.checks import Check
from superposition.cli import arguments, output
from superposition.latex import PDFLATEX_FIX, PDFLATEX_MISSING, compile_pdf, pdflatex_available

DEFAULT_OUT = "proofs-output"


def register(subparsers) -> None:
    from proofs.catalogue import CAPACITY_PREMISES, NAMES
    from theory.architectures import ARCHITECTURES

    parser = subparsers.add_parser(
        "prove",
        description=(
            "Check every lemma of Katta's argument from formulas derived in theory/, with SymPy, and the theorem "
            "with the SMT solver Z3 (unsat of the four premises; a model when any one is dropped, and for the m^2 "
            "variant): a checklist with statuses proved (symbolic), proved (SMT), by definition, cited, numerical "
            "evidence, failed (seconds each), proofs.tex (a standalone document) and proofs.json in --out. Exit "
            "status 1 if any lemma fails. Lemmas: " + ", ".join(NAMES) + "."
        ),
    )
    parser.add_argument("--only", action="append", choices=NAMES, metavar="NAME",
                        help="check only this lemma (repeatable); one of: " + ", ".join(NAMES))
    parser.add_argument("--capacity", choices=tuple(CAPACITY_PREMISES), default="note",
                        help="capacity function f the lemmas use: the note's -1/(p ln p) (default) or 'printed', "
                             "1/(p ln p) as some copies of the note print it (the lemmas that use f then fail)")
    parser.add_argument("--architecture", choices=tuple(ARCHITECTURES), default=None,
                        help="the parameter count the lemmas and the theorem use, a family of theory.architectures at "
                             "its default ratios (default: Kaplan's eq. 2.1); one not homogeneous of degree 2 in "
                             "d_model and 1 in n_layer is refused")
    arguments.add_output_options(parser, default_out=DEFAULT_OUT)
    parser.set_defaults(run=run)


def proof_output(results, capacity="note", *, family=None, seconds=None):
    """The result as output: ``proofs.tex`` (the standalone document) and ``proofs.json`` (each lemma, step and
    status; the architecture when one is given; the wall time when measured), and the terminal checklist, Z3 report,
    legend and counts."""
    from superposition.reports import proofs as report
    from superposition.reports.model_table import architecture_payload
    from superposition.reports.table_files import DocumentFiles, TableOutput

    payload = report.to_payload(results, capacity)
    if family is not None:
        payload["architecture"] = architecture_payload(family)
    if seconds is not None:
        payload["wall_seconds"] = round(seconds, 4)
    counts = ", ".join(f"{count} {status}" for status, count in payload["counts"].items() if count)
    return TableOutput(
        files=DocumentFiles(report.LATEX_NAME, report.JSON_NAME), payload=payload,
        latex_table=report.to_latex_document(results, capacity),
        renderables=(report.to_checklist(results), report.to_smt_report(results), report.to_legend(),
                     counts + ("" if seconds is None else f" in {seconds:.2f} s")),
    )


def run(args) -> int:
    from proofs.catalogue import check_all
    from proofs.lemma import FAILED
    from superposition.cli.emit import emit
    from superposition.reports.model_table import architecture_text
    from theory.architectures import ARCHITECTURES, require_homogeneous

    family = None if args.architecture is None else require_homogeneous(ARCHITECTURES[args.architecture],
                                                                           "architecture")
    started = time.perf_counter()
    results = check_all(args.only, args.capacity, **({} if family is None else {"parameter_count": family}))
    elapsed = time.perf_counter() - started
    if family is not None:
        output.notice(architecture_text(family))
    emit(args, proof_output(results, args.capacity, family=family, seconds=elapsed))
    return 1 if any(result.status == FAILED for result in results) else 0


def verify_stage(context) -> list[Check]:
    """One check per lemma (passed unless it failed; the detail gives its status and time), and the document."""
    from proofs.catalogue import check_all
    from proofs.lemma import FAILED
    from superposition.reports import proofs as report

    results = check_all()
    tex_path, _ = proof_output(results).write(context.artefacts)
    checks = [
        Check(f"proofs.{result.lemma.name}", result.status != FAILED, f"{result.status} in {result.seconds:.3f} s")
        for result in results
    ]
    if not pdflatex_available():
        return checks + [Check(f"latex.{report.LATEX_NAME}", None, PDFLATEX_MISSING, fix=PDFLATEX_FIX)]
    process = compile_pdf(tex_path)
    last = process.stdout.strip().splitlines()[-1:] if process.returncode else ["compiled with pdflatex"]
    return checks + [Check(f"latex.{report.LATEX_NAME}", process.returncode == 0, " ".join(last))]
