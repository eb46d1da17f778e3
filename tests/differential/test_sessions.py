"""Sessions, feeding and training ops (ops/session.py) vs a real TF1 ``Session`` on a tiny graph.

Each case builds placeholders of random partly-unknown shapes, a fetch derived from them, an
initializer or a training op, and feeds NumPy arrays (or nested lists) that fit the placeholder or
not (another rank, another known size). The same program runs through the registry -- the session
constructor, ``Session.run`` / ``Tensor.eval`` / ``Operation.run``, the optimizer's ``minimize`` /
``apply_gradients`` -- and for real (the graph is tiny, CPU kernels run). We may raise
``FeedShapeMismatch`` only where the real run raises "Cannot feed value of shape"; what ``run``
returns must have the structure of the real result (lists, tuples, dicts; None for an operation)
and every size we know must be the size of the array it returns.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import (UNKNOWN, Const, DictVal, ListVal, ObjectVal, TensorVal, TupleVal,
                                         fresh_tensor)
from tfshapelint.ops import registry
from tfshapelint.ops.errors import FeedShapeMismatch, ShapeError
from tfshapelint.ops.numpy_ops import NDARRAY
from tfshapelint.ops.session import _OPTIMIZERS

from .harness import VERDICTS, Disagreement, examples, fresh_symbol, note, ours, tf

pytestmark = pytest.mark.tf

SESSIONS = ("tf.Session", "tf.InteractiveSession", "tf.get_default_session", "tf.train.MonitoredSession",
            "tf.train.MonitoredTrainingSession", "tf.train.SingularMonitoredSession")
OPERATIONS = ("tf.global_variables_initializer", "tf.initialize_all_variables", "tf.local_variables_initializer",
              "tf.initialize_local_variables", "tf.tables_initializer", "tf.no_op", "tf.group",
              "tf.variables_initializer")
OPTIMIZERS = tuple(f"tf.train.{name}" for name in _OPTIMIZERS)
RUNS = ("Session.run", "Tensor.eval", "Operation.run")

COVERED = {**{name: "session" for name in SESSIONS}, **{name: "operation" for name in OPERATIONS},
           **{name: "optimizer" for name in OPTIMIZERS}, "Optimizer.minimize": "optimizer",
           "Optimizer.apply_gradients": "optimizer", **{name: "feed" for name in RUNS}}


def call(name: str, *args, **kwargs):
    fn = registry.lookup(name)
    assert fn is not None, name
    return ours(fn, registry.Call(name=registry.canonical(name), args=list(args), kwargs=kwargs,
                                  new_symbol=fresh_symbol))


# -- the real side -------------------------------------------------------------------------------------


def real_session(name: str, graph):
    """(session, close) for ``name`` in ``graph``."""
    v1 = tf().compat.v1
    if name == "tf.Session":
        sess = v1.Session(graph=graph)
    elif name == "tf.InteractiveSession":
        sess = v1.InteractiveSession(graph=graph)
    elif name == "tf.get_default_session":
        owner = v1.Session(graph=graph)
        context = owner.as_default()
        context.__enter__()
        sess = v1.get_default_session()

        def close():
            context.__exit__(None, None, None)
            owner.close()

        return sess, close
    elif name == "tf.train.MonitoredSession":
        sess = v1.train.MonitoredSession()
    elif name == "tf.train.MonitoredTrainingSession":
        sess = v1.train.MonitoredTrainingSession(log_step_count_steps=None, save_summaries_steps=None,
                                                 save_checkpoint_secs=None)
    else:
        sess = v1.train.SingularMonitoredSession()
    return sess, sess.close


def real_operation(name: str, variables: list):
    v1 = tf().compat.v1
    if name == "tf.group":
        return v1.group(*[v.initializer for v in variables])
    if name == "tf.variables_initializer":
        return v1.variables_initializer(variables)
    return getattr(v1, name.split(".")[-1])()


def real_optimizer(name: str):
    v1 = tf().compat.v1
    cls = getattr(v1.train, name.split(".")[-1])
    if name.endswith("MomentumOptimizer"):
        return cls(0.1, 0.9)
    if name.endswith("AdagradDAOptimizer"):
        return cls(0.1, v1.train.get_or_create_global_step())
    return cls(0.1)


# -- the case ---------------------------------------------------------------------------------------------


@st.composite
def placeholder_case(draw):
    """A placeholder's declared shape and the shape of the value fed (fitting or not)."""
    declared = tuple(draw(st.lists(st.one_of(st.integers(1, 4), st.none()), min_size=0, max_size=3), label="declared"))
    fed = [draw(st.integers(1, 4)) if d is None else d for d in declared]
    form = draw(st.sampled_from(["fits", "fits", "fits", "size", "rank+", "rank-"]), label="fed form")
    if form == "size" and any(d is not None for d in declared):
        axis = next(i for i, d in enumerate(declared) if d is not None)
        fed[axis] += draw(st.integers(1, 2))
    elif form == "rank+":
        fed.append(draw(st.integers(1, 3)))
    elif form == "rank-" and fed:
        fed.pop()
    as_list = draw(st.integers(0, 4), label="as list") == 0
    return declared, tuple(fed), as_list


