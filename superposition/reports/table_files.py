r"""The three files of a derived table: a booktabs fragment, a standalone document that ``\input``\s it, and JSON;
and :class:`TableOutput`, what a table command produces (those files' contents, its terminal view and figures), handed
to the command line's one writer (:func:`superposition.cli.emit.emit`) or written by ``verify``.

>>> files = TableFiles("table_model_ab", "Model A vs Model B")
>>> files.latex_name, files.standalone_name, files.json_name
('table_model_ab.tex', 'table_model_ab_standalone.tex', 'table_model_ab.json')
"""

from dataclasses import dataclass

from superposition.latex import standalone_document


@dataclass(frozen=True)
class TableFiles:
    """Names of a table's files (from ``stem``) and the title of its standalone document."""

    stem: str
    title: str

    @property
    def latex_name(self) -> str:
        return f"{self.stem}.tex"

    @property
    def standalone_name(self) -> str:
        return f"{self.stem}_standalone.tex"

    @property
    def json_name(self) -> str:
        return f"{self.stem}.json"

    def write(self, artefacts, latex_table: str, payload: dict) -> list:
        """Write the fragment (in ``artefacts.table_layout``), its standalone wrapper and the JSON payload through
        ``artefacts`` (provenance added)."""
        return [
            artefacts.write_latex(self.latex_name, artefacts.table_layout.apply(latex_table)),
            artefacts.write_latex(self.standalone_name, standalone_document(self.latex_name, self.title)),
            artefacts.write_json(self.json_name, payload),
        ]


@dataclass(frozen=True)
class JsonFile:
    """The one file of a result without a table (``recover``): its payload as JSON."""

    json_name: str

    def write(self, artefacts, latex_table: str, payload: dict) -> list:
        return [artefacts.write_json(self.json_name, payload)]


@dataclass(frozen=True)
class DocumentFiles:
    """The files of a result that is a whole LaTeX document (``prove``): the document as it is, and its JSON."""

    document_name: str
    json_name: str

    def write(self, artefacts, latex_table: str, payload: dict) -> list:
        return [artefacts.write_latex(self.document_name, latex_table), artefacts.write_json(self.json_name, payload)]


@dataclass(frozen=True)
class TableOutput:
    """A command's result as output: its files (:class:`TableFiles`; :class:`JsonFile` without a table;
    :class:`DocumentFiles` for a whole document, whose text then stands in ``latex_table``), JSON
    payload, LaTeX table, terminal renderables, figures (``(stem, make_figure)`` pairs, drawn only when written),
    warnings, and further text files (``(name, text)`` pairs, e.g. a CSV of the cells)."""

    files: TableFiles | JsonFile | DocumentFiles
    payload: dict
    latex_table: str
    renderables: tuple = ()
    figures: tuple = ()
    warnings: tuple = ()
    texts: tuple = ()

    def write(self, artefacts) -> list:
        """The files, the figures and the text files, through ``artefacts`` (provenance added)."""
        paths = self.files.write(artefacts, self.latex_table, self.payload)
        for stem, make_figure in self.figures:
            paths += artefacts.save_figure(make_figure(), stem)
        return paths + [artefacts.write_text(name, text) for name, text in self.texts]
