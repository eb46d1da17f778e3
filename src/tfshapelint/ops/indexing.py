"""Basic indexing of tensors and arrays: ``x[0]``, ``x[:, 1:3]``, ``x[..., ::-1]``, ``x[tf.newaxis]``.

``index_shape`` follows TensorFlow's strided slice (``Tensor.__getitem__``), which for these keys
agrees with NumPy's basic indexing: ints remove an axis (and must be in range), slices keep it
(clamped like Python's), ``None``/``tf.newaxis`` insert a size-1 axis, one ``...`` stands for the
axes not named. Any other key (a list, a boolean, a non-scalar tensor) gives an unknown shape.
"""

from __future__ import annotations

from typing import Optional

from ..domain.values import UNKNOWN, ApiRef, Const, NumberVal, SliceVal, SymInt, TensorVal, TupleVal, Value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .args import is_none
from .errors import InvalidArgument
from .manip import at_least
from .registry import Call, canonical, op

NEWAXIS, ELLIPSIS = "newaxis", "ellipsis"
_UNREAD = object()  # a part of a key whose value is not known


# -- pure shape functions ----------------------------------------------------------------------------


def slice_length(size: Dim, start, stop, step) -> Dim:
    """``len(range(size)[start:stop:step])``; ``start``/``stop`` are dims or None (omitted), ``step`` a
    non-zero int or None. Unknown (None) when it depends on values of the symbols."""
    if size is None or start is _UNREAD or stop is _UNREAD:
        return None
    step = 1 if step is None else step
    if step > 0:
        first = _bound(start, size, 0, 0, size)
        last = _bound(stop, size, size, 0, size)
        span = None if first is _UNREAD or last is _UNREAD else dims.sub(last, first)
        divisor = step
    else:
        first = _bound(start, size, dims.sub(size, 1), -1, dims.sub(size, 1))
        last = _bound(stop, size, -1, -1, dims.sub(size, 1))
        span = None if first is _UNREAD or last is _UNREAD else dims.sub(first, last)
        divisor = -step
    if span is None:
        return None
    positive = at_least(span, 0)
    if positive is False:
        return 0
    if positive is None:
        return None
    return dims.ceil_div(span, divisor)


def _bound(value, size: Dim, default: Dim, low: Dim, high: Dim):
    """A slice bound made absolute and clamped into [low, high] (Python's ``slice.indices``)."""
    if value is None:
        return default
    negative = at_least(value, 0)
    if negative is None:
        return _UNREAD
    if negative is False:
        value = dims.add(value, size)
    below = at_least(value, low)
    if below is None:
        return _UNREAD
    if below is False:
        return low
    above = at_least(high, value)
    if above is None:
        return _UNREAD
    return value if above else high


def index_shape(shape: Shape, key: list, facts: Optional[dict] = None) -> Shape:
    """The shape of ``x[key]``; ``key`` a list of entries: ``("index", dim or None)``,
    ``("slice", start, stop, step)``, ``NEWAXIS`` or ``ELLIPSIS``."""
    facts = facts or {}
    if sum(1 for k in key if k == ELLIPSIS) > 1:
        raise InvalidArgument("an index with more than one `...`", **facts)
    for entry in key:
        if isinstance(entry, tuple) and entry[0] == "slice" and entry[3] == 0:
            raise InvalidArgument("a slice with step 0", **facts)
    if shape is None:
        return None
    consumed = sum(1 for k in key if isinstance(k, tuple))
    rank = len(shape)
    if consumed > rank:
        what = "a scalar" if rank == 0 else f"a tensor of rank {rank} ({shapes.fmt(shape)})"
        raise InvalidArgument(f"{consumed} indices for {what}", **facts)
    out: list = []
    axis = 0
    for entry in key:
        if entry == ELLIPSIS:
            span = rank - consumed
            out.extend(shape[axis:axis + span])
            axis += span
        elif entry == NEWAXIS:
            out.append(1)
        elif entry[0] == "index":
            _check_index(entry[1], shape, axis, facts)
            axis += 1
        else:
            _, start, stop, step = entry
            out.append(None if step is _UNREAD else slice_length(shape[axis], start, stop, step))
            axis += 1
    out.extend(shape[axis:])
    return tuple(out)


def _check_index(index: Dim, shape: Shape, axis: int, facts: dict) -> None:
    size = shape[axis]
    if index is None or size is None:
        return
    if at_least(index, 0) is not False:
        out_of_range = at_least(index, size) is True and at_least(index, 0) is True
    else:
        out_of_range = at_least(dims.neg(index), dims.add(size, 1)) is True
    if out_of_range:
        raise InvalidArgument(
            f"index {dims.fmt(index)} is out of range for axis {axis} of {shapes.fmt(shape)} (size {dims.fmt(size)})",
            **facts)


# -- reading the key ---------------------------------------------------------------------------------


def _part(value: Value):
    """A slice bound or step: None when omitted, a dim, or _UNREAD."""
    if is_none(value):
        return None
    if isinstance(value, Const) and isinstance(value.value, int) and not isinstance(value.value, bool):
        return value.value
    if isinstance(value, SymInt) and value.dim is not None:
        return value.dim
    return _UNREAD


def read_entry(value: Value):
    """One entry of a key, or None when it is not basic indexing (or not known)."""
    if isinstance(value, Const):
        if value.value is None:
            return NEWAXIS
        if value.value is Ellipsis:
            return ELLIPSIS
        if isinstance(value.value, int) and not isinstance(value.value, bool):
            return ("index", value.value)
        return None
    if isinstance(value, SymInt):
        return ("index", value.dim)
    if isinstance(value, NumberVal) and value.kind == "int":
        return ("index", None)  # an int of unknown value: one axis goes
    if isinstance(value, ApiRef) and canonical(value.path) in ("tf.newaxis", "np.newaxis"):
        return NEWAXIS
    if isinstance(value, SliceVal):
        step = _part(value.step)
        if step is not _UNREAD and step is not None and not isinstance(step, int):
            step = _UNREAD
        return ("slice", _part(value.start), _part(value.stop), step)
    if isinstance(value, TensorVal) and value.shape == () and value.kind != "ndarray":
        return ("index", None)
    return None


def read_key(key: Value) -> Optional[list]:
    items = key.items if type(key) is TupleVal else (key,)
    entries = [read_entry(item) for item in items]
    return None if any(e is None for e in entries) else entries


@op("Tensor.__getitem__")
def getitem(call: Call) -> Value:
    x = call.args[0]
    if not isinstance(x, TensorVal):
        return UNKNOWN
    key = read_key(call.args[1]) if len(call.args) > 1 else None
    if key is None:
        return x.derive(None, "[...]")
    return x.derive(index_shape(x.shape, key, {"tensor": x}), "index")
