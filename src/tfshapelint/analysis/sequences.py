"""Python sequences in the interpreter: comprehensions, ``+`` and ``*`` of lists, indexing,
iteration and list methods.

Lists whose items are all known are ListVal/TupleVal. Longer ones, and those built from iterables
whose items are not known, are summaries (SequenceSummary: a length and one element standing for
every item): a comprehension over a thousand items, ``[0.0] * 784 * 1000``, ``range(n)`` of a
symbolic ``n``. A short comprehension over known items is expanded item by item (its items stay
exact); any other is summarised, its element evaluated once with the loop variables bound to what
every item of the iterables is like.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..domain.sequences import (
    GENERATOR,
    LIST,
    MAX_UNROLL,
    NOTHING,
    RANGE,
    TUPLE,
    SequenceSummary,
    has_identity,
    iteration_items,
    join_all,
    length_and_element,
    summarised,
)
from ..domain.values import (
    UNKNOWN,
    Const,
    DictVal,
    ListVal,
    NumberVal,
    SliceVal,
    SymInt,
    TupleVal,
    Value,
    dict_key,
    int_value,
    join,
    key_value,
)
from ..shapes import dims
from ..shapes.dims import Dim
from .scope import Scope

MAX_SEQUENCE = 10_000  # longer lists are summarised, not listed

CONTAINERS = (ListVal, DictVal, SequenceSummary)  # values whose methods (``append``...) the interpreter runs
CONTAINER_NAMES = frozenset(kind.__name__ for kind in CONTAINERS)


# -- iteration ---------------------------------------------------------------------------------------


def loop_items(value: Value) -> tuple:
    """``(length, element)`` of what ``for x in value`` goes through, the element UNKNOWN when there is none."""
    length, element = length_and_element(value)
    return length, UNKNOWN if element is NOTHING else element


# -- comprehensions ----------------------------------------------------------------------------------


def comprehension(interp, node, kind: str) -> Value:
    """A list comprehension (``kind`` LIST) or generator expression (GENERATOR): its items when
    they can be listed, else a summary. A generator expression's listed items are a tuple."""
    if any(clause.is_async for clause in node.generators):
        return UNKNOWN
    outer = interp.scope
    interp.scope = Scope(parent=outer)
    try:
        first = interp.eval(node.generators[0].iter)  # evaluated once: it may make fresh symbols
        results: list = []
        if _expand(interp, node.generators, node.elt, results, first):
            return ListVal(tuple(results)) if kind == LIST else TupleVal(tuple(results))
        return _summary(interp, node, kind, first)
    finally:
        interp.scope = outer


def _expand(interp, clauses: list, element, results: list, iterable: Value) -> bool:
    clause = clauses[0]
    items = iteration_items(iterable)
    if items is None or len(items) > MAX_UNROLL:
        return False
    for item in items:
        interp.assign(clause.target, item)
        keep = True
        for condition in clause.ifs:
            truth = interp.truth(interp.eval(condition))
            if truth is None:
                return False
            keep = keep and truth
        if not keep:
            continue
        if len(clauses) > 1:
            if not _expand(interp, clauses[1:], element, results, interp.eval(clauses[1].iter)):
                return False
        else:
            results.append(interp.eval(element))
            if len(results) > MAX_SEQUENCE:
                return False
    return True


def _summary(interp, node, kind: str, first: Value) -> Value:
    """The length is the product of the iterables' lengths (unknown when a condition may filter
    items out); the element is evaluated once, every loop variable bound to its iterable's element."""
    length: Dim = 1
    for index, clause in enumerate(node.generators):
        count, element = length_and_element(first if index == 0 else interp.eval(clause.iter))
        if count == 0:
            return ListVal(()) if kind == LIST else TupleVal(())  # the element is never computed
        interp.assign(clause.target, UNKNOWN if element is NOTHING else element)
        for condition in clause.ifs:
            if interp.truth(interp.eval(condition)) is not True:
                count = None
        length = dims.mul(length, count)
    element = interp.eval(node.elt)
    return SequenceSummary(length, UNKNOWN if has_identity(element) else element, kind)


# -- operators -----------------------------------------------------------------------------------------


def sequence_operation(name: str, left: Value, right: Value) -> Optional[Value]:
    """``a + b`` and ``a * n`` of lists and tuples; None when it is not such an operation."""
    if name == "add":
        return _concatenated(left, right)
    if name == "multiply":
        repeated = _repeated(left, right)
        return repeated if repeated is not None else _repeated(right, left)
    return None


