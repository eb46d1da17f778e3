"""Abstract values: what the interpreter computes for every expression.

Values are immutable; a mutation in the analysed program (``lst.append(x)``, ``d[k] = v``) is
modelled by rebinding the mutated name to a new value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional

from ..shapes import dims
from ..shapes import shape as shapes
from ..shapes.dims import Dim
from ..shapes.shape import Shape

MAX_CHAIN = 16


class Value:
    """Base of all abstract values."""

    __slots__ = ()

    def join_with(self, other: "Value") -> Optional["Value"]:
        """The join of this value and ``other``, for kinds of value defined outside this module
        (which know their own joins); None: ``join`` decides."""
        return None


class _Unknown(Value):
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(frozen=True, eq=False)
class DimOrigin:
    """Where an int was read from: ``axis`` of ``tensor``'s static shape."""

    tensor: "TensorVal"
    axis: int


@dataclass(frozen=True, eq=False)
class Const(Value):
    """A concrete Python constant: int, float, str, bool, None, bytes."""

    value: Any
    origin: Optional[DimOrigin] = None


@dataclass(frozen=True, eq=False)
class SymInt(Value):
    """A Python int known only symbolically (a dim read from a shape)."""

    dim: Any
    origin: Optional[DimOrigin] = None


@dataclass(frozen=True, eq=False)
class NumberVal(Value):
    """A Python or NumPy number whose value is not known (``random.random()``, ``len(data)``):
    ``kind`` "int", "float" or "number" (either). Unlike a SymInt it may be 0 or negative."""

    kind: str = "number"


@dataclass(frozen=True, eq=False)
class TupleVal(Value):
    items: tuple
    node: Any = None  # the literal that wrote it, if any (a shape's declaration, for messages/fixes)


@dataclass(frozen=True, eq=False)
class ListVal(Value):
    items: tuple
    node: Any = None


@dataclass(frozen=True, eq=False)
class ShapeVal(TupleVal):
    """A ``TensorShape`` (``x.shape``, ``x.get_shape()``): a tuple of dim values."""


@dataclass(frozen=True, eq=False)
class DictVal(Value):
    items: tuple  # ((key, Value), ...) with hashable Python keys, insertion ordered

    def get(self, key, default=None):
        for k, v in self.items:
            if k == key:
                return v
        return default

    def set(self, key, value: Value) -> "DictVal":
        kept = tuple((k, v) for k, v in self.items if k != key)
        return DictVal(kept + ((key, value),))


def dict_key(value: "Value"):
    """The key a value stands for in a dict: a constant's Python value, or a tensor/object itself
    (``feed_dict={x: batch}``, compared by identity). None when the key is unknown."""
    if isinstance(value, Const):
        try:
            hash(value.value)
        except TypeError:
            return None
        return value.value
    if isinstance(value, (TensorVal, ObjectVal)):
        return value
    return None


def key_value(key) -> "Value":
    """The value of a stored dict key (the inverse of ``dict_key``)."""
    return key if isinstance(key, Value) else Const(key)


@dataclass(frozen=True)
class Step:
    """One link of a derivation chain: the operation (None for the source) and its result."""

    label: Optional[str]
    shape: Shape


@dataclass(frozen=True, eq=False)
class TensorVal(Value):
    """A tensor or array with a static shape.

    ``label`` is the name the user gave it (the assignment target), ``kind`` tells a trainable
    weight (``variable``) from a ``placeholder`` or an ordinary ``tensor``/``ndarray``;
    ``decl`` is the syntax node that declared a variable's shape (a list literal), when known.
    """

    shape: Shape
    kind: str = "tensor"
    label: Optional[str] = None
    chain: tuple = ()
    decl: Any = field(default=None, repr=False)
    source_shape: Any = field(default=None, repr=False)  # the tensor a reshape/flatten result came from
    app: Optional["OpApplication"] = field(default=None, repr=False)  # the op application that made it

    def derive(self, shape: Shape, step: str, kind: str = "tensor", **extra) -> "TensorVal":
        """A new tensor computed from this one by ``step``; the chain grows by one link."""
        chain = (self.chain or (Step(None, self.shape),)) + (Step(step, shape),)
        return TensorVal(shape=shape, kind=kind, chain=chain[-MAX_CHAIN:], **extra)

    def named(self, label: str) -> "TensorVal":
        return self if self.label else replace(self, label=label)

    @property
    def rank(self) -> Optional[int]:
        return None if self.shape is None else len(self.shape)