def our_placeholder(declared: tuple) -> TensorVal:
    return fresh_tensor(tuple(fresh_symbol("d") if d is None else d for d in declared), kind="placeholder")


def our_fed(shape: tuple, as_list: bool):
    if not as_list:
        return fresh_tensor(shape, kind=NDARRAY)
    value = np.zeros(shape).tolist()

    def to_value(item):
        return ListVal(tuple(to_value(i) for i in item)) if isinstance(item, list) else Const(item)

    return to_value(value)


def fetch_structure(draw, labels: list):
    form = draw(st.sampled_from(["single", "list", "tuple", "dict"]), label="fetch form")
    if form == "single":
        return labels[0]
    if form == "list":
        return list(labels)
    if form == "tuple":
        return tuple(labels)
    return {f"k{i}": label for i, label in enumerate(labels)}


def mapped(structure, leaf):
    if isinstance(structure, list):
        return [mapped(s, leaf) for s in structure]
    if isinstance(structure, tuple):
        return tuple(mapped(s, leaf) for s in structure)
    if isinstance(structure, dict):
        return {k: mapped(v, leaf) for k, v in structure.items()}
    return leaf(structure)


def abstract_fetches(structure, leaf):
    if isinstance(structure, list):
        return ListVal(tuple(abstract_fetches(s, leaf) for s in structure))
    if isinstance(structure, tuple):
        return TupleVal(tuple(abstract_fetches(s, leaf) for s in structure))
    if isinstance(structure, dict):
        return DictVal(tuple((k, abstract_fetches(v, leaf)) for k, v in structure.items()))
    return leaf(structure)


def compare_result(mine, real, where: str) -> None:
    """Our run result vs the real one: same structure, None for operations, known sizes equal."""
    if mine is UNKNOWN:
        return
    if isinstance(mine, TensorVal):
        shape = np.shape(real)
        if mine.shape is None:
            return
        if len(mine.shape) != len(shape) or any(isinstance(a, int) and a != b for a, b in zip(mine.shape, shape)):
            raise Disagreement(f"run gives {mine.shape}, really {shape}\n{where}")
        return
    if isinstance(mine, Const):
        if mine.value is not None or real is not None:
            raise Disagreement(f"run gives {mine}, really {real!r}\n{where}")
        return
    if isinstance(mine, (ListVal, TupleVal)):
        if not isinstance(real, list if isinstance(mine, ListVal) else tuple) or len(real) != len(mine.items):
            raise Disagreement(f"run gives {mine}, really {real!r}\n{where}")
        for a, b in zip(mine.items, real):
            compare_result(a, b, where)
        return
    if isinstance(mine, DictVal):
        if not isinstance(real, dict) or [k for k, _ in mine.items] != list(real):
            raise Disagreement(f"run gives {mine}, really {real!r}\n{where}")
        for key, value in mine.items:
            compare_result(value, real[key], where)
        return
    raise Disagreement(f"unexpected result {mine!r}\n{where}")


def verdict(op: str, mine, real, where: str) -> None:
    """``mine``: our run result or the ShapeError; ``real``: the real result or the exception."""
    real_rejects = isinstance(real, BaseException)
    if isinstance(mine, ShapeError):
        assert isinstance(mine, FeedShapeMismatch), mine
        if not real_rejects:
            raise Disagreement(f"FALSE POSITIVE ({mine.message})\n{where}")
        assert "Cannot feed value of shape" in str(real), f"TF raises something else: {real!r}\n{where}"
        VERDICTS[(op, "both reject")] += 1
        return
    if real_rejects:
        note("missed", op, str(real).splitlines()[0][:150], where)
        VERDICTS[(op, "missed")] += 1
        return
    compare_result(mine, real, where)
    VERDICTS[(op, "both accept")] += 1


