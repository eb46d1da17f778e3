"""Losses and their labels (TSL011), silent [N,1]-[N] broadcasts (TSL012), argmax over a size-1
axis (TSL013), set_shape (TSL014): what is reported, and the deliberate code that is not."""

import pytest

from helpers import codes, shape

TF1 = "import numpy as np\nimport tensorflow.compat.v1 as tf\n"
TF2 = "import numpy as np\nimport tensorflow as tf\n"

# -- TSL011: labels against logits --------------------------------------------------------------------

LOSS_GRAPH = TF1 + """x = tf.placeholder(tf.float32, [None, 784])
logits = tf.layers.dense(x, 10)
one = tf.layers.dense(x, 1)
ids = tf.cast(tf.argmax(logits, 1), tf.int64)
hot = tf.one_hot(ids, 10)
col = tf.expand_dims(ids, 1)
"""
LOSS_LINE = LOSS_GRAPH.count("\n") + 1


@pytest.mark.parametrize("loss", [
    "tf.nn.softmax_cross_entropy_with_logits(labels=tf.cast(ids, tf.float32), logits=logits)",
    "tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.zeros([7, 3]), logits=tf.zeros([7, 10]))",
    "tf.nn.softmax_cross_entropy_with_logits(labels=tf.cast(col, tf.float32), logits=logits)",  # silent
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=hot, logits=logits)",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=col, logits=logits)",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros([5], tf.int64), logits=tf.zeros([6, 10]))",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(ids, tf.float32), logits=one)",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=hot, logits=tf.layers.dense(x, 3))",
    "tf.nn.weighted_cross_entropy_with_logits(labels=tf.zeros([4]), logits=tf.zeros([4, 1]), pos_weight=2.0)",
    "tf.losses.softmax_cross_entropy(tf.cast(col, tf.float32), logits)",
    "tf.losses.sparse_softmax_cross_entropy(labels=hot, logits=logits)",
    "tf.losses.sigmoid_cross_entropy(multi_class_labels=tf.zeros([4]), logits=tf.zeros([4, 1]))",
    "tf.losses.mean_squared_error(labels=tf.zeros([4]), predictions=tf.zeros([4, 1]))",
    "tf.losses.absolute_difference(tf.zeros([4, 2]), tf.zeros([4, 3]))",
    "tf.keras.losses.categorical_crossentropy(ids, logits)",
    "tf.keras.losses.categorical_crossentropy(tf.zeros([4, 3]), tf.zeros([4, 10]))",
    "tf.keras.losses.CategoricalCrossentropy(from_logits=True)(ids, logits)",
    "tf.keras.losses.sparse_categorical_crossentropy(hot, logits)",
    "tf.keras.losses.SparseCategoricalCrossentropy()(tf.zeros([4, 10]), tf.zeros([4, 10]))",
])
def test_label_mismatches(loss):
    assert codes(LOSS_GRAPH + f"loss = {loss}\n") == [(LOSS_LINE, "TSL011")]


@pytest.mark.parametrize("loss", [
    "tf.nn.softmax_cross_entropy_with_logits(labels=hot, logits=logits)",
    "tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.ones([10]) / 10, logits=logits)",  # broadcast prior
    "tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones([1, 10]) / 10, logits=logits)",
    "tf.nn.softmax_cross_entropy_with_logits(labels=tf.zeros([10]), logits=tf.zeros([10, 10]))",  # ambiguous
    "tf.nn.softmax_cross_entropy_with_logits(labels=tf.zeros([5, 1]), logits=tf.zeros([5, 1]))",
    "tf.nn.softmax_cross_entropy_with_logits(labels=hot, logits=logits, axis=0)",  # other axes: not checked
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=logits)",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.placeholder(tf.int64, [None]), logits=logits)",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(col, tf.float32), logits=one)",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.placeholder(tf.float32, [None, 1]), logits=one)",
    "tf.losses.sparse_softmax_cross_entropy(labels=col, logits=logits)",  # v1 squeezes the column
    "tf.losses.mean_squared_error(tf.zeros([4]), tf.zeros([4, 1]))",  # TF2: Keras's function, no check
    "tf.losses.mean_squared_error(labels=tf.zeros([4, 1]), predictions=tf.zeros([4, 1]))",
    "tf.keras.losses.categorical_crossentropy(hot, logits)",
    "tf.keras.losses.sparse_categorical_crossentropy(ids, logits)",
    "tf.keras.losses.sparse_categorical_crossentropy(col, logits)",
    "tf.keras.losses.SparseCategoricalCrossentropy()(tf.zeros([4, 1]), tf.zeros([4, 10]))",
    "tf.keras.losses.categorical_crossentropy(tf.zeros([4]), tf.zeros([4, 1]))",  # Keras 2 and 3 differ
    "tf.nn.softmax_cross_entropy_with_logits(labels=unknown_labels, logits=logits)",
])
def test_fitting_labels_are_clean(loss):
    assert codes(LOSS_GRAPH + f"loss = {loss}\n") == []


