"""Losses and the shape bugs that do not crash.

* Cross-entropy ops check their labels against the logits the way TensorFlow does
  (``softmax_cross_entropy_with_logits`` broadcasts 2-D labels against 2-D logits,
  ``sparse_softmax_cross_entropy_with_logits`` needs labels of rank one less, the sigmoid and
  ``tf.losses`` ones need compatible shapes); Keras's ``categorical_crossentropy`` and
  ``sparse_categorical_crossentropy`` where Keras 2 and Keras 3 agree.
* Silent broadcasts: an elementwise op between ``[..., N, 1]`` and ``[..., N]`` gives ``[..., N, N]``;
  :func:`elementwise_result` marks such results (a :class:`BroadcastStep` in their derivation) and a
  reduction or loss that consumes one reports it (:func:`reduced`).
* ``argmax``/``argmin`` over an axis of static size 1 (:func:`arg_reduced`), ``set_shape`` with an
  incompatible shape.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Optional

from ..domain.values import MAX_CHAIN, UNKNOWN, Const, ListVal, ObjectVal, Step, TensorVal, TupleVal, Value, fresh_tensor
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.shape import Shape
from .args import declared_dims, is_none, tensor_of
from .errors import LossLabelMismatch, SetShapeIncompatible, SilentBroadcast, SizeOneReduction
from .loss_order import swapped_or
from .numpy_ops import NDARRAY, is_numpy_operand
from .registry import Call, op

# -- compatibility of static shapes -------------------------------------------------------------------


def incompatible(a: Shape, b: Shape) -> Optional[str]:
    """Why ``a`` and ``b`` are provably not compatible (``TensorShape.is_compatible_with``), or None."""
    if a is None or b is None:
        return None
    if len(a) != len(b):
        return f"rank {len(a)} vs {len(b)}"
    for axis, (x, y) in enumerate(zip(a, b)):
        if dims.equal(x, y) is False:
            return f"{dims.fmt(x)} vs {dims.fmt(y)} on axis {axis}"
    return None


def merged(a: Shape, b: Shape) -> Shape:
    """The more precise of two compatible shapes, dim by dim."""
    if a is None:
        return b
    if b is None or len(a) != len(b):
        return a
    return tuple(x if isinstance(x, int) or y is None else y for x, y in zip(a, b))


def _more_than_one(d) -> bool:
    return isinstance(d, int) and d > 1


def _equal_prefix(a: Shape, b: Shape) -> bool:
    return len(a) == len(b) and all(dims.equal(x, y) is True for x, y in zip(a, b))


# -- pure shape functions of the losses -----------------------------------------------------------------


def softmax_xent_shape(labels: Shape, logits: Shape, facts: Optional[dict] = None) -> Shape:
    """``tf.nn.softmax_cross_entropy_with_logits`` (``axis=-1``): the loss has the logits' shape
    without the class axis. TensorFlow flattens both to 2-D (``[-1, last]``) and broadcasts them.

    Raises LossLabelMismatch for class ids (labels shaped like the logits without the class axis),
    for labels that do not broadcast, and (silent) for ``[N, 1]`` class-id columns that broadcast.
    """
    facts = facts or {}
    out = tuple(logits[:-1]) if logits else None
    if labels is None or logits is None or len(logits) == 0 or len(labels) == 0:
        return out
    classes = logits[-1]
    if len(labels) == len(logits) - 1 and _equal_prefix(labels, logits[:-1]) and _more_than_one(classes) \
            and dims.equal(labels[-1], classes) is not True:
        raise LossLabelMismatch(
            f"labels of shape {shapes.fmt(labels)} look like class ids, but this loss needs one-hot labels shaped "
            f"like the logits ({shapes.fmt(logits)}): TensorFlow raises `logits and labels must be broadcastable` "
            f"(or, for a batch of exactly {classes}, silently computes a wrong loss); use "
            f"`sparse_softmax_cross_entropy_with_logits` or `tf.one_hot(labels, {classes})`",
            silent=False, **facts)
    if len(labels) == len(logits) and labels[-1] == 1 and _more_than_one(classes) \
            and all(dims.equal(a, b) is not False for a, b in zip(labels[:-1], logits[:-1])):
        raise LossLabelMismatch(
            f"labels of shape {shapes.fmt(labels)} are a column of class ids, but this loss needs one-hot labels "
            f"shaped like the logits ({shapes.fmt(logits)}): TensorFlow silently broadcasts the column over "
            f"the {classes} classes and computes a wrong loss; use `sparse_softmax_cross_entropy_with_logits` "
            f"with `tf.squeeze(labels, -1)`",
            silent=True, **facts)
    flat_labels = (shapes.num_elements(labels[:-1]), labels[-1])
    flat_logits = (shapes.num_elements(logits[:-1]), classes)
    for axis, (a, b) in enumerate(zip(flat_labels, flat_logits)):
        if isinstance(a, int) and isinstance(b, int) and a != b and a != 1 and b != 1:
            what = "values per example" if axis == 1 else "rows"
            raise LossLabelMismatch(
                f"labels of shape {shapes.fmt(labels)} do not fit logits of shape {shapes.fmt(logits)}: {a} vs {b} "
                f"{what} after flattening to 2-D, and TensorFlow raises `logits and labels must be broadcastable`",
                silent=False, **facts)
    return out


def sparse_softmax_xent_shape(labels: Shape, logits: Shape, facts: Optional[dict] = None) -> Shape:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: labels of rank ``rank(logits) - 1`` and of
    the logits' shape without the class axis; the loss has the labels' shape."""
    facts = facts or {}
    if logits is not None and len(logits) == 0:
        raise LossLabelMismatch("sparse_softmax_cross_entropy_with_logits: `logits` cannot be a scalar",
                                silent=False, **facts)
    if labels is None or logits is None:
        return labels if logits is None else tuple(logits[:-1])
    if len(labels) != len(logits) - 1:
        hint = ""
        if len(labels) == len(logits) and labels[-1] == 1:
            hint = "; the labels are a column: squeeze it with `tf.squeeze(labels, -1)`"
            facts = dict(facts, column_labels=True)
        elif len(labels) == len(logits):
            hint = "; these look like one-hot labels: pass `tf.argmax(labels, -1)` or use the non-sparse loss"
            facts = dict(facts, onehot_labels=True)
        raise LossLabelMismatch(
            f"sparse labels must have rank {len(logits) - 1} (the logits' {shapes.fmt(logits)} without the class "
            f"axis), but they are {shapes.fmt(labels)}{hint}", silent=False, **facts)
    for axis, (a, b) in enumerate(zip(labels, logits[:-1])):
        if dims.equal(a, b) is False:
            raise LossLabelMismatch(
                f"sparse labels of shape {shapes.fmt(labels)} do not match the logits {shapes.fmt(logits)} without "
                f"their class axis: {dims.fmt(a)} vs {dims.fmt(b)} on axis {axis}", silent=False, **facts)
    return merged(tuple(labels), tuple(logits[:-1]))


