"""What NumPy makes of a value: arrays, numbers and (nested) lists of either.

``value_shape`` is the shape of ``np.asarray(value)``: the shape NumPy operands, fed values and
array indices have. Lists may be listed item by item (ListVal/TupleVal) or summarised by a length
and one element (SequenceSummary); numbers may be constants or of unknown value (NumberVal).
"""

from __future__ import annotations

from typing import Optional

from ..domain.values import ObjectVal, TensorVal, Value
from ..shapes.shape import Shape
from . import registry
from .args import nested_shape, tensor_of

NDARRAY = "ndarray"


def value_shape(value: Value) -> Shape:
    """The shape NumPy gives ``np.asarray(value)``: arrays, numbers, nested lists of either.

    None when unknown or ragged (NumPy would make an object array or raise).
    """
    return nested_shape(value, numpy=True, objects=_converted_object)


def _converted_object(value: ObjectVal) -> Shape:
    """An object that NumPy converts through its ``__array__`` (a pandas table gives its values)."""
    convert = registry.lookup_property(f"{value.type_name}.__array__")
    if convert is None:
        return None
    array = convert(registry.Call(name=f"{value.type_name}.__array__", args=[value], kwargs={}))
    return array.shape if isinstance(array, TensorVal) else None


def as_array(value: Value) -> Optional[TensorVal]:
    """An array operand: an array/tensor itself, or a literal converted to an ndarray."""
    return tensor_of(value, value_shape, NDARRAY)


def is_numpy_operand(value: Value) -> bool:
    """An ndarray, or a Python literal (number, nested list) that NumPy converts."""
    if isinstance(value, TensorVal):
        return value.kind == NDARRAY
    return value_shape(value) is not None
