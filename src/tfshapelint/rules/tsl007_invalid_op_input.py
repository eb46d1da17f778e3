from __future__ import annotations

from ..ops.errors import InvalidArgument, RankMismatch
from .base import Rule


class InvalidOpInput(Rule):
    """
    # TSL007 invalid-op-input

    ## What it does
    Checks that an op gets inputs of a rank it accepts (a rank-4 image batch for `conv2d` and
    2-d pooling, a rank-1 bias for `bias_add`, ...) and arguments TensorFlow accepts (strides >= 1,
    at most one `-1` in a reshape).

    ## Why is this bad?
    TensorFlow raises `Shape must be rank 4 but is rank 3` or an invalid-argument error. A common
    cause is a single image passed where a batch is expected.

    ## Example
    ```python
    import tensorflow as tf

    image = tf.random.uniform([28, 28, 1])  # one image, not a batch
    pooled = tf.nn.max_pool2d(image, 2, 2, "SAME")
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    image = tf.random.uniform([28, 28, 1])  # one image
    pooled = tf.nn.max_pool2d(image[tf.newaxis], 2, 2, "SAME")  # a batch of one
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL007"
    name = "invalid-op-input"
    summary = "an op gets an input of the wrong rank or an invalid argument"
    error_types = (RankMismatch, InvalidArgument)
    chain_facts = ("tensor", "input")


RULE = InvalidOpInput()
