"""Data that flows in: known data sources, sessions, and the feed_dict checks (TSL010)."""

import pytest

from helpers import codes, const, run, shape

TF1 = "import numpy as np\nimport tensorflow.compat.v1 as tf\n"

GRAPH = TF1 + """
x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]))
logits = tf.matmul(x, W)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
sess = tf.Session()
"""
FEED_LINE = GRAPH.count("\n") + 2  # the line after the batch definition


def feed_codes(batch: str, feed: str = "sess.run(train_step, feed_dict={x: xs, y_: ys})") -> list:
    return codes(GRAPH + batch + "\n" + feed + "\n")


# -- data sources -------------------------------------------------------------------------------


MNIST = """
from tensorflow.examples.tutorials.mnist import input_data
import tensorflow as tf
mnist = input_data.read_data_sets("MNIST_data/", one_hot={one_hot})
train_images = mnist.train.images
test_labels = mnist.test.labels
valid_images = mnist.validation.images
n = mnist.train.num_examples
xs, ys = mnist.train.next_batch(100)
"""


def test_mnist_tutorial_helper_one_hot():
    src = MNIST.format(one_hot=True)
    assert shape(src, "train_images") == "55000x784"
    assert shape(src, "test_labels") == "10000x10"
    assert shape(src, "valid_images") == "5000x784"
    assert shape(src, "xs") == "100x784"
    assert shape(src, "ys") == "100x10"
    assert const(src, "n") == 55000


def test_mnist_tutorial_helper_class_ids_and_options():
    src = MNIST.format(one_hot=False)
    assert shape(src, "ys") == "100"
    assert shape(src, "test_labels") == "10000"
    src = """
import input_data
mnist = input_data.read_data_sets("/tmp/data", reshape=False, validation_size=0, one_hot=True)
images = mnist.train.images
batch = mnist.train.next_batch(50)[0]
import tensorflow
"""
    assert shape(src, "images") == "60000x28x28x1"
    assert shape(src, "batch") == "50x28x28x1"


def test_mnist_unknown_one_hot_leaves_labels_unknown():
    src = MNIST.format(one_hot="FLAGS.one_hot")
    assert shape(src, "xs") == "100x784"
    assert not hasattr(run(src).globals.vars["ys"], "shape")


@pytest.mark.parametrize("module, x_train, y_train, x_test, y_test", [
    ("mnist", "60000x28x28", "60000", "10000x28x28", "10000"),
    ("fashion_mnist", "60000x28x28", "60000", "10000x28x28", "10000"),
    ("cifar10", "50000x32x32x3", "50000x1", "10000x32x32x3", "10000x1"),
    ("cifar100", "50000x32x32x3", "50000x1", "10000x32x32x3", "10000x1"),
    ("boston_housing", "404x13", "404", "102x13", "102"),
])
def test_keras_datasets(module, x_train, y_train, x_test, y_test):
    src = f"""
import tensorflow as tf
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.{module}.load_data()
"""
    assert [shape(src, n) for n in ("x_train", "y_train", "x_test", "y_test")] == [x_train, y_train, x_test, y_test]


def test_keras_dataset_through_from_import_and_preprocessing():
    src = """
import numpy as np
from tensorflow.keras.datasets import mnist
(x_train, y_train), _ = mnist.load_data()
x_train = x_train.reshape(-1, 28 * 28).astype("float32") / 255
x_img = np.expand_dims(x_train.reshape(-1, 28, 28), -1)
"""
    assert shape(src, "x_train") == "60000x784"
    assert shape(src, "x_img") == "60000x28x28x1"


def test_keras_image_helpers():
    src = """
import numpy as np
from tensorflow.keras.preprocessing import image
img = image.load_img("cat.jpg", target_size=(224, 224))
x = image.img_to_array(img)
batch = np.expand_dims(x, axis=0)
gray = tf.keras.utils.img_to_array(tf.keras.utils.load_img("a.png", color_mode="grayscale", target_size=(28, 28)))
free = image.img_to_array(image.load_img("cat.jpg"))
import tensorflow as tf
"""
    assert shape(src, "batch") == "1x224x224x3"
    assert shape(src, "free") == "<unknown rank>"


# -- sessions -----------------------------------------------------------------------------------------


def test_session_run_returns_arrays_of_the_fetched_shapes():
    src = GRAPH + """
xs = np.random.rand(100, 784)
out, l = sess.run([logits, loss], feed_dict={x: xs, y_: np.zeros((100, 10))})
d = sess.run({"l": logits})["l"]
none = sess.run(train_step, feed_dict={x: xs, y_: np.zeros((100, 10))})
e = logits.eval(feed_dict={x: xs}, session=sess)
pred = np.argmax(out, 1)
"""
    interpreter = run(src)
    assert interpreter.globals.vars["out"].kind == "ndarray"
    assert shape(src, "out") == "Nx10"
    assert shape(src, "l") == "scalar"
    assert shape(src, "d") == "Nx10"
    assert shape(src, "e") == "Nx10"
    assert shape(src, "pred") == "N"
    assert const(src, "none") is None


