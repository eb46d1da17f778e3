"""Calls of the analysed program's own functions: each call is analysed with its arguments bound.

A call runs the function's body in a new scope over the one it closes over, in a new frame that
collects its returns; its result joins what every path returns. Recursion and calls nested deeper
than MAX_CALL_DEPTH are unknown. A call whose every path raises ends the caller's path too. A call
has its own step budget (analysis.budget): past it, its result is unknown.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..domain.values import UNKNOWN, Const, DictVal, FunctionVal, TupleVal, Value, join
from . import budget
from .budget import CALL_STEPS
from .scope import Scope

MAX_CALL_DEPTH = 8


@dataclass
class Frame:
    """One function activation: where ``return`` values and loop exits are collected."""

    returns: list = field(default_factory=list)
    dead: bool = False  # the current path has returned / broken / continued
    loop_exits: list = field(default_factory=list)  # stack of lists of states at break/continue


def call_function(interp, fn: FunctionVal, args: list, kwargs: dict, alone: bool = False) -> Value:
    node = fn.node
    if node in interp.active or len(interp.active) >= MAX_CALL_DEPTH:
        return UNKNOWN
    if not alone:
        interp.called.add(node)
    if interp.calls_out.not_followed(fn) or interp.syntax_of(fn.closure.module).is_generator(node):
        return UNKNOWN
    if fn.bound is not None and fn.kind in ("function", "property", "classmethod"):
        args = [fn.bound, *args]
    scope = Scope(parent=fn.closure)
    if not bind_params(interp, fn, scope, args, kwargs, alone):
        return UNKNOWN
    entered = interp.calls_out.enter(fn)
    raises = False
    outer_scope = interp.scope
    outer_context = interp.context
    interp.scope = scope
    interp.context = [] if alone else interp.context
    interp.alone_depth += alone
    interp.frames.append(Frame())
    interp.active.append(node)
    try:
        if isinstance(node, ast.Lambda):
            return interp.eval(node.body)
        if not budget.within(interp, node, "function", CALL_STEPS, lambda: interp.exec_block(node.body)):
            return UNKNOWN
        frame = interp.frame
        results = list(frame.returns)
        if not frame.dead:
            results.append(Const(None))
        result = results[0] if results else UNKNOWN
        for value in results[1:]:
            result = join(result, value)
        raises = not results  # every path of the call raised: the caller's path ends here too
        return result
    finally:
        interp.calls_out.leave(entered)
        interp.active.pop()
        interp.frames.pop()
        if raises and not alone:
            interp.frame.dead = True
        interp.scope = outer_scope
        interp.context = outer_context
        interp.alone_depth -= alone


def bind_params(interp, fn: FunctionVal, scope: Scope, args: list, kwargs: dict, alone: bool) -> bool:
    """Bind arguments to parameters as Python does; False when the call cannot be matched."""
    params = fn.node.args
    positional = [*params.posonlyargs, *params.args]
    if alone:
        for param in (*positional, *params.kwonlyargs):
            scope.vars[param.arg] = UNKNOWN
        if args and positional:  # the bound ``self``
            scope.vars[positional[0].arg] = args[0]
        for star in (params.vararg, params.kwarg):
            if star is not None:
                scope.vars[star.arg] = UNKNOWN
        return True
    kwargs = dict(kwargs)
    for index, param in enumerate(positional):
        name = param.arg
        if index < len(args):
            scope.vars[name] = args[index]
        elif name in kwargs:
            scope.vars[name] = kwargs.pop(name)
        elif name in fn.defaults:
            scope.vars[name] = fn.defaults[name]
        else:
            return False
    extra = args[len(positional):]
    if extra and params.vararg is None:
        return False
    if params.vararg is not None:
        scope.vars[params.vararg.arg] = TupleVal(tuple(extra))
    for param in params.kwonlyargs:
        name = param.arg
        if name in kwargs:
            scope.vars[name] = kwargs.pop(name)
        elif name in fn.defaults:
            scope.vars[name] = fn.defaults[name]
        else:
            return False
    if params.kwarg is not None:
        scope.vars[params.kwarg.arg] = DictVal(tuple(kwargs.items()))
    elif kwargs:
        return False
    return True
