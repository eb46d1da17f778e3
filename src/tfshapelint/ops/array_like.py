"""What NumPy makes of a value: arrays, numbers and (nested) lists of either.

``value_shape`` is the shape of ``np.asarray(value)``: the shape NumPy operands, fed values and
array indices have. Lists may be listed item by item (ListVal/TupleVal) or summarised by a length
and one element (SequenceSummary); numbers may be constants or of unknown value (NumberVal).
"""

from __future__ import annotations

from typing import Optional

from ..domain.sequences import SequenceSummary, summary_shape
from ..domain.values import Const, NumberVal, ObjectVal, SymInt, TensorVal, Value, fresh_tensor
from ..shapes import dims
from ..shapes.shape import Shape
from . import registry
from .args import items_of

NDARRAY = "ndarray"


def value_shape(value: Value, _memo: Optional[dict] = None) -> Shape:
    """The shape NumPy gives ``np.asarray(value)``: arrays, numbers, nested lists of either.

    None when unknown or ragged (NumPy would make an object array or raise).
    """
    if isinstance(value, TensorVal):
        return value.shape
    if isinstance(value, Const):
        if isinstance(value.value, (bool, int, float, complex)) and value.value is not None:
            return ()
        return None
    if isinstance(value, (SymInt, NumberVal)):
        return ()
    if isinstance(value, SequenceSummary):
        return summary_shape(value, value_shape)
    if isinstance(value, ObjectVal):
        return _converted_object(value)
    items = items_of(value)
    if items is None:
        return None
    if not items:
        return (0,)
    memo = {} if _memo is None else _memo  # lists that share items (x = [x, x] in a loop): each once
    for item in items:
        if id(item) not in memo:
            memo[id(item)] = (item, value_shape(item, memo))  # the item kept alive: its id stays its own
    inner = [memo[id(item)][1] for item in items]
    first = inner[0]
    if first is None:
        return None
    for other in inner[1:]:
        if other is None or len(other) != len(first):
            return None
        if any(dims.equal(a, b) is not True for a, b in zip(first, other)):
            return None
    return (len(items),) + tuple(first)


def _converted_object(value: ObjectVal) -> Shape:
    """An object that NumPy converts through its ``__array__`` (a pandas table gives its values)."""
    convert = registry.lookup_property(f"{value.type_name}.__array__")
    if convert is None:
        return None
    array = convert(registry.Call(name=f"{value.type_name}.__array__", args=[value], kwargs={}))
    return array.shape if isinstance(array, TensorVal) else None


def as_array(value: Value) -> Optional[TensorVal]:
    """An array operand: an array/tensor itself, or a literal converted to an ndarray."""
    if isinstance(value, TensorVal):
        return value
    shape = value_shape(value)
    if shape is None:
        return None
    return fresh_tensor(shape, kind=NDARRAY)


def is_numpy_operand(value: Value) -> bool:
    """An ndarray, or a Python literal (number, nested list) that NumPy converts."""
    if isinstance(value, TensorVal):
        return value.kind == NDARRAY
    return value_shape(value) is not None
