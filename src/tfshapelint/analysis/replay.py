"""Replay the recorded graph with sizes bound: what a ``Session.run`` computes once it knows the fed sizes.

Every tensor an op produced keeps its op application (``TensorVal.app``: the shape function and the
call). Replaying a tensor under bindings (``{Symbol: size}``, and whole shapes for placeholders of
unknown rank) replays its inputs first, then applies the same shape function to them again, so a
check that could not be decided with symbols (``4*N`` rows against ``N2`` rows) is decided with the
fed sizes. Replayed calls report their errors to a sink instead of the program's findings; ops with
side effects (building a layer, scheduling a run) refuse to be replayed, and their tensors keep their
static shapes with the bound sizes substituted, which is what they are in that run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Optional

from ..domain.values import DictVal, ListVal, OpApplication, Step, SymInt, TensorVal, TupleVal, Value, dim_value
from ..ops import registry
from ..ops.errors import ShapeError
from ..shapes import dims

MAX_REPLAYED_OPS = 2000  # per run: a run's re-check costs at most this many shape-function calls


def record_application(result, fn, call, module: Optional[str] = None) -> None:
    """Remember on each tensor an op has just made (not one of its inputs, not one made earlier)
    how it was made, so that a run can replay it; ``module``: another module of the project whose
    code made it."""
    if not registry.replayable(fn):
        return
    if isinstance(result, TensorVal):
        _attach(result, OpApplication(fn, call, (), module), call)
    elif isinstance(result, (TupleVal, ListVal)):
        for index, item in enumerate(result.items):
            if isinstance(item, TensorVal):
                _attach(item, OpApplication(fn, call, (index,), module), call)


def _attach(tensor: TensorVal, app: OpApplication, call) -> None:
    if tensor.app is not None or any(tensor is arg for arg in call.args) or \
            any(tensor is arg for arg in call.kwargs.values()):
        return
    object.__setattr__(tensor, "app", app)  # the tensor is new: nothing has seen it without its origin


class NotReplayable(Exception):
    """The op has effects beyond its result (it writes an object's state): it is not applied again."""


class Replay:
    """One run's replay: ``bindings`` maps symbols to sizes, ``sources`` maps ``id(placeholder)`` to
    the shape fed to a placeholder declared without one. Errors go to ``report(error)``."""

    def __init__(self, bindings: dict, sources: dict, report: Callable[[ShapeError], None]):
        self.bindings = bindings
        self.sources = sources
        self.report = report
        self.memo: dict = {}  # id(original) -> (original, replayed): each op applied once per run
        self.applied = 0

    # -- values ---------------------------------------------------------------------------------------
    def value(self, value):
        """``value`` as it is in this run (tensors replayed, symbolic ints substituted)."""
        if isinstance(value, TensorVal):
            return self.tensor(value)
        if isinstance(value, SymInt):
            dim = dims.substitute(value.dim, self.bindings)
            if dim is value.dim:
                return value
            return dim_value(dim, value.origin)
        if isinstance(value, (TupleVal, ListVal)) and value.items:
            items = tuple(self.value(item) for item in value.items)
            if all(new is old for new, old in zip(items, value.items)):
                return value
            return replace(value, items=items)
        if isinstance(value, DictVal) and value.items:
            items = tuple((key, self.value(item)) for key, item in value.items)
            if all(new is old for (_, new), (_, old) in zip(items, value.items)):
                return value
            return DictVal(items)
        return value

    def tensor(self, tensor: TensorVal) -> TensorVal:
        seen = self.memo.get(id(tensor))
        if seen is not None:
            return seen[1]
        replayed = self._replay(tensor)
        self.memo[id(tensor)] = (tensor, replayed)  # the original kept alive: its id stays its own
        return replayed

    def _replay(self, tensor: TensorVal) -> TensorVal:
        if id(tensor) in self.sources:  # a placeholder of unknown rank: the fed shape
            return replace(tensor, shape=self.sources[id(tensor)], chain=(Step(None, self.sources[id(tensor)]),))
        app = tensor.app
        if app is None or tensor.kind == "placeholder" or self.applied >= MAX_REPLAYED_OPS:
            return self.substituted(tensor)
        call = app.call
        args = [self.value(arg) for arg in call.args]
        kwargs = {name: self.value(arg) for name, arg in call.kwargs.items()}
        if all(new is old for new, old in zip(args, call.args)) and \
                all(kwargs[name] is call.kwargs[name] for name in kwargs):
            return self.substituted(tensor)  # nothing this op reads changed in this run
        self.applied += 1
        result = self._apply(app, call, args, kwargs)
        for position in app.index:
            items = getattr(result, "items", None)
            result = items[position] if isinstance(items, tuple) and position < len(items) else None
        if not isinstance(result, TensorVal) or result.shape is None and tensor.shape is not None:
            return self.substituted(tensor)  # the replay knows less than the walk did
        return replace(result, label=tensor.label) if tensor.label and not result.label else result

    def _apply(self, app, call, args: list, kwargs: dict) -> Optional[Value]:
        errors: list = []
        replayed_call = replace(call, args=args, kwargs=kwargs, set_attr=_refuse, set_state=_refuse,
                                reporter=lambda error, *_: errors.append(error), defer_run=_refuse)
        try:
            result = app.fn(replayed_call)
        except NotReplayable:
            return None
        except ShapeError as error:  # no value can be produced
            errors.append(error)
            result = None
        for error in errors:
            # for a reproducer (repro/): the recorded call (its inputs keep their op applications), the sizes
            error.facts["call"] = call
            error.facts.setdefault("bindings", self.bindings)
            error.facts.setdefault("sources", self.sources)
            if error.node is None:
                error.node = call.node
            error.op_name = call.name
            if app.module is not None:  # in another module's code: the finding goes to the run
                error.facts.setdefault("foreign_line", (app.module, getattr(error.node, "lineno", None)))
            self.report(error)
        return result

    def substituted(self, tensor: TensorVal) -> TensorVal:
        """The tensor with the bound sizes put in its static shape and in its derivation."""
        shape = self.shape(tensor.shape)
        if shape is tensor.shape:
            return tensor
        chain = tuple(replace(step, shape=self.shape(step.shape)) for step in tensor.chain)
        return replace(tensor, shape=shape, chain=chain)

    def shape(self, shape):
        if shape is None or not self.bindings:
            return shape
        new = tuple(dims.substitute(d, self.bindings) for d in shape)
        return shape if all(a is b for a, b in zip(new, shape)) else new


def _refuse(*_args) -> None:
    raise NotReplayable
