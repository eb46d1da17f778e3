"""Abstract interpretation of one module over its libcst tree.

The interpreter knows Python, not TensorFlow: every call of an imported API, every tensor
operator and every tensor attribute is handed to the op registry. Shape functions raise typed
errors; the interpreter records them with the failing call's node and carries on with an unknown
result, so one bug yields one finding and never a cascade.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from dataclasses import dataclass, field, replace
from typing import Any, Optional

import libcst as cst

from ..ops import registry
from ..ops.errors import ShapeError
from ..shapes import dims
from . import builtins as py_builtins
from .imports import bindings_of_import, bindings_of_import_from
from .scope import Scope, merge
from .values import (
    UNKNOWN,
    ApiRef,
    BoundMethod,
    ClassVal,
    Const,
    DictVal,
    FunctionVal,
    InstanceVal,
    ListVal,
    ObjectVal,
    ShapeVal,
    SliceVal,
    SymInt,
    TensorVal,
    TupleVal,
    Value,
    dict_key,
    int_value,
    join,
    key_value,
)

MAX_CALL_DEPTH = 8
MAX_UNROLL = 256
MAX_STEPS = 400_000
MAX_SEQUENCE = 10_000
_WIDE_FORMAT = re.compile(r"%[^%a-zA-Z]*[0-9]{5}")  # a %-format width or precision of 10000 or more


class BudgetExceeded(Exception):
    """The analysis of one file took more steps than allowed."""


@dataclass
class Frame:
    """One function activation: where ``return`` values and loop exits are collected."""

    returns: list = field(default_factory=list)
    dead: bool = False  # the current path has returned / broken / continued
    loop_exits: list = field(default_factory=list)  # stack of lists of states at break/continue


@dataclass
class Assignment:
    """A name bound to a tensor (or a model), for ``explain`` and hovers."""

    node: Any
    name: str
    value: Value
    alone: bool  # seen while analysing a function without its callers (inputs unknown)


_BINOPS = {
    cst.Add: ("add", operator.add),
    cst.Subtract: ("subtract", operator.sub),
    cst.Multiply: ("multiply", operator.mul),
    cst.Divide: ("truediv", operator.truediv),
    cst.FloorDivide: ("floordiv", operator.floordiv),
    cst.Modulo: ("mod", operator.mod),
    cst.Power: ("pow", operator.pow),
    cst.MatrixMultiply: ("matmul", None),
}

_COMPARES = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
}

_TENSOR_COMPARES = {
    cst.LessThan: "less",
    cst.LessThanEqual: "less_equal",
    cst.GreaterThan: "greater",
    cst.GreaterThanEqual: "greater_equal",
}

_DECORATORS_KEEPING_FUNCTION = {"tf.function", "tf.autograph.experimental.do_not_convert"}
_METHOD_KINDS = {"staticmethod", "classmethod", "property"}
_MISSING = object()


class Interpreter:
    def __init__(self, module: cst.Module, record_assignments: bool = False, target_version: str = "tf2"):
        self.module = module
        self.target_version = target_version  # "tf2" or "tf1": ops whose semantics differ read it
        self.errors: list[ShapeError] = []
        self.assignments: list[Assignment] = [] if record_assignments else None
        self.globals = Scope()
        self.globals.vars["__name__"] = Const("__main__")
        self.frames: list[Frame] = [Frame()]
        self.scope = self.globals
        self.active: list[Any] = []  # function nodes being called, for recursion safety
        self.called: set = set()  # function nodes analysed at some call site
        self.defined: list[FunctionVal] = []  # every function seen, for the stand-alone pass
        self.classes: list[ClassVal] = []  # every class seen, for the stand-alone pass
        self.journals: list[list] = []  # attribute writes of the control-flow paths being explored
        self.context: list[Value] = []  # values of the enclosing ``with`` statements (arg scopes...)
        self.alone_depth = 0  # > 0 while analysing a function alone: callers' context is unknown
        self.op_state: dict = {}  # per-module state that ops keep (the absl FLAGS object...)
        self.steps = 0
        self.symbol_counts: dict[str, int] = {}
        self._error_keys: set = set()
        self._syntax_facts: dict = {}  # (fact, node) -> bool, for tree walks done once per node

    def syntax_fact(self, fact, node) -> bool:
        key = (fact, node)
        if key not in self._syntax_facts:
            self._syntax_facts[key] = fact(node)
        return self._syntax_facts[key]

    # -- entry points -------------------------------------------------------------------------
    def run(self) -> None:
        self.exec_block(self.module.body)
        self._analyse_uncalled_classes()
        self._analyse_uncalled_functions()

    def _analyse_uncalled_classes(self) -> None:
        """Classes whose methods were never called: an instance built by ``__init__`` with unknown
        arguments, then every other method alone on it (so ``self.x`` set in ``__init__`` is known)."""
        for cls in self.classes:
            methods = [v for v in cls.attrs.values() if isinstance(v, FunctionVal) and v.kind == "function"]
            if all(m.node in self.called for m in methods):
                continue
            instance = InstanceVal(cls, {})
            init = cls.attrs.get("__init__")
            if isinstance(init, FunctionVal) and init.node not in self.called:
                self.call_function(replace(init, bound=instance), [], {}, alone=True)
            for method in methods:
                if method.node not in self.called and method.name != "__init__":
                    self.call_function(replace(method, bound=instance), [], {}, alone=True)
                    self.called.add(method.node)
            if isinstance(init, FunctionVal):
                self.called.add(init.node)

    def _analyse_uncalled_functions(self) -> None:
        """Functions never called are analysed alone, with unknown inputs."""
        index = 0
        while index < len(self.defined):
            fn = self.defined[index]
            index += 1
            if fn.node in self.called:
                continue
            self.called.add(fn.node)
            self.call_function(fn, [], {}, alone=True)

    def new_symbol(self, base: str) -> dims.Expr:
        count = self.symbol_counts.get(base, 0) + 1
        self.symbol_counts[base] = count
        return dims.symbol(base if count == 1 else f"{base}{count}")

    # -- bookkeeping --------------------------------------------------------------------------
    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(f"more than {MAX_STEPS} evaluation steps")

    def record(self, error: ShapeError, node: Any, op_name: str) -> None:
        if error.node is None:
            error.node = node
        error.op_name = op_name
        key = (type(error), id(error.node), error.message)
        if key not in self._error_keys:
            self._error_keys.add(key)
            self.errors.append(error)

    # -- statements ---------------------------------------------------------------------------
    def exec_block(self, body) -> None:
        for stmt in body:
            if self.frame.dead:
                return
            self.exec_stmt(stmt)

    def exec_stmt(self, stmt: cst.CSTNode) -> None:
        self.tick()
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if self.frame.dead:
                    return
                self.exec_small(small)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt)
        elif isinstance(stmt, cst.For):
            self.exec_for(stmt)
        elif isinstance(stmt, cst.While):
            self.exec_while(stmt)
        elif isinstance(stmt, cst.With):
            entered = []
            for item in stmt.items:
                value = self.eval(item.item)
                entered.append(value)
                if item.asname is not None:
                    self.assign(item.asname.name, value if isinstance(value, (ObjectVal, TensorVal)) else UNKNOWN)
            self.context.extend(entered)
            try:
                self.exec_block(stmt.body.body)
            finally:
                del self.context[len(self.context) - len(entered):]
        elif isinstance(stmt, cst.Try):
            self.exec_try(stmt)
        elif isinstance(stmt, cst.FunctionDef):
            self.exec_def(stmt)
        elif isinstance(stmt, cst.ClassDef):
            self.exec_class(stmt)
        elif isinstance(stmt, cst.IndentedBlock):
            self.exec_block(stmt.body)
        # match statements and anything newer: their bindings stay unknown
        else:
            for name in _assigned_names(stmt):
                self.scope.vars[name] = UNKNOWN

    def exec_small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, cst.Assign):
            value = self.eval(node.value)
            for target in node.targets:
                self.assign(target.target, value)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.eval(node.value))
        elif isinstance(node, cst.AugAssign):
            current = self.eval(node.target)
            value = self.binary(type(node.operator).__name__.replace("Assign", ""), current, self.eval(node.value), node)
            self.assign(node.target, value)
        elif isinstance(node, cst.Expr):
            self.eval(node.value)
        elif isinstance(node, cst.Return):
            value = self.eval(node.value) if node.value is not None else Const(None)
            self.frame.returns.append(value)
            self.frame.dead = True
        elif isinstance(node, cst.Import):
            for name, value in bindings_of_import(node):
                self.scope.vars[name] = value
        elif isinstance(node, cst.ImportFrom):
            for name, value in bindings_of_import_from(node):
                self.scope.vars[name] = value
        elif isinstance(node, (cst.Break, cst.Continue)):
            if self.frame.loop_exits:
                self.frame.loop_exits[-1].append((type(node), self.scope.snapshot()))
            self.frame.dead = True
        elif isinstance(node, cst.Raise):
            if node.exc is not None:
                self.eval(node.exc)
            self.frame.dead = True
        elif isinstance(node, cst.Assert):
            self.eval(node.test)
        elif isinstance(node, cst.Del):
            for name in _target_names(node.target):
                self.scope.vars.pop(name, None)

    def exec_if(self, node: cst.If) -> None:
        truth = self.truth(self.eval(node.test))
        orelse = node.orelse
        if truth is True:
            self.exec_block(node.body.body)
            return
        if truth is False:
            self._exec_else(orelse)
            return
        self.run_paths([lambda: self.exec_block(node.body.body), lambda: self._exec_else(orelse)])

    def run_paths(self, paths) -> None:
        """Run alternative control-flow paths from the same state and join what they leave:
        the variables of the current scope and the attributes written on objects."""
        before = self.scope.snapshot()
        states, writes = [], []
        for path in paths:
            self.scope.vars = dict(before)
            self.frame.dead = False
            self.journals.append([])
            path()
            journal = self.journals.pop()
            final = {(id(obj), name): (obj, name, obj.attrs.get(name, _MISSING)) for obj, name, _ in journal}
            for obj, name, old in reversed(journal):  # undo, so the next path starts from ``before``
                if old is _MISSING:
                    obj.attrs.pop(name, None)
                else:
                    obj.attrs[name] = old
            if not self.frame.dead:
                states.append(self.scope.vars)
                writes.append(final)
        self.frame.dead = not states
        self.scope.vars = merge(states) if states else before
        touched = {key: entry for final in writes for key, entry in final.items()}
        for key, (obj, name, _) in touched.items():
            values = [final[key][2] if key in final else obj.attrs.get(name, _MISSING) for final in writes]
            if any(v is _MISSING for v in values):
                merged = UNKNOWN
            else:
                merged = values[0]
                for value in values[1:]:
                    merged = join(merged, value)
            self.set_attr(obj, name, merged)

    def set_attr(self, obj, name: str, value: Value) -> None:
        """Write an attribute of a mutable object, journaled so that branches can be joined."""
        if self.journals:
            self.journals[-1].append((obj, name, obj.attrs.get(name, _MISSING)))
        obj.attrs[name] = value

    def _exec_else(self, orelse) -> None:
        if orelse is None:
            return
        if isinstance(orelse, cst.If):
            self.exec_if(orelse)
        else:
            self.exec_block(orelse.body.body)

    def exec_for(self, node: cst.For) -> None:
        iterable = self.eval(node.iter)
        items = self.iteration_items(iterable)
        if items is not None and len(items) <= MAX_UNROLL and not self.syntax_fact(_has_loop_exit, node.body):
            for item in items:
                self.assign(node.target, item)
                self.exec_block(node.body.body)
                if self.frame.dead:
                    return
            if node.orelse is not None:
                self.exec_block(node.orelse.body.body)
            return
        element = UNKNOWN
        if items:
            element = items[0]
            for item in items[1:]:
                element = join(element, item)

        def bind_target():
            self.assign(node.target, element)

        self.run_loop_fixpoint(node.body.body, bind_target, node.orelse)

    def exec_while(self, node: cst.While) -> None:
        if self.truth(self.eval(node.test)) is False:
            if node.orelse is not None:
                self.exec_block(node.orelse.body.body)
            return
        self.run_loop_fixpoint(node.body.body, lambda: self.eval(node.test), node.orelse)

    def run_loop_fixpoint(self, body, start_iteration, orelse) -> None:
        """A loop we cannot unroll: run the body from the entry state, then once more from the
        join of entry and exit states, so that later iterations are covered; the state after the
        loop joins every way out of it."""
        exits: list = []

        def iteration():
            self.frame.loop_exits.append([])
            start_iteration()
            self.exec_block(body)
            exits.extend(snapshot for _, snapshot in self.frame.loop_exits.pop())

        for _ in range(2):
            self.run_paths([lambda: None, iteration])
        self.frame.dead = False
        self.scope.vars = merge([self.scope.vars, *exits])
        if orelse is not None:
            self.exec_block(orelse.body.body)

    def exec_try(self, node: cst.Try) -> None:
        before = self.scope.snapshot()
        self.exec_block(node.body.body)
        if node.orelse is not None and not self.frame.dead:
            self.exec_block(node.orelse.body.body)
        states = [] if self.frame.dead else [self.scope.vars]
        for handler in node.handlers:
            # a handler may start anywhere in the body: from what held before it, joined with after
            self.scope.vars = merge([before, self.scope.vars]) if states else dict(before)
            self.frame.dead = False
            if handler.name is not None:
                self.assign(handler.name.name, UNKNOWN)
            self.exec_block(handler.body.body)
            if not self.frame.dead:
                states.append(self.scope.vars)
        self.frame.dead = not states
        self.scope.vars = merge(states) if states else before
        if node.finalbody is not None:
            dead = self.frame.dead
            self.frame.dead = False
            self.exec_block(node.finalbody.body.body)
            self.frame.dead = dead or self.frame.dead

    def exec_def(self, node: cst.FunctionDef) -> None:
        fn = self.make_function(node, node.name.value)
        value: Value = fn
        for decorator in reversed(node.decorators):
            expr = decorator.decorator
            if isinstance(expr, cst.Name) and expr.value in _METHOD_KINDS and value is not UNKNOWN:
                value = replace(value, kind=expr.value)
                continue
            decorated = self.eval(expr)
            name = registry.canonical(decorated.path) if isinstance(decorated, ApiRef) else None
            if name not in _DECORATORS_KEEPING_FUNCTION:
                value = UNKNOWN
        self.defined.append(fn)
        self.scope.vars[node.name.value] = value

    def make_function(self, node, name: str) -> FunctionVal:
        defaults = {}
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.default is not None:
                defaults[param.name.value] = self.eval(param.default)
        return FunctionVal(node=node, closure=self.scope, name=name, defaults=defaults)

    def exec_class(self, node: cst.ClassDef) -> None:
        bases = tuple(self.eval(base.value) for base in node.bases if base.keyword is None)
        class_scope = Scope(parent=self.scope)
        outer = self.scope
        self.scope = class_scope
        try:
            self.exec_block(node.body.body)
        finally:
            self.scope = outer
        # methods close over the enclosing scope, not the class body (Python's rule)
        for name, value in class_scope.vars.items():
            if isinstance(value, FunctionVal) and value.closure is class_scope:
                class_scope.vars[name] = replace(value, closure=outer)
        methods = {id(v.node) for v in class_scope.vars.values() if isinstance(v, FunctionVal)}
        # methods are analysed with their class (on an instance), not as free functions
        self.defined[:] = [f for f in self.defined if id(f.node) not in methods]
        cls = ClassVal(node=node, name=node.name.value, attrs=class_scope.vars, bases=bases)
        self.classes.append(cls)
        outer.vars[node.name.value] = cls

    # -- assignment ---------------------------------------------------------------------------
    def assign(self, target: cst.BaseExpression, value: Value) -> None:
        if isinstance(target, cst.Name):
            if isinstance(value, TensorVal):
                value = value.named(target.value)
            if self.assignments is not None and isinstance(value, (TensorVal, ObjectVal)):
                self.assignments.append(Assignment(target, target.value, value, self.alone_depth > 0))
            self.scope.vars[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            self.assign_unpacked(target.elements, value)
        elif isinstance(target, cst.Subscript):
            self.assign_item(target, value)
        elif isinstance(target, cst.Attribute):
            base = self.eval(target.value)
            if isinstance(base, (ObjectVal, ClassVal, InstanceVal)):
                if isinstance(value, TensorVal):
                    value = value.named(target.attr.value)
                self.set_attr(base, target.attr.value, value)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, UNKNOWN)

    def assign_unpacked(self, elements, value: Value) -> None:
        items = self.iteration_items(value)
        starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
        if items is None or (not starred and len(items) != len(elements)):
            for element in elements:
                self.assign(element.value, UNKNOWN)
            return
        if starred:
            star = starred[0]
            tail = len(elements) - star - 1
            if len(items) < star + tail:
                for element in elements:
                    self.assign(element.value, UNKNOWN)
                return
            head_items = list(items[:star])
            rest = ListVal(tuple(items[star:len(items) - tail]))
            tail_items = list(items[len(items) - tail:])
            for element, item in zip(elements, head_items + [rest] + tail_items):
                self.assign(element.value, item)
            return
        for element, item in zip(elements, items):
            self.assign(element.value, item)

    def assign_item(self, target: cst.Subscript, value: Value) -> None:
        """``container[key] = value`` rebinds the container (values are immutable)."""
        container = self.eval(target.value)
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return self._rebind(target.value, UNKNOWN)
        key = self.eval(target.slice[0].slice.value)
        if isinstance(container, DictVal) and dict_key(key) is not None:
            if isinstance(value, TensorVal) and isinstance(dict_key(key), str):
                value = value.named(dict_key(key))
            return self._rebind(target.value, container.set(dict_key(key), value))
        if isinstance(container, ListVal) and isinstance(key, Const) and isinstance(key.value, int):
            items = list(container.items)
            if -len(items) <= key.value < len(items):
                items[key.value] = value
                return self._rebind(target.value, ListVal(tuple(items)))
        if isinstance(container, (DictVal, ListVal)):
            self._rebind(target.value, UNKNOWN)

    def _rebind(self, target: cst.BaseExpression, value: Value) -> None:
        if isinstance(target, (cst.Name, cst.Subscript, cst.Attribute)):
            self.assign(target, value)

    # -- expressions --------------------------------------------------------------------------
    def eval(self, node: cst.BaseExpression) -> Value:
        self.tick()
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return UNKNOWN
        return method(node)

    def eval_Integer(self, node: cst.Integer) -> Value:
        try:
            return Const(node.evaluated_value)
        except (ValueError, SyntaxError):  # more than 4300 digits (sys.get_int_max_str_digits)
            return UNKNOWN

    def eval_Float(self, node: cst.Float) -> Value:
        try:
            return Const(node.evaluated_value)
        except (ValueError, SyntaxError):
            return UNKNOWN

    def eval_SimpleString(self, node: cst.SimpleString) -> Value:
        try:
            return Const(node.evaluated_value)
        except Exception:  # noqa: BLE001 - odd prefixes: the value just stays unknown
            return UNKNOWN

    def eval_ConcatenatedString(self, node: cst.ConcatenatedString) -> Value:
        value = node.evaluated_value
        return Const(value) if value is not None else UNKNOWN

    def eval_Name(self, node: cst.Name) -> Value:
        value = self.scope.lookup(node.value)
        if value is not None:
            return value
        return py_builtins.builtin(node.value)

    def eval_Ellipsis(self, node) -> Value:
        return Const(Ellipsis)

    def eval_Tuple(self, node: cst.Tuple) -> Value:
        items = self.eval_elements(node.elements)
        return UNKNOWN if items is None else TupleVal(items, node)

    def eval_List(self, node: cst.List) -> Value:
        items = self.eval_elements(node.elements)
        return UNKNOWN if items is None else ListVal(items, node)

    def eval_elements(self, elements) -> Optional[tuple]:
        items = []
        known = True
        for element in elements:
            value = self.eval(element.value)
            if isinstance(element, cst.StarredElement):
                spread = self.iteration_items(value)
                if spread is None:
                    known = False
                else:
                    items.extend(spread)
            else:
                items.append(value)
        return tuple(items) if known and len(items) <= MAX_SEQUENCE else None

    def eval_Dict(self, node: cst.Dict) -> Value:
        entries: dict = {}  # as DictVal.set does, one key at a time, without its O(n) copy (a 20k-entry literal)
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                spread = self.eval(element.value)
                if not isinstance(spread, DictVal):
                    return UNKNOWN
                for key, value in spread.items:
                    entries.pop(key, None)
                    entries[key] = value
                continue
            key = dict_key(self.eval(element.key))
            value = self.eval(element.value)
            if key is None:
                return UNKNOWN
            if isinstance(value, TensorVal) and isinstance(key, str):
                value = value.named(key)
            entries.pop(key, None)
            entries[key] = value
        return DictVal(tuple(entries.items()))

    def eval_Set(self, node) -> Value:
        for element in node.elements:
            self.eval(element.value)
        return UNKNOWN

    def eval_FormattedString(self, node) -> Value:
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression):
                self.eval(part.expression)
        return UNKNOWN

    def eval_Lambda(self, node: cst.Lambda) -> Value:
        fn = self.make_function(node, "<lambda>")
        return fn

    def eval_IfExp(self, node: cst.IfExp) -> Value:
        truth = self.truth(self.eval(node.test))
        if truth is True:
            return self.eval(node.body)
        if truth is False:
            return self.eval(node.orelse)
        return join(self.eval(node.body), self.eval(node.orelse))

    def eval_UnaryOperation(self, node: cst.UnaryOperation) -> Value:
        value = self.eval(node.expression)
        if isinstance(node.operator, cst.Not):
            truth = self.truth(value)
            return UNKNOWN if truth is None else Const(not truth)
        if isinstance(value, Const) and isinstance(value.value, (int, float)):
            if isinstance(node.operator, cst.Minus):
                return Const(-value.value)
            if isinstance(node.operator, cst.Plus):
                return Const(+value.value)
            if isinstance(node.operator, cst.BitInvert) and isinstance(value.value, int):
                return Const(~value.value)
        if isinstance(value, SymInt) and isinstance(node.operator, cst.Minus):
            return SymInt(dims.neg(value.dim))
        if isinstance(value, TensorVal) and not isinstance(node.operator, cst.BitInvert):
            return self.call_op("operator.neg", [value], {}, node)
        return UNKNOWN

    def eval_BooleanOperation(self, node: cst.BooleanOperation) -> Value:
        left = self.eval(node.left)
        truth = self.truth(left)
        is_and = isinstance(node.operator, cst.And)
        if truth is None:
            return join(left, self.eval(node.right))
        if truth is (not is_and):
            return left
        return self.eval(node.right)

    def eval_Comparison(self, node: cst.Comparison) -> Value:
        left = self.eval(node.left)
        if len(node.comparisons) == 1:
            right = self.eval(node.comparisons[0].comparator)
            name = _TENSOR_COMPARES.get(type(node.comparisons[0].operator))
            if isinstance(left, TensorVal) or isinstance(right, TensorVal):
                # ``<``, ``>``... are elementwise; ``==``/``!=`` never raise on shapes (TF2 gives False)
                return self.call_op(f"operator.{name}", [left, right], {}, node) if name else UNKNOWN
            outcome = self.compare(node.comparisons[0].operator, left, right)
            return UNKNOWN if outcome is None else Const(outcome)
        result: Optional[bool] = True
        for target in node.comparisons:
            right = self.eval(target.comparator)
            outcome = self.compare(target.operator, left, right)
            if outcome is False:
                return Const(False)
            if outcome is None:
                result = None
            left = right
        return UNKNOWN if result is None else Const(True)

    def compare(self, op: cst.BaseCompOp, left: Value, right: Value) -> Optional[bool]:
        if isinstance(op, (cst.Is, cst.IsNot)):
            same = _identity(left, right)
            if same is None:
                return None
            return same if isinstance(op, cst.Is) else not same
        if isinstance(op, (cst.In, cst.NotIn)):
            found = _contains(right, left)
            if found is None:
                return None
            return found if isinstance(op, cst.In) else not found
        fn = _COMPARES.get(type(op))
        if fn is None:
            return None
        if isinstance(left, Const) and isinstance(right, Const):
            try:
                return bool(fn(left.value, right.value))
            except Exception:  # noqa: BLE001 - e.g. comparing str and int: unknown
                return None
        if fn in (operator.eq, operator.ne):
            a, b = int_value(left), int_value(right)
            if a is not None and b is not None:
                same = dims.equal(a, b)
                if same is not None:
                    return same if fn is operator.eq else not same
        return None

    def eval_BinaryOperation(self, node: cst.BinaryOperation) -> Value:
        left = self.eval(node.left)
        right = self.eval(node.right)
        return self.binary(type(node.operator).__name__, left, right, node)

    def binary(self, op_name: str, left: Value, right: Value, node: Any) -> Value:
        entry = _BINOPS.get(getattr(cst, op_name, None))
        if entry is None:
            return UNKNOWN
        name, fn = entry
        if isinstance(left, TensorVal) or isinstance(right, TensorVal):
            if name == "multiply" and _may_repeat_sequence(left, right):
                return UNKNOWN
            return self.call_op(f"operator.{name}", [left, right], {}, node)
        if isinstance(left, Const) and isinstance(right, Const):
            return _const_binop(name, fn, left.value, right.value)
        a, b = int_value(left), int_value(right)
        if a is not None and b is not None:
            return _symbolic_binop(name, a, b)
        if name == "add" and type(left) is type(right) and isinstance(left, (TupleVal, ListVal)):
            if len(left.items) + len(right.items) > MAX_SEQUENCE:  # x = x + x in a loop
                return UNKNOWN
            return type(left)(left.items + right.items)
        if name == "multiply":
            seq, count = (left, right) if isinstance(left, (TupleVal, ListVal)) else (right, left)
            if isinstance(seq, (TupleVal, ListVal)) and isinstance(count, Const) and isinstance(count.value, int):
                if len(seq.items) * max(count.value, 0) <= MAX_SEQUENCE:
                    return type(seq)(seq.items * count.value)
        return UNKNOWN

    def eval_Attribute(self, node: cst.Attribute) -> Value:
        base = self.eval(node.value)
        return self.attribute(base, node.attr.value, node)

    def attribute(self, base: Value, name: str, node: Any = None) -> Value:
        if isinstance(base, ApiRef):
            path = f"{base.path}.{name}"
            getter = registry.lookup_module_value(path)
            if getter is not None:  # a module-level object such as ``absl.flags.FLAGS``
                return self.invoke(getter, registry.canonical(path), [], {}, node)
            return ApiRef(path)
        type_name = _type_name(base)
        if type_name is not None:
            getter = registry.lookup_property(f"{type_name}.{name}")
            if getter is not None:
                return self.invoke(getter, f"{type_name}.{name}", [base], {}, node)
            if isinstance(base, ObjectVal) and name in base.attrs:
                return base.attrs[name]
            return BoundMethod(base, type_name, name)
        if isinstance(base, InstanceVal):
            if name in base.attrs:
                return base.attrs[name]
            return self.class_attribute(base.cls, name, base)
        if isinstance(base, ClassVal):
            return self.class_attribute(base, name, None)
        if isinstance(base, (ListVal, DictVal)):
            return BoundMethod(base, type(base).__name__, name)
        return UNKNOWN

    def class_attribute(self, cls: ClassVal, name: str, instance: Optional[InstanceVal]) -> Value:
        for klass in cls.mro():
            if name in klass.attrs:
                value = klass.attrs[name]
                if isinstance(value, FunctionVal):
                    if value.kind == "property":
                        return self.call_function(replace(value, bound=instance), [], {}) if instance else UNKNOWN
                    if value.kind == "function" and instance is not None:
                        return replace(value, bound=instance)
                    if value.kind == "classmethod":
                        return replace(value, bound=cls)
                return value
        return UNKNOWN

    def instantiate(self, cls: ClassVal, args: list, kwargs: dict) -> Value:
        instance = InstanceVal(cls, {})
        init = self.class_attribute(cls, "__init__", instance)
        if isinstance(init, FunctionVal):
            self.call_function(init, args, kwargs)
        return instance

    def call_instance(self, instance: InstanceVal, args: list, kwargs: dict) -> Value:
        """``obj(x)``: the class's ``__call__``, or the method a library base class calls
        (``call`` for Keras layers and models)."""
        method = self.class_attribute(instance.cls, "__call__", instance)
        if not isinstance(method, FunctionVal):
            for base in instance.cls.library_bases():
                name = registry.call_method(base.path)
                if name is not None:
                    method = self.class_attribute(instance.cls, name, instance)
                    break
        if isinstance(method, FunctionVal):
            return self.call_function(method, args, kwargs)
        return UNKNOWN

    def eval_Subscript(self, node: cst.Subscript) -> Value:
        base = self.eval(node.value)
        keys = []
        for element in node.slice:
            inner = element.slice
            if isinstance(inner, cst.Index):
                keys.append(self.eval(inner.value))
            else:
                keys.append(SliceVal(
                    self.eval(inner.lower) if inner.lower is not None else Const(None),
                    self.eval(inner.upper) if inner.upper is not None else Const(None),
                    self.eval(inner.step) if inner.step is not None else Const(None),
                ))
        key = keys[0] if len(keys) == 1 else TupleVal(tuple(keys))
        return self.subscript(base, key, node)

    def subscript(self, base: Value, key: Value, node: Any) -> Value:
        if isinstance(base, DictVal):
            stored = dict_key(key)
            return UNKNOWN if stored is None else base.get(stored, UNKNOWN)
        if isinstance(base, (TupleVal, ListVal)):
            return _index_sequence(base, key)
        if isinstance(base, TensorVal):
            method = f"{_type_name(base)}.__getitem__"  # NumPy's fancy indexing differs from TF's
            if registry.lookup(method) is None:
                method = "Tensor.__getitem__"
            return self.call_op(method, [base, key], {}, node)
        return UNKNOWN

    def eval_Call(self, node: cst.Call) -> Value:
        callee = self.eval(node.func)
        args: list[Value] = []
        kwargs: dict[str, Value] = {}
        arg_nodes: list = []
        kwarg_nodes: dict = {}
        complete = True
        for arg in node.args:
            value = self.eval(arg.value)
            if arg.star == "*":
                items = self.iteration_items(value)
                if items is None:
                    complete = False
                else:
                    args.extend(items)
                    arg_nodes.extend([None] * len(items))
            elif arg.star == "**":
                if isinstance(value, DictVal) and all(isinstance(k, str) for k, _ in value.items):
                    kwargs.update(dict(value.items))
                else:
                    complete = False
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
                kwarg_nodes[arg.keyword.value] = arg.value
            else:
                args.append(value)
                arg_nodes.append(arg.value)
        if not complete:
            return UNKNOWN
        return self.call_value(callee, args, kwargs, node, arg_nodes, kwarg_nodes)

    def call_value(self, callee: Value, args: list, kwargs: dict, node: Any = None,
                   arg_nodes: Optional[list] = None, kwarg_nodes: Optional[dict] = None) -> Value:
        if isinstance(callee, FunctionVal):
            return self.call_function(callee, args, kwargs)
        if isinstance(callee, ClassVal):
            return self.instantiate(callee, args, kwargs)
        if isinstance(callee, InstanceVal):
            return self.call_instance(callee, args, kwargs)
        if isinstance(callee, ApiRef):
            return self.call_op(callee.path, args, kwargs, node, arg_nodes, kwarg_nodes)
        if isinstance(callee, BoundMethod):
            if callee.type_name in ("ListVal", "DictVal"):
                return self.container_method(callee, args, node)
            return self.call_op(f"{callee.type_name}.{callee.name}", [callee.receiver, *args], kwargs, node,
                                [None, *(arg_nodes or [])], kwarg_nodes)
        if isinstance(callee, py_builtins.Builtin):
            return callee.fn(self, args, kwargs)
        if isinstance(callee, ObjectVal):
            return self.call_op(f"{callee.type_name}.__call__", [callee, *args], kwargs, node,
                                [None, *(arg_nodes or [])], kwarg_nodes)
        return UNKNOWN

    def call_op(self, path: str, args: list, kwargs: dict, node: Any = None,
                arg_nodes: Optional[list] = None, kwarg_nodes: Optional[dict] = None) -> Value:
        fn = registry.lookup(path)
        if fn is None:
            return UNKNOWN
        return self.invoke(fn, registry.canonical(path), args, kwargs, node, arg_nodes, kwarg_nodes)

    def invoke(self, fn, name: str, args: list, kwargs: dict, node: Any = None,
               arg_nodes: Optional[list] = None, kwarg_nodes: Optional[dict] = None) -> Value:
        call = registry.Call(name=name, args=list(args), kwargs=dict(kwargs), node=node,
                             arg_nodes=list(arg_nodes or []), kwarg_nodes=dict(kwarg_nodes or {}),
                             new_symbol=self.new_symbol, context=tuple(self.context), set_attr=self.set_attr,
                             state=self.op_state, target=self.target_version,
                             alone=self.alone_depth > 0)
        try:
            return fn(call)
        except ShapeError as error:
            self.record(error, node, name)
            result = error.facts.get("result")
            return result if isinstance(result, Value) else UNKNOWN

    def container_method(self, method: BoundMethod, args: list, node: Any) -> Value:
        """``lst.append(x)`` and friends: rebind the receiver's name to the new value."""
        receiver = method.receiver
        target = node.func.value if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) else None
        if isinstance(receiver, ListVal):
            if method.name == "append" and len(args) == 1:
                new: Value = ListVal(receiver.items + (args[0],))
            elif method.name == "extend" and len(args) == 1 and self.iteration_items(args[0]) is not None:
                new = ListVal(receiver.items + tuple(self.iteration_items(args[0])))
                if len(new.items) > MAX_SEQUENCE:
                    new = UNKNOWN
            elif method.name in ("index", "count", "copy"):
                return ListVal(receiver.items) if method.name == "copy" else UNKNOWN
            else:
                new = UNKNOWN
            if target is not None:
                self._rebind(target, new)
            return Const(None) if method.name in ("append", "extend") else UNKNOWN
        if isinstance(receiver, DictVal):
            if method.name == "get" and args and dict_key(args[0]) is not None:
                return receiver.get(dict_key(args[0]), args[1] if len(args) > 1 else Const(None))
            if method.name == "keys":
                return ListVal(tuple(key_value(k) for k, _ in receiver.items))
            if method.name == "values":
                return ListVal(tuple(v for _, v in receiver.items))
            if method.name == "items":
                return ListVal(tuple(TupleVal((key_value(k), v)) for k, v in receiver.items))
            if method.name == "copy":
                return receiver
            if target is not None:
                self._rebind(target, UNKNOWN)
        return UNKNOWN

    def call_function(self, fn: FunctionVal, args: list, kwargs: dict, alone: bool = False) -> Value:
        node = fn.node
        if node in self.active or len(self.active) >= MAX_CALL_DEPTH:
            return UNKNOWN
        if not alone:
            self.called.add(node)
        if isinstance(node, cst.FunctionDef) and self.syntax_fact(_is_generator, node):
            return UNKNOWN
        if fn.bound is not None and fn.kind in ("function", "property", "classmethod"):
            args = [fn.bound, *args]
        scope = Scope(parent=fn.closure)
        if not self.bind_params(fn, scope, args, kwargs, alone):
            return UNKNOWN
        outer_scope = self.scope
        outer_context = self.context
        self.scope = scope
        self.context = [] if alone else self.context
        self.alone_depth += alone
        self.frames.append(Frame())
        self.active.append(node)
        try:
            if isinstance(node, cst.Lambda):
                return self.eval(node.body)
            self.exec_block(node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body)
            frame = self.frame
            results = list(frame.returns)
            if not frame.dead:
                results.append(Const(None))
            result = results[0] if results else UNKNOWN
            for value in results[1:]:
                result = join(result, value)
            return result
        finally:
            self.active.pop()
            self.frames.pop()
            self.scope = outer_scope
            self.context = outer_context
            self.alone_depth -= alone

    def bind_params(self, fn: FunctionVal, scope: Scope, args: list, kwargs: dict, alone: bool) -> bool:
        """Bind arguments to parameters as Python does; False when the call cannot be matched."""
        params = fn.node.params
        positional = [*params.posonly_params, *params.params]
        if alone:
            for param in (*positional, *params.kwonly_params):
                scope.vars[param.name.value] = UNKNOWN
            if args and positional:  # the bound ``self``
                scope.vars[positional[0].name.value] = args[0]
            for star in (params.star_arg, params.star_kwarg):
                if isinstance(star, cst.Param):
                    scope.vars[star.name.value] = UNKNOWN
            return True
        kwargs = dict(kwargs)
        for index, param in enumerate(positional):
            name = param.name.value
            if index < len(args):
                scope.vars[name] = args[index]
            elif name in kwargs:
                scope.vars[name] = kwargs.pop(name)
            elif name in fn.defaults:
                scope.vars[name] = fn.defaults[name]
            else:
                return False
        extra = args[len(positional):]
        if extra:
            if not isinstance(params.star_arg, cst.Param):
                return False
        if isinstance(params.star_arg, cst.Param):
            scope.vars[params.star_arg.name.value] = TupleVal(tuple(extra))
        for param in params.kwonly_params:
            name = param.name.value
            if name in kwargs:
                scope.vars[name] = kwargs.pop(name)
            elif name in fn.defaults:
                scope.vars[name] = fn.defaults[name]
            else:
                return False
        if isinstance(params.star_kwarg, cst.Param):
            scope.vars[params.star_kwarg.name.value] = DictVal(tuple(kwargs.items()))
        elif kwargs:
            return False
        return True

    def eval_ListComp(self, node) -> Value:
        items = self.comprehension(node)
        return UNKNOWN if items is None else ListVal(items)

    def eval_GeneratorExp(self, node) -> Value:
        items = self.comprehension(node)
        return UNKNOWN if items is None else TupleVal(items)

    def comprehension(self, node) -> Optional[tuple]:
        """Comprehensions over known, short iterables are expanded; others are unknown."""
        outer = self.scope
        self.scope = Scope(parent=outer)
        try:
            results: list = []
            if not self._expand(node.for_in, node.elt, results):
                return None
            return tuple(results)
        finally:
            self.scope = outer

    def _expand(self, clause, element, results: list) -> bool:
        items = self.iteration_items(self.eval(clause.iter))
        if items is None or len(items) > MAX_UNROLL:
            return False
        for item in items:
            self.assign(clause.target, item)
            keep = True
            for condition in clause.ifs:
                truth = self.truth(self.eval(condition.test))
                if truth is None:
                    return False
                keep = keep and truth
            if not keep:
                continue
            if clause.inner_for_in is not None:
                if not self._expand(clause.inner_for_in, element, results):
                    return False
            else:
                results.append(self.eval(element))
                if len(results) > MAX_SEQUENCE:
                    return False
        return True

    # -- helpers ------------------------------------------------------------------------------
    def iteration_items(self, value: Value) -> Optional[tuple]:
        if isinstance(value, (TupleVal, ListVal)):
            return value.items
        if isinstance(value, DictVal):
            return tuple(key_value(k) for k, _ in value.items)
        if isinstance(value, Const) and isinstance(value.value, str) and len(value.value) <= MAX_UNROLL:
            return tuple(Const(ch) for ch in value.value)
        if isinstance(value, py_builtins.RangeVal):
            return value.items()
        return None

    def truth(self, value: Value) -> Optional[bool]:
        if isinstance(value, Const):
            try:
                return bool(value.value)
            except Exception:  # noqa: BLE001
                return None
        if isinstance(value, (TupleVal, ListVal, DictVal)):
            return bool(value.items)
        if isinstance(value, (FunctionVal, ClassVal, ApiRef, InstanceVal)):
            return True
        if isinstance(value, SymInt):
            positive = dims.provably_positive(value.dim)
            return True if positive else None
        return None


