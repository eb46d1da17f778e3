"""Python's builtin functions as values (``len``, ``int``...): the interpreter runs them, shape
functions recognize them as arguments (``dtype=float``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .values import Value


@dataclass(frozen=True, eq=False)
class Builtin(Value):
    name: str
    fn: Callable[[Any, list, dict], Value]


def is_builtin(value: Value, *names: str) -> bool:
    """Whether ``value`` is one of the builtins ``names``."""
    return isinstance(value, Builtin) and value.name in names
