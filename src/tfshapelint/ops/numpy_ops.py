"""NumPy arrays: creation, reshapes, axis manipulation, joins, reductions (random data: numpy_random).

Arrays are ``TensorVal(kind="ndarray")``; their methods and attributes register under
``ndarray.*``. Shape functions follow NumPy's rules (not TensorFlow's): ``np.squeeze`` of a
size-1-or-not symbolic axis, ``np.concatenate`` with ``axis=None``, ``matmul`` of 1-D operands.
Every shape function raises only what NumPy raises for certain; unknown stays unknown.
"""

from __future__ import annotations

import math as _math
from typing import Optional

from ..domain.sequences import SequenceSummary
from ..domain.values import (
    UNKNOWN,
    Const,
    ListVal,
    NumberVal,
    SymInt,
    TensorVal,
    TupleVal,
    Value,
    fresh_tensor,
    int_value,
    number_kind,
)
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .args import as_dims, as_int, axis_arg, is_none, items_of, normalize_axis
from .array import reshape_shape
from .array_like import NDARRAY, as_array, is_numpy_operand, value_shape  # noqa: F401  (also NumPy's API here)
from .errors import BroadcastMismatch, InvalidArgument, MatmulMismatch, RankMismatch
from .rank_facts import index_unknown_rank, same_rank
from ..domain.rank_bounds import with_rank_bounds
from .registry import Call, op, prop


def _derived(source: TensorVal, shape: Shape, label: str) -> TensorVal:
    return source.derive(shape, label, kind=NDARRAY)


def _axes_text(axis) -> str:
    return "" if axis is None else f" axis={axis}"


def _axis_value(value: Value):
    """An ``axis`` argument: None, an int, or a tuple of ints. ``UNKNOWN`` marks unreadable ones."""
    return axis_arg(value, unknown=UNKNOWN)


def _axis_error(axis: int, rank: int, what: str, facts: dict) -> InvalidArgument:
    return InvalidArgument(f"{what}: axis {axis} is out of bounds for an array of rank {rank}", **facts)


def _normal_axes(axes, rank: int, what: str, facts: dict) -> list:
    """``axes`` as non-negative axes of an array of rank ``rank``; one out of bounds or repeated raises."""
    normal = []
    for axis in axes:
        n = normalize_axis(axis, rank)
        if n is None:
            raise _axis_error(axis, rank, what, facts)
        normal.append(n)
    if len(set(normal)) != len(normal):
        raise InvalidArgument(f"{what}: repeated axis in {list(axes)}", **facts)
    return normal


# -- pure shape functions -----------------------------------------------------------------------------


def creation_shape(dims_arg: Optional[tuple]) -> Shape:
    """``np.zeros(shape)``: the shape argument itself; a negative size raises."""
    if dims_arg is None:
        return None
    for d in dims_arg:
        if isinstance(d, int) and d < 0:
            raise InvalidArgument(f"negative dimensions are not allowed: {list(dims_arg)}")
    return tuple(dims_arg)


