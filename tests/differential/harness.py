"""The differential harness: TensorFlow's static shape inference is the oracle of our shape functions.

TensorFlow is asked without running a kernel (the CPU build lacks some, e.g. NCHW or grouped
convolutions): the op is traced into a graph -- a ``tf.function`` concretized on ``tf.TensorSpec``
inputs, or a plain ``tf.Graph`` for TF1-only APIs (placeholders, ``get_variable``) -- and we read the
static shape of the result. An exception while tracing means TensorFlow rejects.

Verdicts (see :func:`differential`):

* both reject: agreement;
* we raise a ``ShapeError`` and TensorFlow's static inference accepts: a **false positive**, the
  test fails -- unless a ``confirm`` callback proves the error another way: a documented *silent*
  bug whose wrong result TensorFlow computes, or an error only TensorFlow's kernel raises (checked
  by running it);
* we return a shape and TensorFlow rejects: a **missed finding**, recorded in :data:`NOTES` and
  printed at the end of the run, never a failure;
* both accept: the shapes must agree. Inputs may hold symbolic dims (``fresh_symbol``) and unknown
  dims (``None``), which TensorFlow sees as ``None``; the same case is then traced a second time with
  every dim concrete, and each dim we compute must evaluate (symbols replaced by their values) to
  TensorFlow's dim on that instance. Where we say "unknown" and TensorFlow knows the size, that is
  an imprecision: a failure for fully concrete inputs (``exact``), a note otherwise.
"""

from __future__ import annotations

import collections
import functools
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tfshapelint.domain.values import UNKNOWN, Const, ListVal, TensorVal, TupleVal, Value, fresh_tensor
from tfshapelint.ops import registry
from tfshapelint.ops.errors import ShapeError
from tfshapelint.shapes import dims
from tfshapelint.shapes.dims import Expr, Symbol

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# TFSHAPELINT_DIFF_SCALE=10 runs ten times more examples (a nightly job); CI keeps 1.
SCALE = float(os.environ.get("TFSHAPELINT_DIFF_SCALE", "1"))

# The symbols the tests make, as one analysis of their own makes them: printed as given, never equal
# to one another.
fresh_symbol = dims.Symbols("tests/differential").named


