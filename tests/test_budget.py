"""Step budgets per statement, loop and call: one heavy loop costs its own analysis, not the file's."""

from helpers import codes, run
from tfshapelint.domain.values import UNKNOWN, TensorVal
from tfshapelint.linter import lint_source

# a helper of 400 statements, called 12 times by each pass of a loop (passes run its body in full)
HELPER = """
import tensorflow as tf

def step(state, dt):
""" + "".join(f"    state = (state[1] + dt * {k}, state[0] - dt)\n" for k in range(400)) + """    return state
"""
CALLS = "    state = step(state, 0.01)\n" * 12
SIMULATION = HELPER + """
state = (0.0, 0.0)
kept = tf.zeros([2, 3])
while state[0] < limit:
""" + CALLS


def test_shape_bug_after_a_long_simulation_loop_is_found():
    source = SIMULATION + "y = tf.matmul(kept, tf.zeros([4, 5]))\n"
    findings = lint_source(source, "notebook.py")
    lines = source.splitlines()
    loop, bug = lines.index("while state[0] < limit:") + 1, len(lines)
    assert [(f.line, f.code) for f in findings] == [(loop, "TSL903"), (bug, "TSL004")]
    stopped = findings[0]
    assert stopped.column == 1
    assert "analysis of this loop stopped after" in stopped.message
    assert "shapes after it may be unknown" in stopped.message


def test_names_the_abandoned_loop_binds_are_unknown_and_others_kept():
    interpreter = run(SIMULATION)
    names = interpreter.globals.vars
    assert names["state"] is UNKNOWN
    assert isinstance(names["kept"], TensorVal)
    assert len(interpreter.stopped) == 1


def test_no_finding_from_a_value_the_abandoned_loop_may_have_rebound():
    loop = ("state = (0.0, 0.0)\nx = tf.zeros([2, 3])\nitems = [tf.zeros([2, 3])]\nholder = Holder()\n"
            "while state[0] < limit:\n" + CALLS +
            "    x = tf.zeros([4, 5])\n    items.append(tf.zeros([4, 5]))\n    holder.t = tf.zeros([4, 5])\n"
            "a = tf.matmul(tf.zeros([2, 3]), x)\n"
            "b = tf.matmul(tf.zeros([2, 3]), items[-1])\n"
            "c = tf.matmul(tf.zeros([2, 3]), holder.t)\n")
    source = HELPER + "class Holder:\n    pass\n" + loop
    holder_source = source.replace("holder = Holder()", "holder = Holder()\nholder.t = tf.zeros([3, 4])")
    for text in (source, holder_source):
        assert [code for _, code in codes(text)] == ["TSL903"]


def test_a_call_past_its_budget_has_an_unknown_result_and_the_caller_goes_on():
    loop = "    for i in range(250):\n        for j in range(4):\n            s = s + i * j\n"  # ~8 000 steps
    source = ("import tensorflow as tf\n\ndef heavy():\n    s = 0\n" + loop * 25 + "    return tf.zeros([4, 5])\n\n"
              "y = tf.matmul(tf.zeros([2, 3]), heavy())\n"
              "z = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 5]))\n")
    findings = lint_source(source, "calls.py")
    assert [(f.line, f.code) for f in findings] == [(3, "TSL903"), (len(source.splitlines()), "TSL004")]
    assert "analysis of a call of `heavy` stopped after" in findings[0].message


def test_a_loop_within_budget_is_analysed_whole():
    source = """
    import tensorflow as tf
    x = tf.zeros([2, 3])
    for i in range(100):
        for j in range(100):
            x = x + 1
    y = tf.matmul(x, tf.zeros([4, 5]))
    """
    assert codes(source) == [(7, "TSL004")]


def test_a_loop_abandoned_on_one_branch_leaves_the_other_branch_its_own_state():
    source = HELPER + "class Holder:\n    pass\n" + (
        "holder = Holder()\nholder.t = tf.zeros([2, 3])\nstate = (0.0, 0.0)\n"
        "if flag:\n"
        "    while state[0] < limit:\n"
        "        holder.t = tf.zeros([4, 5])\n" + CALLS.replace("    ", "        ") +
        "else:\n"
        "    z = tf.matmul(holder.t, tf.zeros([3, 7]))\n"
        "w = tf.matmul(holder.t, tf.zeros([9, 9]))\n")
    assert [code for _, code in codes(source)] == ["TSL903"]  # holder.t: [2, 3] or unknown, never [4, 5]
