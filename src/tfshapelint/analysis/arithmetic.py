"""Arithmetic of Python numbers: constants computed as Python computes them, symbolic sizes in the
dim algebra, and numbers of unknown value (NumberVal) whose result is a number of unknown value."""

from __future__ import annotations

import operator
import re
from typing import Any, Optional

from ..domain.values import UNKNOWN, Const, NumberVal, SymInt, Value, int_value, number_kind
from ..shapes import dims

MAX_SEQUENCE = 10_000  # longer strings are not computed
LARGEST_INT = 10**30  # larger integers are unknown (as results of arithmetic are)
_WIDE_FORMAT = re.compile(r"%[^%a-zA-Z]*[0-9]{5}")  # a %-format width or precision of 10000 or more


def number_operation(name: str, fn, left: Value, right: Value) -> Value:
    """``left <op> right`` for numbers (``name`` as in ``operator.<name>``, ``fn`` the operator);
    UNKNOWN when they are not both numbers."""
    if isinstance(left, Const) and isinstance(right, Const):
        result = const_operation(name, fn, left.value, right.value)
        if result is not UNKNOWN:
            return result
    a, b = int_value(left), int_value(right)
    if a is not None and b is not None:
        result = symbolic_operation(name, a, b)
        if result is not UNKNOWN:
            return result
    return _unknown_number(name, number_kind(left), number_kind(right))


def classic_division(left: Value, right: Value) -> Optional[tuple]:
    """What Python 2's ``/`` is for these operands (a module without ``from __future__ import
    division``): floor division of two ints, true division when a float is involved, as
    ``(name, operator)``; None when the kinds are not known (the result is then unknown)."""
    kinds = {number_kind(left), number_kind(right)}
    if kinds == {"int"}:
        return "floordiv", operator.floordiv
    if "float" in kinds and None not in kinds:
        return "truediv", operator.truediv
    return None


def _unknown_number(name: str, kind_a, kind_b) -> Value:
    """The kind of ``a <op> b`` for numbers of kinds ``kind_a``, ``kind_b`` ("int", "float", "number")."""
    if kind_a is None or kind_b is None or name == "matmul":
        return UNKNOWN
    if name == "truediv":
        return NumberVal("float")
    if name == "pow":
        return NumberVal("number")  # 2 ** -1 is a float, (-8.0) ** 0.5 a complex
    if "float" in (kind_a, kind_b):
        return NumberVal("float")
    return NumberVal("int" if kind_a == kind_b == "int" else "number")


def negated(value: Value) -> Value:
    """``-value`` (``+value`` likewise) of a number of unknown value."""
    return NumberVal(value.kind) if isinstance(value, NumberVal) else UNKNOWN


def const_operation(name: str, fn, a: Any, b: Any) -> Value:
    """``a <op> b`` of two Python constants, as Python computes it; UNKNOWN where Python raises
    (that is not a shape finding) or where the result would be too large to keep."""
    if fn is None:
        return UNKNOWN
    if name == "pow" and isinstance(b, (int, float)) and abs(b) > 64:
        return UNKNOWN
    if name == "multiply" and isinstance(a, (str, bytes, int)) and isinstance(b, (str, bytes, int)):
        if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
            length = len(a) * b if isinstance(a, (str, bytes)) else len(b) * a
            if length > MAX_SEQUENCE:
                return UNKNOWN
    if name == "add" and isinstance(a, (str, bytes)) and isinstance(b, (str, bytes)) and len(a) + len(b) > MAX_SEQUENCE:
        return UNKNOWN  # s = s + s in a loop
    if name == "mod" and isinstance(a, (str, bytes)) and _WIDE_FORMAT.search(a if isinstance(a, str) else a.decode("latin-1")):
        return UNKNOWN  # "%999999999s" % x: a gigabyte
    try:
        result = fn(a, b)
    except Exception:  # noqa: BLE001 - the program would raise; that is not a shape finding
        return UNKNOWN
    if isinstance(result, int) and abs(result) > LARGEST_INT:
        return UNKNOWN
    return Const(result)


def symbolic_operation(name: str, a, b) -> Value:
    """``a <op> b`` of two int dims (at least one symbolic) in the dim algebra."""
    if name == "add":
        result = dims.add(a, b)
    elif name == "subtract":
        result = dims.sub(a, b)
    elif name == "multiply":
        result = dims.mul(a, b)
    elif name == "floordiv" and isinstance(b, int) and b > 0:
        result = dims.floor_div(a, b)
    else:
        return UNKNOWN
    if isinstance(result, int):
        return Const(result)
    return SymInt(result) if result is not None else UNKNOWN
