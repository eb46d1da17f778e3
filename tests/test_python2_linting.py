"""Python 2 files are linted through their translation: the classic 2015 ConvNet gets the finding of
its Python 3 version, mutations of it get theirs, fixes stay off translated lines, and Python 2's
semantics (`/` of ints, `xrange`) hold in its analysis."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tfshapelint import diagnostics
from tfshapelint.fix import fix_source
from tfshapelint.linter import lint_source
from tfshapelint.notebooks import lint_notebook
from tfshapelint.project.loader import ProjectLoader
from tfshapelint.project.resolve import Resolver

ROOT = Path(__file__).resolve().parent.parent

# The 2015 MNIST ConvNet as it was published: Python 2, with the first dense weight sized for 4x4x64.
CONVNET_PY2 = '''\
import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
import tensorflow as tf

learning_rate = 0.001
training_iters = 100000
batch_size = 128
display_step = 20
n_input = 784 # MNIST data input (img shape: 28*28)
n_classes = 10 # MNIST total classes (0-9 digits)
dropout = 0.75 # Dropout, probability to keep units

x = tf.placeholder(tf.float32, [None, n_input])
y = tf.placeholder(tf.float32, [None, n_classes])
keep_prob = tf.placeholder(tf.float32) #dropout (keep probability)

def conv2d(img, w, b):
    return tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(img, w, strides=[1, 1, 1, 1], padding='SAME'),b))

def max_pool(img, k):
    return tf.nn.max_pool(img, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding='SAME')

def conv_net(_X, _weights, _biases, _dropout):
    _X = tf.reshape(_X, shape=[-1, 28, 28, 1])
    conv1 = conv2d(_X,_weights['wc1'], _biases['bc1'])
    conv1 = max_pool(conv1, k=2)
    conv1 = tf.nn.dropout(conv1, _dropout)
    conv2 = conv2d(conv1,_weights['wc2'], _biases['bc2'])
    conv2 = max_pool(conv2, k=2)
    conv2 = tf.nn.dropout(conv2, _dropout)
    dense1 = tf.reshape(conv2, [-1, _weights['wd1'].get_shape().as_list()[0]]) # Reshape conv2 output to fit dense layer input
    dense1 = tf.nn.relu(tf.add(tf.matmul(dense1, _weights['wd1']), _biases['bd1'])) # Relu activation
    dense1 = tf.nn.dropout(dense1, _dropout) # Apply Dropout
    out = tf.add(tf.matmul(dense1, _weights['out']), _biases['out'])
    return out

weights = {
    'wc1': tf.Variable(tf.random_normal([5, 5, 1, 32])), # 5x5 conv, 1 input, 32 outputs
    'wc2': tf.Variable(tf.random_normal([5, 5, 32, 64])), # 5x5 conv, 32 inputs, 64 outputs
    'wd1': tf.Variable(tf.random_normal([4*4*64, 1024])), # fully connected, 7*7*64 inputs, 1024 outputs
    'out': tf.Variable(tf.random_normal([1024, n_classes])) # 1024 inputs, 10 outputs (class prediction)
}
biases = {
    'bc1': tf.Variable(tf.random_normal([32])),
    'bc2': tf.Variable(tf.random_normal([64])),
    'bd1': tf.Variable(tf.random_normal([1024])),
    'out': tf.Variable(tf.random_normal([n_classes]))
}

pred = conv_net(x, weights, biases, keep_prob)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
correct_pred = tf.equal(tf.argmax(pred,1), tf.argmax(y,1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
init = tf.initialize_all_variables()

with tf.Session() as sess:
    sess.run(init)
    for step in xrange(1, training_iters / batch_size):
        batch_xs, batch_ys = mnist.train.next_batch(batch_size)
        sess.run(optimizer, feed_dict={x: batch_xs, y: batch_ys, keep_prob: dropout})
        if step % display_step == 0:
            acc = sess.run(accuracy, feed_dict={x: batch_xs, y: batch_ys, keep_prob: 1.})
            loss = sess.run(cost, feed_dict={x: batch_xs, y: batch_ys, keep_prob: 1.})
            print "Iter " + str(step*batch_size) + ", Minibatch Loss= " + "{:.6f}".format(loss) + ", Training Accuracy= " + "{:.5f}".format(acc)
    print "Optimization Finished!"
    print "Testing Accuracy:", sess.run(accuracy, feed_dict={x: mnist.test.images[:256], y: mnist.test.labels[:256], keep_prob: 1.})
'''

# The same program in Python 3, line for line.
CONVNET_PY3 = (CONVNET_PY2
               .replace("xrange(1, training_iters / batch_size)", "range(1, training_iters // batch_size)")
               .replace('print "Iter " + str(step*batch_size) + ", Minibatch Loss= " + "{:.6f}".format(loss) + '
                        '", Training Accuracy= " + "{:.5f}".format(acc)',
                        'print("Iter " + str(step*batch_size) + ", Minibatch Loss= " + "{:.6f}".format(loss) + '
                        '", Training Accuracy= " + "{:.5f}".format(acc))')
               .replace('print "Optimization Finished!"', 'print("Optimization Finished!")')
               .replace('print "Testing Accuracy:", sess.run(accuracy, feed_dict={x: mnist.test.images[:256], '
                        'y: mnist.test.labels[:256], keep_prob: 1.})',
                        'print("Testing Accuracy:", sess.run(accuracy, feed_dict={x: mnist.test.images[:256], '
                        'y: mnist.test.labels[:256], keep_prob: 1.}))'))

CORRECT_SIZE = ("[4*4*64, 1024]", "[7*7*64, 1024]")


def described(findings: list) -> list[tuple]:
    return [(f.line, f.column, f.end_line, f.end_column, f.code, f.message, f.chain, f.witness_line) for f in findings]


def test_the_python3_twin_is_python3_and_the_python2_program_is_not():
    assert "print(" in CONVNET_PY3 and "xrange" not in CONVNET_PY3
    compile(CONVNET_PY3, "convnet.py", "exec")
    with pytest.raises(SyntaxError):
        compile(CONVNET_PY2, "convnet.py", "exec")


def test_the_python2_convnet_gets_the_finding_of_its_python3_version():
    python2 = lint_source(CONVNET_PY2, "convnet.py")
    assert [f.code for f in python2] == ["TSL001"]
    assert python2[0].line == CONVNET_PY2.splitlines().index(
        "    'wd1': tf.Variable(tf.random_normal([4*4*64, 1024])), # fully connected, 7*7*64 inputs, 1024 outputs") + 1
    assert described(python2) == described(lint_source(CONVNET_PY3, "convnet.py"))
    example = lint_source((ROOT / "examples" / "mnist_convnet.py").read_text(), "mnist_convnet.py")
    assert (python2[0].message, python2[0].chain) == (example[0].message, example[0].chain)


@pytest.mark.parametrize("mutation, codes", [
    (("padding='SAME'),b))", "padding='VALID'),b))"), ["TSL001"]),  # 28 -> 24 -> 12 -> 8 -> 4: 4x4x64
    (("conv1 = max_pool(conv1, k=2)", "conv1 = max_pool(conv1, k=4)"), ["TSL001"]),  # a wider pool: 4x4x64
    (("[5, 5, 32, 64]", "[5, 5, 24, 64]"), ["TSL003"]),  # a filter depth that does not divide 32
])
def test_mutations_of_the_python2_convnet_get_the_findings_of_its_python3_version(mutation, codes):
    old, new = mutation
    python2 = CONVNET_PY2.replace(*CORRECT_SIZE).replace(old, new)
    python3 = CONVNET_PY3.replace(*CORRECT_SIZE).replace(old, new)
    assert python2 != CONVNET_PY2.replace(*CORRECT_SIZE)
    found = lint_source(python2, "convnet.py")
    assert [f.code for f in found] == codes
    assert described(found) == described(lint_source(python3, "convnet.py"))


def test_the_clean_python2_convnet_gets_no_finding():
    assert lint_source(CONVNET_PY2.replace(*CORRECT_SIZE), "convnet.py") == []


def test_findings_say_the_file_was_read_as_python2():
    assert [f.read_as_python2 for f in lint_source(CONVNET_PY2, "convnet.py")] == [True]
    assert [f.read_as_python2 for f in lint_source(CONVNET_PY3, "convnet.py")] == [False]


def test_fix_of_an_untranslated_line_applies_and_changes_only_that_line():
    fixed, count = fix_source(CONVNET_PY2, lambda text: lint_source(text, "convnet.py"), unsafe=False)
    assert count == 1
    changed = [(a, b) for a, b in zip(CONVNET_PY2.splitlines(), fixed.splitlines()) if a != b]
    assert changed == [(
        "    'wd1': tf.Variable(tf.random_normal([4*4*64, 1024])), # fully connected, 7*7*64 inputs, 1024 outputs",
        "    'wd1': tf.Variable(tf.random_normal([7*7*64, 1024])), # fully connected, 7*7*64 inputs, 1024 outputs")]


def test_no_fix_touches_a_translated_line():
    on_translated_line = CONVNET_PY2.replace("[4*4*64, 1024])), #", "[4*4*64, 1024L])), #")
    found = lint_source(on_translated_line, "convnet.py")
    assert [(f.code, f.fix) for f in found] == [("TSL001", None)]
    python3 = lint_source(CONVNET_PY3, "convnet.py")
    assert python3[0].fix is not None  # the same finding in Python 3 has its fix


def test_a_finding_on_a_translated_line_points_into_the_file():
    source = textwrap.dedent('''\
        import sys
        import tensorflow as tf
        a = tf.zeros([2, 3])
        print >>sys.stderr, "product:", `tf.matmul(a, tf.zeros([4, 5]))`
    ''')
    [finding] = lint_source(source, "p.py")
    call = "tf.matmul(a, tf.zeros([4, 5]))"
    start = source.splitlines()[3].index(call)
    assert (finding.code, finding.line) == ("TSL004", 4)
    assert (finding.column, finding.end_column) == (start + 1, start + len(call) + 1)


def test_neither_python3_nor_python2_keeps_the_syntax_error_where_python_puts_it():
    source = 'import tensorflow as tf\nprint "loading"\ndef broken(:\n    pass\n'
    [finding] = lint_source(source, "broken.py")
    assert finding.code == diagnostics.SYNTAX_ERROR[0]
    assert finding.line == 2 and "Missing parentheses" in finding.message


def test_python2_integer_division_floors_unless_division_is_imported():
    body = "x = tf.zeros([8, 784 / 2])\ny = tf.matmul(x, tf.zeros([300, 10]))\nprint y\n"
    floored = lint_source("import tensorflow as tf\n" + body, "d.py")
    assert [(f.code, "392" in f.message) for f in floored] == [("TSL004", True)]
    true_division = lint_source("from __future__ import division\nimport tensorflow as tf\n" + body, "d.py")
    assert not any("392" in f.message for f in true_division)


def test_xrange_is_range_in_a_python2_file():
    loop = textwrap.dedent('''\
        import tensorflow as tf
        sizes = [10, 20, 30]
        h = tf.zeros([8, 10])
        for i in xrange(2):
            h = tf.matmul(h, tf.zeros([sizes[i], sizes[i + 1]]))
        out = tf.matmul(h, tf.zeros([20, 5]))
    ''')
    assert [f.code for f in lint_source(loop + 'print "done"\n', "x.py")] == ["TSL004"]
    assert lint_source(loop, "x.py") == []  # Python 3: xrange is not a builtin


def test_a_python2_module_of_the_project_is_read_as_python2(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "config.py").write_text('N_HIDDEN = 512 / 2\nprint "config loaded"\n')
    main = tmp_path / "main.py"
    main.write_text("import config\nimport tensorflow as tf\n"
                    "w = tf.zeros([config.N_HIDDEN, 10])\ny = tf.matmul(tf.zeros([4, 128]), w)\n")
    found = lint_source(main.read_text(), str(main), loader=ProjectLoader(Resolver()))
    assert [(f.line, f.code) for f in found] == [(4, "TSL004")]


def test_a_python2_notebook_is_read_as_python2():
    import json

    cells = ["import tensorflow as tf\nprint 'TensorFlow', tf.__version__",
             "a = tf.zeros([2, 3])\nb = tf.matmul(a, tf.zeros([4, 5]))"]
    notebook = json.dumps({"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": []}
                                     for cell in cells],
                           "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5})
    [finding] = lint_notebook(notebook, "old.ipynb", lint_source)
    assert (finding.code, finding.cell, finding.line, finding.read_as_python2) == ("TSL004", 2, 2, True)
