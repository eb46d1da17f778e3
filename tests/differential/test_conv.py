"""Convolutions and pooling: ``conv_shape`` / ``pool_shape`` and their registered adapters vs TF.

Cases are drawn with random sizes, kernels, strides (int, length 1, per spatial axis, full rank),
dilations, SAME/VALID/explicit padding, channels-last and channels-first layouts, grouped filters
(filter depth dividing the input channels), inputs too small for a VALID window, extra leading
batch dims, wrong ranks, zero strides. TensorFlow only traces the op (no kernel runs), so NCHW and
grouped convolutions work on a CPU-only build.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.ops.conv import conv_shape, output_size, pool_shape, spatial_params
from tfshapelint.ops.errors import InvalidArgument
from tfshapelint.shapes import dims

from .harness import (Instance, call_op, differential, examples, kernel_rejects, ours, resolve, result_shape, tf,
                      traced)

pytestmark = pytest.mark.tf

FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}

CONV_NAMES = {"tf.nn.conv1d": 1, "tf.nn.conv2d": 2, "tf.nn.conv3d": 3}

# Registered pool name -> (fixed number of spatial axes or None when inferred from the rank,
# the TensorFlow functions it can mean: TF2's, and TF1's when ``tensorflow.compat.v1`` differs).
POOL_NAMES = {
    "tf.nn.max_pool": (None, ["tf.nn.max_pool", "tf.compat.v1.nn.max_pool"]),
    "tf.nn.avg_pool": (None, ["tf.nn.avg_pool", "tf.compat.v1.nn.avg_pool"]),
    "tf.nn.max_pool_v2": (None, ["tf.compat.v1.nn.max_pool_v2"]),
    "tf.nn.avg_pool_v2": (None, ["tf.compat.v1.nn.avg_pool_v2"]),
    "tf.nn.max_pool1d": (1, ["tf.nn.max_pool1d"]),
    "tf.nn.avg_pool1d": (1, ["tf.nn.avg_pool1d"]),
    "tf.nn.max_pool2d": (2, ["tf.nn.max_pool2d"]),
    "tf.nn.avg_pool2d": (2, ["tf.nn.avg_pool2d"]),
    "tf.nn.max_pool3d": (3, ["tf.nn.max_pool3d"]),
    "tf.nn.avg_pool3d": (3, ["tf.nn.avg_pool3d"]),
}

COVERED = {**{name: "conv" for name in CONV_NAMES}, **{name: "pool" for name in POOL_NAMES}}


def layout(batch: list, spatial: list, channels: int, channels_first: bool) -> tuple:
    return tuple(batch) + ((channels, *spatial) if channels_first else (*spatial, channels))


def full_rank(values: list, channels_first: bool, outer=(1, 1)) -> list:
    """Spatial params as one value per axis of a (batch + spatial + channels) input."""
    batch, channel = outer
    return [batch, channel, *values] if channels_first else [batch, *values, channel]


def spatial_axes(rank: int, n: int, channels_first: bool) -> list[int]:
    first = rank - n if channels_first else rank - n - 1
    return list(range(first, first + n))


def pad_spatial(x, padding: list, n: int, channels_first: bool):
    """Explicit padding done by ``tf.pad`` (for the ops whose padding attr has no EXPLICIT)."""
    rank = x.shape.rank
    pairs = [[0, 0] for _ in range(rank)]
    for axis, pair in zip(spatial_axes(rank, n, channels_first), padding):
        pairs[axis] = list(pair)
    return tf().pad(x, pairs)


def divisors(k: int) -> list[int]:
    return [d for d in range(1, k + 1) if k % d == 0]


def assert_batch_kept(mine, x_ours: tuple, n_batch: int) -> None:
    """TF's ``None`` batch must come out as our very symbol."""
    if isinstance(mine, tuple):
        for axis in range(n_batch):
            if isinstance(x_ours[axis], dims.Expr):
                assert mine[axis] == x_ours[axis], f"batch axis {axis}: {mine} lost {x_ours[axis]}"


# -- strategies -----------------------------------------------------------------------------------


