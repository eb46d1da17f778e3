from __future__ import annotations

from ..ops.errors import NonPositiveOutput
from .base import Rule


class NonPositiveOutputSize(Rule):
    """
    # TSL005 non-positive-output-size

    ## What it does
    Checks that every convolution and pooling window fits its input: with `VALID` (or explicit)
    padding, an input smaller than the (dilated) window leaves an output size below 1.

    ## Why is this bad?
    In graph mode (TF1, `tf.function`, Keras models) TensorFlow raises `Negative dimension size
    caused by subtracting 3 from 2` or `Computed output size would be zero or negative` when the
    graph is built. Eagerly, some kernels instead return an empty tensor (a `2x0x0x8` map) and the
    program goes on with no data. Either way the network downsamples more often than its input size
    allows.

    ## Example
    ```python
    import tensorflow as tf

    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)),
        tf.keras.layers.Conv2D(32, 5, activation="relu"),  # 24x24
        tf.keras.layers.MaxPool2D(4),  # 6x6
        tf.keras.layers.Conv2D(64, 5, activation="relu"),  # 2x2
        tf.keras.layers.MaxPool2D(4),  # a 4x4 window on a 2x2 map
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10),
    ])
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)),
        tf.keras.layers.Conv2D(32, 5, activation="relu"),  # 24x24
        tf.keras.layers.MaxPool2D(4),  # 6x6
        tf.keras.layers.Conv2D(64, 5, activation="relu"),  # 2x2
        tf.keras.layers.MaxPool2D(2),  # 1x1
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10),
    ])
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL005"
    name = "non-positive-output-size"
    summary = "a convolution or pooling window is larger than its input"
    error_types = (NonPositiveOutput,)
    chain_facts = ("input",)


RULE = NonPositiveOutputSize()
