"""Array manipulation, indexing and reductions (ops/manip.py, ops/indexing.py, ops/reduce.py)
through small snippets: the shapes they infer, the findings they give, and the silences they keep.

Fast, no TensorFlow: tests/differential/test_manip.py and test_reduce.py compare with TensorFlow.
"""

import pytest

from helpers import codes, run, shape
from tfshapelint.domain.values import ListVal, TensorVal, TupleVal
from tfshapelint.ops.errors import InvalidArgument, OperandMismatch, RankMismatch
from tfshapelint.shapes.shape import fmt

HEADER = """
import numpy as np
import tensorflow as tf
import tensorflow.compat.v1 as tf1
x = tf1.placeholder(tf.float32, [None, 3])
y = tf1.placeholder(tf.float32, [None, 4])
z = tf1.placeholder(tf.float32, [None, 3])
img = tf.zeros([2, 32, 32, 3])
m = tf.zeros([10, 7])
c = tf.zeros([1, 5, 1])
ids = tf.zeros([4, 2], tf.int32)
"""


def infer(expr: str) -> str:
    return shape(HEADER + f"out = {expr}\n", "out")


def pieces(expr: str) -> list[str]:
    value = run(HEADER + f"out = {expr}\n").globals.vars["out"]
    assert isinstance(value, (ListVal, TupleVal)), value
    return [fmt(item.shape) for item in value.items]


def errors(expr: str) -> list:
    return run(HEADER + f"out = {expr}\n").errors


