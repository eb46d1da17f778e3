"""TF1 sessions and what flows in through ``feed_dict``.

``tf.Session()`` (and ``InteractiveSession``, ``compat.v1``) is an ``ObjectVal("Session")``.
``sess.run(fetches, feed_dict)``, ``tensor.eval(feed_dict)`` and ``op.run(feed_dict)`` check every
fed value against the placeholder it feeds, as ``Session.run`` does (``Cannot feed value of shape
(100,) for Tensor 'Placeholder_1:0', which has shape '(?, 10)'``): the rank must be the
placeholder's and every size the placeholder knows must match. A placeholder size that is ``None``
(a symbol here) accepts anything, and a fed value of unknown shape is never reported.

``sess.run`` returns NumPy arrays of the fetched tensors' static shapes (lists, tuples and dicts
of fetches keep their structure), so what a program does with the results is followed too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Optional

from ..domain.values import (
    UNKNOWN,
    Const,
    DictVal,
    ListVal,
    ObjectVal,
    TensorVal,
    TupleVal,
    Value,
    key_value,
)
from ..shapes import dims
from ..shapes.shape import Shape
from .errors import FeedShapeMismatch
from .numpy_ops import NDARRAY, value_shape
from .rank_facts import fed_rank_text, feed_rank_mismatch
from .registry import Call, op

SESSION = "Session"
OPERATION = "Operation"
OPTIMIZER = "Optimizer"


def feed_mismatch(placeholder_shape: Shape, fed_shape: Shape) -> Optional[tuple]:
    """Why a value of ``fed_shape`` cannot be fed to a placeholder of ``placeholder_shape``.

    Returns ``(axis, reason)`` (axis None for a rank mismatch) or None when compatible or unknown.
    Only known ints on both sides are compared: a symbolic placeholder size is TF's ``None``.
    """
    if placeholder_shape is None or fed_shape is None:
        return None
    if len(placeholder_shape) != len(fed_shape):
        return None, f"rank {len(fed_shape)} instead of {len(placeholder_shape)}"
    for axis, (want, got) in enumerate(zip(placeholder_shape, fed_shape)):
        if isinstance(want, int) and isinstance(got, int) and want != got:
            return axis, f"size {got} on axis {axis} instead of {want}"
    return None


def fed_value_shape(value: Value) -> Shape:
    """The shape of a fed value: a NumPy array, a number, a nested list; None when unknown."""
    if isinstance(value, TensorVal):
        # A tf.Tensor cannot be fed (TypeError); placeholders and variables are never fed values.
        return value.shape if value.kind in (NDARRAY, "tensor") else None
    return value_shape(value)


def _placeholder_text(tensor: TensorVal) -> str:
    return f"`{tensor.label}`" if tensor.label else "a placeholder"


@dataclass(frozen=True, eq=False)
class RunCheck:
    """A ``run``/``eval`` whose feeds are all accepted, checked after the walk: the fetched graph is
    replayed with the fed sizes (``analysis.runs``)."""

    fetches: Value
    feed_dict: DictVal
    node: Any


def fetched_tensors(fetches: Value) -> list:
    """The tensors a ``run`` computes: the fetches, and what fetched training ops minimize."""
    if isinstance(fetches, TensorVal):
        return [fetches]
    if isinstance(fetches, ObjectVal):
        inner = fetches.state.get("fetch")
        return [inner] if isinstance(inner, TensorVal) else []
    if isinstance(fetches, (ListVal, TupleVal)):
        return [t for item in fetches.items for t in fetched_tensors(item)]
    if isinstance(fetches, DictVal):
        return [t for _, item in fetches.items for t in fetched_tensors(item)]
    return []


def check_run(fetches: Value, feed_dict: Value, call: Call) -> None:
    """Report every fed value that its placeholder cannot take (TensorFlow raises before running
    anything); when all are accepted, schedule the re-check of the fetched graph with the fed sizes."""
    if check_feeds(feed_dict, call) and isinstance(feed_dict, DictVal) and feed_dict.items:
        call.defer(RunCheck(fetches, feed_dict, call.node))


def check_feeds(feed_dict: Value, call: Call) -> bool:
    """Report FeedShapeMismatch for each fed value that its placeholder cannot take; True when none."""
    if not isinstance(feed_dict, DictVal):
        return True
    accepted = True
    for index, (key, value) in enumerate(feed_dict.items):
        placeholder = key_value(key)
        if not isinstance(placeholder, TensorVal) or placeholder.kind != "placeholder":
            continue
        fed = fed_value_shape(value)
        problem = feed_mismatch(placeholder.shape, fed) or feed_rank_mismatch(placeholder.shape, value)
        if problem is None:
            continue
        axis, reason = problem
        name = _value_text(value, _value_node(call, index))
        fed_text = f"shape {_numpy_text(fed)}" if fed is not None else fed_rank_text(value)
        message = (f"cannot feed {name} of {fed_text} to {_placeholder_text(placeholder)}, declared "
                   f"{_declared_text(placeholder.shape)}: {reason}")
        hint = _hint(placeholder.shape, fed) if fed is not None else ""
        if hint:
            message += f" ({hint})"
        accepted = False
        call.report(FeedShapeMismatch(message, placeholder=placeholder,
                                      value=value if isinstance(value, TensorVal) else None,
                                      fed_shape=fed, axis=axis))
    return accepted


def _value_node(call: Call, index: int):
    """The expression fed as the ``index``-th entry, when ``feed_dict`` is a plain dict literal."""
    node = call.arg_node(2 if call.name == "Session.run" else 1, "feed_dict")
    if not isinstance(node, ast.Dict) or any(key is None for key in node.keys):  # ``{**feeds}``
        return None
    return node.values[index] if index < len(node.values) else None


def _value_text(value: Value, node) -> str:
    if node is not None:
        text = ast.unparse(node)
        if len(text) <= 60:
            return f"`{text}`"
    if isinstance(value, TensorVal) and value.label:
        return f"`{value.label}`"
    return "a value"


def _numpy_text(shape: Shape) -> str:
    """A shape as NumPy prints it: ``(100,)``, ``(100, 784)``, ``()``."""
    parts = [dims.fmt(d) for d in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _declared_text(shape: Shape) -> str:
    """A placeholder's shape as declared: its symbolic sizes were ``None``."""
    return "[" + ", ".join(str(d) if isinstance(d, int) else "None" for d in shape) + "]"


