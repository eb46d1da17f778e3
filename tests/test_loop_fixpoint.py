"""Summarised loops (analysis.loops): passes to a fixed point, widening, nested loops not unrolled."""

from helpers import codes, run, shape
from tfshapelint.domain.values import UNKNOWN, TensorVal

T = "import tensorflow as tf\n"


def test_a_value_that_reaches_the_loop_after_three_iterations_is_covered():
    # after the third iteration `c` is 3 wide: two passes (the former rule) left it 2 wide, a false TSL006
    source = T + """
def run(n):
    a = tf.zeros([2])
    b = tf.zeros([2])
    c = tf.zeros([2])
    for i in range(n):
        c = b
        b = a
        a = tf.zeros([3])
    return c + tf.zeros([3])

y = run(1000)
"""
    assert codes(source) == []


def test_a_size_that_grows_becomes_unknown_and_one_that_does_not_is_kept():
    source = T + """
x = tf.zeros([2, 3])
for i in range(1000):
    x = tf.concat([x, x], 0)
"""
    assert shape(source, "x").endswith("x3")
    assert not shape(source, "x").startswith("2x")
    assert codes(source + "y = tf.matmul(x, tf.zeros([4, 5]))\n") == [(6, "TSL004")]


def test_nested_constant_loops_whose_product_is_long_are_summarised():
    source = T + """
x = tf.zeros([2, 3])
for i in range(200):
    for j in range(200):
        x = x + 1
        w = tf.matmul(x, tf.zeros([4, 4]))
y = tf.matmul(x, tf.zeros([5, 5]))
"""
    assert codes(source) == [(7, "TSL004"), (8, "TSL004")]  # no TSL903: a few passes, not 40 000 iterations
    assert run(source).steps < 20_000  # unrolled, the 40 000 iterations took 600 000


def test_short_nested_constant_loops_are_still_unrolled():
    source = T + """
x = tf.zeros([1, 64, 64, 3])
for i in range(3):
    for j in range(2):
        x = tf.nn.max_pool2d(x, 2, 2, "VALID")
"""
    assert shape(source, "x") == "1x1x1x3"


def test_a_loop_still_changing_after_the_last_pass_forgets_what_it_binds():
    chain = "".join(f"    c{k} = c{k - 1}\n" for k in range(9, 0, -1))
    source = T + "".join(f"c{k} = tf.zeros([2])\n" for k in range(10)) + "for i in range(1000):\n" + chain + \
        "    c0 = tf.zeros([3])\n"
    names = run(source).globals.vars
    assert names["c9"] is UNKNOWN and names["c1"] is UNKNOWN
    assert codes(source + "y = c9 + tf.zeros([3])\n") == []


def test_a_while_loop_reaching_a_fixed_point_keeps_its_stable_values():
    source = T + """
kept = tf.zeros([2, 3])
n = 0
while n < total:
    n += 1
    kept = tf.identity(kept)
"""
    kept = run(source).globals.vars["kept"]
    assert isinstance(kept, TensorVal)
    assert shape(source, "kept") == "2x3"


def test_a_short_loop_whose_iterations_cost_much_is_summarised_after_its_first_ones():
    helper = "def step(state, dt):\n" + "".join(f"    state = (state[1] + dt * {k}, state[0] - dt)\n"
                                                for k in range(40)) + "    return state\n"
    source = T + helper + """
state = (0.0, 0.0)
x = tf.zeros([2, 3])
for episode in range(250):
    for t in range(4):
        state = step(state, 0.01)
    x = tf.identity(x)
y = tf.matmul(x, tf.zeros([4, 5]))
"""
    interpreter = run(source)
    assert interpreter.stopped == [] and interpreter.steps < 60_000  # unrolled, the 1000 calls took 500 000
    assert shape(source, "x") == "2x3"
    assert codes(source) == [(len(source.splitlines()), "TSL004")]
