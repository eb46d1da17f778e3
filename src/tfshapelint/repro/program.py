"""Assemble a reproducer: the op applications a call depends on, in order, then the call.

Each tensor input is written the way the program made it (its recorded op application, through
``calls.CallWriter``) when that needs nothing but the imported APIs and constants; otherwise it is a
leaf: ``tf.zeros``/``np.zeros`` of its shape with every symbolic size bound (to the sizes a run fed,
else to ``BATCH``). Variables, data read from files, Keras inputs and session results are always
leaves. Graph-era code keeps its placeholders and runs the result in a ``tf.compat.v1`` session,
feeding each placeholder zeros of its bound shape.
"""

from __future__ import annotations

import ast
import keyword
import re
from typing import Optional

from ..domain.values import DictVal, ListVal, ObjectVal, TensorVal, TupleVal, key_value
from ..shapes import dims
from .calls import CallWriter, CannotWrite, import_line

BATCH = 2  # every unbound symbolic size (the batch, mostly): more than 1, so broadcasts show

# Ops whose results are data, not computation: always replaced by zeros of their shape.
_LEAF_MODULES = ("data_files", "pandas_frames", "data_sources", "sklearn_split", "session", "config_sources")
_LEAF_NAMES = ("tf.Variable", "tf.get_variable")
_KERAS_INPUTS = ("tf.keras.Input", "tf.keras.layers.Input")
KERAS = ("tf.keras.", "Keras")  # canonical names of Keras' layers, models and inputs
_INT_RESULTS = {"argmax", "argmin", "randint", "range", "arange", "shape", "size", "where", "unique", "argsort",
                "top_k", "multinomial", "random_integers", "choice", "permutation", "nonzero", "searchsorted"}
_BUILT_RANKS = {"Dense": 2, "Conv1D": 3, "Conv2D": 4, "Conv3D": 5}  # the input rank each layer's build takes
_NUMPY = ("np.", "numpy.")
_LEGACY_LAYERS = ("tf.layers.", "slim.", "tf.contrib.")
_DTYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool", "string",
           "complex64", "bfloat16")


