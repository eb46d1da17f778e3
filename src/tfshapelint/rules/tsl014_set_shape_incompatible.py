from __future__ import annotations

from ..ops.errors import SetShapeIncompatible
from .base import Rule


class SetShapeIncompatibleRule(Rule):
    """
    # TSL014 set-shape-incompatible

    ## What it does
    Checks that `tensor.set_shape(shape)` only refines what is known about the tensor's shape.

    Exact criterion: the tensor's static shape and the requested shape are both known and have
    different ranks, or some axis has a known size on both sides and the sizes differ. `None` in the
    requested shape, and sizes the linter does not know, match anything.

    ## Why is this bad?
    `set_shape` does not change a tensor; it states what its shape is. TensorFlow raises
    `ValueError: Shapes (None, 784) and (None, 28, 28, 1) are incompatible`. To change the shape,
    use `tf.reshape`.

    ## Example
    ```python
    import tensorflow as tf

    images = tf.random.uniform([16, 784])  # flat MNIST images
    images.set_shape([None, 28, 28, 1])
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    images = tf.random.uniform([16, 784])  # flat MNIST images
    images = tf.reshape(images, [-1, 28, 28, 1])  # a new tensor of the new shape
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "TSL014"
    name = "set-shape-incompatible"
    summary = "set_shape with a shape that contradicts the tensor's known shape"
    error_types = (SetShapeIncompatible,)


RULE = SetShapeIncompatibleRule()
