"""Function-style layers: ``tf.layers`` / ``tf.compat.v1.layers`` and slim (``tf_slim``,
``tf.contrib.slim``), with the defaults that slim's ``arg_scope`` sets.

``tf.layers.conv2d(x, ...)`` is a Keras layer built and called at once: it reuses the Keras
shape functions. Slim's defaults (``padding='SAME'``...) hold only where no enclosing
``arg_scope`` may change them: inside an unknown ``with`` context, or in a function analysed
without its callers, an argument not passed explicitly is unknown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ..domain.values import UNKNOWN, ApiRef, Const, ObjectVal, Value
from ..shapes import shape as shapes
from .args import as_int_list, as_str, items_of, tensor_of
from .conv import conv_shape, pool_shape
from .conv_args import format_is_first, spatial_params
from .errors import RankMismatch
from .keras_layers import SHAPES, Config, construct
from .registry import Call, canonical, lookup, op

ARG_SCOPE = "ArgScope"
SCOPE = "Scope"
_MISSING = object()

# -- tf.layers -------------------------------------------------------------------------------------

_TF_LAYERS = {
    "conv1d": ("Conv1D", ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate")),
    "conv2d": ("Conv2D", ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate")),
    "conv3d": ("Conv3D", ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate")),
    "conv2d_transpose": ("Conv2DTranspose", ("filters", "kernel_size", "strides", "padding", "data_format")),
    "separable_conv2d": ("SeparableConv2D", ("filters", "kernel_size", "strides", "padding", "data_format")),
    "max_pooling1d": ("MaxPooling1D", ("pool_size", "strides", "padding", "data_format")),
    "max_pooling2d": ("MaxPooling2D", ("pool_size", "strides", "padding", "data_format")),
    "max_pooling3d": ("MaxPooling3D", ("pool_size", "strides", "padding", "data_format")),
    "average_pooling1d": ("AveragePooling1D", ("pool_size", "strides", "padding", "data_format")),
    "average_pooling2d": ("AveragePooling2D", ("pool_size", "strides", "padding", "data_format")),
    "average_pooling3d": ("AveragePooling3D", ("pool_size", "strides", "padding", "data_format")),
    "dense": ("Dense", ("units",)),
    "flatten": ("Flatten", ()),
    "dropout": ("Dropout", ("rate",)),
    "batch_normalization": ("BatchNormalization", ()),
}


@op(*(f"tf.layers.{name}" for name in _TF_LAYERS))
def tf_layer(call: Call) -> Value:
    x = tensor_of(call.arg(0, "inputs"))
    if x is None:
        return UNKNOWN
    class_name, positional = _TF_LAYERS[call.name.split(".")[-1]]
    # tf.layers take the arguments of the Keras class after ``inputs``
    config = Config(Call(name=call.name, args=call.args[1:], kwargs=call.kwargs), positional)
    if x.shape is None:
        return x.derive(None, call.name.split(".")[-1])
    _, shape_fn = SHAPES[class_name]
    out = shape_fn(config, x.shape, ObjectVal("KerasLayer"))
    return x.derive(out, call.name.split(".", 1)[1], source_shape=x if class_name == "Flatten" else None)


op(*(f"tf.layers.{cls}" for cls in ("Conv1D", "Conv2D", "Conv3D", "Dense", "Flatten", "MaxPooling2D",
                                    "AveragePooling2D", "Dropout", "BatchNormalization")))(
    lambda call: construct(Call(name="tf.keras.layers." + call.name.split(".")[-1], args=call.args,
                                kwargs=call.kwargs, node=call.node)))


# -- scopes ----------------------------------------------------------------------------------------


@op("tf.variable_scope", "tf.name_scope", "tf.device", "tf.control_dependencies", "tf.variable_op_scope",
    "tf.GradientTape", "tf.init_scope", "tf.keras.backend.name_scope")
def scope(call: Call) -> Value:
    """Context managers that change no layer defaults."""
    return ObjectVal(SCOPE)


@op("slim.arg_scope", "tf.contrib.framework.arg_scope")
def arg_scope(call: Call) -> Value:
    ops = items_of(call.arg(0, "list_ops_or_scope"))
    names = None
    if ops is not None:
        names = tuple(canonical(item.path) if isinstance(item, ApiRef) else None for item in ops)
    return ObjectVal(ARG_SCOPE, state={"ops": names, "kwargs": dict(call.kwargs)})


def slim_arg(call: Call, position: Optional[int], name: str, default) -> Value:
    """An argument of a slim op: explicit, else from the innermost arg_scope naming the op, else
    the default, unless some enclosing context may be an arg_scope we cannot see."""
    if call.has(position, name):
        return call.arg(position, name)
    if call.alone:
        return UNKNOWN
    for value in reversed(call.context):
        if isinstance(value, ObjectVal) and value.type_name == ARG_SCOPE:
            ops = value.state["ops"]
            if ops is None or (None in ops and call.name not in ops):
                return UNKNOWN
            if call.name in ops and name in value.state["kwargs"]:
                return value.state["kwargs"][name]
        elif not isinstance(value, ObjectVal):
            return UNKNOWN
    return default if isinstance(default, Value) else Const(default)


# -- slim ops --------------------------------------------------------------------------------------


@op("slim.conv2d", "slim.convolution2d", "slim.conv1d", "slim.conv3d", "slim.convolution", "tf.contrib.layers.conv2d")
def slim_conv(call: Call) -> Value:
    x = tensor_of(call.arg(0, "inputs"))
    if x is None or x.shape is None:
        return UNKNOWN if x is None else x.derive(None, "conv")
    n = {"conv1d": 1, "conv3d": 3}.get(call.name.split(".")[-1], len(x.shape) - 2)
    outputs = call.arg(1, "num_outputs")
    kernel = as_int_list(call.arg(2, "kernel_size"))
    stride = as_int_list(slim_arg(call, 3, "stride", 1))
    padding = as_str(slim_arg(call, 4, "padding", "SAME"))
    data_format = slim_arg(call, 5, "data_format", None)
    rate = as_int_list(slim_arg(call, 6, "rate", 1))
    first = format_is_first(data_format)
    filters = getattr(outputs, "value", None) if isinstance(getattr(outputs, "value", None), int) else None
    if n < 1:
        return x.derive(None, "conv")
    if first is None:
        return x.derive(_unknown_spatial(x.shape, n, None, None), "conv")
    strides = spatial_params(stride, n, first)
    rates = spatial_params(rate, n, first)
    kernel = spatial_params(kernel, n, first, full_rank=False)
    if kernel is None or strides is None or rates is None or padding is None \
            or padding.upper() not in ("SAME", "VALID"):
        return x.derive(_unknown_spatial(x.shape, n, first, filters), "conv")
    channels = (x.shape[1] if first else x.shape[-1]) if len(x.shape) >= 2 else None  # a scalar input: rank error
    out = conv_shape(x.shape, tuple(kernel) + (channels, filters), strides, padding.upper(), first, rates, n,
                     facts={"input": x})
    return x.derive(out, f"conv{n}d k{'x'.join(map(str, kernel))} s{strides[0]} {padding.upper()}")


def _unknown_spatial(shape: tuple, n: int, first: Optional[bool], channels) -> Optional[tuple]:
    """Batch and channels known, spatial sizes not (an argument that sets them is unknown);
    with an unknown data format, only the batch."""
    if len(shape) != n + 2:
        return None
    spatial = (None,) * n
    if first is None:
        return (shape[0], None) + spatial
    return (shape[0], channels) + spatial if first else (shape[0],) + spatial + (channels,)


@op("slim.max_pool2d", "slim.avg_pool2d", "slim.max_pool3d", "slim.avg_pool3d", "tf.contrib.layers.max_pool2d",
    "tf.contrib.layers.avg_pool2d")
def slim_pool(call: Call) -> Value:
    x = tensor_of(call.arg(0, "inputs"))
    if x is None or x.shape is None:
        return UNKNOWN if x is None else x.derive(None, "pool")
    n = 3 if call.name.endswith("3d") else 2
    kernel = as_int_list(call.arg(1, "kernel_size"))
    stride = as_int_list(slim_arg(call, 2, "stride", 2))
    padding = as_str(slim_arg(call, 3, "padding", "VALID"))
    first = format_is_first(slim_arg(call, 4, "data_format", None))
    if first is None:
        return x.derive(_unknown_spatial(x.shape, n, None, None), "pool")
    kernel = spatial_params(kernel, n, first)
    strides = spatial_params(stride, n, first)
    if kernel is None or strides is None or padding is None or padding.upper() not in ("SAME", "VALID"):
        channels = (x.shape[1] if first else x.shape[-1]) if len(x.shape) >= 2 else None
        return x.derive(_unknown_spatial(x.shape, n, first, channels), "pool")
    out = pool_shape(x.shape, kernel, strides, padding.upper(), first, n, facts={"input": x})
    kind = call.name.split(".")[-1]
    return x.derive(out, f"{kind} k{kernel[0]} s{strides[0]} {padding.upper()}")


@op("slim.fully_connected", "tf.contrib.layers.fully_connected")
def slim_fully_connected(call: Call) -> Value:
    x = tensor_of(call.arg(0, "inputs"))
    if x is None or x.shape is None:
        return UNKNOWN if x is None else x.derive(None, "fully_connected")
    if len(x.shape) < 2:
        raise RankMismatch(f"fully_connected needs an input of rank >= 2, got {shapes.fmt(x.shape)}",
                           tensor=x, expected=2)
    outputs = call.arg(1, "num_outputs")
    units = outputs.value if isinstance(getattr(outputs, "value", None), int) else None
    return x.derive(tuple(x.shape[:-1]) + (units,), "fully_connected")


@op("slim.flatten", "tf.contrib.layers.flatten")
def slim_flatten(call: Call) -> Value:
    x = tensor_of(call.arg(0, "inputs"))
    if x is None or x.shape is None or len(x.shape) < 1:
        return UNKNOWN if x is None else x.derive(None, "flatten")
    return x.derive((x.shape[0], shapes.num_elements(x.shape[1:])), "flatten", source_shape=x)


@op("slim.dropout", "slim.batch_norm", "slim.layer_norm", "tf.contrib.layers.batch_norm",
    "tf.contrib.layers.dropout")
def slim_identity(call: Call) -> Value:
    x = tensor_of(call.arg(0, "inputs"))
    return UNKNOWN if x is None else x.derive(x.shape, call.name.split(".")[-1])


@op("slim.repeat")
def slim_repeat(call: Call) -> Value:
    """``slim.repeat(net, 2, slim.conv2d, 64, [3, 3])``: the layer applied ``repetitions`` times."""
    net = call.arg(0, "inputs")
    count = as_int_list(call.arg(1, "repetitions"))
    layer = call.arg(2, "layer")
    if count is None or len(count) != 1 or not 0 <= count[0] <= 64 or not isinstance(layer, ApiRef):
        return UNKNOWN
    fn = lookup(layer.path)
    if fn is None:
        return UNKNOWN
    kwargs = {k: v for k, v in call.kwargs.items() if k != "scope"}
    for _ in range(count[0]):
        net = fn(replace(call, name=canonical(layer.path), args=[net, *call.args[3:]], kwargs=kwargs))
    return net