class Program:
    """A reproducer being written. ``api``: the file's imported names; ``graph``: write a
    ``tf.compat.v1`` graph run in a session rather than eager code."""

    def __init__(self, api: dict, graph: bool, bindings: Optional[dict] = None, sources: Optional[dict] = None,
                 current_path: Optional[str] = None, import_lines: Optional[dict] = None, functional: bool = False):
        self.api = dict(api)
        self.import_lines = dict(import_lines or {})  # name -> the file's own statement importing it
        self.functional = functional  # only Keras: its inputs are written as declared (symbolic tensors)
        self.failing: set = set()  # ids of the call nodes of the file's other findings: steps that raise
        self.graph = graph
        self.bindings = dict(bindings or {})
        self.sources = dict(sources or {})
        self.current_path = current_path
        self.lines: list[str] = []
        self.names: dict = {}  # id(value) -> (value, name)
        self.taken: set = set(api)
        self.placeholders: list = []  # (name, tensor) to feed, in graph mode
        self.arrays: set = set()  # names of NumPy arrays (values already: a session does not fetch them)
        self.fed_shapes: dict = {}  # name -> the shape a run feeds it (else its own, bound)
        self.imports: dict = {}  # name -> import line, in order of first use
        self.writer = CallWriter(self.api, self.tensor_name, self.object_expr, self.size, self.tensor_expr)
        self.writer.is_own = lambda name: name in self.taken
        self.legacy_layers = False  # a tf.compat.v1 layer or slim is written: it needs tf-keras

    def write_call(self, call) -> str:
        """The call as the user wrote it, with its inputs written first (and, for a slim op, the
        arguments that enclosing ``arg_scope``s give it)."""
        extra = {}
        if call.name.startswith(_LEGACY_LAYERS):
            self.legacy_layers = True
            extra = scoped_arguments(call)
        return self.writer.write(call, extra)

    # -- sizes ------------------------------------------------------------------------------------
    def size(self, dim) -> int:
        if isinstance(dim, int):
            return dim
        if isinstance(dim, dims.Expr):
            bound = dims.substitute(dim, self.bindings)
            value = dims.evaluate(bound, {s: BATCH for s in dims.symbols_of(bound)}) if bound is not None else None
            if isinstance(value, int) and value >= 0:
                return value
        raise CannotWrite("a size the analysis does not know")

    def shape(self, tensor: TensorVal) -> tuple:
        shape = self.sources.get(id(tensor), tensor.shape)
        if shape is None:
            raise CannotWrite(f"the rank of {tensor.label or 'a tensor'} is unknown")
        return tuple(self.size(d) for d in shape)

    # -- names ------------------------------------------------------------------------------------
    def fresh(self, hint: Optional[str]) -> str:
        base = hint if hint and hint.isidentifier() else re.sub(r"\W", "_", hint or "t").strip("_") or "t"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = "t_" + base
        name, count = base, 1
        while name in self.taken:
            count += 1
            name = f"{base}_{count}"
        self.taken.add(name)
        return name

    def module_alias(self, module: str) -> str:
        """The file's name for ``module`` (``tensorflow`` also answered by ``tensorflow.compat.v1``),
        importing it under its usual name when the file has none."""
        accepted = {"tensorflow": ("tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2"),
                    "numpy": ("numpy",)}[module]
        for name, path in self.api.items():
            if path in accepted:
                self.use_import(name)
                return name
        usual = {"tensorflow": "tf", "numpy": "np"}[module]
        name = usual if usual not in self.taken else self.fresh(usual)
        self.api[name] = module
        self.taken.add(name)
        self.use_import(name)
        return name

    def use_import(self, name: str) -> None:
        if name not in self.imports:
            self.imports[name] = self.import_lines.get(name) or import_line(name, self.api[name])

    # -- tensors ----------------------------------------------------------------------------------
    def tensor_name(self, tensor: TensorVal) -> str:
        known = self.names.get(id(tensor))
        if known is not None:
            return known[1]
        if self._is_leaf(tensor):
            return self._leaf(tensor)
        mark = self._mark()
        try:
            return self._applied(tensor)
        except CannotWrite:  # made by code the reproducer cannot write: zeros of its shape
            self._rewind(mark)
            return self._leaf(tensor)

    def tensor_expr(self, tensor: TensorVal, node) -> ast.expr:
        """A tensor written where the program reads it: inline, as written, when the program made it
        right there without naming it (``tf.nn.relu(tf.nn.bias_add(...))``), else by its name."""
        app = tensor.app
        if id(tensor) not in self.names and tensor.label is None and app is not None and app.call.node is node \
                and not app.index and not self._is_leaf(tensor):
            mark = self._mark()
            try:
                return ast.parse(self.write_call(app.call), mode="eval").body
            except CannotWrite:
                self._rewind(mark)
        return ast.Name(self.tensor_name(tensor))

    def _is_leaf(self, tensor: TensorVal) -> bool:
        app = tensor.app
        if app is None or tensor.kind == "variable" or id(tensor) in self.sources:
            return True
        if tensor.kind == "placeholder":
            return not self.graph
        if app.module is not None and app.module != self.current_path:
            return True  # made in another module of the project, whose imports this file does not share
        if app.call.name.startswith(_NUMPY):  # NumPy's float64 where the program converts: zeros of its dtype
            return True
        if id(app.call.node) in self.failing:  # another finding's call raises first: zeros of the shape it gives
            return True
        module = getattr(app.fn, "__module__", "").rpartition(".")[2]
        if app.call.name in _KERAS_INPUTS:
            return not self.functional
        return module in _LEAF_MODULES or app.call.name in _LEAF_NAMES

    def _applied(self, tensor: TensorVal) -> str:
        app = tensor.app
        text = self.write_call(app.call)
        for index in app.index:
            text = f"{text}[{index}]" if text.endswith(("]", ")")) or text.isidentifier() else f"({text})[{index}]"
        name = self.fresh(tensor.label or _short(app.call.name))
        self.lines.append(f"{name} = {text}  # {self.where(app.call.node, app.module)}")
        self._remember(tensor, name)
        if tensor.kind == "ndarray":
            self.arrays.add(name)
        if tensor.kind == "placeholder":
            self.placeholders.append((name, tensor))
        return name

    def _leaf(self, tensor: TensorVal) -> str:
        shape = list(self.shape(tensor))
        dtype = leaf_dtype(tensor)
        ndarray = tensor.kind == "ndarray"
        module = self.module_alias("numpy" if ndarray else "tensorflow")
        self.use_import(module)
        made_by = _short(tensor.app.call.name) if tensor.app is not None else None
        name = self.fresh(tensor.label or made_by or ("array" if ndarray else "t"))
        shape_text = repr(tuple(shape)) if ndarray else repr(shape)
        dtype_text = f", {module}.{dtype}" if dtype != "float32" or ndarray else ""
        origin = self.where(tensor.app.call.node, tensor.app.module) if tensor.app else "an input"
        if ndarray:
            self.arrays.add(name)
        self.lines.append(f"{name} = {module}.zeros({shape_text}{dtype_text})  # {origin}: "
                          f"{_describe(tensor)} as zeros of its shape")
        self._remember(tensor, name)
        return name

    def object_expr(self, obj: ObjectVal, node):
        """A Keras layer (or another object an op made): its construction, inline when the program
        constructs it right there (``layers.Dense(10)(x)``), else a name bound once."""
        config = obj.state.get("config")
        if config is None or getattr(config, "node", None) is None:
            raise CannotWrite(f"a {obj.type_name} the reproducer cannot make")
        if config.node is node:
            return ast.parse(self.write_call(config), mode="eval").body
        known = self.names.get(id(obj))
        if known is None:
            hint = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            name = self.fresh(hint or _short(config.name).lower())
            self.lines.append(f"{name} = {self.write_call(config)}  # {self.where(config.node, None)}")
            self._remember(obj, name)
            known = (obj, name)
        return ast.Name(known[1])

    def build_as_before(self, call) -> None:
        """A shared layer that fails on another size: built here as an earlier call of the program built
        it (for inputs of its size), which the reproducer does not replay."""
        layer = call.args[0] if call.name == "KerasLayer.__call__" and len(call.args) > 1 else None
        known = self.names.get(id(layer))
        if known is None or not isinstance(call.args[1], TensorVal) or not call.args[1].shape:
            return
        built = layer.state.get("built_input")
        rank = _BUILT_RANKS.get(layer.state.get("class"))
        if not isinstance(built, int) or rank is None or "channels_first" in str(layer.state["config"].kwargs) \
                or call.args[1].shape[-1] == built:
            return
        shape = (None,) * (rank - 1) + (built,)
        self.lines.append(f"{known[1]}.build({shape!r})  # as an earlier call built it, for inputs of {built} features")

    def _remember(self, value, name: str) -> None:
        self.names[id(value)] = (value, name)  # the value kept alive: its id stays its own

    def _mark(self) -> tuple:
        return (len(self.lines), dict(self.names), set(self.taken), len(self.placeholders), dict(self.imports),
                self.legacy_layers)

    def _rewind(self, mark: tuple) -> None:
        lines, self.names, self.taken, placeholders, self.imports, self.legacy_layers = mark
        del self.lines[lines:]
        del self.placeholders[placeholders:]

    def where(self, node, module: Optional[str]) -> str:
        line = getattr(node, "lineno", None)
        text = f"line {line}" if line is not None else "somewhere"
        if module is not None and module != self.current_path:
            text += f" of {module.replace(chr(92), '/').rsplit('/', 1)[-1]}"
        return text

    def used_apis(self, lines: list) -> None:
        """Import every API name the written ``lines`` mention."""
        for line in lines:
            code = line.split("  # ", 1)[0]
            try:
                tree = ast.parse(code.strip())
            except SyntaxError:
                continue
            for sub in ast.walk(tree):
                if isinstance(sub, ast.Name) and sub.id in self.api:
                    self.use_import(sub.id)

    def feed(self, name: str, shape: tuple) -> None:
        self.fed_shapes[name] = shape

    def feeds(self) -> str:
        """``{x: np.zeros((2, 784), x.dtype.as_numpy_dtype)}`` for the placeholders written."""
        if not self.placeholders:
            return "{}"
        np = self.module_alias("numpy")
        items = []
        for name, tensor in self.placeholders:
            shape = self.fed_shapes.get(name)
            if shape is None and tensor.shape is None:  # no shape needed for the finding: a scalar 1 (keep_prob)
                items.append(f"{name}: {np}.ones((), {name}.dtype.as_numpy_dtype)")
                continue
            items.append(f"{name}: {np}.zeros({shape or self.shape(tensor)!r}, {name}.dtype.as_numpy_dtype)")
        return "{" + ", ".join(items) + "}"

    def v1_alias(self) -> str:
        """The file's name for ``tensorflow.compat.v1`` (graphs and sessions), imported if it has none."""
        for name, path in self.api.items():
            if path == "tensorflow.compat.v1":
                self.use_import(name)
                return name
        name = self.fresh("tf1")
        self.api[name] = "tensorflow.compat.v1"
        self.use_import(name)
        return name


