"""Keras models in the three styles, tf.layers and slim: shapes and findings, without TensorFlow."""

import pytest

from helpers import codes, shape

KERAS = "import tensorflow as tf\nfrom tensorflow.keras import layers\n"


def test_functional_cnn_shapes():
    src = KERAS + """
inputs = tf.keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(64, (3, 3), strides=2, padding="same")(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
"""
    assert shape(src, "outputs") == "Nx10"
    assert shape(src, "x") == "Nx3136"  # 28 -3 valid-> 26 -pool-> 13 -s2 same-> 7: 7*7*64


def test_conv_arithmetic():
    src = KERAS + """
inputs = tf.keras.Input(shape=(28, 28, 1))
a = layers.Conv2D(32, 3)(inputs)
b = layers.MaxPooling2D()(a)
c = layers.Conv2D(64, 3, strides=2, padding="same")(b)
d = layers.Conv2DTranspose(8, 3, strides=2, padding="same")(c)
e = layers.Conv2DTranspose(8, 3, strides=2)(c)
f = layers.DepthwiseConv2D(3, depth_multiplier=2)(c)
g = layers.Conv2D(4, 3, data_format="channels_first")(tf.keras.Input((3, 9, 9)))
h = layers.GlobalAveragePooling2D()(c)
"""
    assert [shape(src, n) for n in "abcdefgh"] == [
        "Nx26x26x32", "Nx13x13x32", "Nx7x7x64", "Nx14x14x8", "Nx15x15x8", "Nx5x5x128", "N2x4x7x7", "Nx64"]


def test_sequential_list_add_and_input_shape_keyword():
    src = KERAS + """
a = tf.keras.Sequential([layers.Dense(64, input_shape=(784,)), layers.Dense(10)])
b = tf.keras.Sequential()
b.add(layers.Input((20, 8)))
b.add(layers.LSTM(16, return_sequences=True))
b.add(layers.Bidirectional(layers.GRU(4)))
ya = a(tf.zeros([5, 784]))
yb = b(tf.zeros([3, 20, 8]))
"""
    assert shape(src, "ya") == "5x10"
    assert shape(src, "yb") == "3x8"


def test_sequential_without_input_builds_on_first_call():
    src = KERAS + """
model = tf.keras.Sequential([layers.Flatten(), layers.Dense(10)])
y = model(tf.zeros([2, 4, 4]))
"""
    assert shape(src, "y") == "2x10"


def test_sequential_error_is_reported_on_the_layer_line():
    src = KERAS + """
model = tf.keras.Sequential([
    layers.Input((784,)),
    layers.Dense(1024),
    layers.Reshape((7, 7, 64)),
])
"""
    assert codes(src) == [(7, "TSL002")]


def test_sequential_layers_after_an_error_are_not_run_on_a_stale_shape():
    src = KERAS + """
model = tf.keras.Sequential()
model.add(layers.Input((4, 4, 3)))
model.add(layers.MaxPooling2D(8))
model.add(layers.MaxPooling2D(8))
"""
    assert codes(src) == [(6, "TSL005")]


def test_subclassed_model_runs_call():
    src = KERAS + """
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.body = [layers.Dense(32), layers.Dense(16)]
        self.head = layers.Dense(3)

    def call(self, x):
        for layer in self.body:
            x = layer(x)
        return self.head(x)

y = Net()(tf.zeros([7, 100]))
"""
    assert shape(src, "y") == "7x3"


def test_merge_layers():
    src = KERAS + """
a = tf.keras.Input((8, 8, 3))
b = tf.keras.Input((8, 8, 5))
c = layers.Concatenate()([a, b])
d = layers.Add()([a, layers.Conv2D(3, 1)(b)])
e = layers.Add()([a, b])
"""
    assert shape(src, "c") == "Nx8x8x8"
    assert shape(src, "d") == "?x8x8x3"  # two Inputs: their batch sizes may differ
    assert codes(src) == [(8, "TSL006")]


def test_broadcasting_merge_with_unknown_batch_is_silent():
    src = KERAS + """
a = tf.keras.Input((8,))
b = tf.keras.Input((1,))
c = layers.Multiply()([a, b])
"""
    assert codes(src) == []


def test_shared_layer_with_other_input_size():
    src = KERAS + """
shared = layers.Dense(4)
a = shared(tf.keras.Input((5,)))
b = shared(tf.keras.Input((6,)))
c = shared(tf.keras.Input((5,)))
"""
    assert codes(src) == [(6, "TSL009")]


@pytest.mark.parametrize("module", ["import keras\nlayers = keras.layers\ntf = keras",
                                    "import tf_keras as keras\nlayers = keras.layers\ntf = keras"])
def test_keras_3_and_tf_keras_names(module):
    src = module + """
x = keras.Input((10,))
y = layers.Dense(3)(x)
"""
    assert shape(src, "y") == "Nx3"


def test_tf_layers_functions():
    src = """
import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 28, 28, 1])
a = tf.layers.conv2d(x, 32, 5, padding="same")
b = tf.layers.max_pooling2d(a, 2, 2)
c = tf.layers.conv2d(b, 64, [3, 3])
d = tf.layers.dense(tf.layers.flatten(c), 10)
"""
    assert [shape(src, n) for n in "abcd"] == ["Nx28x28x32", "Nx14x14x32", "Nx12x12x64", "Nx10"]


