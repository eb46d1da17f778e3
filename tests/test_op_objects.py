"""Objects made by ops (Keras layers and models, flags, argparse, ...): what a program writes on them."""

import pytest

from helpers import codes, const, shape


@pytest.mark.parametrize("name", ["config", "node", "built_input", "summary", "layers", "input",
                                  "output", "opaque", "trainable"])
def test_attribute_written_on_a_keras_object_leaves_its_op_state_alone(name):
    """An op keeps its own state in the objects it makes (a layer's class and arguments, a model's
    layers): a program writing an attribute of the same name neither breaks nor changes the op."""
    src = f"""
import tensorflow as tf
layer = tf.keras.layers.Dense(10)
layer.{name} = 3
y = layer(tf.zeros([2, 5]))
z = layer(tf.zeros([2, 6]))
model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])
model.{name} = 3
m = model(tf.zeros([2, 3]))
back = layer.{name}
"""
    assert shape(src, "y") == "2x10"
    assert shape(src, "m") == "2x4"
    assert const(src, "back") == 3
    assert codes(src) == [(6, "TSL009")]  # built for 5 inputs, called on 6


def test_attributes_written_on_op_objects_read_back():
    src = """
import argparse
import tensorflow as tf
from absl import flags
flags.DEFINE_integer("batch_size", 64, "Batch size.")
FLAGS = flags.FLAGS
FLAGS.batch_size = 32
parser = argparse.ArgumentParser()
parser.add_argument("--size", type=int, default=28)
args = parser.parse_args()
args.size = 14
layer = tf.keras.layers.Dense(10)
layer.kernel_hint = tf.zeros([3, 4])
if UNKNOWN_FLAG:
    layer.kernel_hint = tf.zeros([5, 4])
model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])
a = tf.zeros([FLAGS.batch_size, args.size])
h = layer.kernel_hint
out = model.output
"""
    assert shape(src, "a") == "32x14"
    assert shape(src, "h") == "?x4"
    assert shape(src, "out") == "Nx4"
