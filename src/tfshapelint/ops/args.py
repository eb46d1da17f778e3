"""Reading abstract argument values as the plain Python data shape functions work on."""

from __future__ import annotations

from typing import Callable, Optional

from ..domain.sequences import SequenceSummary, summary_shape
from ..domain.values import (
    UNKNOWN,
    Const,
    ListVal,
    NumberVal,
    ObjectVal,
    ShapeVal,
    SymInt,
    TensorVal,
    TupleVal,
    Value,
    fresh_tensor,
    int_value,
)
from ..shapes import dims
from ..shapes.shape import Shape


def as_int(value: Value) -> Optional[int]:
    dim = int_value(value)
    return dim if isinstance(dim, int) else None


def as_size(value: Value) -> Optional[int]:
    """A layer's size argument (``units``, ``filters``...) when it is a positive integer: Keras
    rejects the others when the layer is built, so no shape may follow from them."""
    size = as_int(value)
    return size if size is not None and size >= 1 else None


def as_str(value: Value) -> Optional[str]:
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    return None


def as_bool(value: Value, default: Optional[bool] = None) -> Optional[bool]:
    if value is UNKNOWN:
        return default
    if isinstance(value, Const) and isinstance(value.value, (bool, int)) and value.value is not None:
        return bool(value.value)
    if is_none(value):
        return False
    return None


def items_of(value: Value) -> Optional[tuple]:
    if isinstance(value, (TupleVal, ListVal)):
        return value.items
    return None


def as_dims(value: Value) -> Optional[tuple]:
    """A shape argument (``[None, 28, 28, 1]``, ``x.shape``, ``(3, 3)``) as dims; None if unknown.

    ``None`` items (TF's unknown size) and unknown values both become unknown dims.
    """
    if isinstance(value, Const) and isinstance(value.value, int) and not isinstance(value.value, bool):
        return (value.value,)
    if isinstance(value, SymInt):
        return (value.dim,)
    if isinstance(value, NumberVal) and value.kind == "int":
        return (None,)  # one size, of unknown value
    items = items_of(value)
    if items is None:
        return None
    return tuple(int_value(item) for item in items)  # None (TF's unknown size) is unknown too


def declared_dims(value: Value) -> Optional[tuple]:
    """A shape a tensor is declared with (``tf.zeros``, ``placeholder``, ``Input(shape=...)``,
    ``set_shape``): ``as_dims``, where a negative size is unknown. TensorFlow rejects it (``Dimension -2
    must be >= 0``), or in a graph's shape inference takes it as unknown; no finding derives from it."""
    found = as_dims(value)
    if found is None:
        return None
    return tuple(None if isinstance(d, int) and d < 0 else d for d in found)


UNREAD = object()  # an argument given, but whose value is not known


def is_none(value: Value) -> bool:
    """The argument is Python's ``None`` (TensorFlow's default, or an unknown size in a shape)."""
    return isinstance(value, Const) and value.value is None


def int_list(value: Value):
    """An int or a list of ints (a one-element list for a scalar is kept as a list); UNREAD if unknown.

    A scalar stays a scalar (``axis=1`` is not ``axis=[1]``); ``as_int_list`` makes it a list."""
    number = as_int(value)
    if number is not None:
        return number
    items = items_of(value)
    if items is None:
        return UNREAD
    ints = [as_int(item) for item in items]
    return UNREAD if any(i is None for i in ints) else ints


def as_int_list(value: Value) -> Optional[list[int]]:
    """An int or a list of ints (strides, ksize) as a list; None when any part is unknown."""
    found = int_list(value)
    if found is UNREAD:
        return None
    return [found] if isinstance(found, int) else found


def axis_arg(value: Value, unknown=UNREAD):
    """An ``axis`` argument: None (every axis), an int, or a tuple of ints; ``unknown`` when not known."""
    if is_none(value):
        return None
    found = int_list(value)
    if found is UNREAD:
        return unknown
    return found if isinstance(found, int) else tuple(found)


def axes_list(value: Value):
    """An ``axis`` argument as a list of ints (``1`` is ``[1]``): None (every axis), UNREAD when not known."""
    if is_none(value):
        return None
    found = int_list(value)
    if found is UNREAD:
        return UNREAD
    return [found] if isinstance(found, int) else found


def dim_list(value: Value):
    """A list of sizes (ints, symbolic sizes, None for unknown items); UNREAD if not a list."""
    items = items_of(value)
    if items is None:
        return UNREAD
    return [int_value(item) for item in items]  # None for an unknown item


def nested_shape(value: Value, numpy: bool = False, objects: Optional[Callable[[Value], Shape]] = None,
                 _memo: Optional[dict] = None) -> Shape:
    """The shape of a nested literal (``[[1, 2], [3, 4]]`` -> 2x2), None if ragged or unknown.

    ``numpy`` reads it as ``np.asarray`` does: tensors and arrays nest, complex numbers count, a
    static shape's items are read like a list's, and items must agree for certain (``dims.equal``),
    not just look alike. ``objects`` gives the shape of other objects (those NumPy converts through
    ``__array__``).
    """
    if isinstance(value, TensorVal):
        return value.shape if numpy else None
    if isinstance(value, Const):
        return () if isinstance(value.value, _NUMPY_NUMBERS if numpy else _NUMBERS) else None
    if isinstance(value, (SymInt, NumberVal)):
        return ()
    if isinstance(value, SequenceSummary):
        return summary_shape(value, lambda element: nested_shape(element, numpy, objects))
    if isinstance(value, ObjectVal) and objects is not None:
        return objects(value)
    if isinstance(value, ShapeVal) and not numpy:
        return (len(value.items),)
    items = items_of(value)
    if items is None:
        return None
    if not items:
        return (0,)
    memo = {} if _memo is None else _memo  # lists that share items (x = [x, x] in a loop): each once
    for item in items:
        if id(item) not in memo:  # the item kept alive: its id stays its own
            memo[id(item)] = (item, nested_shape(item, numpy, objects, memo))
    inner = [memo[id(item)][1] for item in items]
    first = inner[0]
    if first is None:
        return None
    if not all(_alike(first, other, numpy) for other in inner[1:]):
        return None
    return (len(items),) + tuple(first)


def _alike(first: tuple, other: Shape, certain: bool) -> bool:
    """Two items' shapes agree: equal, or (``certain``) the same for certain, sizes unknown to be equal
    making them differ."""
    if other is None or len(other) != len(first):
        return False
    if certain:
        return all(dims.equal(a, b) is True for a, b in zip(first, other))
    return other == first


_NUMBERS = (int, float, bool)
_NUMPY_NUMBERS = (bool, int, float, complex)


def literal_shape(value: Value) -> Shape:
    """The shape of a nested Python literal (``[[1, 2], [3, 4]]`` -> 2x2), None if ragged/unknown."""
    return nested_shape(value)


def tensor_of(value: Value, shape_of: Callable[[Value], Shape] = literal_shape,
              kind: str = "constant") -> Optional[TensorVal]:
    """A tensor operand: a tensor itself, or a Python number / nested list converted to one
    (``shape_of`` and ``kind`` say how: NumPy's operands read ``value_shape`` and are ndarrays)."""
    if isinstance(value, TensorVal):
        return value
    shape = shape_of(value)
    if shape is None:
        return None
    return fresh_tensor(shape, kind=kind)


def normalize_axis(axis: int, rank: int) -> Optional[int]:
    if -rank <= axis < rank:
        return axis % rank
    return None


def dims_text(values: tuple) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in values) + "]"

