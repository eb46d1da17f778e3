"""Keras layers (``tf.keras``, Keras 3, ``tf_keras``): construction and call.

Constructing a layer gives an ``ObjectVal("KerasLayer")`` whose state remembers its class name and
constructor arguments; calling it on a tensor runs the layer's shape function from ``SHAPES``.
Errors Keras raises when a layer is built or called are typed ShapeErrors, reported at the call
(functional API) or at the layer's construction (Sequential, see keras_models).
"""

from __future__ import annotations

from typing import Callable, Optional

from ..domain.values import UNKNOWN, Const, ListVal, ObjectVal, TensorVal, TupleVal, Value, fresh_tensor
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.shape import Shape
from .args import as_bool, as_dims, as_int, as_int_list, as_size, as_str, declared_dims, is_none, items_of, tensor_of
from .conv import layout, pool_shape, window_output
from .conv_args import format_is_first, spatial_ints
from .errors import (
    BroadcastMismatch,
    ShapeError,
    ConvChannelMismatch,
    LayerInputMismatch,
    OperandMismatch,
    RankMismatch,
    ReshapeMismatch,
)
from .math import broadcast_shapes
from .registry import Call, calls_method, op

LAYER = "KerasLayer"

# Keras layers and models run ``call`` when called (subclassed models and layers).
for _base in ("tf.keras.Model", "tf.keras.models.Model", "tf.keras.layers.Layer", "tf.Module"):
    calls_method(_base, "__call__" if _base == "tf.Module" else "call")


class Config:
    """A layer's constructor arguments, read by name (with the positional order of its signature)."""

    def __init__(self, call: Call, positional: tuple):
        self.call = call
        self.positional = positional

    def get(self, name: str, default: Value = UNKNOWN) -> Value:
        position = self.positional.index(name) if name in self.positional else None
        return self.call.arg(position, name, default=default)

    def given(self, name: str) -> bool:
        return self.get(name, default=None) is not None


# -- shape functions: (config, input shape) -> output shape -----------------------------------------

LayerShape = Callable[[Config, Shape, ObjectVal], Shape]
SHAPES: dict[str, tuple[tuple, LayerShape]] = {}


def layer(*names: str, positional: tuple = ()):
    """Register a layer class's shape function under its names (``Conv2D``, ``Convolution2D``)."""

    def register(fn: LayerShape) -> LayerShape:
        for name in names:
            SHAPES[name] = (positional, fn)
        return fn

    return register


def channels_first(config: Config) -> Optional[bool]:
    value = config.get("data_format", default=None)
    return False if value is None else format_is_first(value, keras=True)


def tuple_param(value: Value, n: int) -> Optional[list[int]]:
    """A Keras size argument (``kernel_size``, ``strides``...): one int or one per spatial axis."""
    return spatial_ints(value, n, False, full_rank=False)


def _spatial_axes(rank: int, n: int, first: bool) -> list[int]:
    return layout(rank, n, first)[0]


def _require_rank(shape: Shape, rank: int, what: str) -> None:
    if len(shape) != rank:
        raise RankMismatch(f"{what} expects an input of rank {rank}, got {shapes.fmt(shape)}", expected=rank)


