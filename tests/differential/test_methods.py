"""Static-shape queries vs TF: ``x.shape``, ``x.get_shape()``, ``.as_list()``, ``x.ndim``,
``shape.ndims``/``shape.rank`` (and NumPy's ``a.shape``/``a.ndim``).

Two levels: the registered property/method adapters on abstract tensors, and whole generated
TF1-style programs (placeholder -> conv2d -> max_pool -> reshape -> matmul -> shape queries) that our
interpreter analyses and TensorFlow executes in a graph, text for text.
"""

from __future__ import annotations

import ast
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.analysis.interpreter import Interpreter
from tfshapelint.domain.values import UNKNOWN, Const, ListVal, ShapeVal, SymInt, Value, fresh_tensor
from tfshapelint.linter import lint_source
from tfshapelint.ops import registry
from tfshapelint.ops.errors import BatchChange
from tfshapelint.shapes import dims

from .harness import (VERDICTS, Disagreement, Instance, Rejected, differential, evaluate, examples, fresh_symbol,
                      in_graph, note, placeholders, tf)

pytestmark = pytest.mark.tf

PROPERTIES = ("Tensor.shape", "Tensor.ndim", "TensorShape.ndims", "TensorShape.rank", "ndarray.shape", "ndarray.ndim")
METHODS = ("Tensor.get_shape", "TensorShape.as_list")

COVERED = {name: "methods" for name in PROPERTIES + METHODS}


def read(name: str, receiver: Value) -> Value:
    """Our value of ``receiver.<attr>`` (a property) or ``receiver.<method>()``."""
    call = registry.Call(name=name, args=[receiver], kwargs={}, new_symbol=fresh_symbol)
    fn = registry.lookup_property(name) if name in PROPERTIES else registry.lookup(name)
    return fn(call)


def as_dims(value: Value):
    """A ShapeVal/ListVal of dim values as a tuple of dims (None for unknown), UNKNOWN as None."""
    if value is UNKNOWN:
        return None
    assert isinstance(value, (ShapeVal, ListVal)), value
    return tuple(item.value if isinstance(item, Const) else item.dim if isinstance(item, SymInt) else None
                 for item in value.items)


def as_int(value: Value):
    if value is UNKNOWN:
        return None
    assert isinstance(value, Const), value
    return value.value


# -- adapters -------------------------------------------------------------------------------------------


@examples(150)
@given(data=st.data())
def test_shape_queries_match_tf(data):
    """Each query on a tensor of concrete, symbolic or unknown dims (or unknown rank)."""
    x = data.draw(st.one_of(st.none(), st.lists(st.integers(1, 6), min_size=0, max_size=5).map(tuple)))
    inst = Instance(data)
    x_val, x_tf = inst.tensor(x)
    static = read("Tensor.shape", x_val)
    queries = {
        "Tensor.shape": lambda t: t.shape.as_list() if t.shape.rank is not None else None,
        "Tensor.get_shape": lambda t: t.get_shape().as_list() if t.shape.rank is not None else None,
        "TensorShape.as_list": lambda t: t.shape.as_list() if t.shape.rank is not None else None,
        "Tensor.ndim": lambda t: t.ndim,
        "TensorShape.ndims": lambda t: t.shape.ndims,
        "TensorShape.rank": lambda t: t.shape.rank,
    }
    for name, query in queries.items():
        if name.startswith("TensorShape.") and static is UNKNOWN:
            continue  # we have no TensorShape object to ask
        receiver = static if name.startswith("TensorShape.") else x_val
        mine = read(name, receiver)

        def tf_side(concrete, query=query):
            return in_graph(lambda: placeholders((x if concrete else x_tf, None))[0], shape_of=query)

        if name in ("Tensor.ndim", "TensorShape.ndims", "TensorShape.rank"):
            got = tf_side(False)  # TF's ``ndim`` of an unknown rank is -1; ours is UNKNOWN
            assert as_int(mine) == got or mine is UNKNOWN and x is None, f"{name} of {x}: ours {mine}, TF {got}"
            continue
        result = tf_side(False)
        mine_dims = as_dims(mine)
        differential(name, mine_dims, lambda concrete: tuple(tf_side(concrete)) if tf_side(concrete) is not None
                     else None, inst, describe=f"x={x}")
        assert result is None or len(result) == len(mine_dims)


@examples(60)
@given(shape=st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple))
def test_ndarray_queries_match_numpy(shape):
    array = fresh_tensor(shape, kind="ndarray")
    assert as_dims(read("ndarray.shape", array)) == np.zeros(shape).shape
    assert as_int(read("ndarray.ndim", array)) == np.zeros(shape).ndim


# -- whole programs ------------------------------------------------------------------------------------------


