"""Matrix products, broadcasting, elementwise ops, bias_add and shape-preserving ops vs TF."""

from __future__ import annotations

import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.ops import math as ops_math
from tfshapelint.ops.errors import BroadcastMismatch
from tfshapelint.ops.math import broadcast_shapes, matmul_shape

from .harness import Instance, call_op, differential, examples, ours, resolve, result_shape, tf, traced

pytestmark = pytest.mark.tf

MATMUL_NAMES = {"tf.matmul": "tf.linalg.matmul", "tf.linalg.matmul": "tf.linalg.matmul", "operator.matmul": "@"}

# Python's operator module spells some names differently; tf.sub/tf.mul left TensorFlow in 1.0 and
# are checked as the aliases of tf.subtract/tf.multiply they are registered as.
_PY_OPERATORS = {"add": operator.add, "subtract": operator.sub, "multiply": operator.mul,
                 "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
                 "pow": operator.pow, "matmul": operator.matmul, "neg": operator.neg, "less": operator.lt,
                 "less_equal": operator.le, "greater": operator.gt, "greater_equal": operator.ge}
_GONE = {"tf.sub": "tf.subtract", "tf.mul": "tf.multiply"}
_LOGICAL = ("logical_and", "logical_or", "logical_not")

ELEMENTWISE_NAMES = ops_math._ELEMENTWISE
SHAPE_PRESERVING_NAMES = ops_math._SHAPE_PRESERVING

COVERED = {**{name: "matmul" for name in MATMUL_NAMES}, **{name: "elementwise" for name in ELEMENTWISE_NAMES},
           **{name: "shape_preserving" for name in SHAPE_PRESERVING_NAMES}, "tf.nn.bias_add": "bias_add"}


def tf_function(name: str):
    """The TensorFlow callable a registered name stands for."""
    if name.startswith("operator."):
        return _PY_OPERATORS[name.split(".")[1]]
    return resolve(_GONE.get(name, name))


def dtype_for(name: str):
    return tf().bool if name.split(".")[-1] in _LOGICAL else tf().float32


def literal(shape: tuple, value=1.0):
    """A nested Python list of ``shape`` (a scalar for ``()``)."""
    if not shape:
        return value
    return [literal(shape[1:], value) for _ in range(shape[0])]


# -- matmul ------------------------------------------------------------------------------------------


def _batch(draw, common: list, rank: int) -> list:
    """The batch dims of one operand: a suffix of ``common``, each kept, 1, or anything."""
    dims = common[len(common) - (rank - 2):] if rank > 2 else []
    return [draw(st.sampled_from([d, d, d, 1, draw(st.integers(1, 4))])) for d in dims]


@st.composite
def matmul_cases(draw):
    rank_a = draw(st.sampled_from([2, 2, 3, 4, 1]))
    rank_b = draw(st.sampled_from([2, 2, 3, 4, 1]))
    m, k, n = (draw(st.integers(1, 6)) for _ in range(3))
    k_b = draw(st.sampled_from([k, k, k, draw(st.integers(1, 6))]))
    ta, tb = draw(st.booleans()), draw(st.booleans())
    common = draw(st.lists(st.integers(1, 4), min_size=2, max_size=2))
    a = (k,) if rank_a == 1 else (*_batch(draw, common, rank_a), *((k, m) if ta else (m, k)))
    b = (k_b,) if rank_b == 1 else (*_batch(draw, common, rank_b), *((n, k_b) if tb else (k_b, n)))
    return a, b, ta, tb


@examples(500)
@given(data=st.data())
def test_matmul_shape_matches_tf(data):
    a, b, ta, tb = data.draw(matmul_cases())
    inst = Instance(data)
    a_ours, a_tf = inst.shape(a, batch_axes=tuple(range(len(a) - 2)))
    b_ours, b_tf = inst.shape(b, batch_axes=tuple(range(len(b) - 2)))
    mine = ours(matmul_shape, a_ours, b_ours, ta, tb)

    def tf_side(concrete):
        shapes = (a, b) if concrete else (a_tf, b_tf)
        return traced(lambda x, y: tf().linalg.matmul(x, y, transpose_a=ta, transpose_b=tb),
                      (shapes[0], None), (shapes[1], None))

    differential("matmul_shape", mine, tf_side, inst, describe=f"a={a} b={b} ta={ta} tb={tb}")


