"""The TensorFlow releases a program targets reach the shape functions (domain/tf_versions.py), and
the semantics keyed to a release follow them: matmul's batch broadcasting (1.14), TensorFlow 1.0's
argument orders and renamed names (ops/tf0_calls.py)."""

from __future__ import annotations

import pytest

from tfshapelint.config import Options, resolve
from tfshapelint.domain.tf_versions import CURRENT, GENERATIONS, Versions, as_versions
from tfshapelint.linter import lint_source
from tfshapelint.ops.math import BATCH_BROADCAST_SINCE
from tfshapelint.target_version import MATMUL_BROADCASTS_FROM, configured_target

TF_0_12 = Versions((0, 12), (0, 13))
TF_1_8 = Versions((1, 8), (1, 9))
FROM_0_11 = Versions(low=(0, 11))  # tensorflow>=0.11: 0.x and 1.x and 2.x alike
FROM_1_4 = Versions(low=(1, 4))


@pytest.mark.parametrize("versions, release, before, since", [
    (TF_0_12, (1, 0), True, False),
    (TF_1_8, (1, 0), False, True),
    (TF_1_8, (1, 14), True, False),
    (FROM_0_11, (1, 0), False, False),  # straddles 1.0: neither semantics is certain
    (Versions(high=(2, 0)), (1, 0), False, False),  # tensorflow<2 allows 0.x
    (CURRENT, (1, 0), False, True),  # nothing pinned: the current TensorFlow
    (CURRENT, (1, 14), False, True),
])
def test_before_and_since_a_release(versions, release, before, since):
    assert (versions.before(release), versions.since(release)) == (before, since)


def test_generations_are_the_ranges_the_matmul_release_splits():
    assert as_versions("tf1") == Versions((1, 0), MATMUL_BROADCASTS_FROM)
    assert as_versions("tf2") == Versions(MATMUL_BROADCASTS_FROM, None)
    assert as_versions(None) == CURRENT and as_versions(TF_1_8) == TF_1_8
    assert BATCH_BROADCAST_SINCE == MATMUL_BROADCASTS_FROM


@pytest.mark.parametrize("configured, analysed", [
    ("tf1", GENERATIONS["tf1"]), ("tf2", GENERATIONS["tf2"]), ("1.8", TF_1_8), ("0.12.1", TF_0_12),
])
def test_a_configured_target_gives_the_analysis_its_releases(configured, analysed):
    assert configured_target(configured, "pyproject.toml").analysed == analysed


def test_the_analysis_receives_the_releases_the_requirements_allow(tmp_path):
    (tmp_path / "setup.cfg").write_text("")
    (tmp_path / "requirements.txt").write_text("tensorflow>=0.11\n")
    settings = resolve(Options(), cwd=tmp_path, paths=[tmp_path])
    assert settings.target_version == "tf2" and settings.target.analysed == FROM_0_11


def test_no_requirement_leaves_the_current_tensorflow(tmp_path):
    (tmp_path / "setup.cfg").write_text("")
    assert resolve(Options(), cwd=tmp_path, paths=[tmp_path]).target.analysed == CURRENT


# -- matmul: batch broadcasting since 1.14 -------------------------------------------------------------

MATMUL = "import tensorflow as tf\nx = tf.zeros([5, 2, 3])\ny = tf.matmul(x, tf.zeros([3, 4]))\n"


@pytest.mark.parametrize("versions, codes", [
    (TF_1_8, ["TSL004"]),  # 1.8's matmul needs operands of one rank
    (Versions((1, 13), (1, 14)), ["TSL004"]),
    (Versions((1, 14), (1, 15)), []),
    (FROM_1_4, []),  # 1.4 to today: some releases broadcast, the default stays
    (CURRENT, []),
])
def test_matmul_broadcasts_batch_dimensions_from_1_14(versions, codes):
    assert [f.code for f in lint_source(MATMUL, "a.py", target_version=versions)] == codes


# -- TensorFlow 1.0's argument orders and names ----------------------------------------------------------

CONCAT = """import tensorflow as tf
left = tf.zeros([4, 3])
right = tf.zeros([4, 5])
both = tf.concat(1, [left, right])
out = tf.matmul(both, tf.zeros([9, 2]))
"""


