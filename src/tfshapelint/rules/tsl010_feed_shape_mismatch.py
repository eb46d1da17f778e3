from __future__ import annotations

from ..ops.errors import FeedShapeMismatch
from .base import Rule


class FeedShapeMismatchRule(Rule):
    """
    # TSL010 feed-shape-mismatch

    ## What it does
    Checks every value fed through `feed_dict` (at `sess.run`, `tensor.eval`, `op.run`) against the
    placeholder it feeds: the value must have the placeholder's rank, and each size the
    placeholder declares must match. The fed shapes come from NumPy code (`np.random.rand(100, 784)`,
    `x.reshape(-1, 28, 28, 1)`, `np.eye(10)[y]`, slicing, stacking...), Python lists (literals,
    comprehensions of any length, `[x] * n`, lists grown by `append` in a loop: a list of
    `random.randint(0, 9)` is an array of rank 1), data read from files (`np.loadtxt`,
    `np.genfromtxt`, `np.load`, pandas' `read_csv(...).values`; their sizes are unknown, but the
    rank follows from the file reader and the indexing: `data[:, :-1]` has 2 axes), scikit-learn's
    `train_test_split`, and known data sources (the MNIST tutorial's
    `read_data_sets(...).train.next_batch(n)` with or without `one_hot=True`,
    `tf.keras.datasets.*.load_data()`, Keras image helpers).

    Exact criterion: a finding when the fed value's shape is known and (a) its rank differs from the
    placeholder's known rank, or (b) on some axis both the placeholder and the value have a known
    size and the sizes differ; or when the value's shape is unknown but its rank provably is not the
    placeholder's (`np.load(f)[:, :, 0]` has 2 axes or more, a placeholder `[None]` one). A
    placeholder size declared `None` accepts any size, a value whose rank may fit is never
    reported, and only placeholders are checked.

    ## Why is this bad?
    `Session.run` raises `ValueError: Cannot feed value of shape (100,) for Tensor
    'Placeholder_1:0', which has shape '(?, 10)'`. The most common cause is feeding class ids
    (`[N]`) to a placeholder for one-hot labels (`[None, 10]`), or flat images to an image
    placeholder.

    ## Example
    ```python
    import numpy as np
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()

    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])  # one-hot labels
    W = tf.Variable(tf.zeros([784, 10]))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=tf.matmul(x, W)))

    batch_xs = np.random.rand(100, 784)
    batch_ys = np.random.randint(0, 10, size=100)  # class ids
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(loss, feed_dict={x: batch_xs, y_: batch_ys}))
    ```

    ## Use instead
    ```python
    import numpy as np
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()

    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])  # one-hot labels
    W = tf.Variable(tf.zeros([784, 10]))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=tf.matmul(x, W)))

    batch_xs = np.random.rand(100, 784)
    batch_ys = np.eye(10)[np.random.randint(0, 10, size=100)]  # one-hot
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(loss, feed_dict={x: batch_xs, y_: batch_ys}))
    ```

    ## Fix safety
    No automatic fix: whether to change the data or the placeholder is the author's choice.
    """

    code = "TSL010"
    name = "feed-shape-mismatch"
    summary = "a value fed through feed_dict does not fit its placeholder's shape"
    error_types = (FeedShapeMismatch,)
    chain_facts = ("value",)


RULE = FeedShapeMismatchRule()
