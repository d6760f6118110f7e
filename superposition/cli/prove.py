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


def write_artefacts(results, artefacts, capacity="note") -> list:
    """``proofs.tex`` (standalone) and ``proofs.json`` (each lemma, step and status, with provenance)."""
    from superposition.reports import proofs as report

    return [
        artefacts.write_latex(report.LATEX_NAME, report.to_latex_document(results, capacity)),
        artefacts.write_json(report.JSON_NAME, report.to_payload(results, capacity)),
    ]


def run(args) -> int:
    from proofs.catalogue import check_all
    from proofs.lemma import FAILED
    from superposition.artefacts import Artefacts
    from superposition.provenance import collect
    from superposition.reports import proofs as report
    from superposition.reports.model_table import architecture_payload, architecture_text
    from theory.architectures import ARCHITECTURES, require_homogeneous

    family = None if args.architecture is None else require_homogeneous(ARCHITECTURES[args.architecture],
                                                                           "architecture")
    started = time.perf_counter()
    results = check_all(args.only, args.capacity, **({} if family is None else {"parameter_count": family}))
    elapsed = time.perf_counter() - started
    provenance = collect()
    paths = write_artefacts(results, Artefacts(args.out, provenance), args.capacity) if args.out else []
    payload = report.to_payload(results, args.capacity)
    if family is not None:
        payload["architecture"] = architecture_payload(family)
        output.notice(architecture_text(family))
    if args.json:
        output.print_json({**payload, "wall_seconds": round(elapsed, 4), "provenance": provenance})
    else:
        output.stdout.print(report.to_checklist(results))
        output.stdout.print(report.to_smt_report(results))
        output.stdout.print(report.to_legend())
        counts = payload["counts"]
        output.stdout.print(", ".join(f"{count} {status}" for status, count in counts.items() if count)
                            + f" in {elapsed:.2f} s")
        for path in paths:
            output.notice(f"wrote {path}")
    return 1 if any(result.status == FAILED for result in results) else 0


def verify_stage(context) -> list[Check]:
    """One check per lemma (passed unless it failed; the detail gives its status and time), and the document."""
    from proofs.catalogue import check_all
    from proofs.lemma import FAILED
    from superposition.reports import proofs as report

    results = check_all()
    tex_path, _ = write_artefacts(results, context.artefacts)
    checks = [
        Check(f"proofs.{result.lemma.name}", result.status != FAILED, f"{result.status} in {result.seconds:.3f} s")
        for result in results
    ]
    if not pdflatex_available():
        return checks + [Check(f"latex.{report.LATEX_NAME}", None, PDFLATEX_MISSING, fix=PDFLATEX_FIX)]
    process = compile_pdf(tex_path)
    last = process.stdout.strip().splitlines()[-1:] if process.returncode else ["compiled with pdflatex"]
    return checks + [Check(f"latex.{report.LATEX_NAME}", process.returncode == 0, " ".join(last))]