def same_shape_loss(labels: Shape, logits: Shape, what: str, facts: Optional[dict] = None) -> Shape:
    """Losses that need labels of the logits'/predictions' shape (``assert_is_compatible_with``)."""
    facts = facts or {}
    problem = incompatible(labels, logits)
    if problem is not None:
        hint = ""
        if labels is not None and logits is not None and len(labels) + 1 == len(logits) and logits[-1] == 1:
            hint = " (predictions are a column: squeeze them, or give the labels a trailing axis of 1)"
        elif labels is not None and logits is not None and len(labels) == len(logits) + 1 and labels[-1] == 1:
            hint = " (the labels are a column: squeeze them)"
        raise LossLabelMismatch(
            f"{what} needs labels of the same shape as its input, but the labels are {shapes.fmt(labels)} and the "
            f"input is {shapes.fmt(logits)}: {problem}{hint}", silent=False, **facts)
    return merged(logits, labels)


# -- adapters: tf.nn ------------------------------------------------------------------------------------


def _pair(call: Call, label_names: tuple, logit_names: tuple) -> tuple:
    labels = tensor_of(call.arg(0, *label_names))
    logits = tensor_of(call.arg(1, *logit_names))
    return labels, logits


def _facts(labels: Optional[TensorVal], logits: Optional[TensorVal]) -> dict:
    return {"labels": labels, "logits": logits, "tensor": logits}