def _concatenated(left: Value, right: Value) -> Optional[Value]:
    if type(left) is type(right) and isinstance(left, (TupleVal, ListVal)):
        if len(left.items) + len(right.items) <= MAX_SEQUENCE:
            return type(left)(left.items + right.items)
    a, b = summarised(left), summarised(right)
    if a is None or b is None or a.kind != b.kind or a.kind not in (LIST, TUPLE):
        return None
    return a.extended(b.length, b.element)


def _repeated(sequence: Value, count: Value) -> Optional[Value]:
    """``sequence * count`` for an int count: listed when short, else summarised."""
    times = _repeat_count(count)
    if times is _NOT_AN_INT:
        return None
    if isinstance(sequence, (TupleVal, ListVal)) and isinstance(times, int) and \
            len(sequence.items) * max(times, 0) <= MAX_SEQUENCE:
        return type(sequence)(sequence.items * times)
    summary = summarised(sequence)
    if summary is None or summary.kind not in (LIST, TUPLE):
        return None
    if summary.length == 0 or (isinstance(times, int) and times <= 0):
        return ListVal(()) if summary.kind == LIST else TupleVal(())
    return SequenceSummary(dims.mul(summary.length, times), summary.element, summary.kind)


_NOT_AN_INT = object()


def _repeat_count(count: Value):
    """An int count as a dim (None when its value is unknown); _NOT_AN_INT when it may not be an int."""
    if isinstance(count, Const) and isinstance(count.value, int):
        return int(count.value)
    if isinstance(count, SymInt):
        return count.dim
    if isinstance(count, NumberVal) and count.kind == "int":
        return None  # maybe 0 or negative: an unknown length
    return _NOT_AN_INT


# -- indexing ----------------------------------------------------------------------------------------


def index_sequence(base: Value, key: Value) -> Value:
    """``base[key]`` of a list, tuple or summary."""
    if isinstance(base, SequenceSummary):
        return _index_summary(base, key)
    items = base.items
    if isinstance(key, Const) and isinstance(key.value, int) and not isinstance(key.value, bool):
        if -len(items) <= key.value < len(items):
            return items[key.value]
        return UNKNOWN
    if isinstance(key, SliceVal):
        parts = _slice_parts(key)
        if parts is None or parts[2] == 0:
            return UNKNOWN
        return type(base)(items[slice(*parts)])
    if _is_unknown_int(key) and items:
        return join_all(items)  # one of them (or an IndexError)
    return UNKNOWN


def with_item(container: Value, key: Value, value: Value) -> Value:
    """The list ``container`` after ``container[key] = value``: an item replaced, or, at an index
    whose value is not known, any item may be the new value (UNKNOWN for anything else)."""
    if isinstance(container, ListVal) and isinstance(key, Const) and isinstance(key.value, int):
        items = list(container.items)
        if -len(items) <= key.value < len(items):
            items[key.value] = value
            return ListVal(tuple(items))
        return UNKNOWN  # IndexError
    if not _is_unknown_int(key):
        return UNKNOWN
    if isinstance(container, ListVal):
        return ListVal(tuple(join(item, value) for item in container.items))
    if isinstance(container, SequenceSummary) and container.kind == LIST:
        return SequenceSummary(container.length, join(container.element, value), LIST)
    return UNKNOWN


def _index_summary(base: SequenceSummary, key: Value) -> Value:
    if base.kind == GENERATOR:
        return UNKNOWN  # not subscriptable
    if isinstance(key, Const) and isinstance(key.value, int) and not isinstance(key.value, bool):
        if isinstance(base.length, int) and not -base.length <= key.value < base.length:
            return UNKNOWN
        return _element(base)
    if _is_unknown_int(key):
        return _element(base)
    if isinstance(key, SliceVal):
        parts = _slice_parts(key)
        if parts is None or parts[2] == 0:
            return UNKNOWN
        length = len(range(base.length)[slice(*parts)]) if isinstance(base.length, int) else None
        if parts == [None, None, None] or parts == [None, None, 1]:
            length = base.length
        return SequenceSummary(length, base.element, base.kind)
    return UNKNOWN


def _element(summary: SequenceSummary) -> Value:
    return UNKNOWN if summary.element is NOTHING else summary.element


def _is_unknown_int(key: Value) -> bool:
    return isinstance(key, SymInt) or (isinstance(key, NumberVal) and key.kind == "int")


