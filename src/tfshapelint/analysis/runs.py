"""Run-time re-checks: where the graph meets the data.

A ``Session.run``/``eval``/``op.run`` whose feeds are all accepted is checked after the walk (a
deferred check, as pyflakes defers function bodies): each fed placeholder's unknown sizes are bound
to the fed array's sizes (a placeholder declared without a shape takes the fed shape whole), and the
fetched part of the graph is replayed under those bindings (``analysis.replay``). An error the replay
finds is a finding only when TensorFlow raises at that run (``Incompatible shapes: [128] vs. [32]``),
or for a silent broadcast that the fed sizes make certain; it is reported at the op, with the run as
the witness. A run whose feeds bind nothing is not replayed, and identical runs are replayed once.
"""

from __future__ import annotations

from typing import Callable, Optional

from ..domain.values import TensorVal, key_value
from ..ops.errors import ShapeError, SilentBroadcast
from ..ops.session import RunCheck, fed_value_shape, fetched_tensors
from ..shapes import dims
from ..shapes import shape as shapes
from .replay import Replay

MAX_RUNS = 200  # distinct runs re-checked per file (runs in unrolled loops repeat the same feeds)


def check_runs(runs: list, known_errors: list, report: Callable[[ShapeError], None]) -> None:
    """Replay every distinct run; ``report`` each new error TensorFlow raises there. An op that the
    walk already reported an error for is not reported again."""
    reported = {id(error.node) for error in known_errors}
    seen: set = set()
    for run in runs:
        bound = feed_bindings(run)
        if bound is None:
            continue
        bindings, sources, text = bound
        key = (tuple(id(t) for t in fetched_tensors(run.fetches)), frozenset(bindings.items()),
               frozenset((k, v) for k, v in sources.items()))
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > MAX_RUNS:
            return
        for error in replay_run(run, bindings, sources, text):
            if id(error.node) in reported:
                continue
            reported.add(id(error.node))
            report(error)


def replay_run(run: RunCheck, bindings: dict, sources: dict, text: str) -> list:
    """The errors TensorFlow raises when ``run`` computes its fetches with these sizes."""
    errors: list = []
    replay = Replay(bindings, sources, errors.append)
    for tensor in fetched_tensors(run.fetches):
        replay.tensor(tensor)
    found = []
    for error in errors:
        if error.is_silent() and not isinstance(error, SilentBroadcast):
            continue  # a silent rule's own criteria decide it, in the walk
        error.message += f" (with the sizes this run feeds: {text})"
        error.facts.setdefault("run", run.node)
        error.facts.setdefault("call_site", run.node)  # where to report it if the op is another module's
        found.append(error)
    return found


def feed_bindings(run: RunCheck) -> Optional[tuple]:
    """``(bindings, sources, text)``: each fed placeholder's ``None`` sizes bound to the fed sizes, and
    the fed shapes of placeholders declared without a shape. None when the run binds nothing or
    binds one size two ways. ``text`` says what was bound, for messages."""
    bindings: dict = {}
    sources: dict = {}
    named: list = []
    for key, value in run.feed_dict.items:
        placeholder = key_value(key)
        if not isinstance(placeholder, TensorVal) or placeholder.kind != "placeholder":
            continue
        fed = fed_value_shape(value)
        if fed is None:
            continue
        if placeholder.shape is None:
            sources[id(placeholder)] = fed
            named.append(f"`{placeholder.label or 'a placeholder'}` is {shapes.fmt(fed)}")
            continue
        if len(fed) != len(placeholder.shape):
            return None
        for declared, size in zip(placeholder.shape, fed):
            atom = dims.lone_symbol(declared)
            if atom is None or size is None:
                continue
            if atom in bindings and dims.equal(bindings[atom], size) is not True:
                return None
            bindings[atom] = size
    if not bindings and not sources:
        return None
    return bindings, sources, ", ".join([f"{atom} = {dims.fmt(size)}" for atom, size in bindings.items()] + named)