@pytest.mark.parametrize("session_name", SESSIONS)
@examples(15)
@given(data=st.data())
def test_feeds_and_fetches(session_name, data):
    """Feeding one or two placeholders and fetching tensors (and an operation) in any structure."""
    draw = data.draw
    cases = [draw(placeholder_case()) for _ in range(draw(st.integers(1, 2), label="placeholders"))]
    run = draw(st.sampled_from(RUNS), label="run")
    operation_name = draw(st.sampled_from(OPERATIONS), label="operation")
    reduce = draw(st.booleans(), label="reduce")
    labels = ["y"] if run == "Tensor.eval" else ["op"] if run == "Operation.run" else \
        draw(st.lists(st.sampled_from(["y", "op", "p0"]), min_size=1, max_size=3), label="fetches")
    structure = fetch_structure(draw, labels) if run == "Session.run" else labels[0]

    # ours
    session = call(session_name)
    assert isinstance(session, ObjectVal)
    placeholders = [our_placeholder(declared) for declared, _, _ in cases]
    first = placeholders[0].shape
    y = fresh_tensor(first[:-1] if reduce and first else first, kind="tensor")
    operation = call(operation_name)
    leaves = {"y": y, "op": operation, "p0": placeholders[0]}
    feed = DictVal(tuple((p, our_fed(fed, as_list)) for p, (_, fed, as_list) in zip(placeholders, cases)))
    if run == "Session.run":
        mine = call(run, session, abstract_fetches(structure, leaves.get), feed_dict=feed)
    elif run == "Tensor.eval":
        mine = call(run, y, feed_dict=feed)
    else:
        mine = call(run, operation, feed_dict=feed)

    # real
    t, v1 = tf(), tf().compat.v1
    graph = t.Graph()
    with graph.as_default():
        real_placeholders = [v1.placeholder(t.float32, declared) for declared, _, _ in cases]
        p = real_placeholders[0]
        real_y = t.reduce_sum(p * 2.0, axis=-1) if reduce and cases[0][0] else p * 2.0
        variable = v1.Variable(1.0)
        real_op = real_operation(operation_name, [variable])
        getattr(real_op, "mark_used", lambda: None)()
        real_leaves = {"y": real_y, "op": real_op, "p0": p}
        feed_dict = {rp: np.zeros(fed, dtype="float32").tolist() if as_list else np.zeros(fed, dtype="float32")
                     for rp, (_, fed, as_list) in zip(real_placeholders, cases)}
        sess, close = real_session(session_name, graph)
        try:
            if run == "Session.run":
                real = sess.run(mapped(structure, real_leaves.get), feed_dict=feed_dict)
            elif run == "Tensor.eval":
                real = real_y.eval(feed_dict=feed_dict, session=sess)
            else:
                real = real_op.run(feed_dict=feed_dict, session=sess)
        except (ValueError, TypeError, t.errors.OpError) as error:
            real = error
        finally:
            close()
    verdict(run, mine, real, f"{session_name} {run} fetches={structure} reduce={reduce} feeds={cases}\n"
                             f"  ours={mine!r}\n  real={real!r}"[:1500])


@pytest.mark.parametrize("name", OPTIMIZERS)
@examples(4)
@given(data=st.data())
def test_training_ops(name, data):
    """``opt.minimize(loss)`` / ``opt.apply_gradients(...)``: an operation; run with the loss it gives
    ``[None, loss]``, and its feeds are checked like any other run's."""
    draw = data.draw
    declared, fed, as_list = draw(placeholder_case())
    method = draw(st.sampled_from(["minimize", "apply_gradients"]), label="method")

    optimizer = call(name, Const(0.1))
    placeholder = our_placeholder(declared)
    loss = fresh_tensor((), kind="tensor")
    train = call(f"Optimizer.{method}", optimizer, loss if method == "minimize" else UNKNOWN)
    session = call("tf.Session")
    mine = call("Session.run", session, ListVal((train, loss)),
                feed_dict=DictVal(((placeholder, our_fed(fed, as_list)),)))

    t, v1 = tf(), tf().compat.v1
    graph = t.Graph()
    with graph.as_default():
        p = v1.placeholder(t.float32, declared)
        w = v1.Variable(1.0)
        real_loss = t.reduce_sum(p * w)
        opt = real_optimizer(name)
        real_train = opt.minimize(real_loss) if method == "minimize" else \
            opt.apply_gradients(opt.compute_gradients(real_loss))
        init = v1.global_variables_initializer()
        with v1.Session(graph=graph) as sess:
            sess.run(init)
            value = np.zeros(fed, dtype="float32")
            try:
                real = sess.run([real_train, real_loss], feed_dict={p: value.tolist() if as_list else value})
            except (ValueError, TypeError, t.errors.OpError) as error:
                real = error
    verdict(f"{name}.{method}", mine, real, f"{name}.{method} feed {fed} to {declared}\n  ours={mine!r}\n"
                                            f"  real={real!r}"[:1500])
