"""Keras models (ops/keras_models.py) vs real Keras 3 and Keras 2 (see keras_support.py).

``Input`` (shape / batch_size / batch_shape) is compared dim for dim (our symbols are Keras'
``None``). Models are small random stacks of layers, built the ways programs build them --
``Sequential([Input, ...])``, a first layer with ``input_shape=``, ``.add()`` one by one,
``.build(shape)``, the first call -- and a functional ``Model(inputs, outputs)``; then called on a
batch of zeros (``model(x)``, ``predict``, ``predict_on_batch``, which run the model on a few
rows), sometimes of another example shape. Every step runs through the registry on our side and
for real in each Keras flavour: we may raise (at any step) only where every flavour raises, and the
shapes of the model's output and of the call's result must agree.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import UNKNOWN, Const, ListVal, TensorVal, TupleVal, fresh_tensor
from tfshapelint.ops import registry
from tfshapelint.ops.errors import ShapeError
from tfshapelint.ops.numpy_ops import NDARRAY
from tfshapelint.shapes import dims

from .harness import Disagreement, Rejected, differential, evaluate, examples, fresh_symbol, tf
from .keras_support import (FLAVOURS, LayerSpec, _first_line, abstract, clear_sessions, keras_module, keras_shape,
                            merge_flavours, our_call, set_state)

pytestmark = pytest.mark.tf

INPUT_NAMES = ("tf.keras.Input", "tf.keras.layers.Input")
SEQUENTIAL_NAMES = ("tf.keras.Sequential", "tf.keras.models.Sequential")
MODEL_NAMES = ("tf.keras.Model", "tf.keras.models.Model")
CALLS = ("__call__", "predict", "predict_on_batch")

COVERED = {
    **{name: "keras_input" for name in INPUT_NAMES},
    **{name: "sequential" for name in SEQUENTIAL_NAMES},
    "KerasSequential.add": "sequential", "KerasSequential.build": "sequential",
    **{f"KerasSequential.{method}": "sequential" for method in CALLS},
    **{f"KerasSequential.{part}": "sequential" for part in ("input", "output")},
    **{name: "functional_model" for name in MODEL_NAMES},
    **{f"KerasModel.{method}": "functional_model" for method in CALLS},
    **{f"KerasModel.{part}": "functional_model" for part in ("input", "output")},
}


def call(name: str, *args, **kwargs):
    """A registered adapter on abstract arguments (layers/tensors/models pass through)."""
    fn = registry.lookup(name)
    assert fn is not None, name
    return fn(registry.Call(name=registry.canonical(name), args=[abstract(a) for a in args],
                            kwargs={k: abstract(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol,
                            set_state=set_state))


def read(name: str, obj):
    """A registered attribute read (``model.output``) of an abstract object."""
    fn = registry.lookup_property(name)
    assert fn is not None, name
    return fn(registry.Call(name=name, args=[obj], kwargs={}))


def our_dims(value) -> object:
    if isinstance(value, TensorVal):
        return value.shape
    assert value is UNKNOWN, value
    return None


# -- Input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", INPUT_NAMES)
@examples(40)
@given(data=st.data())
def test_input_matches_keras(name, data):
    draw = data.draw
    example = tuple(draw(st.lists(st.one_of(st.integers(1, 5), st.none()), max_size=3), label="shape"))
    form = draw(st.sampled_from(["shape", "shape", "batch_size", "batch_shape"]), label="form")
    if form == "shape":
        args, kwargs = ((example,), {}) if draw(st.booleans()) else ((), {"shape": example})
    elif form == "batch_size":
        args, kwargs = (example,), {"batch_size": draw(st.integers(1, 4))}
    else:
        args, kwargs = (), {"batch_shape": (draw(st.one_of(st.none(), st.integers(1, 4))),) + example}
    mine = our_dims(call(name, *args, **kwargs))
    results = {}
    for flavour in FLAVOURS:
        K = keras_module(flavour)
        fn = K.Input if name == "tf.keras.Input" else K.layers.Input
        try:
            results[flavour] = keras_shape(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001
            results[flavour] = Rejected(_first_line(error))
    theirs, split = merge_flavours(name, results)
    where = f"{name}(*{args}, **{kwargs}): ours {mine}, keras {results}"
    assert not split, where
    if isinstance(theirs, Rejected):
        return
    assert mine is not None and len(mine) == len(theirs), where
    for ours_dim, keras_dim in zip(mine, theirs):
        assert (isinstance(ours_dim, dims.Expr) and keras_dim is None) or ours_dim == keras_dim, where


# -- models ----------------------------------------------------------------------------------------------


@st.composite
def stack(draw):
    """An example shape and 1-4 layers that mostly fit it (each drawn for the shape so far)."""
    rank = draw(st.integers(1, 3), label="example rank")
    example = tuple(draw(st.integers(1, 6), label="size") for _ in range(rank))
    layers, shape = [], example
    for _ in range(draw(st.integers(1, 4), label="layers")):
        choices = ["Dense", "Dropout", "Flatten", "Reshape"]
        if len(shape) == 1:
            choices.append("RepeatVector")
        if len(shape) == 2:
            choices += ["Conv1D", "MaxPooling1D", "GlobalAveragePooling1D", "LSTM"]
        if len(shape) == 3:
            choices += ["Conv2D", "MaxPooling2D", "Permute"]
        kind = draw(st.sampled_from(choices), label="layer")
        if kind == "Dense":
            spec, shape = LayerSpec(kind, (draw(st.integers(1, 5)),)), shape[:-1] + (None,)
        elif kind == "Dropout":
            spec = LayerSpec(kind, (0.5,))
        elif kind == "Flatten":
            spec, shape = LayerSpec(kind), (None,)
        elif kind == "Reshape":
            spec, shape = LayerSpec(kind, ((-1, draw(st.sampled_from([1, 2, 3]))),)), (None, None)
        elif kind == "RepeatVector":
            spec, shape = LayerSpec(kind, (draw(st.integers(1, 3)),)), (None, None)
        elif kind in ("Conv1D", "Conv2D"):
            spec, shape = LayerSpec(kind, (2, draw(st.integers(1, 3)))), shape
        elif kind in ("MaxPooling1D", "MaxPooling2D"):
            spec = LayerSpec(kind, (2,))
        elif kind == "GlobalAveragePooling1D":
            spec, shape = LayerSpec(kind), (None,)
        elif kind == "LSTM":
            spec, shape = LayerSpec(kind, (2,), {"return_sequences": draw(st.booleans())}), None
            shape = (None, None)
        else:
            spec = LayerSpec(kind, ((2, 1, 3),))
        layers.append(spec)
        if shape is not None and any(d is None for d in shape):
            shape = tuple(draw(st.integers(1, 4)) if d is None else d for d in shape)  # a guess, often wrong
    return example, layers


def run_steps(steps: list, flavour: str):
    """Run ``steps`` (callables of the Keras module and the state dict) in a flavour: the result's
    shape or Rejected, and the model's output shape after construction (or None)."""
    K = keras_module(flavour)
    state: dict = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for step in steps:
                step(K, state)
    except Exception as error:  # noqa: BLE001 -- any exception of a Keras step is a rejection
        return Rejected(_first_line(error)), None
    return keras_shape(state["result"]), state.get("built")


