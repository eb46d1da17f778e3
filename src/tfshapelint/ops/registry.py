"""The op registry: every TensorFlow/NumPy API the linter knows, under all its names.

Shape functions are registered under canonical names (``tf.nn.conv2d``, ``np.zeros``,
``Tensor.get_shape``); :func:`canonical` maps the import paths users write
(``tensorflow.compat.v1.nn.conv2d``, ``numpy.zeros``) onto them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Optional

from ..domain.values import UNKNOWN, Value

OpFn = Callable[["Call"], Value]

_OPS: dict[str, OpFn] = {}

_MISSING = object()

# Import paths that mean the same API namespace, longest first.
_PREFIXES = (
    ("tensorflow.compat.v1.", "tf."),
    ("tensorflow.python.keras.", "tf.keras."),
    # TensorFlow's own modules, as libraries such as tf-slim import them
    ("tensorflow.python.ops.array_ops.", "tf."),
    ("tensorflow.python.ops.math_ops.", "tf."),
    ("tensorflow.python.ops.random_ops.", "tf."),
    ("tensorflow.python.ops.variables.", "tf."),
    ("tensorflow.python.ops.variable_scope.", "tf."),
    ("tensorflow.python.ops.init_ops.", "tf."),
    ("tensorflow.python.framework.constant_op.", "tf."),
    ("tensorflow.python.ops.nn_ops.", "tf.nn."),
    ("tensorflow.python.ops.nn_impl.", "tf.nn."),
    ("tensorflow.python.ops.nn.", "tf.nn."),
    ("tensorflow.contrib.slim.", "slim."),
    ("tensorflow.contrib.layers.", "tf.contrib.layers."),
    ("tensorflow.compat.v2.", "tf."),
    ("tensorflow._api.v2.compat.v1.", "tf."),
    ("tensorflow._api.v2.", "tf."),
    ("tensorflow.", "tf."),
    ("numpy.", "np."),
    ("pandas.", "pd."),
    ("keras.", "tf.keras."),
    ("tf_keras.", "tf.keras."),
    ("tf_slim.layers.", "slim."),
    ("tf_slim.", "slim."),
)


@lru_cache(maxsize=1 << 16)  # asked for every attribute of a module path: the same few paths, over and over
def canonical(path: str) -> str:
    for prefix, replacement in _PREFIXES:
        if path.startswith(prefix):
            path = replacement + path[len(prefix):]
            break
    # ``import tensorflow.compat.v1 as tf`` then ``tf.compat.v1.Session``: compat.v1 of compat.v1
    while path.startswith(("tf.compat.v1.", "tf.compat.v2.")):
        path = "tf." + path[len("tf.compat.v1."):]
    return path


def op(*names: str) -> Callable[[OpFn], OpFn]:
    """Register a shape function under one or more canonical names."""

    def register(fn: OpFn) -> OpFn:
        for name in names:
            if name in _OPS:
                raise ValueError(f"op {name} registered twice")
            _OPS[name] = fn
        return fn

    return register


_PROPS: dict[str, OpFn] = {}


def prop(*names: str) -> Callable[[OpFn], OpFn]:
    """Register an attribute read (``Tensor.shape``): called with the receiver as only argument."""

    def register(fn: OpFn) -> OpFn:
        for name in names:
            _PROPS[name] = fn
        return fn

    return register


_MODULE_VALUES: dict[str, OpFn] = {}


def module_value(*names: str) -> Callable[[OpFn], OpFn]:
    """Register a module attribute that is an object, not a function (``absl.flags.FLAGS``)."""

    def register(fn: OpFn) -> OpFn:
        for name in names:
            _MODULE_VALUES[name] = fn
        return fn

    return register


def lookup_module_value(path: str) -> Optional[OpFn]:
    _load_families()
    return _MODULE_VALUES.get(canonical(path))


_CALL_METHODS: dict[str, str] = {}


def calls_method(base: str, method: str) -> None:
    """Declare that calling an instance of a subclass of library class ``base`` runs ``method``
    (Keras: ``layer(x)`` runs ``layer.call(x)``)."""
    _CALL_METHODS[base] = method


def call_method(base_path: str) -> Optional[str]:
    _load_families()
    return _CALL_METHODS.get(canonical(base_path))


def lookup(path: str) -> Optional[OpFn]:
    _load_families()
    return _OPS.get(canonical(path))


def lookup_property(name: str) -> Optional[OpFn]:
    _load_families()
    return _PROPS.get(name)


def registered_names() -> list[str]:
    _load_families()
    return sorted(set(_OPS) | set(_PROPS))


_loaded = False


def _load_families() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from . import array, conv, conv_variants, creation, math, methods  # noqa: F401  (core TF ops)
        from . import config_sources, keras_layers, keras_models, tf_layers  # noqa: F401  (layers, flags)
        from . import indexing, manip, reduce  # noqa: F401  (array manipulation, indexing, reductions)
        from . import data_sources, losses, numpy_ops, numpy_random, session  # noqa: F401  (NumPy, data, feeding, losses)
        from . import python_numbers  # noqa: F401  (the random and math modules)
        from . import data_files, pandas_frames, sklearn_split  # noqa: F401  (data from files, tables, splits)


@dataclass
class Call:
    """The abstract arguments of one call of a registered API."""

    name: str
    args: list
    kwargs: dict
    node: Any = None
    arg_nodes: list = field(default_factory=list)
    kwarg_nodes: dict = field(default_factory=dict)
    new_symbol: Callable[[str], Any] = None  # fresh symbolic dim, named for printing
    context: tuple = ()  # values of the enclosing ``with`` statements, innermost last
    set_attr: Callable[[Any, str, Any], None] = None  # journaled write of a mutable object's attribute
    set_state: Callable[[Any, str, Any], None] = None  # journaled write of an ObjectVal's state (ops only)
    alone: bool = False  # inside a function analysed without its callers: their ``with`` scopes are unknown
    state: dict = field(default_factory=dict)  # per-module state shared by ops (defined flags...)
    target: str = "tf2"  # the TensorFlow generation the code is written for ("tf1": graph-era semantics)

    def arg(self, position: Optional[int], *names: str, default: Any = UNKNOWN) -> Value:
        """The argument passed at ``position`` or under any of ``names``."""
        for name in names:
            if name in self.kwargs:
                return self.kwargs[name]
        if position is not None and position < len(self.args):
            return self.args[position]
        return default

    def has(self, position: Optional[int], *names: str) -> bool:
        return self.arg(position, *names, default=_MISSING) is not _MISSING

    def arg_node(self, position: Optional[int], *names: str) -> Any:
        for name in names:
            if name in self.kwarg_nodes:
                return self.kwarg_nodes[name]
        if position is not None and position < len(self.arg_nodes):
            return self.arg_nodes[position]
        return None