# -- small pure helpers ---------------------------------------------------------------------------


def _type_name(value: Value) -> Optional[str]:
    if isinstance(value, TensorVal):
        return "ndarray" if value.kind == "ndarray" else "Tensor"
    if isinstance(value, ShapeVal):
        return "TensorShape"
    if isinstance(value, ObjectVal):
        return value.type_name
    return None


def _identity(left: Value, right: Value) -> Optional[bool]:
    if isinstance(left, Const) and isinstance(right, Const):
        if left.value is None or right.value is None or isinstance(left.value, bool):
            return left.value is right.value
        return None
    if isinstance(right, Const) and right.value is None:
        if isinstance(left, (TensorVal, TupleVal, ListVal, DictVal, FunctionVal, ClassVal, SymInt)):
            return False
    return None


def _contains(container: Value, item: Value) -> Optional[bool]:
    if isinstance(container, DictVal):
        key = dict_key(item)
        return None if key is None else container.get(key, None) is not None
    if not isinstance(item, Const):
        return None
    if isinstance(container, (TupleVal, ListVal)):
        if all(isinstance(v, Const) for v in container.items):
            return any(v.value == item.value for v in container.items)
        return None
    if isinstance(container, Const) and isinstance(container.value, str) and isinstance(item.value, str):
        return item.value in container.value
    return None