def _out(size: int, kernel: int, stride: int, padding: str):
    """TF's output size, written independently of ops/conv.py (None: the window does not fit)."""
    if size is None:
        return None
    if padding == "SAME":
        return -(-size // stride)
    return (size - kernel) // stride + 1 if size >= kernel else None


@st.composite
def programs(draw):
    """A TF1 convnet with mostly consistent sizes, sometimes a wrong filter depth, flatten size or
    dense input size, and shape queries at the end. Returns (source, concrete-batch source)."""
    height, width, channels = draw(st.integers(3, 14)), draw(st.integers(3, 14)), draw(st.integers(1, 4))
    lines = ["import tensorflow.compat.v1 as tf",
             f"x = tf.placeholder(tf.float32, [BATCH, {height}, {width}, {channels}])", "h = x"]
    size = [height, width, channels]
    for block in range(draw(st.integers(0, 2))):
        kernel, filters = draw(st.integers(1, 4)), draw(st.integers(1, 6))
        stride, padding = draw(st.integers(1, 2)), draw(st.sampled_from(["SAME", "VALID"]))
        depth = draw(st.sampled_from([size[2]] * 6 + [size[2] + 1]))
        lines += [f"w{block} = tf.get_variable('w{block}', [{kernel}, {kernel}, {depth}, {filters}])",
                  f"h = tf.nn.conv2d(h, w{block}, strides=[1, {stride}, {stride}, 1], padding='{padding}')",
                  f"h = tf.nn.relu(h + tf.zeros([{filters}]))"]
        size = [_out(size[0], kernel, stride, padding), _out(size[1], kernel, stride, padding), filters]
        if draw(st.booleans()):
            window, pool_padding = draw(st.integers(1, 3)), draw(st.sampled_from(["SAME", "VALID"]))
            lines.append(f"h = tf.nn.max_pool(h, ksize=[1, {window}, {window}, 1], strides=[1, {window}, {window}, 1], "
                         f"padding='{pool_padding}')")
            size = [_out(size[0], window, window, pool_padding), _out(size[1], window, window, pool_padding),
                    filters]
    example = math.prod(size) if None not in size else 7
    flat = draw(st.sampled_from([example] * 5 + [example + 1, 2 * example, max(1, example // 2)]))
    units = draw(st.integers(1, 5))
    dense_in = draw(st.sampled_from([flat] * 6 + [flat + 1]))
    lines += [f"flat = tf.reshape(h, [-1, {flat}])",
              f"wd = tf.get_variable('wd', [{dense_in}, {units}])",
              f"logits = tf.matmul(flat, wd) + tf.zeros([{units}])",
              "as_list = logits.get_shape().as_list()",
              "flat_shape = flat.shape",
              "h_list = h.shape.as_list()",
              "ndims = logits.shape.ndims",
              "rank = h.shape.rank",
              "ndim = flat.ndim"]
    source = "\n".join(lines) + "\n"
    batch = draw(st.integers(1, 6))
    return source.replace("BATCH", "None"), source.replace("BATCH", str(batch)), batch


QUERIES = ("as_list", "flat_shape", "h_list", "ndims", "rank", "ndim")


def run_in_tf(source: str):
    """Execute the program in a fresh graph: its namespace, or Rejected."""
    namespace: dict = {}

    def build():
        exec(compile(source, "<program>", "exec"), namespace)
        return namespace

    return in_graph(build, shape_of=lambda ns: ns)


def tf_value(value):
    if isinstance(value, tf().TensorShape):
        return tuple(value.as_list()) if value.rank is not None else None
    return tuple(value) if isinstance(value, list) else value


def ours_value(value: Value):
    if isinstance(value, (ShapeVal, ListVal)) or value is UNKNOWN:
        return as_dims(value)
    return as_int(value)


@examples(200)
@given(program=programs())
def test_programs_match_tf(program):
    source, concrete_source, batch = program
    interpreter = Interpreter(ast.parse(source), source=source)
    interpreter.run()
    errors = interpreter.errors
    findings = lint_source(source, "program.py")
    got = run_in_tf(source)
    where = f"\n{source}ours: {[f'{type(e).__name__}: {e.message}' for e in errors]}\nfindings: " \
            f"{[(f.code, f.line) for f in findings]}\nTF: {got if isinstance(got, Rejected) else 'runs'}"
    if isinstance(got, Rejected):
        if not errors:
            note("missed", "program", got.message, where)
        VERDICTS[("program", "both reject" if errors else "missed")] += 1
        assert errors or not findings, f"a finding without a shape error{where}"
        return
    concrete = run_in_tf(concrete_source)
    for error in errors:  # TF accepts: only a batch change, confirmed by a concrete batch, may be reported
        if not isinstance(error, BatchChange):
            raise Disagreement(f"FALSE POSITIVE {type(error).__name__}{where}")
        new_batch = concrete["flat"].shape[0] if not isinstance(concrete, Rejected) else None
        assert isinstance(concrete, Rejected) or new_batch != batch, f"unconfirmed batch change{where}"
    if not errors:
        assert not findings, f"findings on a program TF accepts{where}"
    VERDICTS[("program", "confirmed" if errors else "both accept")] += 1
    for name in QUERIES:
        mine, partial = ours_value(interpreter.globals.vars[name]), tf_value(got[name])
        if errors and name in ("as_list", "flat_shape", "ndims"):
            continue  # after a (confirmed) batch change we keep going with an unknown batch
        if isinstance(partial, tuple):
            assert isinstance(mine, tuple) and len(mine) == len(partial), f"{name}: ours {mine}, TF {partial}{where}"
            actual = tf_value(concrete[name]) if not isinstance(concrete, Rejected) else partial
            for ours_dim, tf_dim, tf_actual in zip(mine, partial, actual):
                if ours_dim is None or isinstance(ours_dim, dims.Expr):
                    assert tf_dim is None or ours_dim is None, f"{name}: TF knows {tf_dim}, we {ours_dim}{where}"
                    if ours_dim is not None and tf_actual is not None:
                        # the only symbol of these programs is the placeholder's batch
                        (symbol,) = ours_dim.atoms()
                        assert evaluate(ours_dim, {symbol: batch}) == tf_actual, f"{name}{where}"
                else:
                    assert ours_dim == tf_dim, f"{name}: ours {mine}, TF {partial}{where}"
        else:
            assert mine == partial, f"{name}: ours {mine}, TF {partial}{where}"