def test_loss_shapes():
    src = LOSS_GRAPH + """
a = tf.nn.softmax_cross_entropy_with_logits(labels=hot, logits=logits)
b = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=logits)
c = tf.nn.sigmoid_cross_entropy_with_logits(labels=hot, logits=logits)
d = tf.losses.softmax_cross_entropy(hot, logits)
e = tf.keras.losses.categorical_crossentropy(hot, logits)
f = tf.keras.losses.CategoricalCrossentropy()(hot, logits)
g = tf.nn.l2_loss(logits)
"""
    assert [shape(src, n) for n in "abcdefg"] == ["N", "N", "Nx10", "scalar", "N", "scalar", "scalar"]


def test_label_placeholders_of_different_batches_class_ids_stay_silent():
    # [N2] class ids against [N, 10] logits: N2 might be 10 (a distribution broadcast): not provable
    src = TF1 + """x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None])
loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=tf.layers.dense(x, 10))
"""
    assert codes(src) == []


# -- TSL012: silent broadcasts ------------------------------------------------------------------------

REGRESSION = TF2 + """X = np.random.rand(128, 13).astype(np.float32)
y = np.random.rand(128).astype(np.float32)
W = tf.Variable(tf.zeros([13, 1]))
b = tf.Variable(tf.zeros([1]))
pred = tf.matmul(X, W) + b
"""
REG_LINE = REGRESSION.count("\n") + 1


@pytest.mark.parametrize("loss", [
    "tf.reduce_mean(tf.square(pred - y))",
    "tf.reduce_mean(tf.square(y - pred))",
    "tf.reduce_sum((pred - y) ** 2)",
    "tf.reduce_mean(tf.abs(tf.subtract(pred, y)))",
    "tf.math.reduce_mean(tf.math.squared_difference(pred, y))",
    "tf.nn.l2_loss(pred - y)",
    "tf.reduce_mean(tf.cast(tf.equal(pred, y), tf.float32))",
    "np.mean((X @ np.ones((13, 1)) - y) ** 2)",
])
def test_silent_broadcast_into_a_reduction(loss):
    assert codes(REGRESSION + f"loss = {loss}\n") == [(REG_LINE, "TSL012")]


@pytest.mark.parametrize("targets", [
    "tf.constant([2.45, 1.50, 3.30, 2.05])",
    "[2.45, 1.50, 3.30, 2.05]",
    "tf.constant([[2.45, 1.50], [3.30, 2.05]])[0]",
])
def test_a_constant_of_distinct_values_is_data(targets):
    src = TF2 + f"""features = tf.constant(np.random.rand(4, 3).astype(np.float32))
w = tf.Variable(tf.zeros([3, 1]))
loss = tf.reduce_mean(tf.square({targets} - tf.matmul(features, w)))
"""
    assert codes(src) == ([] if "[0]" in targets else [(src.count("\n"), "TSL012")])


def test_silent_broadcast_is_reported_where_the_operands_meet():
    src = REGRESSION + """err = pred - y
sq = tf.square(err)
loss = tf.reduce_mean(sq)
"""
    assert codes(src) == [(REG_LINE, "TSL012")]
    assert shape(src, "err") == "128x128"


@pytest.mark.parametrize("loss", [
    "tf.reduce_mean(tf.square(tf.squeeze(pred, 1) - y))",
    "tf.reduce_mean(tf.square(pred - y[:, None]))",
    "tf.reduce_mean(tf.square(pred - tf.reshape(y, [-1, 1])))",
    "tf.reduce_mean(tf.square(pred - tf.expand_dims(y, -1)))",
    "tf.reduce_sum(X - tf.reduce_mean(X, axis=1, keepdims=True))",  # [N, D] - [N, 1]: same rank
    "tf.reduce_sum(tf.matmul(X, tf.zeros([13, 10])) + tf.zeros([10]))",  # logits + bias
    "tf.reduce_sum(pred * tf.ones([1, 5]))",  # outer product with explicit 1s
    "tf.reduce_sum(y[:, None] - y)",  # pairwise differences, the axis written on purpose
    "tf.reduce_sum(tf.expand_dims(y, 1) - y)",
    "tf.reduce_sum(pred - tf.constant([1.0] * 128))",  # a constant of equal values: meant for every row
    "tf.reduce_sum(pred - tf.constant(2.0, shape=[128]))",
    "tf.reduce_sum(pred - [0.5] * 128)",
    "tf.reduce_mean(pred - np.random.rand(64))",  # sizes differ: TSL006's business (raises)
    "pred - y",  # not reduced: left to the shapes that follow
])
def test_deliberate_or_unreduced_broadcasts_are_clean(loss):
    found = codes(REGRESSION + f"loss = {loss}\n")
    assert all(code != "TSL012" for _, code in found)