def compare_model(op: str, ours_result, steps: list, describe: str, same_example: bool) -> None:
    """A model called on another example shape than it was built for: ours is unknown (Keras may
    rebuild it, or warn and run it): an imprecision, not a failure."""
    results, built = {}, {}
    for flavour in FLAVOURS:
        results[flavour], built[flavour] = run_steps(steps, flavour)
    theirs, split = merge_flavours(op, results)
    disagree = split or len({isinstance(r, Rejected) for r in results.values()}) > 1
    differential(op, ours_result, lambda concrete: theirs, describe=f"{describe}\n  keras={results}",
                 exact=False if disagree or not same_example else None)
    if split and isinstance(ours_result, tuple):
        assert all(ours_result[axis] is None for axis in split if axis != "rank"), f"{op}: {describe}"


def our_steps(run) -> object:
    """Our side of a model case: the result's shape, or the first ShapeError of any step."""
    try:
        return run()
    except ShapeError as error:
        return error


STYLES = ("input_first", "input_shape", "add", "build", "first_call")


@pytest.mark.parametrize("style", STYLES)
@examples(10)
@given(data=st.data())
def test_sequential_matches_keras(style, data):
    draw = data.draw
    clear_sessions()
    example, layers = draw(stack())
    name = draw(st.sampled_from(SEQUENTIAL_NAMES), label="name")
    method = draw(st.sampled_from(CALLS), label="call")
    batch = draw(st.integers(1, 3), label="batch")
    x_example = example if draw(st.integers(0, 3)) else tuple(d + 1 for d in example)
    x = (batch,) + x_example
    if style == "input_shape":
        layers = [LayerSpec(layers[0].name, layers[0].args, {**layers[0].kwargs, "input_shape": example}),
                  *layers[1:]]

    def ours():
        specs = [LayerSpec("Input", (example,), registered="tf.keras.Input")] if style == "input_first" else []
        specs += layers
        if style == "add":
            model = call(name)
            call("KerasSequential.add", model, LayerSpec("Input", (example,), registered="tf.keras.Input"))
            for spec in layers:
                call("KerasSequential.add", model, spec)
        else:
            model = call(name, specs)
        if style == "build":
            call("KerasSequential.build", model, (None,) + example)
        tensor = fresh_tensor(x, kind=NDARRAY if method != "__call__" else "tensor")
        result = call(f"KerasSequential.{method}", model, tensor)
        output = read("KerasSequential.output", model)
        if style != "first_call" and isinstance(output, TensorVal) and output.shape is not None:
            built_check.append((read("KerasSequential.input", model), output.shape))
        return our_dims(result)

    built_check: list = []
    mine = our_steps(ours)

    def build_model(K, state):
        def make(spec):
            return K.Input(spec.args[0]) if spec.name == "Input" else spec.build(flavour_of(K))
        if style == "add":
            model = K.Sequential()
            model.add(K.Input(example))
            for spec in layers:
                model.add(make(spec))
        else:
            first = [K.Input(example)] if style == "input_first" else []
            model = K.Sequential(first + [make(spec) for spec in layers])
        if style == "build":
            model.build((None,) + example)
        state["model"] = model
        if style != "first_call":
            state["built"] = keras_shape(model.outputs[0]) if getattr(model, "outputs", None) else None

    run_model = model_runner(method, x)
    describe = f"{style} {name} {[str(s) for s in layers]} on {example}, {method}{x}\n  ours={mine}"
    compare_model(f"KerasSequential.{method}", mine, [build_model, run_model], describe, x_example == example)
    _check_built(built_check, example, layers, style, describe)


