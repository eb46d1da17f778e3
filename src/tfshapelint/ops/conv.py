"""Convolutions and pooling.

Pure shape functions first (``conv_shape``, ``pool_shape``: shapes in, shape out or a typed
error), mirroring TensorFlow's ``common_shape_fns.cc``; then the adapters registered for each API
name, which read the abstract arguments.
"""

from __future__ import annotations

from typing import Optional

from ..domain.values import UNKNOWN, Value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .args import tensor_of
from .conv_args import Padding, conv_params, read_data_format, read_padding, spatial_ints
from .conv_args import spatial_params  # noqa: F401 (where the tests and older code import it from)
from .errors import ConvChannelMismatch, InvalidArgument, NonPositiveOutput, RankMismatch
from .registry import Call, op



def output_size(size: Dim, kernel: int, stride: int, dilation: int, padding) -> Dim:
    """One spatial output size; ``padding`` is "SAME", "VALID" or a ``(lo, hi)`` pair."""
    if stride < 1 or dilation < 1:  # invalid (Keras: strides=0): unknown, not ZeroDivisionError
        return None
    effective = (kernel - 1) * dilation + 1
    if padding == "SAME":
        return dims.ceil_div(size, stride)
    if padding == "VALID":
        room = dims.sub(size, effective - 1)
    else:
        low, high = padding
        room = dims.sub(dims.add(size, low + high), effective - 1)
    return dims.ceil_div(room, stride)


def layout(rank: int, n_spatial: int, channels_first: bool) -> tuple[list[int], int]:
    """Axes of the spatial dims and of the channels, for an input of ``rank``."""
    first_spatial = rank - n_spatial - (0 if channels_first else 1)
    spatial = list(range(first_spatial, first_spatial + n_spatial))
    channel = rank - n_spatial - 1 if channels_first else rank - 1
    return spatial, channel


def window_output(input_shape: Shape, axis: int, kernel: int, stride: int, dilation: int, padding, what: str,
                  **facts) -> Dim:
    """The output size of one spatial axis under a sliding window (every convolution and pooling front
    end, tf.nn, tf.layers, slim and Keras, computes it here). A window that provably does not fit
    raises NonPositiveOutput: graph mode raises, eager kernels may return an empty tensor.
    ``what`` names the window in the message ("a 2-wide SAME pooling window", "Conv2D with kernel 5")."""
    size = output_size(input_shape[axis], kernel, stride, dilation, padding)
    if dims.provably_positive(size) is False:
        room = f"size {dims.fmt(input_shape[axis])}"
        if not isinstance(padding, str) and sum(padding):
            room += f" + {padding[0] + padding[1]} padding"
        raise NonPositiveOutput(
            f"{what} does not fit axis {axis} of {shapes.fmt(input_shape)} ({room} < window "
            f"{(kernel - 1) * dilation + 1}): the output would be empty", **facts)
    return size


def conv_shape(input_shape: Shape, filter_shape: Shape, strides: list[int], padding: Padding,
               channels_first: bool = False, dilations: Optional[list[int]] = None,
               n_spatial: int = 2, facts: Optional[dict] = None) -> Shape:
    """Output shape of an N-d convolution (TF2 semantics: grouped when the filter's input depth
    divides the input channels; extra leading batch dims allowed). Raises a ShapeError subclass."""
    facts = facts or {}
    if input_shape is None or filter_shape is None:
        return None
    if len(input_shape) < n_spatial + 2:
        raise RankMismatch(
            f"conv{n_spatial}d needs an input of rank >= {n_spatial + 2}, got {shapes.fmt(input_shape)}",
            tensor=facts.get("input"), expected=n_spatial + 2)
    if len(filter_shape) != n_spatial + 2:
        raise RankMismatch(
            f"conv{n_spatial}d needs a filter of rank {n_spatial + 2}, got {shapes.fmt(filter_shape)}",
            tensor=facts.get("filter"), expected=n_spatial + 2)
    dilations = dilations or [1] * n_spatial
    spatial_axes, channel_axis = layout(len(input_shape), n_spatial, channels_first)
    in_channels = input_shape[channel_axis]
    filter_depth, out_channels = filter_shape[-2], filter_shape[-1]
    if isinstance(in_channels, int) and isinstance(filter_depth, int) and filter_depth > 0:
        if in_channels % filter_depth != 0:
            raise ConvChannelMismatch(
                f"the input has {_channels(in_channels)} ({shapes.fmt(input_shape)}) but the filter expects "
                f"{filter_depth} ({shapes.fmt(filter_shape)}), and {filter_depth} does not divide {in_channels}",
                **facts)
        groups = in_channels // filter_depth
        if isinstance(out_channels, int) and groups > 0 and out_channels % groups != 0:  # 0 channels: 0 groups
            raise ConvChannelMismatch(
                f"the input has {_channels(in_channels)} ({shapes.fmt(input_shape)}) and the filter expects "
                f"{filter_depth} ({shapes.fmt(filter_shape)}): a grouped convolution of {groups} groups, "
                f"but its {out_channels} output channels are not a multiple of {groups}",
                **facts)
    if any(s < 1 for s in strides) or any(d < 1 for d in dilations):
        raise InvalidArgument(f"strides and dilations must be >= 1, got strides={strides} dilations={dilations}",
                              **facts)
    out = list(input_shape)
    for index, axis in enumerate(spatial_axes):
        kernel = filter_shape[index]
        pad = padding if isinstance(padding, str) else padding[index]
        if not isinstance(kernel, int):
            out[axis] = None
            continue
        out[axis] = window_output(input_shape, axis, kernel, strides[index], dilations[index], pad,
                                  f"a {kernel}-wide {_pad_name(pad)} convolution window", **facts)
    out[channel_axis] = out_channels
    return tuple(out)


