r"""Published transformer shapes, validated on load, and the note's arithmetic applied to them.

The data (``theory/data/published_shapes.csv``, one row per model, each with its source) are inputs:
GPT-3 (Brown et al. 2020, Table 2.1: n_params, n_layers, d_model, n_heads, d_head), the Pythia suite
(Biderman et al. 2023, model card: published non-embedding parameter counts) and Kaplan et al. (2020)'s
Fig. 5 pair (6 x 4288 and 48 x 1600, loss within 3%). Rows are never corrected here: where a row's
published numbers disagree with each other, :func:`check_shape` says so.

Per model, N = 12 n_layer d_model^2 (:func:`theory.shapes.parameter_count`, Kaplan eq. 2.1) is compared
with the published count: directly for a non-embedding count (the rest is biases and layer norms,
:func:`bias_and_norm_parameters`), after adding the embeddings (:func:`embedding_parameters`) for a
total count as printed (rounded).

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
import itertools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sympy as sp

from theory import shapes as shape_algebra
from theory import symbols
from theory.validation import InvalidParameter, check_choice, check_positive, parse_int

#: The columns of the data file, in order.
COLUMNS = ("family", "model", "n_layer", "d_model", "n_heads", "d_head", "published_params", "params_kind",
           "n_vocab", "n_ctx", "source", "notes")
#: What a published count counts: exact non-embedding parameters, a rounded total including embeddings, or none.
PARAMS_KINDS = ("non-embedding", "total-nominal", "none")
#: Largest |12 L d^2 / published - 1| for an exact non-embedding count (biases and layer norms are the rest).
NON_EMBEDDING_TOLERANCE = 0.005
#: Largest |(12 L d^2 + embeddings) / printed - 1| for a rounded total (GPT-3 prints 350M for 355.6M).
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

    @property
    def kaplan_params(self) -> int:
        """12 n_layer d_model^2 (Kaplan 2020, eq. 2.1, with d_attn = d_model and d_ff = 4 d_model)."""
        return int(shape_algebra.parameter_count(self.d_model, self.n_layer))


def embedding_parameters(d_model, n_vocab, n_ctx):
    """(n_vocab + n_ctx) d_model: token and learned position embeddings (GPT-2/GPT-3 architecture, Radford et al. 2019)."""
    return (n_vocab + n_ctx) * d_model


def bias_and_norm_parameters(d_model, n_layer, attn_ratio=shape_algebra.KAPLAN_ATTN_RATIO,
                             ff_ratio=shape_algebra.KAPLAN_FF_RATIO):
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
              for column in ("n_layer", "d_model", "n_heads", "d_head", "published_params", "n_vocab", "n_ctx")}
    for column in ("n_layer", "d_model"):
        if values[column] is None:
            raise InvalidParameter(field(column), "must be a positive whole number, got ''")
    if (values["n_heads"] is None) != (values["d_head"] is None):
        raise InvalidParameter(field("d_head"), "and n_heads must both be given or both be empty")
    kind = check_choice(field("params_kind"), row["params_kind"].strip() or "none", PARAMS_KINDS)
    if (kind == "none") != (values["published_params"] is None):
        raise InvalidParameter(field("published_params"), f"must be given exactly when params_kind is not 'none' "
                                                          f"(params_kind is {kind!r})")
    if kind == "total-nominal" and (values["n_vocab"] is None or values["n_ctx"] is None):
        raise InvalidParameter(field("n_vocab"), "and n_ctx are needed for a total-nominal count (its embeddings)")
    return PublishedShape(family=row["family"].strip(), model=row["model"].strip(), params_kind=kind,
                          source=row["source"].strip(), notes=(row["notes"] or "").strip(), **values)


def parse_published_shapes(text: str, name: str = DATA_FILE) -> tuple:
    """Rows of a CSV text with :data:`COLUMNS`; any bad cell raises InvalidParameter naming its line and column."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise InvalidParameter(f"{name} header", f"must be {','.join(COLUMNS)}, got {','.join(reader.fieldnames or ())}")
    rows, seen = [], set()
    for line, row in enumerate(reader, start=2):
        where = f"{name} line {line}"
        if None in row or None in row.values():
            raise InvalidParameter(where, f"must have exactly {len(COLUMNS)} cells")
        shape = _parse_row(row, where)
        if shape.model in seen:
            raise InvalidParameter(f"{where}, column model", f"must be unique, got {shape.model!r} twice")
        seen.add(shape.model)
        rows.append(shape)
    if not rows:
        raise InvalidParameter(name, "must hold at least one model")
    return tuple(rows)