def model_runner(method: str, x: tuple):
    """The step that runs the built model on zeros of shape ``x``: called, or ``predict``/``...``."""
    def run_model(K, state):
        model, value = state["model"], np.zeros(x, dtype="float32")
        if method == "__call__":
            state["result"] = model(tf().constant(value))
        else:
            state["result"] = getattr(model, method)(value, **({"verbose": 0} if method == "predict" else {}))
    return run_model


def flavour_of(K) -> str:
    return "keras3" if K is keras_module("keras3") else "keras2"


def _check_built(built_check: list, example: tuple, layers: list, style: str, describe: str) -> None:
    """The model's input and output once built (before any call), as the program reads them
    (``model.input``, ``model.output``), vs a functional Keras chain on the same input."""
    if not built_check:
        return
    ((our_input, mine),) = built_check
    results = {}
    for flavour in FLAVOURS:
        K = keras_module(flavour)
        keras_input = keras_shape(K.Input(example))
        _same_dims(our_dims(our_input), keras_input, f"the model's input: ours {our_input}, keras {keras_input} "
                   f"({flavour})\n{describe}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                y = K.Input(example)
                for spec in layers:
                    kwargs = {k: v for k, v in spec.kwargs.items() if k != "input_shape"}
                    y = LayerSpec(spec.name, spec.args, kwargs).build(flavour)(y)
            results[flavour] = keras_shape(y)
        except Exception as error:  # noqa: BLE001
            results[flavour] = Rejected(_first_line(error))
    theirs, split = merge_flavours("KerasSequential (built)", results)
    if isinstance(theirs, Rejected) or split or theirs is None:
        return
    _same_dims(mine, theirs, f"the built model's output: ours {mine}, keras {results}\n{describe}")


def _same_dims(mine, theirs, where: str) -> None:
    """Our shape of a built model's tensor vs Keras': the batch a symbol (Keras' None), the rest equal."""
    if mine is None or len(mine) != len(theirs):
        raise Disagreement(where)
    for axis, (a, b) in enumerate(zip(mine, theirs)):
        if axis == 0:
            if not isinstance(a, dims.Expr):
                raise Disagreement(where)
        elif b is not None and a is not None and evaluate(a, {}) != b:
            raise Disagreement(where)


@pytest.mark.parametrize("method", CALLS)
@examples(8)
@given(data=st.data())
def test_functional_model_matches_keras(method, data):
    draw = data.draw
    clear_sessions()
    example, layers = draw(stack())
    name = draw(st.sampled_from(MODEL_NAMES), label="name")
    keywords = draw(st.booleans(), label="keywords")
    batch = draw(st.integers(1, 3), label="batch")
    x_example = example if draw(st.integers(0, 3)) else tuple(d + 1 for d in example)
    x = (batch,) + x_example

    def ours():
        inputs = call("tf.keras.Input", example)
        y = inputs
        for spec in layers:
            y = call("KerasLayer.__call__", spec.ours(), y)
        model = call(name, inputs=inputs, outputs=y) if keywords else call(name, inputs, y)
        output = read("KerasModel.output", model)
        if isinstance(output, TensorVal) and output.shape is not None:
            built_check.append((read("KerasModel.input", model), output.shape))
        tensor = fresh_tensor(x, kind=NDARRAY if method != "__call__" else "tensor")
        return our_dims(call(f"KerasModel.{method}", model, tensor))

    built_check: list = []
    mine = our_steps(ours)

    def build_model(K, state):
        flavour = flavour_of(K)
        inputs = K.Input(example)
        y = inputs
        for spec in layers:
            y = spec.build(flavour)(y)
        cls = K.Model if name == "tf.keras.Model" else K.models.Model
        state["model"] = cls(inputs=inputs, outputs=y) if keywords else cls(inputs, y)

    run_model = model_runner(method, x)
    describe = f"{name} {[str(s) for s in layers]} on {example}, {method}{x}\n  ours={mine}"
    compare_model(f"KerasModel.{method}", mine, [build_model, run_model], describe, x_example == example)
    _check_built(built_check, example, layers, "functional", describe)
