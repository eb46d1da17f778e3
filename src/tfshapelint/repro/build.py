"""A reproducer for one failing call (a finding's), or for the same call of a clean program.

The program replays the call's recorded inputs (``program.Program``), then the call itself. Where
TensorFlow raises, the program ends at the call (graph code: at the session run that computes it).
For a silent bug, an ``assert`` (``checks``) states what the program silently gets wrong, and fails.
A run's feeds (``feed_dict``) are reproduced with zeros of the fed shapes.
"""

from __future__ import annotations

import ast
import re
from typing import Optional, Sequence

from ..domain.values import DictVal, TensorVal, key_value
from . import checks
from .calls import CannotWrite, imported_apis
from .program import BATCH, KERAS, Program, reachable_tensors

API_ROOTS = ("tensorflow", "keras", "numpy", "tf_slim", "tf_keras")
_NUMPY = ("np.", "numpy.")
RUNS = ("Session.run", "Tensor.eval", "Operation.run")
_GRAPH_ERA = ("disable_v2_behavior", "disable_eager_execution", "Session(", "placeholder(")
LEGACY_KERAS = 'os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")'
RAISES = "TensorFlow raises here"
STEPS = "# It replays {name} of line {line} and the calls it reads"
HEADER = "# Reproducer of {what} (written by `tfshapelint repro`): {how}."


class FileIndex:
    """What every reproducer of a file reads of it, found once per file (a file with many findings
    would otherwise walk its tree once per finding): the imported TensorFlow APIs, the name each
    call's result is assigned to (``dense1 = tf.reshape(...)``, by the call node's id), whether it is
    graph-era code, and the calls of the file's errors (``errors``), which raise first."""

    def __init__(self, tree: ast.Module, source: str, errors: Sequence = ()):
        self.apis = imported_apis(tree, API_ROOTS)
        self.assigned = {id(statement.value): statement.targets[0].id for statement in ast.walk(tree)
                         if isinstance(statement, ast.Assign) and len(statement.targets) == 1
                         and isinstance(statement.targets[0], ast.Name)}
        self.graph_era = any(marker in source for marker in _GRAPH_ERA)
        self.failing = {id(error.facts["call"].node) for error in errors if "call" in error.facts}


def reproducer(error, index: FileIndex, path: str, what: str = "") -> Optional[str]:
    """The reproducer of the finding ``error`` (an ``ops.errors.ShapeError`` carrying its call), or
    None when it cannot be written without running the user's own code. ``what``: the finding, for
    the header (``TSL001 at models/cnn.py:49``); the calls of the file's other errors, which raise
    first, the reproducer replaces by zeros of their shapes."""
    call = error.facts.get("call")
    if call is None or call.node is None:
        return None
    kind = checks.kind_of(error)
    bindings = dict(error.facts.get("bindings") or {})
    bindings.update(checks.sizes_showing(kind, error.facts, bindings, BATCH))
    return write(call, index, path, kind, bindings, error.facts.get("sources"), what, facts=error.facts,
                 failing=index.failing - {id(call.node)})


def write(call, index: FileIndex, path: str, kind: Optional[str] = None,
          bindings: Optional[dict] = None, sources: Optional[dict] = None, what: str = "",
          facts: Optional[dict] = None, ran: bool = False, failing: Optional[set] = None) -> Optional[str]:
    """The reproducer of ``call``; ``kind``: the silent bug to assert against (``checks``), or None
    (the program must raise, or for a clean program run clean); ``bindings``/``sources``: the sizes
    a run fed (``ran``: the call is checked by a run, which a graph program reproduces); ``facts``: the
    finding's error facts (None: the same steps of a program without a finding)."""
    api, import_lines = index.apis
    inputs = list(call.args) + list(call.kwargs.values())
    graph = ran or "run" in (facts or {}) or call.name in RUNS or \
        any(t.kind == "placeholder" for t in reachable_tensors(inputs)) or index.graph_era
    made = [t.app.call.name for t in reachable_tensors(inputs) if t.app is not None]
    functional = not graph and all(name.startswith(KERAS) for name in [call.name, *made])
    if kind == checks.NON_POSITIVE:  # eager code raises for a negative size, computes nothing for 0
        kind = None if graph or functional else checks.EMPTY_OUTPUT
    program = Program(api, graph, bindings, sources, path, import_lines, functional)
    program.failing = set(failing or ())
    line = call.node.lineno
    try:
        body, fetches, check = _steps(program, call, kind, facts or {}, index.assigned.get(id(call.node)))
        program.used_apis(body)
        raises_at = line if facts and call.name in RUNS and not check else None  # a run that feeds wrong shapes
        session = _session(program, fetches, raises_at)
    except CannotWrite:
        return None
    what = what or f"line {line} of {_name(path)}"
    asserted = f"; the silent bug ({kind}) is asserted at the end" if kind else ""
    lines = [HEADER.format(what=what, how="it fails if the finding is true" if facts else "the same steps"),
             STEPS.format(name=call.name, line=line) + asserted + "."]
    if program.legacy_layers:  # tf.compat.v1.layers and slim are tf-keras layers since TensorFlow 2.16
        lines += ["import os", "", LEGACY_KERAS + "  # before TensorFlow is imported"]
    lines += list(program.imports.values()) + [""]
    if graph:
        lines += [f"with {program.v1_alias()}.Graph().as_default():"] + ["    " + text for text in body + session]
    else:
        lines += body
    return "\n".join(lines + (check.lines if check else [])) + "\n"


