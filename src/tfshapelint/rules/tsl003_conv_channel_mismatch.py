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
    import tensorflow as tf

    images = tf.random.normal([8, 32, 32, 3])
    w1 = tf.Variable(tf.random.normal([5, 5, 3, 32]))
    w2 = tf.Variable(tf.random.normal([5, 5, 3, 64]))  # copied from w1: takes 3 channels, gets 32

    h1 = tf.nn.relu(tf.nn.conv2d(images, w1, 1, "SAME"))
    h2 = tf.nn.relu(tf.nn.conv2d(h1, w2, 1, "SAME"))
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    images = tf.random.normal([8, 32, 32, 3])
    w1 = tf.Variable(tf.random.normal([5, 5, 3, 32]))
    w2 = tf.Variable(tf.random.normal([5, 5, 32, 64]))  # takes h1's 32 channels

    h1 = tf.nn.relu(tf.nn.conv2d(images, w1, 1, "SAME"))
    h2 = tf.nn.relu(tf.nn.conv2d(h1, w2, 1, "SAME"))
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
