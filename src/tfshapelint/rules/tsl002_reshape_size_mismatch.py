from __future__ import annotations

import ast
from typing import Optional

from ..ops.errors import BatchChange, ReshapeMismatch, ShapeError
from ..fixes.draft import FixDraft, replace_with
from .base import Draft, Rule, SourceText, is_size_literal


class ReshapeSizeMismatch(Rule):
    """
    # TSL002 reshape-size-mismatch

    ## What it does
    Checks that a reshape keeps the number of values, and that a `-1` reshape of a batch-leading
    tensor does not cut its examples into rows that straddle two examples. For a feature map
    (`[N, H, W, C]` out of a convolution or pooling), it also reports a `[-1, K]` whose rows divide
    the values per example but are neither pixels (`C`, or a part of a pixel's channels), rows of
    the map (`W*C`) nor whole maps (`H*W*C`): each example becomes several rows that cut across
    pixels, and what follows sees several rows per example.

    ## Why is this bad?
    When the element counts differ, `tf.reshape` raises. When the row size of a `[-1, K]`
    reshape does not divide (and is not a multiple of) the values per example, the `-1` silently
    changes the batch size: a `Nx7x7x64` map reshaped to `[-1, 1024]` has `49*N/16` rows, each
    mixing parts of different examples, and TensorFlow raises only if `N` happens not to divide.
    A `7x7x64` map reshaped to `[-1, 7*7*16]` (a flatten not updated after the layer widened) gives
    `4*N` rows: a dense layer takes them silently, and the loss fails against the `N` labels.

    ## Example
    ```python
    import tensorflow as tf

    images = tf.random.normal([32, 28, 28, 1])
    conv = tf.keras.layers.Conv2D(64, 5, padding="same")(images)  # 28x28x64
    pool = tf.keras.layers.MaxPool2D(4)(conv)  # 7x7x64
    flat = tf.reshape(pool, [-1, 4 * 4 * 64])  # 98 rows of 1024 values, not 32 examples
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    images = tf.random.normal([32, 28, 28, 1])
    conv = tf.keras.layers.Conv2D(64, 5, padding="same")(images)  # 28x28x64
    pool = tf.keras.layers.MaxPool2D(4)(conv)  # 7x7x64
    flat = tf.reshape(pool, [-1, 7 * 7 * 64])  # 32 rows of 3136 values
    ```

    ## Fix safety
    Unsafe (applied with `--unsafe-fixes`): for a `[-1, K]` flatten whose `K` is a number or a
    product of numbers, the fix writes the values per example in the author's style (`4 * 4 * 64`
    becomes `7 * 7 * 64`). It is unsafe because what consumes the rows (a weight declared for `K`
    inputs) may have to change as well; lint again after fixing.
    """

    code = "TSL002"
    name = "reshape-size-mismatch"
    summary = "a reshape changes the number of values, or its -1 mixes examples of the batch"
    error_types = (ReshapeMismatch, BatchChange)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        tensor = error.facts.get("tensor")
        return Draft(node=error.node, message=error.message, chain=getattr(tensor, "chain", ()),
                     fix=_flatten_fix(error, source))


def _flatten_fix(error: ShapeError, source: SourceText) -> Optional[FixDraft]:
    """``[-1, 4 * 4 * 64]`` flattening a 7x7x64 map becomes ``[-1, 7 * 7 * 64]``: unsafe, because
    whatever consumes the rows (a weight declared for 1024 inputs) may need the same change."""
    target = error.facts.get("target_node")
    tensor = error.facts.get("tensor")
    if not isinstance(error, BatchChange) or not isinstance(target, (ast.List, ast.Tuple)) or tensor is None:
        return None
    if len(target.elts) != 2 or not is_size_literal(target.elts[1]):
        return None
    size = target.elts[1]
    replacement = source.factored(size, tuple(tensor.shape[1:]))
    if replacement is None:
        return None
    return replace_with(size, replacement, f"flatten each example to {replacement} values", applicability="unsafe")


RULE = ReshapeSizeMismatch()
