"""Loss arguments in TF 0.x's order (logits, labels).

TF 0.x took ``softmax_cross_entropy_with_logits(logits, labels)`` (likewise ``sparse_`` and
``sigmoid_``, and ``tf.contrib.losses`` took the logits first). TensorFlow 1.0 made the ``tf.nn``
cross-entropies keyword-only (a ``_sentinel`` first parameter raises ``Only call `...` with named
arguments``) and gave ``tf.losses`` the labels first; TensorFlow 2 reads two positional arguments
as (labels, logits). Code never updated passes its logits where the labels go. When such a call
fails its shape check, and its first argument has the class axis that its second lacks, the finding
says that the arguments look swapped instead of describing the logits as labels.

Only losses with a class axis can tell: the same-shape ones (sigmoid, ``tf.losses.softmax_cross_entropy``)
fail in either order alike.
"""

from __future__ import annotations

import ast
from typing import Callable

from ..domain.values import TensorVal
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.shape import Shape
from .errors import LossLabelMismatch
from .registry import Call

Check = Callable[[Shape, Shape], object]  # raises LossLabelMismatch when the labels do not fit the logits

_LONGEST_SHOWN = 40  # longer argument expressions are named by position


def both_positional(call: Call, keywords: tuple) -> bool:
    """The labels and the logits are the first two positional arguments (no keyword names either)."""
    return len(call.args) >= 2 and not any(name in call.kwargs for name in keywords)


def looks_swapped(first: Shape, second: Shape) -> bool:
    """``first`` has the class axis (known, more than one class) that ``second`` lacks, over the same
    leading sizes: logits then their class-id labels."""
    if first is None or second is None or len(first) != len(second) + 1:
        return False
    classes = first[-1]
    return isinstance(classes, int) and classes > 1 and all(
        dims.equal(a, b) is not False for a, b in zip(first[:-1], second))


def _shown(call: Call, position: int, tensor: TensorVal) -> tuple[str, str]:
    """(how the message names the argument, the expression to write in the fix)."""
    node = call.arguments.node_of(position)
    text = ast.unparse(node) if node is not None else None
    if text is None or len(text) > _LONGEST_SHOWN:
        return f"the {('first', 'second')[position]} argument ({shapes.fmt(tensor.shape)})", "..."
    return f"`{text}` ({shapes.fmt(tensor.shape)})", text


def swapped_or(error: LossLabelMismatch, call: Call, check: Check, labels: TensorVal, logits: TensorVal,
               keywords: tuple, keyword_only: bool) -> LossLabelMismatch:
    """``error`` (the labels ``labels`` do not fit the logits ``logits``), or, when the two were passed
    by position in the order (logits, labels), the finding that they look swapped.

    ``keyword_only``: a ``tf.nn`` cross-entropy (keywords since TF 1.0); else a loss that takes the
    labels first (``tf.losses``)."""
    if not both_positional(call, keywords) or not looks_swapped(labels.shape, logits.shape):
        return error
    try:
        check(logits.shape, labels.shape)
        still = ""
    except LossLabelMismatch as other:
        still = f", which still fails: {other.message}"
    name = call.name.split(".")[-1]
    first, first_text = _shown(call, 0, labels)
    second, second_text = _shown(call, 1, logits)
    fix = f"`{name}(labels={second_text}, logits={first_text})`"
    if keyword_only:
        # softmax_cross_entropy_with_logits_v2 came late in TF 1.x, where its signature changed: no claim on it
        tf1 = "" if name.endswith("_v2") else f"TF 1.x raises \"Only call `{name}` with named arguments\", "
        message = (f"arguments look swapped: TensorFlow >= 1.0 takes labels= and logits= by keyword, and this call "
                   f"passes the logits first (TF 0.x's order): {first} has the class axis of logits and {second} "
                   f"looks like their labels; {tf1}TF 2 takes the first argument as the labels and rejects them; "
                   f"write {fix}{still}")
    else:
        message = (f"arguments look swapped: `tf.losses.{name}` takes the labels first, but {first} has the class "
                   f"axis of logits and {second} looks like their labels (the logits-first order of "
                   f"tf.contrib.losses); TensorFlow raises `labels.shape.rank must equal logits.shape.rank - 1`; "
                   f"write {fix}{still}")
    # what a fix needs: the call, and the parameters its two positional arguments are (when the
    # swapped call would work)
    written = (keywords[1], keywords[0]) if not still else None
    return LossLabelMismatch(message, silent=False, labels=labels, logits=logits, tensor=labels,
                             call_node=call.node, written=written)