def arange_length(start, stop, step) -> Dim:
    """``len(np.arange(start, stop, step))`` for numbers; None when unknown or symbolic."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop, step)):
        if step == 0:
            return None  # NumPy raises ZeroDivisionError: not a shape finding
        try:
            return max(0, _math.ceil((stop - start) / step))
        except (OverflowError, ValueError):  # an infinite or NaN bound
            return None
    if start == 0 and step == 1 and isinstance(stop, dims.Expr):
        return stop
    return None


def transpose_shape(shape: Shape, axes: Optional[tuple], facts: Optional[dict] = None) -> Shape:
    facts = facts or {}
    if shape is None:
        return None
    if axes is None:
        return tuple(reversed(shape))
    rank = len(shape)
    if len(axes) != rank:
        raise InvalidArgument(f"transpose: axes {list(axes)} don't match an array of rank {rank}", **facts)
    return tuple(shape[a] for a in _normal_axes(axes, rank, "transpose", facts))


def expand_dims_shape(shape: Shape, axis, facts: Optional[dict] = None) -> Shape:
    """``np.expand_dims``: ``axis`` an int or a tuple of ints, normalized against the output rank."""
    facts = facts or {}
    if shape is None:
        return None
    axes = axis if isinstance(axis, tuple) else (axis,)
    out_rank = len(shape) + len(axes)
    normal = _normal_axes(axes, out_rank, "expand_dims", facts)
    rest = iter(shape)
    return tuple(1 if i in normal else next(rest) for i in range(out_rank))


def squeeze_shape(shape: Shape, axis, facts: Optional[dict] = None) -> Shape:
    """``np.squeeze``: without an axis, every dim that is 1 goes (unknown if some may be 1);
    with axes, each must be 1 (a provably different size raises)."""
    facts = facts or {}
    if shape is None:
        return None
    if axis is None:
        if any(not isinstance(d, int) for d in shape):
            return None  # a symbolic or unknown size may be 1
        return tuple(d for d in shape if d != 1)
    axes = axis if isinstance(axis, tuple) else (axis,)
    rank = len(shape)
    if rank == 0:
        return _scalar_axes(axes, "squeeze", facts)
    normal = set()
    for a in axes:
        n = normalize_axis(a, rank)
        if n is None:
            raise _axis_error(a, rank, "squeeze", facts)
        if dims.equal(shape[n], 1) is False:
            raise InvalidArgument(
                f"squeeze: axis {a} has size {dims.fmt(shape[n])}, not 1 ({shapes.fmt(shape)})", **facts)
        normal.add(n)
    return tuple(d for i, d in enumerate(shape) if i not in normal)


def _scalar_axes(axes: tuple, what: str, facts: dict) -> Shape:
    """NumPy lets a 0-d array be reduced or squeezed along axis 0 (or -1): the result is 0-d."""
    for a in axes:
        if a not in (0, -1):
            raise _axis_error(a, 0, what, facts)
    return ()


def reduce_shape(shape: Shape, axis, keepdims: bool, what: str, facts: Optional[dict] = None) -> Shape:
    """NumPy reductions (``sum``, ``mean``, ``argmax``...): drop (or keep as 1) the reduced axes."""
    facts = facts or {}
    if shape is None:
        return None
    rank = len(shape)
    if axis is None:
        return (1,) * rank if keepdims else ()
    axes = axis if isinstance(axis, tuple) else (axis,)
    if rank == 0:
        return _scalar_axes(axes, what, facts)
    normal = set()
    for a in axes:
        n = normalize_axis(a, rank)
        if n is None:
            raise _axis_error(a, rank, what, facts)
        normal.add(n)
    if keepdims:
        return tuple(1 if i in normal else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in normal)


def join_shapes(shapes_in: list, axis, stack: bool, what: str, facts: Optional[dict] = None) -> Shape:
    """``np.stack`` (new axis) and ``np.concatenate`` (existing axis; ``None`` flattens)."""
    facts = facts or {}
    if not shapes_in:
        raise InvalidArgument(f"{what}: need at least one array to {'stack' if stack else 'concatenate'}", **facts)
    if any(s is None for s in shapes_in):
        return None
    if not stack and axis is None:
        return (_sum_dims([shapes.num_elements(s) for s in shapes_in]),)
    first = shapes_in[0]
    for other in shapes_in[1:]:
        if len(other) != len(first):
            raise InvalidArgument(
                f"{what}: the arrays have different ranks ({shapes.fmt(first)} and {shapes.fmt(other)})", **facts)
    if stack:
        out_rank = len(first) + 1
        n = normalize_axis(axis, out_rank)
        if n is None:
            raise _axis_error(axis, out_rank, what, facts)
        merged = [_shared_size(shapes_in, i, lambda other: f"{what}: all input arrays must have the same shape "
                               f"({shapes.fmt(first)} and {shapes.fmt(other)})", facts) for i in range(len(first))]
        return tuple(merged[:n]) + (len(shapes_in),) + tuple(merged[n:])
    rank = len(first)
    if rank == 0:
        raise InvalidArgument(f"{what}: zero-dimensional arrays cannot be concatenated", **facts)
    n = normalize_axis(axis, rank)
    if n is None:
        raise _axis_error(axis, rank, what, facts)
    out = []
    for i in range(rank):
        if i == n:
            out.append(_sum_dims([s[i] for s in shapes_in]))
            continue
        out.append(_shared_size(shapes_in, i, lambda other: f"{what}: sizes differ on axis {i} ({shapes.fmt(first)} "
                                f"and {shapes.fmt(other)}), only axis {n} may differ", facts))
    return tuple(out)


def _shared_size(shapes_in: list, i: int, mismatch, facts: dict) -> Dim:
    """The size of axis ``i``, which every shape of ``shapes_in`` must have: one provably different
    raises ``mismatch(that shape)``."""
    d = shapes_in[0][i]
    for other in shapes_in[1:]:
        if dims.equal(d, other[i]) is False:
            raise InvalidArgument(mismatch(other), **facts)
    return d if all(dims.equal(d, o[i]) is True for o in shapes_in[1:]) else _known_of(d, shapes_in, i)


def _known_of(d: Dim, shapes_in: list, i: int) -> Dim:
    """The dim the inputs must share on axis ``i``: an int one of them knows, else unknown."""
    for s in shapes_in:
        if isinstance(s[i], int):
            return s[i]
    return None


def _sum_dims(values: list) -> Dim:
    total: Dim = 0
    for v in values:
        total = dims.add(total, v)
    return total


def atleast_shape(shape: Shape, n: int) -> Shape:
    """``np.atleast_1d/2d``: a scalar becomes ``(1,)``/``(1, 1)``, a vector ``(1, k)`` for 2-d."""
    if shape is None:
        return None
    if len(shape) >= n:
        return tuple(shape)
    if n == 1:
        return (1,)
    return (1,) * (n - len(shape)) + tuple(shape) if len(shape) == 0 else (1,) + tuple(shape)


def numpy_matmul_shape(a: Shape, b: Shape, facts: Optional[dict] = None) -> Shape:
    """``np.matmul`` / ``@`` on arrays: 1-D operands are promoted and the added axis removed."""
    facts = facts or {}
    if a is None or b is None:
        return None
    if len(a) == 0 or len(b) == 0:
        raise RankMismatch("matmul: a scalar operand is not allowed (use `*`)", tensor=facts.get("a"), expected=1)
    a2 = (1,) + tuple(a) if len(a) == 1 else tuple(a)
    b2 = tuple(b) + (1,) if len(b) == 1 else tuple(b)
    if dims.equal(a2[-1], b2[-2]) is False:
        raise MatmulMismatch(
            f"matmul inner dimensions differ: {dims.fmt(a2[-1])} ({shapes.fmt(a)}) vs {dims.fmt(b2[-2])} "
            f"({shapes.fmt(b)})", a_dim=a2[-1], b_dim=b2[-2], **facts)
    from .math import broadcast_shapes

    batch, clash = broadcast_shapes(a2[:-2], b2[:-2])
    if clash is not None:
        raise BroadcastMismatch(f"matmul batch dimensions do not broadcast: {shapes.fmt(a)} and {shapes.fmt(b)}",
                                **facts)
    if batch is None:
        return None
    full = tuple(batch) + (a2[-2], b2[-1])
    rows, cols = len(full) - 2, len(full) - 1
    return tuple(d for i, d in enumerate(full) if not (i == rows and len(a) == 1 or i == cols and len(b) == 1))


def index_shape(shape: Shape, key: Value) -> Shape:
    """NumPy basic indexing (ints, slices with constant bounds, ``None``/``np.newaxis``, ``...``) and
    one index array (``np.eye(10)[labels]``, ``x[mask]``). None when anything is unknown."""
    from ..domain.values import SliceVal

    if shape is None:
        return None
    keys = list(key.items) if isinstance(key, TupleVal) and not isinstance(key, ListVal) else [key]
    consumed = sum(1 for k in keys if not _is_newaxis(k) and not _is_ellipsis(k))
    if consumed > len(shape):
        return None  # NumPy raises IndexError: not a shape finding
    if sum(1 for k in keys if _is_ellipsis(k)) > 1:
        return None
    expanded = []
    for k in keys:
        if _is_ellipsis(k):
            expanded.extend([SliceVal(Const(None), Const(None), Const(None))] * (len(shape) - consumed))
        else:
            expanded.append(k)
    while sum(1 for k in expanded if not _is_newaxis(k)) < len(shape):
        expanded.append(SliceVal(Const(None), Const(None), Const(None)))
    out: list = []
    arrays = 0
    axis = 0
    for k in expanded:
        if _is_newaxis(k):
            out.append(1)
            continue
        d = shape[axis]
        axis += 1
        if isinstance(k, SliceVal):
            out.append(_slice_length(d, k))
        elif isinstance(k, Const) and isinstance(k.value, int) and not isinstance(k.value, bool):
            if isinstance(d, int) and not -d <= k.value < d:
                return None  # IndexError
        elif isinstance(k, SymInt) or (isinstance(k, NumberVal) and k.kind == "int"):
            pass  # an int whose value is not known: the axis goes
        elif isinstance(k, (TensorVal, ListVal, SequenceSummary)):
            index = _array_index(k, d)
            if index is None or arrays:
                return None
            arrays += 1
            out.append(("array", index))
        else:
            return None
    result: list = []
    for item in out:
        if isinstance(item, tuple):
            result.extend(item[1])
        else:
            result.append(item)
    return tuple(result)


def _array_index(index: Value, size: Dim) -> Optional[tuple]:
    """The axes an index array puts in place of the axis (of ``size``) it indexes: its own shape when
    it holds integers; a boolean mask (of rank 1, as long as the axis) gives one axis as long as its
    count of True. An array whose dtype is not known is a mask only if its length may be ``size``."""
    shape = value_shape(index)
    if shape is None:
        return None
    holds_ints = _holds_ints(index)
    if holds_ints is True:
        return tuple(shape)
    if len(shape) != 1:
        return None  # a mask of rank k takes k axes
    if holds_ints is False or dims.equal(shape[0], size) is not False:
        return (None,)  # how many are True is not known
    return tuple(shape)  # not the axis' length: not a mask (NumPy raises for one)


def _holds_ints(index: Value) -> Optional[bool]:
    """True for a (nested) list of ints, False for one of booleans, None when not known (an array)."""
    if isinstance(index, SequenceSummary):
        return _holds_ints(index.element) if isinstance(index.element, (ListVal, SequenceSummary)) else \
            _scalar_is_int(index.element)
    if not isinstance(index, ListVal):
        return None
    kinds = {_holds_ints(item) if isinstance(item, (ListVal, SequenceSummary)) else _scalar_is_int(item)
             for item in index.items}
    return True if not kinds else (kinds.pop() if len(kinds) == 1 else None)


def _scalar_is_int(value: Value) -> Optional[bool]:
    if isinstance(value, Const) and isinstance(value.value, bool):
        return False
    return True if number_kind(value) == "int" else None


def _is_newaxis(key: Value) -> bool:
    return is_none(key)


def _is_ellipsis(key: Value) -> bool:
    return isinstance(key, Const) and key.value is Ellipsis


def _slice_length(d: Dim, key) -> Dim:
    parts = []
    for part in (key.start, key.stop, key.step):
        if isinstance(part, Const) and (part.value is None or (isinstance(part.value, int) and not isinstance(part.value, bool))):
            parts.append(part.value)
        else:
            return None
    start, stop, step = parts
    if step == 0:
        return None
    if isinstance(d, int):
        if d < 0:
            return None
        start, stop, step = slice(start, stop, step).indices(d)
        return max(0, (stop - start + step + (-1 if step > 0 else 1)) // step)  # len(range()): no OverflowError
    if start is None and stop is None and step in (None, 1):
        return d
    if isinstance(d, dims.Expr) and (step is None or step == 1):
        # a[k:] of a symbolic size: unknown (the size may be smaller than k); a[:k] likewise
        return None
    return None


# -- adapters -------------------------------------------------------------------------------------------


def _array_arg(call: Call, position: Optional[int], *names: str) -> Optional[TensorVal]:
    return as_array(call.arg(position, *names))


@op("np.zeros", "np.ones", "np.empty", "np.full")
def zeros(call: Call) -> Value:
    shape = creation_shape(as_dims(call.arg(0, "shape")))
    if shape is None:
        return UNKNOWN
    return fresh_tensor(shape, kind=NDARRAY)


@op("np.zeros_like", "np.ones_like", "np.empty_like", "np.full_like")
def like(call: Call) -> Value:
    shape_at = 5 if call.name == "np.full_like" else 4
    if call.has(shape_at, "shape"):
        override = call.arg(shape_at, "shape")
        if not (is_none(override)):
            shape = creation_shape(as_dims(override))
            return fresh_tensor(shape, kind=NDARRAY) if shape is not None else UNKNOWN
    source = _array_arg(call, 0, "a", "prototype")
    if source is None:
        return UNKNOWN
    return _derived(source, source.shape, call.name.split(".")[-1])


@op("np.eye", "np.identity")
def eye(call: Call) -> Value:
    n = int_value(call.arg(0, "N", "n"))
    m = call.arg(1, "M", default=Const(None)) if call.name == "np.eye" else Const(None)
    cols = n if is_none(m) else int_value(m)
    return fresh_tensor(creation_shape((n, cols)), kind=NDARRAY)


@op("np.arange")
def arange(call: Call) -> Value:
    pos, kw = call.args, call.kwargs
    if "stop" in kw:
        start, stop = (pos[0] if pos else kw.get("start", Const(0))), kw["stop"]
    elif len(pos) >= 2:
        start, stop = pos[0], pos[1]
    elif len(pos) == 1:
        start, stop = Const(0), pos[0]
    elif "start" in kw:
        start, stop = Const(0), kw["start"]  # a lone bound is the stop, whatever its name
    else:
        return UNKNOWN
    step = pos[2] if len(pos) >= 3 else kw.get("step", Const(1))
    numbers = []
    for value in (start, stop, step):
        if isinstance(value, Const) and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
            numbers.append(value.value)
        elif isinstance(value, SymInt):
            numbers.append(value.dim)
        else:
            return fresh_tensor((None,), kind=NDARRAY)
    return fresh_tensor((arange_length(*numbers),), kind=NDARRAY)


@op("np.linspace", "np.logspace", "np.geomspace")
def linspace(call: Call) -> Value:
    num = call.arg(2, "num", default=Const(50))
    n = int_value(num)
    if value_shape(call.arg(0, "start")) != () or value_shape(call.arg(1, "stop")) != ():
        return UNKNOWN
    if isinstance(n, int) and n < 0:
        raise InvalidArgument(f"{call.name}: the number of samples, {n}, must be non-negative")
    return fresh_tensor((n,), kind=NDARRAY)


@op("np.array", "np.asarray", "np.asanyarray", "np.ascontiguousarray", "np.asfarray", "np.copy", "np.float32",
    "np.float64", "np.float16", "np.int32", "np.int64", "np.int8", "np.uint8", "np.bool_")
def array(call: Call) -> Value:
    value = call.arg(0, "object", "a", "x")
    source = as_array(value)
    if source is None:
        return _array_of_unknown(call)
    shape = source.shape
    if call.name.startswith("np.float") or call.name.startswith("np.int") or call.name in ("np.uint8", "np.bool_"):
        if shape == ():  # a NumPy scalar, like a Python number
            return UNKNOWN if call.name == "np.bool_" else NumberVal("float" if "float" in call.name else "int")
    ndmin = as_int(call.arg(None, "ndmin", default=Const(1 if call.name == "np.ascontiguousarray" else 0)))
    if ndmin is None:
        return fresh_tensor(None, kind=NDARRAY)
    if shape is not None and len(shape) < ndmin:
        shape = (1,) * (ndmin - len(shape)) + tuple(shape)
    if isinstance(value, TensorVal):
        result = _derived(value, shape, call.name.split(".")[-1])
        return same_rank(value, result) if ndmin == 0 else result
    return fresh_tensor(shape, kind=NDARRAY)


_ARRAY_MAKERS = ("np.array", "np.asarray", "np.asanyarray", "np.ascontiguousarray", "np.asfarray", "np.copy")


def _array_of_unknown(call: Call) -> Value:
    """``np.array(x)`` of anything is an array (``np.float32(x)`` may be a scalar): of unknown
    shape, with at least ``ndmin`` axes."""
    if call.name not in _ARRAY_MAKERS or not call.has(0, "object", "a"):
        return UNKNOWN
    ndmin = as_int(call.arg(None, "ndmin", default=Const(1 if call.name == "np.ascontiguousarray" else 0)))
    return with_rank_bounds(ndmin if ndmin is not None and ndmin > 0 else 0, None, kind=NDARRAY)


def _reshape_target(call: Call, start: int) -> Optional[tuple]:
    """The target of ``np.reshape(a, shape)`` (``start`` 1) or ``a.reshape(*shape)`` (``start`` 1 too,
    after the receiver): one int, one tuple/list, or several ints."""
    if call.has(None, "shape", "newshape"):
        return as_dims(call.arg(None, "shape", "newshape"))
    rest = call.args[start:]
    if len(rest) == 1:
        return as_dims(rest[0])
    if not rest:
        return None
    return tuple(int_value(item) for item in rest)


def _reshape(call: Call, source: Optional[TensorVal], target: Optional[tuple]) -> Value:
    if source is None:
        return UNKNOWN
    if target is None:
        return _derived(source, None, "reshape")
    # NumPy takes any negative size for the unknown one (TensorFlow only -1)
    target = tuple(-1 if isinstance(d, int) and d < 0 else d for d in target)
    out = reshape_shape(source.shape, target, {"tensor": source, "target": target})
    text = "[" + ", ".join(dims.fmt(d) for d in target) + "]"
    return _derived(source, out, f"reshape {text}")


@op("np.reshape")
def np_reshape(call: Call) -> Value:
    return _reshape(call, _array_arg(call, 0, "a"), _reshape_target(call, 1))


@op("ndarray.reshape")
def ndarray_reshape(call: Call) -> Value:
    return _reshape(call, call.args[0], _reshape_target(call, 1))


def _transpose(source: Optional[TensorVal], axes_value, label: str = "transpose") -> Value:
    if source is None:
        return UNKNOWN
    if axes_value is UNKNOWN:
        return _derived(source, None if source.shape is None else (None,) * len(source.shape), label)
    if isinstance(axes_value, int):  # np.transpose(a, 0): the axes of a 1-D array
        axes_value = (axes_value,)
    out = transpose_shape(source.shape, axes_value, {"tensor": source})
    return _derived(source, out, label)


@op("np.transpose")
def np_transpose(call: Call) -> Value:
    axes = _axis_value(call.arg(1, "axes", default=Const(None)))
    return _transpose(_array_arg(call, 0, "a"), axes)


@op("ndarray.transpose")
def ndarray_transpose(call: Call) -> Value:
    rest = call.args[1:]
    if len(rest) > 1:
        axes = _axis_value(TupleVal(tuple(rest)))
    else:
        axes = _axis_value(rest[0] if rest else call.arg(None, "axes", default=Const(None)))
    if isinstance(axes, int):
        axes = (axes,)
    return _transpose(call.args[0], axes)


@prop("ndarray.T")
def ndarray_t(call: Call) -> Value:
    return _transpose(call.args[0], None, "T")


@prop("ndarray.size")
def ndarray_size(call: Call) -> Value:
    total = shapes.num_elements(call.args[0].shape)
    if isinstance(total, int):
        return Const(total)
    return SymInt(total) if total is not None else UNKNOWN


@op("np.expand_dims")
def np_expand_dims(call: Call) -> Value:
    source = _array_arg(call, 0, "a")
    axis = _axis_value(call.arg(1, "axis"))
    if source is None:
        return UNKNOWN
    if axis is UNKNOWN or axis is None:
        return _derived(source, None, "expand_dims")
    out = expand_dims_shape(source.shape, axis, {"tensor": source})
    return _derived(source, out, f"expand_dims{_axes_text(axis)}")


def _squeeze(source: Optional[TensorVal], axis) -> Value:
    if source is None:
        return UNKNOWN
    if axis is UNKNOWN:
        return _derived(source, None, "squeeze")
    return _derived(source, squeeze_shape(source.shape, axis, {"tensor": source}), f"squeeze{_axes_text(axis)}")


@op("np.squeeze")
def np_squeeze(call: Call) -> Value:
    return _squeeze(_array_arg(call, 0, "a"), _axis_value(call.arg(1, "axis", default=Const(None))))


@op("ndarray.squeeze")
def ndarray_squeeze(call: Call) -> Value:
    return _squeeze(call.args[0], _axis_value(call.arg(1, "axis", default=Const(None))))


def _sequence_of_arrays(value: Value) -> Optional[list]:
    items = items_of(value)
    if items is None:
        if isinstance(value, TensorVal) and value.shape:
            # iterating an array yields its rows
            count = value.shape[0]
            if isinstance(count, int) and 0 <= count <= 256:
                return [fresh_tensor(tuple(value.shape[1:]), kind=NDARRAY)] * count
        return None
    arrays = [as_array(item) for item in items]
    return None if any(a is None for a in arrays) else arrays


def _join(call: Call, stack: bool, default_axis: int = 0, label: Optional[str] = None) -> Value:
    sequence = call.arg(0, "arrays", "tup", "seq")
    if isinstance(sequence, SequenceSummary):
        return _join_summary(sequence, _axis_value(call.arg(1, "axis", default=Const(default_axis))), stack)
    arrays = _sequence_of_arrays(sequence)
    if arrays is None:
        return UNKNOWN
    axis = _axis_value(call.arg(1, "axis", default=Const(default_axis)))
    if axis is UNKNOWN or isinstance(axis, tuple) or (stack and axis is None):
        return fresh_tensor(None, kind=NDARRAY)
    facts = {"tensor": arrays[0] if arrays else None}
    if len(arrays) > 1:
        facts.update(a=arrays[0], b=arrays[1])
    out = join_shapes([a.shape for a in arrays], axis, stack, label or call.name, facts)
    return _joined(arrays, out, f"{label or call.name.split('.')[-1]}{_axes_text(axis)}")


def _join_summary(summary: SequenceSummary, axis, stack: bool) -> Value:
    """``np.stack``/``np.concatenate`` of a list known by its length and element: every element has
    the element's shape (or NumPy raises); an empty list raises too."""
    element = as_array(summary.element) if summary.kind in ("list", "tuple") else None
    if element is None or axis is UNKNOWN or isinstance(axis, tuple) or (stack and axis is None):
        return UNKNOWN
    shape = element.shape
    if shape is None:
        return fresh_tensor(None, kind=NDARRAY)
    if not stack and axis is None:
        return _derived(element, (dims.mul(shapes.num_elements(shape), summary.length),), "concatenate")
    n = normalize_axis(axis, len(shape) + 1 if stack else len(shape))
    if n is None:
        return UNKNOWN  # NumPy raises
    if stack:
        return _derived(element, shape[:n] + (summary.length,) + shape[n:], f"stack{_axes_text(axis)}")
    return _derived(element, shape[:n] + (dims.mul(shape[n], summary.length),) + shape[n + 1:],
                    f"concatenate{_axes_text(axis)}")


