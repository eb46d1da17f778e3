"""TSL002 on ``[-1, K]`` reshapes of feature maps: rows that cut across pixels change the batch."""

import pytest

from helpers import codes

CONVNET = """import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 28, 28, 1])
h = tf.nn.conv2d(x, tf.zeros([5, 5, 1, 64]), strides=[1, 4, 4, 1], padding="SAME")
"""  # h: Nx7x7x64, 3136 values per example


@pytest.mark.parametrize("row", ["784", "7 * 7 * 16", "98", "1568"])
def test_rows_that_cut_across_pixels_change_the_batch(row):
    assert codes(CONVNET + f"flat = tf.reshape(h, [-1, {row}])\n") == [(4, "TSL002")]


@pytest.mark.parametrize("row", [
    "64",  # one row per pixel
    "7 * 64",  # one row per image row
    "7 * 7 * 64",  # one row per example
    "32",  # half a pixel's channels
    "2 * 7 * 7 * 64",  # two examples per row: TensorFlow raises for odd batches, not silent here
])
def test_pixel_row_and_map_layouts_are_deliberate(row):
    found = codes(CONVNET + f"flat = tf.reshape(h, [-1, {row}])\n")
    assert all(code != "TSL002" for _, code in found)


def test_a_tensor_that_is_not_a_feature_map_may_be_cut_in_any_rows():
    src = """import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 7, 7, 64])
flat = tf.reshape(x, [-1, 784])
"""
    assert codes(src) == []
