"""Write one recorded call as the user wrote it, with its tensor inputs renamed to the reproducer's.

The call's syntax node is copied; each argument that held a tensor becomes the name of that tensor
in the reproducer, a constant expression (``[1, 2, 2, 1]``, ``'SAME'``, ``tf.float32``) stays as
written, and any other argument (a variable, a computed size) becomes the literal value the analysis
found for it. What is left may name only the imported APIs and the reproducer's own names: a call
that would still read user code is refused (``CannotWrite``).
"""

from __future__ import annotations

import ast
import copy
from typing import Callable, Optional

from ..domain.values import ApiRef, Const, ListVal, ObjectVal, SymInt, TensorVal, TupleVal, Value

_SCALARS = (int, float, str, bool, bytes, type(None))
MAX_LITERAL_ITEMS = 64  # longer lists and tuples are data: the tensor made from them is written as zeros


class CannotWrite(Exception):
    """The call (or a value it needs) cannot be written without the user's own code."""


class CallWriter:
    """``tensor_name(tensor)`` names a tensor input (emitting how it is made), ``tensor_expr(tensor, node)``
    writes it at ``node`` (its name, or the call that makes it, inline); ``object_expr(obj, node)``
    writes a library object (a Keras layer); ``size(dim)`` gives a symbolic size its bound value;
    ``api`` maps the names the file imports to the modules they stand for."""

    def __init__(self, api: dict, tensor_name: Callable, object_expr: Callable, size: Callable,
                 tensor_expr: Optional[Callable] = None):
        self.api = api
        self.tensor_name = tensor_name
        self.tensor_expr = tensor_expr or (lambda tensor, node: ast.Name(tensor_name(tensor)))
        self.object_expr = object_expr
        self.size = size

    def write(self, call, extra: Optional[dict] = None) -> str:
        """The source text of ``call`` (a ``registry.Call``) in the reproducer; ``extra``: keyword
        arguments to add (those an enclosing ``arg_scope`` gave it)."""
        node = call.node
        if node is None:
            raise CannotWrite("the call has no syntax")
        replacements = {}
        for value, sub in self._pairs(call, node):
            written = self.express(value, sub)
            if written is not None:
                replacements[id(sub)] = written
        written_node = _replaced(node, replacements)
        if extra:
            if written_node is node:
                written_node = copy.deepcopy(node)
            written_node.keywords += [ast.keyword(name, self.literal(value)) for name, value in extra.items()]
        text = ast.unparse(written_node)
        self._check_names(text)
        return text

    def _pairs(self, call, node) -> list:
        """(value, syntax node) of every argument the call read."""
        args = list(call.args)
        if isinstance(node, ast.BinOp) and len(args) == 2:
            return [(args[0], node.left), (args[1], node.right)]
        if isinstance(node, ast.UnaryOp) and len(args) == 1:
            return [(args[0], node.operand)]
        if isinstance(node, ast.Compare) and len(args) == 2 and len(node.comparators) == 1:
            return [(args[0], node.left), (args[1], node.comparators[0])]
        if isinstance(node, ast.Subscript) and len(args) == 2:
            return [(args[0], node.value), (args[1], node.slice)]
        if not isinstance(node, ast.Call):
            raise CannotWrite(f"a {type(node).__name__} is not a call")
        arguments = call.arguments
        if arguments.spread:
            raise CannotWrite("*args or **kwargs")
        pairs = []
        if arguments.receiver:  # a method's receiver, or a called object
            receiver, arguments = args[0], arguments.without_receiver()
            if isinstance(receiver, ObjectVal):
                pairs.append((receiver, node.func))
            elif isinstance(node.func, ast.Attribute):
                pairs.append((receiver, node.func.value))
            else:
                raise CannotWrite("a method call without a receiver")
        nodes = [arguments.node_of(i) for i in range(len(arguments.values))]
        if None in nodes or len(nodes) != len(node.args):
            raise CannotWrite("arguments the syntax does not show")
        pairs.extend(zip(arguments.values, nodes))
        keywords = {k.arg: k.value for k in node.keywords}
        for name, value in arguments.keywords.items():
            sub = arguments.node_of(name)
            if sub is None or keywords.get(name) is not sub:
                raise CannotWrite(f"keyword {name} the syntax does not show")
            pairs.append((value, sub))
        return pairs

    def express(self, value: Value, node) -> Optional[ast.expr]:
        """The expression to write for ``value`` at ``node``; None: the user's text as it is."""
        if isinstance(value, TensorVal):
            return self.tensor_expr(value, node)
        if isinstance(value, ObjectVal):  # a layer, an initializer: as written when made right there
            return None if self.is_constant(node) else self.object_expr(value, node)
        if isinstance(node, (ast.List, ast.Tuple)) and isinstance(value, (ListVal, TupleVal)) and \
                len(node.elts) == len(value.items):
            elts = [self.express(item, sub) or sub for item, sub in zip(value.items, node.elts)]
            return type(node)(elts=elts, ctx=ast.Load())
        if self.is_constant(node):
            return None
        return self.literal(value)

    def literal(self, value: Value) -> ast.expr:
        if isinstance(value, Const) and isinstance(value.value, _SCALARS):
            return ast.Constant(value.value)
        if isinstance(value, SymInt):
            return ast.Constant(self.size(value.dim))
        if isinstance(value, (ListVal, TupleVal)):
            if len(value.items) > MAX_LITERAL_ITEMS:
                raise CannotWrite("a literal too long to write")  # data, not a shape: its tensor is zeros
            elts = [self.literal(item) for item in value.items]
            return ast.List(elts, ast.Load()) if isinstance(value, ListVal) else ast.Tuple(elts, ast.Load())
        if isinstance(value, ApiRef):
            return ast.parse(self.api_path(value.path), mode="eval").body
        if isinstance(value, TensorVal):
            return ast.Name(self.tensor_name(value))
        raise CannotWrite(f"no literal for {type(value).__name__}")

    def api_path(self, path: str) -> str:
        """``tensorflow.float32`` written with the file's own import (``tf.float32``)."""
        best = None
        for alias, module in self.api.items():
            if (path == module or path.startswith(module + ".")) and (best is None or len(module) > len(best[1])):
                best = (alias, module)
        if best is None:
            raise CannotWrite(f"{path} is not imported")
        return best[0] + path[len(best[1]):]

    def is_constant(self, node) -> bool:
        """Literals, arithmetic on them, and attributes of imported modules (``tf.float32``); calls of
        imported APIs with such arguments (``tf.keras.initializers.Zeros()``)."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id not in self.api:
                return False
            if isinstance(sub, (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom,
                                ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp, ast.Starred)):
                return False
            if isinstance(sub, ast.Call) and not _rooted_at_api(sub.func, self.api):
                return False
        return True

    def _check_names(self, text: str) -> None:
        """Refuse what would still read a name of the user's program."""
        for sub in ast.walk(ast.parse(text, mode="eval")):
            if isinstance(sub, ast.Name) and sub.id not in self.api and not self.is_own(sub.id):
                raise CannotWrite(f"the call reads {sub.id}")

    def is_own(self, name: str) -> bool:  # replaced by the program with its own names
        return False


