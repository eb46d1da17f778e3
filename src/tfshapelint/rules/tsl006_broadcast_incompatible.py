from __future__ import annotations

from typing import Optional

from ..ops.errors import BroadcastMismatch, ShapeError
from .base import Draft, Rule, SourceText, label_pair


class BroadcastIncompatible(Rule):
    """
    # TSL006 broadcast-incompatible

    ## What it does
    Checks that the operands of elementwise operations (`+`, `-`, `*`, `/`, `tf.add`,
    `tf.multiply`, `tf.nn.bias_add`, ...) broadcast: aligned from the right, each pair of
    dimensions equal or one of them 1.

    ## Why is this bad?
    TensorFlow raises `Incompatible shapes`. Sizes that are unknown (a batch of unknown size may
    be 1) never produce this finding.

    ## Example
    ```python
    import tensorflow as tf

    x = tf.random.normal([16, 784])
    w = tf.Variable(tf.random.normal([784, 256]))
    b = tf.Variable(tf.zeros([10]))  # sized like the output layer's bias

    hidden = tf.nn.relu(tf.matmul(x, w) + b)
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    x = tf.random.normal([16, 784])
    w = tf.Variable(tf.random.normal([784, 256]))
    b = tf.Variable(tf.zeros([256]))  # one per hidden unit

    hidden = tf.nn.relu(tf.matmul(x, w) + b)
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL006"
    name = "broadcast-incompatible"
    summary = "elementwise operands whose shapes do not broadcast"
    error_types = (BroadcastMismatch,)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        tensor = error.facts.get("a")
        names = label_pair(error.facts.get("a"), error.facts.get("b"))
        return Draft(node=error.node, message=f"{error.message}{names}", chain=getattr(tensor, "chain", ()))


RULE = BroadcastIncompatible()