def test_different_placeholder_batches_are_not_provably_equal():
    src = TF1 + """x = tf.placeholder(tf.float32, [None, 13])
y = tf.placeholder(tf.float32, [None])
pred = tf.matmul(x, tf.Variable(tf.zeros([13, 1])))
loss = tf.reduce_mean(tf.square(pred - y))
"""
    assert codes(src) == []


def test_one_placeholder_batch_is_the_same_symbol():
    src = TF1 + """data = tf.placeholder(tf.float32, [None, 14])
pred = tf.matmul(data[:, :13], tf.Variable(tf.zeros([13, 1])))
loss = tf.reduce_mean(tf.square(pred - data[:, 13]))
"""
    assert codes(src) == [(5, "TSL012")]


def test_labels_column_from_data_against_a_vector_prediction():
    src = TF2 + """X = np.random.rand(32, 4).astype(np.float32)
y = np.random.rand(32, 1).astype(np.float32)
pred = tf.reduce_sum(X * tf.ones([4]), axis=1)
loss = tf.reduce_mean(tf.square(pred - y))
"""
    assert codes(src) == [(6, "TSL012")]


def test_keras_one_unit_output():
    src = TF2 + """model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
X = np.random.rand(16, 3).astype("float32")
y = np.random.rand(16).astype("float32")
loss = tf.reduce_mean(tf.square(model(X) - y))
"""
    assert codes(src) == [(6, "TSL012")]


# -- TSL013: argmax over a size-1 axis ----------------------------------------------------------------


@pytest.mark.parametrize("expr", [
    "tf.argmax(pred, 1)",
    "tf.argmax(pred, axis=-1)",
    "tf.math.argmin(pred, 1)",
    "tf.argmax(tf.nn.sigmoid(pred), 1)",
    "np.argmax(X @ np.ones((13, 1)), axis=1)",
    "(X @ np.ones((13, 1))).argmax(1)",
    "tf.argmax(tf.zeros([1, 5]))",  # the default axis 0
])
def test_argmax_over_size_one_axis(expr):
    assert codes(REGRESSION + f"cls = {expr}\n") == [(REG_LINE, "TSL013")]


@pytest.mark.parametrize("expr", [
    "tf.argmax(tf.matmul(X, tf.zeros([13, 10])), 1)",
    "tf.argmax(pred, 0)",
    "tf.argmax(tf.zeros([5, n]), 1)",
    "np.argmax(np.zeros((5, 3)), axis=1)",
    "np.argmax(X @ np.ones((13, 1)))",  # flattened: no axis
])
def test_argmax_elsewhere_is_clean(expr):
    assert codes(REGRESSION + f"cls = {expr}\n") == []


# -- TSL014: set_shape ---------------------------------------------------------------------------------


@pytest.mark.parametrize("target, expected", [
    ("[None, 28, 28, 1]", [(4, "TSL014")]),
    ("[None, 10]", [(4, "TSL014")]),
    ("(64, 784)", []),
    ("[None, None]", []),
    ("[None, 784]", []),
    ("None", []),
    ("unknown_shape", []),
    ("tf.TensorShape([None, 784])", []),
])
def test_set_shape(target, expected):
    src = TF1 + f"""images = tf.placeholder(tf.float32, [None, 784])
images.set_shape({target})
"""
    assert codes(src) == expected


# -- TSL012 decided by a feed: two placeholders' batches fed the same number of rows --------------------

TWO_PLACEHOLDERS = TF1 + """X = tf.placeholder(tf.float32, [None, 13])
Y = tf.placeholder(tf.float32, [None])
pred = tf.matmul(X, tf.Variable(tf.zeros([13, 1])))
cost = tf.reduce_mean(tf.square(pred - Y))
train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
sess = tf.Session()
"""


@pytest.mark.parametrize("run_line", [
    "sess.run(train, feed_dict={X: np.zeros((32, 13)), Y: np.zeros(32)})",
    "sess.run([train, cost], {X: np.zeros((32, 13)), Y: np.zeros(32)})",
    "cost.eval(feed_dict={X: np.zeros((32, 13)), Y: np.zeros(32)}, session=sess)",
    "train.run(feed_dict={X: np.zeros((32, 13)), Y: np.zeros(32)})",
])
def test_feed_decides_two_batches(run_line):
    assert codes(TWO_PLACEHOLDERS + run_line + "\n") == [(6, "TSL012")]


