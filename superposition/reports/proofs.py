r"""The checked lemmas as a proof document (``proofs.tex``), as JSON (``proofs.json``) and as a terminal checklist.

The document is standalone (it compiles with pdflatex as it is): the legend of statuses, a summary table, then per
lemma its hypotheses, its statement (the claims of its concluding steps) and every checked derivation step with its
status; a step Z3 decided lists the premises it was given as formulas, Z3's answer and, for sat, the model.
"""

from rich.table import Table

from proofs.lemma import CITED, DEFINITION, EVIDENCE, FAILED, LEGEND, PROVED_SMT, PROVED_SYMBOLIC, weakest
from superposition.latex import booktabs_table, escape_text, math
from theory.capacity_functions import REGISTRY
from theory.symbols import to_latex

LATEX_NAME = "proofs.tex"
JSON_NAME = "proofs.json"

#: Status -> (terminal mark, LaTeX mark).
MARKS = {
    PROVED_SYMBOLIC: ("[green]✓[/]", r"$\checkmark$"),
    PROVED_SMT: ("[green]✓Z3[/]", r"$\checkmark_{\mathrm{Z3}}$"),
    DEFINITION: ("[blue]≡[/]", r"$\equiv$"),
    CITED: ("[cyan]†[/]", r"$\dagger$"),
    EVIDENCE: ("[yellow]~[/]", r"$\sim$"),
    FAILED: ("[red]✗[/]", r"$\times$"),
}
#: How a lemma's status is combined from its steps, said once for the document, the JSON and the terminal.
RULE = ("A lemma's status is the weakest of its steps' statuses, in the order failed < numerical evidence < cited < "
        "proved (SMT) < proved (symbolic); steps by definition weaken nothing, and a lemma made only of them is by "
        "definition. The theorem's status is Z3's verdict combined with the statuses of the lemmas its premises cite.")
#: Why only the exponents of the parameter count matter.
CONSTANT_NOTE = ("Only the exponents of d_model and n_layer in the parameter count N enter the argument: a constant "
                 "factor (18 L d^2 instead of Kaplan's 12 L d^2) cancels from N(k d, L_B) = N(d, L) and from every "
                 "ratio B/A, so every lemma holds unchanged; N proportional to d^3 L or d L^2 changes the exponents, "
                 "and the lemmas that depend on them fail.")
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
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
        "legend": {**LEGEND, "rule": RULE},
        "counts": {status: sum(result.status == status for result in results) for status in LEGEND},
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


def _smt_lines(query) -> list:
    """The premises Z3 was given (grouped by label), its answer and, for sat, the model."""
    lines, labels = [r"\begin{itemize}\setlength\itemsep{0pt}\footnotesize"], []
    for label, _, _ in query.premises:
        if label not in labels:
            labels.append(label)
    for label in labels:
        formulas = ", ".join(math(latex) for name, latex, _ in query.premises if name == label)
        lines.append(rf"\item {escape_text(label)}: {formulas}")
    lines.append(r"\end{itemize}")
    model = ": " + ", ".join(math(f"{latex} = {value}") for _, latex, value in query.model) if query.model else ""
    lines.append(rf"{{\footnotesize Z3 answers \textbf{{{escape_text(query.verdict)}}}{model}"
                 rf"{escape_text(query.sources)}.}}")
    return lines


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
        if step.smt is not None:
            lines += _smt_lines(step.smt)
        elif step.detail:
            lines.append(rf"{{\footnotesize {escape_text(step.detail)}}}")
    lines += [r"\end{enumerate}", r"\end{proof}", ""]
    return "\n".join(line for line in lines if line is not None) + "\n"


#: What the document says about the capacity premise, by ``--capacity`` choice.
CAPACITY_NOTES = {
    **{key: f.premise_note for key, f in REGISTRY.items() if f.expression is not None},
    "printed": "The capacity function is $f(p) = 1/(p \\ln p)$, the sign some copies of the note print: the "
               "lemmas that use $f$ are expected to fail.",
}


def _legend() -> str:
    items = "\n".join(rf"\item[{MARKS[status][1]}] \emph{{{escape_text(status)}}}: {escape_text(LEGEND[status])}."
                      for status in LEGEND)
    return (r"\paragraph{Statuses.}" + "\n" + r"\begin{description}" + "\n" + items + "\n" + r"\end{description}"
            + "\n" + escape_text(RULE) + "\n\n" + r"\paragraph{The constant of $N$.} " + escape_text(CONSTANT_NOTE)
            + "\n")


def to_latex_document(results, capacity="note") -> str:
    """The standalone proof document."""
    counts = to_payload(results)["counts"]
    tally = ", ".join(f"{count} {escape_text(status)}" for status, count in counts.items() if count)
    introduction = (
        "Each lemma of the argument of Katta (2024), \\emph{On Implications of Scaling Laws on Feature "
        "Superposition} (arXiv:2407.01459), checked from formulas derived in the package "
        "\\texttt{scaling-superposition}: by the computer algebra system SymPy, and the theorem and the density "
        "shift by the SMT solver Z3 over the reals, with the premises as formulas and Z3's answer shown. "
        f"{CAPACITY_NOTES[capacity]} Here: {tally}."
    )
    return (
        PREAMBLE
        + r"\title{The argument of Katta (2024), machine-checked}" + "\n"
        + r"\author{scaling-superposition}" + "\n" + r"\date{}" + "\n"
        + "\\begin{document}\n\\maketitle\n\n" + introduction + "\n\n" + _legend() + "\n"
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


def to_smt_report(results) -> str:
    """Every step Z3 decided, by lemma: its status, what it shows, Z3's answer and the model (terminal markup)."""
    lines = []
    for result in results:
        for step in (step for step in result.steps if step.smt is not None):
            lines.append(f"{MARKS[step.status][0]} {result.lemma.name}: {step.description}")
            lines.append(f"    Z3 answers {step.smt.verdict}"
                         + (": " + ", ".join(f"{name} = {value}" for name, _, value in step.smt.model)
                            if step.smt.model else ""))
    return "\n".join(lines)


def to_legend() -> str:
    """The statuses with their marks and meanings, and how a lemma's status is combined (terminal markup)."""
    return "\n".join([*(f"{MARKS[status][0]} {status}: {LEGEND[status]}" for status in LEGEND), RULE])
