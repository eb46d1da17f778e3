"""A negative size in a declared shape (``tf.zeros([-2, 3])``, ``Input(shape=[-1])``...) is unknown.

TensorFlow and Keras reject such a shape when it is made (``Dimension -2 must be >= 0``, ``Negative
dimensions are not allowed``; a graph's shape inference takes the size as unknown): no finding may
derive from the size. The other sizes of the shape stay known; -1 in a reshape target still means
"the rest".
"""

import pytest

from helpers import codes, shape

TF = "import tensorflow as tf\n"

# (the program, the name of the tensor declared with the negative size, its shape for us)
DECLARED = [
    ("a = tf.keras.Input(shape=[-1])\ny = a + tf.zeros([4])", "a", "Nxd1"),
    ("a = tf.keras.Input(shape=(-1, 3))\ny = tf.keras.layers.Dense(4)(a) + tf.zeros([7, 5, 4])", "a", "Nxd1x3"),
    ("a = tf.keras.Input(batch_shape=(-2, 3))\ny = a + tf.zeros([5, 3])", "a", "Nx3"),
    ("a = tf.keras.Input(shape=(3,), batch_size=-2)\ny = a + tf.zeros([5, 3])", "a", "Nx3"),
    ("a = tf.zeros([-2, 3])\ny = a + tf.zeros([5, 3])", "a", "?x3"),
    ("a = tf.ones([-2, 3])\ny = tf.matmul(a, tf.zeros([3, 4])) + tf.zeros([7, 4])", "a", "?x3"),
    ("a = tf.fill([-2, 3], 1.0)\ny = a + tf.zeros([5, 3])", "a", "?x3"),
    ("a = tf.random.stateless_uniform([-3], seed=[1, 2])\ny = a + tf.zeros([4])", "a", "?"),
    ("a = tf.random.uniform([-3, 2])\ny = a + tf.zeros([4, 2])", "a", "?x2"),
    ("a = tf.compat.v1.random_gamma([-2], [1.0, 2.0])\ny = a + tf.zeros([5, 2])", "a", "?x2"),
    ("a = tf.compat.v1.placeholder(tf.float32, [None, -5])\ny = a + tf.zeros([2, 6])", "a", "Nxd1"),
    ("a = tf.compat.v1.placeholder(tf.float32, [-1, 784])\ny = tf.matmul(a, tf.zeros([784, 10])) + tf.zeros([3, 10])",
     "a", "Nx784"),
    ("a = tf.compat.v1.placeholder_with_default(tf.zeros([2, 3]), [-1, 3])\ny = a + tf.zeros([5, 3])", "a", "Nx3"),
    ("a = tf.constant(0.0, shape=[-2, 3])\ny = a + tf.zeros([5, 3])", "a", "?x3"),
    ("a = tf.compat.v1.get_variable('v', shape=[-2, 3])\ny = a + tf.zeros([5, 3])", "a", "?x3"),
    ("a = tf.keras.initializers.GlorotUniform()(shape=[-2, 3])\ny = a + tf.zeros([5, 3])", "a", "?x3"),
    ("a = tf.Variable(tf.zeros([-2, 3]))\ny = a + tf.zeros([5, 3])", "a", "?x3"),
    ("x = tf.zeros([1, 4, 4, 8])\na = tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 16, 8]), [1, -8, 8, 16], 2)\n"
     "y = a + tf.zeros([1, 5, 8, 16])", "a", "1x?x8x16"),
]


@pytest.mark.parametrize("program, name, expected", DECLARED)
def test_negative_declared_size_is_unknown(program, name, expected):
    assert shape(TF + program, name) == expected
    assert codes(TF + program) == []


@pytest.mark.parametrize("program", [
    # Keras models declare their input through the first layer or build()
    "m = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(-3, 2))])\ny = m.output + tf.zeros([2, 5])",
    "m = tf.keras.Sequential([tf.keras.layers.Dense(4, input_dim=-3)])\ny = m.input + tf.zeros([2, 5])",
    "m = tf.keras.Sequential([tf.keras.layers.Dense(4, batch_input_shape=(-2, 3))])\ny = m.output + tf.zeros([5, 4])",
    "m = tf.keras.Sequential([tf.keras.layers.Dense(4)])\nm.build((None, -3))\ny = m.input + tf.zeros([2, 5])",
    # set_shape to a negative size: TensorFlow raises its own error, not "incompatible shapes"
    "x = tf.zeros([2, 3])\nx.set_shape([-1, 3])",
    "x = tf.compat.v1.placeholder(tf.float32, [None, 3])\nx.set_shape([2, -3])",
    # an image loaded at a negative size: Keras' loader raises
    "img = tf.keras.preprocessing.image.load_img('a.png', target_size=(-4, 4))\n"
    "y = tf.keras.preprocessing.image.img_to_array(img) + tf.zeros([5, 4, 3])",
    # a Keras Reshape target takes -1 only
    "x = tf.keras.layers.Reshape((-2, 3))(tf.zeros([2, 6]))\ny = x + tf.zeros([2, 5, 3])",
])
def test_negative_size_gives_no_finding(program):
    assert codes(TF + program) == []


def test_other_sizes_of_the_shape_stay_known():
    src = TF + "a = tf.zeros([-2, 3])\ny = a + tf.zeros([5, 4])\n"
    assert codes(src) == [(3, "TSL006")]  # 3 vs 4, whatever the first size


def test_minus_one_in_reshape_targets_still_infers():
    src = TF + """
x = tf.reshape(tf.zeros([6, 4]), [-1, 3])
y = tf.keras.layers.Reshape((-1, 3))(tf.zeros([2, 6]))
z = x + tf.zeros([8, 3])
w = y + tf.zeros([2, 3, 3])
"""
    assert shape(src, "x") == "8x3"
    assert shape(src, "y") == "2x2x3"
    assert codes(src) == [(6, "TSL006")]  # 2x2x3 + 2x3x3


@pytest.mark.parametrize("program", [
    "y = tf.keras.layers.Dense(-1)(tf.zeros([1, 4])) + tf.zeros([1, 4])",
    "y = tf.keras.layers.Dense(0)(tf.zeros([1, 4])) + tf.zeros([1, 4])",
    "y = tf.keras.layers.Embedding(10, -3)(tf.zeros([2, 5], tf.int32)) + tf.zeros([2, 5, 3])",
    "y = tf.keras.layers.RepeatVector(-3)(tf.zeros([1, 4])) + tf.zeros([1, 3, 4])",
    "y = tf.keras.layers.Conv2D(-8, 3)(tf.zeros([1, 8, 8, 3])) + tf.zeros([1, 6, 6, 8])",
    "y = tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=-2)(tf.zeros([1, 8, 8, 3])) + tf.zeros([1, 6, 6, 6])",
    "y = tf.keras.layers.LSTM(-4)(tf.zeros([2, 7, 3])) + tf.zeros([2, 4])",
])
def test_a_layer_size_that_is_not_positive_is_unknown(program):
    """Keras rejects ``Dense(-1)`` and the like when the layer is made; the linter said
    "1x-1 and 1x4" before."""
    assert codes(TF + program) == []


def test_a_positive_layer_size_still_counts():
    assert codes(TF + "y = tf.keras.layers.Dense(3)(tf.zeros([1, 4])) + tf.zeros([1, 4])") == [(2, "TSL006")]
