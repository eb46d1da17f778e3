"""Convolutions built on the plain one: depthwise, separable, atrous, transposed; ``tf.nn.pool``."""

from __future__ import annotations

from typing import Optional

from ..domain.values import UNKNOWN, Const, TensorVal, Value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.shape import Shape
from .args import as_int, as_int_list, as_str, declared_dims, is_none, tensor_of
from .conv import _label, conv_shape, output_size, pool_shape
from .conv_args import conv_params, read_data_format, read_padding, spatial_arg
from .errors import ConvChannelMismatch, InvalidArgument, RankMismatch
from .registry import Call, op


def _channel_axis(shape: Shape, channels_first: bool) -> int:
    return 1 if channels_first else len(shape) - 1


def depthwise_shape(input_shape: Shape, filter_shape: Shape, strides: list[int], padding, channels_first: bool,
                    dilations: list[int], facts: Optional[dict] = None) -> Shape:
    """``depthwise_conv2d``: the filter's input depth equals the channels; ``channels * multiplier`` out."""
    if input_shape is None or filter_shape is None:
        return None
    if len(input_shape) != 4 or len(filter_shape) != 4:
        raise RankMismatch(f"depthwise_conv2d needs an input and a filter of rank 4, got {shapes.fmt(input_shape)} "
                           f"and {shapes.fmt(filter_shape)}", tensor=(facts or {}).get("input"), expected=4)
    channels = input_shape[_channel_axis(input_shape, channels_first)]
    if dims.equal(channels, filter_shape[2]) is False:
        raise ConvChannelMismatch(
            f"depthwise_conv2d: the input has {dims.fmt(channels)} channels ({shapes.fmt(input_shape)}) but the "
            f"filter is for {dims.fmt(filter_shape[2])} ({shapes.fmt(filter_shape)})", **(facts or {}))
    widened = tuple(filter_shape[:2]) + (channels, dims.mul(channels, filter_shape[3]))
    return conv_shape(input_shape, widened, strides, padding, channels_first, dilations, 2, facts)


