"""Attributes and methods of tensors and static shapes (``x.shape``, ``x.get_shape().as_list()``)."""

from __future__ import annotations

from ..domain.values import UNKNOWN, Const, DimOrigin, ListVal, ShapeVal, TensorVal, Value, dim_value
from .registry import Call, module_value, op, prop


def static_shape(tensor: TensorVal) -> Value:
    """The ``TensorShape`` of a tensor; each int remembers which tensor and axis it came from."""
    if tensor.shape is None:
        return UNKNOWN
    return ShapeVal(tuple(dim_value(d, DimOrigin(tensor, axis)) for axis, d in enumerate(tensor.shape)))


@prop("Tensor.shape", "ndarray.shape")
def shape_property(call: Call) -> Value:
    return static_shape(call.args[0])


@op("Tensor.get_shape")
def get_shape(call: Call) -> Value:
    return static_shape(call.args[0])


@prop("Tensor.ndim", "ndarray.ndim")
def ndim(call: Call) -> Value:
    tensor = call.args[0]
    return Const(len(tensor.shape)) if tensor.shape is not None else UNKNOWN


@op("TensorShape.as_list")
def as_list(call: Call) -> Value:
    return ListVal(call.args[0].items)


@prop("TensorShape.ndims", "TensorShape.rank")
def shape_rank(call: Call) -> Value:
    return Const(len(call.args[0].items))


@module_value("np.newaxis", "tf.newaxis")
def newaxis(call: Call) -> Value:
    """``np.newaxis`` and ``tf.newaxis`` are ``None``."""
    return Const(None)
