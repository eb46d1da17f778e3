"""Tensors that start a computation vs TF: placeholders (``None`` dims become our symbols),
shaped constructors, constants, ``*_like``, variables and initializer objects.

Placeholders and variables are built in a TF1 graph (``tf.compat.v1``), initializers called
eagerly (Keras ones run tiny CPU kernels), everything else traced.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import Const, ObjectVal, fresh_tensor
from tfshapelint.shapes import dims

from .harness import (VERDICTS, Instance, Rejected, call_op, differential, eager, examples, in_graph, placeholders,
                      resolve, result_shape, tf, traced)

pytestmark = pytest.mark.tf

PLACEHOLDER_NAMES = ("tf.placeholder", "tf.placeholder_with_default")

# Registered name -> how TF is called with the shape (``fill``'s and the stateless ops' extra arguments).
SHAPED_NAMES = {
    "tf.zeros": None, "tf.ones": None, "tf.random.normal": None, "tf.random_normal": None,
    "tf.random.uniform": None, "tf.random_uniform": None, "tf.random.truncated_normal": None,
    "tf.truncated_normal": None,
    "tf.random.stateless_normal": {"seed": [1, 2]}, "tf.random.stateless_uniform": {"seed": [1, 2]},
    "tf.random.stateless_truncated_normal": {"seed": [1, 2]},
    "tf.fill": {"value": 1.0},
}

CONSTANT_NAMES = ("tf.constant", "tf.convert_to_tensor")
LIKE_NAMES = ("tf.zeros_like", "tf.ones_like")
VARIABLE_NAMES = ("tf.Variable", "tf.get_variable")

INITIALIZER_NAMES = (
    "tf.random_normal_initializer", "tf.truncated_normal_initializer", "tf.random_uniform_initializer",
    "tf.glorot_uniform_initializer", "tf.glorot_normal_initializer", "tf.zeros_initializer",
    "tf.ones_initializer", "tf.constant_initializer", "tf.variance_scaling_initializer",
    "tf.initializers.random_normal", "tf.initializers.truncated_normal", "tf.initializers.glorot_uniform",
    "tf.initializers.GlorotUniform", "tf.initializers.GlorotNormal", "tf.initializers.RandomNormal",
    "tf.initializers.TruncatedNormal", "tf.initializers.Zeros", "tf.initializers.Ones",
    "tf.keras.initializers.GlorotUniform", "tf.keras.initializers.GlorotNormal",
    "tf.keras.initializers.RandomNormal", "tf.keras.initializers.TruncatedNormal",
    "tf.keras.initializers.HeNormal", "tf.keras.initializers.HeUniform", "tf.keras.initializers.Zeros",
    "tf.keras.initializers.Ones",
)

COVERED = {
    **{name: "placeholder" for name in PLACEHOLDER_NAMES},
    **{name: "shaped" for name in SHAPED_NAMES}, "tf.random_gamma": "shaped",
    **{name: "constant" for name in CONSTANT_NAMES},
    **{name: "like" for name in LIKE_NAMES},
    **{name: "variable" for name in VARIABLE_NAMES},
    **{name: "initializer" for name in INITIALIZER_NAMES}, "Initializer.__call__": "initializer",
}


def literal(shape: tuple, value=1.0):
    if not shape:
        return value
    return [literal(shape[1:], value) for _ in range(shape[0])]


def shape_args(draw, shape: list):
    """A shape argument as users write it: a list, a tuple, or an int for rank 1."""
    form = draw(st.sampled_from(["list", "list", "tuple"] + (["int"] if len(shape) == 1 else [])))
    return shape[0] if form == "int" else (list(shape) if form == "list" else tuple(shape))


def assert_symbols_for_nones(mine, tf_shape, what: str) -> None:
    """TF's static shape of a placeholder: each ``None`` must be a fresh symbol of ours, every size equal."""
    VERDICTS[(what.split("(")[0], "both accept")] += 1
    if tf_shape is None:
        assert mine is None, f"{what}: TF has an unknown rank, we have {mine}"
        return
    assert isinstance(mine, tuple) and len(mine) == len(tf_shape), f"{what}: ours {mine} vs TF {tf_shape}"
    symbols = [d for d, t in zip(mine, tf_shape) if t is None]
    for ours_dim, tf_dim in zip(mine, tf_shape):
        if tf_dim is None:
            assert isinstance(ours_dim, dims.Expr), f"{what}: TF's None is {ours_dim!r} for us, not a symbol"
        else:
            assert ours_dim == tf_dim, f"{what}: ours {mine} vs TF {tf_shape}"
    assert len(set(map(str, symbols))) == len(symbols), f"{what}: two None dims share a symbol: {mine}"