def test_concat_in_tf0_order_is_reported_for_tf1_and_later():
    findings = lint_source(CONCAT, "a.py", target_version=TF_1_8)
    assert [(f.line, f.code) for f in findings if f.code == "TSL015"] == [(4, "TSL015")]
    message = findings[0].message
    assert "concat(concat_dim, values)" in message and "concat(values, axis)" in message
    assert "`tf.concat([left, right], 1)`" in message


@pytest.mark.parametrize("versions", [TF_0_12, FROM_0_11])
def test_concat_in_tf0_order_is_right_for_a_program_that_may_run_on_tf0(versions):
    # read in TF 0.x's order: 4x8 features, whose 8 rows the 9x2 weight does not match
    assert [(f.line, f.code) for f in lint_source(CONCAT, "a.py", target_version=versions)] == [(5, "TSL004")]


def test_concat_in_tf0_order_is_read_as_tf0_reads_it_even_when_reported():
    codes = [(f.line, f.code) for f in lint_source(CONCAT, "a.py")]
    assert codes == [(4, "TSL015"), (5, "TSL004")]


@pytest.mark.parametrize("call", [
    "tf.concat([left, right], 1)",  # TensorFlow 1.0's order
    "tf.concat(axis, [left, right])",  # an axis the linter does not know may be a tensor
    "tf.concat(1, pieces)",  # not known to be a list
    "tf.concat(values=[left, right], axis=1)",
])
def test_concat_not_certainly_in_tf0_order_is_not_reported(call):
    src = f"import tensorflow as tf\nleft = tf.zeros([4, 3])\nright = tf.zeros([4, 5])\nboth = {call}\n"
    assert lint_source(src, "a.py") == []


def test_concat_of_a_list_built_in_a_loop_in_tf0_order():
    src = """import tensorflow as tf
outputs = []
for step in range(n_steps):
    outputs.append(tf.zeros([4, 3]))
both = tf.concat(1, outputs)
"""
    assert [(f.line, f.code) for f in lint_source(src, "a.py")] == [(5, "TSL015")]


SPLIT = """import tensorflow as tf
x = tf.zeros([28, 10])
rows = tf.split(0, 28, x)
first = rows[0]
"""


def test_split_in_tf0_order():
    findings = lint_source(SPLIT, "a.py")
    assert [(f.line, f.code) for f in findings] == [(3, "TSL015")]
    assert "split(split_dim, num_split, value)" in findings[0].message
    assert "`tf.split(x, 28, 0)`" in findings[0].message


def test_split_in_tf0_order_gives_the_pieces_tf0_gives():
    from helpers import shape

    assert shape(SPLIT, "first") == "1x10"


@pytest.mark.parametrize("call", ["tf.split(x, 28, 0)", "tf.split(x, 2, 1)", "tf.split(n, 28, x)",
                                  "tf.split(0, 28, 5)"])
def test_split_not_certainly_in_tf0_order_is_not_reported(call):
    src = f"import tensorflow as tf\nx = tf.zeros([28, 10])\nrows = {call}\n"
    assert [f for f in lint_source(src, "a.py") if f.code == "TSL015"] == []


@pytest.mark.parametrize("call, keyword", [
    ("tf.concat(concat_dim=1, values=[x, x])", "concat_dim"),
    ("tf.split(split_dim=0, num_split=2, value=x)", "split_dim"),
])
def test_tf0_keywords(call, keyword):
    src = f"import tensorflow as tf\nx = tf.zeros([28, 10])\ny = {call}\n"
    findings = lint_source(src, "a.py")
    assert [(f.line, f.code) for f in findings] == [(3, "TSL015")] and f"`{keyword}=`" in findings[0].message
    assert lint_source(src, "a.py", target_version=TF_0_12) == []


@pytest.mark.parametrize("module", ["tensorflow", "tensorflow.compat.v1"])
@pytest.mark.parametrize("old, new", [("pack", "stack"), ("mul", "multiply"), ("neg", "negative"),
                                      ("batch_matmul", "matmul")])
def test_names_tf1_renamed(module, old, new):
    args = "[x, x]" if old == "pack" else "x" if old == "neg" else "x, x"
    src = f"import {module} as tf\nx = tf.zeros([2, 3, 3])\ny = tf.{old}({args})\n"
    findings = lint_source(src, "a.py")
    assert [(f.line, f.code) for f in findings] == [(3, "TSL015")]
    assert f"`tf.{new}`" in findings[0].message
    assert lint_source(src, "a.py", target_version=TF_0_12) == []