SLIM = "import tensorflow.compat.v1 as tf\nimport tf_slim as slim\nx = tf.placeholder(tf.float32, [None, 32, 32, 3])\n"


def test_slim_defaults_and_arg_scope():
    src = SLIM + """
a = slim.conv2d(x, 16, [3, 3])
b = slim.max_pool2d(a, [2, 2])
with slim.arg_scope([slim.conv2d], padding="VALID", stride=2):
    c = slim.conv2d(a, 8, 3)
    d = slim.conv2d(a, 8, 3, padding="SAME")
    e = slim.max_pool2d(a, 2)
f = slim.repeat(x, 2, slim.conv2d, 4, [3, 3])
g = slim.fully_connected(slim.flatten(b), 10)
"""
    assert [shape(src, n) for n in "abcdefg"] == [
        "Nx32x32x16", "Nx16x16x16", "Nx15x15x8", "Nx16x16x8", "Nx16x16x16", "Nx32x32x4", "Nx10"]


def test_slim_defaults_are_unknown_where_an_arg_scope_may_apply():
    src = SLIM + """
def net(inputs):
    return slim.conv2d(inputs, 16, [3, 3])

def unknown_scope():
    return make_scope()

with slim.arg_scope(unknown_scope()):
    a = slim.conv2d(x, 16, [3, 3])
with some_context_manager():
    b = slim.max_pool2d(x, [2, 2])
c = net(x)
"""
    assert shape(src, "a") == "Nx?x?x?"  # the scope may even set data_format
    assert shape(src, "b") == "Nx?x?x?"
    assert shape(src, "c") == "Nx32x32x16"
    # the function alone (as if called from elsewhere) reports nothing that depends on defaults
    assert codes(SLIM + "def f(i):\n    return slim.max_pool2d(tf.zeros([1, 2, 2, 3]), [4, 4])\n") == []


def test_functional_merge_helpers():
    src = KERAS + """
a = tf.keras.Input((8, 8, 3))
b = tf.keras.Input((8, 8, 5))
c = layers.concatenate([a, b])
d = layers.concatenate([a, b], axis=3)
e = layers.add([a, layers.Conv2D(3, 1)(b)])
"""
    assert shape(src, "c") == "Nx8x8x8"  # concatenation only runs when the batches agree
    assert shape(src, "d") == "Nx8x8x8"
    assert shape(src, "e") == "?x8x8x3"


def test_concatenate_with_mismatched_axes():
    src = KERAS + """
a = tf.keras.Input((30, 30, 16))
b = tf.keras.Input((32, 32, 16))
x = layers.Concatenate()([a, b])
ok = layers.Concatenate(axis=1)([a, tf.keras.Input((5, 30, 16))])
"""
    assert codes(src) == [(6, "TSL008")]
    assert shape(src, "ok") == "Nx35x30x16"


def test_flatten_layers_feed_the_dense_input_rule():
    src = """
import tensorflow.compat.v1 as tf
import tf_slim as slim
x = tf.placeholder(tf.float32, [None, 7, 7, 64])
wd1 = tf.Variable(tf.zeros([4 * 4 * 64, 1024]))
a = tf.matmul(tf.layers.flatten(x), wd1)
b = tf.matmul(slim.flatten(x), wd1)
c = tf.matmul(tf.keras.layers.Flatten()(x), wd1)
"""
    assert codes(src) == [(5, "TSL001")]  # one weight declaration: the three uses report it once


# -- Keras 1 ----------------------------------------------------------------------------------------------

KERAS1_CNN = """from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D
model = Sequential()
model.add(Convolution2D(32, 3, 3, input_shape=(8, 8, 1)))
model.add(MaxPooling2D((2, 2)))
model.add(Convolution2D(32, 3, 3))
"""


def test_keras1_convolution_signature_is_not_read_as_a_stride():
    # Keras 1 (and 2.0-2.3) read ``Convolution2D(32, 3, 3)`` as a 3x3 kernel; tf.keras as kernel 3, stride 3,
    # which would leave 1x1 after the pooling and report the last convolution.
    assert codes(KERAS1_CNN) == []


def test_keras1_keywords_leave_the_shape_unknown():
    # ``border_mode="same"`` keeps 2x2; read as tf.keras (no such keyword: "valid") a 3x3 kernel would not fit.
    src = "from keras.layers import Conv2D, Input\ny = Conv2D(8, 3, border_mode='same')(Input((2, 2, 1)))\n"
    assert codes(src) == []
    assert codes(src.replace("border_mode", "padding")) == []
    assert codes(src.replace("border_mode='same'", "padding='valid'")) == [(2, "TSL005")]


def test_tf_keras_conv2d_with_an_int_stride_is_still_read():
    src = KERAS1_CNN.replace("Convolution2D", "Conv2D").replace("from keras.", "from tensorflow.keras.")
    assert codes(src) == [(6, "TSL005")]
