"""Step budgets: one for each top-level statement, each loop and each call, under a cap for the file.

Every evaluation step counts against the tightest budget in force (``interp.limit``). A statement,
loop or call that runs out of its own steps is abandoned: what it may have bound becomes unknown
(the names it assigns, the attributes and op state it wrote), the file gets one TSL903 at it, and
the analysis goes on after it. Running out of an enclosing budget too passes the exception on to
that budget; running out of the file's cap, the safety net, ends the file's analysis.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable

from ..domain.sequences import SequenceSummary
from ..domain.values import UNKNOWN, DictVal, ListVal

FILE_STEPS = 400_000  # the whole file, the functions analysed alone included
STATEMENT_STEPS = 200_000  # one statement of the module (``main()`` may run the whole program)
LOOP_STEPS = 100_000  # one loop, all its iterations (the largest loop of the corpora takes 89 000)
CALL_STEPS = 150_000  # one call of a function of the program (below a statement's: a call of `main()` is cut first)


class BudgetExceeded(Exception):
    """The analysis used more steps than a budget allows."""


@dataclass
class Stopped:
    """A statement, loop or call whose analysis was abandoned, for its TSL903."""

    node: Any  # the statement or function, or None when it is not in the analysed file
    kind: str  # "statement", "loop" or "function"
    steps: int

    def message(self) -> str:
        if self.kind == "function":
            name = getattr(self.node, "name", "<lambda>")
            return (f"analysis budget exceeded: analysis of a call of `{name}` stopped after {self.steps} steps; "
                    "its result and what it changes may be unknown")
        return (f"analysis budget exceeded: analysis of this {self.kind} stopped after {self.steps} steps; "
                "shapes after it may be unknown")


def within(interp, node, kind: str, allowance: int, run: Callable[[], Any]) -> bool:
    """Run ``run()`` on at most ``allowance`` more steps; False when it ran out of them (then
    abandoned, its writes and, for a statement or loop, the names it binds made unknown)."""
    outer = interp.limit
    start = interp.steps
    interp.limit = min(outer, start + allowance)
    pushed = not interp.journals  # writes are journaled from here, to be made unknown if it is abandoned
    if pushed:
        interp.journals.append([])
    scope, frame, depth, mark = interp.scope, interp.frame, len(interp.journals), len(interp.journals[-1])
    frames, exits, uncertain, context = len(interp.frames), len(frame.loop_exits), interp.uncertain, len(interp.context)
    try:
        run()
    except BudgetExceeded:
        interp.limit = outer
        if interp.steps > outer:
            raise  # an enclosing budget is spent as well: it stops
        journal = interp.journals[depth - 1]
        for left in interp.journals[depth:]:  # paths cut short: their undo entries, for the paths around
            journal.extend(left)
        del interp.journals[depth:]
        del interp.frames[frames:]
        del frame.loop_exits[exits:]
        del interp.context[context:]
        interp.scope, interp.uncertain = scope, uncertain
        for table, name in {(id(table), name): (table, name) for table, name, _ in journal[mark:]}.values():
            interp.write(table, name, UNKNOWN)
        if kind != "function":
            forget(interp, node)
        interp.stopped.append(Stopped(node if interp.is_own(scope.module) else None, kind, interp.steps - start))
        if pushed:
            interp.journals.clear()
        return False
    interp.limit = outer
    if pushed:
        interp.journals.clear()
    return True


def forget(interp, stmt: ast.stmt, state=None) -> None:
    """After an abandoned statement: every name it may bind is unknown, and so is every object entry
    that ``state`` (analysis.state) wrote; its path goes on."""
    if state is not None:
        for table, name, _ in state.entries.values():
            interp.write(table, name, UNKNOWN)
    values = interp.scope.vars
    for name in rebound_names(stmt, values):
        values[name] = UNKNOWN
    frame = interp.frame
    frame.dead = False
    if any(isinstance(node, ast.Return) for node in _own_nodes(stmt)):
        frame.returns.append(UNKNOWN)  # the iterations not analysed may return anything


def bound_names(stmt: ast.AST) -> set:
    """The names a statement binds or deletes in its own scope (not in functions or classes nested in it)."""
    names = set()
    for node in _own_nodes(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name is not None:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest is not None:
            names.add(node.rest)
    return names


def rebound_names(stmt: ast.AST, values: dict) -> set:
    """The names ``stmt`` binds, and those of ``values`` holding a list or dict that a method call
    (``xs.append(x)``) or an item assignment in it rebinds to a new value (``tf.zeros(...)`` rebinds nothing)."""
    return bound_names(stmt) | {name for name in _mutated_names(stmt)
                                if isinstance(values.get(name), (ListVal, DictVal, SequenceSummary))}


def _mutated_names(stmt: ast.AST) -> set:
    """Names that a method call (``xs.append(x)``) or an item assignment (``d[k] = v``) may rebind."""
    names = set()
    for node in _own_nodes(stmt):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
        elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
            target = node.value
        else:
            continue
        while isinstance(target, ast.Subscript):
            target = target.value
        if isinstance(target, ast.Name):
            names.add(target.id)
    return names


def _own_nodes(stmt: ast.AST):
    """The nodes of ``stmt`` that run in its scope: a nested function's or class's name, not its body."""
    pending = [stmt]
    while pending:
        node = pending.pop()
        yield node
        if node is not stmt and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(getattr(node, "decorator_list", ()))
            continue
        pending.extend(ast.iter_child_nodes(node))