def _joined(arrays: list, out: Shape, label: str) -> TensorVal:
    base = arrays[0] if arrays else fresh_tensor(None, kind=NDARRAY)
    return _derived(base, out, label)


@op("np.stack")
def np_stack(call: Call) -> Value:
    return _join(call, stack=True)


@op("np.concatenate", "np.concat")
def np_concatenate(call: Call) -> Value:
    return _join(call, stack=False)


@op("np.vstack", "np.row_stack", "np.hstack", "np.column_stack")
def np_vhstack(call: Call) -> Value:
    arrays = _sequence_of_arrays(call.arg(0, "tup"))
    if arrays is None:
        return UNKNOWN
    if any(a.shape is None for a in arrays):
        return fresh_tensor(None, kind=NDARRAY)
    name = call.name.split(".")[-1]
    if name in ("vstack", "row_stack"):
        shaped = [atleast_shape(a.shape, 2) for a in arrays]
        axis = 0
    elif name == "hstack":
        shaped = [atleast_shape(a.shape, 1) for a in arrays]
        axis = 0 if shaped and len(shaped[0]) == 1 else 1
    else:  # column_stack: 1-d arrays become columns
        shaped = [(a.shape[0], 1) if len(a.shape) == 1 else atleast_shape(a.shape, 2) for a in arrays]
        axis = 1
    facts = {"tensor": arrays[0] if arrays else None}
    if len(arrays) > 1:
        facts.update(a=arrays[0], b=arrays[1])
    out = join_shapes(shaped, axis, False, f"np.{name}", facts)
    return _joined(arrays, out, name)


