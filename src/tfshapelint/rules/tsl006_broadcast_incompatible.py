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
    h = tf.placeholder(tf.float32, [None, 1024])
    b = tf.Variable(tf.zeros([10]))
    out = h + b
    ```

    ## Use instead
    ```python
    b = tf.Variable(tf.zeros([1024]))
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
