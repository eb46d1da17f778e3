"""Array manipulation and indexing (ops/manip.py, ops/indexing.py) vs TensorFlow.

Each case is drawn at random -- ranks 0..4, sizes 0..5, axes in and out of range, operands that
agree or differ in one dim or in rank, split sizes with and without -1, REFLECT/SYMMETRIC padding,
slices past the end, gathers with batch dims, index keys mixing ints, slices, ``None`` and
``...`` -- and called through the registered adapter exactly as a user would write it. TensorFlow
runs the same call (eagerly on concrete shapes; traced with ``None`` dims on symbolic/unknown ones,
see manip_support.py). The harness fails on a false positive or a wrong shape and notes the errors
TensorFlow raises that we let pass.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import Const, SliceVal, TupleVal
from tfshapelint.ops import registry

from .harness import Instance, differential, examples, ours, tf
from .manip_support import check, flat_ours, oracle

pytestmark = pytest.mark.tf

COVERED = {
    **{name: "manip" for name in (
        "tf.concat", "tf.stack", "tf.unstack", "tf.split", "tf.squeeze", "tf.expand_dims", "tf.transpose",
        "tf.linalg.matrix_transpose", "tf.linalg.transpose", "tf.matrix_transpose", "tf.linalg.adjoint",
        "tf.tile", "tf.pad", "tf.slice", "tf.gather", "tf.gather_nd", "tf.one_hot", "tf.nn.embedding_lookup",
        "tf.image.resize", "tf.image.resize_images", "tf.image.resize_bilinear", "tf.image.resize_nearest_neighbor",
        "tf.image.resize_bicubic", "tf.image.resize_area", "tf.image.resize_with_crop_or_pad",
        "tf.image.resize_image_with_crop_or_pad", "tf.image.resize_with_pad", "tf.image.resize_image_with_pad",
        "tf.image.crop_to_bounding_box", "tf.image.pad_to_bounding_box")},
    "Tensor.__getitem__": "indexing",
}

sizes = st.integers(0, 5)
positive = st.integers(1, 5)


def shape_of_rank(rank: int, elements=positive):
    return st.lists(elements, min_size=rank, max_size=rank).map(tuple)


# -- joining ---------------------------------------------------------------------------------------------


@st.composite
def joined_shapes(draw, extra_axis: int):
    """Operand shapes that agree (but along ``axis`` for concat), sometimes differing in one dim or rank."""
    rank = draw(st.sampled_from([0, 1, 1, 2, 2, 3]))
    count = draw(st.integers(1, 3))
    base = list(draw(shape_of_rank(rank)))
    axis = draw(st.integers(-rank - 1 - extra_axis, rank + extra_axis))
    shapes = []
    for _ in range(count):
        shape = list(base)
        if extra_axis == 0 and rank and -rank <= axis < rank:
            shape[axis] = draw(sizes)
        fault = draw(st.sampled_from(["none"] * 6 + ["dim", "rank"]))
        if fault == "dim" and rank:
            shape[draw(st.integers(0, rank - 1))] = draw(positive)
        elif fault == "rank":
            shape = shape[1:] if rank and draw(st.booleans()) else shape + [draw(positive)]
        shapes.append(tuple(shape))
    return shapes, axis


@examples(600)
@given(data=st.data())
def test_concat(data):
    shapes, axis = data.draw(joined_shapes(extra_axis=0))
    keyword = data.draw(st.booleans())
    inst = Instance(data)
    check("tf.concat", inst, [(s, (0,), None) for s in shapes],
          lambda ts: ([ts], {"axis": axis}) if keyword else ([ts, axis], {}), describe=f"axis={axis}")


@examples(450)
@given(data=st.data())
def test_stack_unstack(data):
    shapes, axis = data.draw(joined_shapes(extra_axis=1))
    inst = Instance(data)
    check("tf.stack", inst, [(s, (0,), None) for s in shapes], lambda ts: ([ts], {"axis": axis}),
          describe=f"axis={axis}")
    shape = shapes[0]
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    num = data.draw(st.sampled_from([None, None, 0, 1, 2, 3]))
    kwargs = {"axis": axis} if num is None else {"axis": axis, "num": num}
    check("tf.unstack", Instance(data), [(shape, (0,), None)], lambda ts: ([ts[0]], kwargs), describe=str(kwargs))


# -- splitting ------------------------------------------------------------------------------------------


@examples(600)
@given(data=st.data())
def test_split(data):
    draw = data.draw
    rank = draw(st.integers(1, 3))
    shape = draw(shape_of_rank(rank, st.integers(0, 8)))
    axis = draw(st.integers(-rank - 1, rank))
    size = shape[axis] if -rank <= axis < rank else 4
    form = draw(st.sampled_from(["count", "sizes", "sizes_minus_one", "wrong"]))
    if form == "count":
        splits = draw(st.sampled_from([1, 2, 2, 3, 4, 0]))
    else:
        parts = []
        left = size
        while left > 0 and len(parts) < 4:
            part = draw(st.integers(0, left))
            parts.append(part)
            left -= part
        if left or not parts:
            parts.append(left)
        if form == "sizes_minus_one":
            parts[draw(st.integers(0, len(parts) - 1))] = -1
        elif form == "wrong":
            index = draw(st.integers(0, len(parts) - 1))
            parts[index] = draw(st.sampled_from([parts[index] + 1, -1, -2, 0]))
            if draw(st.booleans()):
                parts.append(-1)
        splits = parts
    num = draw(st.sampled_from([None] * 5 + [len(splits) if isinstance(splits, list) else 1, 2]))
    kwargs = {"axis": axis} if num is None or isinstance(splits, int) else {"axis": axis, "num": num}
    check("tf.split", Instance(data), [(shape, (0,), None)], lambda ts: ([ts[0], splits], kwargs),
          describe=f"splits={splits} {kwargs}")


# -- axes ------------------------------------------------------------------------------------------------


@examples(450)
@given(data=st.data())
def test_squeeze_expand_dims(data):
    draw = data.draw
    shape = draw(st.lists(st.sampled_from([1, 1, 2, 3]), min_size=0, max_size=4).map(tuple))
    rank = len(shape)
    form = draw(st.sampled_from(["none", "int", "list", "empty"]))
    if form == "int":
        axis = draw(st.integers(-rank - 1, rank))
    elif form == "list":
        axis = draw(st.lists(st.integers(-rank - 1, rank), min_size=1, max_size=3))
    else:
        axis = None if form == "none" else []
    kwargs = {} if axis is None else {"axis": axis}
    check("tf.squeeze", Instance(data), [(shape, (0,), None)], lambda ts: ([ts[0]], kwargs), describe=str(kwargs))
    axis = draw(st.integers(-rank - 2, rank + 1))
    as_list = draw(st.booleans())
    check("tf.expand_dims", Instance(data), [(shape, (0,), None)],
          lambda ts: ([ts[0], [axis] if as_list else axis], {}), describe=f"axis={axis}")


@examples(450)
@given(data=st.data())
def test_transpose(data):
    draw = data.draw
    shape = draw(st.lists(positive, min_size=0, max_size=4).map(tuple))
    rank = len(shape)
    form = draw(st.sampled_from(["none", "perm", "perm", "dup", "length", "range"]))
    perm = list(draw(st.permutations(list(range(rank)))))
    perm = [p - rank if draw(st.booleans()) else p for p in perm]
    if form == "none":
        perm = None
    elif form == "dup" and rank >= 2:
        perm[0] = perm[1]
    elif form == "length":
        perm = perm[1:] if rank and draw(st.booleans()) else perm + [rank]
    elif form == "range" and rank:
        perm[0] = draw(st.sampled_from([rank, -rank - 1]))
    kwargs = {} if perm is None else {"perm": perm}
    check("tf.transpose", Instance(data), [(shape, (0,), None)], lambda ts: ([ts[0]], kwargs), describe=str(kwargs))
    name = draw(st.sampled_from(["tf.linalg.matrix_transpose", "tf.linalg.adjoint", "tf.linalg.transpose"]))
    check(name, Instance(data), [(shape, (0,), None)], lambda ts: ([ts[0]], {}))


# -- tile, pad, slice ----------------------------------------------------------------------------------


@examples(360)
@given(data=st.data())
def test_tile(data):
    draw = data.draw
    shape = draw(st.lists(sizes, min_size=0, max_size=3).map(tuple))
    length = draw(st.sampled_from([len(shape)] * 6 + [len(shape) + 1, max(len(shape) - 1, 0)]))
    multiples = draw(st.lists(st.sampled_from([0, 1, 1, 2, 3, -1]), min_size=length, max_size=length))
    check("tf.tile", Instance(data), [(shape, (0,), None)], lambda ts: ([ts[0], multiples], {}),
          describe=f"multiples={multiples}")


@examples(600)
@given(data=st.data())
def test_pad(data):
    draw = data.draw
    shape = draw(st.lists(sizes, min_size=0, max_size=3).map(tuple))
    length = draw(st.sampled_from([len(shape)] * 6 + [len(shape) + 1]))
    pairs = [[draw(st.integers(-1, 4)) if draw(st.integers(0, 9)) == 0 else draw(st.integers(0, 4))
              for _ in range(2)] for _ in range(length)]
    mode = draw(st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC", "reflect", "symmetric"]))
    keyword = draw(st.booleans())
    check("tf.pad", Instance(data), [(shape, (0,), None)],
          lambda ts: ([ts[0], pairs], {"mode": mode}) if keyword else ([ts[0], pairs, mode], {}),
          describe=f"paddings={pairs} mode={mode}")


@examples(600)
@given(data=st.data())
def test_slice(data):
    draw = data.draw
    shape = draw(st.lists(sizes, min_size=0, max_size=3).map(tuple))
    begin = [draw(st.integers(0, d + 1)) if draw(st.integers(0, 9)) else -1 for d in shape]
    size = [draw(st.integers(-1, max(d - b, 0) + 1)) if draw(st.integers(0, 9)) else -2
            for d, b in zip(shape, begin)]
    if draw(st.integers(0, 9)) == 0:
        begin, size = begin + [0], size + [1]
    check("tf.slice", Instance(data), [(shape, (0,), None)], lambda ts: ([ts[0], begin, size], {}),
          describe=f"begin={begin} size={size}")


# -- gathering -----------------------------------------------------------------------------------------


@examples(750)
@given(data=st.data())
def test_gather(data):
    draw = data.draw
    params = list(draw(st.lists(positive, min_size=0, max_size=3)))
    indices_rank = draw(st.integers(0, 2))
    indices = list(draw(shape_of_rank(indices_rank)))
    batch_dims = draw(st.sampled_from([0, 0, 0, 1, 1, 2, -1, -2, 3]))
    if batch_dims > indices_rank + 1 or indices_rank < batch_dims > len(params):
        batch_dims = 0  # TF 2.21's GatherV2 shape function aborts the process (a failed CHECK) on these
    for i in range(min(max(batch_dims, 0), len(params), len(indices))):
        if draw(st.integers(0, 5)):
            indices[i] = params[i]
    axis = draw(st.one_of(st.none(), st.integers(-len(params) - 1, len(params))))
    kwargs = {"batch_dims": batch_dims} if batch_dims else {}
    if axis is not None:
        kwargs["axis"] = axis
    check("tf.gather", Instance(data), [(tuple(params), (0,), None), (tuple(indices), (0,), tf().int32)],
          lambda ts: (ts, kwargs), describe=str(kwargs))


@examples(360)
@given(data=st.data())
def test_gather_nd(data):
    draw = data.draw
    params = tuple(draw(st.lists(positive, min_size=1, max_size=4)))
    batch_dims = draw(st.sampled_from([0, 0, 0, 1]))
    outer = list(draw(st.lists(positive, min_size=0, max_size=2)))
    if batch_dims:
        outer = [params[0]] + outer
    indices = tuple(outer) + (draw(st.integers(1, 4)),)
    kwargs = {"batch_dims": batch_dims} if batch_dims else {}
    check("tf.gather_nd", Instance(data), [(params, (0,), None), (indices, (0,), tf().int32)],
          lambda ts: (ts, kwargs), describe=str(kwargs))


@examples(360)
@given(data=st.data())
def test_one_hot(data):
    draw = data.draw
    indices = tuple(draw(st.lists(sizes, min_size=0, max_size=3)))
    depth = draw(st.sampled_from([0, 1, 3, 10, -1]))
    axis = draw(st.one_of(st.none(), st.integers(-2, len(indices) + 1)))
    kwargs = {} if axis is None else {"axis": axis}
    check("tf.one_hot", Instance(data), [(indices, (0,), tf().int32)], lambda ts: ([ts[0], depth], kwargs),
          describe=f"depth={depth} {kwargs}")


@examples(300)
@given(data=st.data())
def test_embedding_lookup(data):
    draw = data.draw
    params = tuple(draw(st.lists(positive, min_size=0, max_size=3)))
    ids = tuple(draw(st.lists(sizes, min_size=0, max_size=2)))
    shards = draw(st.sampled_from([0, 0, 1, 2])) if params else 0
    inst = Instance(data)
    if shards:
        check("tf.nn.embedding_lookup", inst, [(params, (), None)] * shards + [(ids, (0,), tf().int32)],
              lambda ts: ([ts[:-1], ts[-1]], {}), describe=f"{shards} shards")
    else:
        check("tf.nn.embedding_lookup", inst, [(params, (), None), (ids, (0,), tf().int32)], lambda ts: (ts, {}))


# -- images ---------------------------------------------------------------------------------------------


@examples(450)
@given(data=st.data())
def test_image_resize(data):
    draw = data.draw
    images = tuple(draw(st.lists(positive, min_size=2, max_size=5)))
    size = draw(st.lists(st.integers(1, 9), min_size=2, max_size=2))
    if draw(st.integers(0, 9)) == 0:
        size = size[:1]
    name = draw(st.sampled_from(["tf.image.resize", "tf.image.resize", "tf.image.resize_images",
                                 "tf.image.resize_bilinear", "tf.image.resize_nearest_neighbor",
                                 "tf.image.resize_bicubic", "tf.image.resize_area"]))
    kwargs = {}
    if name == "tf.image.resize":
        kwargs["method"] = draw(st.sampled_from(["bilinear", "nearest", "bicubic", "area", "lanczos3"]))
        if draw(st.integers(0, 4)) == 0:
            kwargs["preserve_aspect_ratio"] = True
    oracle_name = name if name == "tf.image.resize" else "tf.compat.v1." + name[3:]
    check(name, Instance(data), [(images, (0,), None)], lambda ts: ([ts[0], size], kwargs), oracle_name=oracle_name,
          exact=False if kwargs.get("preserve_aspect_ratio") else None, describe=f"size={size} {kwargs}")


@examples(240)
@given(data=st.data())
def test_image_crop_or_pad(data):
    draw = data.draw
    images = tuple(draw(st.lists(positive, min_size=2, max_size=5)))
    height, width = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    name = draw(st.sampled_from(["tf.image.resize_with_crop_or_pad", "tf.image.resize_with_pad",
                                 "tf.image.pad_to_bounding_box", "tf.image.crop_to_bounding_box"]))
    if name.endswith("bounding_box"):
        offsets = [draw(st.integers(0, 2)), draw(st.integers(0, 2))]
        make = lambda ts: ([ts[0], *offsets, height, width], {})  # noqa: E731
    else:
        make = lambda ts: ([ts[0], height, width], {})  # noqa: E731
    check(name, Instance(data), [(images, (0,), None)], make, describe=f"{height}x{width}")


# -- indexing ------------------------------------------------------------------------------------------


@st.composite
def index_keys(draw, rank: int):
    """A basic-indexing key: ints, slices, None and at most (usually) one Ellipsis."""
    n = draw(st.integers(0, rank + 1))
    entries = []
    bound = st.one_of(st.none(), st.integers(-6, 6))
    for _ in range(n):
        kind = draw(st.sampled_from(["int", "slice", "slice", "none", "ellipsis"]))
        if kind == "int":
            entries.append(draw(st.integers(-5, 5)))
        elif kind == "slice":
            step = draw(st.sampled_from([None, None, 1, 2, 3, -1, -2, 0]))
            entries.append(slice(draw(bound), draw(bound), step))
        elif kind == "none":
            entries.append(None)
        else:
            entries.append(Ellipsis)
    if draw(st.booleans()) and len(entries) == 1:
        return entries[0]
    return tuple(entries)


def _abstract_key(key):
    def one(entry):
        if isinstance(entry, slice):
            return SliceVal(Const(entry.start), Const(entry.stop), Const(entry.step))
        return Const(entry)
    return TupleVal(tuple(one(e) for e in key)) if isinstance(key, tuple) else one(key)


@examples(1050)
@given(data=st.data())
def test_getitem(data):
    draw = data.draw
    shape = tuple(draw(st.lists(sizes, min_size=0, max_size=3)))
    key = draw(index_keys(len(shape)))
    inst = Instance(data)
    value, partial = inst.tensor(shape)
    fn = registry.lookup("Tensor.__getitem__")
    mine = flat_ours(ours(fn, registry.Call(name="Tensor.__getitem__", args=[value, _abstract_key(key)], kwargs={})))
    differential("Tensor.__getitem__", mine, oracle(inst, lambda t: t[key], [(shape, partial, None)]), inst,
                 describe=f"x{list(shape)}[{key}]")
