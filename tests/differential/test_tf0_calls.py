"""TF 0.x's renamed functions (ops/tf0_calls.py) vs the TensorFlow functions that replaced them, and
the sampled losses (ops/sampled_losses.py) in TensorFlow 1.0's argument order, vs TF.

A renamed name (``tf.pack``) no longer exists in TensorFlow; its shapes are those of its new name
(``tf.stack``) called with the same arguments, which is what the TF 0.x program meant. The LegacyCall
finding those calls also get (TSL015) is not what is compared here: the shape the analysis goes on
with is.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.ops import registry
from tfshapelint.ops.errors import LegacyCall, ShapeError

from .harness import abstract, differential, examples, fresh_symbol, ours, resolve, result_shape, tf, traced
from .test_math import broadcast_pairs

pytestmark = pytest.mark.tf

# name -> the TensorFlow function that replaced it (tf.select: TF1's where, which picks rows by a
# vector condition; batch_matmul: matmul, whose batch dimensions it had)
NEW_NAMES = {"tf.pack": "tf.stack", "tf.unpack": "tf.unstack", "tf.mul": "tf.multiply", "tf.sub": "tf.subtract",
             "tf.neg": "tf.negative", "tf.inv": "tf.math.reciprocal", "tf.complex_abs": "tf.abs",
             "tf.select": "tf.compat.v1.where", "tf.batch_matmul": "tf.linalg.matmul"}
SAMPLED = ("tf.nn.nce_loss", "tf.nn.sampled_softmax_loss")

COVERED = {**{name: "renamed" for name in NEW_NAMES}, **{name: "sampled_loss" for name in SAMPLED}}


def ours_going_on(name: str, *args, **kwargs):
    """Our shape for the call, past its LegacyCall finding (any other error is the result); of the
    first item when the call gives a list of tensors (``unpack``)."""
    errors: list = []

    def report(error, *_):
        if not isinstance(error, LegacyCall):
            errors.append(error)

    call = registry.Call(name=registry.canonical(name), args=[abstract(a) for a in args],
                         kwargs={k: abstract(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol,
                         reporter=report)
    result = ours(registry.lookup(name), call)
    if errors and not isinstance(result, ShapeError):
        return errors[0]
    if isinstance(result, ShapeError):
        return result
    items = getattr(result, "items", None)
    if isinstance(items, tuple):
        return result_shape(items[0]) if items else None
    return result_shape(result)


def tensor(shape: tuple):
    from tfshapelint.domain.values import TensorVal

    return TensorVal(tuple(shape))


shapes = st.lists(st.integers(1, 4), min_size=0, max_size=4).map(tuple)


@examples(150)
@given(name=st.sampled_from(["tf.mul", "tf.sub"]), pair=broadcast_pairs())
def test_binary(name, pair):
    a, b = pair
    mine = ours_going_on(name, tensor(a), tensor(b))
    new = resolve(NEW_NAMES[name])
    differential(name, mine, lambda _: traced(lambda x, y: new(x, y), (a, None), (b, None)), exact=False,
                 describe=f"a={a} b={b}")


@examples(60)
@given(name=st.sampled_from(["tf.neg", "tf.inv", "tf.complex_abs"]), shape=shapes)
def test_unary(name, shape):
    mine = ours_going_on(name, tensor(shape))
    new = resolve(NEW_NAMES[name])
    differential(name, mine, lambda _: traced(lambda x: new(x), (shape, None)), exact=False, describe=f"x={shape}")


@examples(150)
@given(data=st.data())
def test_pack(data):
    first = data.draw(shapes)
    count = data.draw(st.integers(1, 3))
    items = [first if data.draw(st.booleans()) else data.draw(shapes) for _ in range(count)]
    axis = data.draw(st.integers(-len(first) - 1, len(first)))
    mine = ours_going_on("tf.pack", [tensor(s) for s in items], axis=axis)
    specs = [(s, None) for s in items]
    differential("tf.pack", mine, lambda _: traced(lambda *xs: tf().stack(list(xs), axis=axis), *specs),
                 exact=False, describe=f"items={items} axis={axis}")


@examples(100)
@given(data=st.data())
def test_unpack(data):
    shape = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    mine = ours_going_on("tf.unpack", tensor(shape), axis=axis)  # one of the equal pieces

    def tf_side(_):
        return traced(lambda x: tf().unstack(x, axis=axis)[0], (shape, None))

    differential("tf.unpack", mine, tf_side, exact=False, describe=f"x={shape} axis={axis}")


@examples(100)
@given(data=st.data())
def test_select(data):
    x = data.draw(st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple))
    cond = data.draw(st.sampled_from([x, x[:1], data.draw(shapes)]))
    y = data.draw(st.sampled_from([x, x, data.draw(shapes)]))
    mine = ours_going_on("tf.select", tensor(cond), tensor(x), tensor(y))
    where = tf().compat.v1.where
    differential("tf.select", mine,
                 lambda _: traced(lambda c, a, b: where(c, a, b), (cond, tf().bool), (x, None), (y, None)),
                 exact=False, describe=f"cond={cond} x={x} y={y}")


@examples(150)
@given(data=st.data())
def test_batch_matmul(data):
    batch = data.draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    m, k, n = (data.draw(st.integers(1, 5)) for _ in range(3))
    k_b = data.draw(st.sampled_from([k, k, data.draw(st.integers(1, 5))]))
    a, b = (*batch, m, k), (*batch, k_b, n)
    mine = ours_going_on("tf.batch_matmul", tensor(a), tensor(b))
    differential("tf.batch_matmul", mine, lambda _: traced(lambda x, y: tf().linalg.matmul(x, y), (a, None), (b, None)),
                 exact=False, describe=f"a={a} b={b}")


@examples(60)
@given(data=st.data())
def test_sampled_losses_in_tf1_order(data):
    name = data.draw(st.sampled_from(SAMPLED))
    vocabulary, size, batch = (data.draw(st.integers(2, 6)) for _ in range(3))
    num_true = data.draw(st.integers(1, 2))
    inputs_width = data.draw(st.sampled_from([size, size, data.draw(st.integers(1, 6))]))
    weights, biases, labels, inputs = (vocabulary, size), (vocabulary,), (batch, num_true), (batch, inputs_width)
    mine = ours_going_on(name, tensor(weights), tensor(biases), tensor(labels), tensor(inputs), 1, vocabulary,
                         num_true=num_true)
    loss = resolve(name)

    def tf_side(_):
        return traced(lambda w, b, y, x: loss(w, b, y, x, 1, vocabulary, num_true=num_true),
                      (weights, None), (biases, None), (labels, tf().int64), (inputs, None))

    differential(name, mine, tf_side, exact=False, describe=f"w={weights} labels={labels} inputs={inputs}")