_REDUCTIONS = ("sum", "mean", "max", "min", "amax", "amin", "prod", "std", "var", "argmax", "argmin", "any", "all",
               "median", "nansum", "nanmean", "nanmax", "nanmin", "average", "count_nonzero", "ptp")


def _reduce(call: Call, source: Optional[TensorVal], axis_value: Value, name: str) -> Value:
    if source is None:
        return UNKNOWN
    axis = _axis_value(axis_value)
    keepdims = call.arg(None, "keepdims", default=Const(False))
    keep = keepdims.value if isinstance(keepdims, Const) and isinstance(keepdims.value, bool) else None
    if axis is UNKNOWN or keep is None:
        return _derived(source, None, name)
    if name in ("argmax", "argmin") and isinstance(axis, tuple):
        return UNKNOWN
    out = reduce_shape(source.shape, axis, keep, f"np.{name}", {"tensor": source})
    result = _derived(source, out, f"{name}{_axes_text(axis)}")
    from .losses import arg_reduced, reduced  # silent bugs: [N,1]-[N] broadcasts, argmax over a size-1 axis

    if name in ("argmax", "argmin"):
        return arg_reduced(source, axis, result, call) if isinstance(axis, int) else result
    return reduced(source, result, f"np.{name}", call)


def _register_reductions() -> None:
    for name in _REDUCTIONS:

        def function(call: Call, name=name) -> Value:
            return _reduce(call, _array_arg(call, 0, "a"), call.arg(1, "axis", default=Const(None)), name)

        op(f"np.{name}")(function)
        if name in ("median", "nansum", "nanmean", "nanmax", "nanmin", "average", "count_nonzero", "amax", "amin"):
            continue

        def method(call: Call, name=name) -> Value:
            return _reduce(call, call.args[0], call.arg(1, "axis", default=Const(None)), name)

        op(f"ndarray.{name}")(method)