@op("tf.nn.depthwise_conv2d", "tf.nn.depthwise_conv2d_native")
def depthwise_conv2d(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input"))
    w = tensor_of(call.arg(1, "filter"))
    if x is None or w is None:
        return UNKNOWN
    settings = conv_params(call, 2, strides_at=2, padding_at=3, format_at=None, dilation_names=("dilations", "rate"))
    if settings is None:
        return x.derive(None, "depthwise_conv2d")
    strides, padding, first, dilations = settings
    out = depthwise_shape(x.shape, w.shape, strides, padding, first, dilations, facts={"input": x, "filter": w})
    return x.derive(out, f"depthwise_conv2d {_label(padding, strides)}")


@op("tf.nn.separable_conv2d")
def separable_conv2d(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input"))
    depthwise = tensor_of(call.arg(1, "depthwise_filter"))
    pointwise = tensor_of(call.arg(2, "pointwise_filter"))
    if x is None or depthwise is None or pointwise is None:
        return UNKNOWN
    settings = conv_params(call, 2, strides_at=3, padding_at=4, format_at=None, dilation_names=("dilations", "rate"))
    if settings is None or pointwise.shape is None:
        return x.derive(None, "separable_conv2d")
    strides, padding, first, dilations = settings
    facts = {"input": x, "filter": depthwise}
    middle = depthwise_shape(x.shape, depthwise.shape, strides, padding, first, dilations, facts)
    if middle is None:
        return x.derive(None, "separable_conv2d")
    # the pointwise step is a 1x1 conv2d of the depthwise result (grouped when its depth divides)
    out = conv_shape(middle, pointwise.shape, [1, 1], "VALID", first, [1, 1], 2,
                     facts={"input": x, "filter": pointwise})
    return x.derive(out, f"separable_conv2d {_label(padding, strides)}")


@op("tf.nn.atrous_conv2d")
def atrous_conv2d(call: Call) -> Value:
    x = tensor_of(call.arg(0, "value"))
    w = tensor_of(call.arg(1, "filters"))
    rate = as_int(call.arg(2, "rate"))
    padding = read_padding(call.arg(3, "padding"), 2, False)
    if x is None or w is None:
        return UNKNOWN
    if rate is None or padding is None:
        return x.derive(None, "atrous_conv2d")
    out = conv_shape(x.shape, w.shape, [1, 1], padding, False, [rate, rate], 2, facts={"input": x, "filter": w})
    return x.derive(out, f"atrous_conv2d rate{rate} {padding}")


def transpose_check(input_shape: Shape, filter_shape: Shape, output: Shape, strides: list[int], padding,
                    channels_first: bool, dilations: list[int], n: int, facts: Optional[dict] = None) -> Shape:
    """``conv{n}d_transpose``: ``output`` is the output shape asked for. TF checks at run time that a
    convolution of ``output`` would give ``input_shape`` (same filter, strides, padding), and that
    the filter's last axis matches the input's channels."""
    facts = facts or {}
    if input_shape is None or filter_shape is None or output is None:
        return output
    if len(output) != n + 2 or len(input_shape) != n + 2 or len(filter_shape) != n + 2:
        return output if output is not None and len(output) == n + 2 else None
    channels = input_shape[_channel_axis(input_shape, channels_first)]
    if dims.equal(channels, filter_shape[-1]) is False:
        raise ConvChannelMismatch(
            f"conv{n}d_transpose: the input has {dims.fmt(channels)} channels ({shapes.fmt(input_shape)}) but the "
            f"filter ({shapes.fmt(filter_shape)}) takes {dims.fmt(filter_shape[-1])} (its last axis)", **facts)
    start = 2 if channels_first else 1
    for index in range(n):
        size, wanted, kernel = output[start + index], input_shape[start + index], filter_shape[index]
        if not (isinstance(size, int) and isinstance(kernel, int)):
            continue
        pad = padding if isinstance(padding, str) else padding[index]
        forward = output_size(size, kernel, strides[index], dilations[index], pad)
        if not isinstance(forward, int) or forward < 1:
            continue  # the window does not even fit the output: TF's kernel rounds it its own way
        if dims.equal(forward, wanted) is False:
            raise InvalidArgument(
                f"conv{n}d_transpose: output size {size} on axis {start + index} does not fit the input "
                f"({shapes.fmt(input_shape)}): a stride-{strides[index]} {pad if isinstance(pad, str) else 'padded'} "
                f"convolution of {size} gives {dims.fmt(forward)}, not {dims.fmt(wanted)}", **facts)
    return output


def _transpose(call: Call, n: int) -> Value:
    x = tensor_of(call.arg(0, "input", "value"))
    w = tensor_of(call.arg(1, "filters", "filter"))
    if x is None or w is None:
        return UNKNOWN
    output_arg = call.arg(2, "output_shape")
    declared = declared_dims(output_arg)
    if declared is None and isinstance(output_arg, TensorVal) and output_arg.shape and \
            isinstance(output_arg.shape[0], int) and 0 <= output_arg.shape[0] <= 1024:
        declared = (None,) * output_arg.shape[0]
    params = conv_params(call, n, strides_at=3, padding_at=4, format_at=5, padding_default=Const("SAME"))
    if declared is None or params is None:
        return x.derive(declared, f"conv{n}d_transpose")
    strides, padding, first, dilations = params
    out = transpose_check(x.shape, w.shape, declared, strides, padding, first, dilations, n,
                          facts={"input": x, "filter": w})
    return x.derive(out, f"conv{n}d_transpose {_label(padding, strides)}")


@op("tf.nn.conv2d_transpose", "tf.nn.conv2d_backprop_input")
def conv2d_transpose(call: Call) -> Value:
    if call.name.endswith("backprop_input"):
        return UNKNOWN  # (input_sizes, filter, out_backprop, ...): a different argument order
    return _transpose(call, 2)


@op("tf.nn.conv3d_transpose")
def conv3d_transpose(call: Call) -> Value:
    return _transpose(call, 3)


@op("tf.nn.conv1d_transpose")
def conv1d_transpose(call: Call) -> Value:
    return _transpose(call, 1)


def _no_dilation(value: Value) -> bool:
    if value is UNKNOWN or is_none(value):
        return True
    rates = as_int_list(value)
    return rates is not None and all(rate == 1 for rate in rates)


@op("tf.nn.pool")
def nn_pool(call: Call) -> Value:
    """``tf.nn.pool(input, window_shape, pooling_type, strides, padding)`` (TF1: padding before strides)."""
    x = tensor_of(call.arg(0, "input"))
    if x is None or x.shape is None:
        return UNKNOWN
    window = as_int_list(call.arg(1, "window_shape"))
    kind = as_str(call.arg(2, "pooling_type"))
    third = call.args[3] if len(call.args) > 3 else UNKNOWN
    padding_value = call.arg(None, "padding")
    strides_value = call.arg(None, "strides")
    if as_str(third) is not None:
        padding_value = third  # TF1 order: (input, window_shape, pooling_type, padding, ...)
    elif third is not UNKNOWN:
        strides_value = third
    if padding_value is UNKNOWN:
        padding_value = Const("VALID")
    first = read_data_format(call, None)
    if window is None or kind is None or first is None or not _no_dilation(call.arg(None, "dilations", "dilation_rate")):
        return x.derive(None, "pool")
    n = len(window)
    strides = spatial_arg(strides_value, n, first)
    padding = as_str(padding_value)
    if strides is None or padding is None or padding.upper() not in ("SAME", "VALID"):
        return x.derive(None, "pool")
    out = pool_shape(x.shape, window, strides, padding.upper(), first, n, facts={"input": x})
    return x.derive(out, f"pool {kind.lower()} {_label(padding.upper(), strides, window)}")

