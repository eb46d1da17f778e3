"""Keras layers (ops/keras_layers.py) vs real Keras 3 and Keras 2 (see keras_support.py).

Each registered layer name gets its own run: hypothesis draws constructor arguments (valid and
invalid: kernels larger than the input, strides with dilations, wrong ranks, bad permutations,
reshape targets that do not divide, crops past the input...) and an input (a symbolic batch, some
example dims symbolic or unknown); the layer is built and called through the registry
(``tf.keras.layers.X(...)`` then ``KerasLayer.__call__``) and in both Keras flavours on
``Input(batch_shape=...)``. We may raise only where every flavour rejects; where both accept the
shapes must agree (our unknowns are imprecisions; a fully known input must give a fully known
shape), our batch symbol must survive, and where the flavours give different sizes ours must be
unknown.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import Const, ListVal
from tfshapelint.ops import registry
from tfshapelint.ops.keras_layers import _ALL_LAYERS, _MERGE_FUNCTIONS

from .harness import Disagreement, differential, examples, fresh_symbol, ours
from .keras_support import (FLAVOURS, Inputs, LayerSpec, Oracle, batch_size, clear_sessions, our_call, our_shape,
                            set_state)

pytestmark = pytest.mark.tf

IDENTITY_LIKE = ("Dropout", "BatchNormalization", "LayerNormalization", "Activation", "ReLU", "LeakyReLU", "PReLU",
                 "ELU", "Softmax", "ThresholdedReLU", "GaussianNoise", "GaussianDropout", "AlphaDropout",
                 "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "ActivityRegularization", "Rescaling",
                 "Masking", "UnitNormalization", "GroupNormalization", "Identity")
MERGE_CLASSES = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate")
# Layers we do not model: calling one gives an unknown shape (never a finding).
OPAQUE = ("Lambda", "TimeDistributed", "InputLayer")

# Aliases share their class's shape function: fewer examples.
ALIASES = {"Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
           "Convolution1DTranspose": "Conv1DTranspose", "Convolution2DTranspose": "Conv2DTranspose",
           "Convolution3DTranspose": "Conv3DTranspose", "SeparableConvolution1D": "SeparableConv1D",
           "SeparableConvolution2D": "SeparableConv2D",
           **{f"{short}{n}D": f"{long}{n}D" for n in (1, 2, 3)
              for short, long in (("MaxPool", "MaxPooling"), ("AvgPool", "AveragePooling"),
                                  ("GlobalMaxPool", "GlobalMaxPooling"), ("GlobalAvgPool", "GlobalAveragePooling"))}}

LAYER_NAMES = [f"tf.keras.layers.{name}" for name in _ALL_LAYERS]
FUNCTION_NAMES = [f"tf.keras.layers.{name}" for name in _MERGE_FUNCTIONS]

COVERED = {**{name: "keras_layer" for name in LAYER_NAMES}, **{name: "keras_merge" for name in FUNCTION_NAMES},
           "KerasLayer.__call__": "keras_layer"}

# Recurrent layers are slow to build in Keras 2 (a graph while-loop each).
SLOW = {"SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU", "Bidirectional"}


def budget(name: str) -> int:
    if name in ALIASES or name in OPAQUE:
        return 4
    if name in SLOW:
        return 8
    if name in IDENTITY_LIKE:
        return 8
    return 30


# -- strategies: (LayerSpec, example shapes, input dtype) ---------------------------------------------


def spatial_rank(name: str) -> int:
    return int(re.search(r"(\d)D", name).group(1))


def per_axis(draw, n: int, lo: int, hi: int, label: str, bad: bool = True):
    """An int, a tuple of ``n`` ints, or (rarely) a tuple of the wrong length."""
    values = [draw(st.integers(lo, hi), label=label) for _ in range(n)]
    form = draw(st.sampled_from(["int", "int", "tuple", "tuple"] * 3 + (["bad"] if bad else [])), label=label)
    if form == "int":
        return values[0]
    if form == "tuple":
        return tuple(values)
    return tuple(values + values[:1])


def data_format(draw) -> dict:
    fmt = draw(st.sampled_from([None, None, "channels_last", "channels_first"]), label="data_format")
    return {} if fmt is None else {"data_format": fmt}


def image(draw, n: int, kwargs: dict, lo: int = 1, hi: int = 8, channels=None) -> tuple:
    """An example (no batch) of ``n`` spatial dims and channels, in the layout of ``kwargs``; sometimes
    of the wrong rank."""
    hi = min(hi, 5) if n == 3 else hi
    spatial = [draw(st.integers(lo, hi), label="size") for _ in range(n)]
    channels = channels if channels is not None else draw(st.integers(1, 4), label="channels")
    example = (channels, *spatial) if kwargs.get("data_format") == "channels_first" else (*spatial, channels)
    wrong = draw(st.sampled_from([None] * 12 + ["less", "more"]), label="wrong rank")
    if wrong == "less":
        return example[1:]
    if wrong == "more":
        return example + (2,)
    return example


@st.composite
def conv_case(draw, name: str):
    n = spatial_rank(name)
    transpose = name.endswith("Transpose")
    depthwise = name.startswith("Depthwise")
    separable = name.startswith("Separable")
    kwargs: dict = {}
    args: tuple = () if depthwise else (draw(st.integers(1, 4), label="filters"),)
    args += (per_axis(draw, n, 1, 4, "kernel"),)
    if draw(st.booleans()):
        kwargs["strides"] = per_axis(draw, n, 1, 3, "strides")
    paddings = ["valid", "same"] * 4 + ["causal", "SAME", "full"]
    if draw(st.integers(0, 3)):
        kwargs["padding"] = draw(st.sampled_from(paddings), label="padding")
    if draw(st.integers(0, 2)) == 0:
        kwargs["dilation_rate"] = per_axis(draw, n, 1, 3, "dilation")
    kwargs.update(data_format(draw))
    if depthwise or separable:
        if draw(st.booleans()):
            kwargs["depth_multiplier"] = draw(st.integers(1, 3), label="depth_multiplier")
    elif not transpose and draw(st.integers(0, 3)) == 0:
        kwargs["groups"] = draw(st.integers(1, 4), label="groups")
    if transpose and draw(st.integers(0, 2)) == 0:
        kwargs["output_padding"] = per_axis(draw, n, 0, 1, "output_padding", bad=False)
    channels = draw(st.integers(1, 4), label="channels")
    if "groups" in kwargs and draw(st.booleans()):
        channels = kwargs["groups"] * draw(st.integers(1, 2))
        args = (kwargs["groups"] * draw(st.integers(1, 2)),) + args[1:]
    return LayerSpec(name, args, kwargs), [image(draw, n, kwargs, channels=channels)], None


@st.composite
def pool_case(draw, name: str):
    n = spatial_rank(name)
    kwargs: dict = {}
    if draw(st.integers(0, 3)):
        kwargs["pool_size"] = per_axis(draw, n, 1, 4, "pool")
    stride_form = draw(st.sampled_from(["absent", "absent", "none", "given"]), label="strides form")
    if stride_form == "none":
        kwargs["strides"] = None
    elif stride_form == "given":
        kwargs["strides"] = per_axis(draw, n, 1, 3, "strides")
    if draw(st.booleans()):
        kwargs["padding"] = draw(st.sampled_from(["valid", "same", "SAME"]), label="padding")
    kwargs.update(data_format(draw))
    return LayerSpec(name, (), kwargs), [image(draw, n, kwargs)], None


@st.composite
def global_pool_case(draw, name: str):
    n = spatial_rank(name)
    kwargs = data_format(draw)
    if draw(st.booleans()):
        kwargs["keepdims"] = draw(st.booleans(), label="keepdims")
    return LayerSpec(name, (), kwargs), [image(draw, n, kwargs)], None


def any_example(draw, min_rank: int = 0, max_rank: int = 3, hi: int = 5) -> tuple:
    rank = draw(st.integers(min_rank, max_rank), label="rank")
    return tuple(draw(st.integers(1, hi), label="size") for _ in range(rank))


@st.composite
def dense_case(draw, name: str):
    return LayerSpec(name, (draw(st.integers(1, 5), label="units"),)), [any_example(draw, 0, 3)], None


@st.composite
def flatten_case(draw, name: str):
    return LayerSpec(name, (), data_format(draw)), [any_example(draw, 0, 4)], None


def factorizations(total: int, parts: int) -> list[tuple]:
    if parts == 1:
        return [(total,)]
    return [(d,) + rest for d in range(1, total + 1) if total % d == 0 for rest in factorizations(total // d, parts - 1)]


@st.composite
def reshape_case(draw, name: str):
    example = any_example(draw, 1, 3)
    total = math.prod(example)
    parts = draw(st.integers(1, 3), label="target rank")
    if draw(st.integers(0, 2)):
        target = list(draw(st.sampled_from(factorizations(total, parts)), label="target"))
    else:
        target = [draw(st.integers(1, 6), label="target dim") for _ in range(parts)]
    unknowns = draw(st.sampled_from([0, 0, 1, 1, 2]), label="-1s")
    for index in draw(st.permutations(range(parts)), label="-1 axes")[:unknowns]:
        target[index] = -1
    return LayerSpec(name, (tuple(target),)), [example], None


@st.composite
def permute_case(draw, name: str):
    example = any_example(draw, 1, 3)
    order = [i + 1 for i in draw(st.permutations(range(len(example))), label="dims")]
    bad = draw(st.sampled_from([None] * 5 + ["zero_based", "short", "repeat"]), label="bad dims")
    if bad == "zero_based":
        order = [i - 1 for i in order]
    elif bad == "short":
        order = order[:-1]
    elif bad == "repeat" and len(order) > 1:
        order[0] = order[1]
    return LayerSpec(name, (tuple(order),)), [example], None


@st.composite
def repeat_case(draw, name: str):
    return LayerSpec(name, (draw(st.integers(1, 4), label="n"),)), [any_example(draw, 0, 2) if draw(
        st.integers(0, 4)) == 0 else any_example(draw, 1, 1)], None


@st.composite
def embedding_case(draw, name: str):
    spec = LayerSpec(name, (draw(st.integers(5, 10), label="input_dim"), draw(st.integers(1, 4), label="output_dim")))
    return spec, [any_example(draw, 0, 2)], "int32"


def rnn_spec(draw, name: str) -> LayerSpec:
    kwargs = {}
    if draw(st.booleans()):
        kwargs["return_sequences"] = draw(st.booleans(), label="return_sequences")
    if draw(st.integers(0, 5)) == 0:
        kwargs["return_state"] = True
    if draw(st.integers(0, 4)) == 0:
        kwargs["go_backwards"] = True
    return LayerSpec(name, (draw(st.integers(1, 4), label="units"),), kwargs)


def sequence(draw) -> tuple:
    return any_example(draw, 1, 3) if draw(st.integers(0, 4)) == 0 else any_example(draw, 2, 2)


@st.composite
def rnn_case(draw, name: str):
    return rnn_spec(draw, name), [sequence(draw)], None


@st.composite
def bidirectional_case(draw, name: str):
    inner = rnn_spec(draw, draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]), label="inner"))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["merge_mode"] = draw(st.sampled_from(["concat", "sum", "mul", "ave", None]), label="merge_mode")
    return LayerSpec(name, (inner,), kwargs), [sequence(draw)], None


@st.composite
def upsampling_case(draw, name: str):
    n = spatial_rank(name)
    kwargs = data_format(draw) if n > 1 else {}
    if draw(st.integers(0, 3)):
        kwargs["size"] = per_axis(draw, n, 1, 3, "size")
    if n == 2 and draw(st.integers(0, 3)) == 0:
        kwargs["interpolation"] = "bilinear"
    return LayerSpec(name, (), kwargs), [image(draw, n, kwargs)], None


@st.composite
def resize_case(draw, name: str):
    n = spatial_rank(name)
    param = "padding" if name.startswith("ZeroPadding") else "cropping"
    kwargs = data_format(draw) if n > 1 else {}
    form = draw(st.sampled_from(["absent", "int", "ints", "pairs", "bad"]), label=f"{param} form")
    amount = st.integers(0, 3)
    if form == "int":
        kwargs[param] = draw(amount, label=param)
    elif form == "ints":
        kwargs[param] = tuple(draw(amount, label=param) for _ in range(n if n > 1 else 2))
    elif form == "pairs":
        pairs = tuple((draw(amount, label=param), draw(amount, label=param)) for _ in range(n))
        kwargs[param] = pairs if n > 1 else pairs[0]
    elif form == "bad":
        kwargs[param] = tuple(draw(amount, label=param) for _ in range(n + 1 if n > 1 else 3))
    return LayerSpec(name, (), kwargs), [image(draw, n, kwargs)], None


IDENTITY_ARGS = {
    "Dropout": lambda d: ((d(st.sampled_from([0.0, 0.5])),), {}),
    "BatchNormalization": lambda d: ((), {"axis": d(st.integers(-4, 3))} if d(st.booleans()) else {}),
    "LayerNormalization": lambda d: ((), {"axis": d(st.integers(-4, 3))} if d(st.booleans()) else {}),
    "Activation": lambda d: ((d(st.sampled_from(["relu", "softmax", "tanh"])),), {}),
    "ReLU": lambda d: ((), {"max_value": 6.0} if d(st.booleans()) else {}),
    "LeakyReLU": lambda d: ((), {}),
    "PReLU": lambda d: ((), {}),
    "ELU": lambda d: ((), {}),
    "Softmax": lambda d: ((), {"axis": d(st.integers(-3, 2))} if d(st.booleans()) else {}),
    "ThresholdedReLU": lambda d: ((), {"theta": 0.5}),
    "GaussianNoise": lambda d: ((0.1,), {}),
    "GaussianDropout": lambda d: ((0.1,), {}),
    "AlphaDropout": lambda d: ((0.1,), {}),
    "SpatialDropout1D": lambda d: ((0.5,), {}),
    "SpatialDropout2D": lambda d: ((0.5,), {}),
    "SpatialDropout3D": lambda d: ((0.5,), {}),
    "ActivityRegularization": lambda d: ((), {"l1": 0.01}),
    "Rescaling": lambda d: ((1 / 255,), {}),
    "Masking": lambda d: ((), {"mask_value": 0.0}),
    "UnitNormalization": lambda d: ((), {}),
    "GroupNormalization": lambda d: ((), {"groups": d(st.integers(1, 4))}),
    "Identity": lambda d: ((), {}),
}


@st.composite
def identity_case(draw, name: str):
    args, kwargs = IDENTITY_ARGS[name](lambda s: draw(s, label=name))
    low = {"SpatialDropout1D": 2, "SpatialDropout2D": 3, "SpatialDropout3D": 4}.get(name, 0)
    example = any_example(draw, low, low) if low and draw(st.integers(0, 3)) else any_example(draw, 0, 4, hi=4)
    return LayerSpec(name, args, kwargs), [example], None


@st.composite
def opaque_case(draw, name: str):
    example = any_example(draw, 1, 3)
    if name == "Lambda":
        spec = LayerSpec(name, (lambda t: t * 2,))
    elif name == "TimeDistributed":
        spec = LayerSpec(name, (LayerSpec("Dense", (draw(st.integers(1, 4)),)),))
    else:
        spec = LayerSpec(name, (), {"input_shape": example})
    return spec, [example], None


def merge_examples(draw, name: str) -> list:
    """1-3 example shapes: equal, with some sizes 1 (broadcast), of another rank, or anything."""
    base = any_example(draw, 1, 3, hi=4)
    count = draw(st.sampled_from([2, 2, 2, 3, 1]), label="inputs")
    shapes = []
    for _ in range(count):
        form = draw(st.sampled_from(["same", "same", "ones", "rank", "random"] if name != "Concatenate"
                                    else ["same", "same", "axis", "rank", "random"]), label="form")
        if form == "ones":
            shape = tuple(1 if draw(st.booleans(), label="one") else d for d in base)
        elif form == "rank":
            shape = base[1:] if len(base) > 1 and draw(st.booleans()) else base + (2,)
        elif form == "random":
            shape = tuple(draw(st.integers(1, 4)) for _ in base)
        elif form == "axis":  # differs on the concatenation axis only (drawn by the caller: -1 here)
            shape = base[:-1] + (draw(st.integers(1, 4)),)
        else:
            shape = base
        shapes.append(shape)
    return shapes


@st.composite
def merge_case(draw, name: str):
    shapes = merge_examples(draw, name)
    kwargs = {}
    if name == "Concatenate" and draw(st.booleans()):
        kwargs["axis"] = draw(st.integers(-4, 3), label="axis")
    return LayerSpec(name, (), kwargs), shapes, None


def strategy(name: str):
    name = ALIASES.get(name, name)
    if "Conv" in name:
        return conv_case(name)
    if name.startswith("Global"):
        return global_pool_case(name)
    if "Pooling" in name:
        return pool_case(name)
    if name.startswith(("UpSampling",)):
        return upsampling_case(name)
    if name.startswith(("ZeroPadding", "Cropping")):
        return resize_case(name)
    if name in IDENTITY_LIKE:
        return identity_case(name)
    if name in MERGE_CLASSES:
        return merge_case(name)
    if name in OPAQUE:
        return opaque_case(name)
    return {"Dense": dense_case, "Flatten": flatten_case, "Reshape": reshape_case, "Permute": permute_case,
            "RepeatVector": repeat_case, "Embedding": embedding_case, "Bidirectional": bidirectional_case,
            **{rnn: rnn_case for rnn in ("SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU")}}[name](name)


# -- the tests ---------------------------------------------------------------------------------------------


def compare(op: str, spec: LayerSpec, inputs: Inputs, mine, call_keras, *, dtype=None, opaque=False) -> str:
    """One case: ``call_keras(flavour, K, keras_inputs)`` calls the layer in a flavour."""
    flavours = tuple(f for f in FLAVOURS if spec.available(f))
    oracle = Oracle(op, call_keras, inputs.shapes, flavours, dtype)
    where = f"{spec} on {inputs.concrete}"
    oracle(False)  # where the flavours disagree, ours may be unknown even for a fully known input
    exact = False if opaque or oracle.disagree() else None
    verdict = differential(op, mine, oracle, inputs.inst, exact=exact, describe=where)
    oracle.check_splits(mine, f"{op}: {where}\n  ours={mine}\n  keras={oracle.results}")
    if oracle.list_output() and isinstance(mine, tuple):
        raise Disagreement(f"Keras returns several tensors, we a shape {mine}\n{op}: {where}")
    inputs.check_batch(mine, f"{op}: {where}\n  ours={mine}")
    if opaque:
        assert mine is None, f"{op}: we give {mine} for a layer we do not model"
    return verdict


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_layer_matches_keras(name):
    """``tf.keras.layers.X(...)(x)`` vs Keras 3 and Keras 2."""
    clear_sessions()
    short = name.split(".")[-1]
    multi = ALIASES.get(short, short) in MERGE_CLASSES

    @examples(budget(short))
    @given(data=st.data())
    def run(data):
        spec, shapes, dtype = data.draw(strategy(short))
        spec = LayerSpec(short, spec.args, spec.kwargs)  # the alias itself, on both sides
        inputs = Inputs(data, shapes, batch_size(data))
        obj = spec.ours()
        mine = our_call(obj, ListVal(tuple(inputs.values)) if multi else inputs.values[0])

        def call_keras(flavour, K, keras_inputs):
            return spec.build(flavour)(keras_inputs if multi else keras_inputs[0])

        compare(name, spec, inputs, mine, call_keras, dtype=dtype, opaque=short in OPAQUE)

    run()


@pytest.mark.parametrize("name", FUNCTION_NAMES)
@examples(25)
@given(data=st.data())
def test_merge_function_matches_keras(name, data):
    """``layers.add([a, b])``, ``layers.concatenate([a, b], axis=...)``: the layer built and called at once."""
    function = name.split(".")[-1]
    class_name = _MERGE_FUNCTIONS[function]
    _, shapes, _ = data.draw(merge_case(class_name))
    kwargs = {"axis": data.draw(st.integers(-4, 3), label="axis")} if function == "concatenate" and data.draw(
        st.booleans()) else {}
    inputs = Inputs(data, shapes, batch_size(data))
    call = registry.Call(name=name, args=[ListVal(tuple(inputs.values))],
                         kwargs={k: _const(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol,
                         set_state=set_state)
    mine = our_shape(ours(registry.lookup(name), call))
    spec = LayerSpec(class_name, (), kwargs)

    def call_keras(flavour, K, keras_inputs):
        return getattr(K.layers, function)(keras_inputs, **kwargs)

    compare(name, spec, inputs, mine, call_keras)


def _const(value):
    return Const(value)


REUSED = ("Dense", "Conv1D", "Conv2D", "Conv3D")


@pytest.mark.parametrize("name", REUSED)
@examples(12)
@given(data=st.data())
def test_reused_layer_matches_keras(name, data):
    """A layer called a second time: Keras built its weights for the first input's channels."""
    if name == "Dense":
        spec = LayerSpec(name, (data.draw(st.integers(1, 4)),))
        first = any_example(data.draw, 1, 2, hi=4)
        second = first[:-1] + (data.draw(st.integers(1, 4)),)
    else:
        n = spatial_rank(name)
        kwargs = data_format(data.draw)
        spec = LayerSpec(name, (2, 1), kwargs)
        first = image(data.draw, n, kwargs, hi=4)
        channel = 0 if kwargs.get("data_format") == "channels_first" else -1
        second = list(first)
        if second:
            second[channel] = data.draw(st.integers(1, 4))
        second = tuple(second)
    inputs = Inputs(data, [first, second], batch_size(data))
    obj = spec.ours()
    before = our_call(obj, inputs.values[0])
    mine = our_call(obj, inputs.values[1]) if not hasattr(before, "message") else None

    def call_keras(flavour, K, keras_inputs):
        layer = spec.build(flavour)
        layer(keras_inputs[0])
        return layer(keras_inputs[1])

    if before is None or hasattr(before, "message"):
        return  # the first call is test_layer_matches_keras's business
    compare(f"{name} (reused)", spec, inputs, mine, call_keras)
