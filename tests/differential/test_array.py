"""Reshapes and ``tf.shape`` vs TF: ``reshape_shape`` and the ``tf.reshape`` adapter (with its
batch-change detection, a documented silent bug that TF confirms by computing a wrong batch)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import Const, DimOrigin, ListVal, SymInt, TupleVal, fresh_tensor
from tfshapelint.ops.array import reshape_shape
from tfshapelint.ops.errors import BatchChange
from tfshapelint.shapes import dims

from .harness import (Instance, Rejected, call_op, differential, examples, fresh_symbol, kernel_rejects, ours,
                      result_shape, tf, traced)

pytestmark = pytest.mark.tf

RESHAPE_NAMES = {"tf.reshape": "tf.reshape", "tf.manip.reshape": "tf.compat.v1.manip.reshape"}

COVERED = {**{name: "reshape" for name in RESHAPE_NAMES}, "tf.shape": "shape"}


def factors(draw, count: int, length: int) -> list[int]:
    """``length`` sizes whose product is ``count`` (a random factorization)."""
    out, rest = [], count
    for _ in range(length - 1):
        size = draw(st.sampled_from([d for d in range(1, rest + 1) if rest % d == 0]))
        out.append(size)
        rest //= size
    return out + [rest] if length else []


@st.composite
def reshape_targets(draw, x: tuple) -> list[int]:
    """A target for ``x``: the right element count or a wrong one, with/without -1, and the
    malformed ones (two -1, a -2, a 0)."""
    total = math.prod(x)
    count = draw(st.sampled_from([total] * 4 + [total + draw(st.integers(1, 5)), 2 * total,
                                                 max(1, total - draw(st.integers(1, 3)))]))
    length = draw(st.integers(0 if count == 1 else 1, 4))
    target = factors(draw, count, length)
    change = draw(st.sampled_from(["none", "none", "infer", "infer", "infer", "two", "neg", "zero"]))
    if target and change == "infer":
        target[draw(st.integers(0, len(target) - 1))] = -1
    elif len(target) > 1 and change == "two":
        target[0] = target[-1] = -1
    elif target and change in ("neg", "zero"):
        target[draw(st.integers(0, len(target) - 1))] = -2 if change == "neg" else 0
    return target


@st.composite
def flatten_targets(draw, x: tuple) -> list[int]:
    """``[-1, k]``: the flatten of a batch, with ``k`` the size of an example, a divisor or a multiple
    of it (rows split or merge whole examples), or anything (rows straddle examples)."""
    example = math.prod(x[1:])
    divisors = [d for d in range(1, example + 1) if example % d == 0]
    return [-1, draw(st.sampled_from([example, example, draw(st.sampled_from(divisors)), 2 * example,
                                      draw(st.integers(1, 2 * example + 3))]))]


@examples(500)
@given(data=st.data())
def test_reshape_shape_matches_tf(data):
    x = tuple(data.draw(st.lists(st.integers(1, 6), min_size=0, max_size=4)))
    target = data.draw(reshape_targets(x))
    inst = Instance(data)
    x_ours, x_tf = inst.shape(x)
    mine = ours(reshape_shape, x_ours, tuple(target))

    def tf_side(concrete):
        return traced(lambda t: tf().reshape(t, target), (x if concrete else x_tf, None))

    differential("reshape_shape", mine, tf_side, inst, confirm=reshape_kernel_rejects(x, target),
                 describe=f"x={x} target={target}")


def reshape_kernel_rejects(x: tuple, target: list):
    """Errors TF's static inference lets pass (``[-1, -1]`` is ``(?, ?)`` to it) are confirmed by
    running the Reshape kernel on the concrete shapes."""
    def confirm(error, tf_result) -> bool:
        return not isinstance(error, BatchChange) and kernel_rejects(lambda t: tf().reshape(t, target), x)
    return confirm


def batch_changed(x: tuple, target: list):
    """A BatchChange is confirmed when TF, on the concrete batch, computes another leading size."""
    def confirm(error, tf_result) -> bool:
        if not isinstance(error, BatchChange):
            return reshape_kernel_rejects(x, target)(error, tf_result)
        return isinstance(tf_result, tuple) and tf_result[0] not in (None, x[0])
    return confirm


@pytest.mark.parametrize("name", sorted(RESHAPE_NAMES))
@examples(250)
@given(data=st.data())
def test_reshape_adapter_matches_tf(name, data):
    """``tf.reshape(x, [...])`` with a symbolic batch: items are ints, -1, sizes read from
    ``x.shape`` (symbolic ints) or from a weight's shape; the target a list, a tuple or a tensor."""
    draw = data.draw
    x = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4)))
    target = draw(st.one_of(reshape_targets(x), flatten_targets(x)))
    inst = Instance(data, mode=draw(st.sampled_from(["concrete", "symbolic", "symbolic", "unknown"])))
    x_val, x_tf = inst.tensor(x)
    items, dynamic = [], {}  # dynamic: target index -> axis of x it is read from
    for index, size in enumerate(target):
        axes = [axis for axis, d in enumerate(x) if d == size and isinstance(x_val.shape[axis], dims.Expr)]
        if axes and draw(st.booleans()):
            axis = draw(st.sampled_from(axes))
            items.append(SymInt(x_val.shape[axis], DimOrigin(x_val, axis)))
            dynamic[index] = axis
        elif index == 1 and len(target) == 2 and size > 0 and draw(st.booleans()):
            weight = fresh_tensor((size, 10), kind="variable")  # ``tf.reshape(x, [-1, w.shape[0]])``
            items.append(Const(size, DimOrigin(weight, 0)))
        else:
            items.append(Const(size))
    form = draw(st.sampled_from(["list", "list", "tuple", "tensor"]))
    if form == "tensor":
        shape_arg = fresh_tensor((len(target),), kind="shape_tensor")
    else:
        shape_arg = (ListVal if form == "list" else TupleVal)(tuple(items))
    mine = result_shape(call_op(name, x_val, shape_arg))

    def tf_side(concrete):
        op = tf().compat.v1.manip.reshape if name == "tf.manip.reshape" else tf().reshape
        if form == "tensor":
            return traced(op, (x if concrete else x_tf, None), ((len(target),), tf().int32))
        if concrete or not dynamic:
            return traced(lambda t: op(t, target), (x if concrete else x_tf, None))
        return traced(lambda t: op(t, tf().stack([tf().shape(t)[dynamic[i]] if i in dynamic else size
                                                    for i, size in enumerate(target)])), (x_tf, None))

    # a shape tensor's values are unknown to us; TF may still infer a rank-1 size
    differential(name, mine, tf_side, inst, confirm=batch_changed(x, target),
                 exact=False if form == "tensor" else None,
                 describe=f"x={x} target={target} dynamic={dynamic} form={form}")


