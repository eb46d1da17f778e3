"""The abstract interpreter: Python semantics it must follow to find the shapes."""

import pytest

from helpers import codes, const, run, shape
from tfshapelint.domain.values import UNKNOWN

TF1 = "import tensorflow.compat.v1 as tf\n"


@pytest.mark.parametrize("header, call", [
    ("import tensorflow as tf", "tf.zeros([2, 3])"),
    ("import tensorflow.compat.v1 as tf", "tf.zeros([2, 3])"),
    ("import tensorflow.compat.v2 as tf", "tf.zeros([2, 3])"),
    ("import tensorflow", "tensorflow.zeros([2, 3])"),
    ("from tensorflow import zeros", "zeros([2, 3])"),
    ("from tensorflow import random", "random.normal([2, 3])"),
    ("from tensorflow.compat import v1", "v1.random_normal([2, 3])"),
    ("import tensorflow.compat.v1 as tf1", "tf1.truncated_normal([2, 3])"),
])
def test_import_aliases(header, call):
    assert shape(f"{header}\nx = {call}\n", "x") == "2x3"


def test_from_import_of_function():
    src = """
    import tensorflow as tf
    from tensorflow.nn import conv2d
    x = tf.zeros([1, 8, 8, 3])
    y = conv2d(x, tf.zeros([3, 3, 3, 16]), 1, "SAME")
    """
    assert shape(src, "y") == "1x8x8x16"


def test_unrelated_module_is_unknown():
    assert "x" not in {k for k, v in run("import torch\nx = torch.zeros([2, 3])\n").globals.vars.items()
                       if hasattr(v, "shape")}


def test_tuple_unpacking_and_augmented_assignment():
    src = """
    import tensorflow as tf
    h, w = 28, 28
    h //= 2
    w -= 4
    a, (b, c) = 1, (2, 3)
    first, *rest = [1, 2, 3]
    x = tf.zeros([h, w, a + b + c + len(rest)])
    """
    assert shape(src, "x") == "14x24x8"


def test_shape_reading_chains():
    src = TF1 + """
w = tf.Variable(tf.random_normal([3136, 1024]))
a = w.get_shape().as_list()[0]
b = int(w.shape[1])
_, c = w.get_shape()
d = w.shape.as_list()[-1]
"""
    assert [const(src, n) for n in "abcd"] == [3136, 1024, 1024, 1024]


def test_module_constants_and_arithmetic():
    src = TF1 + """
IMAGE = 28
CHANNELS = 3 * 2
x = tf.placeholder(tf.float32, [None, IMAGE * IMAGE * CHANNELS // 2])
"""
    assert shape(src, "x") == "Nx2352"


@pytest.mark.filterwarnings("error")
def test_inverting_a_bool_is_inverting_its_int_on_every_python():
    # Python 3.12 deprecates ``~True``: folding it must not warn (nor, with -W error, crash the file)
    assert [const(TF1 + "a = ~True\nb = ~False\nc = ~5\n", n) for n in "abc"] == [-2, -1, -6]


def test_function_called_with_positional_keyword_and_default_arguments():
    src = TF1 + """
def layer(inp, units, scale=2, *, bias=True):
    w = tf.Variable(tf.zeros([inp.get_shape().as_list()[-1], units * scale]))
    return tf.matmul(inp, w)

x = tf.placeholder(tf.float32, [None, 10])
y = layer(x, 3)
z = layer(x, units=4, scale=1, bias=False)
"""
    assert shape(src, "y") == "Nx6"
    assert shape(src, "z") == "Nx4"


def test_recursion_is_safe():
    src = TF1 + """
def f(x, n):
    return f(x, n - 1) if n else x

y = f(tf.zeros([2]), 3)
"""
    interpreter = run(src)
    assert "y" in interpreter.globals.vars


def test_loop_with_constant_bound_is_unrolled():
    src = TF1 + """
x = tf.zeros([1, 64, 64, 3])
for i in range(3):
    x = tf.nn.max_pool(x, 2, 2, "SAME")
"""
    assert shape(src, "x") == "1x8x8x3"


def test_loop_over_list_of_sizes():
    src = TF1 + """
x = tf.zeros([4, 10])
for units in [32, 64, 16]:
    x = tf.matmul(x, tf.zeros([x.shape[-1], units]))
"""
    assert shape(src, "x") == "4x16"