@st.composite
def conv_cases(draw, n=None):
    n = n or draw(st.sampled_from([1, 2, 2, 3]))
    channels_first = draw(st.booleans())
    extra = draw(st.sampled_from([0, 0, 0, 0, 1, 2]))  # extra leading batch dims (rank > n + 2)
    batch = draw(st.lists(st.integers(1, 3), min_size=1 + extra, max_size=1 + extra))
    spatial = draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))
    kernel = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    strides = draw(st.lists(st.sampled_from([1] * 6 + [2] * 4 + [3, 4, 0]), min_size=n, max_size=n))
    dilations = draw(st.lists(st.sampled_from([1, 1, 1, 2, 3]), min_size=n, max_size=n))
    padding = draw(st.one_of(
        st.sampled_from(["SAME", "VALID"]),
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=n, max_size=n)))
    channels = draw(st.integers(1, 8))
    # usually a divisor of the channels (grouped when smaller) and a multiple of the groups out,
    # sometimes anything
    fitting = draw(st.integers(0, 3)) > 0
    depth = draw(st.sampled_from(divisors(channels)) if fitting else st.integers(1, 8))
    groups = channels // depth if channels % depth == 0 else 1
    out_channels = draw(st.integers(1, 3).map(lambda k: k * groups) if fitting else st.integers(1, 8))
    x = layout(batch, spatial, channels, channels_first)
    w = (*kernel, depth, out_channels)
    wrong_rank = draw(st.sampled_from([None] * 10 + ["input", "filter"]))
    if wrong_rank == "input":
        x = x[-(n + 1):]
    elif wrong_rank == "filter":
        w = w[1:]
    return dict(n=n, channels_first=channels_first, x=x, w=w, strides=strides, dilations=dilations,
                padding=padding, n_batch=1 + extra)


def tf_conv(case: dict, x, w, strides=None, padding=None, dilations=None, data_format=None):
    """The TF op of a pure conv case (explicit padding natively for conv2d, by tf.pad otherwise)."""
    t, n, cf = tf(), case["n"], case["channels_first"]
    strides = case["strides"] if strides is None else strides
    dilations = case["dilations"] if dilations is None else dilations
    padding = case["padding"] if padding is None else padding
    fmt = FORMATS[n][cf]
    if not isinstance(padding, str):
        if n == 2:
            padding = full_rank([list(p) for p in padding], cf, outer=([0, 0], [0, 0]))
        else:
            x = pad_spatial(x, padding, n, cf)
            padding = "VALID"
    if n == 1:
        return t.nn.conv1d(x, w, stride=strides[0], padding=padding, data_format=fmt, dilations=dilations[0])
    if n == 2:
        return t.nn.conv2d(x, w, strides=full_rank(strides, cf), padding=padding, data_format=fmt,
                           dilations=full_rank(dilations, cf))
    return t.nn.conv3d(x, w, strides=full_rank(strides, cf), padding=padding, data_format=fmt,
                       dilations=full_rank(conv3d_static_dilations(dilations), cf))


def conv3d_static_dilations(dilations: list) -> list:
    """What to give TF's Conv3D *shape function* to get the shape its kernel computes.

    TF's static inference for Conv3D reads the height dilation for the width and vice versa (the
    kernel does not: see test_tf_conv3d_static_shape_swaps_dilations), so the oracle swaps them
    back. Our ``conv_shape`` follows the kernel.
    """
    depth, height, width = dilations
    return [depth, width, height]


# -- conv_shape --------------------------------------------------------------------------------------


@examples(700)
@given(data=st.data())
def test_conv_shape_matches_tf(data):
    case = data.draw(conv_cases())
    inst = Instance(data)
    n, cf = case["n"], case["channels_first"]
    x_ours, x_tf = inst.shape(case["x"], batch_axes=tuple(range(case["n_batch"])))
    w_ours, w_tf = inst.shape(case["w"], batch_axes=())
    padding = case["padding"] if isinstance(case["padding"], str) else [tuple(p) for p in case["padding"]]
    mine = ours(conv_shape, x_ours, w_ours, case["strides"], padding, cf, case["dilations"], n)

    def tf_side(concrete):
        shapes = (case["x"], case["w"]) if concrete else (x_tf, w_tf)
        return traced(lambda x, w: tf_conv(case, x, w), (shapes[0], None), (shapes[1], None))

    differential(f"conv_shape[{n}d]", mine, tf_side, inst, describe=str(case))
    assert_batch_kept(mine, x_ours, case["n_batch"])


