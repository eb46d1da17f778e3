"""Sequences known by their length and one value standing for every element.

A comprehension over a thousand items (``[random.randint(0, 9) for _ in range(1000)]``), a
repetition (``[[0.0] * 4] * 1000``), a list grown by ``append`` in a loop, ``range(n)`` of a
symbolic ``n``: their items are never listed one by one. What shape functions need is the length
and what every element is like: the join of all the elements (so every element is at most as
precise as ``element``).

``length`` is an int, a symbolic size (an ``Expr``, >= 1 like every size) or None (unknown, maybe
0: an empty list has shape ``(0,)`` whatever its element would have been).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Optional

from ..shapes import dims
from ..shapes.dims import Dim
from ..shapes.shape import Shape
from .values import (
    UNKNOWN,
    BoundMethod,
    Const,
    DictVal,
    FunctionVal,
    InstanceVal,
    ListVal,
    NumberVal,
    ObjectVal,
    TensorVal,
    TupleVal,
    Value,
    join,
    key_value,
)

LIST, TUPLE, RANGE, GENERATOR = "list", "tuple", "range", "generator"
MAX_RANGE = 10_000  # longer ranges are not listed item by item
MAX_UNROLL = 256  # loops and comprehensions over more items are not expanded item by item
MAX_LISTED_STRING = 10_000  # the characters of longer strings are not joined


@dataclass(frozen=True, eq=False)
class RangeVal(Value):
    """``range(start, stop, step)`` of known ints."""

    start: int
    stop: int
    step: int

    def items(self) -> Optional[tuple]:
        values = range(self.start, self.stop, self.step)
        if range_length(values) > MAX_RANGE:
            return None
        return tuple(Const(v) for v in values)

    def length(self) -> int:
        return range_length(range(self.start, self.stop, self.step))


def range_length(values: range) -> int:
    """``len(values)``, which raises OverflowError past sys.maxsize (``range(10**30)``)."""
    try:
        return len(values)
    except OverflowError:
        return sys.maxsize + 1  # more than any bound


class _Nothing(Value):
    """The element of a list known to be empty: joins to whatever it meets."""

    __slots__ = ()

    def join_with(self, other: Value) -> Value:
        return other

    def __repr__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()


@dataclass(frozen=True, eq=False)
class SequenceSummary(Value):
    """A list, tuple, range or generator of ``length`` elements, each at most as precise as ``element``."""

    length: Dim
    element: Value
    kind: str = LIST  # LIST, TUPLE, RANGE (``range`` object) or GENERATOR (iterable once, no len)

    def join_with(self, other: Value) -> Optional[Value]:
        if isinstance(other, SequenceSummary) and other.kind == self.kind:
            return SequenceSummary(_joined_length(self.length, other.length),
                                   join(self.element, other.element), self.kind)
        if _literal_kind(other) == self.kind:
            return SequenceSummary(_joined_length(self.length, len(other.items)),
                                   join_all([self.element, *other.items]), self.kind)
        return None

    def appended(self, value: Value) -> "SequenceSummary":
        return SequenceSummary(dims.add(self.length, 1), join(self.element, value), self.kind)

    def extended(self, length: Dim, element: Value) -> "SequenceSummary":
        return SequenceSummary(dims.add(self.length, length), join(self.element, element), self.kind)

    def as_kind(self, kind: str) -> "SequenceSummary":
        return SequenceSummary(self.length, self.element, kind)


def _joined_length(a: Dim, b: Dim) -> Dim:
    return a if dims.equal(a, b) is True else None


def _literal_kind(value: Value) -> Optional[str]:
    if type(value) is ListVal:
        return LIST
    if type(value) is TupleVal:  # not a ShapeVal: a TensorShape is not summarised
        return TUPLE
    return None


def join_all(values) -> Value:
    """The join of several values; NOTHING when there are none."""
    result: Value = NOTHING
    for value in values:
        result = join(result, value)
    return result


def has_identity(value: Value) -> bool:
    """Whether ``value`` holds an object whose identity matters (a layer, an instance with its
    attributes): evaluated once for many elements, it would stand for one object where the program
    makes many (``[Dense(16) for _ in range(n)]`` makes n layers, each built for its own input)."""
    if isinstance(value, (ObjectVal, InstanceVal, FunctionVal)):
        return True  # a function may close over objects its call made (a layer per call)
    if isinstance(value, BoundMethod):
        return has_identity(value.receiver)
    if isinstance(value, (TupleVal, ListVal)):
        return any(has_identity(item) for item in value.items)
    if isinstance(value, DictVal):
        return any(has_identity(item) for _, item in value.items)
    if isinstance(value, SequenceSummary):
        return has_identity(value.element)
    return False


def summarised(value: Optional[Value]) -> Optional[SequenceSummary]:
    """A list or tuple (literal or summary) as a summary; None for anything else."""
    if isinstance(value, SequenceSummary):
        return value
    kind = _literal_kind(value)
    if kind is None:
        return None
    return SequenceSummary(len(value.items), join_all(value.items), kind)


def summary_shape(summary: SequenceSummary, element_shape) -> Shape:
    """The shape NumPy gives ``np.asarray(summary)``, ``element_shape`` computing the element's.

    A generator is not an array-like (NumPy makes a 0-d object array of it). An unknown length may
    be 0, and an empty list has shape ``(0,)``: only elements of rank 0 then keep the rank certain.
    Elements whose shape has an unknown size may differ from each other (a ragged list): unknown.
    """
    if summary.kind == GENERATOR:
        return None
    if summary.length == 0:
        return (0,)
    inner = element_shape(summary.element)
    if inner is None or any(d is None for d in inner):
        return None
    if summary.length is None and inner:
        return None
    return (summary.length,) + tuple(inner)


# -- iteration ---------------------------------------------------------------------------------------


def iteration_items(value: Value) -> Optional[tuple]:
    """The items ``for x in value`` goes through, when each is known and there are few enough."""
    if isinstance(value, (TupleVal, ListVal)):
        return value.items
    if isinstance(value, DictVal):
        return tuple(key_value(k) for k, _ in value.items)
    if isinstance(value, Const) and isinstance(value.value, str) and len(value.value) <= MAX_UNROLL:
        return tuple(Const(ch) for ch in value.value)
    if isinstance(value, RangeVal):
        return value.items()
    if isinstance(value, SequenceSummary) and isinstance(value.length, int) and value.length <= MAX_UNROLL:
        return (value.element,) * value.length  # each item is like the element
    if isinstance(value, TensorVal) and value.kind == "ndarray" and value.shape and value.shape[0] == 0:
        return ()  # an empty array: a loop over it never runs
    return None


def length_and_element(value: Value) -> tuple:
    """``(length, element)`` of an iterable: how many items ``for`` goes through (None: unknown) and
    the join of them all (NOTHING when there is none, UNKNOWN when not known)."""
    if isinstance(value, SequenceSummary):
        return value.length, value.element
    if isinstance(value, RangeVal):
        length = value.length()
        if length <= 1:
            return length, join_all(value.items())
        return length, NumberVal("int")
    if isinstance(value, Const) and isinstance(value.value, str):
        if len(value.value) > MAX_LISTED_STRING:
            return len(value.value), UNKNOWN
        return len(value.value), join_all(Const(ch) for ch in set(value.value))
    if isinstance(value, TensorVal) and value.kind == "ndarray" and value.shape:
        return value.shape[0], value.derive(tuple(value.shape[1:]), "row", kind="ndarray")  # an array's rows
    items = iteration_items(value)
    if items is not None:
        return len(items), join_all(items)
    return None, UNKNOWN