@pytest.mark.parametrize("expr, expected", [
    # concat: symbolic batches flow, sizes add up along the axis
    ("tf.concat([x, y], axis=1)", "Nx7"),
    ("tf.concat([x, z], 0)", "(N + N3)x3"),
    ("tf.concat([x, x], -2)", "2*Nx3"),
    ("tf.concat([m], 5)", "10x7"),  # one operand: TF returns it, axis unchecked
    ("tf.concat(m, 0)", "10x7"),
    ("tf.concat([m, [[1.0] * 7]], 0)", "11x7"),
    ("tf1.concat([x, y], 1)", "Nx7"),
    # stack / unstack
    ("tf.stack([x, z], axis=1)", "Nx2x3"),
    ("tf.stack([m, m, m])", "3x10x7"),
    ("tf.stack([m, m], -1)", "10x7x2"),
    # squeeze / expand_dims
    ("tf.squeeze(c)", "5"),
    ("tf.squeeze(c, [0, 2])", "5"),
    ("tf.squeeze(c, axis=-1)", "1x5"),
    ("tf1.squeeze(c, squeeze_dims=[0])", "5x1"),
    ("tf.squeeze(x)", "<unknown rank>"),  # the batch may be 1
    ("tf.expand_dims(x, -1)", "Nx3x1"),
    ("tf.expand_dims(x, axis=0)", "1xNx3"),
    ("tf1.expand_dims(x, dim=1)", "Nx1x3"),
    # transpose
    ("tf.transpose(img, [0, 3, 1, 2])", "2x3x32x32"),
    ("tf.transpose(m)", "7x10"),
    ("tf.transpose(img, perm=[0, -1, 1, 2])", "2x3x32x32"),
    ("tf.linalg.matrix_transpose(img)", "2x32x3x32"),
    # tile / pad / slice
    ("tf.tile(x, [2, 3])", "2*Nx9"),
    ("tf.tile(m, tf.shape(m))", "?x?"),
    ("tf.pad(img, [[0, 0], [2, 2], [2, 2], [0, 0]])", "2x36x36x3"),
    ("tf.pad(m, [[1, 1], [3, 3]], 'REFLECT')", "12x13"),
    ("tf.slice(m, [1, 2], [-1, 3])", "9x3"),
    ("tf.slice(x, [0, 1], [-1, 2])", "Nx2"),
    # gather family
    ("tf.gather(m, ids)", "4x2x7"),
    ("tf.gather(m, ids, axis=1)", "10x4x2"),
    ("tf.gather(m, [0, 3])", "2x7"),
    ("tf.gather(m, 3)", "7"),
    ("tf.gather(tf.zeros([4, 9, 5]), ids, axis=1, batch_dims=1)", "4x2x5"),
    ("tf.gather(tf.zeros([4, 9, 5]), ids, batch_dims=1)", "4x2x5"),
    ("tf1.gather(m, ids, None, 'g', 1)", "10x4x2"),
    ("tf.gather_nd(tf.zeros([5, 3, 2]), tf.zeros([4, 2], tf.int32))", "4x2"),
    ("tf.one_hot(ids, 10)", "4x2x10"),
    ("tf.one_hot(ids, 10, axis=0)", "10x4x2"),
    ("tf.nn.embedding_lookup(tf.zeros([100, 16]), ids)", "4x2x16"),
    ("tf.nn.embedding_lookup([tf.zeros([50, 16]), tf.zeros([50, 16])], ids)", "4x2x16"),
    # images
    ("tf.image.resize(img, [64, 48])", "2x64x48x3"),
    ("tf.image.resize(img[0], (16, 16))", "16x16x3"),
    ("tf.image.resize(img, [64, 64], preserve_aspect_ratio=True)", "2x?x?x3"),
    ("tf1.image.resize_images(img, [8, 8])", "2x8x8x3"),
    ("tf1.image.resize_bilinear(img, [8, 8])", "2x8x8x3"),
    ("tf.image.resize_with_crop_or_pad(img, 40, 20)", "2x40x20x3"),
    ("tf.image.crop_to_bounding_box(img, 4, 0, 28, 32)", "2x28x32x3"),
    ("tf.image.pad_to_bounding_box(img[0], 2, 2, 36, 40)", "36x40x3"),
    # indexing
    ("x[:, 0]", "N"),
    ("x[0]", "3"),
    ("x[-1]", "3"),
    ("x[..., tf.newaxis]", "Nx3x1"),
    ("x[None, :, np.newaxis]", "1xNx1x3"),
    ("x[1:, ::2]", "(N - 1)x2"),
    ("x[:2]", "?x3"),  # min(N, 2)
    ("x[::-1]", "Nx3"),
    ("m[2:-3, ::-2]", "5x4"),
    ("m[20:]", "0x7"),
    ("m[..., 1:]", "10x6"),
    ("img[0, ..., 0]", "32x32"),
    ("img[:, :, :, 1:2]", "2x32x32x1"),
    ("m[[0, 1]]", "<unknown rank>"),
    ("m[tf.argmax(m[:, 0])]", "7"),
])
def test_shapes(expr, expected):
    assert infer(expr) == expected


@pytest.mark.parametrize("expr, expected", [
    ("tf.unstack(tf.zeros([3, 5]))", ["5", "5", "5"]),
    ("tf.unstack(m, axis=1)", ["10"] * 7),
    ("tf.split(x, [1, 2], axis=1)", ["Nx1", "Nx2"]),
    ("tf.split(m, [3, -1, 2])", ["3x7", "5x7", "2x7"]),
    ("tf.split(m, 5)", ["2x7"] * 5),
    ("tf.split(x, 2)", ["N/2x3", "N/2x3"]),
    ("tf.nn.moments(img, [0, 1, 2])", ["3", "3"]),
    ("tf.nn.moments(img, axes=[1, 2], keepdims=True)", ["2x1x1x3"] * 2),
])
def test_lists_of_tensors(expr, expected):
    assert pieces(expr) == expected


def test_unpacking_split_results():
    src = HEADER + "a, b = tf.split(x, [1, 2], axis=1)\nfirst, *rest = tf.unstack(m)\n"
    interpreter = run(src)
    assert fmt(interpreter.globals.vars["a"].shape) == "Nx1"
    assert fmt(interpreter.globals.vars["first"].shape) == "7"
    assert len(interpreter.globals.vars["rest"].items) == 9


