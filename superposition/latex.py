r"""Booktabs LaTeX tables that ``\input`` cleanly (as a ``table`` float or a bare ``tabular``, :class:`TableLayout`),
standalone wrappers, and a pdflatex runner.

>>> print(booktabs_table(["", "A"], [["x", "$1$"]], caption="C", label="tab:c"))  # doctest: +NORMALIZE_WHITESPACE
\begin{table}[htbp]
\centering
\caption{C}
\label{tab:c}
\begin{tabular}{ll}
\toprule
 & A \\
\midrule
x & $1$ \\
\bottomrule
\end{tabular}
\end{table}
"""

import re
from collections.abc import Iterable, Sequence
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from theory.validation import InvalidParameter, check_choice

#: Packages a standalone document loads; all are in Debian's texlive-latex-base / -recommended.
STANDALONE_PACKAGES = ("amsmath", "amssymb", "booktabs")


def escape_text(text: str) -> str:
    """Escape LaTeX's special characters in plain text (not in math)."""
    replacements = {
        "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
        "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    }
    return "".join(replacements.get(character, character) for character in text)


def math(cell: str) -> str:
    """Wrap a LaTeX math string in ``$...$``."""
    return f"${cell}$"


def booktabs_table(header: Sequence[str], rows: Iterable[Sequence[str]], caption: str, label: str,
                   footnotes: Iterable[str] = (), column_spec: str | None = None) -> str:
    """A ``table`` float holding a booktabs ``tabular``; cells are used as given (already LaTeX)."""
    columns = column_spec or "l" * len(header)
    lines = [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{caption}}}",
        rf"\label{{{label}}}",
        rf"\begin{{tabular}}{{{columns}}}",
        r"\toprule",
        " & ".join(header) + r" \\",
        r"\midrule",
        *(" & ".join(row) + r" \\" for row in rows),
        r"\bottomrule",
        r"\end{tabular}",
    ]
    if footnotes:
        lines.append(r"\par\smallskip\footnotesize")
        lines.extend(f"{note}\\par" for note in footnotes)
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


#: How a table is written: a ``table`` float (caption, label, footnotes) or a bare ``tabular`` for the user's own float.
TABLE_FORMS = ("float", "tabular")
#: Commands that need a package beyond booktabs, by package (checked by compiling each table with only these).
PACKAGE_COMMANDS = {
    "amsmath": (r"\text{", r"\operatorname", r"\tfrac", r"\dfrac", r"\binom", r"\boldsymbol", r"\lvert", r"\lVert"),
    "amssymb": (r"\checkmark", r"\mathbb", r"\lesssim", r"\gtrsim", r"\varnothing", r"\leqslant", r"\geqslant"),
}
_FLOAT = re.compile(r"\\begin\{table\}\[htbp\]\n(?P<body>.*?)\\end\{table\}\n?", re.DOTALL)
_LABEL = re.compile(r"[A-Za-z0-9:._/-]+")


def required_packages(latex: str) -> tuple:
    r"""The packages ``latex`` needs: booktabs, then each of :data:`PACKAGE_COMMANDS` whose commands it uses.

    >>> required_packages(r"\toprule $\text{a}$ \checkmark")
    ('booktabs', 'amsmath', 'amssymb')
    """
    used = [package for package, commands in PACKAGE_COMMANDS.items() if any(command in latex for command in commands)]
    return ("booktabs", *used)


def package_header(latex: str) -> str:
    r"""A comment line naming the packages the fragment needs in the preamble.

    >>> package_header(r"\toprule")
    '% Needs in the preamble: \\usepackage{booktabs}\n'
    """
    return "% Needs in the preamble: " + ", ".join(rf"\usepackage{{{name}}}" for name in required_packages(latex)) + "\n"


def _balanced(text: str) -> bool:
    depth = 0
    for character in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


