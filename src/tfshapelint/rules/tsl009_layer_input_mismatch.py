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
    shared = tf.keras.layers.Dense(64)
    a = shared(tf.keras.Input((784,)))
    b = shared(tf.keras.Input((1024,)))
    ```

    ## Use instead
    ```python
    project = tf.keras.layers.Dense(784)  # bring both inputs to one size first
    b = shared(project(tf.keras.Input((1024,))))
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL009"
    name = "layer-input-mismatch"
    summary = "a shared Keras layer receives inputs of a size it was not built for"
    error_types = (LayerInputMismatch,)


RULE = LayerInputMismatchRule()
