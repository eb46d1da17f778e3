"""The op registry: every TensorFlow/NumPy API the linter knows, under all its names.

Shape functions are registered under canonical names (``tf.nn.conv2d``, ``np.zeros``,
``Tensor.get_shape``); :func:`canonical` maps the import paths users write
(``tensorflow.compat.v1.nn.conv2d``, ``numpy.zeros``, ``keras.layers.Dense``) onto them, with the
table of :mod:`.aliases`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Optional

from ..domain.arguments import Arguments
from ..domain.tf_versions import CURRENT, Versions
from ..domain.values import UNKNOWN, Value
from . import aliases

OpFn = Callable[["Call"], Value]

_OPS: dict[str, OpFn] = {}

_MISSING = object()


@lru_cache(maxsize=1 << 16)  # asked for every attribute of a module path: the same few paths, over and over
def canonical(path: str) -> str:
    """The registered name for an import path (aliases: :mod:`.aliases`)."""
    return aliases.rewrite(path)


_NOT_REPLAYED: set = set()


def op(*names: str, replayable: bool = True) -> Callable[[OpFn], OpFn]:
    """Register a shape function under one or more canonical names. ``replayable=False`` for ops
    whose results a run's re-check must not recompute (a run itself: its results are data)."""

    def register(fn: OpFn) -> OpFn:
        for name in names:
            if name in _OPS:
                raise ValueError(f"op {name} registered twice")
            _OPS[name] = fn
        if not replayable:
            _NOT_REPLAYED.add(fn)
        return fn

    return register


def replayable(fn: OpFn) -> bool:
    return fn not in _NOT_REPLAYED


_PROPS: dict[str, OpFn] = {}


def prop(*names: str) -> Callable[[OpFn], OpFn]:
    """Register an attribute read (``Tensor.shape``): called with the receiver as only argument.
    ``Type.*`` reads any attribute the object does not hold; the call's name says which."""

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
    """The getter of ``Type.attr``, else the type's getter of any attribute (``Type.*``)."""
    _load_families()
    return _PROPS.get(name) or _PROPS.get(name.split(".", 1)[0] + ".*")


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
        from . import sampled_losses, tf0_calls  # noqa: F401  (nce and sampled softmax; TF 0.x's names)
        from . import data_files, pandas_frames, sklearn_split  # noqa: F401  (data from files, tables, splits)


@dataclass
class Call:
    """The abstract arguments of one call of a registered API.

    ``args`` and ``kwargs`` are ``arguments.values`` and ``arguments.keywords``, the same objects:
    ``arguments`` pairs them with the expressions that wrote them. Given values that are not the
    record's (``replace(call, args=...)``), the record takes them at the same positions; to change
    the record, ``with_arguments``."""

    name: str
    args: list
    kwargs: dict
    node: Any = None
    arguments: Optional[Arguments] = None
    new_symbol: Callable[[str], Any] = None  # fresh symbolic dim, named for printing
    context: tuple = ()  # values of the enclosing ``with`` statements, innermost last
    set_attr: Callable[[Any, str, Any], None] = None  # journaled write of a mutable object's attribute
    set_state: Callable[[Any, str, Any], None] = None  # journaled write of an ObjectVal's state (ops only)
    alone: bool = False  # inside a function analysed without its callers: their ``with`` scopes are unknown
    state: dict = field(default_factory=dict)  # per-module state shared by ops (defined flags...)
    # the ``state`` of each project module this module imports, transitively (running them): what ops
    # keep process-wide in TensorFlow's Python (absl's FLAGS) is defined by every imported module
    imported_states: Callable[[], list] = lambda: []
    versions: Versions = CURRENT  # the TensorFlow releases the code targets (domain/tf_versions.py)
    path: str = ""  # the API's path as the program reaches it (``tensorflow.python.ops.math_ops.mul``), if known
    reporter: Callable[[Any, Any, str], None] = None  # records (error, node, op name); None: raise the error
    defer_run: Callable[[Any], None] = None  # schedules a run's re-check (session.RunCheck) after the walk

    def __post_init__(self) -> None:
        written = self.arguments
        if written is None:
            self.arguments = Arguments(self.args, self.kwargs)
        elif written.values is not self.args or written.keywords is not self.kwargs:
            self.arguments = written.with_values(self.args, self.kwargs)

    def with_arguments(self, arguments: Arguments) -> "Call":
        return replace(self, args=arguments.values, kwargs=arguments.keywords, arguments=arguments)

    def report(self, error) -> None:
        """Report a shape error and carry on (pyflakes' ``report``): the shape function then returns
        the value to continue with. Raising is for when no value can be produced."""
        error.facts.setdefault("call", self)  # the failing call, for a reproducer (repro/)
        if self.reporter is None:
            raise error
        self.reporter(error, self.node, self.name)

    def defer(self, check) -> None:
        """A check that needs the whole program first (a run's feeds against the graph it fetches)."""
        if self.defer_run is not None:
            self.defer_run(check)

    def arg(self, position: Optional[int], *names: str, default: Any = UNKNOWN) -> Any:
        """The argument passed at ``position`` or under any of ``names``; ``default`` (any object) if none."""
        for name in names:
            if name in self.kwargs:
                return self.kwargs[name]
        if position is not None and position < len(self.args):
            return self.args[position]
        return default

    def has(self, position: Optional[int], *names: str) -> bool:
        return self.arg(position, *names, default=_MISSING) is not _MISSING

    def arg_node(self, position: Optional[int], *names: str) -> Any:
        """The expression that wrote the argument ``arg(position, *names)`` reads, if one did."""
        for name in names:
            if name in self.kwargs:
                return self.arguments.node_of(name)
        return None if position is None else self.arguments.node_of(position)
