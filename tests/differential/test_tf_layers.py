"""tf.layers and tf-slim (ops/tf_layers.py) vs the real functions in a TF1 ``tf.Graph``.

* ``tf.layers.*`` (``tf.compat.v1.layers``) exists only with ``TF_USE_LEGACY_KERAS=1``, which
  makes it ``tf_keras.api._v1.keras.__internal__.legacy.layers`` (TF's
  ``_api/v2/compat/v1/__init__.py``): that module is the oracle, imported directly, so Keras 3 stays
  the ``tf.keras`` of the other suites in this process. Arguments are drawn by the Keras layer
  strategies (test_keras_layers), keeping those the function accepts.
* ``slim.*`` is ``tf_slim``, which is also what ``tf.contrib.layers`` / ``tf.contrib.framework``
  became (the ``tf.contrib.*`` names are checked against the same functions).
* ``slim.arg_scope`` and the context managers that change no defaults (``tf.variable_scope``,
  ``tf.name_scope``, ``tf.device``...) are checked as the ``with`` context of a slim call: the
  defaults a scope sets, or keeps, must be the ones real slim uses.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import ApiRef, ListVal
from tfshapelint.ops import registry
from tfshapelint.ops.tf_layers import _TF_LAYERS

from .harness import Disagreement, differential, examples, fresh_symbol, in_graph, ours, result_shape, tf
from .keras_support import Inputs, abstract, batch_size, our_call
from .test_keras_layers import any_example, conv_case, pool_case, spatial_rank

pytestmark = pytest.mark.tf

TF_LAYER_CLASSES = ("Conv1D", "Conv2D", "Conv3D", "Dense", "Flatten", "MaxPooling2D", "AveragePooling2D", "Dropout",
                    "BatchNormalization")

SLIM_CONV = {"slim.conv2d": 2, "slim.convolution2d": 2, "slim.conv1d": 1, "slim.conv3d": 3, "slim.convolution": None,
             "tf.contrib.layers.conv2d": 2}
SLIM_POOL = {"slim.max_pool2d": 2, "slim.avg_pool2d": 2, "slim.max_pool3d": 3, "slim.avg_pool3d": 3,
             "tf.contrib.layers.max_pool2d": 2, "tf.contrib.layers.avg_pool2d": 2}
SLIM_OTHER = ("slim.fully_connected", "tf.contrib.layers.fully_connected", "slim.flatten", "tf.contrib.layers.flatten",
              "slim.dropout", "tf.contrib.layers.dropout", "slim.batch_norm", "tf.contrib.layers.batch_norm",
              "slim.layer_norm")
SCOPES = ("tf.variable_scope", "tf.name_scope", "tf.device", "tf.control_dependencies", "tf.variable_op_scope",
          "tf.GradientTape", "tf.init_scope", "tf.keras.backend.name_scope")
ARG_SCOPES = ("slim.arg_scope", "tf.contrib.framework.arg_scope")

COVERED = {
    **{f"tf.layers.{name}": "tf_layers_function" for name in _TF_LAYERS},
    **{f"tf.layers.{name}": "tf_layers_class" for name in TF_LAYER_CLASSES},
    **{name: "slim_conv" for name in SLIM_CONV}, **{name: "slim_pool" for name in SLIM_POOL},
    **{name: "slim_layer" for name in SLIM_OTHER}, "slim.repeat": "slim_repeat",
    **{name: "scope" for name in SCOPES}, **{name: "arg_scope" for name in ARG_SCOPES},
}


@functools.cache
def v1_layers():
    tf()
    import tf_keras.api._v1.keras.__internal__.legacy.layers as layers

    return layers


@functools.cache
def slim():
    tf()
    import tf_slim

    return tf_slim


@contextlib.contextmanager
def slim_compat():
    """tf_slim 1.1 predates TF 2.16: its ``batch_norm`` reads ``ops.Tensor`` (now ``tf.Tensor``) and
    imports ``tf_keras.legacy_tf_layers`` (now ``tf_keras.src.legacy_tf_layers``). While a slim
    call runs, the old names are aliases of the new homes, so that slim's own code is the oracle."""
    from tensorflow.python.framework import ops
    import tf_keras.src.legacy_tf_layers as legacy
    import tf_keras.src.legacy_tf_layers.normalization as normalization

    added_tensor = not hasattr(ops, "Tensor")
    modules = {"tf_keras.legacy_tf_layers": legacy, "tf_keras.legacy_tf_layers.normalization": normalization}
    added = [name for name in modules if name not in sys.modules]
    if added_tensor:
        ops.Tensor = tf().Tensor
    for name in added:
        sys.modules[name] = modules[name]
    try:
        yield
    finally:
        if added_tensor:
            del ops.Tensor
        for name in added:
            del sys.modules[name]


