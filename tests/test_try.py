"""``try`` statements (analysis/paths.py): the body runs; each handler is a path that may be taken
instead, starting anywhere in the body; what follows starts from the join of the paths, for
variables and for objects' attributes alike (analysis/state.py)."""

from helpers import codes, shape

TF1 = "import tensorflow.compat.v1 as tf\n"
HOLDER = TF1 + "class Holder:\n    pass\nh = Holder()\n"


def test_an_attribute_the_body_and_a_handler_write_is_their_join():
    src = HOLDER + """
try:
    h.w = tf.zeros([3, 4])
except ValueError:
    h.w = tf.zeros([5, 4])
x = h.w
y = tf.matmul(tf.zeros([2, 3]), h.w)  # fits when the body completed: not a definite bug
"""
    assert shape(src, "x") == "?x4"
    assert codes(src) == []


def test_a_handler_starts_from_the_join_of_before_and_after_the_body():
    src = TF1 + """
x = tf.zeros([2, 3])
try:
    x = tf.zeros([4, 4])
except ValueError:
    y = tf.matmul(x, tf.zeros([4, 5]))  # x is 2x3 or 4x4 here
    z = tf.matmul(x, tf.zeros([3, 5]))
"""
    assert codes(src) == []


def test_each_handler_starts_from_the_body_not_from_the_handler_before_it():
    src = TF1 + """
x = tf.zeros([2, 3])
try:
    pass
except ValueError:
    x = tf.zeros([7, 7])
except KeyError:
    y = tf.matmul(x, tf.zeros([4, 5]))
"""
    assert codes(src) == [(9, "TSL004")]


def test_what_a_body_that_returned_wrote_stays_for_the_caller():
    src = HOLDER + """
def build(h):
    try:
        h.w = tf.zeros([3, 4])
        return 1
    except ValueError:
        return 0
build(h)
x = h.w
"""
    assert shape(src, "x") == "3x4"


def test_variables_after_a_try_join_the_body_and_the_handlers():
    src = TF1 + """
try:
    x = tf.zeros([2, 3])
except ValueError:
    x = tf.zeros([5, 3])
except KeyError:
    raise
finally:
    y = tf.zeros([1])
"""
    assert shape(src, "x") == "?x3"
    assert shape(src, "y") == "1"


def test_a_finally_after_a_return_sees_what_the_body_bound():
    src = TF1 + """
def f():
    try:
        x = tf.zeros([2, 3])
        return x
    finally:
        y = tf.matmul(x, tf.zeros([4, 5]))
f()
"""
    assert codes(src) == [(8, "TSL004")]