def _loss_result(base: Optional[TensorVal], shape: Shape, name: str) -> Value:
    if base is None:
        return fresh_tensor(shape) if shape is not None else UNKNOWN
    return base.derive(shape, name)


def _axis_is_last(call: Call, rank: Optional[int]) -> Optional[bool]:
    axis = call.arg(None, "axis", "dim", default=Const(-1))
    if is_none(axis):
        return True
    if isinstance(axis, Const) and isinstance(axis.value, int):
        return axis.value == -1 or (rank is not None and axis.value == rank - 1)
    return None


def _reported(call: Call, error: LossLabelMismatch, result: Value) -> Value:
    """Report ``error`` and go on with ``result``: the loss as the program goes on to use it."""
    call.report(error)
    return result


def _mismatch(error: LossLabelMismatch, call: Call, check, labels: TensorVal, logits: TensorVal, fallback: Value,
              meant: Value, keyword_only: bool = True) -> Value:
    """Report labels that do not fit a loss with a class axis: ``error`` (going on with ``fallback``),
    or that the two positional arguments look swapped (TF 0.x's order; going on with ``meant``, the
    loss of the call as meant)."""
    swapped = swapped_or(error, call, check, labels, logits, ("labels", "logits"), keyword_only)
    if swapped is error:
        error.facts["labels_node"] = call.arg_node(0, "labels")
        return _reported(call, error, fallback)
    return _reported(call, swapped, meant)


def _without_class_axis(tensor: TensorVal, name: str) -> Value:
    """The loss of a tf.nn cross-entropy whose logits are ``tensor``."""
    return _loss_result(tensor, tuple(tensor.shape[:-1]) if tensor.shape else None, name)


@op("tf.nn.softmax_cross_entropy_with_logits", "tf.nn.softmax_cross_entropy_with_logits_v2")
def softmax_cross_entropy(call: Call) -> Value:
    return _class_cross_entropy(call, softmax_xent_shape, "softmax_cross_entropy", has_axis=True)


@op("tf.nn.sparse_softmax_cross_entropy_with_logits")
def sparse_softmax_cross_entropy(call: Call) -> Value:
    return _class_cross_entropy(call, sparse_softmax_xent_shape, "sparse_softmax_cross_entropy", has_axis=False)


def _class_cross_entropy(call: Call, shape_function, name: str, has_axis: bool) -> Value:
    """A tf.nn cross-entropy over a class axis (one-hot or class-id labels): one loss per example.
    ``has_axis``: the class axis is an argument (checked only when it is the last one)."""
    labels, logits = _pair(call, ("labels",), ("logits",))
    if logits is None:
        return UNKNOWN
    fallback = _without_class_axis(logits, name)
    if labels is None or (has_axis and _axis_is_last(call, logits.rank) is not True):
        return fallback
    try:
        out = shape_function(labels.shape, logits.shape, _facts(labels, logits))
    except LossLabelMismatch as error:
        return _mismatch(error, call, shape_function, labels, logits, fallback, _without_class_axis(labels, name))
    return _loss_result(logits, out, name)