@pytest.mark.parametrize("expr, expected", [
    ("tf.reduce_sum(x)", "scalar"),
    ("tf.reduce_sum(x, axis=1)", "N"),
    ("tf.reduce_mean(x, 1, keepdims=True)", "Nx1"),
    ("tf.reduce_max(img, [1, 2])", "2x3"),
    ("tf.reduce_min(img, axis=(-3, -2), keepdims=True)", "2x1x1x3"),
    ("tf.reduce_sum(x, None, keepdims=True)", "1x1"),
    ("tf.reduce_sum(x, [])", "Nx3"),
    ("tf1.reduce_sum(x, reduction_indices=[1], keep_dims=True)", "Nx1"),
    ("tf1.reduce_mean(x, reduction_indices=0)", "3"),
    ("tf.math.reduce_logsumexp(x, -1)", "N"),
    ("tf.math.reduce_std(img, 0)", "32x32x3"),
    ("tf.reduce_any(tf.greater(x, 0), 0)", "3"),
    ("tf.math.count_nonzero(m, 1)", "10"),
    ("tf.reduce_sum(x, axis=tf.constant(1))", "<unknown rank>"),
    ("tf.argmax(x, 1)", "N"),
    ("tf.argmax(x)", "3"),
    ("tf.math.argmin(img, axis=-1)", "2x32x32"),
    ("tf1.argmax(x, dimension=1)", "N"),
    ("tf.tensordot(x, tf.zeros([3, 5]), 1)", "Nx5"),
    ("tf.tensordot(img, tf.zeros([3, 8]), [[3], [0]])", "2x32x32x8"),
    ("tf.tensordot(m, m, [[0, 1], [0, 1]])", "scalar"),
    ("tf.tensordot(m, tf.zeros([4]), 0)", "10x7x4"),
    ("tf.einsum('bi,ij->bj', x, tf.zeros([3, 6]))", "Nx6"),
    ("tf.einsum('ij,jk', m, tf.zeros([7, 2]))", "10x2"),
    ("tf.einsum('ji', m)", "7x10"),
    ("tf.einsum('ii->i', tf.zeros([4, 4]))", "4"),
    ("tf.einsum('...ij,jk->...ik', img, tf.zeros([3, 5]))", "2x32x32x5"),
    ("tf.einsum('b...,b...->b...', img, tf.zeros([2, 1, 32, 3]))", "2x32x32x3"),
    ("tf.einsum('ij,jk,kl->il', m, tf.zeros([7, 2]), tf.zeros([2, 9]))", "10x9"),
    ("tf.einsum('bhqd,bhkd->bhqk', tf.zeros([2, 4, 5, 8]), tf.zeros([2, 4, 6, 8]))", "2x4x5x6"),
])
def test_reductions_and_contractions(expr, expected):
    assert infer(expr) == expected


