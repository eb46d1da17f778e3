"""Loops: unrolled when short and known, otherwise driven to a fixed point.

A ``for`` over a known iterable of at most MAX_UNROLL items without ``break``/``continue`` runs once
per item. Any other loop runs its body from the entry state and again from the join of entry and
exit states (two passes cover the iterations after the first), and the state after the loop joins
every way out of it; lists grown by ``append`` get their length from the trip count (loop_lists).
Each loop has its own step budget (analysis.budget): past it, the loop is abandoned and what it
binds is unknown.
"""

from __future__ import annotations

import ast

from ..domain.sequences import MAX_UNROLL, iteration_items
from . import loop_lists, paths
from .budget import LOOP_STEPS, within
from .state import join_vars
from .sequences import loop_items


def exec_for(interp, node: ast.For) -> None:
    within(interp, node, "loop", LOOP_STEPS, lambda: _run_for(interp, node))


def exec_while(interp, node: ast.While) -> None:
    within(interp, node, "loop", LOOP_STEPS, lambda: _run_while(interp, node))


def _run_for(interp, node: ast.For) -> None:
    iterable = interp.eval(node.iter)
    items = iteration_items(iterable)
    if items is not None and len(items) <= MAX_UNROLL and not interp.syntax_of(interp.scope.module).loop_exits(node):
        for item in items:
            interp.assign(node.target, item)
            interp.exec_block(node.body)
            if interp.frame.dead:
                return
        interp.exec_block(node.orelse)
        return
    trips, element = loop_items(iterable)
    run_loop_fixpoint(interp, node, lambda: interp.assign(node.target, element), trips)


def _run_while(interp, node: ast.While) -> None:
    if interp.truth(interp.eval(node.test)) is False:
        interp.exec_block(node.orelse)
        return
    run_loop_fixpoint(interp, node, lambda: interp.eval(node.test))


def run_loop_fixpoint(interp, loop, start_iteration, trips=None) -> None:
    """A loop we cannot unroll: run the body from the entry state, then once more from the
    join of entry and exit states, so that later iterations are covered; the state after the
    loop joins every way out of it. ``trips``: how many times the body runs, when known."""
    body, orelse = loop.body, loop.orelse
    growing = loop_lists.start(interp, loop)
    exits: list = []

    def iteration():
        interp.frame.loop_exits.append([])
        start_iteration()
        interp.exec_block(body)
        exits.extend(snapshot for _, snapshot in interp.frame.loop_exits.pop())

    for _ in range(2):
        paths.run_paths(interp, [lambda: None, iteration])
    interp.frame.dead = False
    interp.scope.vars = join_vars([interp.scope.vars, *exits])
    loop_lists.finish(interp, growing, trips)
    interp.exec_block(orelse)
