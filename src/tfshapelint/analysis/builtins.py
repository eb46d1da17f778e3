"""The Python builtins the interpreter evaluates (``range``, ``len``, ``int``, ...)."""

from __future__ import annotations

import sys
from typing import Optional

from ..domain.builtin_functions import Builtin
from ..domain.sequences import LIST, TUPLE, RangeVal, SequenceSummary
from ..domain.values import (
    UNKNOWN,
    Const,
    DictVal,
    ListVal,
    NumberVal,
    ShapeVal,
    SymInt,
    TensorVal,
    TupleVal,
    Value,
    int_value,
    number_kind,
)
from ..shapes import dims
from .sequences import as_summary, iteration_items, length_and_element, range_summary, sequence_length


def _ints(args: list) -> Optional[list[int]]:
    result = []
    for arg in args:
        if isinstance(arg, Const) and isinstance(arg.value, int) and not isinstance(arg.value, bool):
            result.append(arg.value)
        else:
            return None
    return result


def _range(interp, args, kwargs) -> Value:
    values = _ints(args)
    if values is None or kwargs or not 1 <= len(values) <= 3:
        summary = range_summary(args) if not kwargs else None
        return UNKNOWN if summary is None else summary
    if len(values) == 1:
        values = [0, values[0], 1]
    elif len(values) == 2:
        values.append(1)
    if values[2] == 0:
        return UNKNOWN
    return RangeVal(*values)


def _len(interp, args, kwargs) -> Value:
    if len(args) != 1:
        return UNKNOWN
    value = args[0]
    if isinstance(value, (TupleVal, ListVal, DictVal)):
        return Const(len(value.items))
    if isinstance(value, Const) and isinstance(value.value, (str, bytes)):
        return Const(len(value.value))
    if isinstance(value, RangeVal):
        length = value.length()
        return Const(length) if length <= sys.maxsize else NumberVal("int")
    summarised_length = sequence_length(value)
    if summarised_length is not None:
        return summarised_length
    if isinstance(value, TensorVal) and value.shape:
        dim = value.shape[0]
        if isinstance(dim, int):
            return Const(dim)
        if isinstance(dim, dims.Expr):
            return SymInt(dim)
    return NumberVal("int")  # whatever it is the length of


def _int(interp, args, kwargs) -> Value:
    """``int(x)``: computed for a constant; otherwise an int (or Python raises)."""
    if len(args) != 1 or kwargs:
        return NumberVal("int")
    value = args[0]
    if isinstance(value, Const) and isinstance(value.value, (int, float, bool)):
        try:
            return Const(int(value.value), value.origin)
        except (OverflowError, ValueError):
            return UNKNOWN
    if isinstance(value, Const) and isinstance(value.value, str):
        try:
            return Const(int(value.value))
        except ValueError:
            return UNKNOWN
    if isinstance(value, SymInt):
        return value
    return NumberVal("int")


def _float(interp, args, kwargs) -> Value:
    """``float(x)``: computed for a constant; otherwise a float (or Python raises)."""
    if len(args) == 1 and isinstance(args[0], Const) and isinstance(args[0].value, (int, float, str)):
        try:
            return Const(float(args[0].value))
        except (OverflowError, ValueError):
            return UNKNOWN
    return NumberVal("float")


def _sequence(kind, summary_kind: str):
    def convert(interp, args, kwargs) -> Value:
        if not args:
            return kind(())
        if isinstance(args[0], ShapeVal):
            return kind(args[0].items)
        items = iteration_items(args[0])
        if items is not None:
            return kind(items)
        summary = as_summary(args[0], summary_kind)
        return UNKNOWN if summary is None else summary

    return convert


def _extreme(pick):
    def compute(interp, args, kwargs) -> Value:
        if kwargs:
            return UNKNOWN
        values = args
        if len(args) == 1:
            values = iteration_items(args[0])
            if values is None:
                return _number_like(length_and_element(args[0])[1])
        numbers = []
        for value in values:
            if isinstance(value, Const) and isinstance(value.value, (int, float)):
                numbers.append(value.value)
            else:
                return _numbers_joined(values)
        return Const(pick(numbers)) if numbers else UNKNOWN

    return compute


def _number_like(value: Value) -> Value:
    """A number of unknown value of ``value``'s kind, when ``value`` is a number."""
    kind = number_kind(value)
    return UNKNOWN if kind is None else NumberVal(kind)