@dataclass(frozen=True, eq=False)
class OpApplication:
    """How an op produced a tensor: the shape function, the call it was applied to (canonical name,
    argument values, syntax nodes) and, for an op returning several tensors, the tensor's position in
    the result. Kept so that a ``Session.run`` can replay the fetched graph with the fed sizes."""

    fn: Any
    call: Any
    index: tuple = ()
    module: Optional[str] = None  # the project module whose code applied it, when not the linted file


def fresh_tensor(shape: Shape, kind: str = "tensor", **extra) -> TensorVal:
    return TensorVal(shape=shape, kind=kind, chain=(Step(None, shape),), **extra)


@dataclass(frozen=True, eq=False)
class FunctionVal(Value):
    """A function (or lambda) of the analysed program, with the scope it closes over."""

    node: Any
    closure: Any
    name: str
    defaults: dict = field(default_factory=dict)  # parameter name -> value, evaluated at ``def``
    bound: Optional[Value] = None  # ``self`` of a bound method
    kind: str = "function"  # "function", "staticmethod", "classmethod" or "property"

    def bound_to(self, receiver: Optional[Value]) -> "FunctionVal":
        """The method bound to ``receiver`` (``dataclasses.replace``, without its per-call look at
        the fields: a method is bound at every attribute read of it)."""
        return FunctionVal(self.node, self.closure, self.name, self.defaults, receiver, self.kind)


@dataclass(frozen=True, eq=False)
class ClassVal(Value):
    node: Any
    name: str
    attrs: dict = field(default_factory=dict)  # the class body's bindings
    # ClassVal of the analysed program, ApiRef of a library class, ImportedName of a class of another
    # module of the project (read when first needed), or UNKNOWN
    bases: tuple = ()

    def mro(self, imported: bool = True) -> list:
        """The classes to search for an attribute, depth first (enough for ordinary hierarchies);
        ``imported``: also those of other modules of the project (which then run)."""
        order, stack = [], [self]
        while stack:
            cls = stack.pop(0)
            if any(cls is seen for seen in order):
                continue
            order.append(cls)
            stack[:0] = [b for b in cls.direct_bases(imported) if isinstance(b, ClassVal)]
        return order

    def direct_bases(self, imported: bool = True) -> list:
        bases = []
        for base in self.bases:
            if isinstance(base, ImportedName):
                base = base.resolve() if imported else None
            if base is not None:
                bases.append(base)
        return bases

    def library_bases(self, imported: bool = True) -> list:
        """Library classes (``tf.keras.Model``...) this class derives from, directly or not."""
        return [b for cls in self.mro(imported) for b in cls.direct_bases(imported) if isinstance(b, ApiRef)]


@dataclass(frozen=True, eq=False)
class InstanceVal(Value):
    """An instance of a class of the analysed program; ``attrs`` is mutable, like the object."""

    cls: ClassVal
    attrs: dict = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class ApiRef(Value):
    """A dotted path into an imported module: ``tensorflow.nn.conv2d``."""

    path: str


@dataclass(frozen=True, eq=False)
class BoundMethod(Value):
    """``receiver.name`` where the registry knows methods of the receiver's type."""

    receiver: Value
    type_name: str
    name: str


@dataclass(frozen=True, eq=False)
class SliceVal(Value):
    """``start:stop:step`` inside a subscript; each part a Value (``Const(None)`` when omitted)."""

    start: Value
    stop: Value
    step: Value


@dataclass(frozen=True, eq=False)
class ModuleVal(Value):
    """A module of the analysed project (``import config``): its global names once it has run.

    A module runs on first use (reading one of its names), not at the import: most imported names
    of a package's ``__init__`` are never read. ``hooks`` holds the loader's callbacks: ``run`` (popped
    when the module starts running, so an import cycle sees the names bound so far, as in Python)
    and ``submodule`` (``pkg.sub``)."""

    name: str
    path: str
    exports: dict = field(default_factory=dict)
    submodules: dict = field(default_factory=dict)  # ``import pkg.sub`` makes ``pkg.sub`` readable
    hooks: dict = field(default_factory=dict, repr=False)

    def run(self) -> None:
        """Run the module's statements, once (a no-op when it runs or has run)."""
        run = self.hooks.pop("run", None)
        if run is not None:
            run()

    def get(self, name: str, _depth: int = 0):
        """The value of the module's global ``name``, or None when it has none."""
        value = self.submodules.get(name)
        if value is not None:
            return value
        self.run()
        value = self.exports.get(name)
        if isinstance(value, ImportedName):
            value = value.resolve(_depth + 1)
        if value is None and "submodule" in self.hooks:  # ``from pkg import sub``: a module of the package
            value = self.hooks["submodule"](name)
            if value is not None:
                self.submodules[name] = value
        return value


