r"""Published transformer shapes, validated on load, and the note's arithmetic applied to them.

The data (``theory/data/published_shapes.csv``, one row per model, each with its source) are inputs:
GPT-3 (Brown et al. 2020, Table 2.1: n_params, n_layers, d_model, n_heads, d_head), the Pythia suite
(Biderman et al. 2023, model card: published non-embedding parameter counts), Kaplan et al. (2020)'s
Fig. 5 pair (6 x 4288 and 48 x 1600, loss within 3%), Llama 2 (Touvron et al. 2023, arXiv:2307.09288) and
Llama 3.1 (Llama Team 2024, arXiv:2407.21783) with their SwiGLU widths and key/value heads. Rows are never
corrected here: where a row's published numbers disagree with each other, :func:`check_shape` says so.

Per model, the count of its architecture (:mod:`theory.architectures`; Kaplan's N = 12 n_layer d_model^2,
eq. 2.1, unless the row names another, at the row's d_ff/d_model and n_kv_heads/n_heads) is compared with
the published count: directly for a non-embedding count (the rest is biases and layer norms,
:func:`bias_and_norm_parameters`), after adding the embeddings (:data:`EMBEDDINGS`) for a total count as
printed (rounded).

For a pair of models of nearly equal N, universality (the same F features) and linear superposition give
the features-per-neuron ratio of the wider model B to model A, total neurons of A over total neurons of B,
d_A L_A / (d_B L_B): the effective width factor k of the note's table (k = d_B/d_A exactly when N_A = N_B).

>>> shapes = {shape.model: shape for shape in load_published_shapes()}
>>> pair = make_pair(shapes["Kaplan (6 x 4288)"], shapes["Kaplan (48 x 1600)"])
>>> pair.wide.model, pair.features_per_neuron_ratio
('Kaplan (6 x 4288)', 200/67)
"""

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sympy as sp

from theory import shapes as shape_algebra
from theory import symbols
from theory.architectures import ARCHITECTURES, Architecture, architecture
from theory.validation import InvalidParameter, check_choice, check_positive, parse_int

#: The columns of a data file without architecture columns (every row Kaplan's, GPT-2 embeddings); still read.
BASIC_COLUMNS = ("family", "model", "n_layer", "d_model", "n_heads", "d_head", "published_params", "params_kind",
                 "n_vocab", "n_ctx", "source", "notes")
#: The columns of the data file, in order: the basic ones, then each row's architecture (empty: kaplan), MLP width
#: d_ff and key/value heads (empty: the architecture's ratios), and how its embeddings count (empty: tied).
COLUMNS = (*BASIC_COLUMNS, "architecture", "d_ff", "n_kv_heads", "embeddings")
#: What a published count counts: exact non-embedding parameters, a rounded total including embeddings, or none.
PARAMS_KINDS = ("non-embedding", "total-nominal", "none")
#: Largest |12 L d^2 / published - 1| for an exact non-embedding count (biases and layer norms are the rest).
NON_EMBEDDING_TOLERANCE = 0.005
#: Smallest allowed |(N + embeddings) / printed - 1| for a rounded total (GPT-3 prints 350M for 355.6M); a total
#: printed with one or two significant digits (Llama 2 "7B") may differ by half a unit in its last digit.
NOMINAL_TOLERANCE = 0.025
DATA_FILE = "published_shapes.csv"


@dataclass(frozen=True)
class PublishedShape:
    """One row of the data file; optional numbers are None where the source gives none."""

    family: str
    model: str
    n_layer: int
    d_model: int
    n_heads: int | None
    d_head: int | None
    published_params: int | None
    params_kind: str
    n_vocab: int | None
    n_ctx: int | None
    source: str
    notes: str
    architecture: str = "kaplan"
    d_ff: int | None = None
    n_kv_heads: int | None = None
    embeddings: str = "tied-learned-positions"

    @functools.cached_property
    def kaplan_params(self) -> int:
        """12 n_layer d_model^2 (Kaplan 2020, eq. 2.1, with d_attn = d_model and d_ff = 4 d_model), computed once."""
        return int(shape_algebra.parameter_count(self.d_model, self.n_layer))

    @property
    def count(self) -> Architecture:
        """The row's parameter count: its architecture at d_ff/d_model and n_kv_heads/n_heads where given."""
        return architecture(
            self.architecture,
            ff_ratio=None if self.d_ff is None else sp.Rational(self.d_ff, self.d_model),
            kv_ratio=None if self.n_kv_heads is None else sp.Rational(self.n_kv_heads, self.n_heads),
        )

    @property
    def architecture_params(self) -> int:
        """The architecture's non-embedding count at this shape (12 L d^2 for a Kaplan row)."""
        return int(self.count(self.d_model, self.n_layer))


