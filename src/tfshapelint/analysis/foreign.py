"""Calls from the analysed file into another module of the project, and the errors found there.

A function or class imported from ``model.py`` runs with the arguments this file passes; an error
it meets belongs to this file only when this file's values cause it: it is reported at the call in
this file (the outermost call into the other module), naming where in the other module TensorFlow
fails. An error the other module gets anyway (when linted itself) is left to that module's report,
so no finding is reported twice.
"""

from __future__ import annotations

import os
from typing import Any, Optional

FOREIGN = "_tfshapelint_module"  # set by the project loader on each syntax node of a dependency


def module_of(node: Any) -> Optional[str]:
    """The path of the project module ``node`` belongs to, when it is not the linted file's own."""
    return getattr(node, FOREIGN, None)


class CallsOut:
    """Tracks the call site through which the analysis entered another module's code."""

    def __init__(self, interpreter):
        self.interpreter = interpreter
        self.site: Any = None  # the call being made (set by every call expression)
        self.anchor: Any = None  # the call in this file through which other modules' code runs now

    def enter(self, function_node: Any) -> bool:
        """Called when a function starts: True when this call leaves the analysed file."""
        if self.anchor is not None or self.interpreter.loader is None:
            return False
        owner = module_of(function_node)
        if owner is None or owner == self.interpreter.path:
            return False
        self.anchor = self.site
        return True

    def leave(self, entered: bool) -> None:
        if entered:
            self.anchor = None

    def keep(self, error) -> bool:
        """Whether ``error`` is this file's; a foreign one is re-anchored at the call that caused it."""
        owner = module_of(error.node)
        if owner is None or owner == self.interpreter.path:
            return True
        if self.anchor is None:
            return False  # met while another module ran by itself: that module reports it
        if (type(error), id(error.node)) in self.interpreter.loader.own_errors(owner):
            return False
        error.facts["call_site"] = self.anchor
        error.facts["foreign_line"] = (owner, getattr(error.node, "lineno", None))
        return True


def foreign_suffix(error, linted_path: str) -> str:
    """`` (in model.py, line 12)``: where, in the other module, the call fails."""
    owner, line = error.facts.get("foreign_line", (None, None))
    if owner is None:
        return ""
    shown = os.path.relpath(owner, os.path.dirname(os.path.abspath(linted_path)))
    return f" (in {shown}, line {line}, called here)"
