"""Loops: unrolled when short and known, otherwise driven to a fixed point.

A ``for`` over a known iterable of at most MAX_UNROLL items without ``break``/``continue`` runs once
per item, unless the loops unrolled around it (in this function or its callers) already make
MAX_UNROLLED iterations: nested loops whose product is long are summarised instead; and once its
first iterations show that the whole loop would take more than UNROLL_STEPS, the items left are
summarised from the state the first ones left. Any other loop
is summarised: passes of its body, each from the join of the state before it and what the
previous pass left (analysis.state), until a pass adds nothing (``leq``). A value that still
changes after JOIN_PASSES passes is widened to unknown; after MAX_PASSES, everything the loop binds
is. The state after the loop joins every way out of it; lists grown by ``append`` get their length
from the trip count (loop_lists). Each loop has its own step budget (analysis.budget): past it, the
loop is abandoned and what it binds is unknown.
"""

from __future__ import annotations

import ast

from ..domain.sequences import MAX_UNROLL, iteration_items
from ..domain.values import TupleVal
from . import loop_lists, paths
from .budget import LOOP_STEPS, forget, within
from .sequences import loop_items
from .state import State, join_vars, leq, widen

MAX_UNROLLED = 1024  # iterations of nested unrolled loops (their product); an inner loop past it is summarised
UNROLL_STEPS = 25_000  # steps an unrolled loop may take (projected from its first iterations): past them, summarised
JOIN_PASSES = 3  # passes of a summarised loop whose states are joined; later ones widen
MAX_PASSES = 6  # passes of a summarised loop, at most


def exec_for(interp, node: ast.For) -> None:
    within(interp, node, "loop", LOOP_STEPS, lambda: _run_for(interp, node))


def exec_while(interp, node: ast.While) -> None:
    within(interp, node, "loop", LOOP_STEPS, lambda: _run_while(interp, node))


def _run_for(interp, node: ast.For) -> None:
    iterable = interp.eval(node.iter)
    items = iteration_items(iterable)
    if items is not None and len(items) <= MAX_UNROLL and interp.unrolled * len(items) <= MAX_UNROLLED \
            and not interp.syntax_of(interp.scope.module).loop_exits(node):
        _unroll(interp, node, items)
        return
    trips, element = loop_items(iterable)
    run_loop_fixpoint(interp, node, lambda: interp.assign(node.target, element), trips)


def _unroll(interp, node: ast.For, items) -> None:
    """One run of the body per item; when the iterations so far make the whole loop cost more than
    UNROLL_STEPS, the items left are summarised (from the exact state the unrolled ones left), if
    they are more than a summary's passes."""
    factor = max(len(items), 1)
    start = interp.steps
    rest = None
    interp.unrolled *= factor
    try:
        for index, item in enumerate(items):
            if index and len(items) - index > MAX_PASSES and (interp.steps - start) * len(items) > UNROLL_STEPS * index:
                rest = items[index:]
                break
            interp.assign(node.target, item)
            interp.exec_block(node.body)
            if interp.frame.dead:
                return
    finally:
        interp.unrolled //= factor
    if rest is not None:
        trips, element = loop_items(TupleVal(tuple(rest)))
        run_loop_fixpoint(interp, node, lambda: interp.assign(node.target, element), trips)
        return
    interp.exec_block(node.orelse)


def _run_while(interp, node: ast.While) -> None:
    if interp.truth(interp.eval(node.test)) is False:
        interp.exec_block(node.orelse)
        return
    run_loop_fixpoint(interp, node, lambda: interp.eval(node.test))


def run_loop_fixpoint(interp, loop, start_iteration, trips=None) -> None:
    """A loop we do not unroll: passes of its body until its state is a fixed point (the first
    pass runs from the state before the loop: it is the first iteration); the state after the loop
    joins every way out of it. ``trips``: how many times the body runs, when known."""
    growing = loop_lists.start(interp, loop)
    exits: list = []

    def iteration():
        interp.frame.loop_exits.append([])
        start_iteration()
        interp.exec_block(loop.body)
        exits.extend(snapshot for _, snapshot in interp.frame.loop_exits.pop())

    for done in range(1, MAX_PASSES + 1):
        before = State(interp.scope.vars)
        after = paths.explore(interp, [paths.NOTHING, iteration])
        # A first pass that adds nothing to the state before the loop (the names the body binds
        # were bound, to values that cover what it binds) is already the fixed point: a second
        # pass would run from the same state again.
        if leq(after, before, lambda: _enclosing(interp)):
            paths.install(interp, after)
            break
        paths.install(interp, widen(before, after) if done > JOIN_PASSES else after)
    else:
        forget(interp, loop, after)  # still changing: what the next passes would compute is unknown
    interp.frame.dead = False
    interp.scope.vars = join_vars([interp.scope.vars, *exits])
    loop_lists.finish(interp, growing, trips)
    interp.exec_block(loop.orelse)


def _enclosing(interp) -> list:
    """Values that lead to objects besides the loop's own scope: the enclosing scopes' variables,
    the ``with`` contexts, what the ops keep."""
    values = [*interp.context, *interp.op_state.values()]
    scope = interp.scope.parent
    while scope is not None:
        values.extend(scope.vars.values())
        scope = scope.parent
    return values