def embedding_parameters(d_model: int, n_vocab: int, n_ctx: int) -> int:
    """(n_vocab + n_ctx) d_model: token and learned position embeddings (GPT-2/GPT-3 architecture, Radford et al. 2019)."""
    return (n_vocab + n_ctx) * d_model


def untied_embedding_parameters(d_model: int, n_vocab: int) -> int:
    """2 n_vocab d_model: an input embedding and a separate output projection, rotary positions without
    parameters (LLaMA, Touvron et al. 2023; Llama 3, Llama Team 2024)."""
    return 2 * n_vocab * d_model


#: How a row's embeddings count, by the value of its ``embeddings`` column: (what it needs, count(shape, d_model)).
EMBEDDINGS = {
    "tied-learned-positions": (("n_vocab", "n_ctx"), lambda shape, d: embedding_parameters(d, shape.n_vocab, shape.n_ctx)),
    "untied-rotary": (("n_vocab",), lambda shape, d: untied_embedding_parameters(d, shape.n_vocab)),
}


def bias_and_norm_parameters(d_model: sp.Expr | int, n_layer: sp.Expr | int,
                             attn_ratio: sp.Expr | float = shape_algebra.KAPLAN_ATTN_RATIO,
                             ff_ratio: sp.Expr | float = shape_algebra.KAPLAN_FF_RATIO) -> sp.Expr:
    """Biases and layer-norm parameters that eq. 2.1 leaves out (GPT-NeoX layer, Black et al. 2022).

    Per layer: biases of Q, K, V (3 d_attn) and of the attention output (d_model), of the MLP (d_ff and
    d_model), two layer norms with gain and bias (4 d_model); after the last layer one more norm (2 d_model).

    >>> from theory.symbols import d_model, n_layer
    >>> bias_and_norm_parameters(d_model, n_layer)
    13*d_model*n_layer + 2*d_model
    """
    per_layer = 3 * attn_ratio * d_model + d_model + ff_ratio * d_model + d_model + 4 * d_model
    return sp.expand(n_layer * per_layer + 2 * d_model)


@functools.cache
def _layers_at_count():
    """n_layer(N, d_model) solved from N = parameter_count(d_model, n_layer) (Kaplan eq. 2.1)."""
    params = sp.Symbol("N", positive=True)
    (layers,) = sp.solve(sp.Eq(shape_algebra.parameter_count(symbols.d_model, symbols.n_layer), params), symbols.n_layer)
    return sp.lambdify((params, symbols.d_model), layers, "math")


def layers_at(params: float, d_model: float) -> float:
    """The (fractional) number of layers that gives N = ``params`` at width ``d_model``: N / (12 d_model^2).

    >>> layers_at(12 * 24 * 2048**2, 2048)
    24.0
    """
    return float(_layers_at_count()(params, d_model))


def _optional_int(name: str, text: str) -> int | None:
    return None if text.strip() == "" else int(check_positive(name, parse_int(name, text)))


def _parse_row(row: dict, where: str) -> PublishedShape:
    def field(column):
        return f"{where}, column {column}"

    for column in ("family", "model", "source"):
        if not row[column].strip():
            raise InvalidParameter(field(column), "must not be empty")
    values = {column: _optional_int(field(column), row[column])
              for column in ("n_layer", "d_model", "n_heads", "d_head", "published_params", "n_vocab", "n_ctx",
                             "d_ff", "n_kv_heads")}
    for column in ("n_layer", "d_model"):
        if values[column] is None:
            raise InvalidParameter(field(column), "must be a positive whole number, got ''")
    if (values["n_heads"] is None) != (values["d_head"] is None):
        raise InvalidParameter(field("d_head"), "and n_heads must both be given or both be empty")
    kind = check_choice(field("params_kind"), row["params_kind"].strip() or "none", PARAMS_KINDS)
    if (kind == "none") != (values["published_params"] is None):
        raise InvalidParameter(field("published_params"), f"must be given exactly when params_kind is not 'none' "
                                                          f"(params_kind is {kind!r})")
    name = check_choice(field("architecture"), row["architecture"].strip() or "kaplan", tuple(ARCHITECTURES))
    embeddings = check_choice(field("embeddings"), row["embeddings"].strip() or "tied-learned-positions",
                              tuple(EMBEDDINGS))
    needed = EMBEDDINGS[embeddings][0]
    if kind == "total-nominal" and any(values[column] is None for column in needed):
        raise InvalidParameter(field(needed[0]), f"{'and ' + needed[1] + ' are' if len(needed) > 1 else 'is'} needed "
                                                 f"for a total-nominal count with {embeddings} embeddings")
    if values["n_kv_heads"] is not None and (values["n_heads"] is None or values["n_kv_heads"] > values["n_heads"]):
        raise InvalidParameter(field("n_kv_heads"), f"must be at most n_heads ({values['n_heads']}), "
                                                    f"got {values['n_kv_heads']}")
    return PublishedShape(family=row["family"].strip(), model=row["model"].strip(), params_kind=kind,
                          source=row["source"].strip(), notes=(row["notes"] or "").strip(), architecture=name,
                          embeddings=embeddings, **values)


