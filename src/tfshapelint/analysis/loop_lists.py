"""Lists grown by a loop that is not unrolled: ``for i in range(1000): labels.append(...)``.

Such a loop's body runs from joined states (loops.run_loop_fixpoint), where a list of one
more item at each iteration would be lost: lists of different lengths do not join. A list that the
body only appends to (SyntaxFacts.appended_lists) is therefore bound, while the loop runs, to a
summary of unknown length whose element collects what is appended. After the loop its length is
the length before plus the number of iterations when the body appends exactly once per iteration
and that number is known; otherwise it is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.sequences import LIST, NOTHING, SequenceSummary, summarised
from ..domain.values import UNKNOWN
from ..shapes import dims
from ..shapes.dims import Dim


@dataclass(frozen=True)
class GrowingList:
    name: str
    length_before: Dim
    once_per_iteration: bool


def start(interp, loop) -> list:
    """Bind each list the loop only appends to to a summary of unknown length; what was bound."""
    growing = []
    for name, once in interp.syntax_of(interp.scope.module).appended_lists(loop).items():
        before = summarised(interp.scope.vars.get(name))  # a list of this scope (not of an enclosing one)
        if before is None or before.kind != LIST:
            continue
        interp.scope.vars[name] = SequenceSummary(None, before.element, LIST)
        growing.append(GrowingList(name, before.length, once))
    return growing


def finish(interp, growing: list, trips: Dim) -> None:
    """After the loop: each list's length, when the appends are counted, and what was appended."""
    for grown in growing:
        after = interp.scope.vars.get(grown.name)
        if not isinstance(after, SequenceSummary) or after.kind != LIST:
            continue  # rebound in the loop after all (by a function it called, say)
        if after.element is NOTHING:
            interp.scope.vars[grown.name] = UNKNOWN  # never appended to: no path left the loop normally
            continue
        length = dims.add(grown.length_before, trips) if grown.once_per_iteration else None
        interp.scope.vars[grown.name] = SequenceSummary(length, after.element, LIST)
