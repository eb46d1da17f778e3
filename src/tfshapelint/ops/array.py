"""Reshapes and shape queries."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..domain.values import UNKNOWN, DimOrigin, TensorVal, Value, fresh_tensor, int_value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .args import items_of, tensor_of
from .errors import BatchChange, InvalidArgument, ReshapeMismatch
from .registry import Call, op


def reshape_shape(input_shape: Shape, target: tuple, facts: Optional[dict] = None) -> Shape:
    """The shape ``tf.reshape`` gives; ``target`` holds dims with ``-1`` for the inferred one.

    Raises ReshapeMismatch when the element counts provably cannot agree.
    """
    facts = facts or {}
    inferred = [i for i, d in enumerate(target) if d == -1]
    if len(inferred) > 1:
        raise InvalidArgument(f"reshape target {_target_text(target)} has more than one -1", **facts)
    if any(isinstance(d, int) and d < -1 for d in target):
        raise InvalidArgument(f"reshape target {_target_text(target)} has a negative size", **facts)
    total = shapes.num_elements(input_shape)
    if not inferred:
        requested = dims.product(target)
        if dims.equal(total, requested) is False:
            raise ReshapeMismatch(
                f"reshape of {shapes.fmt(input_shape)} ({dims.fmt(total)} values) to {_target_text(target)} "
                f"({dims.fmt(requested)} values)", **facts)
        return tuple(target)
    index = inferred[0]
    known = dims.product(d for i, d in enumerate(target) if i != index)
    if isinstance(total, int) and isinstance(known, int) and known > 0 and total % known != 0:
        raise ReshapeMismatch(
            f"reshape of {shapes.fmt(input_shape)} ({total} values) to {_target_text(target)}: {total} is not "
            f"a multiple of {known}", **facts)
    out = list(target)
    out[index] = dims.div_exact(total, known) if known != 0 else None
    return tuple(out)


def _target_text(target: tuple) -> str:
    return "[" + ", ".join(dims.fmt(d) for d in target) + "]"


def per_example_size(input_shape: Shape) -> Dim:
    """Values per example of a batch-leading tensor."""
    if input_shape is None or len(input_shape) < 1:
        return None
    return shapes.num_elements(input_shape[1:])


def batch_change(input_shape: Shape, out: Shape, target: tuple, feature_map: bool = False) -> Optional[str]:
    """Why a ``[-1, K...]`` reshape of a batch-leading tensor mixes examples, or None.

    Rows straddle examples when neither the per-example size nor the row size divides the
    other: then the new leading dim cannot be a whole number of examples, and for a batch of one
    TensorFlow raises. Splitting examples into several rows (``[-1, channels]``) is fine.
    The leading dim is known to be a batch when it is symbolic (a ``None`` batch) or when the
    tensor is a feature map (``feature_map``: it came out of a convolution or a pooling).
    """
    if input_shape is None or out is None or len(input_shape) < 2 or target[0] != -1:
        return None
    if not isinstance(input_shape[0], dims.Expr) and not feature_map:
        return None  # a fixed leading size that need not be a batch: any reshape may be intended
    example = per_example_size(input_shape)
    row = dims.product(target[1:])
    if not (isinstance(example, int) and isinstance(row, int) and example > 0 and row > 0):
        return None
    if row % example == 0:
        return None
    if example % row != 0:
        return (f"each example of {shapes.fmt(input_shape)} has {example} values, which is not a multiple of the "
                f"row size {row}, so rows mix examples and the batch becomes {dims.fmt(out[0])}")
    return _rows_straddle_pixels(input_shape, out, row) if feature_map else None


def _rows_straddle_pixels(input_shape: Shape, out: Shape, row: int) -> Optional[str]:
    """A feature map ``[N, H, W, C]`` cut into rows of ``row`` values: per pixel (``C``), per image
    row (``W*C``) or a part of a pixel's channels are deliberate layouts; any other size that divides
    the map cuts it across pixels, and what follows sees several rows per example."""
    trailing = [dims.product(input_shape[i:]) for i in range(1, len(input_shape))]
    channels = input_shape[-1]
    if not all(isinstance(d, int) and d > 0 for d in trailing) or row in trailing or channels % row == 0:
        return None
    example = trailing[0]
    return (f"each example of {shapes.fmt(input_shape)} has {example} values; rows of {row} are neither pixels "
            f"({channels}), rows of the map ({trailing[-2] if len(trailing) > 1 else channels}) nor whole maps "
            f"({example}), so every example becomes {example // row} rows that cut across pixels and the batch "
            f"becomes {dims.fmt(out[0])}")


@op("tf.reshape", "tf.manip.reshape")
def reshape(call: Call) -> Value:
    x = tensor_of(call.arg(0, "tensor"))
    shape_arg = call.arg(1, "shape")
    if x is None:
        return UNKNOWN
    items = items_of(shape_arg)
    if items is None:
        if isinstance(shape_arg, TensorVal) and shape_arg.shape is not None and len(shape_arg.shape) == 1 \
                and isinstance(shape_arg.shape[0], int) and 0 <= shape_arg.shape[0] <= 1024:
            return x.derive((None,) * shape_arg.shape[0], "reshape")
        return x.derive(None, "reshape")
    target = tuple(int_value(item) for item in items)
    facts = {"tensor": x, "target": target}
    out = reshape_shape(x.shape, target, facts)
    result = x.derive(out, "reshape " + _target_text(target), source_shape=x)
    if out is None or x.shape is None or len(target) < 2 or target[0] != -1:
        return result
    origin = _origin(items[1]) if len(items) == 2 else None
    from_weight = origin is not None and origin.tensor.kind == "variable"
    example = per_example_size(x.shape)
    reason = batch_change(x.shape, out, target, feature_map=is_feature_map(x))
    if from_weight and reason is None and dims.equal(example, target[1]) is False \
            and dims.equal(out[0], x.shape[0]) is False:
        reason = (f"each example of {shapes.fmt(x.shape)} has {dims.fmt(example)} values, but the row size "
                  f"{dims.fmt(target[1])} was read from the shape of `{origin.tensor.label or 'a weight'}`, so "
                  f"the batch becomes {dims.fmt(out[0])}")
    if reason is None:
        return result
    # silent: TensorFlow reshapes, and the program goes on with rows that mix examples
    call.report(BatchChange(f"reshape to {_target_text(target)} changes the batch: {reason}", tensor=x,
                            target=target, new_batch=out[0], old_batch=x.shape[0], size_origin=origin,
                            example_size=example, target_node=getattr(shape_arg, "node", None)))
    # The analysis goes on with an unknown batch (no finding cascades from this one), while the
    # derivation keeps the shape TensorFlow computes, which explain and hovers show.
    computed = x.derive(out, "reshape " + _target_text(target), source_shape=x)
    return replace(computed, shape=(None,) + tuple(out[1:]))


def is_feature_map(tensor: TensorVal) -> bool:
    """A convolution or pooling produced it (directly or through shape-keeping steps): its
    leading axis is the batch, and each example is one map."""
    for step in reversed(tensor.chain):
        label = (step.label or "").lower()
        if label.startswith(("conv", "max_pool", "avg_pool", "depthwise", "separable")) or "pool" in label:
            return True
        if step.label is None or step.shape != tensor.shape:
            return False
    return False


def _origin(value: Value) -> Optional[DimOrigin]:
    return getattr(value, "origin", None)


@op("tf.shape")
def shape_of(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input"))
    if x is None or x.shape is None:
        return fresh_tensor(None, kind="shape_tensor")
    return fresh_tensor((len(x.shape),), kind="shape_tensor")