@pytest.mark.parametrize("run_line", [
    "sess.run(train, feed_dict={X: np.zeros((32, 13)), Y: np.zeros(16)})",  # sizes differ: could be deliberate
    "sess.run(train, feed_dict={X: np.zeros((1, 13)), Y: np.zeros(1)})",  # one row: 1x1, harmless
    "sess.run(train, feed_dict={X: batch_x, Y: batch_y})",  # unknown sizes
    "sess.run(pred, feed_dict={X: np.zeros((32, 13)), Y: np.zeros(32)})",  # the reduction is not fetched
])
def test_feed_that_does_not_decide_is_silent(run_line):
    assert codes(TWO_PLACEHOLDERS + run_line + "\n") == []


# -- TSL011: positional arguments in TF 0.x's order (logits, labels) ----------------------------------------

SWAP_GRAPH = TF1 + """x = tf.placeholder(tf.float32, [None, 784])
y_conv = tf.layers.dense(x, 10)
ids = tf.placeholder(tf.int64, [None])
hot = tf.one_hot(ids, 10)
"""
SWAP_LINE = SWAP_GRAPH.count("\n") + 1


def loss_messages(loss: str) -> list[str]:
    from tfshapelint.linter import lint_source

    findings = lint_source(SWAP_GRAPH + f"loss = {loss}\n", "snippet.py")
    assert [(f.line, f.code) for f in findings] == [(SWAP_LINE, "TSL011")] * len(findings)
    return [f.message for f in findings]


@pytest.mark.parametrize("loss", [
    "tf.nn.sparse_softmax_cross_entropy_with_logits(y_conv, ids)",
    "tf.nn.softmax_cross_entropy_with_logits(tf.zeros([4, 10]), tf.zeros([4]))",  # fails in either order
])
def test_tf_nn_arguments_in_tf0_order_are_called_swapped(loss):
    (message,) = loss_messages(loss)
    assert message.startswith("arguments look swapped: TensorFlow >= 1.0 takes labels= and logits= by keyword")
    assert "Only call" in message and "named arguments" in message


def test_swapped_message_names_the_arguments_and_the_call_to_write():
    (message,) = loss_messages("tf.nn.sparse_softmax_cross_entropy_with_logits(y_conv, ids)")
    assert "`y_conv` (Nx10) has the class axis of logits and `ids`" in message
    assert "`sparse_softmax_cross_entropy_with_logits(labels=ids, logits=y_conv)`" in message
    assert "which still fails" not in message


def test_swapped_arguments_that_fail_in_either_order_say_both():
    (message,) = loss_messages("tf.nn.softmax_cross_entropy_with_logits(tf.zeros([4, 10]), tf.zeros([4]))")
    assert "which still fails: labels of shape 4 look like class ids" in message


def test_tf_losses_sparse_takes_labels_first():
    (message,) = loss_messages("tf.losses.sparse_softmax_cross_entropy(y_conv, ids)")
    assert message.startswith("arguments look swapped: `tf.losses.sparse_softmax_cross_entropy` takes the labels first")


def test_swapped_call_continues_with_the_loss_as_meant():
    src = SWAP_GRAPH + "loss = tf.nn.sparse_softmax_cross_entropy_with_logits(y_conv, ids)\n"
    assert shape(src, "loss") == "N"


@pytest.mark.parametrize("loss", [
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_conv, logits=ids)",  # said by keyword: taken as said
    "tf.nn.sparse_softmax_cross_entropy_with_logits(y_conv, logits=ids)",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(tf.zeros([4, 10]), tf.zeros([5], tf.int64))",  # 4 vs 5 rows
    "tf.nn.sparse_softmax_cross_entropy_with_logits(tf.zeros([4, 1]), tf.zeros([4], tf.int64))",  # one class
    "tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros([4, 1]), tf.zeros([4]))",  # same-shape loss: no order to tell
    "tf.losses.softmax_cross_entropy(tf.zeros([4, 1]), tf.zeros([4]))",
])
def test_other_mismatches_are_not_called_swapped(loss):
    (message,) = loss_messages(loss)
    assert "swapped" not in message


@pytest.mark.parametrize("loss", [
    "tf.nn.sparse_softmax_cross_entropy_with_logits(ids, y_conv)",  # TF 2's positional order
    "tf.losses.sparse_softmax_cross_entropy(ids, y_conv)",
    # Same shapes: TF 2 accepts either order (TF 1.x raised on any positional call), so nothing is certain.
    "tf.nn.softmax_cross_entropy_with_logits(y_conv, hot)",
    "tf.nn.softmax_cross_entropy_with_logits(hot, y_conv)",
])
def test_positional_calls_that_tensorflow_2_accepts_are_clean(loss):
    assert loss_messages(loss) == []