def _numbers_joined(values) -> Value:
    """One of ``values`` (``min``/``max``) or a sum of them, when they are all numbers: a number."""
    kinds = {number_kind(value) for value in values}
    if not kinds or None in kinds:
        return UNKNOWN
    return NumberVal(kinds.pop() if len(kinds) == 1 else "number")


def _sum(interp, args, kwargs) -> Value:
    if len(args) != 1 or kwargs:
        return UNKNOWN
    items = iteration_items(args[0])
    if items is None:
        return _number_like(length_and_element(args[0])[1])
    total = 0
    for item in items:
        dim = int_value(item)
        if dim is None:
            return _numbers_joined(items)
        total = dims.add(total, dim)
    return Const(total) if isinstance(total, int) else SymInt(total)


def _abs(interp, args, kwargs) -> Value:
    if len(args) == 1 and isinstance(args[0], Const) and isinstance(args[0].value, (int, float)):
        return Const(abs(args[0].value))
    return _number_like(args[0]) if len(args) == 1 else UNKNOWN


def _round(interp, args, kwargs) -> Value:
    if len(args) == 1 and isinstance(args[0], Const) and isinstance(args[0].value, (int, float)):
        try:
            return Const(round(args[0].value))
        except (OverflowError, ValueError):  # round(inf), round(nan)
            return UNKNOWN
    if args and number_kind(args[0]) is not None:
        return NumberVal("number")
    return UNKNOWN


def _enumerate(interp, args, kwargs) -> Value:
    if len(args) != 1:
        return UNKNOWN
    items = iteration_items(args[0])
    if items is None:
        summary = as_summary(args[0], LIST)
        if summary is None:
            return UNKNOWN
        return SequenceSummary(summary.length, TupleVal((NumberVal("int"), summary.element)), LIST)
    return ListVal(tuple(TupleVal((Const(i), v)) for i, v in enumerate(items)))


def _zip(interp, args, kwargs) -> Value:
    columns = [iteration_items(arg) for arg in args]
    if any(column is None for column in columns):
        return _zip_summary(args)
    return ListVal(tuple(TupleVal(row) for row in zip(*columns)))


def _zip_summary(args: list) -> Value:
    """``zip`` of iterables not all listed: as many rows as the shortest has items."""
    summaries = [as_summary(arg, LIST) for arg in args]
    if not summaries or any(summary is None for summary in summaries):
        return UNKNOWN
    lengths = [summary.length for summary in summaries]
    if 0 in lengths:
        return ListVal(())
    length = lengths[0] if all(dims.equal(lengths[0], other) is True for other in lengths) else None
    if length is None and all(isinstance(n, int) for n in lengths):
        length = min(lengths)
    return SequenceSummary(length, TupleVal(tuple(summary.element for summary in summaries)), LIST)


def _reversed(interp, args, kwargs) -> Value:
    items = iteration_items(args[0]) if len(args) == 1 else None
    if items is None and len(args) == 1 and isinstance(args[0], SequenceSummary):
        return args[0].as_kind(LIST)
    return UNKNOWN if items is None else ListVal(tuple(reversed(items)))


def _none(interp, args, kwargs) -> Value:
    return Const(None)


def _unknown(interp, args, kwargs) -> Value:
    return UNKNOWN


_BUILTINS = {
    "range": _range,
    "len": _len,
    "int": _int,
    "float": _float,
    "list": _sequence(ListVal, LIST),
    "tuple": _sequence(TupleVal, TUPLE),
    "min": _extreme(min),
    "max": _extreme(max),
    "sum": _sum,
    "abs": _abs,
    "round": _round,
    "enumerate": _enumerate,
    "zip": _zip,
    "reversed": _reversed,
    "print": _none,
}

_CONSTANTS = {"True": True, "False": False, "None": None}

# Python 2's names for builtins Python 3 renamed (a module read as Python 2 only).
_PYTHON2_NAMES = {"xrange": "range", "long": "int"}


def builtin(name: str, python2: bool = False) -> Value:
    if name in _CONSTANTS:
        return Const(_CONSTANTS[name])
    if python2:
        name = _PYTHON2_NAMES.get(name, name)
    fn = _BUILTINS.get(name)
    if fn is not None:
        return Builtin(name, fn)
    return UNKNOWN