@examples(150)
@given(size=st.integers(1, 40), kernel=st.integers(1, 7), stride=st.integers(1, 5), dilation=st.integers(1, 4),
       padding=st.one_of(st.sampled_from(["SAME", "VALID"]), st.tuples(st.integers(0, 4), st.integers(0, 4))))
def test_output_size_matches_tf(size, kernel, stride, dilation, padding):
    """One spatial axis of conv2d (the height; the width stays 1x1)."""
    mine = output_size(size, kernel, stride, dilation, padding)
    tf_padding = padding if isinstance(padding, str) else [[0, 0], list(padding), [0, 0], [0, 0]]
    got = traced(lambda x, w: tf().nn.conv2d(x, w, [1, stride, 1, 1], tf_padding, dilations=[1, dilation, 1, 1]),
                 ((1, size, 1, 1), None), ((kernel, 1, 1, 1), None))
    if mine < 1:
        assert not isinstance(got, tuple), f"we compute {mine}, TF accepts {got}"
    else:
        assert got == (1, mine, 1, 1)


def conv3d_static_full_dilations(dilations: list, channels_first: bool) -> list:
    """:func:`conv3d_static_dilations` for a full-rank (5 entries) dilations list."""
    first = 2 if channels_first else 1
    spatial = conv3d_static_dilations(dilations[first:first + 3])
    return dilations[:first] + spatial + dilations[first + 3:]


def test_tf_conv3d_static_shape_swaps_dilations():
    """Pins the TF quirk the conv3d oracle works around: if TF fixes it, drop the swap."""
    t = tf()
    x, w = t.zeros((1, 1, 9, 9, 1)), t.zeros((1, 2, 3, 1, 1))
    run = t.nn.conv3d(x, w, [1] * 5, "VALID", dilations=[1, 1, 1, 2, 1])  # the CPU kernel runs
    static = traced(lambda a, b: t.nn.conv3d(a, b, [1] * 5, "VALID", dilations=[1, 1, 1, 2, 1]),
                    ((1, 1, 9, 9, 1), None), ((1, 2, 3, 1, 1), None))
    assert tuple(run.shape) == (1, 1, 8, 5, 1) == conv_shape((1, 1, 9, 9, 1), (1, 2, 3, 1, 1), [1, 1, 1], "VALID",
                                                             dilations=[1, 1, 2], n_spatial=3)
    assert static == (1, 1, 7, 7, 1), "TF's Conv3D shape function no longer swaps H/W dilations"


def test_spatial_params_forms():
    """The four ways TF accepts strides/dilations/ksize, with the batch/channel ones at 1."""
    assert spatial_params([2], 2, False) == [2, 2]
    assert spatial_params([2, 3], 2, False) == [2, 3]
    assert spatial_params([1, 2, 3, 1], 2, False) == [2, 3]
    assert spatial_params([1, 1, 2, 3], 2, True) == [2, 3]
    assert spatial_params([2, 2, 3, 1], 2, False) is None
    assert spatial_params([1, 2, 3], 2, False) is None


# -- conv adapters -----------------------------------------------------------------------------------


def _spatial_value(draw, values: list, n: int, cf: bool, label: str, allow_absent: bool = False,
                   accepted_only: bool = True):
    """One of the forms of a strides/dilations/ksize argument for the per-axis ``values``: only
    those TF accepts (tf.nn.conv3d takes full-rank lists only), or any."""
    if n == 3 and label != "ksize":
        forms = ["full"] if accepted_only else ["full", "int", "len1", "spatial", "full_bad"]
    else:
        forms = ["spatial", "int", "full", "len1"] + ([] if accepted_only else ["full_bad"])
    if allow_absent:
        forms = ["absent", "none"] + forms
    form = draw(st.sampled_from(forms), label=f"{label} form")
    if form in ("int", "len1"):
        values[:] = [values[0]] * n
        return form, values[0] if form == "int" else [values[0]]
    if form == "spatial":
        return form, list(values)
    if form == "full":
        return form, full_rank(values, cf)
    if form == "full_bad":
        return form, full_rank(values, cf, outer=draw(st.sampled_from([(2, 1), (1, 2)])))
    values[:] = [1] * n
    return form, None


