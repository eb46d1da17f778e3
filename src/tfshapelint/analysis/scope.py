"""Name bindings: one scope per module and per function activation."""

from __future__ import annotations

from typing import Optional

from .values import UNKNOWN, Value, join


class Scope:
    """Variables of one module or function activation; reads fall back to the enclosing scope."""

    def __init__(self, parent: Optional["Scope"] = None):
        self.parent = parent
        self.vars: dict[str, Value] = {}

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
    merged: dict[str, Value] = {}
    names = set().union(*states)
    for name in names:
        values = [state.get(name) for state in states]
        if any(value is None for value in values):
            merged[name] = UNKNOWN
            continue
        result = values[0]
        for value in values[1:]:
            result = join(result, value)
        merged[name] = result
    return merged
