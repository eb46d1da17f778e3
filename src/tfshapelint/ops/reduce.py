"""Reductions and contractions: ``reduce_*`` (with ``axis``/``keepdims`` and TF1's
``reduction_indices``/``keep_dims``), ``argmax``/``argmin``, ``moments``, ``tensordot``, ``einsum``.

Pure shape functions first (mirroring TensorFlow 2.x's ``ReductionShape``, ``ArgOpShape``, the
``tensordot`` Python wrapper and the ``Einsum`` op), then the registered adapters.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from ..domain.values import UNKNOWN, Const, TensorVal, TupleVal, Value
from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.shape import Shape
from .args import UNREAD, as_bool, as_int, as_str, axes_list, int_list, is_none, items_of, tensor_of
from .errors import InvalidArgument, OperandMismatch, RankMismatch
from .manip import merge_dim, normalize
from .losses import arg_reduced, reduced
from .math import broadcast_shapes
from .registry import Call, op

# -- reductions --------------------------------------------------------------------------------------


def reduce_shape(shape: Shape, axes: Optional[Sequence[int]], keepdims: bool = False, what: str = "reduce",
                 facts: Optional[dict] = None) -> Shape:
    """``tf.reduce_*``: ``axes`` None reduces every axis; each axis in range and named once."""
    facts = facts or {}
    if shape is None:
        return None
    rank = len(shape)
    if axes is None:
        return (1,) * rank if keepdims else ()
    seen: dict = {}
    for axis in axes:
        index = normalize(axis, rank, what, shape, facts)
        if index in seen:
            raise InvalidArgument(f"{what}: axes {list(axes)} name axis {index} twice ({seen[index]} and {axis})",
                                  **facts)
        seen[index] = axis
    if keepdims:
        return tuple(1 if i in seen else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in seen)


def arg_reduce_shape(shape: Shape, axis: int = 0, what: str = "argmax", facts: Optional[dict] = None) -> Shape:
    """``tf.argmax``/``argmin``: the axis (default 0) removed."""
    facts = facts or {}
    if shape is None:
        return None
    index = normalize(axis, len(shape), what, shape, facts)
    return tuple(d for i, d in enumerate(shape) if i != index)


# -- tensordot -------------------------------------------------------------------------------------


def tensordot_axes(a: Shape, b: Shape, axes, facts: Optional[dict] = None) -> Optional[tuple]:
    """The contracted axes ``(a_axes, b_axes)`` (non-negative) for an int or a pair ``axes``; None if
    they cannot be told (an unknown rank, a repeated axis)."""
    facts = facts or {}
    if isinstance(axes, int):
        if axes < 0:
            raise InvalidArgument(f"tensordot axes={axes}: it must be >= 0", **facts)
        for name, shape in (("a", a), ("b", b)):
            if shape is not None and axes > len(shape):
                raise InvalidArgument(f"tensordot axes={axes} is larger than the rank of `{name}` "
                                      f"({shapes.fmt(shape)})", **facts)
        if a is None or b is None:
            return None
        return list(range(len(a) - axes, len(a))), list(range(axes))
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, int) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, int) else list(b_axes)
    if len(a_axes) != len(b_axes):
        raise InvalidArgument(f"tensordot contracts {len(a_axes)} axes of `a` ({a_axes}) but {len(b_axes)} of `b` "
                              f"({b_axes})", **facts)
    if a is None or b is None:
        return None
    result = []
    for name, shape, chosen in (("a", a, a_axes), ("b", b, b_axes)):
        normal = [normalize(axis, len(shape), f"tensordot axes of `{name}`", shape, facts) for axis in chosen]
        if len(set(normal)) != len(normal):
            return None
        result.append(normal)
    return tuple(result)


def tensordot_shape(a: Shape, b: Shape, axes, facts: Optional[dict] = None) -> Shape:
    """``tf.tensordot``: contracted dims equal; the free dims of ``a`` then those of ``b``."""
    facts = facts or {}
    chosen = tensordot_axes(a, b, axes, facts)
    if chosen is None:
        return None
    a_axes, b_axes = chosen
    for i, j in zip(a_axes, b_axes):
        if dims.equal(a[i], b[j]) is False:
            raise OperandMismatch(
                f"tensordot contracts axis {i} of `a` ({shapes.fmt(a)}, size {dims.fmt(a[i])}) with axis {j} of "
                f"`b` ({shapes.fmt(b)}, size {dims.fmt(b[j])})", **facts)
    free_a = tuple(d for i, d in enumerate(a) if i not in a_axes)
    free_b = tuple(d for j, d in enumerate(b) if j not in b_axes)
    return free_a + free_b


# -- einsum ----------------------------------------------------------------------------------------

def parse_einsum(equation: str, n_inputs: int, facts: Optional[dict] = None) -> Optional[tuple]:
    """``(input_subscripts, output_subscript)``, each a list of labels with ``"..."`` for an ellipsis,
    read the way TensorFlow 2.x does (``_einsum_v2_parse_and_resolve_equation``): an ellipsis counts
    as one label, and an implicit output holds the labels used once, sorted, the ellipsis first.
    None when unsure (an input with two ellipses)."""
    facts = facts or {}
    resolved = equation.replace(" ", "")
    has_ellipsis = "..." in equation
    if has_ellipsis:
        if "0" in resolved:
            raise InvalidArgument(f"einsum equation {equation!r} contains the character 0", **facts)
        resolved = resolved.replace("...", "0")
    allowed = "a-zA-Z" + ("0" if has_ellipsis else "")
    match = re.match(rf"^([{allowed},]*)(->[{allowed}]*)?$", resolved)
    if not match:
        raise InvalidArgument(f"einsum equation {equation!r} is not of the form 'ab,bc->ac'", **facts)
    terms = match.group(1).split(",")
    if len(terms) != n_inputs:
        raise InvalidArgument(f"einsum equation {equation!r} has {len(terms)} input subscripts but {n_inputs} "
                              f"operands were given", **facts)
    if match.group(2) is None:
        counts: dict = {}
        for label in match.group(1):
            counts[label] = counts.get(label, 0) + 1
        output = "".join(label for label in sorted(counts) if label != "," and counts[label] == 1)
    else:
        output = match.group(2)[2:]
    if len(set(output)) != len(output):
        raise InvalidArgument(f"einsum output of {equation!r} names a label (or `...`) twice", **facts)
    for label in output:
        if label != "0" and label not in match.group(1):
            raise InvalidArgument(f"einsum output label {label} is not in the inputs of {equation!r}", **facts)
    if any(term.count("0") > 1 for term in terms):
        return None
    return [_labels(term) for term in terms], _labels(output)


def _labels(term: str) -> list:
    return ["..." if label == "0" else label for label in term]


def einsum_shape(equation: str, input_shapes: list, facts: Optional[dict] = None,
                 operands: Optional[list] = None) -> Shape:
    """``tf.einsum``: each label has one size (no broadcasting of labelled axes); the axes under
    ``...`` broadcast; an output without ``...`` needs them empty."""
    facts = facts or {}
    parsed = parse_einsum(equation, len(input_shapes), facts)
    if parsed is None:
        return None
    terms, out = parsed
    if len(terms) > 2 and any("..." in t for t in terms + [out]):
        return None  # TensorFlow splits 3+ operands into pairs (opt_einsum); ellipses there: unsure
    sizes: dict = {}
    where: dict = {}
    ellipses = []
    known = True
    for index, (term, shape) in enumerate(zip(terms, input_shapes)):
        if shape is None:
            known = False
            continue
        letters = [label for label in term if label != "..."]
        if "..." in term:
            if len(shape) < len(letters):
                raise RankMismatch(f"einsum subscripts {''.join(term)!r} of operand {index} need rank >= "
                                   f"{len(letters)}, got {shapes.fmt(shape)}", expected=len(letters),
                                   **_operand(facts, operands, index))
            start = term.index("...")
            width = len(shape) - len(letters)
            ellipses.append(tuple(shape[start:start + width]))
            axes = list(range(start)) + list(range(start + width, len(shape)))
        else:
            if len(shape) != len(letters):
                raise RankMismatch(f"einsum subscripts {''.join(term)!r} of operand {index} need rank "
                                   f"{len(letters)}, got {shapes.fmt(shape)}", expected=len(letters),
                                   **_operand(facts, operands, index))
            axes = list(range(len(shape)))
        for label, axis in zip(letters, axes):
            size = shape[axis]
            if label in sizes and dims.equal(sizes[label], size) is False:
                first_index, first_axis = where[label]
                raise OperandMismatch(
                    f"einsum label {label} has size {dims.fmt(sizes[label])} in operand {first_index} "
                    f"({shapes.fmt(input_shapes[first_index])}, axis {first_axis}) but {dims.fmt(size)} in operand "
                    f"{index} ({shapes.fmt(shape)}, axis {axis})",
                    **_pair(facts, operands, first_index, index))
            if label not in sizes:
                where[label] = (index, axis)
            sizes[label] = merge_dim(sizes.get(label), size)
    batch: Shape = ()
    for part in ellipses:
        merged, clash = broadcast_shapes(batch, part)
        if clash is not None:
            raise OperandMismatch(f"einsum: the axes under `...` do not broadcast: {shapes.fmt(batch)} and "
                                  f"{shapes.fmt(part)}", **facts)
        batch = merged
    if "..." not in out and any(len(part) for part in ellipses):
        raise InvalidArgument(f"einsum {equation!r}: the inputs have axes under `...` but the output has no `...`",
                              **facts)
    if not known:
        return None
    result: list = []
    for label in out:
        if label == "...":
            if batch is None:
                return None
            result.extend(batch)
        else:
            result.append(sizes.get(label))
    return tuple(result)


def _operand(facts: dict, operands: Optional[list], index: int) -> dict:
    result = dict(facts)
    if operands is not None and isinstance(operands[index], TensorVal):
        result["tensor"] = operands[index]
    return result


def _pair(facts: dict, operands: Optional[list], i: int, j: int) -> dict:
    result = dict(facts)
    if operands is not None:
        if isinstance(operands[i], TensorVal):
            result["a"] = result["tensor"] = operands[i]
        if isinstance(operands[j], TensorVal):
            result["b"] = operands[j]
    return result


# -- registered APIs ---------------------------------------------------------------------------------

_REDUCTIONS = ("sum", "mean", "max", "min", "prod", "any", "all", "logsumexp", "std", "variance",
               "euclidean_norm")

# TF1 and TF2 have tf.reduce_* for the first eight; std/variance/euclidean_norm are tf.math only.
REDUCE_NAMES = tuple(f"tf.math.reduce_{kind}" for kind in _REDUCTIONS) + tuple(
    f"tf.reduce_{kind}" for kind in _REDUCTIONS[:8]) + ("tf.count_nonzero", "tf.math.count_nonzero")


@op(*REDUCE_NAMES)
def reduce(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input_tensor", "input"))
    if x is None:
        return UNKNOWN
    name = call.name.split(".")[-1]
    facts = {"tensor": x}
    if len(call.args) > 4:  # TF1's reduction_indices / keep_dims given by position
        return x.derive(None, name)
    value = call.arg(1, "axis", default=Const(None))
    legacy = call.kwargs.get("reduction_indices", Const(None))
    if not is_none(value) and not is_none(legacy):
        raise InvalidArgument(f"{name}: both `axis` and `reduction_indices` are given", **facts)
    if is_none(value):
        value = legacy
    axes = axes_list(value)
    if axes is UNREAD:
        return x.derive(None, name)
    keep = call.arg(2, "keepdims", "keep_dims", default=Const(False))
    keepdims = as_bool(keep, default=False)
    if keepdims is None:
        return x.derive(None, name)
    out = reduce_shape(x.shape, axes, keepdims, name, facts)
    return reduced(x, x.derive(out, name + (f" axis {axes[0] if len(axes) == 1 else axes}" if axes else "")
                               + (" keepdims" if keepdims else "")), name, call)  # silent [N,1]-[N] broadcast


@op("tf.argmax", "tf.math.argmax", "tf.argmin", "tf.math.argmin")
def arg_reduce(call: Call) -> Value:
    x = tensor_of(call.arg(0, "input"))
    if x is None:
        return UNKNOWN
    name = call.name.split(".")[-1]
    axis_value = call.arg(1, "axis", default=Const(None))
    dimension = call.kwargs.get("dimension", Const(None))
    if not is_none(axis_value) and not is_none(dimension):
        raise InvalidArgument(f"{name}: both `axis` and `dimension` are given", tensor=x)
    value = dimension if is_none(axis_value) else axis_value
    axis = 0 if is_none(value) else as_int(value)
    if axis is None:
        return x.derive(None, name)
    result = x.derive(arg_reduce_shape(x.shape, axis, name, {"tensor": x}), f"{name} axis {axis}")
    return arg_reduced(x, axis, result, call)  # an axis of size 1: always 0


@op("tf.nn.moments")
def moments(call: Call) -> Value:
    x = tensor_of(call.arg(0, "x"))
    if x is None:
        return UNKNOWN
    axes = int_list(call.arg(1, "axes"))
    # position 3 is TF2's keepdims but TF1's name
    keep = call.arg(None, "keepdims", "keep_dims", default=Const(False))
    keepdims = as_bool(keep, default=False)
    if axes is UNREAD or keepdims is None or len(call.args) > 3:
        unknown = x.derive(None, "moments")
        return TupleVal((unknown, unknown))
    axes = [axes] if isinstance(axes, int) else axes
    out = reduce_shape(x.shape, axes, keepdims, "moments", {"tensor": x})
    return TupleVal((x.derive(out, "moments mean"), x.derive(out, "moments variance")))


@op("tf.tensordot", "tf.linalg.tensordot")
def tensordot(call: Call) -> Value:
    a = tensor_of(call.arg(0, "a"))
    b = tensor_of(call.arg(1, "b"))
    if a is None or b is None:
        return UNKNOWN
    axes = _read_axes(call.arg(2, "axes"))
    if axes is None:
        return a.derive(None, "tensordot")
    out = tensordot_shape(a.shape, b.shape, axes, {"tensor": a, "a": a, "b": b})
    return a.derive(out, "tensordot" + (f" `{b.label}`" if b.label else ""))


def _read_axes(value: Value):
    """An int, or a pair of ints / int lists; None when unknown."""
    number = as_int(value)
    if number is not None:
        return number
    pair = items_of(value)
    if pair is None or len(pair) != 2:
        return None
    sides = [int_list(side) for side in pair]
    if any(side is UNREAD for side in sides):
        return None
    return tuple(sides)


@op("tf.einsum", "tf.linalg.einsum")
def einsum(call: Call) -> Value:
    equation = as_str(call.arg(0, "equation"))
    inputs = call.args[1:]
    if len(inputs) == 1 and items_of(inputs[0]) is not None and not isinstance(inputs[0], TensorVal):
        # einsum(eq, [a, b]) is taken as a list of operands by TF only via *inputs; stay silent
        return UNKNOWN
    operands = [tensor_of(v) for v in inputs]
    first = next((t for t in operands if t is not None), None)
    if equation is None or first is None or not operands:
        return UNKNOWN if first is None else first.derive(None, "einsum")
    input_shapes = [t.shape if t is not None else None for t in operands]
    out = einsum_shape(equation, input_shapes, {"tensor": first}, operands)
    return first.derive(out, f"einsum {equation.replace(' ', '')}")