def pool_shape(input_shape: Shape, ksize: list[int], strides: list[int], padding: str,
               channels_first: bool = False, n_spatial: int = 2, facts: Optional[dict] = None) -> Shape:
    """Output shape of max/avg pooling over ``n_spatial`` axes."""
    facts = facts or {}
    if input_shape is None:
        return None
    if len(input_shape) != n_spatial + 2:
        raise RankMismatch(
            f"{n_spatial}-d pooling needs an input of rank {n_spatial + 2}, got {shapes.fmt(input_shape)}",
            tensor=facts.get("input"), expected=n_spatial + 2)
    if any(s < 1 for s in strides) or any(k < 1 for k in ksize):
        raise InvalidArgument(f"ksize and strides must be >= 1, got ksize={ksize} strides={strides}", **facts)
    spatial_axes, _ = layout(len(input_shape), n_spatial, channels_first)
    out = list(input_shape)
    for index, axis in enumerate(spatial_axes):
        out[axis] = window_output(input_shape, axis, ksize[index], strides[index], 1, padding,
                                  f"a {ksize[index]}-wide {padding} pooling window", **facts)
    return tuple(out)


def _channels(count: int) -> str:
    return "1 channel" if count == 1 else f"{count} channels"


def _pad_name(pad) -> str:
    return pad if isinstance(pad, str) else "explicitly padded"


def _label(padding: Padding, strides: list[int], ksize: Optional[list[int]] = None) -> str:
    pad = padding if isinstance(padding, str) else "pad" + str([list(p) for p in padding])
    parts = []
    if ksize is not None:
        parts.append("k" + "x".join(str(k) for k in _compact(ksize)))
    parts.append("s" + "x".join(str(s) for s in _compact(strides)))
    parts.append(pad)
    return " ".join(parts)


def _compact(values: list[int]) -> list[int]:
    return values[:1] if len(set(values)) == 1 else values


# -- registered APIs -------------------------------------------------------------------------------


@op("tf.nn.conv2d")
def conv2d(call: Call) -> Value:
    return _conv(call, 2)


@op("tf.nn.conv1d")
def conv1d(call: Call) -> Value:
    return _conv(call, 1)


@op("tf.nn.conv3d")
def conv3d(call: Call) -> Value:
    return _conv(call, 3)


def _conv(call: Call, n_spatial: int) -> Value:
    x = tensor_of(call.arg(0, "input", "value"))
    w = tensor_of(call.arg(1, "filters", "filter"))
    if x is None or w is None:
        return UNKNOWN
    params = conv_params(call, n_spatial, strides_at=2, padding_at=3, format_at=4,
                         strides_names=("strides", "stride"), dilation_given=True)
    if params is None:
        return x.derive(None, f"conv{n_spatial}d") if x.shape is not None else UNKNOWN
    strides, padding, channels_first, dilations = params
    out = conv_shape(x.shape, w.shape, strides, padding, channels_first, dilations, n_spatial,
                     facts={"input": x, "filter": w})
    return x.derive(out, f"conv{n_spatial}d {_label(padding, strides)}")


@op("tf.nn.max_pool", "tf.nn.avg_pool", "tf.nn.max_pool2d", "tf.nn.avg_pool2d", "tf.nn.max_pool1d",
    "tf.nn.avg_pool1d", "tf.nn.max_pool3d", "tf.nn.avg_pool3d", "tf.nn.avg_pool_v2", "tf.nn.max_pool_v2")
def pool(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input", "value"))
    if x is None or x.shape is None:
        return UNKNOWN
    name = call.name.split(".")[-1]
    fixed = {"1d": 1, "2d": 2, "3d": 3}.get(name[-2:])
    n_spatial = fixed if fixed else len(x.shape) - 2
    kind = "max_pool" if name.startswith("max") else "avg_pool"
    channels_first = read_data_format(call, 4)
    padding = read_padding(call.arg(3, "padding"), n_spatial, bool(channels_first))
    if n_spatial < 1 or channels_first is None or not isinstance(padding, str):
        return x.derive(None, kind)
    ksize = spatial_ints(call.arg(1, "ksize", "window_shape"), n_spatial, channels_first)
    strides = spatial_ints(call.arg(2, "strides"), n_spatial, channels_first)
    if ksize is None or strides is None:
        return x.derive(None, kind)
    out = pool_shape(x.shape, ksize, strides, padding, channels_first, n_spatial, facts={"input": x})
    return x.derive(out, f"{kind} {_label(padding, strides, ksize)}")