# -- placeholders ---------------------------------------------------------------------------------------


@examples(200)
@given(data=st.data())
def test_placeholder_matches_tf(data):
    draw = data.draw
    rank = draw(st.sampled_from([None, 0, 1, 2, 3, 4]))
    shape = None if rank is None else draw(st.lists(st.one_of(st.none(), st.integers(1, 9)), min_size=rank,
                                                    max_size=rank))
    arg = None if shape is None else shape_args(draw, shape) if None not in shape else list(shape)
    by_keyword = draw(st.booleans())
    args = [Const("float32")] + ([] if by_keyword else [arg])
    kwargs = {"shape": arg} if by_keyword else {}
    if arg is None and draw(st.booleans()):
        args, kwargs = [Const("float32")], {}  # no shape at all
    mine = result_shape(call_op("tf.placeholder", *args, **kwargs))
    got = in_graph(lambda: tf().compat.v1.placeholder(tf().float32, *[a for a in args[1:]], **kwargs))
    assert_symbols_for_nones(mine, got, f"tf.placeholder({arg})")


@examples(150)
@given(data=st.data())
def test_placeholder_with_default_matches_tf(data):
    draw = data.draw
    default = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=3)))
    shape = [draw(st.sampled_from([d, d, d, d, None, None, d + 1])) for d in default]
    if draw(st.integers(0, 3)) == 0:
        shape = shape[1:]  # another rank: TF rejects
    default_is_literal = draw(st.booleans())
    default_val = literal(default) if default_is_literal else fresh_tensor(default)
    mine = result_shape(call_op("tf.placeholder_with_default", default_val, shape))

    def build():
        value = literal(default) if default_is_literal else tf().zeros(default)
        return tf().compat.v1.placeholder_with_default(value, shape)

    got = in_graph(build)
    if isinstance(got, Rejected):
        differential("tf.placeholder_with_default", mine, lambda concrete: got, describe=f"{default} as {shape}")
    else:
        assert_symbols_for_nones(mine, got, f"tf.placeholder_with_default({default}, {shape})")


# -- shaped constructors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SHAPED_NAMES))
@examples(25)
@given(data=st.data())
def test_shaped_constructors_match_tf(name, data):
    """zeros/ones/random*/fill: the shape argument is the shape (or TF rejects a None/negative size)."""
    draw = data.draw
    shape = draw(st.lists(st.integers(0, 5), min_size=0, max_size=4))
    bad = draw(st.sampled_from([None] * 8 + ["none", "negative"]))
    if shape and bad:
        shape[draw(st.integers(0, len(shape) - 1))] = None if bad == "none" else -1
    arg = shape_args(draw, shape)
    extra = SHAPED_NAMES[name] or {}
    mine = result_shape(call_op(name, arg, **extra))
    differential(name, mine, lambda concrete: traced(lambda: resolve(name)(arg, **extra)),
                 exact=None not in shape, describe=f"shape={arg!r}")


@examples(150)
@given(data=st.data())
def test_random_gamma_matches_tf(data):
    """``random_gamma(shape, alpha, beta)`` draws ``shape`` samples per distribution: the output is
    ``shape + broadcast(alpha, beta)``."""
    draw = data.draw
    shape = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    alpha = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    beta = draw(st.sampled_from([None, None, (), alpha, (1,) + alpha, alpha[1:]]))
    alpha_is_tensor = draw(st.booleans())
    alpha_val = fresh_tensor(alpha) if alpha_is_tensor else literal(alpha)
    kwargs = {} if beta is None else {"beta": literal(beta)}
    mine = result_shape(call_op("tf.random_gamma", shape, alpha_val, **kwargs))

    def tf_side(concrete):
        if alpha_is_tensor:
            return traced(lambda a: resolve("tf.random_gamma")(shape, a, **kwargs), (alpha, None))
        return traced(lambda: resolve("tf.random_gamma")(shape, literal(alpha), **kwargs))

    differential("tf.random_gamma", mine, tf_side, describe=f"shape={shape} alpha={alpha} beta={beta}")


