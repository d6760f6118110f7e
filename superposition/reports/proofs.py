r"""The checked lemmas as a proof document (``proofs.tex``), as JSON (``proofs.json``) and as a terminal checklist.

The document is standalone (it compiles with pdflatex as it is): a summary table, then per lemma its hypotheses,
its statement (the claims of its concluding steps) and every checked derivation step with its status.
"""

from rich.table import Table

from proofs.lemma import EVIDENCE, FAILED, PROVED, weakest
from superposition.latex import booktabs_table, escape_text, math
from theory.symbols import to_latex

LATEX_NAME = "proofs.tex"
JSON_NAME = "proofs.json"

#: Status -> (terminal mark, LaTeX mark).
MARKS = {
    PROVED: ("[green]✓[/]", r"$\checkmark$"),
    EVIDENCE: ("[yellow]~[/]", r"$\sim$"),
    FAILED: ("[red]✗[/]", r"$\times$"),
}
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb,amsthm,booktabs}
\newtheorem{lemma}{Lemma}
\newtheorem*{theorem*}{Theorem}
\sloppy
"""


def overall_status(results) -> str:
    """The weakest status among ``results`` (``failed`` if any failed)."""
    return weakest(result.status for result in results)


def to_payload(results, capacity="note") -> dict:
    """JSON-ready: the capacity premise, the overall status, counts per status, and each lemma with its steps."""
    return {
        "capacity": capacity,
        "status": overall_status(results),
        "counts": {status: sum(result.status == status for result in results) for status in (PROVED, EVIDENCE, FAILED)},
        "seconds": round(sum(result.seconds for result in results), 4),
        "lemmas": [result.to_dict() for result in results],
    }


def _summary_table(results) -> str:
    rows = [
        [str(index) if result.lemma.name != "theorem" else "", rf"\texttt{{{escape_text(result.lemma.name)}}}",
         escape_text(result.lemma.title), MARKS[result.status][1] + " " + escape_text(result.status),
         f"{result.seconds:.3f}"]
        for index, result in enumerate(results, start=1)
    ]
    return booktabs_table(["", "name", "lemma", "status", "s"], rows, caption="The lemmas and their status",
                          label="tab:proofs", column_spec="rlp{8.2cm}ll")


def _lemma_section(result) -> str:
    lemma = result.lemma
    environment = "theorem*" if lemma.name == "theorem" else "lemma"
    hypotheses = ", ".join(math(to_latex(hypothesis)) for hypothesis in lemma.hypotheses)
    formal = [lemma.formal] if lemma.formal else []
    statement = "".join(rf"\[ {latex} \]" + "\n" for latex in formal + [claim.latex() for claim in result.statement])
    lines = [
        rf"\begin{{{environment}}}[{escape_text(lemma.title)}]\label{{lem:{lemma.name}}}",
        rf"(\texttt{{{escape_text(lemma.name)}}}) {escape_text(lemma.summary)}",
        "",
        rf"\emph{{Hypotheses:}} {hypotheses}." if hypotheses else "",
        "",
        (r"\emph{Statement:}" + "\n" + statement) if statement else "",
        rf"\end{{{environment}}}",
        rf"\begin{{proof}}[Checked derivation ({MARKS[result.status][1]} {escape_text(result.status)}, "
        rf"{result.seconds:.3f}\,s)]",
        r"\begin{enumerate}",
    ]
    for step in result.steps:
        lines.append(rf"\item {MARKS[step.status][1]} {escape_text(step.description)}.")
        if step.claim is not None:
            lines.append(rf"\[ {step.claim.latex()} \]")
        if step.detail:
            lines.append(rf"{{\footnotesize {escape_text(step.detail)}}}")
    lines += [r"\end{enumerate}", r"\end{proof}", ""]
    return "\n".join(line for line in lines if line is not None) + "\n"


#: What the document says about the capacity premise, by ``--capacity`` choice.
CAPACITY_NOTES = {
    "note": "The capacity function is the note's $f(p) = -1/(p \\ln p)$.",
    "printed": "The capacity function is $f(p) = 1/(p \\ln p)$, the sign some copies of the note print: the "
               "lemmas that use $f$ are expected to fail.",
}


def to_latex_document(results, capacity="note") -> str:
    """The standalone proof document."""
    counts = to_payload(results)["counts"]
    introduction = (
        "Each lemma of the argument of Katta (2024), \\emph{On Implications of Scaling Laws on Feature "
        "Superposition} (arXiv:2407.01459), checked by the computer algebra system SymPy from formulas derived in "
        "the package \\texttt{scaling-superposition}. A step is \\emph{proved} ($\\checkmark$) when SymPy "
        "establishes it symbolically (simplification to zero, solving, the sign of an expression on an interval "
        "written as the image of positive variables); a step checked only at sampled points is labelled "
        "\\emph{numerical evidence} ($\\sim$); a step SymPy cannot establish is \\emph{failed} ($\\times$). "
        f"{CAPACITY_NOTES[capacity]} Here: {counts[PROVED]} proved, {counts[EVIDENCE]} numerical evidence, "
        f"{counts[FAILED]} failed."
    )
    return (
        PREAMBLE
        + r"\title{The argument of Katta (2024), machine-checked}" + "\n"
        + r"\author{scaling-superposition}" + "\n" + r"\date{}" + "\n"
        + "\\begin{document}\n\\maketitle\n\n" + introduction + "\n\n"
        + _summary_table(results) + "\n"
        + "".join(_lemma_section(result) for result in results)
        + "\\end{document}\n"
    )


def to_checklist(results) -> Table:
    """The terminal checklist: mark, name, title, status, steps, seconds; failed steps listed under their lemma."""
    table = Table(title="superposition prove")
    for column in ("", "lemma", "statement", "status", "steps", "s"):
        table.add_column(column, overflow="fold")
    for result in results:
        table.add_row(MARKS[result.status][0], result.lemma.name, result.lemma.title, result.status,
                      str(len(result.steps)), f"{result.seconds:.3f}")
        for step in result.steps:
            if step.status == FAILED:
                table.add_row("", "", f"[red]✗ {step.description}[/]: {step.detail}", "", "", "")
    return table
