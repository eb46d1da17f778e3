"""Depthwise, separable, atrous and transposed convolutions and ``tf.nn.pool`` vs TensorFlow.

Concrete shapes; TensorFlow traced (static inference). A transposed convolution whose
``output_shape`` does not fit the input passes static inference and fails in the kernel: our error
there is confirmed by running the op on zeros.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import fresh_tensor

from .harness import call_op, differential, examples, kernel_rejects, result_shape, tf, traced

pytestmark = pytest.mark.tf

COVERED = {
    "tf.nn.depthwise_conv2d": "conv_variants",
    "tf.nn.depthwise_conv2d_native": "conv_variants",
    "tf.nn.separable_conv2d": "conv_variants",
    "tf.nn.atrous_conv2d": "conv_variants",
    "tf.nn.conv1d_transpose": "conv_variants",
    "tf.nn.conv2d_transpose": "conv_variants",
    "tf.nn.conv3d_transpose": "conv_variants",
    "tf.nn.pool": "conv_variants",
}
UNCOVERED = {
    "tf.nn.conv2d_backprop_input": "registered only to keep its other argument order unknown (no shape computed)",
}

sizes = st.integers(1, 12)
kernels = st.integers(1, 4)
paddings = st.sampled_from(["SAME", "VALID"])


@pytest.mark.parametrize("name", ["tf.nn.depthwise_conv2d", "tf.nn.depthwise_conv2d_native"])
@examples(60)
@given(h=sizes, w=sizes, c=st.integers(1, 4), fc=st.integers(1, 4), m=st.integers(1, 3), kh=kernels, kw=kernels,
       s=st.integers(1, 2), d=st.integers(1, 2), padding=paddings)
def test_depthwise(name, h, w, c, fc, m, kh, kw, s, d, padding):
    strides, dilations = [1, s, s, 1], [d, d]
    if s > 1 and d > 1:
        dilations = [1, 1]  # TF rejects strides and dilations > 1 together in depthwise_conv2d
    mine = result_shape(_call(name, (2, h, w, c), (kh, kw, fc, m), strides, padding, dilations=dilations))

    def tf_side(concrete):
        return traced(lambda x, f: tf().nn.depthwise_conv2d(x, f, strides, padding, dilations=dilations),
                      ((2, h, w, c), None), ((kh, kw, fc, m), None))

    differential(name, mine, tf_side)


def _call(name, x_shape, f_shape, *args, **kwargs):
    return call_op(name, fresh_tensor(x_shape), fresh_tensor(f_shape), *args, **kwargs)


@examples(60)
@given(h=sizes, w=sizes, c=st.integers(1, 4), m=st.integers(1, 2), pc=st.integers(1, 8), out=st.integers(1, 5),
       k=kernels, s=st.integers(1, 2), padding=paddings)
def test_separable(h, w, c, m, pc, out, k, s, padding):
    strides = [1, s, s, 1]
    mine = result_shape(call_op("tf.nn.separable_conv2d", fresh_tensor((2, h, w, c)), fresh_tensor((k, k, c, m)),
                                fresh_tensor((1, 1, pc, out)), strides, padding))

    def tf_side(concrete):
        return traced(lambda x, dw, pw: tf().nn.separable_conv2d(x, dw, pw, strides, padding),
                      ((2, h, w, c), None), ((k, k, c, m), None), ((1, 1, pc, out), None))

    differential("tf.nn.separable_conv2d", mine, tf_side)


@examples(60)
@given(h=sizes, w=sizes, c=st.integers(1, 4), fc=st.integers(1, 4), k=kernels, rate=st.integers(1, 3),
       padding=paddings)
def test_atrous(h, w, c, fc, k, rate, padding):
    mine = result_shape(_call("tf.nn.atrous_conv2d", (2, h, w, c), (k, k, fc, 3), rate=rate, padding=padding))

    def tf_side(concrete):
        return traced(lambda x, f: tf().nn.atrous_conv2d(x, f, rate=rate, padding=padding),
                      ((2, h, w, c), None), ((k, k, fc, 3), None))

    differential("tf.nn.atrous_conv2d", mine, tf_side)


@pytest.mark.parametrize("n", [1, 2, 3])
@examples(50)
@given(data=st.data())
def test_transpose(n, data):
    draw = data.draw
    name = {1: "tf.nn.conv1d_transpose", 2: "tf.nn.conv2d_transpose", 3: "tf.nn.conv3d_transpose"}[n]
    size = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n), label="input size")
    kernel = draw(st.lists(kernels, min_size=n, max_size=n), label="kernel")
    stride = draw(st.integers(1, 3), label="stride")
    padding = draw(paddings, label="padding")
    channels, filter_in, out_c = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    # an output size near what the stride gives, sometimes one that does not fit
    wanted = [draw(st.integers(max(1, s * stride - 2), s * stride + 2), label="output size") for s in size]
    x_shape = (2, *size, channels)
    f_shape = (*kernel, out_c, filter_in)
    output_shape = [2, *wanted, out_c]
    strides = [1] + [stride] * n + [1]
    mine = result_shape(_call(name, x_shape, f_shape, output_shape, strides, padding))

    def build(x, f):
        return getattr(tf().nn, name.split(".")[-1])(x, f, output_shape, strides, padding)

    def tf_side(concrete):
        return traced(build, (x_shape, None), (f_shape, None))

    def confirm(error, tf_result):  # the size check happens in the kernel, not in static inference
        return kernel_rejects(build, x_shape, f_shape)

    differential(name, mine, tf_side, confirm=confirm, describe=f"x={x_shape} f={f_shape} out={output_shape}")


@examples(60)
@given(n=st.integers(1, 3), data=st.data())
def test_nn_pool(n, data):
    draw = data.draw
    size = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n), label="size")
    window = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n), label="window")
    strides = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n), label="strides")
    padding = draw(paddings, label="padding")
    kind = draw(st.sampled_from(["MAX", "AVG"]), label="kind")
    x_shape = (2, *size, 3)
    mine = result_shape(call_op("tf.nn.pool", fresh_tensor(x_shape), window_shape=window, pooling_type=kind,
                                strides=strides, padding=padding))

    def tf_side(concrete):
        return traced(lambda x: tf().nn.pool(x, window, kind, strides=strides, padding=padding), (x_shape, None))

    differential("tf.nn.pool", mine, tf_side, describe=f"x={x_shape} window={window} strides={strides}")