@pytest.mark.parametrize("name", sorted(MATMUL_NAMES))
@examples(100)
@given(data=st.data())
def test_matmul_adapters_match_tf(name, data):
    """tf.matmul / tf.linalg.matmul / ``a @ b`` with transpose and adjoint flags, by keyword or by
    position, and literal operands."""
    draw = data.draw
    a, b, ta, tb = draw(matmul_cases())
    flags, positional = {}, []
    if name != "operator.matmul":
        style = draw(st.sampled_from(["keyword", "keyword", "positional", "both"]))
        if style == "positional":
            positional = [ta, tb]
        else:
            flags = {draw(st.sampled_from(["transpose_a", "adjoint_a"])): ta,
                     draw(st.sampled_from(["transpose_b", "adjoint_b"])): tb}
            if style == "both":  # transpose and adjoint both given: TF rejects if both are True
                flags["adjoint_a" if "transpose_a" in flags else "transpose_a"] = draw(st.booleans())
    elif ta or tb:
        return  # ``@`` has no flags
    b_literal = draw(st.sampled_from([False, False, False, True]))
    inst = Instance(data)
    a_val, a_tf = inst.tensor(a, batch_axes=tuple(range(len(a) - 2)))
    b_val, b_tf = (literal(b), None) if b_literal else inst.tensor(b, batch_axes=tuple(range(len(b) - 2)))
    mine = result_shape(call_op(name, a_val, b_val, *positional, **flags))

    def tf_side(concrete):
        fn = tf_function(name)
        if b_literal:
            return traced(lambda x: fn(x, literal(b), *positional, **flags), (a if concrete else a_tf, None))
        shapes = (a, b) if concrete else (a_tf, b_tf)
        return traced(lambda x, y: fn(x, y, *positional, **flags), (shapes[0], None), (shapes[1], None))

    differential(name, mine, tf_side, inst, describe=f"a={a} b={b} positional={positional} flags={flags}")


# -- broadcasting and elementwise ops ------------------------------------------------------------------


@st.composite
def broadcast_pairs(draw):
    """Two shapes that mostly broadcast: a common shape, each operand a suffix with some dims at 1."""
    common = draw(st.lists(st.integers(1, 5), min_size=0, max_size=4))

    def operand():
        rank = draw(st.integers(0, len(common)))
        dims = common[len(common) - rank:]
        return tuple(draw(st.sampled_from([d, d, 1, draw(st.integers(1, 5))])) for d in dims)

    return operand(), operand()


def broadcast_or_raise(a, b):
    out, clash = broadcast_shapes(a, b)
    if clash is not None:
        raise BroadcastMismatch(f"axis {clash} does not broadcast")
    return out


@examples(400)
@given(data=st.data())
def test_broadcast_shapes_matches_tf(data):
    a, b = data.draw(broadcast_pairs())
    inst = Instance(data, mode=data.draw(st.sampled_from(["concrete", "symbolic", "unknown"])))
    a_ours, a_tf = inst.shape(a, batch_axes=(0,) if a else ())
    b_ours, b_tf = inst.shape(b, batch_axes=(0,) if b else ())
    mine = ours(broadcast_or_raise, a_ours, b_ours)

    def tf_side(concrete):
        shapes = (a, b) if concrete else (a_tf, b_tf)
        return traced(lambda x, y: tf().add(x, y), (shapes[0], None), (shapes[1], None))

    differential("broadcast_shapes", mine, tf_side, inst, describe=f"a={a} b={b}")


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_NAMES))
@examples(10)
@given(data=st.data())
def test_elementwise_adapters_match_tf(name, data):
    """Every registered elementwise name against its TensorFlow op (or Python operator), with
    tensor, nested-list and scalar operands."""
    draw = data.draw
    a, b = draw(broadcast_pairs())
    value = True if dtype_for(name) == tf().bool else 1.5
    kinds = draw(st.sampled_from([("tensor", "tensor")] * 4 + [("tensor", "literal"), ("literal", "tensor")]))
    inst = Instance(data)
    operands, specs, concrete_specs, built = [], [], [], []
    for shape, kind in zip((a, b), kinds):
        if kind == "literal":
            operands.append(literal(shape, value))
            built.append(lambda _args, shape=shape: literal(shape, value))
        else:
            val, partial = inst.tensor(shape, batch_axes=(0,) if shape else ())
            operands.append(val)
            index = len(specs)
            built.append(lambda args, index=index: args[index])
            specs.append((partial, dtype_for(name)))
            concrete_specs.append((shape, dtype_for(name)))
    mine = result_shape(call_op(name, *operands))

    def tf_side(concrete):
        fn = tf_function(name)
        return traced(lambda *args: fn(built[0](args), built[1](args)), *(concrete_specs if concrete else specs))

    differential(name, mine, tf_side, inst, describe=f"a={a} b={b} operands={kinds}")