def test_loop_with_unknown_bound_widens():
    src = TF1 + """
def build(n):
    x = tf.zeros([1, 64, 64, 3])
    for _ in range(n):
        x = tf.nn.max_pool(x, 2, 2, "SAME")
    return x
y = build(N_LAYERS)
"""
    assert shape(src, "y") == "1x?x?x3"


def test_branches_join():
    src = TF1 + """
def net(flag):
    if flag:
        x = tf.zeros([2, 8])
    else:
        x = tf.zeros([2, 9])
    return x
y = net(UNKNOWN_FLAG)
z = net(True)
"""
    assert shape(src, "y") == "2x?"
    assert shape(src, "z") == "2x8"


def test_return_inside_branch():
    src = TF1 + """
def f(x, flat):
    if flat:
        return tf.reshape(x, [-1, 12])
    return x
a = f(tf.zeros([2, 3, 4]), True)
b = f(tf.zeros([2, 3, 4]), False)
"""
    assert shape(src, "a") == "2x12"
    assert shape(src, "b") == "2x3x4"


def test_with_block_and_dict_of_weights():
    src = TF1 + """
with tf.variable_scope("fc"):
    weights = {"h1": tf.get_variable("h1", [784, 256]), "out": tf.get_variable("o", shape=[256, 10])}
    weights["h2"] = tf.get_variable("h2", [256, 256])
x = tf.placeholder(tf.float32, [None, 784])
y = tf.matmul(tf.matmul(tf.matmul(x, weights["h1"]), weights["h2"]), weights["out"])
"""
    assert shape(src, "y") == "Nx10"


def test_list_append_and_comprehension():
    src = TF1 + """
sizes = []
for s in (8, 16):
    sizes.append(s * 2)
layers = [tf.zeros([1, s]) for s in sizes]
x = tf.concat_unknown(layers)
y = layers[1]
"""
    assert shape(src, "y") == "1x32"


def test_uncalled_function_is_analysed_alone():
    src = TF1 + """
def broken():
    x = tf.zeros([2, 3])
    return tf.matmul(x, tf.zeros([4, 5]))
"""
    assert codes(src) == [(5, "TSL004")]


def test_unknown_input_size_is_silent():
    src = TF1 + """
def conv_net(x, size):
    x = tf.reshape(x, [-1, size, size, 1])
    x = tf.nn.max_pool(tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), 1, "SAME"), 2, 2, "SAME")
    x = tf.nn.max_pool(tf.nn.conv2d(x, tf.zeros([5, 5, 32, 64]), 1, "SAME"), 2, 2, "SAME")
    wd1 = tf.Variable(tf.zeros([4 * 4 * 64, 1024]))
    flat = tf.reshape(x, [-1, wd1.get_shape().as_list()[0]])
    return tf.matmul(flat, wd1)

def main(images, size):
    return conv_net(images, size)
"""
    assert codes(src) == []


def test_decorated_function_with_unknown_decorator_is_not_called():
    src = TF1 + """
def deco(f):
    return lambda *a: tf.zeros([2, 2])

@deco
def f(x):
    return x

y = f(tf.zeros([3]))
"""
    assert not hasattr(run(src).globals.vars["y"], "shape")


def test_class_constants_and_methods():
    src = TF1 + """
class Config:
    HIDDEN = 128

x = tf.zeros([4, Config.HIDDEN])
"""
    assert shape(src, "x") == "4x128"


def test_main_guard_runs():
    src = TF1 + """
if __name__ == "__main__":
    x = tf.zeros([1])
"""
    assert shape(src, "x") == "1"


def test_pathological_inputs_do_not_raise():
    run(TF1 + "x = " + "(" * 50 + "1" + ")" * 50 + "\n")
    run(TF1 + "while True:\n    x = tf.zeros([1])\n")
    run(TF1 + "x = 2 ** 10000\ny = 'a' * 10 ** 9\n")
    run(TF1 + "for i in range(10 ** 9):\n    pass\n")


def test_instances_and_self_attributes():
    src = TF1 + """
class Model:
    def __init__(self, hidden, classes=10):
        self.hidden = hidden
        self.w1 = tf.Variable(tf.zeros([784, hidden]))
        self.w2 = tf.Variable(tf.zeros([hidden, classes]))

    def logits(self, x):
        return tf.matmul(tf.matmul(x, self.w1), self.w2)

    @property
    def size(self):
        return self.hidden * 2

m = Model(128)
y = m.logits(tf.placeholder(tf.float32, [None, 784]))
s = m.size
"""
    assert shape(src, "y") == "Nx10"
    assert const(src, "s") == 256