@pytest.mark.parametrize("expr, error", [
    ("tf.concat([x, y], axis=0)", OperandMismatch),
    ("tf.concat([m, img], 0)", OperandMismatch),
    ("tf.concat([m, m], 2)", InvalidArgument),
    ("tf.concat([tf.zeros([]), tf.zeros([])], 0)", RankMismatch),
    ("tf.stack([x, y])", OperandMismatch),
    ("tf.stack([m, m], axis=3)", InvalidArgument),
    ("tf.unstack(m, num=3)", InvalidArgument),
    ("tf.unstack(tf.zeros([]))", InvalidArgument),
    ("tf.split(m, 3)", InvalidArgument),
    ("tf.split(m, [3, 4])", InvalidArgument),
    ("tf.split(m, [3, -1, 8])", InvalidArgument),
    ("tf.split(m, [-1, -1])", InvalidArgument),
    ("tf.split(m, 2, axis=2)", InvalidArgument),
    ("tf.split(m, [-1])", InvalidArgument),  # TF does not infer a lone -1
    ("tf.squeeze(x, 1)", InvalidArgument),
    ("tf.squeeze(c, 3)", InvalidArgument),
    ("tf.expand_dims(m, 3)", InvalidArgument),
    ("tf.expand_dims(m, -4)", InvalidArgument),
    ("tf.transpose(img, [0, 1, 2])", InvalidArgument),
    ("tf.transpose(m, [1, 1])", InvalidArgument),
    ("tf.transpose(m, [0, 2])", InvalidArgument),
    ("tf.linalg.matrix_transpose(tf.zeros([3]))", RankMismatch),
    ("tf.tile(m, [2])", InvalidArgument),
    ("tf.tile(m, [-1, 1])", InvalidArgument),
    ("tf.pad(m, [[1, 1]])", InvalidArgument),
    ("tf.pad(m, [[-1, 1], [0, 0]])", InvalidArgument),
    ("tf.pad(m, [[10, 0], [0, 0]], 'REFLECT')", InvalidArgument),
    ("tf.pad(m, [[11, 0], [0, 0]], mode='SYMMETRIC')", InvalidArgument),
    ("tf.pad(m, [[1, 0], [0, 0]], mode='WRAP')", InvalidArgument),
    ("tf.slice(m, [0, 5], [1, 3])", InvalidArgument),
    ("tf.slice(m, [11, 0], [-1, 3])", InvalidArgument),
    ("tf.slice(m, [0], [1])", InvalidArgument),
    ("tf.gather(m, ids, axis=2)", InvalidArgument),
    ("tf.gather(tf.zeros([5, 9, 5]), ids, axis=1, batch_dims=1)", OperandMismatch),
    ("tf.gather(tf.zeros([]), ids)", RankMismatch),
    ("tf.gather_nd(m, tf.zeros([4, 3], tf.int32))", InvalidArgument),
    ("tf.gather_nd(tf.zeros([5]), tf.zeros([5, 1], tf.int32), batch_dims=1)", InvalidArgument),
    ("tf.image.crop_to_bounding_box(img, 4, 0, 30, 32)", InvalidArgument),
    ("tf.image.crop_to_bounding_box(img, 0, 0, 0, 32)", InvalidArgument),
    ("tf.image.pad_to_bounding_box(img, 2, 2, 33, 40)", InvalidArgument),
    ("tf.one_hot(ids, 10, axis=3)", InvalidArgument),
    ("tf.one_hot(ids, -1)", InvalidArgument),
    ("tf.nn.embedding_lookup(tf.zeros([]), ids)", RankMismatch),
    ("tf.image.resize(m, [4, 4])", RankMismatch),
    ("tf.image.resize(img, [4])", InvalidArgument),
    ("tf1.image.resize_bilinear(img[0], [4, 4])", RankMismatch),
    ("x[:, 3]", InvalidArgument),
    ("m[-11]", InvalidArgument),
    ("m[0, 0, 0]", InvalidArgument),
    ("m[..., ...]", InvalidArgument),
    ("m[::0]", InvalidArgument),
    ("tf.zeros([])[0]", InvalidArgument),
    ("tf.reduce_sum(x, 2)", InvalidArgument),
    ("tf.reduce_mean(x, [0, -2])", InvalidArgument),
    ("tf.reduce_max(tf.zeros([]), 0)", InvalidArgument),
    ("tf1.reduce_sum(x, axis=1, reduction_indices=1)", InvalidArgument),
    ("tf.argmax(x, 2)", InvalidArgument),
    ("tf.argmax(tf.zeros([]))", InvalidArgument),
    ("tf.tensordot(x, m, 1)", OperandMismatch),
    ("tf.tensordot(x, m, 3)", InvalidArgument),
    ("tf.tensordot(x, m, [[0, 1], [1]])", InvalidArgument),
    ("tf.einsum('ij,jk->ik', x, tf.zeros([4, 5]))", OperandMismatch),
    ("tf.einsum('ii->i', m)", OperandMismatch),
    ("tf.einsum('b...,b...->b...', img, img[:1])", OperandMismatch),  # labels do not broadcast
    ("tf.einsum('ijk->ij', m)", RankMismatch),
    ("tf.einsum('ij,jk->il', m, m)", InvalidArgument),
    ("tf.einsum('ij,jk->ii', m, m)", InvalidArgument),
    ("tf.einsum('...ij,...jk', img, tf.zeros([2, 32, 3, 4]))", InvalidArgument),
    ("tf.einsum('...,...->...', tf.zeros([2, 3]), tf.zeros([3, 2]))", OperandMismatch),
    ("tf.einsum('ij,jk', m)", InvalidArgument),
])
def test_errors(expr, error):
    found = errors(expr)
    assert [type(e) for e in found] == [error], [e.message for e in found]