def _hint(want: Shape, got: Shape) -> str:
    """The usual causes, named when the shapes show them."""
    if len(want) == len(got) + 1 and isinstance(want[-1], int) and want[-1] > 1 and \
            all(dims.equal(a, b) is not False for a, b in zip(want[:-1], got)):
        return "class ids fed where one-hot labels are expected? use one_hot=True or np.eye(n)[labels]"
    if len(want) + 1 == len(got) and isinstance(got[-1], int) and got[-1] > 1 and \
            all(dims.equal(a, b) is not False for a, b in zip(want, got[:-1])):
        return "one-hot labels fed where class ids are expected? use np.argmax(labels, 1)"
    if len(want) == len(got) + 1 and want[-1] == 1:
        return "reshape it with [:, None]"
    return ""


def fetched(fetches: Value) -> Value:
    """The value ``sess.run(fetches)`` returns: arrays for tensors, None for operations."""
    if isinstance(fetches, TensorVal):
        if fetches.shape is None:
            return TensorVal(shape=None, kind=NDARRAY)
        return fetches.derive(fetches.shape, "run", kind=NDARRAY)
    if isinstance(fetches, ObjectVal) and fetches.type_name == OPERATION:
        return Const(None)
    if isinstance(fetches, ListVal):
        return ListVal(tuple(fetched(item) for item in fetches.items))
    if isinstance(fetches, TupleVal):
        return TupleVal(tuple(fetched(item) for item in fetches.items))
    if isinstance(fetches, DictVal):
        return DictVal(tuple((key, fetched(value)) for key, value in fetches.items))
    return UNKNOWN


@op("tf.Session", "tf.InteractiveSession", "tf.get_default_session", "tf.train.MonitoredTrainingSession",
    "tf.train.MonitoredSession", "tf.train.SingularMonitoredSession")
def session(call: Call) -> Value:
    return ObjectVal(SESSION)


# A run's results are data (NumPy arrays), and a run is checked once, by the walk: never replayed.
@op("Session.run", replayable=False)
def session_run(call: Call) -> Value:
    # args[0] is the session; the Python signature is run(fetches, feed_dict=None, options=None, ...)
    fetches = call.arg(1, "fetches")
    check_run(fetches, call.arg(2, "feed_dict"), call)
    return fetched(fetches)


@op("Tensor.eval", replayable=False)
def tensor_eval(call: Call) -> Value:
    check_run(call.args[0], call.arg(1, "feed_dict"), call)
    return fetched(call.args[0])


@op("Operation.run", replayable=False)
def operation_run(call: Call) -> Value:
    check_run(call.args[0], call.arg(1, "feed_dict"), call)
    return Const(None)


@op("tf.global_variables_initializer", "tf.initialize_all_variables", "tf.local_variables_initializer",
    "tf.initialize_local_variables", "tf.tables_initializer", "tf.no_op", "tf.group",
    "tf.variables_initializer")
def operation(call: Call) -> Value:
    return ObjectVal(OPERATION)


_OPTIMIZERS = ("GradientDescentOptimizer", "AdamOptimizer", "AdagradOptimizer", "AdadeltaOptimizer",
               "MomentumOptimizer", "RMSPropOptimizer", "FtrlOptimizer", "ProximalGradientDescentOptimizer",
               "ProximalAdagradOptimizer", "AdagradDAOptimizer")


@op(*(f"tf.train.{name}" for name in _OPTIMIZERS))
def optimizer(call: Call) -> Value:
    return ObjectVal(OPTIMIZER)


@op(f"{OPTIMIZER}.minimize", f"{OPTIMIZER}.apply_gradients")
def minimize(call: Call) -> Value:
    loss = call.arg(1, "loss") if call.name.endswith("minimize") else UNKNOWN
    return ObjectVal(OPERATION, state={"fetch": loss} if isinstance(loss, TensorVal) else {})
