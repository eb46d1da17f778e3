from __future__ import annotations

from typing import Optional

from ..fixes.draft import wrap_in_call
from ..ops.errors import ShapeError, SilentBroadcast
from ..shapes import shape as shapes
from .base import Draft, Rule, SourceText


class SilentBroadcastRule(Rule):
    """
    # TSL012 silent-broadcast

    ## What it does
    Finds elementwise arithmetic or comparisons (`-`, `+`, `*`, `/`, `tf.square(a - b)`,
    `tf.equal`, ...) between a `[..., N, 1]` tensor and a `[..., N]` tensor, which broadcast to
    `[..., N, N]`, when the result then goes into a reduction (`tf.reduce_*`, `np.mean`/`np.sum`...,
    `tf.nn.l2_loss`) that hides the wrong shape.

    Exact criterion, all of:

    1. one operand has shape `S + [1]` and the other shape `S` (`S` not empty), every size of `S`
       provably the same on both sides (the same int, or the same symbol, e.g. both from one
       placeholder's batch), and the last size of `S` not provably 1. Two placeholders' `None`
       batches are different symbols, never equal by themselves: such a broadcast is reported only
       at a `sess.run`/`eval`/`op.run` that fetches the reduced value (or an op minimizing it) and
       feeds both placeholders arrays whose sizes make the two sides equal and the last size at
       least 2 (then that run computes `[N, N]`);
    2. the size-1 axis came from the data or the model: the operand is a placeholder, a NumPy array
       or a variable declared with it (possibly cast), or it was produced by a matmul with a
       one-column weight, a one-unit dense layer, a Keras model's output or a convolution; not by
       `expand_dims`, `[:, None]`, `tf.newaxis`, `reshape` or a slice, and the operand's own
       expression is none of those;
    3. neither operand is a constant whose values are all equal (or unknown): `p - [1., 1., 1.]`
       or `tf.constant(2.0, shape=[N])` may be meant for every row, while a literal of distinct
       values (six house prices) is data;
    4. the broadcast result (through shape-keeping ops only, like `tf.square`) is the input of a
       reduction.

    Deliberate broadcasting is not reported: `[N, D] - [N, 1]` (same rank), `logits + bias`
    (`[N, C] + [C]`), an outer product `[N, 1] * [1, M]`, or pairwise differences written with an
    explicit axis (`x[:, None] - x`).

    ## Why is this bad?
    Predictions of shape `[N, 1]` (a one-unit output) minus targets of shape `[N]` give an `[N, N]`
    matrix: each prediction is compared with every target. `tf.reduce_mean` turns it into a number
    without any error, so the model trains on a wrong loss (or reports a wrong accuracy).

    ## Example
    ```python
    import tensorflow as tf

    x = tf.random.normal([64, 3])
    y = tf.random.normal([64])  # targets
    W = tf.Variable(tf.random.normal([3, 1]))

    pred = tf.matmul(x, W)  # 64x1
    loss = tf.reduce_mean(tf.square(pred - y))  # the mean of a 64x64 matrix
    ```

    ## Use instead
    ```python
    import tensorflow as tf

    x = tf.random.normal([64, 3])
    y = tf.random.normal([64])  # targets
    W = tf.Variable(tf.random.normal([3, 1]))

    pred = tf.matmul(x, W)  # 64x1
    loss = tf.reduce_mean(tf.square(tf.squeeze(pred, 1) - y))  # 64 squared errors
    ```

    ## Fix safety
    Unsafe (applied with `--unsafe-fixes`): the fix squeezes the operand with the size-1 axis, the
    one that came from the model or the data (`pred - y` becomes `tf.squeeze(pred, axis=-1) - y`),
    so that each prediction meets its own target. Giving the other operand a trailing axis of 1 is
    as valid, and other uses of the squeezed operand may need the same change. It is not offered
    when `tensorflow` is not imported by a plain `import` statement or the operand is the target
    of `-=`.
    """

    code = "TSL012"
    name = "silent-broadcast"
    summary = "[N, 1] and [N] operands silently broadcast to [N, N] before a reduction"
    error_types = (SilentBroadcast,)

    def match(self, error: ShapeError, source: SourceText) -> Optional[Draft]:
        larger = error.facts.get("larger")
        node = error.facts.get("broadcast_node") or error.node
        message = error.message
        code = " ".join(source.code(node).split()) if node is not None else ""
        if code and len(code) <= 60 and message.startswith("`"):
            message = f"`{code}`" + message[message.index("`", 1) + 1:]
        operand = error.facts.get("larger_node")
        fix = None
        if operand is not None:
            fix = wrap_in_call(operand, "tensorflow", "squeeze", ["axis=-1"],
                               f"squeeze the {shapes.fmt(larger.shape)} operand, `tf.squeeze(..., axis=-1)`", "unsafe")
        return Draft(node=node, message=message,
                     chain=getattr(larger, "chain", ()), witness=error.facts.get("reducer_node"),
                     witness_kind="silent", fix=fix)


RULE = SilentBroadcastRule()
