"""What a project module gives the modules that import it, in terms that do not depend on the process.

A ``ModuleSummary`` holds a module's exports (each global name with a description of its value:
constants by value, tensors by kind and shape, functions and classes by qualified name, ...) and
the hashes of the project files it reads, transitively (the key under which findings that depend on
it are cached). Shapes hold symbols, which are named by the analysis that made them
(``shapes.dims``): the same module summarised in two processes gives equal summaries, which is what
a summary that is shared between processes, cached or compared needs.

The exports are computed when first read (running the module as an import would, if it has not run
yet): the cache reads only the dependency hashes of the file it just linted, and must not pay for a
run of the file as an import.

Summaries are not cached between processes: an importer needs the module's live values (a function
is analysed at each call site, with the caller's arguments), which a summary describes but does not
hold; and running the imported modules took 6% (official/vision, 222 files) to 10% (official/nlp,
211 files) of linting a package of tf-models-official in one process, of which a process pool
repeats only the part each worker does again.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from ..domain.values import (UNKNOWN, ApiRef, BoundMethod, ClassVal, Const, DictVal, FunctionVal, ImportedName,
                             InstanceVal, ListVal, ModuleVal, NumberVal, ObjectVal, SymInt, TensorVal, TupleVal)

MAX_DEPTH = 4  # nested containers deeper than this are described by their type only
_PLAIN = (bool, int, float, complex, str, bytes, type(None))


class ModuleSummary:
    """A module's exports (``{name: description}``) and dependencies (``{path: sha256}`` of every
    project file its analyses read, transitively; not its own).

    ``dependencies`` holds what the module's analyses in the loader read so far: after a file is
    linted, what its lint read (the key of its cached findings). Reading ``exports`` runs the module
    as an import if it has not run, and adds the files that run read to ``dependencies``."""

    __slots__ = ("path", "dependencies", "_exports", "_compute")

    def __init__(self, path: str, dependencies: Mapping[str, str],
                 exports: Optional[Mapping[str, tuple]] = None,
                 compute: Optional[Callable[[], tuple[Mapping[str, tuple], Mapping[str, str]]]] = None):
        self.path = path
        self.dependencies = dict(dependencies)
        self._exports = None if exports is None else dict(exports)
        self._compute = compute  # () -> (exports, dependencies once they are computed)

    @property
    def exports(self) -> dict:
        if self._exports is None:
            exports, dependencies = self._compute() if self._compute is not None else ({}, {})
            self._exports = dict(exports)
            self.dependencies.update(dependencies)
            self._compute = None
        return self._exports

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ModuleSummary) and self.path == other.path
                and self.exports == other.exports and self.dependencies == other.dependencies)

    __hash__ = None  # mutable mappings inside

    def __reduce__(self):
        # the exports themselves (the loader that computes them stays in this process)
        exports = self.exports
        return (ModuleSummary, (self.path, self.dependencies, exports))

    def __repr__(self) -> str:
        return f"ModuleSummary({self.path!r}, {len(self.dependencies)} dependencies)"


def describe_exports(exports: Mapping[str, Any], module_name: str, name_of_module: Callable[[str], str]) -> dict:
    """``{name: description}`` of a module's globals; ``module_name``: its dotted name;
    ``name_of_module(path)``: the dotted name of the project module at ``path`` (where a function
    the module binds was defined)."""
    describer = _Describer(module_name, name_of_module)
    return {name: describer.describe(value) for name, value in sorted(exports.items())}


class _Describer:
    def __init__(self, module_name: str, name_of_module: Callable[[str], str]):
        self.module_name = module_name
        self.name_of_module = name_of_module

    def describe(self, value: Any, depth: int = 0) -> tuple:
        """A tuple of plain data and dims (which compare by what they are, across processes)."""
        if value is UNKNOWN or value is None:
            return ("unknown",)
        if isinstance(value, Const):
            return ("constant", _plain(value.value))
        if isinstance(value, SymInt):
            return ("int", value.dim)
        if isinstance(value, NumberVal):
            return ("number", value.kind)
        if isinstance(value, TensorVal):
            return ("tensor", value.kind, value.shape if value.shape is None else tuple(value.shape))
        if isinstance(value, (TupleVal, ListVal, DictVal)):
            kind = type(value).__name__.removesuffix("Val").lower()
            if depth >= MAX_DEPTH:
                return (kind,)
            if isinstance(value, DictVal):
                return (kind, tuple((_plain(key), self.describe(item, depth + 1)) for key, item in value.items))
            return (kind, tuple(self.describe(item, depth + 1) for item in value.items))
        if isinstance(value, FunctionVal):
            return ("function", self.qualified(getattr(value.closure, "module", None), value.node, value.name))
        if isinstance(value, ClassVal):
            return ("class", self.qualified(None, value.node, value.name))
        if isinstance(value, InstanceVal):
            return ("instance", self.qualified(None, value.cls.node, value.cls.name))
        if isinstance(value, ModuleVal):
            return ("module", value.name)
        if isinstance(value, ImportedName):
            return ("imported", value.module.name, value.name)  # not followed: that would run the module
        if isinstance(value, ApiRef):
            return ("api", value.path)
        if isinstance(value, BoundMethod):
            return ("method", value.type_name, value.name)
        if isinstance(value, ObjectVal):
            return ("object", value.type_name)
        return (type(value).__name__,)

    def qualified(self, path: Optional[str], node: Any, name: str) -> str:
        """``pkg.module.name:line`` (the line of the definition: a module may define a name twice)."""
        module = self.name_of_module(path) if path else self.module_name
        line = getattr(node, "lineno", None)
        return f"{module}.{name}" + (f":{line}" if line is not None else "")


def _plain(value: Any) -> Any:
    """A constant as itself when it compares the same in every process (numbers, strings, tuples
    and frozensets of them); else its type's name. NaN, which equals nothing, by name."""
    if isinstance(value, float) and value != value:
        return ("nan",)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (tuple, frozenset)) and all(isinstance(item, _PLAIN) for item in value):
        return type(value)(_plain(item) for item in value)
    return ("of type", type(value).__name__)
