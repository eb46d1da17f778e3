"""Typed shape errors raised by shape functions.

A shape function raises one of these only when TensorFlow would certainly raise (or, for the
silent ones, certainly compute a wrong shape). Rules turn them into findings; the interpreter
attaches the call node.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from ..domain.values import TensorVal


class ShapeError(Exception):
    """Base: ``message`` is already phrased for the user."""

    def __init__(self, message: str, **facts: Any):
        super().__init__(message)
        self.message = message
        self.facts = facts
        self.node: Any = None  # the call that fails, set by the interpreter
        self.op_name: Optional[str] = None

    silent: ClassVar[bool] = False  # True: TensorFlow computes a wrong shape instead of raising

    def is_silent(self) -> bool:
        return self.silent or bool(self.facts.get("silent"))

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

    silent = True


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


class OperandMismatch(ShapeError):
    """Operands that must agree provably disagree: the shapes of ``concat``/``stack`` inputs, the
    contracted dims of ``tensordot``/``einsum``, the batch dims of ``gather``. facts: a, b (the two
    operands that disagree, when both are tensors), tensor (the first, for the derivation chain)."""


class FeedShapeMismatch(ShapeError):
    """A value fed through ``feed_dict`` has a shape the placeholder cannot take: another rank, or a
    known size that differs from the placeholder's known size. TensorFlow raises ``Cannot feed value
    of shape ...`` at the ``run``/``eval`` call. facts: placeholder, value (the fed TensorVal, if any),
    fed_shape, axis (the first differing axis, None for a rank mismatch)."""


class LossLabelMismatch(ShapeError):
    """The labels given to a loss do not fit its logits/predictions (one-hot labels to a sparse loss,
    class ids to a one-hot loss, ``[N, 1]`` against ``[N]``). facts: labels, logits, silent (True when
    TensorFlow computes a wrong loss instead of raising); for a fix: labels_node (the labels'
    expression) with onehot_labels or column_labels (what a sparse loss was given), or call_node and
    written (the parameters its two positional arguments are, in TF 0.x's order)."""


class SilentBroadcast(ShapeError):
    """A silent bug: ``[N, 1]`` and ``[N]`` operands of an elementwise op broadcast to ``[N, N]``,
    and the result feeds a reduction or a loss, which hides the wrong shape. facts: larger (the
    ``[N, 1]`` operand), smaller (the ``[N]`` one), tensor (the broadcast result), reducer (the
    op name), broadcast_node (where the operands meet), larger_node (the ``[N, 1]`` operand's
    expression, None when it cannot be rewritten), result."""

    silent = True


class SizeOneReduction(ShapeError):
    """A silent bug: ``argmax``/``argmin`` over an axis of static size 1 always returns 0.
    facts: tensor, axis, result."""

    silent = True


class LegacyCall(ShapeError):
    """A call written for TensorFlow 0.x that TensorFlow >= 1.0 rejects (ops/tf0_calls.py): arguments in
    the order 1.0 reversed (``concat(axis, values)``, ``split(axis, num, value)``), a keyword 1.0
    renamed, or a name 1.0 removed (``tf.pack``, ``tf.mul``). facts: old, new (the two forms), tensor."""


class SetShapeIncompatible(ShapeError):
    """``Tensor.set_shape`` with a shape incompatible with the known static shape: TensorFlow raises
    ``Shapes ... are incompatible``. facts: tensor, target."""