def _may_repeat_sequence(left: Value, right: Value) -> bool:
    """``[a, b] * n`` repeats the list when ``n`` is an integer scalar, even a NumPy or TF one
    (they have ``__index__``): only a tensor of rank >= 1 makes it elementwise."""
    if isinstance(left, (ListVal, TupleVal)):
        other = right
    elif isinstance(right, (ListVal, TupleVal)):
        other = left
    else:
        return False
    return not (isinstance(other, TensorVal) and other.shape is not None and len(other.shape) >= 1)


def _const_binop(name: str, fn, a: Any, b: Any) -> Value:
    if fn is None:
        return UNKNOWN
    if name == "pow" and isinstance(b, (int, float)) and abs(b) > 64:
        return UNKNOWN
    if name == "multiply" and isinstance(a, (str, bytes, int)) and isinstance(b, (str, bytes, int)):
        if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
            length = len(a) * b if isinstance(a, (str, bytes)) else len(b) * a
            if length > MAX_SEQUENCE:
                return UNKNOWN
    if name == "add" and isinstance(a, (str, bytes)) and isinstance(b, (str, bytes)) and len(a) + len(b) > MAX_SEQUENCE:
        return UNKNOWN  # s = s + s in a loop
    if name == "mod" and isinstance(a, (str, bytes)) and _WIDE_FORMAT.search(a if isinstance(a, str) else a.decode("latin-1")):
        return UNKNOWN  # "%999999999s" % x: a gigabyte
    try:
        result = fn(a, b)
    except Exception:  # noqa: BLE001 - the program would raise; that is not a shape finding
        return UNKNOWN
    if isinstance(result, int) and abs(result) > 10**30:
        return UNKNOWN
    return Const(result)