def slim_function(name: str):
    """``slim.x`` and ``tf.contrib.layers.x`` / ``tf.contrib.framework.x`` are tf_slim's ``x``."""
    return getattr(slim(), name.split(".")[-1])


def placeholder(shape):
    return tf().compat.v1.placeholder(tf().float32, shape)


def graph_side(build, inputs: Inputs):
    """``tf_side`` for one input: ``build(placeholder)`` in a fresh graph."""
    return lambda concrete: in_graph(lambda: build(placeholder(inputs.shapes(concrete)[0])))


def check(op: str, mine, build, inputs: Inputs, describe: str, exact=None) -> str:
    verdict = differential(op, mine, graph_side(build, inputs), inputs.inst, exact=exact, describe=describe)
    inputs.check_batch(mine, f"{op}: {describe}\n  ours={mine}")
    return verdict


def call_ours(name: str, *args, context=(), **kwargs):
    """A registered adapter, its ``with`` contexts given (values built by the registry)."""
    fn = registry.lookup(name)
    assert fn is not None, name
    call = registry.Call(name=registry.canonical(name), args=[abstract(a) for a in args],
                         kwargs={k: abstract(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol,
                         context=tuple(context))
    return result_shape(ours(fn, call))


# -- tf.layers ---------------------------------------------------------------------------------------


def accepted_kwargs(fn, kwargs: dict) -> dict:
    parameters = inspect.signature(fn).parameters
    return {k: v for k, v in kwargs.items() if k in parameters}


@st.composite
def tf_layer_case(draw, class_name: str):
    """(args, kwargs, example) for the Keras class behind a tf.layers function."""
    if "Conv" in class_name:
        spec, (example,), _ = draw(conv_case(class_name))
    elif "Pooling" in class_name:
        spec, (example,), _ = draw(pool_case(class_name))
        if "pool_size" not in spec.kwargs:  # the tf.layers pools have no default window
            spec = type(spec)(spec.name, spec.args, {**spec.kwargs, "pool_size": draw(st.integers(1, 3))})
        kwargs = dict(spec.kwargs)
        strides = kwargs.pop("strides", None)
        args = (kwargs.pop("pool_size"), strides if strides is not None else draw(st.integers(1, 3)))
        return args, kwargs, example
    elif class_name == "Dense":
        return (draw(st.integers(1, 4)),), {}, any_example(draw, 0, 3)
    elif class_name == "Dropout":
        return (), {"rate": 0.5}, any_example(draw, 0, 3)
    elif class_name == "BatchNormalization":
        return (), ({"axis": draw(st.integers(-3, 2))} if draw(st.booleans()) else {}), any_example(draw, 0, 3)
    else:  # Flatten
        return (), {}, any_example(draw, 0, 3)
    return spec.args, dict(spec.kwargs), example


@pytest.mark.parametrize("function", sorted(_TF_LAYERS))
@examples(20)
@given(data=st.data())
def test_tf_layers_function(function, data):
    """``tf.layers.conv2d(x, ...)`` and friends (built and called at once)."""
    class_name = _TF_LAYERS[function][0]
    args, kwargs, example = data.draw(tf_layer_case(class_name))
    fn = getattr(v1_layers(), function)
    kwargs = accepted_kwargs(fn, kwargs)
    inputs = Inputs(data, [example], batch_size(data))
    mine = call_ours(f"tf.layers.{function}", inputs.values[0], *args, **kwargs)
    check(f"tf.layers.{function}", mine, lambda x: fn(x, *args, **kwargs), inputs,
          f"{function}(x, *{args}, **{kwargs}) on {inputs.concrete}")


@pytest.mark.parametrize("class_name", TF_LAYER_CLASSES)
@examples(15)
@given(data=st.data())
def test_tf_layers_class(class_name, data):
    """``tf.layers.Conv2D(...)`` then called: a Keras layer of tf.layers."""
    args, kwargs, example = data.draw(tf_layer_case(class_name))
    cls = getattr(v1_layers(), class_name)
    kwargs = accepted_kwargs(cls.__init__, kwargs) if "kwargs" not in inspect.signature(cls.__init__).parameters \
        else {k: v for k, v in kwargs.items() if k not in ("groups", "output_padding")}
    inputs = Inputs(data, [example], batch_size(data))
    obj = registry.lookup(f"tf.layers.{class_name}")(registry.Call(
        name=f"tf.layers.{class_name}", args=[abstract(a) for a in args],
        kwargs={k: abstract(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol))
    mine = our_call(obj, inputs.values[0])
    # Legacy Keras convolves an input of more than n + 2 dims over its last n + 1 (the others are
    # batch dims); we leave its shape unknown (silent): an imprecision, not a disagreement.
    extra_batch_dims = "Conv" in class_name and len(example) > spatial_rank(class_name) + 1
    check(f"tf.layers.{class_name}", mine, lambda x: cls(*args, **kwargs)(x), inputs,
          f"{class_name}(*{args}, **{kwargs}) on {inputs.concrete}", exact=False if extra_batch_dims else None)


# -- slim --------------------------------------------------------------------------------------------------

FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def spatial_arg(draw, n: int, lo: int, hi: int, label: str):
    values = [draw(st.integers(lo, hi), label=label) for _ in range(n)]
    form = draw(st.sampled_from(["int", "list", "list", "bad"] if n > 1 else ["int", "list"]), label=f"{label} form")
    return values[0] if form == "int" else values if form == "list" else values + values[:1]


def slim_image(draw, n: int, first: bool) -> tuple:
    spatial = [draw(st.integers(1, 9 if n < 3 else 5), label="size") for _ in range(n)]
    channels = draw(st.integers(1, 4), label="channels")
    return (channels, *spatial) if first else (*spatial, channels)


@st.composite
def slim_conv_case(draw, n: int):
    kwargs: dict = {}
    if draw(st.booleans()):
        kwargs["stride"] = spatial_arg(draw, n, 1, 3, "stride")
    if draw(st.booleans()):
        kwargs["padding"] = draw(st.sampled_from(["SAME", "VALID", "same"]), label="padding")
    first = False
    if draw(st.booleans()):
        fmt = draw(st.sampled_from([None, *FORMATS[n]]), label="data_format")
        kwargs["data_format"] = fmt
        first = fmt is not None and fmt.startswith("NC")
    if draw(st.integers(0, 3)) == 0:
        kwargs["rate"] = spatial_arg(draw, n, 1, 2, "rate")
    args = (draw(st.integers(1, 4), label="num_outputs"), spatial_arg(draw, n, 1, 4, "kernel"))
    return args, kwargs, slim_image(draw, n, first)


@st.composite
def slim_pool_case(draw, n: int):
    kwargs: dict = {}
    if draw(st.booleans()):
        kwargs["stride"] = spatial_arg(draw, n, 1, 3, "stride")
    if draw(st.booleans()):
        kwargs["padding"] = draw(st.sampled_from(["SAME", "VALID"]), label="padding")
    first = False
    if draw(st.booleans()):
        fmt = draw(st.sampled_from(FORMATS[n]), label="data_format")
        kwargs["data_format"] = fmt
        first = fmt.startswith("NC")
    return (spatial_arg(draw, n, 1, 4, "kernel"),), kwargs, slim_image(draw, n, first)


@pytest.mark.parametrize("name", sorted(SLIM_CONV))
@examples(20)
@given(data=st.data())
def test_slim_conv(name, data):
    n = SLIM_CONV[name] or data.draw(st.integers(1, 3), label="n")
    args, kwargs, example = data.draw(slim_conv_case(n))
    run_slim(name, data, args, kwargs, example)


@pytest.mark.parametrize("name", sorted(SLIM_POOL))
@examples(20)
@given(data=st.data())
def test_slim_pool(name, data):
    args, kwargs, example = data.draw(slim_pool_case(SLIM_POOL[name]))
    run_slim(name, data, args, kwargs, example)


@pytest.mark.parametrize("name", SLIM_OTHER)
@examples(12)
@given(data=st.data())
def test_slim_layer(name, data):
    args = (data.draw(st.integers(1, 4), label="num_outputs"),) if name.endswith("fully_connected") else ()
    run_slim(name, data, args, {}, any_example(data.draw, 0, 3))


def run_slim(name: str, data, args: tuple, kwargs: dict, example: tuple, context=(), real_context=None,
             label: str = "") -> str:
    inputs = Inputs(data, [example], batch_size(data))
    mine = call_ours(name, inputs.values[0], *args, context=context, **kwargs)
    fn = slim_function(name)

    def build(x):
        with slim_compat(), (real_context or contextlib.nullcontext)():
            return fn(x, *args, **kwargs)

    return check(label or name, mine, build, inputs, f"{name}(x, *{args}, **{kwargs}) on {inputs.concrete}")


@examples(20)
@given(data=st.data())
def test_slim_repeat(data):
    """``slim.repeat(net, k, slim.conv2d, 8, [3, 3], ...)``: the layer applied k times."""
    layer = data.draw(st.sampled_from(["slim.conv2d", "slim.max_pool2d", "slim.fully_connected"]), label="layer")
    count = data.draw(st.integers(0, 3), label="repetitions")
    if layer == "slim.conv2d":
        args, kwargs, example = data.draw(slim_conv_case(2))
        args = (args[0], args[1])
    elif layer == "slim.max_pool2d":
        args, kwargs, example = data.draw(slim_pool_case(2))
    else:
        args, kwargs, example = (data.draw(st.integers(1, 4)),), {}, any_example(data.draw, 1, 2)
    inputs = Inputs(data, [example], batch_size(data))
    mine = call_ours("slim.repeat", inputs.values[0], count, ApiRef(layer), *args, **kwargs)
    fn = slim_function(layer)
    check("slim.repeat", mine, lambda x: slim().repeat(x, count, fn, *args, **kwargs), inputs,
          f"repeat(x, {count}, {layer}, *{args}, **{kwargs}) on {inputs.concrete}")


# -- scopes -------------------------------------------------------------------------------------------------


def real_scope(name: str):
    """The context manager ``name`` means, as a TF1 program enters it (inside the test's graph)."""
    v1 = tf().compat.v1
    if name == "tf.variable_scope":
        return lambda: v1.variable_scope("scope")
    if name == "tf.name_scope":
        return lambda: v1.name_scope("scope")
    if name == "tf.device":
        return lambda: v1.device("/cpu:0")
    if name == "tf.control_dependencies":
        return lambda: v1.control_dependencies([])
    if name == "tf.variable_op_scope":
        return lambda: v1.variable_op_scope([], "scope")
    if name == "tf.GradientTape":
        return lambda: tf().GradientTape()
    if name == "tf.init_scope":
        return lambda: v1.init_scope()
    import tf_keras

    return lambda: tf_keras.backend.name_scope("scope")


SCOPE_ARGS = {"tf.variable_scope": ("scope",), "tf.name_scope": ("scope",), "tf.device": ("/cpu:0",),
              "tf.control_dependencies": ([],), "tf.variable_op_scope": ([], "scope"), "tf.GradientTape": (),
              "tf.init_scope": (), "tf.keras.backend.name_scope": ("scope",)}


@pytest.mark.parametrize("name", SCOPES)
@examples(6)
@given(data=st.data())
def test_scope_keeps_slim_defaults(name, data):
    """Inside ``with tf.variable_scope(...)`` (etc.) a slim op keeps its defaults."""
    scope = call_ours_value(name, *SCOPE_ARGS[name])
    op = data.draw(st.sampled_from(["slim.conv2d", "slim.max_pool2d"]), label="op")
    args, kwargs, example = data.draw(slim_conv_case(2) if op == "slim.conv2d" else slim_pool_case(2))
    run_slim(op, data, args, {}, example, context=(scope,), real_context=real_scope(name), label=f"{name} > {op}")


def call_ours_value(name: str, *args, **kwargs):
    fn = registry.lookup(name)
    return fn(registry.Call(name=registry.canonical(name), args=[abstract(a) for a in args],
                            kwargs={k: abstract(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol))


SCOPED_OPS = ("slim.conv2d", "slim.max_pool2d", "slim.avg_pool2d")


@pytest.mark.parametrize("name", ARG_SCOPES)
@examples(30)
@given(data=st.data())
def test_arg_scope(name, data):
    """``with slim.arg_scope([ops], padding=..., stride=...)``, maybe nested in another (or in a
    plain scope): the op called inside, with or without its own arguments."""
    draw = data.draw
    scopes, real = [], []
    for _ in range(draw(st.integers(1, 2), label="depth")):
        if draw(st.integers(0, 3)) == 0:
            plain = draw(st.sampled_from(SCOPES[:3]), label="plain scope")
            scopes.append(call_ours_value(plain, *SCOPE_ARGS[plain]))
            real.append(real_scope(plain))
            continue
        ops = draw(st.lists(st.sampled_from(SCOPED_OPS), min_size=1, max_size=3, unique=True), label="ops")
        scope_kwargs = {}
        if draw(st.booleans()):
            scope_kwargs["padding"] = draw(st.sampled_from(["SAME", "VALID"]), label="scope padding")
        if draw(st.booleans()):
            scope_kwargs["stride"] = draw(st.integers(1, 3), label="scope stride")
        scopes.append(call_ours_value(name, ListVal(tuple(ApiRef(op) for op in ops)), **scope_kwargs))
        real.append(functools.partial(slim().arg_scope, [slim_function(op) for op in ops], **scope_kwargs))
    op = draw(st.sampled_from(SCOPED_OPS), label="op")
    args, kwargs, example = draw(slim_conv_case(2) if op == "slim.conv2d" else slim_pool_case(2))
    if draw(st.booleans()):
        kwargs = {}  # everything from the scopes / defaults

    def entered():
        from contextlib import ExitStack

        stack = ExitStack()
        for make in real:
            stack.enter_context(make())
        return stack

    run_slim(op, data, args, kwargs, example, context=scopes, real_context=entered, label=f"{name} > {op}")


def test_unknown_context_hides_slim_defaults():
    """In a ``with`` whose value we do not know, a slim default is unknown: no finding from it."""
    inputs_shape = (2, 3, 3, 1)
    from tfshapelint.domain.values import UNKNOWN, fresh_tensor

    mine = call_ours("slim.max_pool2d", fresh_tensor(inputs_shape), 2, context=(UNKNOWN,))
    if isinstance(mine, Exception) or mine is None or mine[1] is not None:
        raise Disagreement(f"a slim default was used under an unknown context: {mine}")