@layer("Dense", positional=("units",))
def dense(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    units = as_size(config.get("units"))
    if len(shape) < 2:
        raise RankMismatch(f"Dense expects an input of rank >= 2, got {shapes.fmt(shape)}", expected=2)
    _check_built_input(obj, shape[-1], "Dense")
    return tuple(shape[:-1]) + (units,)


def _check_built_input(obj: ObjectVal, size, what: str, grouped: bool = False) -> None:
    """A layer builds its weights for the first input's last axis; a later input must match (a
    convolution's, in Keras 2, may be a multiple: TF runs it as a grouped convolution)."""
    built = obj.state.get("built_input")
    if built is not None and not isinstance(built, (int, dims.Expr)):  # UNKNOWN: built on one path only
        return
    if grouped and isinstance(built, int) and isinstance(size, int) and size % built == 0:
        return
    if built is not None and dims.equal(built, size) is False:
        raise LayerInputMismatch(
            f"{what} layer was built for inputs of size {dims.fmt(built)} on the last axis, but receives "
            f"{dims.fmt(size)}")


# Keras 1's keywords for convolutions and pooling. Keras 2.0-2.3 still translated them (with a warning);
# tf.keras and Keras 3 reject them.
_KERAS1_KEYWORDS = ("nb_filter", "nb_row", "nb_col", "border_mode", "subsample", "filter_length",
                    "subsample_length", "dim_ordering")


def written_for_keras1(config: Config, n: int) -> bool:
    """``Convolution2D(32, 3, 3, border_mode="same")``: Keras 1's signature, in which the third number
    is the kernel's width where tf.keras reads a stride. The same import path (``keras.layers``)
    served both, so the shapes of such a layer are left unknown rather than read the tf.keras way."""
    call = config.call
    if any(name in call.kwargs for name in _KERAS1_KEYWORDS):
        return True
    third = call.args[2] if len(call.args) > 2 else None
    return (n >= 2 and call.name.endswith(f"Convolution{n}D") and isinstance(third, Const)
            and isinstance(third.value, int))


def _conv(n: int, transpose: bool = False, depthwise: bool = False, extra_batch: bool = False):
    def shape_fn(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
        name = f"{'Depthwise' if depthwise else ''}Conv{n}D{'Transpose' if transpose else ''}"
        if extra_batch and len(shape) > n + 2:
            return None  # Keras 2 folds extra leading batch dims, Keras 3 rejects them
        if written_for_keras1(config, n):
            return None
        _require_rank(shape, n + 2, name)
        first = channels_first(config)
        kernel = tuple_param(config.get("kernel_size"), n)
        strides = tuple_param(config.get("strides", default=Const(1)), n)
        dilation = tuple_param(config.get("dilation_rate", default=Const(1)), n)
        padding = as_str(config.get("padding", default=Const("valid")))
        if first is None or kernel is None or strides is None or dilation is None or padding is None:
            return None
        padding = padding.lower()
        channel_axis = 1 if first else len(shape) - 1
        channels = shape[channel_axis]
        groups = as_int(config.get("groups", default=Const(1))) if not depthwise else 1
        filters = as_size(config.get("filters")) if not depthwise else None
        if groups is None:
            return None
        if isinstance(channels, int) and groups > 1 and channels % groups != 0:
            raise ConvChannelMismatch(f"{name} with groups={groups} needs input channels divisible by {groups}, "
                                      f"got {channels} ({shapes.fmt(shape)})")
        _check_built_input(obj, channels, name, grouped=not (transpose or depthwise))
        output_padding = config.get("output_padding", default=Const(None)) if transpose else None
        if output_padding is not None and not is_none(output_padding):
            output_padding = tuple_param(output_padding, n)
            if output_padding is None:
                return None
        out = list(shape)
        for index, axis in enumerate(_spatial_axes(len(shape), n, first)):
            if transpose:
                extra = output_padding[index] if isinstance(output_padding, list) else None
                # Keras 2's Conv3DTranspose ignores the dilation that Keras 3 applies
                out[axis] = deconv_length(shape[axis], kernel[index], padding, strides[index], dilation[index],
                                          extra) if n < 3 or dilation[index] == 1 else None
                continue
            if padding not in ("valid", "same", "causal"):
                return None
            # causal pads (window - 1) on the left only: the same output size as SAME
            out[axis] = window_output(shape, axis, kernel[index], strides[index], dilation[index],
                                      "VALID" if padding == "valid" else "SAME",
                                      f"{name} with kernel {kernel[index]} ({padding})")
        if depthwise:
            multiplier = as_size(config.get("depth_multiplier", default=Const(1)))
            out[channel_axis] = dims.mul(channels, multiplier) if multiplier is not None else None
        else:
            out[channel_axis] = filters
        return tuple(out)

    return shape_fn


def deconv_length(size, kernel: int, padding: str, stride: int, dilation: int, output_padding=None):
    """Keras' ``deconv_output_length``."""
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is not None:
        pad = {"valid": 0, "same": kernel // 2}.get(padding)
        if pad is None:
            return None
        return dims.add(dims.mul(dims.add(size, -1), stride), kernel - 2 * pad + output_padding)
    if padding == "valid":
        return dims.add(dims.mul(size, stride), max(kernel - stride, 0))
    if padding == "same":
        return dims.mul(size, stride)
    return None


for _n in (1, 2, 3):
    layer(f"Conv{_n}D", f"Convolution{_n}D", positional=("filters", "kernel_size", "strides", "padding"))(
        _conv(_n, extra_batch=True))
    layer(f"Conv{_n}DTranspose", f"Convolution{_n}DTranspose",
          positional=("filters", "kernel_size", "strides", "padding"))(_conv(_n, transpose=True))
layer("SeparableConv1D", "SeparableConvolution1D", positional=("filters", "kernel_size", "strides", "padding"))(
    _conv(1))
layer("SeparableConv2D", "SeparableConvolution2D", positional=("filters", "kernel_size", "strides", "padding"))(
    _conv(2))
layer("DepthwiseConv2D", positional=("kernel_size", "strides", "padding", "depth_multiplier"))(
    _conv(2, depthwise=True))
layer("DepthwiseConv1D", positional=("kernel_size", "strides", "padding", "depth_multiplier"))(
    _conv(1, depthwise=True))


def _pool(n: int):
    def shape_fn(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
        _require_rank(shape, n + 2, f"Pooling{n}D")
        if written_for_keras1(config, n):
            return None
        first = channels_first(config)
        pool = tuple_param(config.get("pool_size", default=Const(2)), n)
        stride_value = config.get("strides", default=Const(None))
        strides = pool if is_none(stride_value) else tuple_param(stride_value, n)
        padding = as_str(config.get("padding", default=Const("valid")))
        padding = padding.lower() if padding is not None else None  # Keras 2 takes "SAME" too
        if first is None or pool is None or strides is None or padding not in ("valid", "same"):
            return None
        return pool_shape(shape, pool, strides, padding.upper(), first, n)

    return shape_fn


for _n in (1, 2, 3):
    for _kind in ("Max", "Average"):
        layer(f"{_kind}Pooling{_n}D", f"{_kind[:3] if _kind == 'Max' else 'Avg'}Pool{_n}D",
              positional=("pool_size", "strides", "padding", "data_format"))(_pool(_n))


def _global_pool(n: int):
    def shape_fn(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
        _require_rank(shape, n + 2, f"GlobalPooling{n}D")
        first = channels_first(config)
        keepdims = as_bool(config.get("keepdims", default=Const(False)))
        if first is None or keepdims is None:
            return None
        channels = shape[1] if first else shape[-1]
        if keepdims:
            spatial = (1,) * n
            return (shape[0], channels) + spatial if first else (shape[0],) + spatial + (channels,)
        return (shape[0], channels)

    return shape_fn


for _n in (1, 2, 3):
    for _kind in ("Max", "Average"):
        layer(f"Global{_kind}Pooling{_n}D", f"Global{_kind[:3] if _kind == 'Max' else 'Avg'}Pool{_n}D",
              positional=("data_format",))(_global_pool(_n))


@layer("Flatten", positional=("data_format",))
def flatten(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    if len(shape) < 1:
        return None
    return (shape[0], shapes.num_elements(shape[1:]))


@layer("Reshape", positional=("target_shape",))
def reshape(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    target = as_dims(config.get("target_shape"))
    if target is None or any(d is None or (isinstance(d, int) and d < -1) for d in target):
        return None  # Keras rejects a negative size other than -1
    total = shapes.num_elements(shape[1:])
    inferred = [i for i, d in enumerate(target) if d == -1]
    known = dims.product(d for d in target if d != -1)
    text = "(" + ", ".join(dims.fmt(d) for d in target) + ")"
    if not inferred:
        if dims.equal(total, known) is False:
            raise ReshapeMismatch(f"Reshape{text} of {shapes.fmt(shape)}: {dims.fmt(total)} values per example "
                                  f"cannot become {dims.fmt(known)}")
        return (shape[0],) + tuple(target)
    if len(inferred) > 1:
        return None
    if isinstance(total, int) and isinstance(known, int) and known > 0 and total % known != 0:
        raise ReshapeMismatch(f"Reshape{text} of {shapes.fmt(shape)}: {total} values per example are not a "
                              f"multiple of {known}")
    out = list(target)
    out[inferred[0]] = dims.div_exact(total, known) if known else None
    return (shape[0],) + tuple(out)


@layer("Permute", positional=("dims",))
def permute(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    order = as_int_list(config.get("dims"))
    if order is None or sorted(order) != list(range(1, len(shape))):
        return None
    return (shape[0],) + tuple(shape[i] for i in order)


@layer("RepeatVector", positional=("n",))
def repeat_vector(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    _require_rank(shape, 2, "RepeatVector")
    return (shape[0], as_size(config.get("n")), shape[1])


@layer("Embedding", positional=("input_dim", "output_dim"))
def embedding(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    return tuple(shape) + (as_size(config.get("output_dim")),)


def _rnn(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    _require_rank(shape, 3, "a recurrent layer")
    units = as_size(config.get("units"))
    sequences = as_bool(config.get("return_sequences", default=Const(False)))
    state = as_bool(config.get("return_state", default=Const(False)))
    if sequences is None or state is None or state:
        return None
    if as_bool(config.get("time_major", default=Const(False))) is not False:
        return None
    return (shape[0], shape[1], units) if sequences else (shape[0], units)


layer("SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU", positional=("units",))(_rnn)


@layer("Bidirectional", positional=("layer", "merge_mode"))
def bidirectional(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    inner = config.get("layer")
    merge = config.get("merge_mode", default=Const("concat"))
    if not isinstance(inner, ObjectVal) or inner.type_name != LAYER or as_str(merge) is None:
        return None
    out = layer_output(inner, shape)
    if out is None:
        return None
    if as_str(merge) == "concat":
        return tuple(out[:-1]) + (dims.mul(out[-1], 2),)
    return out if as_str(merge) in ("sum", "mul", "ave") else None


def _upsampling(n: int):
    def shape_fn(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
        if n == 3 and len(shape) != 5:
            return None  # Keras 2's UpSampling3D repeats axes 1-3 of any rank, Keras 3 rejects
        _require_rank(shape, n + 2, f"UpSampling{n}D")
        first = channels_first(config) if n > 1 else False
        size = tuple_param(config.get("size", default=Const(2)), n)
        if first is None or size is None:
            return None
        out = list(shape)
        for index, axis in enumerate(_spatial_axes(len(shape), n, first)):
            out[axis] = dims.mul(shape[axis], size[index])
        return tuple(out)

    return shape_fn


def _padding_pairs(value: Value, n: int) -> Optional[list[tuple[int, int]]]:
    single = as_int(value)
    if single is not None:
        return [(single, single)] * n
    items = items_of(value)
    if items is None or len(items) != n and not (n == 1 and len(items) == 2):
        return None
    if n == 1 and len(items) == 2 and all(as_int(i) is not None for i in items):
        return [(as_int(items[0]), as_int(items[1]))]
    pairs = []
    for item in items:
        one = as_int(item)
        if one is not None:
            pairs.append((one, one))
            continue
        both = as_int_list(item)
        if both is None or len(both) != 2:
            return None
        pairs.append((both[0], both[1]))
    return pairs


def _resize(n: int, sign: int, what: str, param: str):
    def shape_fn(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
        _require_rank(shape, n + 2, f"{what}{n}D")
        first = channels_first(config) if n > 1 else False
        pairs = _padding_pairs(config.get(param, default=Const(0 if n == 2 and sign < 0 else 1)), n)
        if first is None or pairs is None:
            return None
        out = list(shape)
        for index, axis in enumerate(_spatial_axes(len(shape), n, first)):
            size = dims.add(shape[axis], sign * (pairs[index][0] + pairs[index][1]))
            out[axis] = size if dims.provably_positive(size) is not False else None
        return tuple(out)

    return shape_fn


for _n in (1, 2, 3):
    layer(f"UpSampling{_n}D", positional=("size",))(_upsampling(_n))
    layer(f"ZeroPadding{_n}D", positional=("padding",))(_resize(_n, 1, "ZeroPadding", "padding"))
    layer(f"Cropping{_n}D", positional=("cropping",))(_resize(_n, -1, "Cropping", "cropping"))


@layer("Dropout", "BatchNormalization", "LayerNormalization", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU",
       "Softmax", "ThresholdedReLU", "GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D",
       "SpatialDropout2D", "SpatialDropout3D", "ActivityRegularization", "Rescaling", "Masking",
       "UnitNormalization", "GroupNormalization", "Identity")
def identity(config: Config, shape: Shape, obj: ObjectVal) -> Shape:
    return shape


# -- merge layers: a list of inputs ---------------------------------------------------------------


def merge_elementwise(name: str, input_shapes: list) -> Shape:
    out = input_shapes[0]
    for other in input_shapes[1:]:
        if out is None or other is None:
            return None
        if len(out) == len(other):  # Keras broadcasts dims of equal-rank inputs (None or 1)
            merged, clash = broadcast_shapes(out, other)
        elif out and other:  # of different ranks: the example dims, aligned on the right
            merged, clash = broadcast_shapes(out[1:], other[1:])
            merged = (out[0] if dims.equal(out[0], other[0]) is True else None,) + tuple(merged or ())
        else:
            return None
        if clash is not None:
            raise BroadcastMismatch(
                f"{name} inputs have incompatible shapes: {shapes.fmt(input_shapes[0])} and {shapes.fmt(other)}")
        out = merged
    return out


MERGE = {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}


def concatenate(config: Config, input_shapes: list) -> Shape:
    axis = as_int(config.get("axis", default=Const(-1)))
    if axis is None or any(s is None for s in input_shapes):
        return None
    rank = len(input_shapes[0])
    if any(len(s) != rank for s in input_shapes) or not -rank <= axis < rank:
        return None
    axis %= rank
    out = list(input_shapes[0])
    for other in input_shapes[1:]:
        for index in range(rank):
            if index == axis:
                out[index] = dims.add(out[index], other[index])
            elif dims.equal(out[index], other[index]) is False and index != 0:
                raise OperandMismatch(
                    f"Concatenate on axis {axis} needs the other axes to match, but axis {index} is "
                    f"{dims.fmt(out[index])} in {shapes.fmt(input_shapes[0])} and {dims.fmt(other[index])} in "
                    f"{shapes.fmt(other)}")
            elif dims.equal(out[index], other[index]) is not True:
                out[index] = None if index != 0 else out[index]  # the batch: equal whenever it runs
    return tuple(out)


# -- construction and call -------------------------------------------------------------------------

_ALL_LAYERS = sorted(set(SHAPES) | MERGE | {"Concatenate", "Lambda", "TimeDistributed", "InputLayer"})


@op(*(f"tf.keras.layers.{name}" for name in _ALL_LAYERS))
def construct(call: Call) -> Value:
    return ObjectVal(LAYER, state={"class": call.name.split(".")[-1], "config": call, "node": call.node})


_MERGE_FUNCTIONS = {"concatenate": "Concatenate", "add": "Add", "subtract": "Subtract", "multiply": "Multiply",
                    "average": "Average", "maximum": "Maximum", "minimum": "Minimum"}


@op(*(f"tf.keras.layers.{name}" for name in _MERGE_FUNCTIONS))
def merge_function(call: Call) -> Value:
    """``layers.concatenate([a, b], axis=-1)``: the merge layer built and called at once."""
    class_name = _MERGE_FUNCTIONS[call.name.split(".")[-1]]
    config = Call(name=class_name, args=list(call.args[1:]), kwargs=call.kwargs, node=call.node)
    layer_object = ObjectVal(LAYER, state={"class": class_name, "config": config, "node": call.node})
    return apply_layer(layer_object, call.arg(0, "inputs"), call.set_state)


def input_tensor_from_config(call: Call, new_symbol) -> Optional[TensorVal]:
    """The input a layer declares itself (``input_shape=``, ``batch_input_shape=``, ``input_dim=``)."""
    batch = call.arg(None, "batch_input_shape", "batch_shape", default=None)
    if batch is not None:
        declared = declared_dims(batch)
        if declared is None or not declared:
            return None
        first = declared[0] if declared[0] is not None else new_symbol("N")
        return TensorVal(shape=(first,) + tuple(declared[1:]), kind="keras_input", chain=())
    shape_arg = call.arg(None, "input_shape", default=None)
    if shape_arg is None and call.has(None, "input_dim"):
        shape_arg = TupleVal((call.arg(None, "input_dim"),))
    if shape_arg is None:
        return None
    declared = declared_dims(shape_arg)
    if declared is None:
        return None
    return fresh_tensor((new_symbol("N"),) + tuple(declared), kind="keras_input")


def layer_output(obj: ObjectVal, input_shape: Shape) -> Shape:
    """The output shape of a layer object for one input shape (raises the layer's errors)."""
    entry = SHAPES.get(obj.state["class"])
    if entry is None or input_shape is None:
        return None
    positional, fn = entry
    return fn(Config(obj.state["config"], positional), input_shape, obj)


def apply_layer(obj: ObjectVal, inputs: Value, set_state) -> Value:
    """Call a layer object on a tensor or a list of tensors; remembers what it was built for."""
    name = obj.state["class"]
    label = name
    if name in MERGE or name == "Concatenate":
        items = items_of(inputs)
        tensors = [tensor_of(i) for i in items] if items is not None else None
        if not tensors or any(t is None for t in tensors):
            return UNKNOWN
        input_shapes = [t.shape for t in tensors]
        config = Config(obj.state["config"], ("axis",) if name == "Concatenate" else ())
        try:
            out = concatenate(config, input_shapes) if name == "Concatenate" else merge_elementwise(name, input_shapes)
        except ShapeError as error:
            error.facts.setdefault("a", tensors[0])
            error.facts.setdefault("b", tensors[-1])
            raise
        return tensors[0].derive(out, label, kind="tensor")
    tensor = tensor_of(inputs)
    if tensor is None:
        return UNKNOWN
    if tensor.shape is None:
        return tensor.derive(None, label)
    try:
        out = layer_output(obj, tensor.shape)
    except ShapeError as error:
        error.facts.setdefault("tensor", tensor)
        raise
    if name in ("Dense", "Conv1D", "Conv2D", "Conv3D") and tensor.shape and "built_input" not in obj.state:
        first = channels_first(Config(obj.state["config"], ())) if name != "Dense" else False
        set_state(obj, "built_input", tensor.shape[1] if first else tensor.shape[-1])
    flattened = tensor if name == "Flatten" else None  # what a dense weight after it receives
    return tensor.derive(out, _describe(obj, label), source_shape=flattened)


def _describe(obj: ObjectVal, name: str) -> str:
    config = obj.state["config"]
    first = config.args[0] if config.args else None
    value = getattr(first, "value", None)
    return f"{name}({value})" if isinstance(value, (int, str)) and not isinstance(value, bool) else name


@op("KerasLayer.__call__")
def call_layer(call: Call) -> Value:
    obj = call.args[0]
    inputs = call.arg(1, "inputs")
    if obj.state["class"] not in SHAPES and obj.state["class"] not in MERGE and obj.state["class"] != "Concatenate":
        tensor = tensor_of(inputs)
        return tensor.derive(None, obj.state["class"]) if tensor is not None else UNKNOWN
    return apply_layer(obj, inputs, call.set_state)


def keras_layers_list(value: Value) -> Optional[list]:
    items = items_of(value) if isinstance(value, (ListVal, TupleVal)) else None
    return list(items) if items is not None else None
