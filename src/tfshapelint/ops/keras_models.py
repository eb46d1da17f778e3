"""Keras models: ``Input``, ``Sequential`` (a list or ``.add``), functional ``Model``.

A Sequential model runs its layers as soon as its input shape is known (an ``Input`` first, a
first layer with ``input_shape=``, ``build()``, or the first call), as Keras builds it. A layer
that fails there is reported at the line that constructed it.
"""

from __future__ import annotations

from ..domain.values import UNKNOWN, Const, ObjectVal, TensorVal, Value, fresh_tensor
from ..shapes import dims
from .args import as_int, declared_dims, is_none, items_of, tensor_of
from .errors import ShapeError
from .keras_layers import LAYER, apply_layer, input_tensor_from_config
from .registry import Call, op, prop

SEQUENTIAL = "KerasSequential"
MODEL = "KerasModel"


@op("tf.keras.Input", "tf.keras.layers.Input")
def keras_input(call: Call) -> Value:
    batch_shape = call.arg(None, "batch_shape", default=None)
    if batch_shape is not None:
        declared = declared_dims(batch_shape)
        if declared is None:
            return UNKNOWN
        return fresh_tensor(tuple(d if d is not None else call.new_symbol("N" if i == 0 else f"d{i}")
                                  for i, d in enumerate(declared)), kind="keras_input")
    declared = declared_dims(call.arg(0, "shape"))
    if declared is None:
        return UNKNOWN
    batch = call.arg(1, "batch_size", default=Const(None))
    first = as_int(batch)
    if is_none(batch) or (first is not None and first < 0):  # Keras rejects a negative one
        first = call.new_symbol("N")
    rest = tuple(d if d is not None else call.new_symbol(f"d{i + 1}") for i, d in enumerate(declared))
    return fresh_tensor((first,) + rest, kind="keras_input")


@op("tf.keras.Sequential", "tf.keras.models.Sequential")
def sequential(call: Call) -> Value:
    model = ObjectVal(SEQUENTIAL, state={"layers": (), "output": None, "input": None})
    items = items_of(call.arg(0, "layers", default=Const(None)))
    if call.has(0, "layers") and items is None and not is_none(call.arg(0, "layers")):
        model.state["opaque"] = True  # layers we cannot see: nothing about this model is known
        return model
    for item in items or ():
        _add(model, item, call)
    return model


@op("KerasSequential.add")
def sequential_add(call: Call) -> Value:
    _add(call.args[0], call.arg(1, "layer"), call)
    return Const(None)


def _opaque(model: ObjectVal) -> bool:
    """Nothing is known about the model: layers we cannot see, or parts that a branch or loop changed
    on one path only (``if dropout: model.add(...)``: the joined parts are UNKNOWN)."""
    state = model.state
    return bool(state.get("opaque")) or not isinstance(state.get("layers", ()), tuple) or not isinstance(
        state.get("summary", ()), tuple) or any(not (state.get(key) is None or isinstance(state.get(key), TensorVal))
                                               for key in ("input", "output"))


def _add(model: ObjectVal, item: Value, call: Call) -> None:
    """Append one layer (or an ``Input``) and, when the input is known, run it."""
    if _opaque(model):
        return
    if isinstance(item, TensorVal) and item.kind == "keras_input" and not model.state["layers"]:
        call.set_state(model, "input", item)
        call.set_state(model, "output", item)
        return
    if not (isinstance(item, ObjectVal) and item.type_name == LAYER):
        call.set_state(model, "opaque", True)
        return
    call.set_state(model, "layers", model.state["layers"] + (item,))
    output = model.state["output"]
    if output is None and len(model.state["layers"]) == 1:
        output = input_tensor_from_config(item.state["config"], call.new_symbol)
        if output is not None:
            call.set_state(model, "input", output)
        else:
            return
    if isinstance(output, TensorVal):
        try:
            call.set_state(model, "output", _run_layer(model, item, output, call))
        except ShapeError:
            call.set_state(model, "opaque", True)  # later layers would run on a stale output
            raise


