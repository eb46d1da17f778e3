"""Calls from the analysed file into another module of the project, and the errors found there.

A function or class imported from ``model.py`` runs with the arguments this file passes; an error
it meets belongs to this file only when this file's values cause it: it is reported at the call in
this file (the outermost call into the other module), naming where in the other module TensorFlow
fails. An error the other module gets anyway (when linted itself) is left to that module's report,
so no finding is reported twice. A function knows its module through the scope it closes over.
"""

from __future__ import annotations

import ast
import os
from typing import Any, Optional


class CallsOut:
    """Tracks which module's code runs, and the call in this file through which another's began."""

    def __init__(self, interpreter):
        self.interpreter = interpreter
        self.site: Any = None  # the call being made (set by every call expression)
        self.anchor: Any = None  # the call in this file through which other modules' code runs now
        self.modules: list = []  # the module of each function being run, innermost last
        self.uncertain_at_anchor = 0  # the interpreter's path uncertainty when the call left this file

    def not_followed(self, fn) -> bool:
        """Another module's function called from code analysed without its callers (inputs unknown):
        not followed, it would cost much and tell little."""
        if self.interpreter.loader is None or not self.interpreter.alone_depth:
            return False
        return self._is_foreign(fn.closure.module if fn.closure is not None else None)

    def enter(self, fn) -> bool:
        """Called when a function starts: True when its module was pushed (leave() must pop it)."""
        if self.interpreter.loader is None:
            return False
        module = fn.closure.module if fn.closure is not None else None
        self.modules.append(module)
        if self.anchor is None and self._is_foreign(module):
            self.anchor = self.site
            self.uncertain_at_anchor = self.interpreter.uncertain
        return True

    def leave(self, entered: bool) -> None:
        if not entered:
            return
        self.modules.pop()
        if self.anchor is not None and not any(self._is_foreign(m) for m in self.modules):
            self.anchor = None

    def current_module(self) -> Optional[str]:
        """The module whose code runs now, when it is not the analysed file."""
        if self.anchor is None or not self.modules:
            return None
        module = self.modules[-1]
        return module if self._is_foreign(module) else None

    def _is_foreign(self, module: Optional[str]) -> bool:
        """``module`` (of a function's closure) is another module of the project."""
        return module is not None and module != self.interpreter.path

    def keep(self, error) -> bool:
        """Whether ``error`` is this file's; a foreign one is re-anchored at the call that caused it. In
        another module's code, only errors on the path this file's values surely take are kept (its
        guards, ``if x.shape != y.shape: raise``, may be what the analysis cannot decide)."""
        owner = self.current_module()
        if owner is None:
            return True
        if self.interpreter.uncertain > self.uncertain_at_anchor:
            return False  # on a path of the other module that this file's values may not take
        if self.interpreter.loader.reports_itself(owner, error):
            return False
        error.facts["call_site"] = self.anchor
        error.facts["foreign_line"] = (owner, getattr(error.node, "lineno", None))
        return True


def foreign_suffix(error, linted_path: str) -> str:
    """`` (in model.py, line 12, called here)``: where, in the other module, the call fails."""
    owner, line = error.facts.get("foreign_line", (None, None))
    if owner is None:
        return ""
    shown = os.path.relpath(owner, os.path.dirname(os.path.abspath(linted_path)))
    return f" (in {shown}, line {line}, called here)"


class OwnNodes:
    """Which syntax nodes are the linted file's own (not a project module's), found on first need."""

    def __init__(self, tree: Optional[ast.AST]):
        self.tree = tree
        self._ids: Optional[set] = None

    def __contains__(self, node: Any) -> bool:
        if node is None:
            return True
        if self._ids is None:
            self._ids = {id(n) for n in ast.walk(self.tree)} if self.tree is not None else set()
        return id(node) in self._ids