@op("tf.nn.sigmoid_cross_entropy_with_logits", "tf.nn.weighted_cross_entropy_with_logits")
def sigmoid_cross_entropy(call: Call) -> Value:
    labels, logits = _pair(call, ("labels", "targets"), ("logits",))
    if logits is None:
        return UNKNOWN
    name = call.name.split(".")[-1]
    fallback = _loss_result(logits, logits.shape, name)
    if labels is None:
        return fallback
    try:
        out = same_shape_loss(labels.shape, logits.shape, name, _facts(labels, logits))
    except LossLabelMismatch as error:
        return _reported(call, error, fallback)
    return _loss_result(logits, out, name)


@op("tf.nn.l2_loss")
def l2_loss(call: Call) -> Value:
    x = tensor_of(call.arg(0, "t"))
    if x is None:
        return UNKNOWN
    result = x.derive((), "l2_loss")
    return reduced(x, result, "l2_loss", call)


# -- adapters: tf.losses (TF1 / compat.v1 only names) ---------------------------------------------------

# name -> (labels keyword, input keyword, kind)
_V1_LOSSES = {
    "softmax_cross_entropy": ("onehot_labels", "logits", "same"),
    "sigmoid_cross_entropy": ("multi_class_labels", "logits", "same"),
    "sparse_softmax_cross_entropy": ("labels", "logits", "sparse"),
    "absolute_difference": ("labels", "predictions", "same"),
    "hinge_loss": ("labels", "logits", "same"),
    "huber_loss": ("labels", "predictions", "same"),
    "log_loss": ("labels", "predictions", "same"),
    "mean_pairwise_squared_error": ("labels", "predictions", "same"),
    "cosine_distance": ("labels", "predictions", "same"),
    # In TF2 ``tf.losses.mean_squared_error`` is Keras's ``(y_true, y_pred)`` function (no check); only the
    # keywords ``labels=``/``predictions=`` say it is TF1's.
    "mean_squared_error": ("labels", "predictions", "same-keywords"),
}


def v1_sparse_check(label_shape: Shape, logit_shape: Shape, facts: Optional[dict] = None) -> Shape:
    """``tf.losses.sparse_softmax_cross_entropy``: the tf.nn check after ``_remove_squeezable_dimensions``,
    which drops a trailing axis that may be 1, on the labels (same rank) or on the logits (rank two more)."""
    if label_shape is not None and logit_shape is not None and label_shape and logit_shape:
        diff = len(logit_shape) - len(label_shape)
        if diff == 0 and not _more_than_one(label_shape[-1]):
            label_shape = tuple(label_shape[:-1])
        elif diff == 2 and not _more_than_one(logit_shape[-1]):
            logit_shape = tuple(logit_shape[:-1])
    return sparse_softmax_xent_shape(label_shape, logit_shape, facts)


def _v1_loss(name: str, labels_kw: str, input_kw: str, kind: str):
    def adapter(call: Call) -> Value:
        if kind == "same-keywords" and not (labels_kw in call.kwargs and input_kw in call.kwargs):
            return UNKNOWN
        labels = tensor_of(call.arg(0, labels_kw))
        x = tensor_of(call.arg(1, input_kw))
        reduction = call.arg(None, "reduction", default=None)
        scalar = reduction is None
        if x is None:
            return fresh_tensor(()) if scalar else UNKNOWN
        fallback = x.derive(() if scalar else None, f"losses.{name}")
        if labels is None:
            return fallback
        facts = _facts(labels, x)
        if kind == "sparse":
            try:
                v1_sparse_check(labels.shape, x.shape, facts)
            except LossLabelMismatch as error:
                return _mismatch(error, call, v1_sparse_check, labels, x, fallback, fallback, keyword_only=False)
            return fallback
        try:
            same_shape_loss(labels.shape, x.shape, f"tf.losses.{name}", facts)
        except LossLabelMismatch as error:
            return _reported(call, error, fallback)
        return fallback

    return adapter


for _name, (_labels_kw, _input_kw, _kind) in _V1_LOSSES.items():
    op(f"tf.losses.{_name}")(_v1_loss(_name, _labels_kw, _input_kw, _kind))