@dataclass(frozen=True)
class TableLayout:
    r"""How a table is written: ``form`` "float" (a booktabs ``table`` float) or "tabular" (the bare ``tabular``,
    its caption and footnotes as comments above it), with ``caption`` and ``label`` replacing the table's own
    (float only). Where one output holds several tables, each caption becomes "``caption`` --- own caption" and
    the labels ``label``, ``label``-2, ...

    >>> table = booktabs_table(["n"], [["$2$"]], caption="Own.", label="tab:own", footnotes=["A note."])
    >>> print(TableLayout("tabular").apply(table), end="")
    % Needs in the preamble: \usepackage{booktabs}
    % caption: Own.
    % footnote: A note.
    \begin{tabular}{l}
    \toprule
    n \\
    \midrule
    $2$ \\
    \bottomrule
    \end{tabular}
    >>> TableLayout(caption="Mine", label="tab:mine").apply(table).splitlines()[3:5]
    ['\\caption{Mine}', '\\label{tab:mine}']
    """

    form: str = "float"
    caption: str | None = None
    label: str | None = None

    def __post_init__(self):
        check_choice("form", self.form, TABLE_FORMS)
        for name in ("caption", "label"):
            if getattr(self, name) is not None and self.form != "float":
                raise InvalidParameter(name, "applies to the table float, not to a bare tabular")
        if self.caption is not None and ("\n" in self.caption or not self.caption.strip() or not _balanced(self.caption)):
            raise InvalidParameter("caption", f"must be one line of LaTeX with balanced braces, got {self.caption!r}")
        if self.label is not None and not _LABEL.fullmatch(self.label):
            raise InvalidParameter("label", f"must be letters, digits and :._/- only, got {self.label!r}")

    def apply(self, latex: str) -> str:
        """``latex`` (one or more floats from :func:`booktabs_table`) in this layout, with :func:`package_header`."""
        floats = list(_FLOAT.finditer(latex))
        if not floats:
            raise ValueError("no table float from booktabs_table in the LaTeX given")
        parts, end = [], 0
        for index, match in enumerate(floats):
            parts.append(latex[end:match.start()])
            parts.append(self._one(match.group("body"), index, len(floats)))
            end = match.end()
        parts.append(latex[end:])
        body = "".join(parts)
        return package_header(body) + body

    def _one(self, body: str, index: int, count: int) -> str:
        lines = body.splitlines()
        caption = next(line for line in lines if line.startswith(r"\caption{"))[len(r"\caption{"):-1]
        start, stop = lines.index(next(line for line in lines if line.startswith(r"\begin{tabular}"))), \
            lines.index(r"\end{tabular}")
        if self.form == "tabular":
            notes = [line.removesuffix(r"\par") for line in lines[stop + 1:] if line != r"\par\smallskip\footnotesize"]
            comments = [f"% caption: {caption}", *(f"% footnote: {note}" for note in notes)]
            return "\n".join(comments + lines[start:stop + 1]) + "\n"
        if self.caption is not None:
            caption = self.caption if count == 1 else f"{self.caption} --- {caption}"
        replaced = []
        for line in lines:
            if line.startswith(r"\caption{"):
                line = rf"\caption{{{caption}}}"
            elif line.startswith(r"\label{") and self.label is not None:
                line = rf"\label{{{self.label if index == 0 else f'{self.label}-{index + 1}'}}}"
            replaced.append(line)
        return "\n".join([r"\begin{table}[htbp]", *replaced, r"\end{table}"]) + "\n"


def standalone_document(input_name: str, title: str | None = None) -> str:
    r"""A minimal article that ``\input``\s ``input_name`` (a file in the same folder)."""
    preamble = "\n".join(rf"\usepackage{{{package}}}" for package in STANDALONE_PACKAGES)
    heading = rf"\section*{{{escape_text(title)}}}" + "\n" if title else ""
    return (
        "\\documentclass{article}\n"
        f"{preamble}\n"
        "\\begin{document}\n"
        f"{heading}"
        f"\\input{{{input_name}}}\n"
        "\\end{document}\n"
    )


#: What to install so that the LaTeX checks run (the packages CI installs).
PDFLATEX_FIX = "install pdflatex: apt-get install texlive-latex-base texlive-latex-recommended"
PDFLATEX_MISSING = "pdflatex not found: not compiled"


def pdflatex_available() -> bool:
    """Whether ``pdflatex`` is on the PATH."""
    return shutil.which("pdflatex") is not None


def compile_pdf(tex_path: str | Path) -> subprocess.CompletedProcess:
    """Compile ``tex_path`` with pdflatex in a scratch folder next to its inputs; returns the process.

    The PDF is not kept: this is a check that the document compiles, not a build step.
    """
    tex_path = Path(tex_path).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"-output-directory={scratch}", tex_path.name],
            cwd=tex_path.parent, capture_output=True, text=True, timeout=120,
        )


__all__ = ["PACKAGE_COMMANDS", "STANDALONE_PACKAGES", "TABLE_FORMS", "TableLayout", "booktabs_table", "compile_pdf",
           "escape_text", "math", "package_header", "pdflatex_available", "required_packages", "standalone_document"]
