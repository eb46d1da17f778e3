"""Alternative control-flow paths: branches whose condition is unknown, ``match`` cases, ``try``.

Each path runs from the same state; the States they leave (analysis.state: the variables of the
current scope, the attributes and op state written on objects, journaled then undone between
paths) are joined, and the analysis goes on from the join. A path that may not be taken raises
the interpreter's uncertainty, which decides whether errors met in another module's code are this
file's (analysis.foreign).
"""

from __future__ import annotations

import ast
from typing import Optional

from ..domain.values import UNKNOWN, Const, TensorVal, Value
from .budget import rebound_names
from .state import ABSENT, State, join


def run_paths(interp, paths) -> None:
    """Run alternative control-flow paths from the same state and go on from the join of what they leave."""
    install(interp, explore(interp, paths))


def NOTHING() -> None:
    """The path that runs no statement (an ``if`` without ``else``, a loop run zero times)."""


def explore(interp, paths) -> State:
    """Run each path from the current state; the join of the states they leave, not installed: the
    variables and objects are again as before the first path."""
    return join(each_path(interp, paths, uncertain=len(paths) > 1))


def each_path(interp, paths, uncertain: bool) -> list[State]:
    """The state each path leaves, each run from the current state, which is restored after each.
    ``uncertain``: the paths may not be taken."""
    before = interp.scope.vars
    # NOTHING leaves the state as it was: no copy of the variables, no journal to record and undo
    states = [State(before) if path is NOTHING else _run_path(interp, before, path, uncertain) for path in paths]
    interp.scope.vars = before
    interp.frame.dead = False
    return states


def _run_path(interp, before: dict, path, alternatives: bool) -> State:
    """The state one path leaves; its writes to objects are undone once recorded in it."""
    interp.scope.vars = dict(before)
    interp.frame.dead = False
    interp.journals.append([])
    interp.uncertain += alternatives  # a path that may not be taken
    try:
        path()
    finally:
        interp.uncertain -= alternatives
    journal = interp.journals.pop()
    entries = {(id(table), name): (table, name, table.get(name, ABSENT)) for table, name, _ in journal}
    for table, name, old in reversed(journal):  # undo, so the next path starts from ``before``
        if old is ABSENT:
            table.pop(name, None)
        else:
            table[name] = old
    return State(interp.scope.vars, entries, interp.frame.dead)


def install(interp, state: State) -> None:
    """Go on from ``state``: its variables, its writes to objects (journaled), whether the path ended."""
    interp.frame.dead = state.dead
    if not state.dead:
        interp.scope.vars = state.vars
    for table, name, value in state.entries.values():
        interp.write(table, name, value)


def exec_if(interp, node: ast.If) -> None:
    truth = interp.truth(interp.eval(node.test))
    if truth is True:
        interp.exec_block(node.body)
        return
    if truth is False:
        interp.exec_block(node.orelse)
        return
    run_paths(interp, [lambda: interp.exec_block(node.body),
                       (lambda: interp.exec_block(node.orelse)) if node.orelse else NOTHING])


def exec_match(interp, node) -> None:
    """Each ``case`` that may be taken is a path (its captures unknown, its guard followed), and
    so is matching none, unless a case surely matches. A known subject decides value patterns
    (``case "dense":``) as a known condition decides an ``if``."""
    subject = interp.eval(node.subject)

    def case_path(case):
        def run():
            for name in _capture_names(case.pattern):
                interp.scope.vars[name] = UNKNOWN
            if isinstance(case.pattern, ast.MatchAs) and case.pattern.name is not None:
                name = case.pattern.name  # ``case x:``, ``case [...] as x:``: the subject itself
                interp.scope.vars[name] = subject.named(name) if isinstance(subject, TensorVal) else subject
            if case.guard is not None and interp.truth(interp.eval(case.guard)) is False:
                interp.frame.dead = True  # this case never runs: the path adds nothing
                return
            interp.exec_block(case.body)
        return run

    paths = []
    for case in node.cases:
        matches = pattern_matches(interp, case.pattern, subject)
        if matches is False:
            continue
        paths.append(case_path(case))
        if matches is True and case.guard is None:
            break  # later cases are never reached
    else:
        paths.append(NOTHING)  # no case matched
    run_paths(interp, paths)


def pattern_matches(interp, pattern, subject: Value) -> Optional[bool]:
    """Whether ``pattern`` matches ``subject``: True, False, or None (unknown)."""
    if isinstance(pattern, ast.MatchAs):
        return True if pattern.pattern is None else pattern_matches(interp, pattern.pattern, subject)
    if isinstance(pattern, ast.MatchOr):
        outcomes = [pattern_matches(interp, p, subject) for p in pattern.patterns]
        return True if True in outcomes else (False if all(o is False for o in outcomes) else None)
    if isinstance(pattern, ast.MatchSingleton) and isinstance(subject, Const):
        return subject.value is pattern.value
    if isinstance(pattern, ast.MatchValue) and isinstance(subject, Const):
        value = interp.eval(pattern.value)
        if isinstance(value, Const) and type(value.value) in (int, float, str, bytes) and \
                type(subject.value) in (int, float, str, bytes, bool, type(None)):
            return subject.value == value.value
    return None


def exec_try(interp, node: ast.Try) -> None:
    """The body (and ``else``) runs; each handler is a path that may be taken instead of going on
    from the body, and may start anywhere in the body (``handler_entry``). What follows (``finally``
    first) starts from the join of the paths."""
    if not node.handlers:  # ``try``/``finally``: the body is the only path
        _body_and_else(interp, node)
    else:
        before = State(interp.scope.vars)
        [body] = each_path(interp, [lambda: _body_and_else(interp, node)], uncertain=False)
        install(interp, handler_entry(node, before, body))
        interp.frame.dead = False
        handlers = each_path(interp, [_handler_path(interp, handler) for handler in node.handlers], uncertain=True)
        install(interp, join([body, *handlers]))
    if node.finalbody:
        dead = interp.frame.dead
        interp.frame.dead = False
        interp.exec_block(node.finalbody)
        interp.frame.dead = dead or interp.frame.dead


def handler_entry(node: ast.Try, before: State, body: State) -> State:
    """Where an ``except`` handler starts: after any statement of the body, also one on a branch
    that then returned. A name the body binds, changes in place (``xs.append``) or leaves with
    another value may hold any value it took in between, not only the first or the last: unknown,
    as is every object entry the body wrote. The rest is as before the body."""
    values = dict(before.vars)
    touched = {name for name, value in body.vars.items() if before.vars.get(name) is not value}
    touched.update(name for name in before.vars if name not in body.vars)
    for stmt in node.body:
        touched |= rebound_names(stmt, before.vars)
    for name in touched:
        values[name] = UNKNOWN
    return State(values, {key: (table, name, UNKNOWN) for key, (table, name, _) in body.entries.items()})


def _body_and_else(interp, node: ast.Try) -> None:
    interp.exec_block(node.body)
    if not interp.frame.dead:
        interp.exec_block(node.orelse)


def _handler_path(interp, handler: ast.ExceptHandler):
    def run():
        if handler.name is not None:
            interp.scope.vars[handler.name] = UNKNOWN
        interp.exec_block(handler.body)
    return run


def _capture_names(pattern) -> list[str]:
    """The names a ``case`` pattern binds (not those it reads: ``case tf.float32:``)."""
    names = []
    for node in ast.walk(pattern):
        if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name is not None:
            names.append(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest is not None:
            names.append(node.rest)
    return names
