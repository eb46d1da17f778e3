from __future__ import annotations

from ..ops.errors import LayerInputMismatch
from .base import Rule


class LayerInputMismatchRule(Rule):
    """
    # TSL009 layer-input-mismatch

    ## What it does
    Checks that a Keras layer object called more than once (a shared layer) receives inputs of
    the size it was built for on its feature axis.

    ## Why is this bad?
    A layer creates its weights for the first input it sees: a `Dense(64)` first called on 784
    features has a 784x64 kernel. Calling the same layer object on 1024 features raises
    `Input 0 of layer "dense" is incompatible with the layer`.

    ## Example
    ```python
    import tensorflow as tf

    images = tf.keras.Input((784,))
    captions = tf.keras.Input((300,))
    encoder = tf.keras.layers.Dense(64, activation="relu")
    image_code = encoder(images)  # builds a 784x64 kernel
    caption_code = encoder(captions)
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    images = tf.keras.Input((784,))
    captions = tf.keras.Input((300,))
    image_code = tf.keras.layers.Dense(64, activation="relu")(images)
    caption_code = tf.keras.layers.Dense(64, activation="relu")(captions)  # a layer of its own
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL009"
    name = "layer-input-mismatch"
    summary = "a shared Keras layer receives inputs of a size it was not built for"
    error_types = (LayerInputMismatch,)


RULE = LayerInputMismatchRule()
