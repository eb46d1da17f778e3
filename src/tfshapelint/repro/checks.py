"""The ``assert`` that makes a silent bug fail: what the program gets wrong, stated on the shapes.

A kind of silent bug names which tensors of the failing call to compare, found from the call itself
(its arguments, and their recorded op applications), so that the clean twin of a program gets the
same assert on the same call, and passes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..domain.values import Const, TensorVal
from ..shapes import dims
from .calls import CannotWrite

BATCH_CHANGE = "batch-change"
SILENT_BROADCAST = "silent-broadcast"
SIZE_ONE_REDUCTION = "size-one-reduction"
LABEL_SHAPE = "label-shape"
NON_POSITIVE = "non-positive"  # a window larger than its input: a graph raises, eager code may not
EMPTY_OUTPUT = "empty-output"  # ... which eagerly computes an empty tensor when the size is 0

_KINDS = {"BatchChange": BATCH_CHANGE, "SilentBroadcast": SILENT_BROADCAST,
          "SizeOneReduction": SIZE_ONE_REDUCTION, "LossLabelMismatch": LABEL_SHAPE}
_ELEMENTWISE = ("operator.", "tf.math.", "tf.add", "tf.subtract", "tf.multiply", "tf.divide", "tf.truediv",
                "tf.squared_difference", "tf.math.squared_difference", "tf.maximum", "tf.minimum", "tf.pow")


class Unasserted(CannotWrite):
    """A silent bug of a kind no assert is written for."""


@dataclass
class Check:
    names: list = field(default_factory=list)  # the tensors the asserts read (a graph run fetches them)
    lines: list = field(default_factory=list)


def kind_of(error) -> Optional[str]:
    """The kind of silent bug ``error`` is; None when TensorFlow raises."""
    if type(error).__name__ == "NonPositiveOutput":
        return NON_POSITIVE
    if not error.is_silent():
        return None
    kind = _KINDS.get(type(error).__name__)
    return kind if kind is not None else "unknown"


def build(kind: str, program, call, result: str, facts: dict) -> Check:
    """The assert of ``kind`` on ``call`` (whose result the reproducer names ``result``)."""
    if kind == BATCH_CHANGE:
        source = _tensor(call.arg(0, "tensor"))
        name = program.tensor_name(source)
        return Check([result, name], [
            f"assert {result}.shape[0] == {name}.shape[0], "
            f"f\"silent bug: the reshape turns {{{name}.shape[0]}} examples into {{{result}.shape[0]}} rows\""])
    if kind == SILENT_BROADCAST:
        broadcast = _broadcast_in(call, (facts.get("larger"), facts.get("smaller")))
        a, b = _tensor_args(broadcast.app.call)[:2]
        t, x, y = program.tensor_name(broadcast), program.tensor_name(a), program.tensor_name(b)
        return Check([t, x, y], [
            f"assert tuple({t}.shape) in (tuple({x}.shape), tuple({y}.shape)), "
            f"f\"silent bug: {{tuple({x}.shape)}} and {{tuple({y}.shape)}} broadcast to {{tuple({t}.shape)}}\""])
    if kind == SIZE_ONE_REDUCTION:
        source = _tensor(call.arg(0, "input", "a", "x"))
        axis = call.arg(1, "axis", "dimension")
        if not isinstance(axis, Const) or not isinstance(axis.value, int):
            raise Unasserted("the reduced axis is not a constant")
        name = program.tensor_name(source)
        return Check([name], [
            f"assert {name}.shape[{axis.value}] != 1, "
            f"\"silent bug: the index of the largest of 1 value is always 0\""])
    if kind == LABEL_SHAPE and "sparse" not in call.name:
        labels = facts.get("labels") or call.arg(None, "labels", "y_true")
        logits = facts.get("logits") or call.arg(None, "logits", "predictions", "y_pred")
        if not isinstance(labels, TensorVal) and call.args:
            labels, logits = call.args[0], call.args[1] if len(call.args) > 1 else logits
        x, y = program.tensor_name(_tensor(labels)), program.tensor_name(_tensor(logits))
        return Check([x, y], [
            f"assert tuple({x}.shape) == tuple({y}.shape), "
            f"f\"silent bug: labels {{tuple({x}.shape)}} against {{tuple({y}.shape)}}\""])
    if kind == EMPTY_OUTPUT:
        return Check([result], [
            f"assert 0 not in tuple({result}.shape), "
            f"f\"silent bug: the window leaves an empty output {{tuple({result}.shape)}}\""])
    raise Unasserted(f"no assert for a silent bug of kind {kind}")


def _tensor(value) -> TensorVal:
    if not isinstance(value, TensorVal):
        raise CannotWrite("an input of the call is not a tensor")
    return value


def _tensor_args(call) -> list:
    return [v for v in list(call.args) + list(call.kwargs.values()) if isinstance(v, TensorVal)]


def _broadcast_in(call, operands: tuple) -> TensorVal:
    """The elementwise op of the two ``operands`` (when known) or else the first elementwise op of two
    tensors among what ``call`` reads (breadth first)."""
    found = _elementwise_in(call, operands)
    if found is None and any(o is not None for o in operands):  # a run's replayed operands: other objects
        found = _elementwise_in(call, (None, None))
    if found is None:
        raise Unasserted("no elementwise op of two tensors")
    return found


def _elementwise_in(call, operands: tuple) -> Optional[TensorVal]:
    todo, seen = _tensor_args(call), set()
    while todo:
        tensor = todo.pop(0)
        if id(tensor) in seen or tensor.app is None:
            continue
        seen.add(id(tensor))
        inner = tensor.app.call
        inputs = _tensor_args(inner)
        if inner.name.startswith(_ELEMENTWISE) and len(inputs) >= 2 and \
                all(o is None or any(o is t for t in inputs) for o in operands):
            return tensor
        todo.extend(_tensor_args(inner))
    return None


def sizes_showing(kind: Optional[str], facts: dict, bound: dict, smallest: int) -> dict:
    """Sizes for the symbols a silent bug needs chosen (a ``-1`` reshape shows its new batch only when
    the rows divide evenly: 16 examples of 3136 values make 49 rows of 1024): ``{Symbol: size}``."""
    if kind != BATCH_CHANGE:
        return {}
    new_batch = dims.substitute(facts.get("new_batch"), bound) if bound else facts.get("new_batch")
    symbols = list(dims.symbols_of(new_batch))
    if len(symbols) != 1:
        return {}
    for size in range(smallest, 4097):
        value = dims.evaluate(new_batch, {symbols[0]: size})
        if isinstance(value, int) and value > 0 and value != size:
            return {symbols[0]: size}
    return {}