# -- adapters: Keras cross-entropies (checks on which Keras 2 and Keras 3 agree) --------------------------

KERAS_LOSS = "KerasLoss"


def keras_categorical_check(labels: Shape, logits: Shape, facts: dict) -> None:
    """``categorical_crossentropy``: one-hot labels of the predictions' shape. Raised when the ranks
    are equal and a known size differs, or when class ids (rank one less) meet several classes."""
    if labels is None or logits is None or not logits:
        return
    if len(labels) == len(logits):
        for axis, (a, b) in enumerate(zip(labels, logits)):
            if isinstance(a, int) and isinstance(b, int) and a != b:
                raise LossLabelMismatch(
                    f"categorical_crossentropy needs labels shaped like the predictions, but the labels are "
                    f"{shapes.fmt(labels)} and the predictions {shapes.fmt(logits)} ({a} vs {b} on axis {axis})"
                    + ("; these look like class ids: use sparse_categorical_crossentropy" if a == 1 else ""),
                    silent=False, **facts)
    elif len(labels) == len(logits) - 1 and _more_than_one(logits[-1]) and \
            all(dims.equal(a, b) is not False for a, b in zip(labels, logits[:-1])):
        raise LossLabelMismatch(
            f"categorical_crossentropy needs one-hot labels shaped like the predictions ({shapes.fmt(logits)}), but "
            f"the labels are {shapes.fmt(labels)}, class ids: use sparse_categorical_crossentropy or "
            f"to_categorical(labels, {logits[-1]})", silent=False, **facts)


def keras_sparse_check(labels: Shape, logits: Shape, facts: dict) -> None:
    """``sparse_categorical_crossentropy``: class ids (a trailing axis of 1 is allowed). One-hot labels
    (same rank as the predictions, last axis > 1) raise in both Keras 2 and Keras 3."""
    if labels is None or logits is None or not logits:
        return
    if len(labels) == len(logits) and _more_than_one(labels[-1]):
        raise LossLabelMismatch(
            f"sparse_categorical_crossentropy needs class ids, but the labels are {shapes.fmt(labels)}, shaped like "
            f"the predictions {shapes.fmt(logits)}: one-hot labels? use categorical_crossentropy, or "
            f"np.argmax(labels, -1)", silent=False, **facts)


_KERAS_CHECKS = {"categorical_crossentropy": keras_categorical_check,
                 "sparse_categorical_crossentropy": keras_sparse_check}
_KERAS_CLASSES = {"CategoricalCrossentropy": "categorical_crossentropy",
                  "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy"}


def _keras_loss(call: Call, function: str, labels_value: Value, preds_value: Value, scalar: bool) -> Value:
    labels, preds = tensor_of(labels_value), tensor_of(preds_value)
    if preds is None:
        return UNKNOWN
    out = () if scalar else (tuple(preds.shape[:-1]) if preds.shape else None)
    result = preds.derive(out, function)
    if labels is None:
        return result
    try:
        _KERAS_CHECKS[function](labels.shape, preds.shape, _facts(labels, preds))
    except LossLabelMismatch as error:
        return _reported(call, error, result)
    return result


def _keras_function(function: str):
    def adapter(call: Call) -> Value:
        if call.has(None, "axis") and not (isinstance(call.arg(None, "axis"), Const) and call.arg(None, "axis").value == -1):
            return UNKNOWN
        return _keras_loss(call, function, call.arg(0, "y_true"), call.arg(1, "y_pred"), scalar=False)

    return adapter


def _keras_class(class_name: str):
    def adapter(call: Call) -> Value:
        if call.has(None, "reduction") or call.has(None, "axis"):
            return ObjectVal(KERAS_LOSS, state={"function": None})
        return ObjectVal(KERAS_LOSS, state={"function": _KERAS_CLASSES[class_name]})

    return adapter


