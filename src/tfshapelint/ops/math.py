"""Matrix products, bias adds, elementwise arithmetic with broadcasting, shape-preserving ops."""

from __future__ import annotations

from typing import Optional

from ..domain.values import UNKNOWN, Value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .args import as_bool, tensor_of
from .conv_args import read_data_format
from .errors import BroadcastMismatch, MatmulMismatch, RankMismatch
from .registry import Call, op


def broadcast_dim(a: Dim, b: Dim) -> tuple[Dim, bool]:
    """The broadcast of two dims and whether they are provably incompatible."""
    if a == 1:
        return b, False
    if b == 1:
        return a, False
    same = dims.equal(a, b)
    if same is True:
        return a, False
    if isinstance(a, int) and isinstance(b, int):
        return None, True
    return None, False  # a symbol may be 1 (a batch of one): unknown, never an error


def broadcast_shapes(a: Shape, b: Shape) -> tuple[Shape, Optional[int]]:
    """NumPy broadcasting; returns the shape and the first incompatible axis (from the right)."""
    if a is None or b is None:
        return None, None
    rank = max(len(a), len(b))
    a = (1,) * (rank - len(a)) + tuple(a)
    b = (1,) * (rank - len(b)) + tuple(b)
    out = []
    for axis, (x, y) in enumerate(zip(a, b)):
        dim, clash = broadcast_dim(x, y)
        if clash:
            return None, axis
        out.append(dim)
    return tuple(out), None


def matmul_shape(a: Shape, b: Shape, transpose_a: bool = False, transpose_b: bool = False,
                 facts: Optional[dict] = None) -> Shape:
    """TF2 ``matmul``: rank >= 2 each, batch dims broadcast, inner dims equal."""
    facts = facts or {}
    if a is None or b is None:
        return None
    for operand, shape in (("a", a), ("b", b)):
        if len(shape) < 2:
            raise RankMismatch(f"matmul needs operands of rank >= 2, but `{operand}` is {shapes.fmt(shape)}",
                               tensor=facts.get(operand), expected=2)
    rows = a[-1] if transpose_a else a[-2]
    inner_a = a[-2] if transpose_a else a[-1]
    inner_b = b[-1] if transpose_b else b[-2]
    cols = b[-2] if transpose_b else b[-1]
    if dims.equal(inner_a, inner_b) is False:
        raise MatmulMismatch(
            f"matmul inner dimensions differ: {dims.fmt(inner_a)} ({shapes.fmt(a)}) vs {dims.fmt(inner_b)} "
            f"({shapes.fmt(b)})", a_dim=inner_a, b_dim=inner_b, **facts)
    batch, clash = broadcast_shapes(a[:-2], b[:-2])
    if clash is not None:
        raise BroadcastMismatch(
            f"matmul batch dimensions do not broadcast: {shapes.fmt(a)} and {shapes.fmt(b)}", **facts)
    if batch is None:
        return None
    return tuple(batch) + (rows, cols)


# ``matmul`` broadcasts batch dimensions since TensorFlow 1.14: its math_ops.matmul calls BatchMatMulV2
# (behind forward_compatible(2019, 4, 25), true in the 1.14.0 release); 1.13's calls BatchMatMul, which
# needs equal batch dimensions (target_version.py names the generations after this release).
BATCH_BROADCAST_SINCE = (1, 14)


def tf1_matmul_ranks(a: Shape, b: Shape, facts: Optional[dict] = None) -> None:
    """TF 1.x ``matmul`` before batch broadcasting (BATCH_BROADCAST_SINCE): ``b`` has the same rank
    as ``a``, and the outer (batch) dimensions match exactly. Only when every targeted release is
    before 1.14 (``target-version = "tf1"``, or a TensorFlow before 1.14, configured or required)."""
    facts = facts or {}
    if a is None or b is None or len(a) < 2 or len(b) < 2:
        return
    if len(a) != len(b):
        raise RankMismatch(f"TF1 matmul needs operands of the same rank, got {shapes.fmt(a)} and {shapes.fmt(b)}",
                           tensor=facts.get("b"), expected=len(a))
    for x, y in zip(a[:-2], b[:-2]):
        if dims.equal(x, y) is False:
            raise BroadcastMismatch(f"TF1 matmul needs equal batch dimensions, got {shapes.fmt(a)} and "
                                    f"{shapes.fmt(b)}", **facts)


@op("tf.matmul", "tf.linalg.matmul", "operator.matmul")
def matmul(call: Call) -> Value:
    a = tensor_of(call.arg(0, "a"))
    b = tensor_of(call.arg(1, "b"))
    if a is None or b is None:
        return UNKNOWN
    from .numpy_ops import is_numpy_operand, numpy_operand_matmul  # `@` of two arrays: NumPy's rules
    if call.name == "operator.matmul" and is_numpy_operand(call.args[0]) and is_numpy_operand(call.args[1]):
        return numpy_operand_matmul(a, b)
    flags = []
    # matmul(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b, ...) in TF1 and TF2 alike
    for flag_args in ((("transpose_a", 2), ("adjoint_a", 4)), (("transpose_b", 3), ("adjoint_b", 5))):
        values = [as_bool(call.arg(position, name), default=False) for name, position in flag_args]
        if any(v is None for v in values):
            return a.derive(None, "matmul")
        flags.append(any(values))
    if call.versions.before(BATCH_BROADCAST_SINCE):
        tf1_matmul_ranks(a.shape, b.shape, facts={"a": a, "b": b})
    out = matmul_shape(a.shape, b.shape, flags[0], flags[1], facts={"a": a, "b": b})
    label = "matmul" + (f" `{b.label}`" if b.label else "")
    return a.derive(out, label)


