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


def test_an_attribute_the_body_wrote_is_unknown_where_a_handler_starts():
    # the handler may start after any statement of the body: h.w may be 4x4 there (int() raised
    # between the writes), so no write of the body, not even the last one, is what it holds
    src = HOLDER + """
def build(h):
    h.w = tf.zeros([2, 3])
    try:
        h.w = tf.zeros([4, 4])
        steps = int("ten")
        h.w = tf.zeros([2, 3])
        return 1
    except ValueError:
        return tf.matmul(h.w, tf.zeros([4, 5]))
build(h)
"""
    assert codes(src) == []


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


def test_a_handler_may_start_after_a_binding_on_a_branch_that_returned():
    # risky() raises after x became 4x4: the handler's matmul fits (checked in TF 2.21); the body
    # returned, and its last state is not where the handler starts
    src = TF1 + """
def risky():
    raise RuntimeError("no data")

def f():
    x = tf.zeros([2, 3])
    try:
        x = tf.zeros([4, 4])
        y = risky()
        return y
    except RuntimeError:
        return tf.matmul(x, tf.zeros([4, 5]))
f()
"""
    assert codes(src) == []


def test_a_name_bound_twice_in_the_body_may_hold_either_value_in_a_handler():
    src = TF1 + """
x = tf.zeros([2, 3])
try:
    x = tf.zeros([4, 4])
    y = int("not a number")
    x = tf.zeros([2, 3])
except ValueError:
    z = tf.matmul(x, tf.zeros([4, 5]))  # x is 4x4 here: int() raised between the two bindings
"""
    assert codes(src) == []
