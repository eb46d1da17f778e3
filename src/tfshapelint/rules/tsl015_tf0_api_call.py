from __future__ import annotations

import ast
from typing import Optional

from ..fixes.draft import FixDraft, keywords_in_order, replace_with
from ..ops.errors import LegacyCall, ShapeError
from .base import Draft, Rule, SourceText


class Tf0ApiCallRule(Rule):
    """
    # TSL015 tf0-api-call

    ## What it does
    Checks for calls written for TensorFlow 0.x that TensorFlow 1.0 changed, in programs that target
    TensorFlow 1.0 or later (TensorFlow 1.0's release notes, "Breaking Changes to the API"):

    - `tf.concat(concat_dim, values)`: TensorFlow >= 1.0 takes `tf.concat(values, axis)`. Reported
      when the first argument is a Python int and the second a list or tuple (`tf.concat(1, outputs)`).
    - `tf.split(split_dim, num_split, value)`: TensorFlow >= 1.0 takes
      `tf.split(value, num_or_size_splits, axis)`. Reported when the first two arguments are Python
      ints and the third a tensor (`tf.split(0, 28, x)`).
    - The keywords these two lost: `concat_dim=`, `split_dim=`, `num_split=`.
    - `tf.nn.nce_loss` and `tf.nn.sampled_softmax_loss` called as `(weights, biases, inputs, labels, ...)`:
      TensorFlow >= 1.0 takes `(weights, biases, labels, inputs, ...)`. Reported when the third argument
      is as wide as the weights' rows (the embedding size) and the fourth is a matrix of another width.
    - The names TensorFlow 1.0 renamed: `tf.pack` (now `tf.stack`), `tf.unpack` (`tf.unstack`),
      `tf.mul` (`tf.multiply`), `tf.sub` (`tf.subtract`), `tf.neg` (`tf.negative`), `tf.select`
      (`tf.where`), `tf.batch_matmul` (`tf.matmul`), `tf.inv` (`tf.reciprocal`), `tf.complex_abs`
      (`tf.abs`), through `tensorflow` or `tensorflow.compat.v1`.

    The target decides: a program whose requirements pin TensorFlow 0.x (`tensorflow==0.12.1`), or
    allow it (`tensorflow>=0.11`), is right as written and gets no finding; without a target the
    current TensorFlow is assumed (`target-version`). Either way the linter reads the call as
    TensorFlow 0.x does, so the shapes that follow are those its author meant. Losses called as
    `(logits, labels)` are TSL011's.

    ## Why is this bad?
    TensorFlow >= 1.0 raises: `tf.concat(1, outputs)` reads the list as the axis
    (`ValueError: Shape (2, None, 128) must have rank 0`), `tf.split(0, 28, x)` reads the tensor as the
    axis (`TypeError`/`InvalidArgumentError`: it must be an int32 scalar), `nce_loss` multiplies the
    labels by the weights (`Dimensions must be equal, but are 1 and 128`), and a renamed function is
    missing (`AttributeError: module 'tensorflow' has no attribute 'pack'`).

    ## Example
    ```python
    import tensorflow as tf

    left = tf.random.normal([8, 64])
    right = tf.random.normal([8, 64])
    both = tf.concat(1, [left, right])
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    left = tf.random.normal([8, 64])
    right = tf.random.normal([8, 64])
    both = tf.concat([left, right], 1)
    ```

    ## Fix safety
    - Arguments in TF 0.x's order (`concat`, `split`, the sampled losses): safe. The fix passes them
      by keyword in TensorFlow 1.0's order, `tf.concat(1, [a, b])` becoming
      `tf.concat(values=[a, b], axis=1)`: the call then means, in every TensorFlow since 1.0, what it
      meant in 0.x. Offered when every argument is positional (a sampled loss: up to `num_classes`).
    - A renamed function: safe, `tf.pack(xs, axis=1)` becoming `tf.stack(xs, axis=1)`, for the names
      whose new function takes the same arguments to mean the same thing (`pack`, `unpack`, `mul`,
      `sub`, `neg`, `complex_abs`). No fix for `tf.select` (`tf.where` broadcasts a
      vector condition where `select` picked rows), `tf.batch_matmul` (its third argument is `adj_x`,
      `matmul`'s is `transpose_a`) and `tf.inv` (`tf.reciprocal` in TensorFlow 1.x,
      `tf.math.reciprocal` in 2: no one name works in both).
    - Old keywords (`concat_dim=`...): no automatic fix yet; the message names the new ones.
    """

    code = "TSL015"
    name = "tf0-api-call"
    summary = "a call written for TensorFlow 0.x that TensorFlow >= 1.0 rejects"
    error_types = (LegacyCall,)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        draft = super().match(error, source)
        draft.fix = _fix(error, source)
        return draft


def _fix(error: ShapeError, source: SourceText) -> Optional[FixDraft]:
    facts = error.facts
    call = facts.get("call_node")
    if not isinstance(call, ast.Call):
        return None
    if facts.get("order") is not None:
        return keywords_in_order(call, facts["written"], facts["order"],
                                 f"pass {', '.join(name + '=' for name in facts['order'])} by keyword "
                                 f"(TensorFlow >= 1.0's order)")
    new = facts.get("renamed_to")
    if new is not None and isinstance(call.func, ast.Attribute):
        function = f"{source.code(call.func.value)}.{new.split('.')[-1]}"
        return replace_with(call.func, function, f"call `{function}`, TF 0.x's `{source.code(call.func)}` renamed")
    return None


RULE = Tf0ApiCallRule()
