from __future__ import annotations

from typing import Optional

import ast

from ..domain.values import TensorVal
from ..ops.errors import BatchChange, MatmulMismatch, ShapeError
from ..shapes import dims
from ..fixes.draft import replace_with
from .base import Draft, Rule, SourceText, is_size_literal


class DenseInputMismatch(Rule):
    """
    # TSL001 dense-input-mismatch

    ## What it does
    Checks that the input size declared for a dense (fully connected) weight equals the number of
    features that reach it: the per-example size of the flattened tensor multiplied by the weight.

    ## Why is this bad?
    A weight declared `[4*4*64, 1024]` after a conv stack that ends at `7x7x64` expects 1024 inputs
    but receives 3136. Either `tf.matmul` raises, or, when the flatten reads its row size back from
    the weight (`tf.reshape(conv2, [-1, wd1.get_shape().as_list()[0]])`), the `-1` silently changes
    the batch size (128 examples become 392 rows) and the program fails much later, at the loss,
    or trains on scrambled examples.

    ## Example
    ```python
    import tensorflow as tf

    images = tf.random.normal([8, 28, 28, 1])
    wc1 = tf.Variable(tf.random.normal([5, 5, 1, 32]))
    wc2 = tf.Variable(tf.random.normal([5, 5, 32, 64]))
    wd1 = tf.Variable(tf.random.normal([4 * 4 * 64, 1024]))

    conv1 = tf.nn.max_pool2d(tf.nn.conv2d(images, wc1, 1, "SAME"), 2, 2, "SAME")  # 14x14x32
    conv2 = tf.nn.max_pool2d(tf.nn.conv2d(conv1, wc2, 1, "SAME"), 2, 2, "SAME")  # 7x7x64
    flat = tf.reshape(conv2, [-1, 7 * 7 * 64])
    dense = tf.nn.relu(tf.matmul(flat, wd1))
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    images = tf.random.normal([8, 28, 28, 1])
    wc1 = tf.Variable(tf.random.normal([5, 5, 1, 32]))
    wc2 = tf.Variable(tf.random.normal([5, 5, 32, 64]))
    wd1 = tf.Variable(tf.random.normal([7 * 7 * 64, 1024]))  # 3136 inputs

    conv1 = tf.nn.max_pool2d(tf.nn.conv2d(images, wc1, 1, "SAME"), 2, 2, "SAME")  # 14x14x32
    conv2 = tf.nn.max_pool2d(tf.nn.conv2d(conv1, wc2, 1, "SAME"), 2, 2, "SAME")  # 7x7x64
    flat = tf.reshape(conv2, [-1, 7 * 7 * 64])
    dense = tf.nn.relu(tf.matmul(flat, wd1))
    ```

    ## Fix safety
    Safe. `--fix` rewrites the weight's declared input size (when it is a number or a product of
    numbers) in the author's own style: `4*4*64` becomes `7*7*64`, `4 * 4 * 64` becomes
    `7 * 7 * 64`, `1024` becomes `3136`. The finding is reported on that size, with the
    derivation of the feature map that reaches it.
    """

    code = "TSL001"
    name = "dense-input-mismatch"
    summary = "a dense weight's input size differs from the flattened features that reach it"
    error_types = (BatchChange, MatmulMismatch)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        if isinstance(error, BatchChange):
            origin = error.facts.get("size_origin")
            if origin is None or origin.tensor.kind != "variable":
                return None
            return self._draft(origin.tensor, error.facts["tensor"], error.facts["example_size"],
                               error.facts["target"][1], error, source)
        # a MatmulMismatch: a dense layer only when flattened features meet a 2-d weight variable
        a, b = error.facts.get("a"), error.facts.get("b")
        if not (isinstance(a, TensorVal) and isinstance(b, TensorVal)):
            return None
        if b.kind != "variable" or b.rank != 2 or a.source_shape is None or a.rank != 2:
            return None
        return self._draft(b, a.source_shape, a.shape[-1], b.shape[0], error, source)

    def _draft(self, weight: TensorVal, features: TensorVal, got, expected, error: ShapeError,
               source: SourceText) -> Draft:
        weight_name = f"`{weight.label}`" if weight.label else "the weight"
        declared = _declared_dim(weight, source)
        expected_text = str(expected) + (f" ({declared})" if declared and declared != str(expected) else "")
        shape = features.shape or ()
        factors = "*".join(dims.fmt(d) for d in shape[1:])
        got_text = dims.fmt(got) + (f" ({factors})" if len(shape) > 2 else "")
        feature_name = f"`{features.label}`" if features.label else "the input"
        message = (f"dense input mismatch: {weight_name} expects {expected_text} inputs, but {feature_name} "
                   f"flattens to {got_text} per example")
        location = _declared_node(weight)
        fix = None
        if location is not None and is_size_literal(location):
            replacement = source.factored(location, tuple(shape[1:]))
            if replacement is not None:
                fix = replace_with(location, replacement, f"declare `{weight.label or 'the weight'}` with "
                               f"{replacement} inputs")
        return Draft(node=location if location is not None else error.node, message=message,
                     chain=features.chain, witness=error.node, fix=fix,
                     witness_kind="silent" if isinstance(error, BatchChange) else "raises")


def _declared_node(weight: TensorVal):
    """The first element of the literal that declared the weight's shape."""
    decl = weight.decl
    if isinstance(decl, (ast.List, ast.Tuple)) and decl.elts:
        return decl.elts[0]
    return None


def _declared_dim(weight: TensorVal, source: SourceText) -> Optional[str]:
    node = _declared_node(weight)
    if node is None:
        return None
    return "".join(source.code(node).split())


RULE = DenseInputMismatch()