_register_reductions()


@op("ndarray.astype", "ndarray.copy")
def astype(call: Call) -> Value:
    source = call.args[0]
    return same_rank(source, _derived(source, source.shape, call.name.split(".")[-1]))


@op("ndarray.flatten", "ndarray.ravel", "np.ravel")
def flatten(call: Call) -> Value:
    source = call.args[0] if call.name.startswith("ndarray.") else _array_arg(call, 0, "a")
    if source is None:
        return UNKNOWN
    total = shapes.num_elements(source.shape)
    return _derived(source, (total,) if source.shape is not None else None, call.name.split(".")[-1])


_BOOLEAN_RESULTS = ("np.isnan", "np.isfinite")
_UNARY = ("abs", "absolute", "exp", "log", "log1p", "log2", "log10", "sqrt", "square", "tanh", "sin", "cos",
          "floor", "ceil", "round", "around", "rint", "sign", "negative", "clip", "nan_to_num", "isnan", "isfinite",
          "exp2", "expm1", "reciprocal", "fabs")


@op(*(f"np.{name}" for name in _UNARY))
def unary(call: Call) -> Value:
    source = _array_arg(call, 0, "x", "a")
    if source is None:
        return UNKNOWN
    if not isinstance(call.arg(0, "x", "a"), TensorVal) and source.shape == ():
        return UNKNOWN if call.name in _BOOLEAN_RESULTS else NumberVal("number")  # a NumPy scalar
    return same_rank(source, _derived(source, source.shape, call.name.split(".")[-1]))