def test_uncalled_class_methods_see_attributes_from_init():
    src = TF1 + """
class Net:
    def __init__(self, config):
        self.units = 64
        self.config = config

    def build(self):
        x = tf.zeros([8, 32])
        w = tf.Variable(tf.zeros([self.units, 10]))
        return tf.matmul(x, w)
"""
    assert codes(src) == [(11, "TSL004")]


def test_inheritance_and_call_protocol():
    src = TF1 + """
class Base:
    def __init__(self):
        self.units = 16
    def __call__(self, x):
        return self.forward(x)

class Child(Base):
    def forward(self, x):
        return tf.matmul(x, tf.zeros([x.shape[-1], self.units]))

y = Child()(tf.zeros([3, 5]))
"""
    assert shape(src, "y") == "3x16"


def test_attribute_writes_in_branches_are_joined():
    src = TF1 + """
class Holder:
    pass

h = Holder()
h.w = tf.zeros([3, 4])
if UNKNOWN_FLAG:
    h.w = tf.zeros([5, 4])
x = h.w
y = tf.matmul(tf.zeros([2, 3]), h.w)
"""
    assert shape(src, "x") == "?x4"
    assert codes(src) == []


def test_tensorflow_internal_module_names():
    src = """
from tensorflow.python.ops import array_ops, math_ops, nn_ops
from tensorflow.python.framework import constant_op
x = constant_op.constant([[1.0, 2.0, 3.0]])
y = math_ops.matmul(array_ops.reshape(x, [3, 1]), x)
z = nn_ops.relu(y)
"""
    assert shape(src, "z") == "3x3"


def test_argparse_defaults():
    src = TF1 + """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--hidden-units", type=int, default=256)
group = parser.add_argument_group("data")
group.add_argument("--image_size", default=28, type=int)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("data_dir")
args = parser.parse_args()
x = tf.zeros([args.image_size, args.hidden_units])
"""
    assert shape(src, "x") == "28x256"


@pytest.mark.parametrize("header", ["from absl import flags", "flags = tf.app.flags", "flags = tf.flags"])
def test_flags_defaults(header):
    src = TF1 + header + """
flags.DEFINE_integer("batch_size", 64, "Batch size.")
flags.DEFINE_integer(name="hidden", default=128, help="Units.")
FLAGS = flags.FLAGS

def main(_):
    return tf.zeros([FLAGS.batch_size, FLAGS.hidden])

y = main(None)
"""
    assert shape(src, "y") == "64x128"


def test_undefined_flag_is_unknown():
    src = TF1 + "from absl import flags\nFLAGS = flags.FLAGS\nx = tf.zeros([FLAGS.elsewhere, 3])\n"
    assert shape(src, "x") == "?x3"


def test_target_version_tf1_matmul_needs_equal_ranks():
    from tfshapelint.linter import lint_source

    src = "import tensorflow as tf\nx = tf.zeros([5, 2, 3])\ny = tf.matmul(x, tf.zeros([3, 4]))\n"
    assert lint_source(src, "a.py") == []  # TF2 broadcasts the batch
    assert [(f.line, f.code) for f in lint_source(src, "a.py", target_version="tf1")] == [(3, "TSL004")]
    same = "import tensorflow as tf\ny = tf.matmul(tf.zeros([5, 2, 3]), tf.zeros([1, 3, 4]))\n"
    assert lint_source(same, "a.py") == []
    assert [f.code for f in lint_source(same, "a.py", target_version="tf1")] == ["TSL006"]


def test_flatten_of_a_fixed_batch_feature_map_that_mixes_examples():
    src = """import tensorflow as tf
x = tf.random.normal([16, 14, 14, 64])
h = tf.nn.max_pool2d(x, 2, 2, "VALID")
f = tf.reshape(h, [-1, 1024])
g = tf.reshape(x, [-1, 1024])
ok = tf.reshape(h, [-1, 7 * 7 * 64])
pixels = tf.reshape(h, [-1, 64])
"""
    assert codes(src) == [(4, "TSL002")]  # x is not known to be a batch of maps: g is not reported


def test_tensor_comparisons_are_elementwise():
    src = TF1 + """
u = tf.random_uniform([4, 3])
mask = tf.cast(u > 0.3, tf.float32)
same = u == tf.zeros([5])
bad = u < tf.zeros([5])
"""
    assert shape(src, "mask") == "4x3"
    assert codes(src) == [(6, "TSL006")]  # == on incompatible shapes gives False in TF2, < raises


