from __future__ import annotations

from typing import Optional

from ..fixes.draft import FixDraft, keywords_in_order, wrap_in_call
from ..ops.errors import LossLabelMismatch, ShapeError
from .base import Draft, Rule, SourceText


class LossLabelMismatchRule(Rule):
    """
    # TSL011 loss-label-mismatch

    ## What it does
    Checks that the labels given to a loss have the shape the loss needs, compared with its logits
    or predictions:

    - `tf.nn.softmax_cross_entropy_with_logits` (and `_v2`): one-hot labels shaped like the logits.
      Reported: labels shaped like the logits without the class axis (class ids, `[N]` for `[N, C]`
      logits, `C > 1`, unless the labels' last size provably equals `C`); labels that TensorFlow
      cannot broadcast against the logits after it flattens both to 2-D (two known sizes that differ,
      neither 1); and, as a silent bug, a column of class ids `[N, 1]` against `[N, C]` logits with a
      known `C > 1`, which TensorFlow broadcasts without error.
    - `tf.nn.sparse_softmax_cross_entropy_with_logits`: labels of rank `rank(logits) - 1` (any other
      known rank is reported) whose sizes equal the logits' without the class axis (provably different
      sizes are reported).
    - `tf.nn.sigmoid_cross_entropy_with_logits`, `weighted_cross_entropy_with_logits` and TF1's
      `tf.losses.*` (`softmax_cross_entropy`, `sigmoid_cross_entropy`, `absolute_difference`,
      `huber_loss`, `log_loss`, `hinge_loss`, `cosine_distance`, `mean_pairwise_squared_error`, and
      `mean_squared_error` called with `labels=`/`predictions=`): labels compatible with the input
      (same rank, no two known sizes that differ). `[N]` labels against `[N, 1]` predictions are
      reported here. `tf.losses.sparse_softmax_cross_entropy` first squeezes a trailing axis of 1.
    - Keras `categorical_crossentropy` / `CategoricalCrossentropy()`: labels of the predictions' rank
      with a known size that differs, or class ids (rank one less) for more than one class.
      `sparse_categorical_crossentropy` / `SparseCategoricalCrossentropy()`: one-hot labels (the
      predictions' rank, last size known > 1). Only what Keras 2 and Keras 3 both reject is reported.
    - Two positional arguments in TF 0.x's order (logits, labels), to `softmax_cross_entropy_with_logits`,
      `sparse_softmax_cross_entropy_with_logits` or `tf.losses.sparse_softmax_cross_entropy`: where the
      call fails as written and its first argument has the class axis that the second lacks, the finding
      says that the arguments look swapped (TensorFlow >= 1.0 takes `labels=` and `logits=` by keyword;
      TF 2 reads a positional first argument as the labels).

    ## Why is this bad?
    TensorFlow raises (`Shapes (None, 1) and (None,) are incompatible`, `labels.shape.rank must equal
    logits.shape.rank - 1`, `logits and labels must be broadcastable`), or, for a column of class ids
    given to the one-hot loss, computes a meaningless loss without any error.

    ## Example
    ```python
    import tensorflow as tf

    logits = tf.random.normal([32, 10])
    labels = tf.random.uniform([32], maxval=10, dtype=tf.int32)  # class ids
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    logits = tf.random.normal([32, 10])
    labels = tf.random.uniform([32], maxval=10, dtype=tf.int32)  # class ids
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    ```

    ## Fix safety
    - Two positional arguments in TF 0.x's order (logits, labels): safe. The fix passes them by
      keyword in TensorFlow >= 1.0's order, `loss(y, y_)` becoming `loss(labels=y_, logits=y)`;
      the call then means what its author meant, in every TensorFlow since 1.0. It is offered only
      when the call works that way (otherwise the finding says what still fails).
    - A column of class ids (`[N, 1]`) given to `sparse_softmax_cross_entropy_with_logits`: safe.
      The fix squeezes it, `tf.squeeze(labels, axis=-1)`: the column holds one class id per
      example, and the loss wants them as a vector.
    - One-hot labels given to `sparse_softmax_cross_entropy_with_logits`: unsafe. The fix passes
      their class ids, `tf.argmax(labels, -1)`, which is right for one-hot rows but changes the
      loss for soft labels (label smoothing, mixup), where the non-sparse loss is the fix.
    - Class ids given to a one-hot loss: no automatic fix. Switching to the sparse loss is right
      only for integer labels, and `tf.one_hot` needs the number of classes; the data decides.
    """

    code = "TSL011"
    name = "loss-label-mismatch"
    summary = "the labels given to a loss do not have the shape it needs"
    error_types = (LossLabelMismatch,)
    chain_facts = ("labels",)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        draft = super().match(error, source)
        draft.fix = _fix(error)
        return draft


def _fix(error: ShapeError) -> Optional[FixDraft]:
    facts = error.facts
    if facts.get("written") is not None and facts.get("call_node") is not None:
        logits_name, labels_name = facts["written"]
        return keywords_in_order(facts["call_node"], facts["written"], (labels_name, logits_name),
                                 f"pass {labels_name}= and {logits_name}= by keyword (TensorFlow >= 1.0's order)")
    if facts.get("column_labels") and facts.get("labels_node") is not None:
        return wrap_in_call(facts["labels_node"], "tensorflow", "squeeze", ["axis=-1"],
                            "squeeze the column of class ids, `tf.squeeze(labels, axis=-1)`")
    if facts.get("onehot_labels") and facts.get("labels_node") is not None:
        return wrap_in_call(facts["labels_node"], "tensorflow", "argmax", ["-1"],
                            "pass the class ids of the one-hot labels, `tf.argmax(labels, -1)`", "unsafe")
    return None


RULE = LossLabelMismatchRule()