def leaf_dtype(tensor: TensorVal) -> str:
    """The dtype a zeros stand-in takes: the one its making call names, int for index-like results,
    else float32."""
    app = tensor.app
    if app is not None:
        call = app.call
        dtype = call.kwargs.get("dtype")
        if dtype is None and call.name in ("tf.placeholder", "tf.Variable", "tf.get_variable") and call.args:
            dtype = call.args[0] if call.name == "tf.placeholder" else None
        path = getattr(dtype, "path", None) or getattr(dtype, "value", None)
        if isinstance(path, str) and path.rpartition(".")[2] in _DTYPES:
            return path.rpartition(".")[2]
        if call.name.rpartition(".")[2] in _INT_RESULTS:
            return "int64"
    return "float32"


def _short(name: str) -> str:
    last = name.rpartition(".")[2]
    if last == "__call__":
        last = name.split(".")[0]
    return last.strip("_") or "t"


def _describe(tensor: TensorVal) -> str:
    label = f"`{tensor.label}`, " if tensor.label else ""
    kind = {"placeholder": "a placeholder", "variable": "a variable", "ndarray": "an array"}.get(tensor.kind,
                                                                                              "a tensor")
    return label + kind


def reachable_tensors(values) -> list:
    """Every tensor the values are made from, through their recorded op applications."""
    found, seen, todo = [], set(), list(values)
    while todo:
        value = todo.pop()
        if isinstance(value, (ListVal, TupleVal, DictVal, ObjectVal, TensorVal)):
            if id(value) in seen:  # ``[[1] * 10000] * 10000`` holds one list 10000 times
                continue
            seen.add(id(value))
        if isinstance(value, (ListVal, TupleVal)):
            todo.extend(value.items)
        elif isinstance(value, DictVal):
            todo.extend(key_value(k) for k, _ in value.items)
            todo.extend(v for _, v in value.items)
        elif isinstance(value, ObjectVal):
            config = value.state.get("config")
            if config is not None and hasattr(config, "args"):
                todo.extend(config.args)
                todo.extend(config.kwargs.values())
        elif isinstance(value, TensorVal):
            found.append(value)
            if value.app is not None:
                todo.extend(value.app.call.args)
                todo.extend(value.app.call.kwargs.values())
    return found


def scoped_arguments(call) -> dict:
    """The keyword arguments the enclosing ``arg_scope``s give a slim op and the call does not."""
    given = set(call.kwargs)
    extra: dict = {}
    for value in reversed(call.context):
        if not isinstance(value, ObjectVal) or value.type_name != "ArgScope" or "ops" not in value.state:
            continue
        ops = value.state["ops"]
        if ops is None or None in ops:
            raise CannotWrite("an arg_scope over ops the analysis does not know")
        if call.name in ops:
            for name, argument in value.state["kwargs"].items():
                if name not in given and name not in extra:
                    extra[name] = argument
    return extra