# -- constants and *_like -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONSTANT_NAMES)
@examples(100)
@given(data=st.data())
def test_constants_match_tf(name, data):
    """``tf.constant(value[, dtype, shape])`` (TF2 and TF1 semantics) and ``tf.convert_to_tensor``."""
    draw = data.draw
    value_shape = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=3)))
    value = literal(value_shape, 2.0)
    if value_shape and draw(st.integers(0, 9)) == 0:
        value = [literal(value_shape[1:], 2.0), literal(value_shape[1:] + (1,), 2.0)]  # ragged: TF rejects
    args, kwargs = [value], {}
    oracle = name
    if name == "tf.constant":
        oracle = draw(st.sampled_from(["tf.constant", "tf.compat.v1.constant"]))
        form = draw(st.sampled_from(["none", "keyword", "positional"]))
        count = math.prod(value_shape)
        if form != "none":
            total = draw(st.sampled_from([count, count, 1 if count > 1 else 2, 2 * count]))
            shape = [total] if draw(st.booleans()) else [1, total]
            if form == "keyword":
                kwargs["shape"] = shape
            else:
                args += [None, shape]
    mine = result_shape(call_op(name, *args, **kwargs))
    differential(name, mine, lambda concrete: traced(lambda: resolve(oracle)(*args, **kwargs)),
                 exact=False, describe=f"as {oracle}: args={args} kwargs={kwargs}")


@pytest.mark.parametrize("name", LIKE_NAMES)
@examples(75)
@given(data=st.data())
def test_like_ops_match_tf(name, data):
    x = tuple(data.draw(st.lists(st.integers(1, 4), min_size=0, max_size=4)))
    is_literal = data.draw(st.sampled_from([False, False, True]))
    inst = Instance(data, mode="concrete" if is_literal else None)
    if is_literal:
        mine = result_shape(call_op(name, literal(x)))
        differential(name, mine, lambda concrete: traced(lambda: resolve(name)(literal(x))), inst)
        return
    x_val, x_tf = inst.tensor(x)
    mine = result_shape(call_op(name, x_val))
    differential(name, mine, lambda concrete: traced(resolve(name), (x if concrete else x_tf, None)), inst,
                 describe=f"x={x}")


# -- variables ------------------------------------------------------------------------------------------------


@examples(150)
@given(data=st.data())
def test_variable_matches_tf(data):
    """``tf.Variable(initial)`` from a tensor or a literal (TF rejects partially known initial values)."""
    draw = data.draw
    x = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=3)))
    source = draw(st.sampled_from(["tensor", "literal", "placeholder"]))
    inst = Instance(data, mode="concrete" if source != "placeholder" else "unknown")
    if source == "literal":
        mine = result_shape(call_op("tf.Variable", literal(x)))
        differential("tf.Variable", mine, lambda concrete: in_graph(lambda: tf().Variable(literal(x))),
                     describe=f"initial literal {x}")
        return
    x_val, x_tf = inst.tensor(x)
    mine = result_shape(call_op("tf.Variable", x_val))

    def tf_side(concrete):
        if concrete or source == "tensor":
            return in_graph(lambda: tf().Variable(tf().zeros(x)))
        return in_graph(lambda: tf().Variable(placeholders((x_tf, None))[0]))  # partially known initial value

    differential("tf.Variable", mine, tf_side, inst, describe=f"initial {source} {x}")


@examples(150)
@given(data=st.data())
def test_get_variable_matches_tf(data):
    """``tf.get_variable(name, shape[, initializer=...])`` or with a tensor initializer and no shape."""
    draw = data.draw
    shape = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    form = draw(st.sampled_from(["shape", "shape", "shape_keyword", "initializer_tensor", "none_dim"]))
    if form == "none_dim" and shape:
        shape[0] = None
    v1 = tf().compat.v1
    if form == "initializer_tensor":
        mine = result_shape(call_op("tf.get_variable", "v", initializer=fresh_tensor(tuple(shape))))
        got = in_graph(lambda: v1.get_variable("v", initializer=tf().zeros(shape)))
    elif form == "shape_keyword":
        mine = result_shape(call_op("tf.get_variable", "v", shape=shape))
        got = in_graph(lambda: v1.get_variable("v", shape=shape))
    else:
        mine = result_shape(call_op("tf.get_variable", "v", shape))
        got = in_graph(lambda: v1.get_variable("v", shape))
    differential("tf.get_variable", mine, lambda concrete: got, exact=form != "none_dim",
                 describe=f"{form} {shape}")


# -- initializers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", INITIALIZER_NAMES)
@examples(8)
@given(data=st.data())
def test_initializers_match_tf(name, data):
    """Every registered initializer class, constructed and called with a shape (``init(shape)``)."""
    draw = data.draw
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    arg = shape_args(draw, shape)
    obj = call_op(name)
    assert isinstance(obj, ObjectVal), f"{name} is not an initializer object for us: {obj!r}"
    by_keyword = draw(st.booleans())
    mine = call_op("Initializer.__call__", obj, **{"shape": arg}) if by_keyword else \
        call_op("Initializer.__call__", obj, arg)
    mine = result_shape(mine)
    got = eager(lambda: resolve(name)()(shape=arg) if by_keyword else resolve(name)()(arg))
    differential(name, mine, lambda concrete: got, describe=f"init({arg!r})")