@pytest.mark.parametrize("expr", [
    # different symbols are never assumed to differ
    "tf.concat([x, z], axis=1)",
    "tf.stack([x, z])",
    "tf.einsum('bi,bi->b', x, z)",
    "tf.tensordot(x, z, [[0], [0]])",
    "tf.gather(x, tf1.placeholder(tf.int32, [None, 2]), axis=1, batch_dims=1)",
    # a size that may be 1 or large enough at run time
    "tf.squeeze(x, 0)",
    "x[5]",
    "x[-4]",
    "tf.slice(x, [3, 0], [2, -1])",
    "tf.split(x, 4)",
    "tf.split(x, [2, 5], axis=0)",
    "tf.pad(x, [[2, 2], [0, 0]], 'REFLECT')",
    "tf.unstack(x, num=7)",
    # unknown arguments
    "tf.concat([x, y], axis=UNKNOWN_AXIS)",
    "tf.reduce_sum(x, axis=UNKNOWN_AXIS)",
    "tf.transpose(m, UNKNOWN_PERM)",
    "tf.einsum(UNKNOWN_EQUATION, x, y)",
    "tf.gather(m, ids, None, None, 7)",
    "tf.concat([x, UNKNOWN_TENSOR], 1)",
    "m[UNKNOWN_INDEX]",
    "m[[0, 7, 100]]",
    # one-operand concat: TensorFlow does not check the axis
    "tf.concat([m], 3)",
    # tensordot axes TF handles oddly: unknown, not an error
    "tf.tensordot(m, m, [[0, 0], [0, 1]])",
])
def test_silent(expr):
    assert errors(expr) == []


def test_findings_codes_and_messages():
    src = """
import tensorflow.compat.v1 as tf
image_features = tf.placeholder(tf.float32, [None, 256])
text_features = tf.placeholder(tf.float32, [None, 128])
both = tf.concat([image_features, text_features], axis=0)
logits = tf.placeholder(tf.float32, [None, 10])
probs = tf.squeeze(logits, axis=1)
"""
    assert codes(src) == [(5, "TSL008"), (7, "TSL007")]
    interpreter = run(src)
    message = interpreter.errors[0].message
    assert "concat along axis 0" in message and "256" in message and "128" in message


def test_chain_records_each_step():
    src = HEADER + "out = tf.reduce_mean(tf.transpose(tf.expand_dims(m, 0), [1, 0, 2]), axis=2)\n"
    value = run(src).globals.vars["out"]
    assert isinstance(value, TensorVal)
    labels = [step.label for step in value.chain]
    assert labels[-3:] == ["expand_dims 0", "transpose [1, 0, 2]", "reduce_mean axis 2"]
    assert fmt(value.shape) == "10x1"


def test_symbolic_sizes_flow_through_a_pipeline():
    src = """
import tensorflow.compat.v1 as tf
tokens = tf.placeholder(tf.int32, [None, 20])
table = tf.get_variable('emb', [5000, 64])
embedded = tf.nn.embedding_lookup(table, tokens)
pooled = tf.reduce_mean(embedded, axis=1)
pairs = tf.concat([pooled, pooled], axis=-1)
scores = tf.einsum('bd,dk->bk', pairs, tf.get_variable('w', [128, 3]))
best = tf.argmax(scores, axis=-1)
first = embedded[:, 0, :]
"""
    interpreter = run(src)
    shapes = {name: fmt(interpreter.globals.vars[name].shape) for name in ("embedded", "pooled", "pairs", "scores",
                                                                         "best", "first")}
    assert shapes == {"embedded": "Nx20x64", "pooled": "Nx64", "pairs": "Nx128", "scores": "Nx3",
                      "best": "N", "first": "Nx64"}
    assert interpreter.errors == []
