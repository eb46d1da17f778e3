"""The same steps without a finding: the reproducer of a call on a given line of a clean program.

``tfshapelint repro PATH:LINE`` on a line without a finding prints the steps TensorFlow takes to
compute the call there (it should run clean); the clean twin of a fixture replays, this way, the call
that fails in its bad twin. The file is analysed again by an interpreter that keeps the calls made on
that line (the linter itself keeps only failing calls).
"""

from __future__ import annotations

import ast
import os
from typing import Optional

from ..analysis.interpreter import BudgetExceeded, Interpreter
from ..analysis.runs import feed_bindings
from ..domain.values import ObjectVal, TensorVal
from . import build
from .program import KERAS


class _CallsOnLine(Interpreter):
    """An interpreter that also keeps every op call made (outside stand-alone analyses) on ``line``."""

    def __init__(self, *args, line: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.calls: list = []

    def invoke(self, fn, name, arguments, node=None, *more, **named):  # more, named: passed on as they are
        if getattr(node, "lineno", None) != self.line or self.alone_depth:
            return super().invoke(fn, name, arguments, node, *more, **named)
        made = []

        def keeping(call):
            if call.reporter == self.record:  # the walk's call, not a run's replay of it
                made.append(call)
            return fn(call)

        keeping.__module__ = getattr(fn, "__module__", None)  # where the op lives says what it makes
        result = super().invoke(keeping, name, arguments, node, *more, **named)
        # a tensor, a Keras model or layer (which raises as it is built), or a run's feeds: steps to replay
        if isinstance(result, TensorVal) or name in build.RUNS or \
                isinstance(result, ObjectVal) and name.startswith(KERAS):
            self.calls.extend(made)
        return result


def same_steps(source: str, path: str, line: int, column: Optional[int] = None, kind: Optional[str] = None,
               target_version: str = "tf2", loader=None) -> list:
    """Reproducers of the calls on ``line`` (the one at ``column``, 1-based, first), outermost first;
    ``kind``: the silent bug to assert against. Empty when none can be written."""
    from ..linter import parse
    from ..python2 import reading_of

    tree = parse(source, path)
    if not isinstance(tree, ast.Module):
        return []
    interpreter = _CallsOnLine(tree, target_version=target_version, source=source, loader=loader,
                               path=os.path.abspath(path) if loader is not None else None,
                               python2=reading_of(tree), line=line)
    try:
        interpreter.run()
    except (BudgetExceeded, RecursionError):
        pass
    bindings, sources = {}, {}
    for run in interpreter.runs:  # the sizes the program's runs feed
        bound = feed_bindings(run)
        if bound is not None:
            for symbol, size in bound[0].items():
                bindings.setdefault(symbol, size)
            for placeholder, shape in bound[1].items():
                sources.setdefault(placeholder, shape)
    ordered = sorted(interpreter.calls, key=lambda call: (
        column is None or call.node.col_offset != column - 1, call.node.col_offset, -call.node.end_col_offset))
    programs, seen = [], set()
    index = build.FileIndex(tree, source)
    for call in ordered:
        if id(call.node) in seen:
            continue
        program = build.write(call, index, path, kind, bindings, sources, ran=bool(bindings or sources))
        if program is not None:
            seen.add(id(call.node))
            programs.append(program)
    return programs