def _run_layer(model: ObjectVal, layer: ObjectVal, tensor: TensorVal, call: Call) -> Value:
    try:
        result = apply_layer(layer, tensor, call.set_state)
    except ShapeError as error:
        error.node = layer.state.get("node")  # the finding goes to the layer that cannot be built
        raise
    result = result if isinstance(result, TensorVal) else None
    call.set_state(model, "summary", model.state.get("summary", ()) + ((layer, result),))
    return result


@op("KerasSequential.build")
def sequential_build(call: Call) -> Value:
    model = call.args[0]
    declared = declared_dims(call.arg(1, "input_shape"))
    if _opaque(model) or model.state["input"] is not None or declared is None or not declared:
        return Const(None)
    tensor = fresh_tensor(tuple(d if d is not None else call.new_symbol("N") for d in declared), kind="keras_input")
    _run_all(model, tensor, call)
    return Const(None)


def _run_all(model: ObjectVal, tensor: TensorVal, call: Call) -> Value:
    call.set_state(model, "input", tensor)
    call.set_state(model, "summary", ())
    output: Value = tensor
    for layer in model.state["layers"]:
        if not isinstance(output, TensorVal):
            break
        output = _run_layer(model, layer, output, call)
    call.set_state(model, "output", output if isinstance(output, TensorVal) else None)
    return output if isinstance(output, TensorVal) else UNKNOWN


@op("KerasSequential.__call__", "KerasSequential.predict", "KerasSequential.predict_on_batch")
def sequential_call(call: Call) -> Value:
    model = call.args[0]
    x = tensor_of(call.arg(1, "inputs", "x"))
    if _opaque(model) or x is None or x.shape is None:
        return UNKNOWN
    if model.state["input"] is None:
        return _run_all(model, x, call)
    return _same_model_output(model.state["input"], model.state["output"], x)


def _same_model_output(model_input: TensorVal, model_output, x: TensorVal) -> Value:
    """A built model called again: the output for the new batch when the example shape agrees."""
    if not isinstance(model_output, TensorVal) or model_output.shape is None or model_input.shape is None:
        return UNKNOWN
    if len(x.shape) != len(model_input.shape) or any(
            dims.equal(a, b) is not True for a, b in zip(x.shape[1:], model_input.shape[1:])):
        return UNKNOWN
    if not model_output.shape or dims.equal(model_output.shape[0], model_input.shape[0]) is not True:
        return UNKNOWN
    return x.derive((x.shape[0],) + tuple(model_output.shape[1:]), "model")


@op("tf.keras.Model", "tf.keras.models.Model")
def functional_model(call: Call) -> Value:
    inputs = call.arg(0, "inputs")
    outputs = call.arg(1, "outputs")
    return ObjectVal(MODEL, state={"input": inputs if isinstance(inputs, TensorVal) else None,
                                   "output": outputs if isinstance(outputs, TensorVal) else None})


@op("KerasModel.__call__", "KerasModel.predict", "KerasModel.predict_on_batch")
def model_call(call: Call) -> Value:
    model = call.args[0]
    x = tensor_of(call.arg(1, "inputs", "x"))
    if _opaque(model) or x is None or x.shape is None or model.state["input"] is None:
        return UNKNOWN
    return _same_model_output(model.state["input"], model.state["output"], x)


@prop(f"{SEQUENTIAL}.input", f"{SEQUENTIAL}.output", f"{MODEL}.input", f"{MODEL}.output")
def model_tensor(call: Call) -> Value:
    """``model.input``, ``model.output``: the tensors the model was built with, when known."""
    model = call.args[0]
    tensor = model.state.get(call.name.split(".")[-1])
    return tensor if isinstance(tensor, TensorVal) and not _opaque(model) else UNKNOWN