def _slice_parts(key: SliceVal) -> Optional[list]:
    parts = []
    for part in (key.start, key.stop, key.step):
        if not isinstance(part, Const) or not (part.value is None or isinstance(part.value, int)):
            return None
        parts.append(part.value)
    return parts


# -- list and dict methods ---------------------------------------------------------------------------


def container_method(interp, method, args: list, node) -> Value:
    """``lst.append(x)`` and friends: rebind the receiver's name to the new value."""
    receiver = method.receiver
    target = node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else None
    if isinstance(receiver, DictVal):
        return _dict_method(interp, receiver, method.name, args, target)
    if isinstance(receiver, ListVal):
        new, result = _list_method(receiver, method.name, args)
    elif isinstance(receiver, SequenceSummary) and receiver.kind == LIST:
        new, result = _summary_method(receiver, method.name, args)
    else:
        return UNKNOWN
    if target is not None and new is not None:
        interp.rebind(target, new)
    return result


_INT_RESULTS = ("index", "count")


def _list_method(receiver: ListVal, name: str, args: list) -> tuple:
    """``(new value of the list or None when unchanged, result of the call)``."""
    if name == "append" and len(args) == 1:
        return ListVal(receiver.items + (args[0],)), Const(None)
    if name == "extend" and len(args) == 1:
        items = iteration_items(args[0])
        if items is not None and len(receiver.items) + len(items) <= MAX_SEQUENCE:
            return ListVal(receiver.items + tuple(items)), Const(None)
        return _summary_method(summarised(receiver), name, args)
    if name == "copy":
        return None, ListVal(receiver.items)
    if name in _INT_RESULTS:
        return None, NumberVal("int")
    return UNKNOWN, UNKNOWN


def _summary_method(receiver: SequenceSummary, name: str, args: list) -> tuple:
    if name == "append" and len(args) == 1:
        return receiver.appended(args[0]), Const(None)
    if name == "extend" and len(args) == 1:
        length, element = length_and_element(args[0])
        return receiver.extended(length, element), Const(None)
    if name == "insert" and len(args) == 2:
        return receiver.appended(args[1]), Const(None)
    if name in ("sort", "reverse"):
        return None, Const(None)  # the same items, in another order
    if name == "copy":
        return None, receiver
    if name in _INT_RESULTS:
        return None, NumberVal("int")
    return UNKNOWN, UNKNOWN


def _dict_method(interp, receiver: DictVal, name: str, args: list, target) -> Value:
    if name == "get" and args and dict_key(args[0]) is not None:
        return receiver.get(dict_key(args[0]), args[1] if len(args) > 1 else Const(None))
    if name == "keys":
        return ListVal(tuple(key_value(k) for k, _ in receiver.items))
    if name == "values":
        return ListVal(tuple(v for _, v in receiver.items))
    if name == "items":
        return ListVal(tuple(TupleVal((key_value(k), v)) for k, v in receiver.items))
    if name == "copy":
        return receiver
    if target is not None:
        interp.rebind(target, UNKNOWN)
    return UNKNOWN


# -- conversions used by the builtins ------------------------------------------------------------------


def sequence_length(value: Value) -> Optional[Value]:
    """``len(value)`` of a summary as a value (None when ``value`` is not one)."""
    if not isinstance(value, SequenceSummary) or value.kind == GENERATOR:
        return None
    length = value.length
    if isinstance(length, int):
        return Const(length)
    return SymInt(length) if length is not None else NumberVal("int")


def as_summary(value: Value, kind: str) -> Optional[SequenceSummary]:
    """``list(value)``/``tuple(value)`` of an iterable whose items are not listed."""
    length, element = length_and_element(value)
    if element is UNKNOWN and length is None:
        return None
    return SequenceSummary(length, element, kind)


def range_summary(args: list) -> Optional[SequenceSummary]:
    """``range(...)`` of ints whose values are not all known: ``range(n)`` of a size has ``n`` items,
    any other an unknown number."""
    if not 1 <= len(args) <= 3 or not all(_is_int(arg) for arg in args):
        return None
    length = int_value(args[0]) if len(args) == 1 and isinstance(args[0], SymInt) else None
    return SequenceSummary(length, NumberVal("int"), RANGE)


def _is_int(value: Value) -> bool:
    return _is_unknown_int(value) or (isinstance(value, Const) and type(value.value) is int)