_BINARY = ("add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "power", "maximum", "minimum",
           "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or",
           "mod", "remainder", "arctan2", "hypot")


@op(*(f"np.{name}" for name in _BINARY))
def binary(call: Call) -> Value:
    from .math import broadcast_shapes

    a, b = _array_arg(call, 0, "x1"), _array_arg(call, 1, "x2")
    if a is None or b is None:
        return UNKNOWN
    out, clash = broadcast_shapes(a.shape, b.shape)
    name = call.name.split(".")[-1]
    if clash is not None:
        raise BroadcastMismatch(f"`np.{name}` operands do not broadcast: {shapes.fmt(a.shape)} and "
                                f"{shapes.fmt(b.shape)}", a=a, b=b)
    if out == ():
        return UNKNOWN
    return _derived(a if a.shape != () else b, out, name)


@op("np.where")
def where(call: Call) -> Value:
    from .math import broadcast_shapes

    if len(call.args) != 3:
        return UNKNOWN
    arrays = [as_array(a) for a in call.args]
    if any(a is None for a in arrays):
        return UNKNOWN
    out: Shape = ()
    for a in arrays:
        out, clash = broadcast_shapes(out, a.shape)
        if clash is not None:
            raise BroadcastMismatch(f"`np.where` operands do not broadcast: {', '.join(shapes.fmt(x.shape) for x in arrays)}",
                                    a=arrays[0], b=a)
    return _derived(arrays[0], out, "where")