@dataclass(frozen=True, eq=False)
class ImportedName(Value):
    """``from model import build``: the name is read from the module when the program first uses it."""

    module: ModuleVal
    name: str

    def resolve(self, _depth: int = 0):
        """The value, followed through modules that re-export it; None past 32 modules (a cycle)."""
        return self.module.get(self.name, _depth) if _depth < 32 else None


@dataclass(frozen=True, eq=False)
class ObjectVal(Value):
    """An object made by a registered API (an initializer, a layer, ...).

    ``attrs`` are the attributes the program sees (``FLAGS.batch_size``, ``mnist.train.images``, and
    whatever it writes, ``layer.trainable = False``); ``state`` is what the ops that made and use the
    object keep in it (a layer's class and arguments, a model's layers), which the program can neither
    read nor overwrite.
    """

    type_name: str
    attrs: dict = field(default_factory=dict)
    state: dict = field(default_factory=dict)


# -- conversions used by the interpreter and by shape functions ---------------------------------


def int_value(value: Value) -> Dim:
    """The dim an int-like value stands for: an int, an Expr, or None when unknown."""
    if isinstance(value, Const) and isinstance(value.value, int) and not isinstance(value.value, bool):
        return value.value
    if isinstance(value, SymInt):
        return value.dim
    return None


def dim_value(dim: Dim, origin: Optional[DimOrigin] = None) -> Value:
    """The Python value of a static dim: an int, a symbolic int, or unknown (TF's ``None``)."""
    if isinstance(dim, int):
        return Const(dim, origin)
    if isinstance(dim, dims.Expr):
        return SymInt(dim, origin)
    return UNKNOWN


def join(a: Any, b: Any, _memo: Optional[dict] = None) -> Any:
    """The value both control-flow paths agree on (ops' state also joins plain Python data: any object)."""
    if a is b:
        return a
    if isinstance(a, (TupleVal, ListVal, DictVal)):
        # containers share items (``x = [x, x]`` in a loop): each pair once, not once per path
        memo = {} if _memo is None else _memo
        key = (id(a), id(b))
        if key not in memo:
            memo[key] = (a, b, _join(a, b, memo))  # a and b kept alive: their ids stay theirs
        return memo[key][2]
    return _join(a, b, _memo)


def _join(a: Any, b: Any, _memo: Optional[dict]) -> Any:
    if isinstance(a, Const) and isinstance(b, Const):
        same = type(a.value) is type(b.value) and a.value == b.value
        return Const(a.value, a.origin if a.origin is b.origin else None) if same else _widened_number(a, b)
    if isinstance(a, SymInt) and isinstance(b, SymInt):
        return a if dims.equal(a.dim, b.dim) is True else _widened_number(a, b)
    if isinstance(a, Value) and isinstance(b, Value):  # ops' state joins plain Python data too
        joined = a.join_with(b)
        if joined is None:
            joined = b.join_with(a)
        if joined is not None:
            return joined
    if isinstance(a, TensorVal) and isinstance(b, TensorVal):
        joined = shapes.join(a.shape, b.shape)
        if joined == a.shape and a.kind == b.kind:
            return a
        return TensorVal(shape=joined, kind=a.kind if a.kind == b.kind else "tensor", label=a.label,
                         chain=(Step(None, joined),))
    if type(a) is type(b) and isinstance(a, (TupleVal, ListVal)) and len(a.items) == len(b.items):
        return type(a)(tuple(join(x, y, _memo) for x, y in zip(a.items, b.items)))
    if isinstance(a, DictVal) and isinstance(b, DictVal):
        keys_b = dict(b.items)
        return DictVal(tuple((k, join(v, keys_b[k], _memo)) for k, v in a.items if k in keys_b))
    if isinstance(a, (FunctionVal, ClassVal)) and isinstance(b, type(a)) and a.node is b.node:
        return a
    if isinstance(a, ApiRef) and isinstance(b, ApiRef) and a.path == b.path:
        return a
    return _widened_number(a, b)


def number_kind(value: object) -> Optional[str]:
    """"int" or "float" for a number (a bool is not one here), "number" when either; None otherwise."""
    if isinstance(value, Const):
        if isinstance(value.value, bool):
            return None
        return "int" if isinstance(value.value, int) else "float" if isinstance(value.value, float) else None
    if isinstance(value, SymInt):
        return "int"
    if isinstance(value, NumberVal):
        return value.kind
    return None


def _widened_number(a: object, b: object) -> Value:
    """Two different numbers join to a number of unknown value (of their common kind)."""
    kind_a, kind_b = number_kind(a), number_kind(b)
    if kind_a is None or kind_b is None:
        return UNKNOWN
    return NumberVal(kind_a if kind_a == kind_b else "number")
