"""Name bindings: one scope per module and per function activation."""

from __future__ import annotations

from typing import Optional

from ..domain.values import Value


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
