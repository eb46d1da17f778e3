"""The Python builtins the interpreter evaluates (``range``, ``len``, ``int``, ...)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..shapes import dims
from ..domain.values import (
    UNKNOWN,
    Const,
    DictVal,
    ListVal,
    ShapeVal,
    SymInt,
    TensorVal,
    TupleVal,
    Value,
    int_value,
)

MAX_RANGE = 10_000


@dataclass(frozen=True, eq=False)
class Builtin(Value):
    name: str
    fn: Callable[[Any, list, dict], Value]


@dataclass(frozen=True, eq=False)
class RangeVal(Value):
    start: int
    stop: int
    step: int

    def items(self) -> Optional[tuple]:
        values = range(self.start, self.stop, self.step)
        if _length(values) > MAX_RANGE:
            return None
        return tuple(Const(v) for v in values)


def _length(values: range) -> int:
    """``len(values)``, which raises OverflowError past sys.maxsize (``range(10**30)``)."""
    try:
        return len(values)
    except OverflowError:
        return sys.maxsize + 1  # more than any bound


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
        return UNKNOWN
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
        length = _length(range(value.start, value.stop, value.step))
        return Const(length) if length <= sys.maxsize else UNKNOWN
    if isinstance(value, TensorVal) and value.shape:
        dim = value.shape[0]
        if isinstance(dim, int):
            return Const(dim)
        if isinstance(dim, dims.Expr):
            return SymInt(dim)
    return UNKNOWN


def _int(interp, args, kwargs) -> Value:
    if len(args) != 1 or kwargs:
        return UNKNOWN
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
    return UNKNOWN


def _float(interp, args, kwargs) -> Value:
    if len(args) == 1 and isinstance(args[0], Const) and isinstance(args[0].value, (int, float)):
        try:
            return Const(float(args[0].value))
        except OverflowError:
            return UNKNOWN
    return UNKNOWN


def _sequence(kind):
    def convert(interp, args, kwargs) -> Value:
        if not args:
            return kind(())
        if isinstance(args[0], ShapeVal):
            return kind(args[0].items)
        items = interp.iteration_items(args[0])
        return UNKNOWN if items is None else kind(items)

    return convert


def _extreme(pick):
    def compute(interp, args, kwargs) -> Value:
        if kwargs:
            return UNKNOWN
        values = args
        if len(args) == 1:
            values = interp.iteration_items(args[0]) or ()
        numbers = []
        for value in values:
            if isinstance(value, Const) and isinstance(value.value, (int, float)):
                numbers.append(value.value)
            else:
                return UNKNOWN
        return Const(pick(numbers)) if numbers else UNKNOWN

    return compute


def _sum(interp, args, kwargs) -> Value:
    if len(args) != 1 or kwargs:
        return UNKNOWN
    items = interp.iteration_items(args[0])
    if items is None:
        return UNKNOWN
    total = 0
    for item in items:
        dim = int_value(item)
        if dim is None:
            return UNKNOWN
        total = dims.add(total, dim)
    return Const(total) if isinstance(total, int) else SymInt(total)


def _abs(interp, args, kwargs) -> Value:
    if len(args) == 1 and isinstance(args[0], Const) and isinstance(args[0].value, (int, float)):
        return Const(abs(args[0].value))
    return UNKNOWN


def _round(interp, args, kwargs) -> Value:
    if len(args) == 1 and isinstance(args[0], Const) and isinstance(args[0].value, (int, float)):
        try:
            return Const(round(args[0].value))
        except (OverflowError, ValueError):  # round(inf), round(nan)
            return UNKNOWN
    return UNKNOWN


def _enumerate(interp, args, kwargs) -> Value:
    if len(args) != 1:
        return UNKNOWN
    items = interp.iteration_items(args[0])
    if items is None:
        return UNKNOWN
    return ListVal(tuple(TupleVal((Const(i), v)) for i, v in enumerate(items)))


def _zip(interp, args, kwargs) -> Value:
    columns = [interp.iteration_items(arg) for arg in args]
    if any(column is None for column in columns):
        return UNKNOWN
    return ListVal(tuple(TupleVal(row) for row in zip(*columns)))


def _reversed(interp, args, kwargs) -> Value:
    items = interp.iteration_items(args[0]) if len(args) == 1 else None
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
    "list": _sequence(ListVal),
    "tuple": _sequence(TupleVal),
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


def builtin(name: str) -> Value:
    if name in _CONSTANTS:
        return Const(_CONSTANTS[name])
    fn = _BUILTINS.get(name)
    if fn is not None:
        return Builtin(name, fn)
    return UNKNOWN
