"""Facts about the syntax tree that the interpreter asks once per node: is this function a
generator, can this loop's body leave it by ``break`` or ``continue``, which lists does it only
append to.

Both need a walk of the node's body. Most bodies cannot hold the answer at all, and the text says
so for free: when the source is known, only the lines holding the keyword are candidates, so a
walk happens only for a function or loop that spans one of those lines.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import Optional

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


class SyntaxFacts:
    def __init__(self, source: Optional[str] = None):
        self._yield_lines = _keyword_lines(source, ("yield",))
        self._exit_lines = _keyword_lines(source, ("break", "continue"))
        self._growing_lines = _keyword_lines(source, _GROWING_METHODS)
        self._lines = source.split("\n") if self._growing_lines else None  # kept only when a loop may need it
        self._cache: dict = {}

    def is_generator(self, function: ast.AST) -> bool:
        """A ``yield`` of this function's own (not of a function or lambda nested in it)."""
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False  # a lambda that yields is rare enough to analyse as it stands
        return self._fact(function, self._yield_lines, _own_yield)

    def loop_exits(self, loop: ast.AST) -> bool:
        """A ``break``/``continue`` of this loop, in its body (not in a nested loop, function or class)."""
        return self._fact(loop, self._exit_lines, _own_loop_exit)

    def appended_lists(self, loop: ast.AST) -> dict:
        """The names that a loop's body uses only as ``name.append(...)``/``name.extend(...)``
        statements, each mapped to whether the body appends to it exactly once per iteration (one
        ``append`` statement directly in the body of a ``for`` that has no ``break``/``continue``)."""
        key = ("appended", loop)
        known = self._cache.get(key)
        if known is None:
            once_allowed = isinstance(loop, (ast.For, ast.AsyncFor)) and not self.loop_exits(loop)
            known = _appended_lists(loop, once_allowed, self._lines) if _spans_any(loop, self._growing_lines) else {}
            self._cache[key] = known
        return known

    def _fact(self, node: ast.AST, lines: Optional[list], walk) -> bool:
        key = (walk, node)
        known = self._cache.get(key)
        if known is None:
            known = self._cache[key] = _spans_any(node, lines) and walk(node)
        return known


def _keyword_lines(source: Optional[str], words: tuple) -> Optional[list]:
    """The sorted 1-based numbers of the lines where one of ``words`` occurs as a word; None: any
    line may (no source to look at)."""
    if source is None or source.count("\r") != source.count("\r\n"):
        return None  # lone ``\r`` line breaks: counting ``\n`` would give wrong line numbers
    found = set()
    for word in words:  # str.find: a regular expression with \b took twenty times longer
        start = source.find(word)
        while start >= 0:
            end = start + len(word)
            if not _is_name_char(source, start - 1) and not _is_name_char(source, end):
                found.add(start)
            start = source.find(word, end)
    lines, line, position = [], 1, 0
    for start in sorted(found):
        line += source.count("\n", position, start)
        position = start
        lines.append(line)
    return lines


def _is_name_char(source: str, index: int) -> bool:
    return 0 <= index < len(source) and (source[index].isalnum() or source[index] == "_")


def _spans_any(node: ast.AST, lines: Optional[list]) -> bool:
    if lines is None:
        return True
    first = bisect.bisect_left(lines, node.lineno)
    return first < len(lines) and lines[first] <= (node.end_lineno or node.lineno)


def _own_yield(function: ast.AST) -> bool:
    return _contains(function.body, (ast.Yield, ast.YieldFrom), _FUNCTIONS)


def _own_loop_exit(loop: ast.AST) -> bool:
    return _contains(loop.body, (ast.Break, ast.Continue), (*_LOOPS, *_FUNCTIONS, ast.ClassDef))


def _contains(roots: list, wanted: tuple, barriers: tuple) -> bool:
    """Whether a node of a ``wanted`` type occurs in ``roots``, not looking inside ``barriers``."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, wanted):
            return True
        if isinstance(node, barriers):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


_GROWING_METHODS = ("append", "extend")


def _growing_call(statement: ast.AST) -> Optional[tuple]:
    """``(name, method)`` of a statement ``name.append(x)``/``name.extend(x)``, else None."""
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return None
    call = statement.value
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _GROWING_METHODS and isinstance(func.value, ast.Name) \
            and len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred):
        return func.value.id, func.attr
    return None


def _appended_lists(loop: ast.AST, once_allowed: bool, lines: Optional[list]) -> dict:
    growing: dict = {}  # name -> [growing statements, of which ``append`` statements directly in the body]
    for statement, direct in _own_statements(loop.body):
        found = _growing_call(statement)
        if found is not None:
            counts = growing.setdefault(found[0], [0, 0])
            counts[0] += 1
            counts[1] += found[1] == "append" and direct
    if not growing:
        return {}
    mentions = _name_mentions(loop) if lines is None else _word_mentions(loop, lines, growing)
    return {name: once_allowed and statements == 1 and direct == 1
            for name, (statements, direct) in growing.items() if mentions.get(name, 0) == statements}


def _word_mentions(loop: ast.AST, lines: list, names) -> dict:
    """How many times each of ``names`` occurs as a word in the text of the loop's body (comments and
    strings too: never fewer than its mentions, which is what matters), plus the loop's target."""
    text = "\n".join(lines[loop.body[0].lineno - 1:loop.body[-1].end_lineno])
    counts = {name: len(re.findall(rf"(?<![\w.]){re.escape(name)}(?!\w)", text)) for name in names}
    for node in ast.walk(getattr(loop, "target", ast.Pass())):
        if isinstance(node, ast.Name) and node.id in counts:
            counts[node.id] += _NEVER
    return counts


_STATEMENT_LISTS = ("body", "orelse", "finalbody")


def _own_statements(body: list, direct: bool = True):
    """``(statement, directly in body)`` for every statement of ``body`` and of the blocks nested in
    it (if, loops, with, try, match), not inside nested functions and classes."""
    for statement in body:
        yield statement, direct
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            continue
        for field in _STATEMENT_LISTS:
            yield from _own_statements(getattr(statement, field, None) or [], False)
        for part in getattr(statement, "handlers", None) or getattr(statement, "cases", None) or []:
            yield from _own_statements(part.body, False)


def _name_mentions(loop: ast.AST) -> dict:
    """How many times each name occurs in the loop's body; a name the loop assigns (its target) or
    that a nested function or class mentions counts more than any growing statement could."""
    counts: dict = {}
    for node in _own_nodes(loop.body):
        if isinstance(node, ast.Name):
            counts[node.id] = counts.get(node.id, 0) + 1
        elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name):
                    counts[inner.id] = counts.get(inner.id, 0) + _NEVER
    for node in ast.walk(getattr(loop, "target", ast.Pass())):
        if isinstance(node, ast.Name):
            counts[node.id] = counts.get(node.id, 0) + _NEVER
    return counts


_NEVER = 1 << 30  # a count no number of growing statements reaches


def _own_nodes(roots: list):
    """Every node under ``roots``, not looking inside nested functions and classes (which are yielded)."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
