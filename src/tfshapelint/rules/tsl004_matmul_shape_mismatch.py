from __future__ import annotations

from typing import Optional

from ..ops.errors import MatmulMismatch, RankMismatch, ShapeError
from .base import Draft, Rule, SourceText, label_pair


class MatmulShapeMismatch(Rule):
    """
    # TSL004 matmul-shape-mismatch

    ## What it does
    Checks the operands of `tf.matmul` (and `@`): both of rank >= 2, inner dimensions equal
    (after `transpose_a/b` or `adjoint_a/b`).

    ## Why is this bad?
    TensorFlow raises `Matrix size-incompatible` (or a shape error when the graph is built).

    ## Example
    ```python
    import tensorflow as tf

    x = tf.random.normal([16, 784])
    w1 = tf.Variable(tf.random.normal([784, 256]))
    w2 = tf.Variable(tf.random.normal([128, 10]))  # the hidden layer was 128 wide before

    hidden = tf.nn.relu(tf.matmul(x, w1))
    logits = tf.matmul(hidden, w2)
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    x = tf.random.normal([16, 784])
    w1 = tf.Variable(tf.random.normal([784, 256]))
    w2 = tf.Variable(tf.random.normal([256, 10]))  # takes the 256 hidden units

    hidden = tf.nn.relu(tf.matmul(x, w1))
    logits = tf.matmul(hidden, w2)
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL004"
    name = "matmul-shape-mismatch"
    summary = "matmul operands have different inner dimensions or a rank below 2"
    error_types = (MatmulMismatch, RankMismatch)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        if isinstance(error, RankMismatch) and not (error.op_name and error.op_name.endswith("matmul")):
            return None  # another op's rank error: TSL007's
        names = label_pair(error.facts.get("a"), error.facts.get("b"), " in `{}` @ `{}`")
        tensor = error.facts.get("a") or error.facts.get("tensor")
        return Draft(node=error.node, message=f"{error.message}{names}", chain=getattr(tensor, "chain", ()))


RULE = MatmulShapeMismatch()
