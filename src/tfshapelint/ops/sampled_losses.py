"""Sampled losses, ``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``: one loss per example
("A batch_size 1-D tensor of per-example ... losses", their API docs), from inputs
``[batch_size, dim]``."""

from __future__ import annotations

from ..domain.values import UNKNOWN, Value
from .args import tensor_of
from .registry import Call, op
from .tf0_calls import sampled_loss_as_written


@op("tf.nn.nce_loss", "tf.nn.sampled_softmax_loss")
def sampled_loss(call: Call) -> Value:
    call = sampled_loss_as_written(call)  # TF 0.x's (weights, biases, inputs, labels), reported for TF >= 1.0
    inputs = tensor_of(call.arg(3, "inputs"))
    if inputs is None or inputs.shape is None or len(inputs.shape) != 2:
        return UNKNOWN
    return inputs.derive((inputs.shape[0],), call.name.split(".")[-1])