def test_tensorflows_own_modules_kept_some_old_names():
    src = ("from tensorflow.python.ops import math_ops\nimport tensorflow as tf\n"
           "x = tf.zeros([3])\ny = math_ops.mul(x, x)\n")
    assert lint_source(src, "a.py") == []


def test_renamed_names_have_the_shapes_of_their_new_names():
    from helpers import shape

    src = """import tensorflow as tf
q = tf.zeros([4, 10, 32])
k = tf.zeros([4, 12, 32])
scores = tf.batch_matmul(q, k, adj_y=True)
steps = tf.pack([q, q], axis=1)
"""
    assert shape(src, "scores") == "4x10x12"
    assert shape(src, "steps") == "4x2x10x32"


def test_the_releases_named_by_the_target_are_those_the_shape_functions_key():
    from tfshapelint.ops.tf0_calls import TF_1_0
    from tfshapelint.target_version import KEYED_RELEASES

    assert set(KEYED_RELEASES) == {TF_1_0}


def test_a_target_that_straddles_tf1_0_says_so(tmp_path):
    (tmp_path / "setup.cfg").write_text("")
    (tmp_path / "requirements.txt").write_text("tensorflow>=0.11,<1.5\n")
    target = resolve(Options(), cwd=tmp_path, paths=[tmp_path]).target
    assert target.semantics == "tf1"
    assert target.describe() == ("tf1 (TensorFlow >=0.11, <1.5, from tensorflow>=0.11,<1.5 in requirements.txt; "
                                 "it allows releases before and after TensorFlow 1.0's API (TSL015 stays silent))")


SAMPLED = """import tensorflow as tf
ids = tf.placeholder(tf.int32, [8])
labels = tf.placeholder(tf.int32, [8, 1])
embed = tf.nn.embedding_lookup(tf.zeros([50, 16]), ids)
W = tf.zeros([50, 16])
b = tf.zeros([50])
loss = tf.nn.{name}({args}, 5, 50)
"""


@pytest.mark.parametrize("name", ["nce_loss", "sampled_softmax_loss"])
def test_sampled_losses_in_tf0_order(name):
    src = SAMPLED.format(name=name, args="W, b, embed, labels")
    findings = lint_source(src, "a.py")
    assert [(f.line, f.code) for f in findings] == [(7, "TSL015")]
    assert f"`tf.nn.{name}(W, b, labels, embed, 5, 50)`" in findings[0].message
    assert lint_source(src, "a.py", target_version=TF_0_12) == []


def test_sampled_losses_with_sharded_weights_in_tf0_order():
    src = SAMPLED.format(name="nce_loss", args="[W, W], b, embed, labels")
    assert [(f.line, f.code) for f in lint_source(src, "a.py")] == [(7, "TSL015")]


@pytest.mark.parametrize("args", [
    "W, b, labels, embed",  # TensorFlow 1.0's order
    "W, b, embed, ids",  # the fourth argument is not a matrix of a known width
    "weights=W, biases=b, inputs=embed, labels=labels, num_sampled=5, num_classes=50, name=None",
])
def test_sampled_losses_not_certainly_in_tf0_order(args):
    src = SAMPLED.format(name="nce_loss", args=args).replace(", 5, 50)", ")" if "num_classes" in args else ", 5, 50)")
    assert lint_source(src, "a.py") == []


def test_sampled_losses_give_one_loss_per_example():
    from helpers import shape

    assert shape(SAMPLED.format(name="nce_loss", args="W, b, labels, embed"), "loss") == "8"
    assert shape(SAMPLED.format(name="sampled_softmax_loss", args="W, b, embed, labels"), "loss") == "8"


@pytest.mark.parametrize("call, pieces", [
    ("tf.split(1, num_split=2, value=x)", "28x5"),  # the axis by position in TF 0.x's signature
    ("tf.split(split_dim=0, num_split=4, value=x)", "7x10"),
])
def test_tf0_keywords_with_positional_arguments_read_in_tf0s_signature(call, pieces):
    from helpers import shape

    src = f"import tensorflow as tf\nx = tf.zeros([28, 10])\ny = {call}\n"
    assert [f.code for f in lint_source(src, "a.py")] == ["TSL015"]
    assert shape(src + "first = y[0]\n", "first") == pieces