@pytest.mark.parametrize("opening", [
    "with tf.Session() as sess:",
    "with tf.InteractiveSession() as sess:",
    "with tf.Session(graph=tf.get_default_graph()) as sess:",
])
def test_sessions_of_every_spelling(opening):
    src = TF1 + f"""x = tf.placeholder(tf.float32, [None, 3])
{opening}
    sess.run(x, feed_dict={{x: np.zeros((2, 4))}})
"""
    assert codes(src) == [(5, "TSL010")]


def test_tf2_compat_v1_session():
    src = """import numpy as np
import tensorflow as tf
x = tf.compat.v1.placeholder(tf.float32, [None, 3])
with tf.compat.v1.Session() as sess:
    sess.run(x, feed_dict={x: np.zeros((2, 4))})
"""
    assert codes(src) == [(5, "TSL010")]


# -- feed checks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("batch", [
    "xs, ys = np.random.rand(100, 784), np.random.randint(0, 10, 100)",  # class ids for one-hot
    "xs, ys = np.random.rand(100, 28, 28, 1), np.zeros((100, 10))",  # images for flat rows
    "xs, ys = np.random.rand(100, 785), np.zeros((100, 10))",  # one feature too many
    "xs, ys = np.random.rand(100, 784), np.zeros((100, 10, 1))",
    "xs, ys = [[0.0] * 783], [[0.0] * 10]",  # Python lists
    "xs, ys = np.random.rand(100, 784), 1.0",  # a scalar for a matrix
])
def test_wrong_feeds_are_reported_on_the_run_line(batch):
    assert feed_codes(batch) == [(FEED_LINE, "TSL010")]


@pytest.mark.parametrize("batch", [
    "xs, ys = np.random.rand(100, 784), np.eye(10)[np.random.randint(0, 10, 100)]",
    "xs, ys = [[0.0] * 784] * 3, [[0.0] * 10] * 3",
    "xs, ys = np.random.rand(100, 28, 28).reshape(-1, 784), np.zeros((100, 10))",
    "xs, ys = load(), np.zeros((100, 10))",  # unknown shape
    "xs, ys = np.random.rand(n, 784), np.zeros((100, k))",  # unknown sizes
    "xs, ys = np.random.rand(100, 784)[:, :D], np.zeros((100, 10))",
])
def test_fitting_or_unknown_feeds_are_clean(batch):
    assert feed_codes(batch) == []


def test_placeholder_with_none_sizes_accepts_any_size():
    src = TF1 + """images = tf.placeholder(tf.float32, [None, None, None, 3])
sess = tf.Session()
sess.run(images, feed_dict={images: np.zeros((2, 64, 48, 3))})
sess.run(images, feed_dict={images: np.zeros((2, 64, 48, 1))})
"""
    assert codes(src) == [(6, "TSL010")]


def test_unknown_placeholder_shape_is_never_checked():
    src = TF1 + """keep_prob = tf.placeholder(tf.float32)
p = tf.placeholder(tf.float32, shape=SHAPE)
sess = tf.Session()
sess.run(keep_prob, feed_dict={keep_prob: [0.5, 0.5], p: np.zeros((3, 3))})
"""
    assert codes(src) == []


def test_scalar_placeholder_fed_an_array():
    src = TF1 + """rate = tf.placeholder(tf.float32, [])
sess = tf.Session()
sess.run(rate, {rate: 0.5})
sess.run(rate, {rate: np.array([0.5])})
"""
    assert codes(src) == [(6, "TSL010")]


def test_feed_dict_built_before_the_call_and_operation_run():
    src = GRAPH + """
feed = {x: np.zeros((5, 784))}
feed[y_] = np.zeros((5, 3))
train_step.run(feed_dict=feed)
"""
    assert codes(src) == [(GRAPH.count("\n") + 4, "TSL010")]


def test_eval_feeds_and_mnist_batches():
    src = """
import tensorflow.compat.v1 as tf
from tensorflow.examples.tutorials.mnist import input_data
mnist = input_data.read_data_sets("MNIST_data", one_hot=False)
x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
acc = tf.reduce_mean(tf.matmul(x, tf.zeros([784, 10])) * y_)
with tf.Session() as sess:
    batch = mnist.train.next_batch(50)
    print(acc.eval(feed_dict={x: batch[0], y_: batch[1]}))
    print(acc.eval(feed_dict={x: mnist.test.images, y_: np.eye(10)[mnist.test.labels]}))
"""
    assert codes(src) == [(10, "TSL010")]


def test_message_names_the_value_and_the_declaration():
    from tfshapelint.linter import lint_source

    findings = lint_source(GRAPH + "ys = np.random.randint(0, 10, size=100)\n"
                                   "sess.run(train_step, feed_dict={x: np.zeros((100, 784)), y_: ys})\n", "f.py")
    (finding,) = findings
    assert "`ys` of shape (100,)" in finding.message
    assert "`y_`, declared [None, 10]" in finding.message
    assert "one-hot" in finding.message