def parse_published_shapes(text: str, name: str = DATA_FILE) -> tuple:
    """Rows of a CSV text with :data:`COLUMNS`; any bad cell raises InvalidParameter naming its line and column."""
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    if header not in (COLUMNS, BASIC_COLUMNS):
        raise InvalidParameter(f"{name} header", f"must be {','.join(COLUMNS)} (or its first {len(BASIC_COLUMNS)} "
                                                 f"columns), got {','.join(header)}")
    rows, seen = [], set()
    for line, row in enumerate(reader, start=2):
        where = f"{name} line {line}"
        if None in row or None in row.values():
            raise InvalidParameter(where, f"must have exactly {len(header)} cells")
        shape = _parse_row({column: "" for column in COLUMNS} | row, where)
        if shape.model in seen:
            raise InvalidParameter(f"{where}, column model", f"must be unique, got {shape.model!r} twice")
        seen.add(shape.model)
        rows.append(shape)
    if not rows:
        raise InvalidParameter(name, "must hold at least one model")
    return tuple(rows)


def load_published_shapes(path: str | Path | None = None, name: str | None = None) -> tuple:
    """The shipped data file, or the CSV at ``path`` (same columns), validated."""
    if path is None:
        return parse_published_shapes(resources.files("theory.data").joinpath(DATA_FILE).read_text("utf-8"))
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidParameter(name or str(path), f"must be a readable UTF-8 CSV file ({error})") from None
    return parse_published_shapes(text, name or Path(path).name)


@dataclass(frozen=True)
class ShapeCheck:
    """A row's counts side by side, and every way its published numbers disagree with each other.

    ``compared_params`` is what the published count counts: the architecture's N (12 L d^2 for Kaplan's) for a
    non-embedding count, plus the embeddings for a total; ``relative_error`` = compared / published - 1.
    """

    shape: PublishedShape
    kaplan_params: int
    architecture_params: int
    compared_params: int | None
    relative_error: float | None
    kaplan_relative_error: float | None
    remainder_is_bias_and_norm: bool | None
    disagreements: tuple


def _compared_params(shape: PublishedShape, d_model: int) -> int:
    count = int(shape.count(d_model, shape.n_layer))
    if shape.params_kind == "total-nominal":
        count += int(EMBEDDINGS[shape.embeddings][1](shape, d_model))
    return count


def rounding_tolerance(printed: int) -> float:
    """Half a unit in the last significant digit of ``printed``, relative: 7B -> 0.5/7, 13B -> 0.5/13, 350M -> 0.5/35.

    >>> round(rounding_tolerance(7_000_000_000), 4), round(rounding_tolerance(350_000_000), 4)
    (0.0714, 0.0143)
    """
    digits = str(printed).rstrip("0")
    return 0.5 / int(digits)


def _tolerance(shape: PublishedShape) -> float:
    if shape.params_kind != "total-nominal":
        return NON_EMBEDDING_TOLERANCE
    return max(NOMINAL_TOLERANCE, rounding_tolerance(shape.published_params))


def _count_name(shape: PublishedShape) -> str:
    return "12 L d^2" if shape.architecture == "kaplan" and shape.d_ff is None else f"N ({shape.architecture})"


def _heads_disagreement(shape: PublishedShape) -> str | None:
    """When n_heads d_head != d_model: the count under both widths, and which one the published count supports."""
    width = shape.n_heads * shape.d_head
    text = f"n_heads x d_head = {shape.n_heads} x {shape.d_head} = {width} differs from d_model = {shape.d_model}"
    if shape.published_params is None:
        return text
    errors = {d: _compared_params(shape, d) / shape.published_params - 1 for d in (shape.d_model, width)}
    counts = "; ".join(
        f"d_model = {d}: {_count_name(shape)} = {int(shape.count(d, shape.n_layer)):.4g}"
        + (f", with embeddings {_compared_params(shape, d):.4g}" if shape.params_kind == "total-nominal" else "")
        + f" ({100 * error:+.2f}% from the published {shape.published_params:.4g})"
        for d, error in errors.items()
    )
    fits = [d for d, error in errors.items() if abs(error) <= _tolerance(shape)]
    verdict = ("the published count does not decide between them" if len(fits) == 2 else
               f"the published count supports d_model = {fits[0]}" if fits else "the published count fits neither")
    return f"{text}; {counts}: {verdict}"


