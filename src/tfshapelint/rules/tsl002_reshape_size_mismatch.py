from __future__ import annotations

from typing import Optional

from ..ops.errors import BatchChange, ReshapeMismatch, ShapeError
from .base import Draft, Rule, SourceText


class ReshapeSizeMismatch(Rule):
    """
    # TSL002 reshape-size-mismatch

    ## What it does
    Checks that a reshape keeps the number of values, and that a `-1` reshape of a batch-leading
    tensor does not cut its examples into rows that straddle two examples.

    ## Why is this bad?
    When the element counts differ, `tf.reshape` raises. When the row size of a `[-1, K]`
    reshape does not divide (and is not a multiple of) the values per example, the `-1` silently
    changes the batch size: a `Nx7x7x64` map reshaped to `[-1, 1024]` has `49*N/16` rows, each
    mixing parts of different examples, and TensorFlow raises only if `N` happens not to divide.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    flat = tf.reshape(x, [-1, 1000])
    ```

    ## Use instead
    ```python
    flat = tf.reshape(x, [-1, 28 * 28])
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL002"
    name = "reshape-size-mismatch"
    summary = "a reshape changes the number of values, or its -1 mixes examples of the batch"

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        if not isinstance(error, (ReshapeMismatch, BatchChange)):
            return None
        tensor = error.facts.get("tensor")
        return Draft(node=error.node, message=error.message, chain=getattr(tensor, "chain", ()))


RULE = ReshapeSizeMismatch()
