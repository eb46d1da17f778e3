from __future__ import annotations

from typing import Optional

from ..ops.errors import ConvChannelMismatch, ShapeError
from .base import Draft, Rule, SourceText, label_pair


class ConvChannelMismatchRule(Rule):
    """
    # TSL003 conv-channel-mismatch

    ## What it does
    Checks that a convolution filter's input depth fits the input's channels: equal, or (TF2's
    grouped convolution) a divisor of them, with the output channels a multiple of the groups.

    ## Why is this bad?
    TensorFlow raises `Depth of input must be a multiple of depth of filter` (or the grouped
    variant for the output channels) when the graph is built or the op runs.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 28, 28, 32])
    w = tf.Variable(tf.random_normal([5, 5, 3, 64]))
    y = tf.nn.conv2d(x, w, strides=1, padding="SAME")
    ```

    ## Use instead
    ```python
    w = tf.Variable(tf.random_normal([5, 5, 32, 64]))
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL003"
    name = "conv-channel-mismatch"
    summary = "a convolution filter's input depth does not fit the input's channels"
    error_types = (ConvChannelMismatch,)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        names = label_pair(error.facts.get("input"), error.facts.get("filter"), " (`{}` with filter `{}`)")
        return Draft(node=error.node, message=f"conv channel mismatch{names}: {error.message}",
                     chain=getattr(error.facts.get("input"), "chain", ()))


RULE = ConvChannelMismatchRule()