def _rooted_at_api(node, api: dict) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in api


class _Replace(ast.NodeTransformer):
    def __init__(self, replacements: dict):
        self.replacements = replacements

    def visit(self, node):
        replacement = self.replacements.get(id(node))
        if replacement is not None:
            return replacement
        return super().visit(node)


def _replaced(node, replacements: dict):
    """A copy of ``node`` with the sub-nodes keyed by ``id`` in ``replacements`` replaced."""
    if not replacements:
        return node
    copied = copy.deepcopy(node)
    by_copy = {}
    for original, twin in zip(ast.walk(node), ast.walk(copied)):
        if id(original) in replacements:
            by_copy[id(twin)] = replacements[id(original)]
    return _Replace(by_copy).visit(copied)


def imported_apis(tree: ast.Module, roots: tuple) -> tuple:
    """``({name: module path}, {name: import statement})`` for the names the file binds by importing a
    module under ``roots`` (``tf`` -> ``tensorflow.compat.v1``, ``layers`` -> ``tensorflow.keras.layers``)."""
    found, lines = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in roots:
                    name = alias.asname or alias.name.split(".")[0]
                    found[name] = alias.name if alias.asname else name
                    lines[name] = ast.unparse(ast.Import([alias]))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level and \
                node.module.split(".")[0] in roots:
            for alias in node.names:
                if alias.name != "*":
                    name = alias.asname or alias.name
                    found[name] = f"{node.module}.{alias.name}"
                    lines[name] = ast.unparse(ast.ImportFrom(node.module, [alias], 0))
    return found, lines


def import_line(name: str, module: str) -> str:
    """The import statement that binds ``name`` to ``module`` (or to a name defined in it)."""
    if name == module:
        return f"import {module}"
    parent, _, last = module.rpartition(".")
    if parent and last == name:
        return f"from {parent} import {last}"
    if parent:
        return f"from {parent} import {last} as {name}"
    return f"import {module} as {name}"
