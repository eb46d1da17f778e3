"""Abstract interpretation of one module over its syntax tree (CPython's ``ast``).

The interpreter knows Python, not TensorFlow: every call of an imported API, every tensor
operator and every tensor attribute is handed to the op registry. Shape functions raise typed
errors; the interpreter records them with the failing call's node and carries on with an unknown
result, so one bug yields one finding and never a cascade.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass, replace
from typing import Any, Optional, Union

from ..ops import registry
from ..ops.errors import ShapeError
from ..shapes import dims
from . import builtins as py_builtins
from . import calls, loops, origins, paths
from .budget import FILE_STEPS, STATEMENT_STEPS, BudgetExceeded, within
from .spreads import spread_values
from .calls import Frame
from .arithmetic import LARGEST_INT, classic_division, negated, number_operation
from .foreign import CallsOut
from .imports import bindings_of_import, bindings_of_import_from
from .replay import record_application
from .runs import check_runs
from .scope import Scope
from .sequences import (
    CONTAINER_NAMES,
    CONTAINERS,
    MAX_SEQUENCE,
    comprehension,
    container_method,
    index_sequence,
    sequence_operation,
    with_item,
)
from .syntax import SyntaxFacts
from ..domain.arguments import Arguments
from ..domain.sequences import GENERATOR, LIST, SequenceSummary, iteration_items
from ..domain.tf_versions import Versions, as_versions
from ..domain.values import (
    UNKNOWN,
    ApiRef,
    BoundMethod,
    ClassVal,
    Const,
    DictVal,
    FunctionVal,
    ImportedName,
    InstanceVal,
    ListVal,
    ModuleVal,
    NumberVal,
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
)


@dataclass
class Assignment:
    """A name bound to a tensor (or a model), for ``explain`` and hovers."""

    node: Any
    name: str
    value: Value
    alone: bool  # seen while analysing a function without its callers (inputs unknown)


_BINOPS = {
    ast.Add: ("add", operator.add),
    ast.Sub: ("subtract", operator.sub),
    ast.Mult: ("multiply", operator.mul),
    ast.Div: ("truediv", operator.truediv),
    ast.FloorDiv: ("floordiv", operator.floordiv),
    ast.Mod: ("mod", operator.mod),
    ast.Pow: ("pow", operator.pow),
    ast.MatMult: ("matmul", None),
}

_COMPARES = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}

_TENSOR_COMPARES = {
    ast.Lt: "less",
    ast.LtE: "less_equal",
    ast.Gt: "greater",
    ast.GtE: "greater_equal",
}


_DECORATORS_KEEPING_FUNCTION = {"tf.function", "tf.autograph.experimental.do_not_convert"}
_METHOD_KINDS = {"staticmethod", "classmethod", "property"}


class Interpreter:
    def __init__(self, module: ast.Module, record_assignments: bool = False,
                 target_version: Union[str, Versions] = "tf2", source: Optional[str] = None, loader=None,
                 module_name: str = "__main__", path: Optional[str] = None, python2=None, run: str = "linted"):
        self.module = module
        self.loader = loader  # the project's modules (project.loader.ProjectLoader), or None: imports stop here
        self.path = path  # the analysed file, from which imports are resolved
        self.calls_out = CallsOut(self)  # calls into other modules' functions, and their errors
        self.tf_versions = as_versions(target_version)  # the releases targeted: ops whose semantics changed read them
        # a module read as Python 2 (python2.Reading): its builtins (xrange...) and, unless it imports
        # division from __future__, `/` of two ints that floors
        self.python2 = python2 is not None
        self.classic_division = python2 is not None and python2.classic_division
        self.errors: list[ShapeError] = []
        self.assignments: list[Assignment] = [] if record_assignments else None
        self.globals = Scope(module=path)  # functions defined here know their module through it
        self.globals.vars["__name__"] = Const(module_name)
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
        self.runs: list = []  # Session.run calls to re-check with their feeds once the walk is done
        self.unrolled = 1  # iterations of the unrolled loops being run, multiplied (loops.MAX_UNROLLED)
        self.uncertain = 0  # > 0 on a path that may not be taken (a branch on an unknown condition...)
        self.steps = 0
        self.limit = FILE_STEPS  # the step at which the tightest budget in force runs out (analysis.budget)
        self.stopped: list = []  # statements, loops and calls abandoned on their budget (budget.Stopped)
        self.symbols = dims.Symbols(dims.analysis_scope(path, run))  # ``run``: which analysis of the module this is
        self._error_keys: set = set()
        self.syntax = SyntaxFacts(source)  # generators and loops that break, found once per node

    # -- entry points -------------------------------------------------------------------------
    def run(self) -> None:
        for stmt in self.module.body:  # each on its own budget: one heavy statement does not end the file
            if self.frame.dead:
                break
            within(self, stmt, "statement", STATEMENT_STEPS, lambda: self.exec_stmt(stmt))
        self._analyse_uncalled_classes()
        self._analyse_uncalled_functions()
        check_runs(self.runs, self.errors, lambda error: self.record(error, error.node, error.op_name))

    def release(self) -> None:
        """Drop what only the walk needed (the tree, the functions and classes seen, the errors): the
        interpreter of an imported module lives on in the op applications its tensors recorded."""
        self.module = None
        self.syntax = SyntaxFacts(None)
        self.defined, self.classes, self.errors, self.runs, self.stopped = [], [], [], [], []
        self.called = set()
        self._error_keys = set()

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
                calls.call_function(self, init.bound_to(instance), [], {}, alone=True)
            for method in methods:
                if method.node not in self.called and method.name != "__init__":
                    calls.call_function(self, method.bound_to(instance), [], {}, alone=True)
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
            calls.call_function(self, fn, [], {}, alone=True)

    def new_symbol(self, base: str) -> dims.Expr:
        return self.symbols.new(base)

    def syntax_of(self, module: Optional[str]) -> SyntaxFacts:
        """The syntax facts of the module whose code runs (another module's own, from the loader)."""
        return self.syntax if self.is_own(module) else self.loader.syntax(module)

    def is_own(self, module: Optional[str]) -> bool:
        """Whether code of ``module`` (a scope's) is this file's."""
        return module is None or module == self.path or self.loader is None

    # -- bookkeeping --------------------------------------------------------------------------
    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.limit:
            raise BudgetExceeded(f"more than {FILE_STEPS} evaluation steps")

    def record(self, error: ShapeError, node: Any, op_name: str) -> None:
        if error.node is None:
            error.node = node
        error.op_name = op_name
        if not self.calls_out.keep(error):
            return
        key = (type(error), id(error.node), error.message)
        if key not in self._error_keys:
            self._error_keys.add(key)
            self.errors.append(error)

    # -- statements ---------------------------------------------------------------------------
    def exec_block(self, body) -> None:
        frames = self.frames  # the same list all along (``frame`` is its last), read once per block
        for stmt in body:
            if frames[-1].dead:
                return
            self.exec_stmt(stmt)

    def exec_stmt(self, stmt: ast.stmt) -> None:
        self.steps += 1  # tick(), inlined as in ``eval``: one call less per statement
        if self.steps > self.limit:
            raise BudgetExceeded(f"more than {FILE_STEPS} evaluation steps")
        executor = _STATEMENTS.get(type(stmt))
        if executor is not None:
            executor(self, stmt)
        else:  # anything newer: the names it mentions become unknown
            for name in _assigned_names(stmt):
                self.scope.vars[name] = UNKNOWN

    def exec_Assign(self, stmt: ast.Assign) -> None:
        value = self.alias(stmt.value) if type(stmt.value) is ast.Name else self.eval(stmt.value)
        for target in stmt.targets:
            self.assign(target, value)

    def exec_Expr(self, stmt: ast.Expr) -> None:
        self.eval(stmt.value)

    def exec_With(self, stmt: ast.With) -> None:
        entered = []
        for item in stmt.items:
            value = self.eval(item.context_expr)
            entered.append(value)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value if isinstance(value, (ObjectVal, TensorVal)) else UNKNOWN)
        self.context.extend(entered)
        try:
            self.exec_block(stmt.body)
        finally:
            del self.context[len(self.context) - len(entered):]

    def exec_AnnAssign(self, stmt: ast.AnnAssign) -> None:
        if stmt.value is not None:
            self.assign(stmt.target, self.eval(stmt.value))

    def exec_AugAssign(self, stmt: ast.AugAssign) -> None:
        current = self.eval(stmt.target)
        self.assign(stmt.target, self.binary(type(stmt.op), current, self.eval(stmt.value), stmt))

    def exec_Return(self, stmt: ast.Return) -> None:
        self.frame.returns.append(self.eval(stmt.value) if stmt.value is not None else Const(None))
        self.frame.dead = True

    def exec_Import(self, stmt: ast.Import) -> None:
        for name, value in bindings_of_import(stmt, self.loader, self.path):
            self.scope.vars[name] = value

    def exec_ImportFrom(self, stmt: ast.ImportFrom) -> None:
        for name, value in bindings_of_import_from(stmt, self.loader, self.path):
            self.scope.vars[name] = value

    def exec_Break(self, stmt: ast.stmt) -> None:  # and ``continue``
        if self.frame.loop_exits:
            self.frame.loop_exits[-1].append((type(stmt), self.scope.snapshot()))
        self.frame.dead = True

    def exec_Raise(self, stmt: ast.Raise) -> None:
        if stmt.exc is not None:
            self.eval(stmt.exc)
        self.frame.dead = True

    def exec_Assert(self, stmt: ast.Assert) -> None:
        self.eval(stmt.test)

    def exec_Delete(self, stmt: ast.Delete) -> None:
        for target in stmt.targets:
            for name in _target_names(target):
                self.scope.vars.pop(name, None)

    def exec_Pass(self, stmt: ast.stmt) -> None:  # and ``global``, ``nonlocal``
        pass

    def set_attr(self, obj, name: str, value: Value) -> None:
        """Write an attribute of a mutable object, as the program sees it."""
        self.write(obj.attrs, name, value)

    def set_state(self, obj: ObjectVal, name: str, value: Any) -> None:
        """Write the state an op keeps in an object it made (apart from the object's attributes)."""
        self.write(obj.state, name, value)

    def write(self, table: dict, name: str, value: Any) -> None:
        """Write an entry of an object's attributes or state, journaled so that branches can be joined."""
        if self.journals:
            self.journals[-1].append((table, name, table.get(name, paths.ABSENT)))
        table[name] = value

    def exec_def(self, node: ast.FunctionDef) -> None:
        fn = self.make_function(node, node.name)
        value: Value = fn
        for expr in reversed(node.decorator_list):
            if isinstance(expr, ast.Name) and expr.id in _METHOD_KINDS and value is not UNKNOWN:
                value = replace(value, kind=expr.id)
                continue
            if self.from_project(expr):
                value = UNKNOWN  # what another module's decorator makes of it is not followed: not read
                continue
            decorated = self.eval(expr)
            name = registry.canonical(decorated.path) if isinstance(decorated, ApiRef) else None
            if name not in _DECORATORS_KEEPING_FUNCTION:
                value = UNKNOWN
        self.defined.append(fn)
        self.scope.vars[node.name] = value

    def from_project(self, expr: ast.expr) -> bool:
        """``expr`` (``name``, ``name.attr``, ``name(...)``) names something of another module of the
        project, found without running that module."""
        while isinstance(expr, (ast.Call, ast.Attribute)):
            expr = expr.func if isinstance(expr, ast.Call) else expr.value
        if not isinstance(expr, ast.Name) or self.loader is None:
            return False
        return isinstance(self.scope.lookup(expr.id), (ImportedName, ModuleVal))

    def alias(self, name: ast.Name) -> Value:
        """``tokenizer_cls = Tokenizer``: a name of another module, bound again, is still read only
        when used (a class body's aliases would otherwise run the module that defines them)."""
        value = self.scope.lookup(name.id)
        if isinstance(value, ImportedName):
            self.tick()
            return value
        return self.eval(name)

    def base_class(self, expr: ast.expr) -> Value:
        """A class statement's base: another module's class is read when the class is first used
        (``class Model(Backbone)`` in a library's every file would otherwise run the library)."""
        if isinstance(expr, ast.Name):
            return self.alias(expr)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            module = self.scope.lookup(expr.value.id)
            if isinstance(module, ModuleVal):
                return ImportedName(module, expr.attr)
        return self.eval(expr)

    def make_function(self, node, name: str) -> FunctionVal:
        defaults = {}
        params = node.args
        positional = (*params.posonlyargs, *params.args)
        for param, default in zip(positional[len(positional) - len(params.defaults):], params.defaults):
            defaults[param.arg] = self.eval(default)
        for param, default in zip(params.kwonlyargs, params.kw_defaults):
            if default is not None:
                defaults[param.arg] = self.eval(default)
        return FunctionVal(node=node, closure=self.scope, name=name, defaults=defaults)

    def exec_class(self, node: ast.ClassDef) -> None:
        bases = tuple(self.base_class(base) for base in node.bases)
        class_scope = Scope(parent=self.scope)
        outer = self.scope
        self.scope = class_scope
        try:
            self.exec_block(node.body)
        finally:
            self.scope = outer
        # methods close over the enclosing scope, not the class body (Python's rule)
        for name, value in class_scope.vars.items():
            if isinstance(value, FunctionVal) and value.closure is class_scope:
                class_scope.vars[name] = replace(value, closure=outer)
        methods = {id(v.node) for v in class_scope.vars.values() if isinstance(v, FunctionVal)}
        # methods are analysed with their class (on an instance), not as free functions
        self.defined[:] = [f for f in self.defined if id(f.node) not in methods]
        cls = ClassVal(node=node, name=node.name, attrs=class_scope.vars, bases=bases)
        self.classes.append(cls)
        outer.vars[node.name] = cls

    # -- assignment ---------------------------------------------------------------------------
    def assign(self, target: ast.expr, value: Value) -> None:
        kind = type(target)
        if kind is ast.Name:
            if isinstance(value, TensorVal):
                origins.name_sizes(value, target.id)
                value = value.named(target.id)
            if self.assignments is not None and isinstance(value, (TensorVal, ObjectVal)):
                self.assignments.append(Assignment(target, target.id, value, self.alone_depth > 0))
            self.scope.vars[target.id] = value
        elif kind in (ast.Tuple, ast.List):
            self.assign_unpacked(target.elts, value)
        elif kind is ast.Subscript:
            self.assign_item(target, value)
        elif kind is ast.Attribute:
            base = self.eval(target.value)
            if isinstance(base, (ObjectVal, ClassVal, InstanceVal)):
                if isinstance(value, TensorVal):
                    origins.name_sizes(value, target.attr)
                    value = value.named(target.attr)
                self.set_attr(base, target.attr, value)
        elif kind is ast.Starred:
            self.assign(target.value, UNKNOWN)

    def assign_unpacked(self, elements, value: Value) -> None:
        items = iteration_items(value)
        starred = [i for i, e in enumerate(elements) if isinstance(e, ast.Starred)]
        if items is None or (not starred and len(items) != len(elements)):
            for element in elements:
                self.assign(element, UNKNOWN)
            return
        if starred:
            star = starred[0]
            tail = len(elements) - star - 1
            if len(items) < star + tail:
                for element in elements:
                    self.assign(_unstarred(element), UNKNOWN)
                return
            head_items = list(items[:star])
            rest = ListVal(tuple(items[star:len(items) - tail]))
            tail_items = list(items[len(items) - tail:])
            for element, item in zip(elements, head_items + [rest] + tail_items):
                self.assign(_unstarred(element), item)
            return
        for element, item in zip(elements, items):
            self.assign(element, item)

    def assign_item(self, target: ast.Subscript, value: Value) -> None:
        """``container[key] = value`` rebinds the container (values are immutable)."""
        container = self.eval(target.value)
        if isinstance(target.slice, ast.Slice):
            return self.rebind(target.value, UNKNOWN)
        key = self.eval(target.slice)
        if isinstance(container, DictVal) and dict_key(key) is not None:
            if isinstance(value, TensorVal) and isinstance(dict_key(key), str):
                value = value.named(dict_key(key))
            return self.rebind(target.value, container.set(dict_key(key), value))
        if isinstance(container, (DictVal, ListVal, SequenceSummary)):
            self.rebind(target.value, with_item(container, key, value))

    def rebind(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, (ast.Name, ast.Subscript, ast.Attribute)):
            self.assign(target, value)

    # -- expressions --------------------------------------------------------------------------
    def eval(self, node: ast.expr) -> Value:
        self.steps += 1  # tick(), inlined: this is the interpreter's hottest line
        if self.steps > self.limit:
            raise BudgetExceeded(f"more than {FILE_STEPS} evaluation steps")
        method = _EVALUATORS.get(type(node))
        if method is None:
            return UNKNOWN
        return method(self, node)

    def eval_Constant(self, node: ast.Constant) -> Value:
        value = node.value
        if isinstance(value, complex) or (isinstance(value, int) and abs(value) > LARGEST_INT):
            return UNKNOWN  # not a size: past 4300 digits, even printing it raises
        return Const(value)

    def eval_Name(self, node: ast.Name) -> Value:
        value = self.scope.lookup(node.id)
        if value is not None:
            if value.__class__ is ImportedName:  # ``from model import build``: read it now
                value = value.resolve() if not self.alone_depth else None  # (not for code without callers)
                return UNKNOWN if value is None else value
            return value
        return py_builtins.builtin(node.id, self.python2)

    def eval_Tuple(self, node: ast.Tuple) -> Value:
        items = self.elements_value(node.elts)
        return UNKNOWN if items is None else TupleVal(items, node)

    def eval_List(self, node: ast.List) -> Value:
        items = self.elements_value(node.elts)
        return UNKNOWN if items is None else ListVal(items, node)

    def elements_value(self, elements) -> Optional[tuple]:
        items = spread_values(self, elements)
        return tuple(items) if items is not None and len(items) <= MAX_SEQUENCE else None

    def eval_Dict(self, node: ast.Dict) -> Value:
        entries: dict = {}  # as DictVal.set does, one key at a time, without its O(n) copy (a 20k-entry literal)
        for key_node, value_node in zip(node.keys, node.values):
            if key_node is None:  # ``**other``
                spread = self.eval(value_node)
                if not isinstance(spread, DictVal):
                    return UNKNOWN
                for key, value in spread.items:
                    entries.pop(key, None)
                    entries[key] = value
                continue
            key = dict_key(self.eval(key_node))
            value = self.eval(value_node)
            if key is None:
                return UNKNOWN
            if isinstance(value, TensorVal) and isinstance(key, str):
                value = value.named(key)
            entries.pop(key, None)
            entries[key] = value
        return DictVal(tuple(entries.items()))

    def eval_Set(self, node: ast.Set) -> Value:
        for element in node.elts:
            self.eval(element)
        return UNKNOWN

    def eval_JoinedStr(self, node: ast.JoinedStr) -> Value:
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                self.eval(part.value)
        return UNKNOWN

    def eval_NamedExpr(self, node: ast.NamedExpr) -> Value:
        value = self.eval(node.value)
        self.assign(node.target, value)
        return value

    def eval_Lambda(self, node: ast.Lambda) -> Value:
        fn = self.make_function(node, "<lambda>")
        return fn

    def eval_IfExp(self, node: ast.IfExp) -> Value:
        truth = self.truth(self.eval(node.test))
        if truth is True:
            return self.eval(node.body)
        if truth is False:
            return self.eval(node.orelse)
        self.uncertain += 1
        try:
            return join(self.eval(node.body), self.eval(node.orelse))
        finally:
            self.uncertain -= 1

    def eval_UnaryOp(self, node: ast.UnaryOp) -> Value:
        value = self.eval(node.operand)
        op = type(node.op)
        if op is ast.Not:
            truth = self.truth(value)
            return UNKNOWN if truth is None else Const(not truth)
        if isinstance(value, Const) and isinstance(value.value, (int, float)):
            if op is ast.USub:
                return Const(-value.value)
            if op is ast.UAdd:
                return Const(+value.value)
            if op is ast.Invert and isinstance(value.value, int):
                return Const(~int(value.value))  # ``~True`` is -2, with a DeprecationWarning from Python 3.12
        if isinstance(value, SymInt) and op is ast.USub:
            return SymInt(dims.neg(value.dim))
        if isinstance(value, NumberVal) and op is not ast.Invert:
            return negated(value)
        if isinstance(value, TensorVal) and op is not ast.Invert:
            return self.call_op("operator.neg", [value], {}, node)
        return UNKNOWN

    def eval_BoolOp(self, node: ast.BoolOp) -> Value:
        """``a and b and c`` as Python runs it: left to right, stopping at the first deciding value."""
        stop_at = isinstance(node.op, ast.Or)  # the truth that decides: True for ``or``, False for ``and``
        value = self.eval(node.values[0])
        for operand in node.values[1:]:
            truth = self.truth(value)
            if truth is None:
                value = join(value, self.eval(operand))
            elif truth is stop_at:
                return value
            else:
                value = self.eval(operand)
        return value

    def eval_Compare(self, node: ast.Compare) -> Value:
        left = self.eval(node.left)
        if len(node.ops) == 1:
            right = self.eval(node.comparators[0])
            name = _TENSOR_COMPARES.get(type(node.ops[0]))
            identity = isinstance(node.ops[0], (ast.Is, ast.IsNot, ast.In, ast.NotIn))  # not elementwise
            if not identity and (isinstance(left, TensorVal) or isinstance(right, TensorVal)):
                # ``<``, ``>``... are elementwise; ``==``/``!=`` never raise on shapes (TF2 gives False)
                return self.call_op(f"operator.{name}", [left, right], {}, node) if name else UNKNOWN
            outcome = self.compare(node.ops[0], left, right)
            return UNKNOWN if outcome is None else Const(outcome)
        result: Optional[bool] = True
        for op, comparator in zip(node.ops, node.comparators):
            right = self.eval(comparator)
            outcome = self.compare(op, left, right)
            if outcome is False:
                return Const(False)
            if outcome is None:
                result = None
            left = right
        return UNKNOWN if result is None else Const(True)

    def compare(self, op: ast.cmpop, left: Value, right: Value) -> Optional[bool]:
        if isinstance(op, (ast.Is, ast.IsNot)):
            same = _identity(left, right)
            if same is None:
                return None
            return same if isinstance(op, ast.Is) else not same
        if isinstance(op, (ast.In, ast.NotIn)):
            found = _contains(right, left)
            if found is None:
                return None
            return found if isinstance(op, ast.In) else not found
        fn = _COMPARES.get(type(op))
        if fn is None:
            return None
        if isinstance(left, Const) and isinstance(right, Const):
            try:
                return bool(fn(left.value, right.value))
            except Exception:  # noqa: BLE001 - e.g. comparing str and int: unknown
                return None
        if fn in (operator.eq, operator.ne):
            same = self.equal(left, right)
            if same is not None:
                return same if fn is operator.eq else not same
        return None

    def equal(self, left: Value, right: Value) -> Optional[bool]:
        """``left == right`` for ints, sizes and sequences of them (``x.shape != y.shape``); None: unknown."""
        if isinstance(left, Const) and isinstance(right, Const):
            return self.compare(ast.Eq(), left, right)
        a, b = int_value(left), int_value(right)
        if a is not None and b is not None:
            return dims.equal(a, b)
        if isinstance(left, (TupleVal, ListVal)) and isinstance(right, (TupleVal, ListVal)):
            if type(left) is not type(right) and not isinstance(left, ShapeVal) and not isinstance(right, ShapeVal):
                return False  # [1, 2] == (1, 2) is False; a TensorShape equals either
            if len(left.items) != len(right.items):
                return False
            outcomes = [self.equal(x, y) for x, y in zip(left.items, right.items)]
            if False in outcomes:
                return False
            return True if all(outcomes) else None
        return None

    def eval_BinOp(self, node: ast.BinOp) -> Value:
        left = self.eval(node.left)
        right = self.eval(node.right)
        return self.binary(type(node.op), left, right, node)

    def binary(self, op: type, left: Value, right: Value, node: Any) -> Value:
        entry = _BINOPS.get(op)
        if entry is None:
            return UNKNOWN
        name, fn = entry
        tensors = isinstance(left, TensorVal) or isinstance(right, TensorVal)
        if name == "truediv" and self.classic_division and not tensors:
            entry = classic_division(left, right)
            if entry is None:
                return UNKNOWN
            name, fn = entry
        if tensors:
            if name == "multiply" and _may_repeat_sequence(left, right):
                return UNKNOWN
            return self.call_op(f"operator.{name}", [left, right], {}, node)
        sequence = sequence_operation(name, left, right)
        if sequence is not None:
            return sequence
        return number_operation(name, fn, left, right)

    def eval_Attribute(self, node: ast.Attribute) -> Value:
        base = self.eval(node.value)
        return self.attribute(base, node.attr, node)

    def attribute(self, base: Value, name: str, node: Any = None) -> Value:
        if base is UNKNOWN:  # a third of all bases: answered before the chain of type tests below
            return UNKNOWN
        if isinstance(base, ApiRef):
            path = f"{base.path}.{name}"
            getter = registry.lookup_module_value(path)
            if getter is not None:  # a module-level object such as ``absl.flags.FLAGS``
                return self.invoke(getter, registry.canonical(path), Arguments([], {}), node)
            return ApiRef(path)
        if isinstance(base, ObjectVal) and name in base.attrs:  # the object's own or written by the program
            return base.attrs[name]
        if isinstance(base, ModuleVal):
            # Code analysed without its callers does not run other modules: its inputs are unknown
            # anyway, and a library's functions would run most of the library, file after file.
            value = base.get(name) if not self.alone_depth else None
            return UNKNOWN if value is None else value
        type_name = _type_name(base)
        if type_name is not None:
            getter = registry.lookup_property(f"{type_name}.{name}")
            if getter is not None:
                return self.invoke(getter, f"{type_name}.{name}", Arguments([base], {}), node)
            return BoundMethod(base, type_name, name)
        if isinstance(base, InstanceVal):
            if name in base.attrs:
                return base.attrs[name]
            return self.class_attribute(base.cls, name, base)
        if isinstance(base, ClassVal):
            return self.class_attribute(base, name, None)
        if isinstance(base, CONTAINERS):
            return BoundMethod(base, type(base).__name__, name)
        return UNKNOWN

    def class_attribute(self, cls: ClassVal, name: str, instance: Optional[InstanceVal]) -> Value:
        for klass in cls.mro(imported=not self.alone_depth):
            if name in klass.attrs:
                value = klass.attrs[name]
                if isinstance(value, FunctionVal):
                    if value.kind == "property":
                        return calls.call_function(self, value.bound_to(instance), [], {}) if instance else UNKNOWN
                    if value.kind == "function" and instance is not None:
                        return value.bound_to(instance)
                    if value.kind == "classmethod":
                        return value.bound_to(cls)
                return value
        return UNKNOWN

    def instantiate(self, cls: ClassVal, args: list, kwargs: dict) -> Value:
        instance = InstanceVal(cls, {})
        init = self.class_attribute(cls, "__init__", instance)
        if isinstance(init, FunctionVal):
            calls.call_function(self, init, args, kwargs)
        return instance

    def call_instance(self, instance: InstanceVal, args: list, kwargs: dict) -> Value:
        """``obj(x)``: the class's ``__call__``, or the method a library base class calls
        (``call`` for Keras layers and models)."""
        method = self.class_attribute(instance.cls, "__call__", instance)
        if not isinstance(method, FunctionVal):
            for base in instance.cls.library_bases(imported=not self.alone_depth):
                name = registry.call_method(base.path)
                if name is not None:
                    method = self.class_attribute(instance.cls, name, instance)
                    break
        if isinstance(method, FunctionVal):
            return calls.call_function(self, method, args, kwargs)
        return UNKNOWN

    def eval_Subscript(self, node: ast.Subscript) -> Value:
        base = self.eval(node.value)
        index = node.slice
        if isinstance(index, ast.Tuple) and any(isinstance(part, ast.Slice) for part in index.elts):
            key: Value = TupleVal(tuple(self.index_value(part) for part in index.elts))
        else:
            key = self.index_value(index)
        return self.subscript(base, key, node)

    def index_value(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Slice):
            return SliceVal(
                self.eval(node.lower) if node.lower is not None else Const(None),
                self.eval(node.upper) if node.upper is not None else Const(None),
                self.eval(node.step) if node.step is not None else Const(None),
            )
        return self.eval(node)

    def subscript(self, base: Value, key: Value, node: Any) -> Value:
        if isinstance(base, DictVal):
            stored = dict_key(key)
            return UNKNOWN if stored is None else base.get(stored, UNKNOWN)
        if isinstance(base, (TupleVal, ListVal, SequenceSummary)):
            return index_sequence(base, key)
        if isinstance(base, TensorVal):
            method = f"{_type_name(base)}.__getitem__"  # NumPy's fancy indexing differs from TF's
            if registry.lookup(method) is None:
                method = "Tensor.__getitem__"
            return self.call_op(method, [base, key], {}, node)
        if isinstance(base, ObjectVal):  # a DataFrame's ``df["label"]``, an .npz archive's ``data["x"]``
            return self.call_op(f"{base.type_name}.__getitem__", [base, key], {}, node)
        return UNKNOWN

    def eval_Call(self, node: ast.Call) -> Value:
        """The call, its arguments evaluated once and each paired with the expression that wrote it."""
        callee = self.eval(node.func)
        nodes: list = []
        args = spread_values(self, node.args, nodes)
        complete = args is not None
        spread = complete and None in nodes  # the items of a ``*spread`` have no node (an empty one adds none)
        kwargs: dict[str, Value] = {}
        kwarg_nodes: dict = {}
        for keyword in node.keywords:
            value = self.eval(keyword.value)
            if keyword.arg is None:  # ``**options``
                spread = True
                if isinstance(value, DictVal) and all(isinstance(k, str) for k, _ in value.items):
                    kwargs.update(dict(value.items))
                else:
                    complete = False
            else:
                kwargs[keyword.arg] = value
                kwarg_nodes[keyword.arg] = keyword.value
        if not complete:
            return UNKNOWN
        self.calls_out.site = node  # where a call into another module starts, if this is one
        return self.call_value(callee, Arguments(args, kwargs, nodes, kwarg_nodes, False, spread), node)

    def call_value(self, callee: Value, arguments: Arguments, node: Any = None) -> Value:
        if callee is UNKNOWN:  # the most frequent callee: answered before the chain of type tests below
            return UNKNOWN
        args, kwargs = arguments.values, arguments.keywords
        if isinstance(callee, FunctionVal):
            return calls.call_function(self, callee, args, kwargs)
        if isinstance(callee, ClassVal):
            return self.instantiate(callee, args, kwargs)
        if isinstance(callee, InstanceVal):
            return self.call_instance(callee, args, kwargs)
        if isinstance(callee, ApiRef):
            return self.apply_op(callee.path, arguments, node)
        if isinstance(callee, BoundMethod):
            if callee.type_name in CONTAINER_NAMES:
                return container_method(self, callee, args, node)
            return self.apply_op(f"{callee.type_name}.{callee.name}", arguments.bound_to(callee.receiver), node)
        if isinstance(callee, py_builtins.Builtin):
            return callee.fn(self, args, kwargs)
        if isinstance(callee, ObjectVal):
            return self.apply_op(f"{callee.type_name}.__call__", arguments.bound_to(callee), node)
        return UNKNOWN

    def call_op(self, path: str, args: list, kwargs: dict, node: Any = None) -> Value:
        """The registered API at ``path`` applied to values no expression of a call wrote (operands)."""
        fn = registry.lookup(path)
        if fn is None:
            return UNKNOWN
        return self.invoke(fn, registry.canonical(path), Arguments(args, kwargs), node, path)

    def apply_op(self, path: str, arguments: Arguments, node: Any = None) -> Value:
        fn = registry.lookup(path)
        if fn is None:
            return UNKNOWN
        return self.invoke(fn, registry.canonical(path), arguments, node, path)

    def imported_op_states(self) -> list[dict]:
        """The op states of the project modules this one imports (also for code analysed alone: the
        module's own imports ran whoever calls it)."""
        if self.loader is None or self.path is None:
            return []
        return self.loader.imported_op_states(self.path)

    def invoke(self, fn, name: str, arguments: Arguments, node: Any = None, path: str = "") -> Value:
        call = registry.Call(name=name, args=arguments.values, kwargs=arguments.keywords, node=node,
                             arguments=arguments,
                             new_symbol=self.new_symbol, context=tuple(self.context), set_attr=self.set_attr,
                             set_state=self.set_state, state=self.op_state, versions=self.tf_versions, path=path,
                             alone=self.alone_depth > 0, reporter=self.record, defer_run=self.runs.append,
                             imported_states=self.imported_op_states)
        try:
            result = fn(call)
        except ShapeError as error:  # no value can be produced (a shape function that can goes on: call.report)
            error.facts.setdefault("call", call)  # the failing call, for a reproducer (repro/)
            self.record(error, node, name)
            return UNKNOWN
        record_application(result, fn, call, self.calls_out.current_module())
        return result

    def eval_ListComp(self, node) -> Value:
        return comprehension(self, node, LIST)

    def eval_GeneratorExp(self, node) -> Value:
        return comprehension(self, node, GENERATOR)

    # -- helpers ------------------------------------------------------------------------------
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