@op("np.matmul", "np.dot")
def np_matmul(call: Call) -> Value:
    a, b = _array_arg(call, 0, "x1", "a"), _array_arg(call, 1, "x2", "b")
    if a is None or b is None:
        return UNKNOWN
    if call.name == "np.dot" and (a.shape is None or b.shape is None or len(a.shape) > 2 or len(b.shape) > 2
                                  or len(a.shape) == 0 or len(b.shape) == 0):
        return UNKNOWN  # np.dot of higher ranks contracts differently; scalars multiply
    return numpy_operand_matmul(a, b)


def numpy_operand_matmul(a: TensorVal, b: TensorVal) -> Value:
    """``a @ b`` with NumPy semantics (both operands NumPy arrays or literals)."""
    out = numpy_matmul_shape(a.shape, b.shape, {"a": a, "b": b})
    if out == ():
        return UNKNOWN
    return _derived(a, out, "matmul" + (f" `{b.label}`" if b.label else ""))


@op("np.argsort", "np.sort", "np.cumsum", "np.cumprod")
def along_axis(call: Call) -> Value:
    source = _array_arg(call, 0, "a")
    if source is None:
        return UNKNOWN
    if source.shape is not None and len(source.shape) == 0:
        return _derived(source, None, call.name.split(".")[-1])  # 0-d inputs: NumPy's special cases
    axis = call.arg(1, "axis", default=Const(-1 if call.name in ("np.argsort", "np.sort") else None))
    if is_none(axis):
        total = shapes.num_elements(source.shape)
        return _derived(source, (total,) if source.shape is not None else None, call.name.split(".")[-1])
    return _derived(source, source.shape, call.name.split(".")[-1])