# -- bias_add ----------------------------------------------------------------------------------------------

BIAS_FORMATS = [None, "NHWC", "NCHW", "N...C", "NC...", "NWC", "NCW", "NDHWC", "NCDHW"]


@examples(300)
@given(data=st.data())
def test_bias_add_matches_tf(data):
    """NHWC/NCHW (and every ``N...C``/``NC...`` spelling), right and wrong bias sizes, bad ranks."""
    draw = data.draw
    x = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=5)))
    fmt = draw(st.sampled_from(BIAS_FORMATS))
    channel = x[1] if fmt and fmt.startswith("NC") and len(x) > 1 else x[-1]
    bias = draw(st.sampled_from([(channel,)] * 4 + [(draw(st.integers(1, 5)),), (), (1, channel)]))
    style = draw(st.sampled_from(["keyword", "positional"] if fmt else ["absent"]))
    inst = Instance(data)
    x_val, x_tf = inst.tensor(x)
    b_val, b_tf = inst.tensor(bias, batch_axes=())
    args = [x_val, b_val] + ([fmt] if style == "positional" else [])
    kwargs = {"data_format": fmt} if style == "keyword" else {}
    mine = result_shape(call_op("tf.nn.bias_add", *args, **kwargs))

    def tf_side(concrete):
        shapes = (x, bias) if concrete else (x_tf, b_tf)
        return traced(lambda v, b: tf().nn.bias_add(v, b, *args[2:], **kwargs), (shapes[0], None), (shapes[1], None))

    differential("tf.nn.bias_add", mine, tf_side, inst, describe=f"x={x} bias={bias} data_format={fmt!r}")


# -- shape-preserving ops ------------------------------------------------------------------------------------

# Extra arguments the TensorFlow call needs (our adapter reads only the tensor).
_EXTRA = {
    "tf.cast": lambda fn, x, shape: fn(x, tf().int32),
    "tf.clip_by_value": lambda fn, x, shape: fn(x, 0.0, 1.0),
    "tf.clip_by_norm": lambda fn, x, shape: fn(x, 1.0),
    "tf.ensure_shape": lambda fn, x, shape: fn(x, shape),
    "tf.nn.dropout": lambda fn, x, shape: fn(x, rate=0.5),
    "tf.nn.batch_normalization": lambda fn, x, shape: fn(x, 0.0, 1.0, None, None, 1e-3),
}


@pytest.mark.parametrize("name", sorted(SHAPE_PRESERVING_NAMES))
@examples(6)
@given(data=st.data())
def test_shape_preserving_ops_match_tf(name, data):
    """Every registered shape-preserving op: same shape out, or TF rejects the rank (a missed finding)."""
    x = tuple(data.draw(st.lists(st.integers(1, 5), min_size=0, max_size=5)))
    inst = Instance(data)
    x_val, x_tf = inst.tensor(x, batch_axes=(0,) if x else ())
    mine = result_shape(call_op(name, x_val))
    call = _EXTRA.get(name, lambda fn, t, shape: fn(t))
    dtype = dtype_for(name)

    def tf_side(concrete):
        fn = tf_function(name)
        return traced(lambda t: call(fn, t, x), (x if concrete else x_tf, dtype))

    differential(name, mine, tf_side, inst, describe=f"x={x}")