def test_compat_v1_written_twice_is_the_same_api():
    src = "import tensorflow.compat.v1 as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 3])\n"
    assert shape(src, "x") == "Nx3"


MATCH_HEAD = """
import tensorflow as tf

def head(kind, x):
    match kind:
        case "dense":
            return tf.matmul(x, tf.zeros([20, 10]))
        case "wide" | "flat" if x is not None:
            return tf.matmul(x, tf.zeros([784, 10]))
        case None:
            return tf.matmul(x, tf.zeros([30, 2]))
        case other:
            return tf.reshape(x, [other, -1])
"""


@pytest.mark.parametrize("argument, expected", [
    ('"dense"', [(7, "TSL004")]),  # the dense case runs, and only it
    ('"flat"', []),  # an or-pattern, then the guard: the wide case, which fits
    ("None", [(11, "TSL004")]),
    ("kind", [(7, "TSL004"), (11, "TSL004")]),  # unknown subject: every case may run
])
def test_match_cases_are_paths_decided_by_a_known_subject(argument, expected):
    src = MATCH_HEAD + f"kind = input()\ny = head({argument}, tf.zeros([8, 784]))\n"
    assert codes(src) == expected


def test_match_captures_are_unknown_and_a_catch_all_ends_the_cases():
    src = """
    import tensorflow as tf
    n = 3
    match n:
        case [a, *rest]:
            x = tf.zeros([a, 2])
        case {"size": a, **rest}:
            x = tf.zeros([a, 2])
        case tf.float32:  # reads tf: must not make it unknown
            x = tf.zeros([1, 2])
        case m:
            x = tf.zeros([m, 2])
    y = tf.matmul(x, tf.zeros([2, 5]))
    z = tf.matmul(x, tf.zeros([3, 5]))
    """
    assert shape(src, "y") == "?x5"  # the first dims of the paths differ: a (unknown), 1, 3
    assert codes(src) == [(14, "TSL004")]


def test_match_binds_the_subject_to_a_bare_capture():
    src = """
    import tensorflow as tf
    match 3:
        case 1 | 2:
            n = 0
        case n:
            pass
    x = tf.zeros([n, 2])
    """
    assert shape(src, "x") == "3x2"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_loop_that_breaks_is_not_unrolled_whatever_the_line_breaks(newline):
    """The keyword lines are found in the text: with any line break, the loop that breaks must be
    seen to break (unrolling it would run the code after the break in every iteration)."""
    src = newline.join([
        "import tensorflow as tf",
        "x = tf.zeros([2, 3])",
        "for i in range(3):",
        "    if i == 0:",
        "        break",
        "    x = tf.concat([x, x], 0)",
        "y = x",
    ]) + newline
    y = run(src).globals.vars.get("y")
    # unrolled as if it did not break, the first iteration's break would end the module (no y)
    assert y is not None and y.shape[0] != 16


@pytest.mark.parametrize("expression,expected", [
    ("(2, 3) == (2, 3)", True), ("(2, 3) != (2, 4)", True), ("(2, 3) == (2, 3, 1)", False),
    ("[2, 3] == (2, 3)", False), ("tf.zeros([2, 3]).shape == (2, 3)", True),
    ("tf.zeros([2, 3]).shape != [2, 4]", True), ("np.zeros((2, 2)).shape != np.zeros((3, 3)).shape", True),
])
def test_sequences_compare_elementwise(expression, expected):
    assert const("import numpy as np\nimport tensorflow as tf\nflag = " + expression + "\n", "flag") is expected


def test_an_unknown_size_leaves_a_shape_comparison_unknown():
    interpreter = run("import tensorflow as tf\nflag = tf.zeros([2, n]).shape == (2, 3)\n")
    assert interpreter.globals.vars["flag"] is UNKNOWN


def test_a_call_that_always_raises_ends_the_callers_path():
    src = """import tensorflow as tf
def check(a, b):
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    return a
def combine(a, b):
    check(a, b)
    return tf.matmul(a, b)
y = combine(tf.zeros([2, 3]), tf.zeros([4, 4]))
"""
    assert codes(src) == []


def test_a_tensor_is_not_none():
    src = "import tensorflow as tf\nx = tf.zeros([2])\nflag = x is not None\nsame = x is None\n"
    assert const(src, "flag") is True and const(src, "same") is False
