"""Loss ops (ops/losses.py) vs TensorFlow's static shape inference: hypothesis draws logits and
labels that fit, are class ids, one-hot, a column of ids, or random; the registered adapter must
give TF's loss shape, or raise where TF raises. The documented silent bug (a column of class ids
given to the one-hot softmax loss, which TF broadcasts) must be confirmed by TF accepting it.

``tf.nn.*`` ops and TF1's ``tf.losses.*`` are traced as ``tf.function``s on ``TensorSpec``s; the
Keras cross-entropies run eagerly on zeros, in ``tf.keras`` and, when installed, in ``tf_keras``
(Keras 2): we only report what both reject.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import ObjectVal
from tfshapelint.ops.errors import LossLabelMismatch, ShapeError

from tfshapelint.ops import registry

from .harness import (Instance, Rejected, call_op, differential, eager, examples, in_graph, ours, result_shape, tf,
                      traced)

pytestmark = pytest.mark.tf

NN_LOSSES = {
    "tf.nn.softmax_cross_entropy_with_logits": "softmax",
    "tf.nn.softmax_cross_entropy_with_logits_v2": "softmax",
    "tf.nn.sparse_softmax_cross_entropy_with_logits": "sparse",
    "tf.nn.sigmoid_cross_entropy_with_logits": "sigmoid",
    "tf.nn.weighted_cross_entropy_with_logits": "sigmoid",
}
V1_LOSSES = {
    "tf.losses.softmax_cross_entropy": ("onehot_labels", "logits"),
    "tf.losses.sigmoid_cross_entropy": ("multi_class_labels", "logits"),
    "tf.losses.sparse_softmax_cross_entropy": ("labels", "logits"),
    "tf.losses.absolute_difference": ("labels", "predictions"),
    "tf.losses.hinge_loss": ("labels", "logits"),
    "tf.losses.huber_loss": ("labels", "predictions"),
    "tf.losses.log_loss": ("labels", "predictions"),
    "tf.losses.mean_pairwise_squared_error": ("labels", "predictions"),
    "tf.losses.cosine_distance": ("labels", "predictions"),
    "tf.losses.mean_squared_error": ("labels", "predictions"),
}
KERAS_FUNCTIONS = ("categorical_crossentropy", "sparse_categorical_crossentropy")
KERAS_CLASSES = {"CategoricalCrossentropy": "categorical_crossentropy",
                 "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy"}

COVERED = {
    **{name: "nn_loss" for name in NN_LOSSES},
    **{name: "v1_loss" for name in V1_LOSSES},
    # keras.losses and tf_keras.losses are aliases of these (ops/aliases.py)
    **{f"tf.keras.losses.{name}": "keras_loss" for name in (*KERAS_FUNCTIONS, *KERAS_CLASSES)},
    "KerasLoss.__call__": "keras_loss",
    "tf.nn.l2_loss": "l2_loss",
    "Tensor.set_shape": "set_shape",
}

dim = st.integers(1, 5)


@st.composite
def case(draw, kind: str):
    """(labels shape, logits shape): a fitting pair, class ids, one-hot, an id column, or random."""
    batch = draw(st.lists(dim, min_size=0 if kind == "sigmoid" else 1, max_size=2))
    classes = draw(dim)
    logits = tuple(batch) + (classes,)
    form = draw(st.sampled_from(["fit", "fit", "ids", "onehot", "column", "random", "prior"]))
    if form == "ids":
        labels = tuple(batch)
    elif form == "onehot":
        labels = logits
    elif form == "column":
        labels = tuple(batch) + (1,)
    elif form == "prior":
        labels = (classes,)
    elif form == "random":
        labels = tuple(draw(st.lists(dim, min_size=1, max_size=3)))
    else:
        labels = tuple(batch) if kind == "sparse" else logits
    return labels, logits


def silent_column(error, tf_result) -> bool:
    """The documented silent bug: TF accepts an [N, 1] id column against [N, C] logits."""
    return isinstance(error, LossLabelMismatch) and error.facts.get("silent") and isinstance(tf_result, tuple)


def ids_silent_when_batch_fits(error, tf_result) -> bool:
    """Class ids [N] against [N, C] logits: TF raises unless N is 1 or C (then it broadcasts, wrongly)."""
    return isinstance(error, LossLabelMismatch) and "class ids" in error.message and isinstance(tf_result, tuple)


@examples(300)
@given(data=st.data())
def test_nn_losses(data):
    draw = data.draw
    name = draw(st.sampled_from(sorted(NN_LOSSES)))
    kind = NN_LOSSES[name]
    labels, logits = draw(case(kind))
    inst = Instance(data)
    ours_labels, tf_labels = inst.tensor(labels)
    ours_logits, tf_logits = inst.tensor(logits)
    extra = {"pos_weight": 2.0} if name.endswith("weighted_cross_entropy_with_logits") else {}
    mine = result_shape(call_op(name, labels=ours_labels, logits=ours_logits, **extra))
    fn = getattr(tf().nn, name.split(".")[-1], None) or getattr(tf().compat.v1.nn, name.split(".")[-1])
    label_dtype = tf().int32 if kind == "sparse" else None

    def tf_side(concrete: bool):
        # The softmax wrapper flattens both operands with a computed shape, so TF's static inference
        # forgets sizes that are partly unknown and only the kernel reports the clash of two known
        # sizes: for it, the concrete instance (what runs) is the oracle on both sides.
        partial = concrete or kind == "softmax"
        shapes = (labels, logits) if partial else (tf_labels, tf_logits)
        return traced(lambda a, b: fn(labels=a, logits=b, **extra), (shapes[0], label_dtype), (shapes[1], None))

    differential(name, mine, tf_side, inst, describe=f"labels {labels} logits {logits}",
                 confirm=lambda e, r: silent_column(e, r) or ids_silent_when_batch_fits(e, r))


@examples(200)
@given(data=st.data())
def test_v1_losses(data):
    draw = data.draw
    name = draw(st.sampled_from(sorted(V1_LOSSES)))
    labels_kw, input_kw = V1_LOSSES[name]
    kind = "sparse" if "sparse" in name else "sigmoid"
    labels, logits = draw(case(kind))
    if name.endswith("cosine_distance"):
        extra = {"axis": len(logits) - 1}
    else:
        extra = {}
    mine = result_shape(call_op(name, **{labels_kw: _tensor(labels), input_kw: _tensor(logits)}, **extra))
    fn = getattr(tf().compat.v1.losses, name.split(".")[-1])
    label_dtype = tf().int32 if kind == "sparse" else None

    def tf_side(concrete: bool):
        return traced(lambda a, b: fn(**{labels_kw: a, input_kw: b}, **extra), (labels, label_dtype), (logits, None))

    differential(name, mine, tf_side, describe=f"labels {labels} input {logits}")


def _tensor(shape):
    from tfshapelint.domain.values import fresh_tensor

    return fresh_tensor(tuple(shape))


def _keras_modules():
    modules = [tf().keras]
    try:
        import tf_keras

        modules.append(tf_keras)
    except ImportError:
        pass
    return modules


@examples(120)
@given(data=st.data())
def test_keras_cross_entropies(data):
    draw = data.draw
    function = draw(st.sampled_from(KERAS_FUNCTIONS))
    as_class = draw(st.booleans())
    labels, logits = draw(case("sparse" if function.startswith("sparse") else "softmax"))
    if as_class:
        class_name = next(c for c, f in KERAS_CLASSES.items() if f == function)
        loss = call_op(f"tf.keras.losses.{class_name}")
        assert isinstance(loss, ObjectVal)
        adapter = registry.lookup("KerasLoss.__call__")
        call = registry.Call(name="KerasLoss.__call__", args=[loss, _tensor(labels), _tensor(logits)], kwargs={})
        mine = result_shape(ours(adapter, call))
    else:
        mine = result_shape(call_op(f"tf.keras.losses.{function}", _tensor(labels), _tensor(logits)))
    t = tf()
    label_values = t.zeros(labels, dtype=t.int32) if function.startswith("sparse") else t.zeros(labels)
    results = []
    for keras in _keras_modules():
        fn = getattr(keras.losses, class_name)() if as_class else getattr(keras.losses, function)
        results.append(eager(lambda: fn(label_values, t.nn.softmax(t.zeros(logits)))))
    rejected = [r for r in results if isinstance(r, Rejected)]
    accepted = [r for r in results if not isinstance(r, Rejected)]
    where = f"{function} class={as_class} labels {labels} logits {logits}: ours {mine}, keras {results}"
    if isinstance(mine, LossLabelMismatch):
        assert not accepted, f"FALSE POSITIVE: a Keras accepts\n{where}"
    elif not rejected and mine is not None:
        for result in accepted:
            assert tuple(mine) == tuple(result), where


@examples(60)
@given(shape=st.lists(dim, max_size=4).map(tuple))
def test_l2_loss(shape):
    mine = result_shape(call_op("tf.nn.l2_loss", _tensor(shape)))
    differential("tf.nn.l2_loss", mine, lambda concrete: traced(tf().nn.l2_loss, (shape, None)))


def test_silent_column_runs_in_tensorflow():
    """The silent bug itself: TF computes a loss of the right shape from an [N, 1] id column."""
    t = tf()
    loss = t.nn.softmax_cross_entropy_with_logits(labels=t.constant([[3.0], [1.0]]), logits=t.zeros([2, 10]))
    assert tuple(loss.shape) == (2,)
    error = call_op("tf.nn.softmax_cross_entropy_with_logits", labels=_tensor((2, 1)), logits=_tensor((2, 10)))
    assert isinstance(error, LossLabelMismatch) and error.facts["silent"]


@examples(120)
@given(data=st.data())
def test_set_shape(data):
    """``set_shape`` in a TF1 graph: TF raises exactly when the shapes are incompatible."""
    draw = data.draw
    shape = draw(st.lists(dim, max_size=3).map(tuple))
    target = draw(st.one_of(st.just(shape), st.lists(st.one_of(st.none(), dim), max_size=4).map(tuple)))
    inst = Instance(data)
    mine_tensor, partial = inst.tensor(shape)
    adapter = registry.lookup("Tensor.set_shape")
    call = registry.Call(name="Tensor.set_shape", args=[mine_tensor, _abstract(target)], kwargs={})
    mine = ours(adapter, call)
    if not isinstance(mine, ShapeError):
        mine = _fits(shape, target)  # set_shape returns None; compare what the tensor then is

    def tf_side(concrete: bool):
        def build():
            x = tf().compat.v1.placeholder(tf().float32, shape if concrete else partial)
            x.set_shape(target)
            return x
        return in_graph(build)

    differential("Tensor.set_shape", mine, tf_side, inst, describe=f"{shape}.set_shape({target})")


def _abstract(target):
    from tfshapelint.domain.values import Const, ListVal

    return ListVal(tuple(Const(d) for d in target))


def _fits(shape, target):
    """What set_shape leaves: the merge of both (only compared when TF accepts)."""
    if len(shape) != len(target):
        return None
    return tuple(t if t is not None else s for s, t in zip(shape, target))