def _steps(program: Program, call, kind: Optional[str], facts: dict, target: Optional[str]) -> tuple:
    """``(lines, names a session fetches, check)``: the replayed steps and the failing call, whose
    result is named as the program names it (``target``), else ``result``."""
    if call.name in RUNS:
        fed = _feeds(program, call)
        return list(program.lines), fed, None
    final = program.write_call(call)
    program.build_as_before(call)
    result = program.fresh(target or "result")
    check = checks.build(kind, program, call, result, facts) if kind else None
    fetches = list(dict.fromkeys(check.names)) if check is not None else [result]
    if call.name.startswith(_NUMPY):
        program.arrays.add(result)
    fetches = [name for name in fetches if name not in program.arrays]  # arrays are values already
    if not facts:  # the same steps in a program without a finding
        note = "the call replayed"
    else:
        note = {None: RAISES, checks.EMPTY_OUTPUT: f"{RAISES}, or computes an empty tensor"}.get(kind, "the silent bug")
    return list(program.lines) + [f"{result} = {final}  # line {call.node.lineno}: {note}"], fetches, check


def _session(program: Program, fetches: list, raises_at: Optional[int]) -> list:
    """Graph code: the session that runs the fetches (``raises_at``: the line of a run that raises)."""
    if not program.graph or not fetches:
        return []
    v1, targets = program.v1_alias(), ", ".join(fetches)
    comma = "," if len(fetches) == 1 else ""
    marker = f"  # line {raises_at}: {RAISES}" if raises_at is not None else ""
    return [f"with {v1}.Session() as sess:",
            f"    sess.run({v1}.global_variables_initializer())",
            f"    {targets}{comma} = sess.run([{targets}], feed_dict={program.feeds()}){marker}"]


def _feeds(program: Program, call) -> list:
    """A run's feeds: each fed placeholder written as declared, fed zeros of the fed value's shape;
    the run fetches the placeholders (feeding is what TensorFlow checks)."""
    from ..ops.session import fed_value_shape

    feed_dict = call.kwargs.get("feed_dict")
    if feed_dict is None:
        position = 2 if call.name == "Session.run" else 1
        feed_dict = call.args[position] if len(call.args) > position else None
    if not isinstance(feed_dict, DictVal):
        raise CannotWrite("the run's feeds are unknown")
    names = []
    for key, value in feed_dict.items:
        placeholder = key_value(key)
        if not isinstance(placeholder, TensorVal) or placeholder.kind != "placeholder":
            continue
        shape = fed_value_shape(value)
        if shape is None:
            raise CannotWrite("a fed value of unknown shape")
        name = program.tensor_name(placeholder)
        # a size the fed data leaves unknown (rows or columns of a file) is not the one the run fails
        # on: the placeholder's own size, or the batch size
        declared = placeholder.shape if placeholder.shape is not None and len(placeholder.shape) == len(shape) \
            else (None,) * len(shape)
        program.feed(name, tuple(program.size(d) if d is not None else
                                 declared[i] if isinstance(declared[i], int) else BATCH for i, d in enumerate(shape)))
        names.append(name)
    if not names:
        raise CannotWrite("the run feeds no placeholder")
    return names


def _name(path: str) -> str:
    return path.replace("\\", "/")


def in_cells(program: Optional[str], where) -> Optional[str]:
    """A notebook finding's reproducer with its lines named in cells: ``line 12`` -> ``cell 3, line 2``
    (``where(line)``: ``(cell, line in the cell)`` of a line of the cells' joined code, or None)."""
    if program is None:
        return None

    def in_cell(match, spelled) -> str:
        found = where(int(match.group(1)))
        return match.group(0) if found is None else spelled(*found)

    header, _, rest = program.partition("\n")
    header = re.sub(r":(\d+) ", lambda m: in_cell(m, lambda cell, line: f":cell {cell}:{line} "), header, count=1)
    return header + "\n" + re.sub(r"\bline (\d+)\b", lambda m: in_cell(m, lambda c, n: f"cell {c}, line {n}"), rest)
