"""Array manipulation: joining, splitting, inserting and removing axes, permuting, tiling, padding,
slicing, gathering, one-hot encoding, image resizing.

Pure shape functions first (shapes and plain ints in, a shape or a list of shapes out, or a typed
ShapeError), mirroring TensorFlow 2.x: the shape functions of ``array_ops.cc``, the kernels' own
checks (they raise at run time too) and the Python wrappers' checks. Then the registered adapters,
which read the abstract arguments and return an unknown-shaped result whenever one is not known.

A dim may be an int, a symbolic size or unknown (``None``). An error is raised only when it holds
for every value of the symbols: two different symbols are never assumed to differ.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional, Sequence

from ..domain.values import UNKNOWN, Const, ListVal, SymInt, TensorVal, Value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .args import UNREAD, as_int, as_str, axes_list, dim_list, int_list, is_none, items_of, tensor_of
from .errors import InvalidArgument, OperandMismatch, RankMismatch
from .registry import Call, op
from .tf0_calls import concat_as_written, split_as_written

MAX_PIECES = 1024  # split/unstack results longer than this stay unknown

# -- helpers shared by the shape functions (also used by reduce.py and indexing.py) ----------------


def normalize(axis: int, rank: int, what: str, shape: Shape, facts: dict, extra: int = 0) -> int:
    """``axis`` in ``[-(rank+extra), rank+extra)`` made non-negative, or InvalidArgument."""
    bound = rank + extra
    if not -bound <= axis < bound:
        raise InvalidArgument(
            f"{what}: axis {axis} is out of range for a tensor of rank {rank} ({shapes.fmt(shape)}); "
            f"valid axes are {-bound}..{bound - 1}" if bound else
            f"{what}: axis {axis} is out of range for a scalar", **facts)
    return axis % bound


def merge_dim(a: Dim, b: Dim) -> Dim:
    """The dim two operands that must agree have (when the program runs): a known int wins."""
    if a is None:
        return b
    if b is None or isinstance(a, int):
        return a
    if isinstance(b, int):
        return b
    return a


def compare(a: Dim, b: Dim) -> Optional[int]:
    """-1, 0 or 1 when ``a < b``, ``a == b``, ``a > b`` for every value of the symbols, else None."""
    if a is None or b is None:
        return None
    diff = dims.sub(a, b)
    if isinstance(diff, int):
        return (diff > 0) - (diff < 0)
    if dims.provably_positive(diff):
        return 1
    if dims.provably_positive(dims.neg(diff)):
        return -1
    return None


def at_least(a: Dim, b: Dim) -> Optional[bool]:
    """``a >= b`` for every value of the symbols (True), for none (False), or undecided (None)."""
    order = compare(a, b)
    if order is not None:
        return order >= 0
    if dims.provably_positive(dims.add(dims.sub(a, b), 1)):
        return True
    if dims.provably_positive(dims.sub(b, a)):
        return False
    return None


def _text(values: Sequence) -> str:
    return "[" + ", ".join(dims.fmt(v) if not isinstance(v, int) else str(v) for v in values) + "]"


def _facts(tensor: Optional[TensorVal], **more) -> dict:
    facts = {"tensor": tensor} if tensor is not None else {}
    facts.update({k: v for k, v in more.items() if v is not None})
    return facts


# -- joining -----------------------------------------------------------------------------------------


def _common_rank(shape_list: list, what: str, facts: dict, operands: Optional[list] = None) -> Optional[int]:
    """The rank all known shapes share (OperandMismatch if two differ); None if none is known."""
    known = [(i, s) for i, s in enumerate(shape_list) if s is not None]
    if not known:
        return None
    first_index, first = known[0]
    for index, shape in known[1:]:
        if len(shape) != len(first):
            raise OperandMismatch(
                f"{what}: operand {index} has rank {len(shape)} ({shapes.fmt(shape)}) but operand {first_index} "
                f"has rank {len(first)} ({shapes.fmt(first)})", **_pair(facts, operands, first_index, index))
    return len(first)


def _agree(shape_list: list, what: str, facts: dict, skip_axis: Optional[int] = None,
           operands: Optional[list] = None) -> Optional[list]:
    """Merge same-rank shapes dim by dim (``skip_axis`` excepted); OperandMismatch on a provable clash.

    Returns the merged dims (None at ``skip_axis``), or None when no shape is known.
    """
    if _common_rank(shape_list, what, facts, operands) is None:
        return None
    known = [(i, s) for i, s in enumerate(shape_list) if s is not None]
    first_index, first = known[0]
    merged: list = [None] * len(first)
    origin = [first_index] * len(first)
    for axis in range(len(first)):
        if axis == skip_axis:
            continue
        value = first[axis]
        for index, shape in known[1:]:
            if dims.equal(value, shape[axis]) is False:
                raise OperandMismatch(
                    f"{what}: axis {axis} has size {dims.fmt(value)} in operand {origin[axis]} "
                    f"({shapes.fmt(shape_list[origin[axis]])}) but {dims.fmt(shape[axis])} in operand {index} "
                    f"({shapes.fmt(shape)})", **_pair(facts, operands, origin[axis], index))
            new = merge_dim(value, shape[axis])
            if new is not value:
                origin[axis] = index
            value = new
        merged[axis] = value
    return merged


def _pair(facts: dict, operands: Optional[list], i: int, j: int) -> dict:
    result = dict(facts)
    if operands is not None:
        a, b = operands[i], operands[j]
        if isinstance(a, TensorVal):
            result["a"] = a
            result.setdefault("tensor", a)
        if isinstance(b, TensorVal):
            result["b"] = b
    return result


def concat_shape(shape_list: list, axis: int, facts: Optional[dict] = None,
                 operands: Optional[list] = None) -> Shape:
    """``tf.concat``: same rank (>= 1), equal dims except along ``axis``, where they add up.

    One operand is returned as it is (TF's Python wrapper does not even check the axis then).
    """
    facts = facts or {}
    if len(shape_list) == 1:
        return shape_list[0]
    if not shape_list:
        return None
    for index, shape in enumerate(shape_list):
        if shape is not None and len(shape) == 0:
            raise RankMismatch(f"concat of scalars (operand {index} is a scalar): use tf.stack",
                               **_pair(facts, operands, index, index), expected=1)
    rank = _common_rank(shape_list, "concat", facts, operands)
    if rank is None:
        return None
    axis = normalize(axis, rank, "concat", next(s for s in shape_list if s is not None), facts)
    merged = _agree(shape_list, f"concat along axis {axis}", facts, skip_axis=axis, operands=operands)
    total: Dim = 0
    for shape in shape_list:
        total = dims.add(total, shape[axis] if shape is not None else None)
    merged[axis] = total
    return tuple(merged)


def stack_shape(shape_list: list, axis: int, facts: Optional[dict] = None,
                operands: Optional[list] = None) -> Shape:
    """``tf.stack``: equal shapes; a new axis of size ``len(values)`` at ``axis`` (in [-(r+1), r])."""
    facts = facts or {}
    if not shape_list:
        return None
    if shape_list[0] is not None:  # the Python wrapper checks the axis against the first value
        normalize(axis, len(shape_list[0]), "stack", shape_list[0], facts, extra=1)
    merged = _agree(shape_list, "stack", facts, operands=operands)
    if merged is None:
        return None
    axis = normalize(axis, len(merged), "stack", tuple(merged), facts, extra=1)
    return tuple(merged[:axis]) + (len(shape_list),) + tuple(merged[axis:])


# -- splitting ---------------------------------------------------------------------------------------


def unstack_shapes(shape: Shape, axis: int = 0, num: Optional[int] = None,
                   facts: Optional[dict] = None) -> Optional[list]:
    """``tf.unstack``: the list of slices along ``axis``; None when their number is not known."""
    facts = facts or {}
    if num == 0:
        return []  # TensorFlow checks nothing then: no outputs
    if shape is None:
        return None
    axis = normalize(axis, len(shape), "unstack", shape, facts)
    size = shape[axis]
    if num is not None and isinstance(size, int) and size != num:
        raise InvalidArgument(f"unstack: num={num} but axis {axis} of {shapes.fmt(shape)} has size {size}", **facts)
    count = num if num is not None else size
    if not isinstance(count, int) or not 0 <= count <= MAX_PIECES:  # num=-10**30
        return None
    piece = tuple(shape[:axis]) + tuple(shape[axis + 1:])
    return [piece] * count


def split_shapes(shape: Shape, splits, axis: int = 0, num: Optional[int] = None,
                 facts: Optional[dict] = None) -> Optional[list]:
    """``tf.split``: ``splits`` is a number of equal pieces or a list of sizes (ints or None for an
    unknown size; at most one -1, inferred). Returns the pieces' shapes; None if not known."""
    facts = facts or {}
    if isinstance(splits, int):
        if splits < 1:
            raise InvalidArgument(f"split into {splits} pieces: the number of pieces must be >= 1", **facts)
        if shape is None:
            return None
        axis = normalize(axis, len(shape), "split", shape, facts)
        size = shape[axis]
        if isinstance(size, int) and size % splits != 0:
            raise InvalidArgument(
                f"split of axis {axis} of {shapes.fmt(shape)} into {splits} equal pieces: {splits} does not "
                f"divide {size}", **facts)
        piece = dims.div_exact(size, splits)
        return _pieces(shape, axis, [piece] * splits)
    sizes = list(splits)
    if not sizes:
        raise InvalidArgument("split with an empty list of sizes", **facts)
    if sizes == [-1]:
        raise InvalidArgument("split into the single size [-1]: TensorFlow requires a single size to be the "
                              "whole axis, and does not infer a lone -1", **facts)
    if num is not None and num != len(sizes):
        raise InvalidArgument(f"split: num={num} but {len(sizes)} sizes {_text(sizes)}", **facts)
    if sum(1 for s in sizes if s == -1) > 1:
        raise InvalidArgument(f"split sizes {_text(sizes)} have more than one -1", **facts)
    for s in sizes:
        if isinstance(s, int) and s < -1:
            raise InvalidArgument(f"split sizes {_text(sizes)} have a negative size {s}", **facts)
    if shape is None:
        return None
    axis = normalize(axis, len(shape), "split", shape, facts)
    size = shape[axis]
    given = [s for s in sizes if s != -1]
    total: Dim = 0
    for s in given:
        total = dims.add(total, s)
    if -1 in sizes:
        if at_least(size, total) is False:
            raise InvalidArgument(
                f"split of axis {axis} of {shapes.fmt(shape)} (size {dims.fmt(size)}): the sizes {_text(sizes)} "
                f"already add up to {dims.fmt(total)}", **facts)
        rest = dims.sub(size, total)
        sizes = [rest if s == -1 else s for s in sizes]
    elif dims.equal(total, size) is False:
        raise InvalidArgument(
            f"split of axis {axis} of {shapes.fmt(shape)} (size {dims.fmt(size)}) into sizes {_text(sizes)}, "
            f"which add up to {dims.fmt(total)}", **facts)
    return _pieces(shape, axis, sizes)


def _pieces(shape: Shape, axis: int, sizes: list) -> Optional[list]:
    if len(sizes) > MAX_PIECES:
        return None
    return [tuple(shape[:axis]) + (s,) + tuple(shape[axis + 1:]) for s in sizes]


# -- axes: squeeze, expand_dims, transpose --------------------------------------------------------


def squeeze_shape(shape: Shape, axes: Optional[list] = None, facts: Optional[dict] = None) -> Shape:
    """``tf.squeeze``: drop the given axes (each must have size 1), or every size-1 axis."""
    facts = facts or {}
    if shape is None:
        return None
    if not axes:
        kept = []
        for d in shape:
            one = dims.equal(d, 1)
            if one is None:
                return None  # a size that may be 1 at run time: the rank is unknown
            if not one:
                kept.append(d)
        return tuple(kept)
    drop = set()
    for axis in axes:
        index = normalize(axis, len(shape), "squeeze", shape, facts)
        if dims.equal(shape[index], 1) is False:
            raise InvalidArgument(
                f"squeeze of axis {axis} of {shapes.fmt(shape)}, which has size {dims.fmt(shape[index])}, not 1",
                **facts)
        drop.add(index)
    return tuple(d for i, d in enumerate(shape) if i not in drop)


def expand_dims_shape(shape: Shape, axis: int, facts: Optional[dict] = None) -> Shape:
    """``tf.expand_dims``: a size-1 axis inserted at ``axis`` in [-(rank+1), rank]."""
    facts = facts or {}
    if shape is None:
        return None
    index = normalize(axis, len(shape), "expand_dims", shape, facts, extra=1)
    return tuple(shape[:index]) + (1,) + tuple(shape[index:])


def transpose_shape(shape: Shape, perm: Optional[list] = None, facts: Optional[dict] = None) -> Shape:
    """``tf.transpose``: ``perm`` a permutation of the axes (negative entries count from the end)."""
    facts = facts or {}
    if shape is None:
        return None
    rank = len(shape)
    if perm is None:
        return tuple(reversed(shape))
    if len(perm) != rank:
        raise InvalidArgument(f"transpose of {shapes.fmt(shape)} (rank {rank}) with perm {list(perm)} of length "
                              f"{len(perm)}", **facts)
    order = [normalize(p, rank, "transpose perm", shape, facts) for p in perm]
    if len(set(order)) != rank:
        raise InvalidArgument(f"transpose perm {list(perm)} is not a permutation of the axes of {shapes.fmt(shape)}",
                              **facts)
    return tuple(shape[i] for i in order)


def matrix_transpose_shape(shape: Shape, facts: Optional[dict] = None) -> Shape:
    """``tf.linalg.matrix_transpose``/``adjoint``: the last two axes swapped (rank >= 2)."""
    facts = facts or {}
    if shape is None:
        return None
    if len(shape) < 2:
        raise RankMismatch(f"matrix_transpose needs a (batch of) matrices, rank >= 2, got {shapes.fmt(shape)}",
                           expected=2, **facts)
    return tuple(shape[:-2]) + (shape[-1], shape[-2])


# -- tile, pad, slice --------------------------------------------------------------------------------


def tile_shape(shape: Shape, multiples: Sequence, facts: Optional[dict] = None) -> Shape:
    """``tf.tile``: one multiple (>= 0) per axis."""
    facts = facts or {}
    _no_negative(multiples, lambda: f"tile multiples {_text(multiples)}", facts)
    if shape is None:
        return None
    if len(multiples) != len(shape):
        raise InvalidArgument(f"tile of {shapes.fmt(shape)} (rank {len(shape)}) with {len(multiples)} multiples "
                              f"{_text(multiples)}", **facts)
    return tuple(0 if m == 0 else dims.mul(d, m) for d, m in zip(shape, multiples))


PAD_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")


def pad_shape(shape: Shape, paddings: Sequence, mode: str = "CONSTANT", facts: Optional[dict] = None) -> Shape:
    """``tf.pad``: ``paddings`` one ``(before, after)`` pair per axis, non-negative; REFLECT needs each
    smaller than the axis, SYMMETRIC at most the axis."""
    facts = facts or {}
    mode = mode.upper()
    if mode not in PAD_MODES:
        raise InvalidArgument(f"pad mode {mode!r} is not one of {', '.join(PAD_MODES)}", **facts)
    _no_negative((p for pair in paddings for p in pair), lambda: f"paddings {_pairs_text(paddings)}", facts)
    if shape is None:
        return None
    if len(paddings) != len(shape):
        raise InvalidArgument(f"pad of {shapes.fmt(shape)} (rank {len(shape)}) with {len(paddings)} padding pairs "
                              f"{_pairs_text(paddings)}", **facts)
    out = []
    for axis, (d, (lo, hi)) in enumerate(zip(shape, paddings)):
        if mode != "CONSTANT":
            for p in (lo, hi):
                room = compare(p, d)
                if room is not None and (room > 0 or (room == 0 and mode == "REFLECT")):
                    limit = "smaller than" if mode == "REFLECT" else "at most"
                    raise InvalidArgument(
                        f"{mode} padding of {dims.fmt(p)} on axis {axis} of {shapes.fmt(shape)}: it must be {limit} "
                        f"the axis size {dims.fmt(d)}", **facts)
        out.append(dims.add(dims.add(d, lo), hi))
    return tuple(out)


def _pairs_text(paddings: Sequence) -> str:
    return "[" + ", ".join(_text(pair) for pair in paddings) + "]"


def _no_negative(numbers: Iterable, named: Callable[[], str], facts: dict) -> None:
    """TensorFlow rejects a negative entry of ``numbers``; ``named()``: the argument, as the message says it."""
    if any(isinstance(n, int) and n < 0 for n in numbers):
        raise InvalidArgument(f"{named()} have a negative entry", **facts)


def slice_shape(shape: Shape, begin: Sequence, size: Sequence, facts: Optional[dict] = None) -> Shape:
    """``tf.slice``: per axis, ``0 <= begin`` and ``begin + size <= dim`` (``size`` -1: to the end)."""
    facts = facts or {}
    if len(begin) != len(size):
        raise InvalidArgument(f"slice begin {_text(begin)} and size {_text(size)} differ in length", **facts)
    for b, s in zip(begin, size):
        if (isinstance(b, int) and b < 0) or (isinstance(s, int) and s < -1):
            raise InvalidArgument(f"slice begin {_text(begin)} / size {_text(size)}: begin must be >= 0 and size "
                                  f">= -1", **facts)
    if shape is None:
        return None
    if len(begin) != len(shape):
        raise InvalidArgument(f"slice of {shapes.fmt(shape)} (rank {len(shape)}) with begin {_text(begin)} of "
                              f"length {len(begin)}", **facts)
    out = []
    for axis, (d, b, s) in enumerate(zip(shape, begin, size)):
        end = d if s == -1 else dims.add(b, s)
        if s == -1:
            s = dims.sub(d, b)
        if compare(end, d) == 1 or compare(b, d) == 1:
            raise InvalidArgument(
                f"slice of axis {axis} of {shapes.fmt(shape)} from {dims.fmt(b)} with size {dims.fmt(s)} ends "
                f"past its size {dims.fmt(d)}", **facts)
        out.append(s)
    return tuple(out)


# -- gathering ---------------------------------------------------------------------------------------


def gather_shape(params: Shape, indices: Shape, axis: Optional[int] = None, batch_dims: int = 0,
                 facts: Optional[dict] = None) -> Shape:
    """``tf.gather``: ``params[:axis] + indices[batch_dims:] + params[axis+1:]``; the first
    ``batch_dims`` dims of params and indices must be equal; ``batch_dims <= axis``."""
    facts = facts or {}
    if axis is None:
        axis = batch_dims
    if axis == 0:
        batch_dims = 0  # TF's Python wrapper then drops batch_dims altogether
    if params is None:
        return None
    if len(params) == 0:
        raise RankMismatch("gather from a scalar: params must have rank >= 1", expected=1, **facts)
    if indices is None:
        return None
    rank = len(params)
    if not -len(indices) <= batch_dims <= len(indices):
        raise InvalidArgument(f"gather batch_dims={batch_dims} is out of range for indices of rank {len(indices)} "
                              f"({shapes.fmt(indices)})", **facts)
    if batch_dims < 0:
        batch_dims += len(indices)
    axis = normalize(axis, rank, "gather", params, facts)
    if batch_dims > axis:
        raise InvalidArgument(f"gather batch_dims={batch_dims} is larger than axis={axis}", **facts)
    batch = []
    for i in range(batch_dims):
        if dims.equal(params[i], indices[i]) is False:
            raise OperandMismatch(
                f"gather with batch_dims={batch_dims}: axis {i} has size {dims.fmt(params[i])} in params "
                f"({shapes.fmt(params)}) but {dims.fmt(indices[i])} in indices ({shapes.fmt(indices)})", **facts)
        batch.append(merge_dim(params[i], indices[i]))
    return tuple(batch) + tuple(params[batch_dims:axis]) + tuple(indices[batch_dims:]) + tuple(params[axis + 1:])


def gather_nd_shape(params: Shape, indices: Shape, batch_dims: int = 0, facts: Optional[dict] = None) -> Shape:
    """``tf.gather_nd``: ``indices[:-1] + params[batch_dims + indices[-1]:]``."""
    facts = facts or {}
    if params is not None and batch_dims and batch_dims >= len(params):
        raise InvalidArgument(f"gather_nd batch_dims={batch_dims} must be less than the rank of params "
                              f"({shapes.fmt(params)})", **facts)
    if params is None or indices is None or not indices or not isinstance(indices[-1], int) or batch_dims < 0:
        return None
    depth = indices[-1]
    if depth > len(params) - batch_dims:
        raise InvalidArgument(
            f"gather_nd: indices {shapes.fmt(indices)} index {depth} axes but params {shapes.fmt(params)} have only "
            f"{len(params) - batch_dims}" + (f" after {batch_dims} batch axes" if batch_dims else ""), **facts)
    return tuple(indices[:-1]) + tuple(params[batch_dims + depth:])


def one_hot_shape(indices: Shape, depth: Dim, axis: int = -1, facts: Optional[dict] = None) -> Shape:
    """``tf.one_hot``: an axis of size ``depth`` inserted at ``axis`` (-1 or 0..rank)."""
    facts = facts or {}
    if isinstance(depth, int) and depth < 0:
        raise InvalidArgument(f"one_hot depth {depth} is negative", **facts)
    if indices is None:
        return None
    rank = len(indices)
    if not (axis == -1 or 0 <= axis <= rank):
        raise InvalidArgument(f"one_hot axis {axis} for indices of rank {rank}: it must be -1 or in 0..{rank}",
                              **facts)
    index = rank if axis == -1 else axis
    return tuple(indices[:index]) + (depth,) + tuple(indices[index:])


def embedding_lookup_shape(params: Shape, ids: Shape, facts: Optional[dict] = None) -> Shape:
    """``tf.nn.embedding_lookup``: ``ids.shape + params.shape[1:]``."""
    facts = facts or {}
    if params is not None and len(params) == 0:
        raise RankMismatch("embedding_lookup from a scalar: params must have rank >= 1", expected=1, **facts)
    if params is None or ids is None:
        return None
    return tuple(ids) + tuple(params[1:])


# -- images ------------------------------------------------------------------------------------------


def resize_shape(images: Shape, height: Dim, width: Dim, ranks: tuple = (3, 4), what: str = "resize",
                 facts: Optional[dict] = None) -> Shape:
    """Images ``[batch,] height, width, channels`` resized to ``height x width``."""
    facts = facts or {}
    if images is None:
        return None
    if len(images) not in ranks:
        allowed = " or ".join(str(r) for r in ranks)
        raise RankMismatch(f"{what} needs images of rank {allowed}, got {shapes.fmt(images)}",
                           expected=ranks[-1], **facts)
    return tuple(images[:-3]) + (height, width, images[-1])


def bounding_box_shape(image: Shape, offset_height: Dim, offset_width: Dim, target_height: Dim, target_width: Dim,
                       crop: bool, facts: Optional[dict] = None) -> Shape:
    """``tf.image.crop_to_bounding_box`` (``crop``) / ``pad_to_bounding_box``: the box must fit."""
    facts = facts or {}
    what = "crop_to_bounding_box" if crop else "pad_to_bounding_box"
    for name, value in (("offset_height", offset_height), ("offset_width", offset_width)):
        if isinstance(value, int) and value < 0:
            raise InvalidArgument(f"{what}: {name}={value} must be >= 0", **facts)
    if crop:
        for name, value in (("target_height", target_height), ("target_width", target_width)):
            if isinstance(value, int) and value < 1:
                raise InvalidArgument(f"{what}: {name}={value} must be > 0", **facts)
    out = resize_shape(image, target_height, target_width, what=what, facts=facts)
    if out is None:
        return None
    for axis, name, offset, target in ((-3, "height", offset_height, target_height),
                                       (-2, "width", offset_width, target_width)):
        size = image[axis]
        inner, outer = (dims.add(target, offset), size) if crop else (dims.add(size, offset), target)
        if compare(inner, outer) == 1:
            rule = f"{name} must be >= target + offset" if crop else f"{name} must be <= target - offset"
            raise InvalidArgument(
                f"{what}: the image {shapes.fmt(image)} has {name} {dims.fmt(size)}, offset {dims.fmt(offset)}, "
                f"target {dims.fmt(target)}: {rule}", **facts)
    return out


# -- reading arguments -------------------------------------------------------------------------------


def opt_int(call: Call, position: Optional[int], *names: str, default=None):
    """An int argument; ``default`` when absent or None; UNREAD when not a known int."""
    if not call.has(position, *names):
        return default
    value = call.arg(position, *names)
    if is_none(value):
        return default
    number = as_int(value)
    return UNREAD if number is None else number


def known_operands(value: Value) -> Optional[tuple[list, TensorVal]]:
    """The tensors of a ``values`` list argument (None items for unknown ones) and the first known
    one; None if ``value`` is not a list or no item is a known tensor."""
    items = items_of(value)
    if items is None:
        return None
    operands = [tensor_of(item) for item in items]
    first = next((t for t in operands if t is not None), None)
    return None if first is None else (operands, first)


def shape_of(tensor: Optional[TensorVal]) -> Shape:
    return tensor.shape if tensor is not None else None


def unknown_from(tensor: Optional[TensorVal], label: str) -> Value:
    return tensor.derive(None, label) if tensor is not None else UNKNOWN


def tensors_list(results: list, source: TensorVal, label: str) -> Value:
    return ListVal(tuple(source.derive(s, label) for s in results))


# -- registered APIs ---------------------------------------------------------------------------------


@op("tf.concat")
def concat(call: Call) -> Value:
    call = concat_as_written(call)  # TF 0.x's concat(concat_dim, values), reported for TF >= 1.0
    values = call.arg(0, "values")
    if isinstance(values, TensorVal):
        return values.derive(values.shape, "concat")  # one tensor: the identity
    known = known_operands(values)
    if known is None:
        return UNKNOWN
    operands, first = known
    axis = opt_int(call, 1, "axis", default=UNREAD)
    if axis is UNREAD:
        if len(operands) == 1:
            return first.derive(first.shape, "concat")
        return unknown_from(first, "concat")
    out = concat_shape([shape_of(t) for t in operands], axis, _facts(first), operands)
    return first.derive(out, f"concat axis {axis}")


@op("tf.stack")
def stack(call: Call) -> Value:
    known = known_operands(call.arg(0, "values"))
    if known is None:
        return UNKNOWN
    operands, first = known
    axis = opt_int(call, 1, "axis", default=0)
    if axis is UNREAD:
        return unknown_from(first, "stack")
    out = stack_shape([shape_of(t) for t in operands], axis, _facts(first), operands)
    return first.derive(out, f"stack axis {axis}")


@op("tf.unstack")
def unstack(call: Call) -> Value:
    x = tensor_of(call.arg(0, "value"))
    num = opt_int(call, 1, "num")
    axis = opt_int(call, 2, "axis", default=0)
    if x is None or num is UNREAD or axis is UNREAD:
        return UNKNOWN
    pieces = unstack_shapes(x.shape, axis, num, _facts(x))
    return UNKNOWN if pieces is None else tensors_list(pieces, x, f"unstack axis {axis}")


@op("tf.split")
def split(call: Call) -> Value:
    call = split_as_written(call)  # TF 0.x's split(split_dim, num_split, value), reported for TF >= 1.0
    x = tensor_of(call.arg(0, "value"))
    if x is None:
        return UNKNOWN
    splits_value = call.arg(1, "num_or_size_splits")
    axis = opt_int(call, 2, "axis", default=0)
    num = opt_int(call, 3, "num")
    if axis is UNREAD or num is UNREAD:
        return UNKNOWN
    count = as_int(splits_value)
    if count is not None:
        splits = count
    else:
        splits = dim_list(splits_value)
        if splits is UNREAD:
            return UNKNOWN
    pieces = split_shapes(x.shape, splits, axis, num, _facts(x))
    return UNKNOWN if pieces is None else tensors_list(pieces, x, f"split axis {axis}")


@op("tf.squeeze")
def squeeze(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input"))
    if x is None:
        return UNKNOWN
    value = call.arg(1, "axis", "squeeze_dims")
    axes = axes_list(value) if call.has(1, "axis", "squeeze_dims") else None
    if axes is UNREAD:
        return x.derive(None, "squeeze")
    out = squeeze_shape(x.shape, axes, _facts(x))
    return x.derive(out, "squeeze" + (f" {axes}" if axes else ""))


@op("tf.expand_dims")
def expand_dims(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input"))
    if x is None:
        return UNKNOWN
    axis = int_list(call.arg(1, "axis", "dim"))
    if isinstance(axis, list):
        axis = axis[0] if len(axis) == 1 else UNREAD
    if axis is UNREAD:
        return x.derive(None if x.shape is None else (None,) * (len(x.shape) + 1), "expand_dims")
    return x.derive(expand_dims_shape(x.shape, axis, _facts(x)), f"expand_dims {axis}")


@op("tf.transpose")
def transpose(call: Call) -> Value:
    x = tensor_of(call.arg(0, "a"))
    if x is None:
        return UNKNOWN
    value = call.arg(1, "perm")
    perm = None if not call.has(1, "perm") or is_none(value) else int_list(value)
    if perm is UNREAD or isinstance(perm, int):
        return x.derive(None if x.shape is None else (None,) * len(x.shape), "transpose")
    out = transpose_shape(x.shape, perm, _facts(x))
    return x.derive(out, "transpose" + (f" {perm}" if perm is not None else ""))


@op("tf.linalg.matrix_transpose", "tf.linalg.transpose", "tf.matrix_transpose", "tf.linalg.adjoint")
def matrix_transpose(call: Call) -> Value:
    x = tensor_of(call.arg(0, "a", "matrix"))
    if x is None:
        return UNKNOWN
    return x.derive(matrix_transpose_shape(x.shape, _facts(x)), "matrix_transpose")


@op("tf.tile")
def tile(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input"))
    if x is None:
        return UNKNOWN
    value = call.arg(1, "multiples")
    multiples = dim_list(value)
    if multiples is UNREAD:
        if isinstance(value, TensorVal) and value.shape is not None and len(value.shape) == 1 \
                and isinstance(value.shape[0], int) and 0 <= value.shape[0] <= 1024:
            multiples = [None] * value.shape[0]
        else:
            return x.derive(None, "tile")
    return x.derive(tile_shape(x.shape, multiples, _facts(x)), f"tile {_text(multiples)}")


@op("tf.pad")
def pad(call: Call) -> Value:
    x = tensor_of(call.arg(0, "tensor"))
    if x is None:
        return UNKNOWN
    mode_value = call.arg(2, "mode", default=Const("CONSTANT"))
    mode = as_str(mode_value)
    pairs = items_of(call.arg(1, "paddings"))
    paddings = None if pairs is None else [dim_list(pair) for pair in pairs]
    if mode is None or paddings is None or any(p is UNREAD or len(p) != 2 for p in paddings):
        return x.derive(None, "pad")
    return x.derive(pad_shape(x.shape, paddings, mode, _facts(x)), "pad " + _pairs_text(paddings))


@op("tf.slice")
def slice_(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input_"))
    if x is None:
        return UNKNOWN
    begin, size = dim_list(call.arg(1, "begin")), dim_list(call.arg(2, "size"))
    if begin is UNREAD or size is UNREAD:
        return x.derive(None, "slice")
    if any(b is None for b in begin) or any(s is None for s in size):
        known_rank = x.shape is not None and len(x.shape) == len(size) == len(begin)
        sizes = tuple(None if s is None or (isinstance(s, int) and s < 0) else s for s in size)
        return x.derive(sizes if known_rank else None, "slice")
    return x.derive(slice_shape(x.shape, begin, size, _facts(x)), f"slice {_text(begin)} {_text(size)}")


@op("tf.gather")
def gather(call: Call) -> Value:
    params = tensor_of(call.arg(0, "params"))
    indices = tensor_of(call.arg(1, "indices"))
    if params is None or indices is None:
        return UNKNOWN
    # TF2: gather(params, indices, validate_indices, axis, batch_dims, name);
    # TF1: gather(params, indices, validate_indices, name, axis, batch_dims). Positions 3+ are read
    # only when their meaning is certain.
    third = call.args[3] if len(call.args) > 3 else None
    if third is not None and as_str(third) is not None:
        axis_pos, batch_pos = 4, 5
    elif third is not None and as_int(third) is not None:
        axis_pos, batch_pos = 3, 4
    elif len(call.args) > 3:
        return params.derive(None, "gather")
    else:
        axis_pos = batch_pos = None
    axis = opt_int(call, axis_pos, "axis")
    batch_dims = opt_int(call, batch_pos, "batch_dims", default=0)
    if axis is UNREAD or batch_dims is UNREAD:
        return params.derive(None, "gather")
    out = gather_shape(params.shape, indices.shape, axis, batch_dims, facts=_facts(params, a=params, b=indices))
    return params.derive(out, "gather" + (f" axis {axis}" if axis else ""))


@op("tf.gather_nd")
def gather_nd(call: Call) -> Value:
    params = tensor_of(call.arg(0, "params"))
    indices = tensor_of(call.arg(1, "indices"))
    if params is None or indices is None:
        return UNKNOWN
    batch_dims = opt_int(call, None, "batch_dims", default=0)
    if batch_dims is UNREAD or len(call.args) > 3:
        return params.derive(None, "gather_nd")
    out = gather_nd_shape(params.shape, indices.shape, batch_dims, facts=_facts(params, a=params, b=indices))
    return params.derive(out, "gather_nd")


@op("tf.one_hot")
def one_hot(call: Call) -> Value:
    indices = tensor_of(call.arg(0, "indices"))
    if indices is None:
        return UNKNOWN
    depth_value = call.arg(1, "depth")
    depth = depth_value.dim if isinstance(depth_value, SymInt) else as_int(depth_value)
    axis = opt_int(call, 4, "axis", default=-1)
    if axis is UNREAD:
        return indices.derive(None, "one_hot")
    return indices.derive(one_hot_shape(indices.shape, depth, axis, _facts(indices)), f"one_hot {dims.fmt(depth)}")


@op("tf.nn.embedding_lookup")
def embedding_lookup(call: Call) -> Value:
    params_value = call.arg(0, "params")
    ids = tensor_of(call.arg(1, "ids"))
    params = params_value if isinstance(params_value, TensorVal) else None
    if params is None:
        shards = items_of(params_value)
        if shards and all(isinstance(s, TensorVal) for s in shards):
            params = shards[0] if len(shards) == 1 else shards[0].derive(
                None if shards[0].shape is None else (None,) + tuple(shards[0].shape[1:]), "shards")
    if params is None or ids is None:
        return UNKNOWN
    out = embedding_lookup_shape(params.shape, ids.shape, _facts(params, a=params, b=ids))
    return params.derive(out, "embedding_lookup")


def _size_pair(value: Value):
    """A ``[height, width]`` argument: a pair of dims, UNREAD if unknown, or the wrong length."""
    sizes = dim_list(value)
    if sizes is UNREAD:
        return UNREAD
    return sizes


@op("tf.image.resize", "tf.image.resize_images")
def image_resize(call: Call) -> Value:
    images = tensor_of(call.arg(0, "images"))
    if images is None:
        return UNKNOWN
    sizes = _size_pair(call.arg(1, "size", "new_size"))
    if sizes is UNREAD:
        return images.derive(None, "resize")
    facts = _facts(images)
    if images.shape is not None and len(images.shape) not in (3, 4):
        resize_shape(images.shape, None, None, facts=facts)  # raises
    if len(sizes) != 2:
        raise InvalidArgument(f"resize size {_text(sizes)} must have 2 elements: new_height, new_width", **facts)
    # positions 3 and 4 are TF2's preserve_aspect_ratio and antialias, but TF1's align_corners and
    # preserve_aspect_ratio: only known False values leave the size as asked
    keep_ratio = call.arg(None, "preserve_aspect_ratio", default=Const(False))
    if not (_is_false(keep_ratio) and all(_is_false(v) for v in call.args[3:5])):
        height = width = None
    else:
        height, width = sizes
    return images.derive(resize_shape(images.shape, height, width, facts=facts),
                         f"resize {dims.fmt(height)}x{dims.fmt(width)}")


def _is_false(value: Value) -> bool:
    return isinstance(value, Const) and value.value in (False, None, 0)


@op("tf.image.resize_bilinear", "tf.image.resize_nearest_neighbor", "tf.image.resize_bicubic",
    "tf.image.resize_area")
def image_resize_v1(call: Call) -> Value:
    images = tensor_of(call.arg(0, "images"))
    if images is None:
        return UNKNOWN
    sizes = _size_pair(call.arg(1, "size"))
    name = call.name.split(".")[-1]
    if sizes is UNREAD:
        if images.shape is not None and len(images.shape) != 4:
            resize_shape(images.shape, None, None, ranks=(4,), what=name, facts=_facts(images))
        return images.derive(None, name)
    if len(sizes) != 2:
        raise InvalidArgument(f"{name} size {_text(sizes)} must have 2 elements: new_height, new_width",
                              **_facts(images))
    out = resize_shape(images.shape, sizes[0], sizes[1], ranks=(4,), what=name, facts=_facts(images))
    return images.derive(out, f"{name} {dims.fmt(sizes[0])}x{dims.fmt(sizes[1])}")


@op("tf.image.resize_with_crop_or_pad", "tf.image.resize_image_with_crop_or_pad", "tf.image.resize_with_pad",
    "tf.image.resize_image_with_pad")
def image_crop_or_pad(call: Call) -> Value:
    image = tensor_of(call.arg(0, "image"))
    if image is None:
        return UNKNOWN
    height, width = _target(call.arg(1, "target_height")), _target(call.arg(2, "target_width"))
    name = call.name.split(".")[-1]
    return image.derive(resize_shape(image.shape, height, width, what=name, facts=_facts(image)),
                        f"{name} {dims.fmt(height)}x{dims.fmt(width)}")


@op("tf.image.crop_to_bounding_box", "tf.image.pad_to_bounding_box")
def image_bounding_box(call: Call) -> Value:
    image = tensor_of(call.arg(0, "image"))
    if image is None:
        return UNKNOWN
    box = [_dim_arg(call.arg(1, "offset_height")), _dim_arg(call.arg(2, "offset_width")),
           _dim_arg(call.arg(3, "target_height")), _dim_arg(call.arg(4, "target_width"))]
    name = call.name.split(".")[-1]
    out = bounding_box_shape(image.shape, *box, crop=name.startswith("crop"), facts=_facts(image))
    return image.derive(out, f"{name} {dims.fmt(box[2])}x{dims.fmt(box[3])}")


def _dim_arg(value: Value) -> Dim:
    if isinstance(value, SymInt):
        return value.dim
    return as_int(value)


def _target(value: Value) -> Dim:
    if isinstance(value, SymInt):
        return value.dim
    number = as_int(value)
    return number if number is not None and number > 0 else None