# keras.losses and tf_keras.losses reach these names through ops/aliases.py
for _function in _KERAS_CHECKS:
    op(f"tf.keras.losses.{_function}")(_keras_function(_function))
for _class in _KERAS_CLASSES:
    op(f"tf.keras.losses.{_class}")(_keras_class(_class))


@op(f"{KERAS_LOSS}.__call__")
def call_keras_loss(call: Call) -> Value:
    function = call.args[0].state.get("function")
    if function is None:
        return UNKNOWN
    return _keras_loss(call, function, call.arg(1, "y_true"), call.arg(2, "y_pred"), scalar=True)


# -- silent broadcasts ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BroadcastStep(Step):
    """The derivation link of an elementwise op whose ``[..., N, 1]`` and ``[..., N]`` operands
    broadcast to ``[..., N, N]``: remembered so that a reduction consuming it can report it."""

    node: Any = None
    larger: Any = None
    smaller: Any = None
    larger_node: Any = None  # the expression of the [..., N, 1] operand, where it is written
    provable: bool = True  # False: the sizes are symbols that only a run's feeds can tell equal (a replay)


# Labels of derivation steps that give a tensor a trailing size-1 axis as part of a computation (a
# one-unit dense layer, a matmul with a one-column weight): the axis was not written on purpose.
_NATURAL_STEPS = ("matmul", "dense", "fully_connected", "conv", "tensordot", "layers.dense", "model", "predict",
                  "sequential")
# Steps that keep a tensor what it was (after which a source's trailing 1 is still the data's).
_TRANSPARENT_STEPS = ("cast", "to_float", "to_int32", "to_int64", "to_double", "identity", "stop_gradient", "astype",
                      "copy", "array", "asarray", "float32", "float64", "run", "convert_to_tensor")
_DATA_KINDS = ("placeholder", NDARRAY, "variable")


def natural_column(tensor: TensorVal) -> bool:
    """Whether the trailing size-1 axis of ``tensor`` came from the data or the model (a label column,
    a one-unit output), not from an explicit ``expand_dims``/``[:, None]``/``reshape`` (deliberate)."""
    chain = tensor.chain or (Step(None, tensor.shape),)
    rank = len(tensor.shape)
    start = len(chain)
    while start > 0:
        shape = chain[start - 1].shape
        if shape is None or len(shape) != rank or shape[-1] != 1:
            break
        start -= 1
    if start == len(chain):
        return False
    if start == 0 and len(chain) >= MAX_CHAIN:
        return False  # the origin was cut off
    creating = chain[start]
    later = [step.label or "" for step in chain[start + 1:]]
    if creating.label is None:
        if start != 0:
            return False
        return tensor.kind in _DATA_KINDS or all(_starts(label, _TRANSPARENT_STEPS) for label in later)
    return _starts(creating.label, _NATURAL_STEPS)


def _starts(label: str, prefixes: tuple) -> bool:
    low = label.lower()
    return any(low.startswith(prefix) for prefix in prefixes) or "dense" in low


def _explicit_axis_syntax(node: Any) -> bool:
    """``x[:, None]``, ``x[..., tf.newaxis]``, ``tf.expand_dims(x, 1)``, ``tf.reshape(x, [-1, 1])``:
    a size-1 axis written on purpose, in the operand's own expression."""
    if isinstance(node, ast.Subscript):
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        for value in parts:
            if isinstance(value, ast.Constant) and value.value is None:
                return True
            if isinstance(value, ast.Attribute) and value.attr == "newaxis":
                return True
        return False
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in ("expand_dims", "reshape", "newaxis", "atleast_2d", "column_stack")
    return False


def _operand_nodes(call: Call) -> tuple:
    node = call.node
    if isinstance(node, ast.BinOp):
        return node.left, node.right
    if isinstance(node, ast.AugAssign):
        return node.target, node.value
    return call.arg_node(0, "x", "a"), call.arg_node(1, "y", "b")