# ``exec_Assign`` runs ``ast.Assign``...; control flow lives in its own modules (paths, loops)
_STATEMENTS = {getattr(ast, name[len("exec_"):], None): method for name, method in vars(Interpreter).items()
               if name.startswith("exec_") and name not in ("exec_stmt", "exec_block")}
_STATEMENTS.update({
    ast.If: paths.exec_if, ast.Match: paths.exec_match, ast.Try: paths.exec_try,
    ast.For: loops.exec_for, ast.AsyncFor: loops.exec_for, ast.While: loops.exec_while,
    ast.AsyncWith: Interpreter.exec_With, ast.Continue: Interpreter.exec_Break,
    ast.Global: Interpreter.exec_Pass, ast.Nonlocal: Interpreter.exec_Pass,
    ast.FunctionDef: Interpreter.exec_def, ast.AsyncFunctionDef: Interpreter.exec_def,
    ast.ClassDef: Interpreter.exec_class,
})
if hasattr(ast, "TryStar"):  # ``except*``, Python 3.11+
    _STATEMENTS[ast.TryStar] = paths.exec_try
_STATEMENTS.pop(None, None)  # exec_def, exec_class: registered above under their node types

# ``eval_Name`` evaluates ``ast.Name``...: one dict lookup per node instead of a name built and looked up
_EVALUATORS = {getattr(ast, name[len("eval_"):]): method for name, method in vars(Interpreter).items()
               if name.startswith("eval_")}


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


def _target_names(node) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for e in node.elts for n in _target_names(e)]
    return []


def _unstarred(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Starred) else node


def _assigned_names(stmt: ast.stmt) -> list[str]:
    """Every name a statement mentions (``match`` patterns, which bind names otherwise, have
    exec_match)."""
    return [node.id for node in ast.walk(stmt) if isinstance(node, ast.Name)]
