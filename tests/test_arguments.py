"""A call's arguments paired with the expressions that wrote them (domain/arguments.py), as the
interpreter builds them and as the ops that rewrite a call (TF 0.x's orders, receivers) transform them."""

import ast
import textwrap
from dataclasses import replace

from tfshapelint.analysis.interpreter import Interpreter
from tfshapelint.domain.arguments import Arguments
from tfshapelint.domain.values import Const, TensorVal
from tfshapelint.ops.registry import Call


class _Keeping(Interpreter):
    """An interpreter that keeps every op call it makes, by the op's name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls: dict = {}

    def invoke(self, fn, name, arguments, node=None, path=""):
        def keeping(call):
            self.calls[name] = call
            return fn(call)

        return super().invoke(keeping, name, arguments, node, path)


def _calls(source: str) -> dict:
    source = textwrap.dedent(source)
    interpreter = _Keeping(ast.parse(source), source=source)
    interpreter.run()
    return interpreter.calls


def _text(node) -> str:
    return ast.unparse(node)


def test_each_value_is_paired_with_the_expression_that_wrote_it():
    calls = _calls("""
        import tensorflow as tf
        size = [2, 3]
        x = tf.zeros(size, dtype=tf.float32)
    """)
    arguments = calls["tf.zeros"].arguments
    assert calls["tf.zeros"].args is arguments.values and calls["tf.zeros"].kwargs is arguments.keywords
    assert _text(arguments.node_of(0)) == "size" and _text(arguments.node_of("dtype")) == "tf.float32"
    assert arguments.node_of(1) is None and arguments.node_of("name") is None
    assert not arguments.receiver and not arguments.spread


def test_the_items_of_a_spread_have_no_expression_of_their_own():
    calls = _calls("""
        import tensorflow as tf
        x = tf.zeros([2, 3])
        y = tf.reshape(*[x, [3, 2]])
    """)
    arguments = calls["tf.reshape"].arguments
    assert isinstance(arguments.values[0], TensorVal) and len(arguments.values) == 2
    assert arguments.node_of(0) is None and arguments.node_of(1) is None and arguments.spread


def test_a_bound_methods_receiver_comes_first_without_an_expression():
    calls = _calls("""
        import tensorflow as tf
        x = tf.zeros([2, 3])
        x.set_shape([2, 3])
    """)
    arguments = calls["Tensor.set_shape"].arguments
    assert arguments.receiver and isinstance(arguments.values[0], TensorVal)
    assert arguments.node_of(0) is None and _text(arguments.node_of(1)) == "[2, 3]"
    after = arguments.without_receiver()
    assert not after.receiver and _text(after.node_of(0)) == "[2, 3]" and len(after.values) == 1


def test_rewritten_arguments_keep_their_expressions():
    first, second, named = (ast.Name(id=name) for name in ("a", "b", "c"))
    arguments = Arguments([Const(1), Const(2)], {"axis": Const(3)}, (first, second), {"axis": named})
    swapped = arguments.reordered([1, 0])
    assert [v.value for v in swapped.values] == [2, 1] and swapped.nodes == (second, first)
    by_name = arguments.as_keywords(("x", "y")).renamed({"x": "value"})
    assert not by_name.values and {k: v.value for k, v in by_name.keywords.items()} == {"value": 1, "y": 2, "axis": 3}
    assert by_name.node_of("value") is first and by_name.node_of("y") is second and by_name.node_of("axis") is named


def test_a_call_made_with_other_values_keeps_the_positions_expressions():
    node = ast.Name(id="x")
    call = Call(name="op", args=[Const(1)], kwargs={}, arguments=None)
    assert call.arguments.node_of(0) is None  # made by an op: nothing wrote it
    written = call.with_arguments(Arguments([Const(1)], {}, (node,)))
    replayed = replace(written, args=[Const(5)])  # a run's replay substitutes the values
    assert replayed.arguments.values is replayed.args and replayed.args[0].value == 5
    assert replayed.arguments.node_of(0) is node and replayed.arg_node(0, "input") is node
