r"""Booktabs LaTeX tables that ``\input`` cleanly, standalone wrappers, and a pdflatex runner.

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

import shutil
import subprocess
import tempfile
from pathlib import Path

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


def booktabs_table(header, rows, caption: str, label: str, footnotes=(), column_spec: str | None = None) -> str:
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


def compile_pdf(tex_path) -> subprocess.CompletedProcess:
    """Compile ``tex_path`` with pdflatex in a scratch folder next to its inputs; returns the process.

    The PDF is not kept: this is a check that the document compiles, not a build step.
    """
    tex_path = Path(tex_path).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"-output-directory={scratch}", tex_path.name],
            cwd=tex_path.parent, capture_output=True, text=True, timeout=120,
        )