def _symbolic_binop(name: str, a, b) -> Value:
    if name == "add":
        result = dims.add(a, b)
    elif name == "subtract":
        result = dims.sub(a, b)
    elif name == "multiply":
        result = dims.mul(a, b)
    elif name == "floordiv" and isinstance(b, int) and b > 0:
        result = dims.floor_div(a, b)
    else:
        return UNKNOWN
    if isinstance(result, int):
        return Const(result)
    return SymInt(result) if result is not None else UNKNOWN


def _index_sequence(base, key: Value) -> Value:
    items = base.items
    if isinstance(key, Const) and isinstance(key.value, int) and not isinstance(key.value, bool):
        if -len(items) <= key.value < len(items):
            return items[key.value]
        return UNKNOWN
    if isinstance(key, SliceVal):
        parts = []
        for part in (key.start, key.stop, key.step):
            if not isinstance(part, Const) or not (part.value is None or isinstance(part.value, int)):
                return UNKNOWN
            parts.append(part.value)
        if parts[2] == 0:
            return UNKNOWN
        return type(base)(items[slice(*parts)])
    return UNKNOWN


def _target_names(node) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for e in node.elements for n in _target_names(e.value)]
    return []


class _NameCollector(cst.CSTVisitor):
    def __init__(self):
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)


def _assigned_names(stmt) -> list[str]:
    collector = _NameCollector()
    stmt.visit(collector)
    return collector.names


_FIELDS: dict = {}


def _child_nodes(node: cst.CSTNode):
    """The direct children of a node, read from its dataclass fields: unlike ``CSTNode.visit``, no
    tree is rebuilt (these walks run once per loop and function, on the hot path)."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = tuple(field.name for field in dataclasses.fields(node))
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, cst.CSTNode))


def _contains_node(root: cst.CSTNode, wanted: tuple, barriers: tuple) -> bool:
    """Whether a node of a ``wanted`` type occurs under ``root``, not looking inside ``barriers``."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, wanted):
            return True
        if node is not root and isinstance(node, barriers):
            continue
        stack.extend(_child_nodes(node))
    return False


def _has_loop_exit(body) -> bool:
    """A break/continue of this loop (not of a nested loop, function or class)."""
    return _contains_node(body, (cst.Break, cst.Continue), (cst.For, cst.While, cst.FunctionDef, cst.ClassDef))


def _is_generator(node: cst.FunctionDef) -> bool:
    return _contains_node(node.body, (cst.Yield,), (cst.FunctionDef, cst.Lambda))
