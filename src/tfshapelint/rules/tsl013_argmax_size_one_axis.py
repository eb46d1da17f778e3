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
    import tensorflow as tf

    features = tf.random.normal([16, 20])
    labels = tf.random.uniform([16], maxval=2, dtype=tf.int64)
    W = tf.Variable(tf.random.normal([20, 1]))

    logits = tf.matmul(features, W)  # one logit per example
    predicted = tf.argmax(logits, 1)  # always 0
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32))
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    features = tf.random.normal([16, 20])
    labels = tf.random.uniform([16], maxval=2, dtype=tf.int64)
    W = tf.Variable(tf.random.normal([20, 1]))

    logits = tf.matmul(features, W)  # one logit per example
    predicted = tf.cast(tf.squeeze(logits, 1) > 0, tf.int64)  # the sign of the logit
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32))
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL013"
    name = "argmax-size-one-axis"
    summary = "argmax/argmin over an axis of size 1 always returns 0"
    error_types = (SizeOneReduction,)


RULE = ArgmaxSizeOneAxis()