def check_shape(shape: PublishedShape) -> ShapeCheck:
    """Compare the architecture's count (12 L d^2 for Kaplan's) with the published count and n_heads d_head with
    d_model; list the disagreements."""
    disagreements = []
    if shape.n_heads is not None and shape.n_heads * shape.d_head != shape.d_model:
        disagreements.append(_heads_disagreement(shape))
    compared = error = kaplan_error = remainder = None
    if shape.published_params is not None:
        compared = _compared_params(shape, shape.d_model)
        error = compared / shape.published_params - 1
        kaplan_error = shape.kaplan_params / shape.published_params - 1
        if abs(error) > _tolerance(shape):
            disagreements.append(
                f"{_count_name(shape)}{' + embeddings' if shape.params_kind == 'total-nominal' else ''} = {compared:.4g} differs "
                f"from the published {shape.published_params:.4g} by {100 * error:+.2f}% "
                f"(more than {100 * _tolerance(shape):g}%)"
            )
        if shape.params_kind == "non-embedding":
            remainder = shape.published_params - shape.kaplan_params == bias_and_norm_parameters(shape.d_model, shape.n_layer)
    return ShapeCheck(shape, shape.kaplan_params, shape.architecture_params, compared, error, kaplan_error, remainder,
                      tuple(disagreements))


@dataclass(frozen=True)
class ShapePair:
    """Two models of nearly equal N: A (narrower) and B (wider), and what universality implies for B."""

    narrow: PublishedShape
    wide: PublishedShape

    @property
    def relative_difference(self) -> float:
        """|N_B - N_A| / min(N_A, N_B), N each model's architecture count (12 L d^2 for Kaplan's)."""
        low, high = sorted((self.narrow.architecture_params, self.wide.architecture_params))
        return (high - low) / low

    @property
    def width_ratio(self) -> sp.Rational:
        """d_B / d_A."""
        return sp.Rational(self.wide.d_model, self.narrow.d_model)

    @property
    def features_per_neuron_ratio(self) -> sp.Rational:
        """(F / neurons_B) / (F / neurons_A) = total neurons of A over those of B: the effective width factor."""
        neurons = [shape_algebra.neurons_per_layer(sp.Integer(shape.d_model)) * shape.n_layer
                   for shape in (self.narrow, self.wide)]
        return sp.Rational(neurons[0], neurons[1])


def make_pair(first: PublishedShape, second: PublishedShape) -> ShapePair:
    """The pair with B the wider model (on equal widths, the one with fewer layers, so B/A >= 1)."""
    narrow, wide = sorted((first, second), key=lambda shape: (shape.d_model, -shape.n_layer))
    return ShapePair(narrow, wide)


def pairs_within(shapes: Iterable[PublishedShape], tolerance: float) -> tuple:
    """Every pair whose N (architecture counts) differ by less than ``tolerance`` (relative to the smaller N), in input order.

    Sorted by N, the partners of a model are the run of larger models right after it, so the search takes
    O(rows log rows + pairs) instead of comparing all rows^2 / 2 pairs.
    """
    check_positive("tolerance", tolerance)
    shapes = list(shapes)
    counts = [shape.architecture_params for shape in shapes]
    order = sorted(range(len(shapes)), key=counts.__getitem__)
    found = []
    for position, low in enumerate(order):
        for high in (order[later] for later in range(position + 1, len(order))):
            if (counts[high] - counts[low]) / counts[low] >= tolerance:
                break
            found.append((min(low, high), max(low, high)))
    return tuple(make_pair(shapes[first], shapes[second]) for first, second in sorted(found))


#: The capacity functions under which the shapes report gives B's density (theory.capacity).
DENSITY_FUNCTIONS = ("note", "l1-signed")


def density_needed(pair: ShapePair, reference_density: float, function: str) -> tuple:
    """(p_B, None) with f(p_B) = (B/A features per neuron) f(p_A) at p_A = ``reference_density``, or (None, why).

    >>> shapes = {shape.model: shape for shape in load_published_shapes()}
    >>> pair = make_pair(shapes["Kaplan (6 x 4288)"], shapes["Kaplan (48 x 1600)"])
    >>> round(density_needed(pair, 0.05, "note")[0], 6)
    0.011163
    """
    from theory.capacity_functions import required_density

    try:
        return required_density(reference_density, float(pair.features_per_neuron_ratio), function), None
    except InvalidParameter as error:
        return None, str(error)


__all__ = ["BASIC_COLUMNS", "COLUMNS", "DATA_FILE", "DENSITY_FUNCTIONS", "EMBEDDINGS", "NOMINAL_TOLERANCE",
           "NON_EMBEDDING_TOLERANCE", "PARAMS_KINDS", "PublishedShape", "ShapeCheck", "ShapePair", "bias_and_norm_parameters",
           "check_shape", "density_needed", "embedding_parameters", "layers_at", "load_published_shapes", "make_pair",
           "pairs_within", "parse_published_shapes", "rounding_tolerance", "untied_embedding_parameters"]