def examples(n: int) -> settings:
    """Reproducible hypothesis settings for ``n`` examples (scaled by TFSHAPELINT_DIFF_SCALE)."""
    return settings(
        max_examples=max(1, int(n * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


# -- TensorFlow as the oracle ---------------------------------------------------------------------


@functools.cache
def tf():
    import tensorflow

    return tensorflow


@dataclass(frozen=True)
class Rejected:
    """TensorFlow raised while building the op."""

    message: str

    def __str__(self) -> str:
        return f"TF rejects: {self.message}"


def _tf_errors() -> tuple:
    return (ValueError, TypeError, tf().errors.OpError)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    # tf.function wraps the message in "in user code: File ..." lines; the error is the last one.
    text = lines[-1] if lines and lines[0].startswith("in user code") else (lines[0] if lines else "")
    return f"{type(error).__name__}: {text[:300]}"


def static_shape(value: Any) -> Optional[tuple]:
    """A tensor's (or TensorShape's) static shape as a tuple with None for unknown dims."""
    shape = value if isinstance(value, tf().TensorShape) else value.shape
    if shape.rank is None:
        return None
    return tuple(shape.as_list())


def resolve(path: str) -> Callable:
    """``tf.nn.conv2d`` -> the TF2 function; falls back to ``tf.compat.v1`` for TF1-only names."""
    parts = path.split(".")
    assert parts[0] == "tf", path
    for base in (tf(), tf().compat.v1):
        obj = base
        try:
            for part in parts[1:]:
                obj = getattr(obj, part)
        except AttributeError:
            continue
        return obj
    raise LookupError(f"{path} exists neither in tf nor in tf.compat.v1")


def traced(build: Callable, *specs: tuple) -> Any:
    """TF's static output shape of ``build(*inputs)`` traced as a ``tf.function``.

    ``specs`` are ``(shape, dtype)`` pairs (``shape`` None for an unknown rank; dtype a tf dtype or
    None for float32). Returns a tuple / None (unknown rank) or :class:`Rejected`.
    """
    t = tf()
    fn = t.function(build, autograph=False)
    signature = [t.TensorSpec(shape, dtype or t.float32) for shape, dtype in specs]
    try:
        out = fn.get_concrete_function(*signature).structured_outputs
    except _tf_errors() as error:
        return Rejected(_first_line(error))
    return static_shape(out)


def in_graph(build: Callable, shape_of: Callable = static_shape) -> Any:
    """Run ``build()`` in a fresh ``tf.Graph`` (TF1 APIs: placeholders, get_variable, ...).

    Returns ``shape_of(result)`` or :class:`Rejected`.
    """
    with tf().Graph().as_default():
        try:
            out = build()
        except _tf_errors() as error:
            return Rejected(_first_line(error))
        return shape_of(out)


def eager(build: Callable, shape_of: Callable = static_shape) -> Any:
    """Run ``build()`` eagerly (objects whose call runs tiny CPU kernels, e.g. Keras initializers)."""
    try:
        out = build()
    except _tf_errors() as error:
        return Rejected(_first_line(error))
    return shape_of(out)


def kernel_rejects(build: Callable, *shapes: tuple) -> bool:
    """Whether running ``build`` eagerly on zeros of ``shapes`` raises (small shapes only)."""
    t = tf()
    result = eager(lambda: build(*[t.zeros(shape) for shape in shapes]))
    return isinstance(result, Rejected)


def placeholders(*specs) -> list:
    """Graph placeholders for ``(shape, dtype)`` pairs, inside :func:`in_graph`."""
    t = tf()
    return [t.compat.v1.placeholder(dtype or t.float32, shape) for shape, dtype in specs]


# -- our side ---------------------------------------------------------------------------------------


def ours(fn: Callable, *args, **kwargs) -> Any:
    """Our result, or the ShapeError we raise (any other exception is a crash: it propagates)."""
    try:
        return fn(*args, **kwargs)
    except ShapeError as error:
        return error


def abstract(value: Any) -> Any:
    """Python data as the abstract value the interpreter would build for the same literal."""
    if isinstance(value, Value):  # already abstract (a tensor, a number of unknown value, a summary...)
        return value
    if isinstance(value, list):
        return ListVal(tuple(abstract(v) for v in value))
    if isinstance(value, tuple):
        return TupleVal(tuple(abstract(v) for v in value))
    return Const(value)


def call_op(name: str, *args, **kwargs) -> Any:
    """Call the registered adapter of ``name`` on abstract arguments (plain data is wrapped)."""
    fn = registry.lookup(name)
    assert fn is not None, f"{name} is not registered"
    reported: list = []
    call = registry.Call(name=registry.canonical(name), args=[abstract(a) for a in args],
                         kwargs={k: abstract(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol,
                         reporter=lambda error, *_: reported.append(error))
    result = ours(fn, call)
    if reported and not isinstance(result, ShapeError):
        # a reported error (a silent bug): compared as an error, with the value the op went on with
        reported[0].facts["result"] = result
        return reported[0]
    return result


def result_shape(value: Any) -> Any:
    """The shape of an adapter's result (a TensorVal; UNKNOWN is an unknown rank), passing errors through."""
    if isinstance(value, ShapeError):
        return value
    if value is UNKNOWN:
        return None
    assert isinstance(value, TensorVal), f"expected a tensor, got {value!r}"
    return value.shape


# -- unknown and symbolic dims ------------------------------------------------------------------


class Instance:
    """Turns the concrete dims of a case into what each side sees.

    Every dim is drawn once, as a concrete int. Our side may instead see a symbol (shared by all
    dims of the same value drawn as symbolic, so equal symbols always have equal values) or an
    unknown (``None``); TensorFlow's "partial" side sees ``None`` for both, its "concrete" side the
    int. ``env`` maps each symbol to its value, to evaluate our symbolic results.
    """

    def __init__(self, data, mode: Optional[str] = None):
        self.data = data
        self.mode = mode or data.draw(st.sampled_from(["concrete", "concrete", "symbolic", "unknown"]), label="mode")
        self.env: dict[Symbol, int] = {}
        self._symbols: dict[int, Expr] = {}
        self.partial = False  # some dim is a symbol or unknown
        self.unknowns = False  # some dim is None on our side

    def dim(self, value: int, batch: bool = False) -> tuple:
        """(ours, tf_partial) for a dim whose concrete value is ``value``."""
        if self.mode == "concrete" or value < 1:
            return value, value
        roll = self.data.draw(st.integers(0, 9), label="dim kind")
        symbol_odds = 6 if batch else 2
        if self.mode == "symbolic" and roll < symbol_odds or self.mode == "unknown" and roll < symbol_odds // 2:
            self.partial = True
            return self.symbol(value), None
        if self.mode == "unknown" and roll >= 7:
            self.partial = self.unknowns = True
            return None, None
        return value, value

    def symbol(self, value: int) -> Expr:
        if value not in self._symbols:
            expr = fresh_symbol(f"s{value}")
            (atom,) = expr.atoms()
            self.env[atom] = value
            self._symbols[value] = expr
        return self._symbols[value]

    def shape(self, concrete: Optional[tuple], batch_axes: tuple = (0,)) -> tuple:
        """(ours, tf_partial) for a whole shape; dims on ``batch_axes`` are more often symbolic."""
        if concrete is None:
            return None, None
        pairs = [self.dim(d, batch=i in batch_axes) for i, d in enumerate(concrete)]
        return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)

    def tensor(self, concrete: Optional[tuple], batch_axes: tuple = (0,), kind: str = "tensor") -> tuple:
        """(TensorVal for our side, partial shape for TF's side)."""
        mine, partial = self.shape(concrete, batch_axes)
        return fresh_tensor(mine, kind=kind), partial


def evaluate(dim: Any, env: dict) -> Any:
    """The value of one of our dims once its symbols are given values (an int, or an Expr constant
    when not whole, which equals no size TensorFlow gives): the same substitution a run's re-check uses."""
    return dims.substitute(dim, env)


# -- notes: missed findings and imprecisions, printed by conftest ---------------------------------

NOTES: dict[tuple, list] = {}

# (op, verdict) -> how many examples ended so; shows the cases are not vacuous (both accept often).
VERDICTS: collections.Counter = collections.Counter()


def note(kind: str, op: str, detail: str, example: str = "") -> None:
    key = (kind, op, re.sub(r"\d+", "#", detail)[:160])
    entry = NOTES.setdefault(key, [0, example or detail])
    entry[0] += 1


# -- the verdict --------------------------------------------------------------------------------------


class Disagreement(AssertionError):
    pass


def differential(op: str, mine: Any, tf_side: Callable[[bool], Any], inst: Optional[Instance] = None, *,
                 exact: Optional[bool] = None, confirm: Optional[Callable] = None, describe: str = "") -> str:
    """Compare our result with TensorFlow's; fail on a false positive or a wrong shape.

    ``mine`` is our shape (tuple / None) or the ShapeError we raised. ``tf_side(concrete)`` traces
    the same case in TensorFlow, with the partial shapes (``concrete=False``) or the concrete ones.
    ``confirm(error, tf_concrete_result)`` may accept an error TensorFlow's static inference does not
    raise (see the module doc). Returns the verdict: "both accept", "both reject", "missed",
    "confirmed", "imprecise", or "unknowns" (TF rejects the instance, not the partial shapes).
    """
    verdict = _verdict(op, mine, tf_side, inst, exact, confirm, describe)
    VERDICTS[(op.split(" ")[0], verdict)] += 1
    return verdict


def _verdict(op, mine, tf_side, inst, exact, confirm, describe) -> str:
    inst = inst or _CONCRETE
    tf_partial = tf_side(False)
    tf_concrete = tf_side(True) if inst.partial else tf_partial
    exact = (not inst.partial) if exact is None else exact
    where = f"{op}: {describe}\n  ours={_fmt(mine)}\n  tf={_fmt(tf_partial)}"
    if inst.partial:
        where += f"\n  tf on the instance={_fmt(tf_concrete)} env={ {str(k): v for k, v in inst.env.items()} }"

    if isinstance(mine, ShapeError):
        if not isinstance(tf_concrete, Rejected):
            if confirm is not None and confirm(mine, tf_concrete):
                note("confirmed", op, type(mine).__name__, where)
                return "confirmed"
            raise Disagreement(f"FALSE POSITIVE ({type(mine).__name__}: {mine.message})\n{where}")
        if inst.unknowns and not inst.env and not isinstance(tf_partial, Rejected):
            raise Disagreement(f"we raise on unknown dims where TF accepts ({mine.message})\n{where}")
        return "both reject"

    if isinstance(tf_concrete, Rejected):
        if not inst.partial or isinstance(tf_partial, Rejected):
            note("missed", op, tf_concrete.message, where)
            return "missed"
        return "unknowns"  # the instance fails but other values of the unknowns may not: nothing to say

    if mine is None or tf_concrete is None:
        if tf_concrete is not None:
            if exact:
                raise Disagreement(f"unknown rank where TF knows the shape\n{where}")
            note("imprecise", op, "unknown rank", where)
            return "imprecise"
        return "both accept"  # TF does not know the rank either
    if len(mine) != len(tf_concrete):
        raise Disagreement(f"rank differs\n{where}")
    verdict = "both accept"
    for axis, (ours_dim, tf_dim) in enumerate(zip(mine, tf_concrete)):
        partial_dim = tf_partial[axis] if isinstance(tf_partial, tuple) and len(tf_partial) == len(mine) else None
        if ours_dim is None:
            if tf_dim is not None and (exact or partial_dim is not None):
                if exact:
                    raise Disagreement(f"axis {axis}: unknown where TF knows {tf_dim}\n{where}")
                note("imprecise", op, "unknown where TF knows the size", where)
                verdict = "imprecise"
            continue
        value = evaluate(ours_dim, inst.env)
        if tf_dim is not None and value != tf_dim:
            raise Disagreement(f"axis {axis}: ours {dims.fmt(ours_dim)} = {value}, TF {tf_dim}\n{where}")
    return verdict


def _fmt(value: Any) -> str:
    if isinstance(value, ShapeError):
        return f"{type(value).__name__}({value.message})"
    if isinstance(value, tuple):
        return "(" + ", ".join(dims.fmt(d) if not isinstance(d, int) else str(d) for d in value) + ")"
    return str(value)


class _Concrete:
    partial = False
    unknowns = False
    env: dict = {}


_CONCRETE = _Concrete()
