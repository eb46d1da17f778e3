from __future__ import annotations

from ..ops.errors import SizeOneReduction
from .base import Rule


class ArgmaxSizeOneAxis(Rule):
    """
    # TSL013 argmax-size-one-axis

    ## What it does
    Finds `tf.argmax`/`tf.argmin` (also `tf.math.*`, `np.argmax`/`np.argmin` and the array methods)
    over an axis whose static size is 1.

    Exact criterion: the input's static shape is known at the reduced axis, and that size is the
    int 1 (for example the output of a one-unit dense layer or of a matmul with a `[D, 1]` weight).

    ## Why is this bad?
    There is only one index to choose from, so the result is always 0. Typical cause: a binary
    classifier with one sigmoid output, scored with `argmax` as if it had one output per class; the
    accuracy then only counts the examples of class 0, silently.

    ## Example
    ```python
    logits = tf.matmul(h, W)                        # N x 1
    correct = tf.equal(tf.argmax(logits, 1), labels)
    ```

    ## Use instead
    ```python
    predicted = tf.cast(tf.squeeze(logits, 1) > 0, tf.int64)
    correct = tf.equal(predicted, labels)
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL013"
    name = "argmax-size-one-axis"
    summary = "argmax/argmin over an axis of size 1 always returns 0"
    error_types = (SizeOneReduction,)


RULE = ArgmaxSizeOneAxis()