@op("np.tile")
def tile(call: Call) -> Value:
    source = _array_arg(call, 0, "A")
    reps = as_dims(call.arg(1, "reps"))
    if source is None or reps is None or source.shape is None:
        return UNKNOWN
    rank = max(len(source.shape), len(reps))
    shape = (1,) * (rank - len(source.shape)) + tuple(source.shape)
    reps = (1,) * (rank - len(reps)) + tuple(reps)
    return _derived(source, tuple(dims.mul(a, r) for a, r in zip(shape, reps)), "tile")


@op("np.pad")
def pad(call: Call) -> Value:
    source = _array_arg(call, 0, "array")
    if source is None or source.shape is None:
        return UNKNOWN
    width = call.arg(1, "pad_width")
    single = as_int(width)
    rank = len(source.shape)
    if single is not None:
        pairs = [(single, single)] * rank
    else:
        items = items_of(width)
        if items is None:
            return _derived(source, (None,) * rank, "pad")
        rows = [as_dims(item) if items_of(item) is not None else (as_int(item), as_int(item)) for item in items]
        if len(rows) == 1:
            rows = rows * rank
        if all(isinstance(item, Const) for item in items) and len(items) == 2:
            rows = [tuple(as_int(i) for i in items)] * rank
        if len(rows) != rank or any(r is None or len(r) != 2 for r in rows):
            return _derived(source, (None,) * rank, "pad")
        pairs = rows
    out = []
    for d, (before, after) in zip(source.shape, pairs):
        out.append(None if before is None or after is None else dims.add(d, before + after))
    return _derived(source, tuple(out), "pad")


@op("ndarray.__getitem__")
def ndarray_getitem(call: Call) -> Value:
    """Indexing an array (only reached when the interpreter dispatches by the array's type)."""
    source = call.args[0]
    if len(call.args) != 2:  # a.__getitem__() written out
        return UNKNOWN
    if source.shape is None:  # what the key proves of the rank
        return index_unknown_rank(source, call.args[1], index_shape)
    out = index_shape(source.shape, call.args[1])
    return _derived(source, out, "[]")
