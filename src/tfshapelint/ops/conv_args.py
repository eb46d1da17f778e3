"""Convolution and pooling parameters, read one way for every front end.

Strides, kernel sizes and dilations (one value, one per spatial axis, or one per axis of the
input), padding (a name or explicit pairs) and the data format (channels first or last). A
convolution call's parameters together are a ``ConvParams``.
"""

from __future__ import annotations

from typing import NamedTuple, Optional, Union

from ..domain.values import UNKNOWN, Value
from .args import as_int_list, as_str, is_none, items_of
from .registry import Call

Padding = Union[str, list]  # "SAME", "VALID", or [(lo, hi), ...] per spatial axis


class ConvParams(NamedTuple):
    """What a convolution's shape rule reads besides its operands."""
    strides: list
    padding: Padding
    channels_first: bool
    dilations: list


def spatial_params(values: Optional[list[int]], n_spatial: int, channels_first: bool,
                   full_rank: bool = True) -> Optional[list[int]]:
    """Strides/dilations/ksize given as 1 value, one per spatial axis, or one per axis of the input.

    A full-rank list must have 1 at the batch and channel axes; otherwise the result is None
    (TensorFlow rejects or pools over depth; either way we stay silent). Without ``full_rank``
    (Keras, slim's kernel sizes) only the first two forms are read.
    """
    if values is None:
        return None
    if len(values) == 1:
        return values * n_spatial
    if len(values) == n_spatial:
        return list(values)
    if len(values) == n_spatial + 2 and full_rank:
        if channels_first:
            outer, inner = (values[0], values[1]), values[2:]
        else:
            outer, inner = (values[0], values[-1]), values[1:-1]
        return list(inner) if outer == (1, 1) else None
    return None


def spatial_ints(value: Value, n_spatial: int, channels_first: bool, full_rank: bool = True) -> Optional[list[int]]:
    """``spatial_params`` of an argument: an int or a list of ints; None when unknown."""
    return spatial_params(as_int_list(value), n_spatial, channels_first, full_rank)


def spatial_arg(value: Value, n_spatial: int, channels_first: bool, default: int = 1,
                given: bool = False) -> Optional[list[int]]:
    """A strides/dilations argument per spatial axis: ``default`` on each when absent or None.

    ``given``: the argument was passed, so an unknown value is unknown (else an unknown value
    counts as absent, TensorFlow's default)."""
    if is_none(value) or (value is UNKNOWN and not given):
        return [default] * n_spatial
    return spatial_ints(value, n_spatial, channels_first)


def format_is_first(value: Value, keras: bool = False) -> Optional[bool]:
    """A data format: True for channels first, False for channels last (also None, the default),
    None when unknown. TensorFlow's names start with NC; Keras' is ``channels_first``."""
    if is_none(value):
        return False
    text = as_str(value)
    if text is None:
        return None
    return text == "channels_first" if keras else text.upper().startswith("NC")


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
    return format_is_first(value)


def conv_params(call: Call, n: int, strides_at: int, padding_at: int, format_at: Optional[int],
                dilation_names: tuple = ("dilations",), strides_names: tuple = ("strides",),
                padding_default: Value = UNKNOWN, dilation_given: bool = False) -> Optional[ConvParams]:
    """A convolution call's parameters, None when any is unknown. ``dilation_given``: a dilation
    passed with an unknown value leaves them unknown (``tf.nn.conv2d``); else it counts as 1."""
    first = read_data_format(call, format_at)
    if first is None:
        return None
    strides = spatial_ints(call.arg(strides_at, *strides_names), n, first)
    padding = read_padding(call.arg(padding_at, "padding", default=padding_default), n, first)
    dilations = spatial_arg(call.arg(None, *dilation_names), n, first,
                            given=dilation_given and call.has(None, *dilation_names))
    if strides is None or padding is None or dilations is None:
        return None
    return ConvParams(strides, padding, first, dilations)
