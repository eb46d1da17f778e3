"""Run-time re-checks: a ``Session.run`` binds the fed placeholders' sizes and replays the fetched graph."""

import pytest

from helpers import codes
from tfshapelint.linter import lint_source

TF1 = "import numpy as np\nimport tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"


def findings(source: str):
    return lint_source(source, "snippet.py")


SOFTMAX = TF1 + """x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]))
logits = tf.matmul(x, W)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
sess = tf.Session()
"""


def test_batches_fed_with_different_sizes_fail_at_the_loss_with_the_run_as_witness():
    (finding,) = findings(SOFTMAX + "sess.run(train_step, feed_dict={x: np.random.rand(7, 784), y_: np.zeros((100, 10))})\n")
    assert (finding.line, finding.code) == (8, "TSL011")
    assert finding.witness_line == 11 and finding.witness_kind == "raises"
    assert "with the sizes this run feeds: N = 7, N2 = 100" in finding.message


@pytest.mark.parametrize("feed", [
    "sess.run(train_step, feed_dict={x: np.random.rand(7, 784), y_: np.zeros((7, 10))})",
    "sess.run(train_step, feed_dict={x: load(), y_: np.zeros((7, 10))})",  # unknown: silent
    "sess.run(logits, feed_dict={x: np.random.rand(7, 784)})",  # the loss is not fetched
    "sess.run(train_step, feed_dict={x: np.random.rand(7, 784), y_: np.zeros((7, 11))})",  # TSL010 only
])
def test_consistent_unknown_or_unfetched_feeds_get_no_recheck_finding(feed):
    got = codes(SOFTMAX + feed + "\n")
    assert got == ([(11, "TSL010")] if "11))" in feed else [])


def test_flatten_that_makes_four_rows_per_example_fails_when_both_batches_are_fed():
    src = TF1 + """x = tf.placeholder(tf.float32, [None, 28, 28])
y = tf.placeholder(tf.float32, [None, 10])
flat = tf.reshape(x, [-1, 196])
W = tf.Variable(tf.zeros([196, 10]))
logits = tf.matmul(flat, W)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
with tf.Session() as sess:
    for step in range(3):
        bx, by = np.random.rand(32, 28, 28), np.zeros((32, 10))
        sess.run(loss, feed_dict={x: bx, y: by})
"""
    got = findings(src)
    assert [(f.line, f.code) for f in got] == [(9, "TSL011")]  # once, though the run is repeated
    assert "128" in got[0].message and got[0].witness_line == 13


def test_a_placeholder_without_a_shape_takes_the_fed_shape():
    src = TF1 + """x = tf.placeholder(tf.float32)
W = tf.Variable(tf.zeros([100, 10]))
y = tf.matmul(x, W)
sess = tf.Session()
sess.run(y, feed_dict={x: np.zeros((32, 784))})
"""
    (finding,) = findings(src)
    assert (finding.line, finding.code, finding.witness_line) == (6, "TSL004", 8)
    assert "`x` is 32x784" in finding.message


def test_a_placeholder_without_a_shape_fed_a_fitting_array_is_clean():
    src = TF1 + """x = tf.placeholder(tf.float32)
W = tf.Variable(tf.zeros([784, 10]))
y = tf.matmul(x, W)
sess = tf.Session()
sess.run(y, feed_dict={x: np.zeros((32, 784))})
"""
    assert codes(src) == []


def test_tensor_eval_and_operation_run_are_rechecked_too():
    src = SOFTMAX + """loss.eval(feed_dict={x: np.zeros((5, 784)), y_: np.zeros((6, 10))}, session=sess)
train_step.run(feed_dict={x: np.zeros((5, 784)), y_: np.zeros((6, 10))}, session=sess)
"""
    assert codes(src) == [(8, "TSL011")]


def test_an_error_the_walk_already_reported_is_not_reported_again():
    src = TF1 + """x = tf.placeholder(tf.float32, [None, 3])
W = tf.Variable(tf.zeros([4, 2]))
y = tf.matmul(x, W)
sess = tf.Session()
sess.run(y, feed_dict={x: np.zeros((5, 3))})
"""
    assert codes(src) == [(6, "TSL004")]
