"""Reductions and contractions (ops/reduce.py) vs TensorFlow: ``reduce_*`` with every form of
``axis``/``keepdims`` (and TF1's ``reduction_indices``/``keep_dims`` through ``tf.compat.v1``),
``argmax``/``argmin``, ``moments``, ``tensordot`` with int and paired axes, and ``einsum`` with
random equations (repeated labels, implicit outputs, ellipses that broadcast or not, 1-3 operands).

Each case goes through the registered adapter, and TensorFlow runs the same call (see
manip_support.py for the oracle: eager on concrete shapes, traced on symbolic/unknown ones).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.ops.reduce import REDUCE_NAMES

from .harness import Instance, examples, tf
from .manip_support import check, size_one_confirmed

pytestmark = pytest.mark.tf

COVERED = {
    **{name: "reduce" for name in REDUCE_NAMES},
    **{name: "arg_reduce" for name in ("tf.argmax", "tf.math.argmax", "tf.argmin", "tf.math.argmin")},
    "tf.nn.moments": "reduce",
    "tf.tensordot": "tensordot",
    "tf.linalg.tensordot": "tensordot",
    "tf.einsum": "einsum",
    "tf.linalg.einsum": "einsum",
}

positive = st.integers(1, 4)


def shapes(min_rank=0, max_rank=4, elements=positive):
    return st.lists(elements, min_size=min_rank, max_size=max_rank).map(tuple)


@st.composite
def axes_arg(draw, rank: int):
    """None, an int, or a list/tuple of ints (sometimes repeated or out of range)."""
    form = draw(st.sampled_from(["none", "int", "list", "list", "tuple", "empty"]))
    one = st.integers(-rank - 1, rank)
    if form == "none":
        return None
    if form == "int":
        return draw(one)
    if form == "empty":
        return []
    values = draw(st.lists(one, min_size=1, max_size=3))
    return tuple(values) if form == "tuple" else values


@examples(750)
@given(data=st.data())
def test_reduce(data):
    draw = data.draw
    name = draw(st.sampled_from(sorted(REDUCE_NAMES)))
    shape = draw(shapes())
    axis = draw(axes_arg(len(shape)))
    keep = draw(st.sampled_from([None, False, True, "absent"]))
    tf1 = draw(st.booleans()) and not name.startswith("tf.math.") or name == "tf.count_nonzero"
    kwargs = {}
    if tf1:
        style = draw(st.sampled_from(["axis", "reduction_indices", "both"]))
        if axis is not None:
            if style in ("axis", "both"):
                kwargs["axis"] = axis
            if style in ("reduction_indices", "both"):
                kwargs["reduction_indices"] = axis
        if keep != "absent":
            kwargs[draw(st.sampled_from(["keepdims", "keep_dims"]))] = keep
        oracle_name = "tf.compat.v1." + name[3:]
    else:
        if axis is not None or draw(st.booleans()):
            kwargs["axis"] = axis
        if keep != "absent":
            kwargs["keepdims"] = keep
        oracle_name = name
    positional = not tf1 and draw(st.booleans())
    boolean = name.endswith(("_any", "_all"))
    dtype = tf().bool if boolean else None

    def make(ts):
        if positional:
            args = [ts[0], kwargs.get("axis")] + ([kwargs["keepdims"]] if "keepdims" in kwargs else [])
            return args, {}
        return [ts[0]], dict(kwargs)

    check(name, Instance(data), [(shape, (0,), dtype)], make, oracle_name=oracle_name,
          describe=f"{oracle_name} {kwargs} positional={positional}")


@examples(450)
@given(data=st.data())
def test_arg_reduce(data):
    draw = data.draw
    name = draw(st.sampled_from(["tf.argmax", "tf.math.argmax", "tf.argmin", "tf.math.argmin"]))
    shape = draw(shapes())
    axis = draw(st.one_of(st.none(), st.integers(-len(shape) - 1, len(shape))))
    form = draw(st.sampled_from(["positional", "keyword", "absent", "dimension"]))
    if form == "dimension":
        kwargs = {"dimension": axis}
        oracle_name = "tf.compat.v1." + name.split(".")[-1]
        make = lambda ts: ([ts[0]], kwargs)  # noqa: E731
    elif form == "absent":
        kwargs, oracle_name = {}, name
        make = lambda ts: ([ts[0]], {})  # noqa: E731
    else:
        kwargs, oracle_name = {"axis": axis}, name
        make = (lambda ts: ([ts[0], axis], {})) if form == "positional" else (lambda ts: ([ts[0]], {"axis": axis}))
    check(name, Instance(data), [(shape, (0,), None)], make, oracle_name=oracle_name, describe=f"{form} {kwargs}",
          confirm=size_one_confirmed)


@examples(300)
@given(data=st.data())
def test_moments(data):
    draw = data.draw
    shape = draw(shapes(min_rank=1))
    axes = draw(st.lists(st.integers(-len(shape) - 1, len(shape)), min_size=1, max_size=3))
    keepdims = draw(st.booleans())
    check("tf.nn.moments", Instance(data), [(shape, (0,), None)],
          lambda ts: ([ts[0], axes], {"keepdims": keepdims}), describe=f"axes={axes} keepdims={keepdims}")


@st.composite
def tensordot_cases(draw):
    a = list(draw(shapes(max_rank=3)))
    b = list(draw(shapes(max_rank=3)))
    form = draw(st.sampled_from(["int", "pairs", "ints"]))
    if form == "int":
        n = draw(st.integers(0, min(len(a), len(b))))
        if draw(st.integers(0, 9)) == 0:
            n = draw(st.sampled_from([-1, len(a) + 1, max(len(a), len(b)) + 1]))
        for i in range(max(0, min(n, len(a), len(b)))):
            if draw(st.integers(0, 4)):
                b[i] = a[len(a) - n + i]
        return tuple(a), tuple(b), n
    k = draw(st.integers(0, min(len(a), len(b))))
    a_axes = draw(st.permutations(list(range(len(a)))))[:k]
    b_axes = draw(st.permutations(list(range(len(b)))))[:k]
    for i, j in zip(a_axes, b_axes):
        if draw(st.integers(0, 4)):
            b[j] = a[i]
    a_axes = [i - len(a) if draw(st.booleans()) else i for i in a_axes]
    fault = draw(st.sampled_from(["none"] * 8 + ["count", "range", "repeat"]))
    if fault == "count":
        b_axes = b_axes + [0]
    elif fault == "range" and a_axes:
        a_axes[0] = draw(st.sampled_from([len(a), -len(a) - 1]))
    elif fault == "repeat" and len(a_axes) >= 2:
        a_axes[1] = a_axes[0]
    if form == "ints" and len(a_axes) == 1 and len(b_axes) == 1:
        return tuple(a), tuple(b), [a_axes[0], b_axes[0]]
    return tuple(a), tuple(b), [a_axes, b_axes]


@examples(600)
@given(data=st.data())
def test_tensordot(data):
    a, b, axes = data.draw(tensordot_cases())
    name = data.draw(st.sampled_from(["tf.tensordot", "tf.linalg.tensordot"]))
    check(name, Instance(data), [(a, (0,), None), (b, (0,), None)], lambda ts: ([ts[0], ts[1], axes], {}),
          describe=f"axes={axes}")


@st.composite
def einsum_cases(draw):
    """A random equation and operand shapes: label sizes agree (or, sometimes, one differs)."""
    letters = "abcdeXY"
    n_inputs = draw(st.sampled_from([1, 2, 2, 2, 3]))
    size = {label: draw(positive) for label in letters}
    terms, operand_shapes = [], []
    batch = list(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    uses_ellipsis = n_inputs <= 2 and draw(st.integers(0, 3)) == 0
    for _ in range(n_inputs):
        labels = draw(st.lists(st.sampled_from(letters), min_size=0, max_size=3))
        shape = [size[label] for label in labels]
        term = "".join(labels)
        if uses_ellipsis and draw(st.booleans()):
            width = draw(st.integers(0, len(batch)))
            part = [d if draw(st.integers(0, 3)) else 1 for d in batch[len(batch) - width:]]
            at = draw(st.integers(0, len(labels)))
            term = term[:at] + "..." + term[at:]
            shape = shape[:at] + part + shape[at:]
        if shape and draw(st.integers(0, 7)) == 0:
            shape[draw(st.integers(0, len(shape) - 1))] = draw(positive)  # a size that disagrees
        if draw(st.integers(0, 11)) == 0:
            shape = shape[1:] if shape else [2]  # a rank that disagrees
        terms.append(term)
        operand_shapes.append(tuple(shape))
    equation = ",".join(terms)
    if draw(st.integers(0, 2)):
        used = sorted({c for t in terms for c in t if c != "."})
        out = "".join(draw(st.permutations(used))[:draw(st.integers(0, len(used)))])
        if uses_ellipsis and draw(st.integers(0, 3)):
            at = draw(st.integers(0, len(out)))
            out = out[:at] + "..." + out[at:]
        if draw(st.integers(0, 15)) == 0:
            out += draw(st.sampled_from(["Z", out[:1] or "Z"]))  # unknown or repeated output label
        equation += "->" + out
    if draw(st.integers(0, 7)) == 0:
        equation = equation.replace(",", " , ")
    return equation, operand_shapes


@examples(900)
@given(data=st.data())
def test_einsum(data):
    equation, operand_shapes = data.draw(einsum_cases())
    name = data.draw(st.sampled_from(["tf.einsum", "tf.linalg.einsum"]))
    check(name, Instance(data), [(s, (0,), None) for s in operand_shapes], lambda ts: ([equation, *ts], {}),
          describe=f"{equation!r} {operand_shapes}")
