"""One analysis state: what a control-flow path knows, with ``join``, ``widen`` and ``leq``.

A State holds the variables of the current scope, the entries of objects (attributes, op state)
that the path wrote, and whether the path ended (returned, raised, broke out). Objects are shared
by the paths; a path's writes to them are journaled and undone before the next path starts
(``Interpreter.write``), so each path reads what held at the fork, and its State keeps what it
wrote: the objects are copy-on-write per path. The interpreter only drives States (``paths``,
``loops``); the lattice operations live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.rank_bounds import RankBoundedArray, rank_bounds
from ..domain.sequences import SequenceSummary
from ..domain.values import (UNKNOWN, BoundMethod, ClassVal, Const, DictVal, FunctionVal, InstanceVal, ListVal,
                             NumberVal, ObjectVal, SymInt, TensorVal, TupleVal, Value, number_kind)
from ..domain.values import join as join_values
from ..shapes import dims

ABSENT = object()  # an object entry that does not exist (a journaled write that created it)


@dataclass
class State:
    vars: dict  # name -> Value: the variables of the current scope
    # (id(table), name) -> (table, name, value or ABSENT): object entries as the path left them
    entries: dict = field(default_factory=dict)
    dead: bool = False  # the path ended: nothing flows on from it

    def value_of(self, key, table: dict, name: str) -> Any:
        """An object entry as this state has it: as the path left it, else as the object holds it."""
        entry = self.entries.get(key)
        return entry[2] if entry is not None else table.get(name, ABSENT)


def join(states: list) -> State:
    """What holds after any of ``states``: a name bound on one path only is unknown, and so is an
    entry one path created; the others join (their sizes that differ become unknown)."""
    live = [state for state in states if not state.dead]
    if not live:
        return State({}, {}, dead=True)
    tables = {key: (table, name) for state in live for key, (table, name, _) in state.entries.items()}
    entries = {}
    for key, (table, name) in tables.items():
        values = [state.entries[key][2] if key in state.entries else table.get(name, ABSENT) for state in live]
        entries[key] = (table, name, _join_all(values))
    return State(join_vars([state.vars for state in live]), entries)


def join_vars(states: list) -> dict:
    """Join the variables of several paths; a name bound on one path only is unknown."""
    if not states:
        return {}
    if len(states) == 1:
        return dict(states[0])
    first, others = states[0], states[1:]
    merged: dict = {}
    for name in set().union(*states):
        result = first.get(name)
        for state in others:
            value = state.get(name)
            if result is None or value is None:
                result = UNKNOWN
                break
            if value is not result:  # most names keep the very same value on every path
                result = join_values(result, value)
        merged[name] = UNKNOWN if result is None else result
    return merged


def _join_all(values: list) -> Value:
    if any(value is ABSENT for value in values):
        return UNKNOWN
    merged = values[0]
    for value in values[1:]:
        merged = join_values(merged, value)
    return merged


def leq(newer: State, older: State, roots=tuple) -> bool:
    """Whether ``newer`` adds nothing to ``older``: every value of it is covered by ``older``'s (a
    loop whose pass leaves this has reached its fixed point). An entry written on an object that
    neither ``older``'s variables nor ``roots()`` (values of enclosing scopes) reach, one made by
    the pass itself, changes nothing."""
    if newer.dead:
        return True
    if older.dead or newer.vars.keys() != older.vars.keys():
        return False
    olds = older.vars
    for name, value in newer.vars.items():
        old = olds[name]
        if value is not old and not covers(old, value):  # most names keep the very same value
            return False
    changed = [table for key, (table, name, value) in newer.entries.items()
               if not covers(older.value_of(key, table, name), value)]
    if not changed:
        return True
    return not reaches([*older.vars.values(), *roots()], {id(table) for table in changed})


def reaches(roots, tables: set) -> bool:
    """Whether ``roots`` lead to an object whose attribute or state table is one of ``tables`` (ids)."""
    seen: set = set()
    pending = list(roots)
    while pending:
        value = pending.pop()
        if type(value) in _LEAVES or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, (InstanceVal, ObjectVal, ClassVal)):
            for table in (value.attrs, getattr(value, "state", None)):
                if table is not None:
                    if id(table) in tables:
                        return True
                    pending.extend(table.values())
            if isinstance(value, InstanceVal):
                pending.append(value.cls)
        elif isinstance(value, (TupleVal, ListVal, list, tuple)):
            pending.extend(value.items if isinstance(value, Value) else value)
        elif isinstance(value, (DictVal, dict)):
            pending.extend(v for _, v in value.items) if isinstance(value, Value) else pending.extend(value.values())
        elif isinstance(value, BoundMethod):
            pending.append(value.receiver)
        elif isinstance(value, FunctionVal) and value.bound is not None:
            pending.append(value.bound)
        elif isinstance(value, SequenceSummary):
            pending.append(value.element)
    return False


_LEAVES = {Const, NumberVal, SymInt, TensorVal, type(UNKNOWN), str, int, float, bool, type(None)}  # lead to no object


def covers(older: Any, newer: Any) -> bool:
    """``newer`` says nothing that ``older`` does not: joining it in would change nothing (values
    are compared by what they say, objects by identity: they are mutable)."""
    if newer is older or older is UNKNOWN:
        return True
    if older is ABSENT or newer is ABSENT or not isinstance(older, Value) or not isinstance(newer, Value):
        return False
    if isinstance(older, Const):
        return isinstance(newer, Const) and type(older.value) is type(newer.value) and older.value == newer.value
    if isinstance(older, SymInt):
        return isinstance(newer, SymInt) and dims.equal(older.dim, newer.dim) is True
    if isinstance(older, NumberVal):
        kind = number_kind(newer)
        return kind is not None and older.kind in (kind, "number")
    if type(older) is type(newer) and isinstance(older, (TupleVal, ListVal)):
        return len(older.items) == len(newer.items) and all(map(covers, older.items, newer.items))
    if isinstance(older, DictVal) and isinstance(newer, DictVal):
        items = dict(older.items)
        return len(items) == len(newer.items) and all(k in items and covers(items[k], v) for k, v in newer.items)
    if isinstance(older, SequenceSummary):  # a list that a loop appends to (loop_lists)
        if not isinstance(newer, SequenceSummary) or newer.kind != older.kind:
            return False
        length = older.length is None or (newer.length is not None and dims.equal(older.length, newer.length) is True)
        return length and covers(older.element, newer.element)
    if isinstance(older, RankBoundedArray):
        low, high = rank_bounds(newer) if isinstance(newer, TensorVal) else (None, None)
        return low is not None and newer.kind == older.kind and low >= older.min_rank and \
            (older.max_rank is None or (high is not None and high <= older.max_rank))
    return join_values(older, newer) is older


def widen(older: State, newer: State) -> State:
    """``newer`` where it adds nothing to ``older``; every value that still changes is unknown, so
    that a loop's passes end: a size that grows at each pass stops being a size."""
    if older.dead:
        return newer
    names = {name: value if name in older.vars and covers(older.vars[name], value) else UNKNOWN
             for name, value in newer.vars.items()}
    entries = {key: (table, name, value if covers(older.value_of(key, table, name), value) else UNKNOWN)
               for key, (table, name, value) in newer.entries.items()}
    return State(names, entries, newer.dead)
