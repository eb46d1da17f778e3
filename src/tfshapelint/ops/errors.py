"""Typed shape errors raised by shape functions.

A shape function raises one of these only when TensorFlow would certainly raise (or, for the
silent ones, certainly compute a wrong shape). Rules turn them into findings; the interpreter
attaches the call node.
"""

from __future__ import annotations

from typing import Any, Optional

from ..analysis.values import TensorVal


class ShapeError(Exception):
    """Base: ``message`` is already phrased for the user."""

    def __init__(self, message: str, **facts: Any):
        super().__init__(message)
        self.message = message
        self.facts = facts
        self.node: Any = None  # the call that fails, set by the interpreter
        self.op_name: Optional[str] = None

    def tensors(self) -> list:
        return [v for v in self.facts.values() if isinstance(v, TensorVal)]


class MatmulMismatch(ShapeError):
    """Inner dimensions of a matrix product differ. facts: a, b, a_dim, b_dim."""


class RankMismatch(ShapeError):
    """An op got a tensor of a rank it does not accept. facts: tensor, expected."""


class ReshapeMismatch(ShapeError):
    """The element counts of a reshape cannot agree. facts: tensor, target."""


class BatchChange(ShapeError):
    """A ``-1`` reshape keeps the element count but changes the leading (batch) dim.

    This is a silent bug: TensorFlow computes a tensor with a different number of examples.
    facts: tensor, target, new_batch, old_batch, size_origin (the DimOrigin of the explicit size).
    """


class ConvChannelMismatch(ShapeError):
    """A filter's input depth neither equals nor divides the input's channels. facts: input, filter."""


class NonPositiveOutput(ShapeError):
    """A window (kernel, pool) leaves an output size < 1. facts: input."""


class BroadcastMismatch(ShapeError):
    """Elementwise operands whose dims are neither equal nor 1. facts: a, b."""


class InvalidArgument(ShapeError):
    """Another definite argument error (a stride of 0, an axis out of range, ...)."""


class LayerInputMismatch(ShapeError):
    """A Keras layer receives an input incompatible with what it was built for or declared."""