def _deliberate_constant(tensor: TensorVal, raw: Optional[Value]) -> bool:
    """A constant operand whose values are all the same (``p - [1., 1., 1.]``, ``tf.fill``), or whose
    values are unknown: broadcasting it against every row may be meant. A literal of distinct values
    (six house prices) is data, and an ``[N, 1]`` - ``[N]`` broadcast with it is the textbook bug."""
    if tensor.kind != "constant":
        return False
    if isinstance(raw, TensorVal):
        raw = raw.app.call.arg(0, "value") if raw.app is not None and raw.app.call.name == "tf.constant" \
            and not raw.app.call.has(2, "shape") else None
    return _all_equal(raw) is not False


def _all_equal(value: Optional[Value]) -> Optional[bool]:
    """Whether the numbers of a (nested) literal are all equal; None when one is not known."""
    numbers: set = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (ListVal, TupleVal)):
            stack.extend(item.items)
        elif isinstance(item, Const) and isinstance(item.value, (int, float)):
            numbers.add(item.value)
        else:
            return None
    return len(numbers) <= 1


def silent_broadcast_step(call: Call, x: TensorVal, y: TensorVal, out: Shape, name: str) -> Optional[BroadcastStep]:
    """A BroadcastStep when ``x`` and ``y`` are ``S + (1,)`` and ``S`` (either order) with every dim
    of ``S`` provably equal, ``S[-1]`` not provably 1, the size-1 axis natural (see
    :func:`natural_column`) and not written in the operand's expression, and the other operand not
    a literal constant."""
    if out is None or any(d is None for d in out):
        return None
    nodes = _operand_nodes(call)
    raw = (call.arg(0, "x", "a"), call.arg(1, "y", "b"))
    if _deliberate_constant(x, raw[0]) or _deliberate_constant(y, raw[1]):
        return None
    for (larger, larger_node), smaller in (((x, nodes[0]), y), ((y, nodes[1]), x)):
        big, small = larger.shape, smaller.shape
        if big is None or small is None or len(small) < 1 or len(big) != len(small) + 1 or big[-1] != 1:
            continue
        pairs = [dims.equal(a, b) for a, b in zip(big[:-1], small)]
        if any(p is False for p in pairs) or dims.equal(small[-1], 1) is True:
            continue
        provable = all(p is True for p in pairs)
        if not provable and not all(isinstance(a, dims.Expr) and isinstance(b, dims.Expr)
                                    for (a, b), p in zip(zip(big[:-1], small), pairs) if p is None):
            continue
        if dims.equal(out[-1], small[-1]) is not True or len(out) != len(big):
            continue
        if _explicit_axis_syntax(larger_node) or not natural_column(larger):
            continue
        return BroadcastStep(name, out, node=call.node, larger=larger, smaller=smaller, provable=provable,
                             larger_node=larger_node if not isinstance(call.node, ast.AugAssign) else None)
    return None


def elementwise_result(call: Call, x: TensorVal, y: TensorVal, main: TensorVal, out: Shape, name: str) -> TensorVal:
    """The result of an elementwise op (called by ``math.elementwise``): NumPy operands give an
    ndarray; a silent ``[N, 1]``/``[N]`` broadcast is remembered in the derivation."""
    kind = "tensor"
    if call.name.startswith("operator."):
        raw = (call.arg(0, "x", "a"), call.arg(1, "y", "b"))
        if all(is_numpy_operand(v) for v in raw) and any(isinstance(v, TensorVal) for v in raw):
            kind = NDARRAY
    step = silent_broadcast_step(call, x, y, out, name)
    if step is None:
        return main.derive(out, name, kind=kind)
    chain = (main.chain or (Step(None, main.shape),)) + (step,)
    return TensorVal(shape=out, kind=kind, chain=chain[-MAX_CHAIN:])