@op("tf.nn.bias_add")
def bias_add(call: Call) -> Value:
    x = tensor_of(call.arg(0, "value"))
    bias = tensor_of(call.arg(1, "bias"))
    if x is None or bias is None or x.shape is None:
        return UNKNOWN if x is None else x
    channels_first = read_data_format(call, 2)
    if channels_first is None or bias.shape is None:
        return x.derive(x.shape, "bias_add")
    if len(bias.shape) != 1:
        raise RankMismatch(f"bias_add needs a bias of rank 1, got {shapes.fmt(bias.shape)}", tensor=bias, expected=1)
    if len(x.shape) < 2:
        raise RankMismatch(f"bias_add needs a value of rank >= 2, got {shapes.fmt(x.shape)}", tensor=x, expected=2)
    channel = x.shape[1] if channels_first else x.shape[-1]
    if dims.equal(channel, bias.shape[0]) is False:
        raise BroadcastMismatch(
            f"bias_add: the bias has {dims.fmt(bias.shape[0])} entries but the value has {dims.fmt(channel)} "
            f"channels ({shapes.fmt(x.shape)})", a=x, b=bias)
    return x.derive(x.shape, "bias_add")


_ELEMENTWISE = (
    "tf.add", "tf.math.add", "tf.subtract", "tf.math.subtract", "tf.multiply", "tf.math.multiply",
    "tf.divide", "tf.math.divide", "tf.truediv", "tf.math.truediv", "tf.realdiv", "tf.floordiv",
    "tf.math.floordiv", "tf.maximum", "tf.math.maximum", "tf.minimum", "tf.math.minimum", "tf.pow",
    "tf.math.pow", "tf.squared_difference", "tf.math.squared_difference", "tf.mod", "tf.math.floormod",
    "tf.equal", "tf.math.equal", "tf.not_equal", "tf.math.not_equal", "tf.less", "tf.math.less",
    "tf.greater", "tf.math.greater", "tf.less_equal", "tf.math.less_equal", "tf.greater_equal",
    "tf.math.greater_equal", "tf.logical_and", "tf.math.logical_and", "tf.logical_or", "tf.math.logical_or",
    "tf.div",  # TF 0.x's tf.sub and tf.mul: tf0_calls.py
    "operator.add", "operator.subtract", "operator.multiply", "operator.truediv", "operator.floordiv",
    "operator.mod", "operator.pow", "operator.less", "operator.less_equal", "operator.greater",
    "operator.greater_equal",
)


@op(*_ELEMENTWISE)
def elementwise(call: Call) -> Value:
    x = tensor_of(call.arg(0, "x", "a"))
    y = tensor_of(call.arg(1, "y", "b"))
    if x is None or y is None:
        return UNKNOWN
    out, clash = broadcast_shapes(x.shape, y.shape)
    name = call.name.split(".")[-1]
    if clash is not None:
        raise BroadcastMismatch(
            f"`{name}` operands do not broadcast: {shapes.fmt(x.shape)} and {shapes.fmt(y.shape)}", a=x, b=y)
    main = y if x.kind == "constant" and y.kind != "constant" else x
    from .losses import elementwise_result  # ndarray results; remembers silent [N,1]-[N] broadcasts
    return elementwise_result(call, x, y, main, out, name)


_SHAPE_PRESERVING = (
    "tf.nn.relu", "tf.nn.relu6", "tf.nn.elu", "tf.nn.selu", "tf.nn.gelu", "tf.nn.leaky_relu", "tf.nn.sigmoid",
    "tf.sigmoid", "tf.math.sigmoid", "tf.nn.tanh", "tf.tanh", "tf.math.tanh", "tf.nn.softplus", "tf.nn.softsign",
    "tf.nn.swish", "tf.nn.silu", "tf.nn.softmax", "tf.nn.log_softmax", "tf.math.softmax", "tf.identity",
    "tf.cast", "tf.to_float", "tf.to_int32", "tf.to_int64", "tf.abs", "tf.math.abs", "tf.exp", "tf.math.exp",
    "tf.log", "tf.math.log", "tf.sqrt", "tf.math.sqrt", "tf.square", "tf.math.square", "tf.negative",
    "tf.math.negative", "tf.clip_by_value", "tf.stop_gradient", "tf.nn.local_response_normalization",
    "tf.nn.lrn", "tf.math.round", "tf.round", "tf.floor", "tf.math.floor", "tf.ceil", "tf.math.ceil",
    "tf.sign", "tf.math.sign", "tf.math.reciprocal", "tf.reciprocal", "tf.rsqrt", "tf.math.rsqrt",
    "tf.nn.l2_normalize", "tf.math.l2_normalize", "tf.nn.dropout",
    "tf.math.log1p", "tf.log1p", "tf.math.logical_not", "tf.logical_not", "tf.math.is_nan", "tf.is_nan",
    "tf.ensure_shape", "tf.clip_by_norm", "operator.neg", "tf.nn.batch_normalization",
)


@op(*_SHAPE_PRESERVING)
def shape_preserving(call: Call) -> Value:
    x = tensor_of(call.arg(0, "x", "features", "logits", "input", "t", "tensor", "value"))
    if x is None:
        return UNKNOWN
    return x.derive(x.shape, call.name.split(".")[-1])
