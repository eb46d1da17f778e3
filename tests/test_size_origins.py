"""Messages that show symbolic sizes (N, N2...) say which declared input each one is the batch of."""

import pytest

from helpers import run
from tfshapelint.linter import lint_source
from tfshapelint.rules.size_origins import mentions
from tfshapelint.shapes import dims

TF1 = "import tensorflow.compat.v1 as tf\n"


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(source, "snippet.py")]


def test_a_message_with_two_batches_names_both():
    src = TF1 + """x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=tf.layers.dense(x, 10))
"""
    (message,) = messages(src)
    assert "but they are N2x10" in message
    assert message.endswith("(where N is the batch of placeholder `x`, N2 the batch of placeholder `y`)")


def test_a_message_with_one_batch_has_no_note():
    src = TF1 + "x = tf.placeholder(tf.float32, [None, 784])\ny = tf.reshape(x, [-1, 7, 7, 3])\n"
    (message,) = messages(src)
    assert "N" in message and "where" not in message


def test_keras_inputs_are_named_too():
    src = """import tensorflow as tf
from tensorflow.keras import layers
left = tf.keras.Input((128,))
right = tf.keras.Input((64,))
out = layers.Subtract()([left, right])
"""
    (message,) = messages(src)
    assert message.endswith("(where N is the batch of Keras input `left`, N2 the batch of Keras input `right`)")


def test_the_first_name_of_a_placeholder_is_its_origin():
    interpreter = run(TF1 + "y = tf.placeholder(tf.float32, [None, None])\nz = y\nw = tf.identity(y)\n")
    batch, width = interpreter.globals.vars["z"].shape
    assert dims.lone_symbol(batch).origin == "the batch of placeholder `y`"
    assert dims.lone_symbol(width).origin == "axis 1 of placeholder `y`"


def test_computed_tensors_give_no_origin():
    interpreter = run(TF1 + "h = tf.identity(tf.placeholder(tf.float32, [None, 3]))\n")
    (symbol,) = dims.symbols_of(interpreter.globals.vars["h"].shape[0])
    assert symbol.origin is None


@pytest.mark.parametrize("text, name, shown", [
    ("labels of shape N2x10", "N2", True),
    ("the logits' Nx10", "N", True),
    ("broadcasts to NxN2", "N2", True),
    ("(N2) looks like", "N2", True),
    ("but they are N2x10", "N", False),
    ("N20 rows", "N2", False),
])
def test_a_size_is_mentioned_only_as_a_whole_name(text, name, shown):
    assert mentions(text, name) is shown