def broadcast_origin(tensor: TensorVal) -> Optional[BroadcastStep]:
    """The BroadcastStep that made ``tensor``'s shape, if only shape-keeping ops came after it."""
    if not isinstance(tensor, TensorVal) or tensor.shape is None:
        return None
    for step in reversed(tensor.chain):
        if isinstance(step, BroadcastStep):
            return step if step.shape == tensor.shape else None
        if step.shape != tensor.shape:
            return None
    return None


def reduced_input(tensor: Optional[TensorVal], reducer: str, call: Call) -> None:
    """Report SilentBroadcast when ``tensor`` (an input of a reduction or a loss) was silently broadcast."""
    if tensor is None:
        return
    step = broadcast_origin(tensor)
    if step is None or not step.provable:
        return
    call.report(_silent_broadcast(step, tensor, reducer, call.node))


def _silent_broadcast(step: BroadcastStep, tensor, reducer: str, reducer_node) -> SilentBroadcast:
    larger, smaller = step.larger, step.smaller
    names = ""
    if larger.label and smaller.label:
        names = f" (`{larger.label}` and `{smaller.label}`)"
    error = SilentBroadcast(
        f"`{step.label}` of {shapes.fmt(larger.shape)} and {shapes.fmt(smaller.shape)}{names} broadcasts to "
        f"{shapes.fmt(step.shape)}, and a reduction hides it: every element is paired with every other, not "
        f"with its own (squeeze the {shapes.fmt(larger.shape)} operand, e.g. `tf.squeeze(p, -1)` or `p[:, 0]`, or "
        f"give the other a trailing axis of 1)",
        larger=larger, smaller=smaller, tensor=tensor, reducer=reducer, broadcast_node=step.node,
        larger_node=step.larger_node, reducer_node=reducer_node)
    error.node = step.node
    return error


def reduced(tensor: Optional[TensorVal], result: Value, reducer: str, call: Call) -> Value:
    """For reductions (``reduce_mean``, ``np.mean``, ``l2_loss``...): ``result``, reporting a silent
    broadcast of the input (TensorFlow computes the reduction all the same)."""
    reduced_input(tensor, reducer, call)
    return result


def arg_reduced(tensor: Optional[TensorVal], axis: Optional[int], result: Value, call: Call) -> Value:
    """For ``argmax``/``argmin``: ``result``, reporting a reduced axis of static size 1 (silent: the
    result is all zeros)."""
    if tensor is None or tensor.shape is None or axis is None or not -len(tensor.shape) <= axis < len(tensor.shape):
        return result
    if tensor.shape[axis] != 1:
        return result
    name = call.name.split(".")[-1]
    label = f"`{tensor.label}`" if tensor.label else "the input"
    call.report(SizeOneReduction(
        f"`{name}` over axis {axis} of {label} ({shapes.fmt(tensor.shape)}), which has size 1: the result is always "
        f"0 (a one-unit output has no classes to choose from; threshold it, e.g. `tf.cast(p > 0.5, tf.int64)`, "
        f"or give the layer one unit per class)", tensor=tensor, axis=axis))
    return result


# -- set_shape ---------------------------------------------------------------------------------------------


@op("Tensor.set_shape")
def set_shape(call: Call) -> Value:
    tensor = call.args[0]
    target_value = call.arg(1, "shape")
    if is_none(target_value):
        return Const(None)
    target = declared_dims(target_value)
    if target is None or tensor.shape is None:
        return Const(None)
    problem = incompatible(tensor.shape, target)
    if problem is not None:
        label = f"`{tensor.label}`" if tensor.label else "the tensor"
        shown = "[" + ", ".join("None" if d is None else dims.fmt(d) for d in target) + "]"
        call.report(SetShapeIncompatible(
            f"set_shape({shown}) contradicts the known shape {shapes.fmt(tensor.shape)} of {label} ({problem}): "
            f"TensorFlow raises `Shapes ... are incompatible`; use tf.reshape to change a shape",
            tensor=tensor, target=target))
    return Const(None)

