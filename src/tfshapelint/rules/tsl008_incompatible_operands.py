from __future__ import annotations

from typing import Optional

from ..ops.errors import OperandMismatch, ShapeError
from .base import Draft, Rule, SourceText, label_pair


class IncompatibleOperands(Rule):
    """
    # TSL008 incompatible-operands

    ## What it does
    Checks that the operands of ops that combine several tensors agree where they must: the
    inputs of `tf.concat` (same rank, equal sizes except along the axis), of `tf.stack` (equal
    shapes), the contracted axes of `tf.tensordot` and the labels of `tf.einsum` (equal sizes),
    and the batch axes of `tf.gather(..., batch_dims=k)`.

    ## Why is this bad?
    TensorFlow raises `ConcatOp : Dimensions of inputs should match`, `Shapes of all inputs must
    match`, `Expected dimension 3 at axis 0 of the input shaped [4,4]`, ... Two sizes that are
    unknown, or symbolic (two batches of unknown size), are never assumed to differ.

    ## Example
    ```python
    import tensorflow as tf

    image_features = tf.random.normal([16, 256])
    text_features = tf.random.normal([16, 128])
    both = tf.concat([image_features, text_features], axis=0)
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    image_features = tf.random.normal([16, 256])
    text_features = tf.random.normal([16, 128])
    both = tf.concat([image_features, text_features], axis=1)  # 16x384
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL008"
    name = "incompatible-operands"
    summary = "operands of concat/stack/tensordot/einsum/gather whose shapes provably disagree"
    error_types = (OperandMismatch,)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        a, b = error.facts.get("a"), error.facts.get("b")
        names = "" if a is b else label_pair(a, b)
        tensor = error.facts.get("tensor") or a
        return Draft(node=error.node, message=f"{error.message}{names}", chain=getattr(tensor, "chain", ()))


RULE = IncompatibleOperands()
