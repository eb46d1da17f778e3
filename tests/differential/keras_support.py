"""Shared by test_keras_layers.py and test_keras_models.py: real Keras as the oracle of our layer
shape functions, in both flavours a program may run.

* Keras 3 (the ``keras`` package, what ``tf.keras`` is in TF >= 2.16) and
* Keras 2 (``tf_keras``, what ``tf.keras`` is with ``TF_USE_LEGACY_KERAS=1``; the classes TF1 code
  gets from ``tf.compat.v1.keras`` -- ``CuDNNLSTM``/``CuDNNGRU`` -- come from its v1 API).

Both import side by side in one process. A layer is built from the same constructor arguments and
called on ``Input(batch_shape=...)`` (symbolic: no kernel runs, so channels-first and CuDNN layers
work on a CPU build); any exception while building or calling is a rejection.

The two flavours are merged into one oracle answer (:class:`Oracle`): it rejects only when every
flavour that has the class rejects (we may only report what both reject), and where two accepting
flavours give different sizes the size is unknown -- and our shape function must say unknown there
too (checked by :meth:`Oracle.check_splits`), as it must stay silent where they disagree.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from typing import Any, Optional

from hypothesis import strategies as st

from tfshapelint.domain.values import UNKNOWN, Const, ListVal, ObjectVal, TensorVal, TupleVal, Value
from tfshapelint.ops import registry
from tfshapelint.ops.errors import ShapeError
from tfshapelint.shapes import dims

from .harness import Disagreement, Instance, Rejected, fresh_symbol, note, ours, tf

FLAVOURS = ("keras3", "keras2")

# Our symbolic batch (Keras' ``None``); it has a value only so that the harness can evaluate our
# dims (Keras' batch stays None, so it is never compared): it must come out as this very symbol.
BATCH = fresh_symbol("N")
(_BATCH_ATOM,) = BATCH.atoms()


@functools.cache
def keras_module(flavour: str):
    tf()  # TensorFlow first: both Keras flavours import it
    if flavour == "keras3":
        import keras

        return keras
    import tf_keras

    return tf_keras


@functools.cache
def _v1_layers():
    import tf_keras.api._v1.keras as v1

    return v1.layers


def layer_class(flavour: str, name: str):
    """The class ``name`` in a flavour, or None when it has none (Keras 3 has no ThresholdedReLU)."""
    cls = getattr(keras_module(flavour).layers, name, None)
    if cls is None and flavour == "keras2":
        cls = getattr(_v1_layers(), name, None)  # tf.compat.v1.keras.layers.CuDNNLSTM, CuDNNGRU
    return cls


def clear_sessions() -> None:
    """Forget the layers built so far (Keras 2's global graph grows with every layer)."""
    for flavour in FLAVOURS:
        keras_module(flavour).backend.clear_session()


# -- a layer, on both sides ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerSpec:
    """A layer class and its constructor arguments as plain data (an argument may be a LayerSpec)."""

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    registered: str = ""  # the registered name our side constructs it by (default tf.keras.layers.<name>)

    def build(self, flavour: str):
        cls = layer_class(flavour, self.name)
        args = [a.build(flavour) if isinstance(a, LayerSpec) else a for a in self.args]
        kwargs = {k: v.build(flavour) if isinstance(v, LayerSpec) else v for k, v in self.kwargs.items()}
        return cls(*args, **kwargs)

    def available(self, flavour: str) -> bool:
        return layer_class(flavour, self.name) is not None and all(
            a.available(flavour) for a in (*self.args, *self.kwargs.values()) if isinstance(a, LayerSpec))

    def ours(self) -> ObjectVal:
        name = self.registered or f"tf.keras.layers.{self.name}"
        fn = registry.lookup(name)
        assert fn is not None, f"{name} is not registered"
        call = registry.Call(name=registry.canonical(name), args=[abstract(a) for a in self.args],
                             kwargs={k: abstract(v) for k, v in self.kwargs.items()}, new_symbol=fresh_symbol)
        return fn(call)

    def __str__(self) -> str:
        parts = [repr(a) if not isinstance(a, LayerSpec) else str(a) for a in self.args]
        parts += [f"{k}={v!r}" if not isinstance(v, LayerSpec) else f"{k}={v}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"


def abstract(value: Any) -> Value:
    """Python data as the interpreter's value (a LayerSpec becomes our layer object)."""
    if isinstance(value, LayerSpec):
        return value.ours()
    if isinstance(value, Value):
        return value
    if isinstance(value, list):
        return ListVal(tuple(abstract(v) for v in value))
    if isinstance(value, tuple):
        return TupleVal(tuple(abstract(v) for v in value))
    if callable(value):
        return UNKNOWN  # a Python function (Lambda's): opaque to us
    return Const(value)


def set_state(obj: ObjectVal, name: str, value: Any) -> None:
    obj.state[name] = value


def our_call(obj: ObjectVal, inputs: Value) -> Any:
    """``layer(inputs)`` through the registry: our shape, None when unknown, or the ShapeError."""
    call = registry.Call(name="KerasLayer.__call__", args=[obj, inputs], kwargs={}, new_symbol=fresh_symbol,
                         set_state=set_state)
    return our_shape(ours(registry.lookup("KerasLayer.__call__"), call))


def our_shape(value: Any) -> Any:
    if isinstance(value, ShapeError):
        return value
    if isinstance(value, TensorVal):
        return value.shape
    assert value is UNKNOWN, f"a layer call gave {value!r}"
    return None


# -- the oracle -----------------------------------------------------------------------------------------


class ListOutput(tuple):
    """A layer returned several tensors (``return_state``, ``Bidirectional(merge_mode=None)``)."""


def keras_shape(out: Any) -> Any:
    if isinstance(out, (list, tuple)):
        return ListOutput(keras_shape(o) for o in out)
    shape = out.shape
    if getattr(shape, "rank", 0) is None:
        return None
    return tuple(shape.as_list() if hasattr(shape, "as_list") else shape)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = next((line for line in lines if not line.startswith("Exception encountered")), lines[0] if lines else "")
    return f"{type(error).__name__}: {text[:200]}"


def run_keras(flavour: str, build, input_shapes: list, dtype: Optional[str] = None) -> Any:
    """``build(keras_module)(inputs)`` on ``Input(batch_shape=s)`` for each of ``input_shapes``;
    ``build`` gets the inputs list and returns the output. A tuple, a ListOutput or Rejected."""
    K = keras_module(flavour)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inputs = [K.Input(batch_shape=tuple(s), dtype=dtype) for s in input_shapes]
            return keras_shape(build(K, inputs))
    except Exception as error:  # noqa: BLE001 -- any exception Keras raises is a rejection
        return Rejected(_first_line(error))


class Oracle:
    """The ``tf_side`` of :func:`harness.differential` for a layer case, merging the flavours.

    ``layer_call(flavour, inputs)`` builds the layer in a flavour and calls it on the Keras inputs.
    ``shapes(concrete)`` gives the input batch shapes Keras sees (symbolic dims None unless concrete).
    """

    def __init__(self, op: str, layer_call, shapes, flavours=FLAVOURS, dtype: Optional[str] = None):
        self.op = op
        self.layer_call = layer_call
        self.shapes = shapes
        self.flavours = flavours
        self.dtype = dtype
        self.results: dict[bool, dict[str, Any]] = {}
        self.splits: dict[bool, set] = {}
        self.answers: dict[bool, Any] = {}

    def __call__(self, concrete: bool) -> Any:
        if concrete not in self.answers:
            self.answers[concrete] = self._answer(concrete)
        return self.answers[concrete]

    def disagree(self) -> bool:
        """Whether the flavours split on accepting the case or on a size (ours may then be unknown)."""
        return any(self.splits.values()) or any(
            len({isinstance(r, Rejected) for r in results.values()}) > 1 for results in self.results.values())

    def _answer(self, concrete: bool) -> Any:
        results = {flavour: run_keras(flavour, lambda K, inputs: self.layer_call(flavour, K, inputs),
                                      self.shapes(concrete), self.dtype)
                   for flavour in self.flavours}
        self.results[concrete] = results
        answer, self.splits[concrete] = merge_flavours(self.op, results)
        return answer

    def check_splits(self, mine: Any, where: str) -> None:
        """Where the accepting flavours disagree on a size, ours must be unknown."""
        for concrete, split in self.splits.items():
            if not split or not isinstance(mine, tuple):
                continue
            if "rank" in split:
                raise Disagreement(f"the Keras flavours disagree on the rank; ours must be unknown\n{where}")
            known = [axis for axis in split if mine[axis] is not None]
            if known:
                raise Disagreement(f"axes {known}: the Keras flavours disagree, ours must be unknown\n{where}")

    def list_output(self) -> bool:
        return any(isinstance(r, ListOutput) for results in self.results.values() for r in results.values())


def merge_flavours(op: str, results: dict) -> tuple:
    """One answer for the flavours' ``results``: Rejected only if all reject; the accepted shape,
    unknown (None) on the axes where two accepting flavours differ. Returns (answer, split axes)."""
    accepted = {f: r for f, r in results.items() if not isinstance(r, Rejected)}
    if not accepted:
        return Rejected(" | ".join(f"{f}: {r.message}" for f, r in results.items())), set()
    for flavour, result in results.items():
        if isinstance(result, Rejected):  # named by package: the note key masks digits
            package = "keras" if flavour == "keras3" else "tf_keras"
            note("flavours", op, f"only {package} rejects: {result.message}", f"{op}: {results}")
    shapes = list(accepted.values())
    merged, split = shapes[0], set()
    for other in shapes[1:]:
        if isinstance(merged, ListOutput) or isinstance(other, ListOutput) or merged is None or other is None \
                or len(merged) != len(other):
            if merged != other:
                merged, split = None, {"rank"}
            continue
        for axis, (a, b) in enumerate(zip(merged, other)):
            if a != b:
                split.add(axis)
        merged = tuple(a if a == b else None for a, b in zip(merged, other))
    if split:
        note("flavours", op, f"keras and tf_keras give different shapes ({sorted(map(str, split))})",
             f"{op}: {results}")
    return (None if isinstance(merged, ListOutput) else merged), split


# -- inputs: a symbolic (sometimes concrete) batch and example dims drawn by the harness ----------------


class Inputs:
    """The inputs of one case: our TensorVals (batch :data:`BATCH` or an int) and Keras' batch shapes."""

    def __init__(self, data, examples: list, batch: Optional[int] = None, inst: Optional[Instance] = None):
        self.inst = inst or Instance(data)
        self.inst.env[_BATCH_ATOM] = 3
        self.batch = batch
        self.concrete, self.partial, self.values = [], [], []
        for example in examples:
            if example is None:
                self.concrete.append(None)
                self.partial.append(None)
                self.values.append(TensorVal(shape=None, kind="keras_input"))
                continue
            mine, partial = self.inst.shape(tuple(example), batch_axes=())
            first = BATCH if batch is None else batch
            self.concrete.append((batch,) + tuple(example))
            self.partial.append((batch,) + tuple(partial))
            self.values.append(TensorVal(shape=(first,) + tuple(mine), kind="keras_input", chain=()))

    def shapes(self, concrete: bool) -> list:
        return self.concrete if concrete else self.partial

    def check_batch(self, mine: Any, where: str) -> None:
        """Every Keras layer keeps the batch: Keras' None must be our very batch symbol (or a whole
        multiple of it: a concatenation along axis 0 stacks the batches, ``2*N``)."""
        if self.batch is None and isinstance(mine, tuple) and mine and not _batches(mine[0]):
            raise Disagreement(f"the batch became {dims.fmt(mine[0]) if mine[0] is not None else None}\n{where}")


def _batches(dim: Any) -> bool:
    """``dim`` is the batch symbol times a whole number."""
    times = dims.div_exact(dim, BATCH) if isinstance(dim, dims.Expr) else None
    return isinstance(times, int) and times >= 1


def batch_size(data) -> Optional[int]:
    """Mostly a symbolic batch (``None`` in Keras), sometimes a concrete one."""
    return data.draw(st.sampled_from([None, None, None, 1, 2, 4]), label="batch")