def test_batch_change_is_a_wrong_batch_in_tf():
    """The TSL002 example: a Nx28x28x1 batch reshaped to [-1, 1000] has 784N/1000 rows; TF raises
    for a batch of 1 and silently computes 784 rows for a batch of 1000."""
    x = fresh_tensor((fresh_symbol("N"), 28, 28, 1))
    error = call_op("tf.reshape", x, [-1, 1000])
    assert isinstance(error, BatchChange)
    assert isinstance(traced(lambda t: tf().reshape(t, [-1, 1000]), ((1, 28, 28, 1), None)), Rejected)
    assert traced(lambda t: tf().reshape(t, [-1, 1000]), ((1000, 28, 28, 1), None)) == (784, 1000)


@examples(100)
@given(data=st.data())
def test_shape_op_matches_tf(data):
    """``tf.shape(x)`` is a rank-1 int tensor of ``rank(x)`` entries."""
    known_rank = data.draw(st.booleans())
    x = tuple(data.draw(st.lists(st.integers(1, 5), min_size=0, max_size=5))) if known_rank else None
    inst = Instance(data)
    x_val, x_tf = inst.tensor(x)
    mine = result_shape(call_op("tf.shape", x_val))

    def tf_side(concrete):
        return traced(lambda t: tf().shape(t), (x if concrete else x_tf, None))

    differential("tf.shape", mine, tf_side, inst, exact=known_rank, describe=f"x={x}")