@pytest.mark.parametrize("name", sorted(CONV_NAMES))
@examples(200)
@given(data=st.data())
def test_conv_adapters_match_tf(name, data):
    """``tf.nn.conv1d/2d/3d`` called the way users write them, through the registry."""
    draw = data.draw
    n = CONV_NAMES[name]
    case = draw(conv_cases(n=n))
    cf = case["channels_first"]
    accepted_only = draw(st.integers(0, 2)) > 0  # argument forms TF takes, or any form
    strides, dilations = list(case["strides"]), list(case["dilations"])
    stride_form, stride_arg = _spatial_value(draw, strides, n, cf, "strides", accepted_only=accepted_only)
    dilation_form, dilation_arg = _spatial_value(draw, dilations, n, cf, "dilations", allow_absent=True,
                                                 accepted_only=accepted_only)
    padding = case["padding"]
    if n != 2 and not isinstance(padding, str) and accepted_only:
        padding = draw(st.sampled_from(["SAME", "VALID"]))  # only tf.nn.conv2d has explicit padding
    pad_form = "plain" if accepted_only else draw(st.sampled_from(["plain", "lower", "spatial"]))
    if isinstance(padding, str):
        padding_arg = padding.lower() if pad_form == "lower" else padding
    else:  # explicit: full rank (what conv2d takes) or one pair per spatial axis
        pairs = [list(p) for p in padding]
        padding_arg = pairs if pad_form == "spatial" else full_rank(pairs, cf, outer=([0, 0], [0, 0]))
    fmt = FORMATS[n][cf]
    fmt_form = draw(st.sampled_from(["keyword", "positional"] + ([] if cf else ["absent"])))
    keywords = draw(st.booleans())  # strides/padding by keyword rather than by position

    inst = Instance(data)
    x_val, x_tf = inst.tensor(case["x"], batch_axes=tuple(range(case["n_batch"])))
    w_val, w_tf = inst.tensor(case["w"], batch_axes=())
    stride_kw = "stride" if n == 1 else "strides"

    def arguments(x, w):
        args, kwargs = [x, w], {}
        if keywords and fmt_form != "positional":
            kwargs.update({stride_kw: stride_arg, "padding": padding_arg})
        else:
            args += [stride_arg, padding_arg]
        if fmt_form == "positional":
            args.append(fmt)
        elif fmt_form == "keyword":
            kwargs["data_format"] = fmt
        if dilation_form != "absent":
            kwargs["dilations"] = dilation_arg
        return args, kwargs

    args, kwargs = arguments(x_val, w_val)
    mine = result_shape(call_op(name, *args, **kwargs))

    def tf_side(concrete):
        def build(x, w):
            a, k = arguments(x, w)
            if n == 3 and isinstance(k.get("dilations"), list) and len(k["dilations"]) == 5:
                k["dilations"] = conv3d_static_full_dilations(k["dilations"], cf)
            return resolve(name)(*a, **k)
        shapes = (case["x"], case["w"]) if concrete else (x_tf, w_tf)
        return traced(build, (shapes[0], None), (shapes[1], None))

    lowercase = isinstance(padding_arg, str) and padding_arg.islower()  # TF wants "SAME"/"VALID"
    plain = "full_bad" not in (stride_form, dilation_form) and not lowercase
    differential(name, mine, tf_side, inst, exact=plain and not inst.partial,
                 describe=f"args={args[2:]} kwargs={kwargs} case={case}")
    assert_batch_kept(mine, x_val.shape, case["n_batch"])


# -- pooling -----------------------------------------------------------------------------------------


@st.composite
def pool_cases(draw, n=None):
    n = n or draw(st.sampled_from([1, 2, 2, 3]))
    channels_first = draw(st.booleans())
    batch = draw(st.integers(1, 3))
    spatial = draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))
    ksize = draw(st.lists(st.sampled_from([1, 2, 2, 3, 4, 5, 0]), min_size=n, max_size=n))
    strides = draw(st.lists(st.sampled_from([1, 1, 2, 2, 3, 4, 0]), min_size=n, max_size=n))
    padding = draw(st.sampled_from(["SAME", "VALID"]))
    x = layout([batch], spatial, draw(st.integers(1, 5)), channels_first)
    return dict(n=n, channels_first=channels_first, x=x, ksize=ksize, strides=strides, padding=padding)