def load_published_shapes(path=None, name: str | None = None) -> tuple:
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

    ``compared_params`` is what the published count counts: 12 L d^2 for a non-embedding count, plus the
    embeddings for a total; ``relative_error`` = compared / published - 1.
    """

    shape: PublishedShape
    kaplan_params: int
    compared_params: int | None
    relative_error: float | None
    kaplan_relative_error: float | None
    remainder_is_bias_and_norm: bool | None
    disagreements: tuple


def _compared_params(shape: PublishedShape, d_model: int) -> int:
    count = int(shape_algebra.parameter_count(d_model, shape.n_layer))
    if shape.params_kind == "total-nominal":
        count += int(embedding_parameters(d_model, shape.n_vocab, shape.n_ctx))
    return count


def _tolerance(shape: PublishedShape) -> float:
    return NOMINAL_TOLERANCE if shape.params_kind == "total-nominal" else NON_EMBEDDING_TOLERANCE


def _heads_disagreement(shape: PublishedShape) -> str | None:
    """When n_heads d_head != d_model: the count under both widths, and which one the published count supports."""
    width = shape.n_heads * shape.d_head
    text = f"n_heads x d_head = {shape.n_heads} x {shape.d_head} = {width} differs from d_model = {shape.d_model}"
    if shape.published_params is None:
        return text
    errors = {d: _compared_params(shape, d) / shape.published_params - 1 for d in (shape.d_model, width)}
    counts = "; ".join(
        f"d_model = {d}: 12 L d^2 = {int(shape_algebra.parameter_count(d, shape.n_layer)):.4g}"
        + (f", with embeddings {_compared_params(shape, d):.4g}" if shape.params_kind == "total-nominal" else "")
        + f" ({100 * error:+.2f}% from the published {shape.published_params:.4g})"
        for d, error in errors.items()
    )
    fits = [d for d, error in errors.items() if abs(error) <= _tolerance(shape)]
    verdict = ("the published count does not decide between them" if len(fits) == 2 else
               f"the published count supports d_model = {fits[0]}" if fits else "the published count fits neither")
    return f"{text}; {counts}: {verdict}"


def check_shape(shape: PublishedShape) -> ShapeCheck:
    """Compare 12 L d^2 with the published count and n_heads d_head with d_model; list the disagreements."""
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
                f"12 L d^2{' + embeddings' if shape.params_kind == 'total-nominal' else ''} = {compared:.4g} differs "
                f"from the published {shape.published_params:.4g} by {100 * error:+.2f}% "
                f"(more than {100 * _tolerance(shape):g}%)"
            )
        if shape.params_kind == "non-embedding":
            remainder = shape.published_params - shape.kaplan_params == bias_and_norm_parameters(shape.d_model, shape.n_layer)
    return ShapeCheck(shape, shape.kaplan_params, compared, error, kaplan_error, remainder, tuple(disagreements))


@dataclass(frozen=True)
class ShapePair:
    """Two models of nearly equal N: A (narrower) and B (wider), and what universality implies for B."""

    narrow: PublishedShape
    wide: PublishedShape

    @property
    def relative_difference(self) -> float:
        """|N_B - N_A| / min(N_A, N_B), N = 12 L d^2."""
        low, high = sorted((self.narrow.kaplan_params, self.wide.kaplan_params))
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


def pairs_within(shapes, tolerance: float) -> tuple:
    """Every pair whose N = 12 L d^2 differ by less than ``tolerance`` (relative to the smaller N)."""
    check_positive("tolerance", tolerance)
    pairs = (make_pair(first, second) for first, second in itertools.combinations(shapes, 2))
    return tuple(pair for pair in pairs if pair.relative_difference < tolerance)


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
