"""Name bindings: one scope per module and per function activation."""

from __future__ import annotations

from typing import Optional

from ..domain.values import UNKNOWN, Value, join


class Scope:
    """Variables of one module or function activation; reads fall back to the enclosing scope."""

    def __init__(self, parent: Optional["Scope"] = None, module: Optional[str] = None):
        self.parent = parent
        self.vars: dict[str, Value] = {}
        self.module = module if module is not None else (parent.module if parent is not None else None)

    def lookup(self, name: str) -> Optional[Value]:
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return None

    def snapshot(self) -> dict[str, Value]:
        return dict(self.vars)


def merge(states: list[dict[str, Value]]) -> dict[str, Value]:
    """Join the variables of several control-flow paths; a name bound on one path only is unknown."""
    if not states:
        return {}
    if len(states) == 1:
        return dict(states[0])
    first, others = states[0], states[1:]
    merged: dict[str, Value] = {}
    for name in set().union(*states):
        result = first.get(name)
        for state in others:
            value = state.get(name)
            if result is None or value is None:
                result = UNKNOWN
                break
            if value is not result:  # most names keep the very same value on every path
                result = join(result, value)
        merged[name] = UNKNOWN if result is None else result
    return merged