def zero_window_rejected_by_kernel(error, kind: str, case: dict, x: tuple) -> bool:
    """A zero ksize passes TF's static inference but every pooling kernel rejects it
    ("Sliding window ksize must be positive"): run the op (channels-last: the CPU kernels lack NCHW)."""
    if not isinstance(error, InvalidArgument) or 0 not in case["ksize"] or 0 in case["strides"]:
        return False
    n = case["n"]
    if len(x) != n + 2:
        return False
    if case["channels_first"]:
        x = (x[0], *x[2:], x[1])
    op = resolve(f"tf.nn.{kind}_pool{n}d")
    return kernel_rejects(lambda t: op(t, case["ksize"], case["strides"], case["padding"]), x)


@examples(500)
@given(data=st.data(), kind=st.sampled_from(["max", "avg"]))
def test_pool_shape_matches_tf(data, kind):
    case = data.draw(pool_cases())
    n, cf = case["n"], case["channels_first"]
    wrong_rank = data.draw(st.sampled_from([0] * 8 + [-1, 1]))  # an input of rank n+1 or n+3
    x = case["x"][1:] if wrong_rank < 0 else ((2,) + case["x"] if wrong_rank > 0 else case["x"])
    inst = Instance(data)
    x_ours, x_tf = inst.shape(x)
    mine = ours(pool_shape, x_ours, case["ksize"], case["strides"], case["padding"], cf, n)
    op = resolve(f"tf.nn.{kind}_pool{n}d")

    def tf_side(concrete):
        return traced(lambda t: op(t, full_rank(case["ksize"], cf), full_rank(case["strides"], cf), case["padding"],
                                   data_format=FORMATS[n][cf]), (x if concrete else x_tf, None))

    differential(f"pool_shape[{n}d]", mine, tf_side, inst, describe=f"{kind} x={x} {case}",
                 confirm=lambda error, _: zero_window_rejected_by_kernel(error, kind, case, x))
    assert_batch_kept(mine, x_ours, 1 if not wrong_rank else 0)


@pytest.mark.parametrize("name", sorted(POOL_NAMES))
@examples(50)
@given(data=st.data())
def test_pool_adapters_match_tf(name, data):
    """Every registered pooling name, against each TensorFlow function it may stand for."""
    draw = data.draw
    fixed, oracles = POOL_NAMES[name]
    oracle = draw(st.sampled_from(oracles))
    case = draw(pool_cases(n=fixed))
    n, cf = case["n"], case["channels_first"]
    ksize, strides = list(case["ksize"]), list(case["strides"])
    accepted_only = draw(st.integers(0, 2)) > 0  # argument forms TF takes, or any form
    ksize_form, ksize_arg = _spatial_value(draw, ksize, n, cf, "ksize", accepted_only=accepted_only)
    stride_form, stride_arg = _spatial_value(draw, strides, n, cf, "pool strides", accepted_only=accepted_only)
    padding_arg = case["padding"] if accepted_only else draw(st.sampled_from([case["padding"],
                                                                              case["padding"].lower()]))
    fmt_form = draw(st.sampled_from(["keyword", "positional"] + ([] if cf else ["absent"])))

    inst = Instance(data)
    x_val, x_tf = inst.tensor(case["x"])

    def arguments(x):
        args, kwargs = [x, ksize_arg, stride_arg, padding_arg], {}
        if fmt_form == "positional":
            args.append(FORMATS[n][cf])
        elif fmt_form == "keyword":
            kwargs["data_format"] = FORMATS[n][cf]
        return args, kwargs

    args, kwargs = arguments(x_val)
    mine = result_shape(call_op(name, *args, **kwargs))

    def tf_side(concrete):
        def build(x):
            a, k = arguments(x)
            return resolve(oracle)(*a, **k)
        return traced(build, (case["x"] if concrete else x_tf, None))

    plain = "full_bad" not in (ksize_form, stride_form) and padding_arg.isupper()
    kind = "max" if "max" in name else "avg"
    differential(f"{name} (as {oracle})", mine, tf_side, inst, exact=plain and not inst.partial,
                 describe=f"args={args[1:]} kwargs={kwargs}",
                 confirm=lambda error, _: zero_window_rejected_by_kernel(
                     error, kind, dict(case, ksize=ksize, strides=strides), case["x"]))
    assert_batch_kept(mine, x_val.shape, 1)
