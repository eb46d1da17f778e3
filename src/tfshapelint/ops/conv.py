"""Convolutions and pooling.

Pure shape functions first (``conv_shape``, ``pool_shape``: shapes in, shape out or a typed
error), mirroring TensorFlow's ``common_shape_fns.cc``; then the adapters registered for each API
name, which read the abstract arguments.
"""

from __future__ import annotations

from typing import Optional, Union

from ..domain.values import UNKNOWN, Value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .args import as_int_list, as_str, is_none, items_of, tensor_of
from .errors import ConvChannelMismatch, InvalidArgument, NonPositiveOutput, RankMismatch
from .registry import Call, op

Padding = Union[str, list]  # "SAME", "VALID", or [(lo, hi), ...] per spatial axis


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


def spatial_params(values: Optional[list[int]], n_spatial: int, channels_first: bool) -> Optional[list[int]]:
    """Strides/dilations/ksize given as 1 value, one per spatial axis, or one per axis of the input.

    A full-rank list must have 1 at the batch and channel axes; otherwise the result is None
    (TensorFlow rejects or pools over depth; either way we stay silent).
    """
    if values is None:
        return None
    if len(values) == 1:
        return values * n_spatial
    if len(values) == n_spatial:
        return list(values)
    if len(values) == n_spatial + 2:
        if channels_first:
            outer, inner = (values[0], values[1]), values[2:]
        else:
            outer, inner = (values[0], values[-1]), values[1:-1]
        return list(inner) if outer == (1, 1) else None
    return None


def _layout(rank: int, n_spatial: int, channels_first: bool) -> tuple[list[int], int]:
    """Axes of the spatial dims and of the channels, for an input of ``rank``."""
    first_spatial = rank - n_spatial - (0 if channels_first else 1)
    spatial = list(range(first_spatial, first_spatial + n_spatial))
    channel = rank - n_spatial - 1 if channels_first else rank - 1
    return spatial, channel


def _check_positive(out: Dim, axis: int, input_shape: Shape, what: str, window: int, padding, **facts) -> None:
    """A window that does not fit: graph mode raises, eager kernels may return an empty tensor."""
    if dims.provably_positive(out) is False:
        size = input_shape[axis]
        room = f"size {dims.fmt(size)}"
        if not isinstance(padding, str) and sum(padding):
            room += f" + {padding[0] + padding[1]} padding"
        raise NonPositiveOutput(
            f"{what} does not fit axis {axis} of {shapes.fmt(input_shape)} ({room} < window {window}): "
            f"the output would be empty", **facts)


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
    spatial_axes, channel_axis = _layout(len(input_shape), n_spatial, channels_first)
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
        size = output_size(input_shape[axis], kernel, strides[index], dilations[index], pad)
        _check_positive(size, axis, input_shape, f"a {kernel}-wide {_pad_name(pad)} convolution window",
                        (kernel - 1) * dilations[index] + 1, pad, **facts)
        out[axis] = size
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
    spatial_axes, _ = _layout(len(input_shape), n_spatial, channels_first)
    out = list(input_shape)
    for index, axis in enumerate(spatial_axes):
        size = output_size(input_shape[axis], ksize[index], strides[index], 1, padding)
        _check_positive(size, axis, input_shape, f"a {ksize[index]}-wide {padding} pooling window", ksize[index],
                        padding, **facts)
        out[axis] = size
    return tuple(out)


def _channels(count: int) -> str:
    return "1 channel" if count == 1 else f"{count} channels"


def _pad_name(pad) -> str:
    return pad if isinstance(pad, str) else "explicitly padded"


# -- argument reading ------------------------------------------------------------------------------


def read_padding(value: Value, n_spatial: int, channels_first: bool) -> Optional[Padding]:
    text = as_str(value)
    if text is not None:
        text = text.upper()
        return text if text in ("SAME", "VALID") else None
    pairs = items_of(value)
    if pairs is None:
        return None
    parsed = [as_int_list(pair) for pair in pairs]
    if any(p is None or len(p) != 2 for p in parsed):
        return None
    if len(parsed) == n_spatial + 2 and n_spatial >= 1:  # n_spatial is -1 for a pool of a rank-1 input
        outer = [parsed[0], parsed[1]] if channels_first else [parsed[0], parsed[-1]]
        if any(p != [0, 0] for p in outer):
            return None  # TF rejects padding of batch/channels; we stay silent
        parsed = parsed[2:] if channels_first else parsed[1:-1]
    if len(parsed) != n_spatial:
        return None
    return [tuple(p) for p in parsed]


def read_data_format(call: Call, tf2_position: Optional[int]) -> Optional[bool]:
    """True for channels-first, False for channels-last, None when unknown."""
    value = call.arg(None, "data_format")
    if value is UNKNOWN and tf2_position is not None and tf2_position < len(call.args):
        value = call.args[tf2_position] if as_str(call.args[tf2_position]) else UNKNOWN
    if value is UNKNOWN:
        return False
    text = as_str(value)
    if text is None:
        return None if not (hasattr(value, "value") and value.value is None) else False
    return text.upper().startswith("NC")


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
    channels_first = read_data_format(call, 4)
    padding = read_padding(call.arg(3, "padding"), n_spatial, bool(channels_first))
    strides = spatial_params(as_int_list(call.arg(2, "strides", "stride")), n_spatial, bool(channels_first))
    dilations = spatial_params(as_int_list(call.arg(None, "dilations")), n_spatial, bool(channels_first)) \
        if call.has(None, "dilations") and not is_none(call.arg(None, "dilations")) else [1] * n_spatial
    if channels_first is None or padding is None or strides is None or dilations is None:
        return x.derive(None, f"conv{n_spatial}d") if x.shape is not None else UNKNOWN
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
    ksize = spatial_params(as_int_list(call.arg(1, "ksize", "window_shape")), n_spatial, channels_first)
    strides = spatial_params(as_int_list(call.arg(2, "strides")), n_spatial, channels_first)
    if ksize is None or strides is None:
        return x.derive(None, kind)
    out = pool_shape(x.shape, ksize, strides, padding, channels_first, n_spatial, facts={"input": x})
    return x.derive(out, f"{kind} {_label(padding, strides, ksize)}")
