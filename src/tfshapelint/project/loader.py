"""The project's own modules, as the file being linted imports them.

A module is read and run once per loader (one per process, or one per analysis in the language
server), when one of its names is first read: its module-level statements run in an interpreter of
their own, with ``__name__`` set to the module's name (so ``if __name__ == "__main__":`` blocks stay
out), and its globals become the module's exports, which the importing file binds (constants, functions analysed
at each call site with the arguments bound, classes, tensors, argparse defaults). A module being
imported while it runs (a cycle) gives its globals as they are so far, as Python does. Errors found
while running a dependency are not the importing file's: the dependency reports them when it is
linted itself. The loader remembers which files each module read: ``summary(path)`` gives a
module's exports and the files it read with their hashes (``project.summary``), which key the cache.

Each module runs at most once per loader as an import, and once more to learn its own errors: each
run names its symbolic sizes after itself (``dims.analysis_scope``), so no size of one run is taken
for a size of another.
"""

from __future__ import annotations

import ast
import gc
import os
from dataclasses import dataclass
from typing import Optional, Union

from ..domain.tf_versions import Versions

from .. import python2
from ..cache import digest
from ..analysis.syntax import SyntaxFacts
from ..domain.values import ModuleVal
from ..linter import parse_python2, parse_tree
from .resolve import Resolver, find_module
from .summary import ModuleSummary, describe_exports

MAX_IMPORT_DEPTH = 12  # modules importing modules importing...: deeper ones are unknown
MAX_MODULE_BYTES = 512 * 1024  # as for linted files: larger modules are not run
MAX_IMPORTED_STATES = 200  # modules whose op state one module's ops may read


@dataclass
class Loaded:
    module: ModuleVal
    sha: str
    source: str = ""
    own_errors: Optional[set] = None  # error_position() of the errors the module's own analysis reports
    syntax: Optional[SyntaxFacts] = None
    op_state: Optional[dict] = None  # what ops kept while the module ran (the flags it defined...)


class ProjectLoader:
    """Resolves and runs the project's modules for the interpreters that import them."""

    def __init__(self, resolver: Optional[Resolver] = None, target_version: Union[str, Versions] = "tf2",
                 overlay: Optional[dict] = None):
        self.resolver = resolver or Resolver()
        self.target_version = target_version
        self.overlay = overlay or {}  # path -> text of an unsaved editor buffer
        self.loaded: dict[str, Loaded] = {}
        self.running: list[str] = []
        self.imports_of: dict[str, set] = {}  # importer path -> module paths it imported
        self.source_bytes = 0  # of the modules run so far: what the loader holds in memory grows with it

    # -- what interpreters ask ---------------------------------------------------------------------
    def import_module(self, module: Optional[str], level: int, importer: Optional[str]) -> Optional[ModuleVal]:
        """The project module ``import module`` means in ``importer``; None when it is not the project's."""
        if importer is None:
            return None
        path = self.resolver.resolve(module, level, importer)
        if path is None or os.path.abspath(path) == os.path.abspath(importer):
            return None
        self.imports_of.setdefault(os.path.abspath(importer), set()).add(path)
        return self.load(path, module or os.path.basename(os.path.dirname(path)))

    def load(self, path: str, name: str) -> ModuleVal:
        """The module of ``path``; it is read and run when one of its names is first read."""
        loaded = self.loaded.get(path)
        if loaded is not None:
            return loaded.module
        module = ModuleVal(name, path)
        loaded = self.loaded[path] = Loaded(module, sha="")
        module.hooks["submodule"] = lambda sub: self.submodule(module, sub, path)
        if not os.path.isdir(path):  # a namespace package has no code of its own
            module.hooks["run"] = lambda: self._run(loaded, name, path)
        return module

    def submodule(self, package: ModuleVal, name: str, importer: Optional[str]) -> Optional[ModuleVal]:
        """``pkg.sub`` for ``import pkg.sub``: the submodule, found beside the package's ``__init__``."""
        folder = package.path if os.path.isdir(package.path) else os.path.dirname(package.path)
        path = find_module(folder, [name])
        if path is None:
            return None
        if importer is not None:
            self.imports_of.setdefault(os.path.abspath(importer), set()).add(path)
        return self.load(path, f"{package.name}.{name}")

    def reports_itself(self, path: str, error) -> bool:
        """Whether the module ``path`` reports ``error`` (met in its code) when it is linted itself."""
        return error_position(error) in self.own_errors(path)

    def own_errors(self, path: str) -> set:
        """Where the module reports errors when it is linted itself: ``(error type, position)``
        (computed on first need: only when a call into it fails)."""
        loaded = self.loaded.get(path)
        if loaded is None or not loaded.source:
            return set()
        if loaded.own_errors is None:
            loaded.own_errors = set()
            tree = _parse(loaded.source)  # a tree of its own: the module's run kept only its functions
            if tree is not None:
                interpreter = self._interpreter(tree, loaded.source, "__main__", path, "own-errors")
                _run_quietly(interpreter, full=True)
                loaded.own_errors = {error_position(e) for e in interpreter.errors}
        return loaded.own_errors

    def syntax(self, path: str):
        """The syntax facts of a module (generators, loops that break), found once per module."""
        loaded = self.loaded.get(path)
        if loaded is None:
            return SyntaxFacts(None)
        if loaded.syntax is None:
            loaded.syntax = SyntaxFacts(loaded.source or None)
        return loaded.syntax

    def imported_op_states(self, path: str) -> list[dict]:
        """The op state of every project module ``path`` imports, transitively, each run first (as
        the import would have run it): what TensorFlow keeps process-wide, such as the flags each
        imported module defines, is what the modules of the program defined."""
        states: list[dict] = []
        seen = {os.path.abspath(path)}
        stack = sorted(self.imports_of.get(os.path.abspath(path), ()), reverse=True)
        while stack and len(seen) <= MAX_IMPORTED_STATES:
            dep = stack.pop()
            absolute = os.path.abspath(dep)  # once: this walk runs at every flag an absl module defines
            if absolute in seen:
                continue
            seen.add(absolute)
            loaded = self.loaded.get(dep)
            if loaded is None:
                continue
            loaded.module.run()
            if loaded.op_state:
                states.append(loaded.op_state)
            stack.extend(sorted(self.imports_of.get(absolute, ()), reverse=True))
        return states

    def summary(self, path: str) -> ModuleSummary:
        """What the module of ``path`` gives its importers and the project files its analyses read,
        transitively, with their hashes (``project.summary``). Its exports are computed when first
        read, running it as an import if it has not run: the cache key of a file just linted
        costs no second run of it."""
        path = os.path.abspath(path)
        return ModuleSummary(path, self._dependency_hashes(path), compute=lambda: self._exports_of(path))

    def _exports_of(self, path: str) -> tuple[dict, dict]:
        """The module's exports, described, and the files read once it has run."""
        loaded = self.loaded.get(path)
        module = loaded.module if loaded is not None else self.load(path, _module_name(path))
        module.run()
        names = {os.path.abspath(p): item.module.name for p, item in self.loaded.items()}
        exports = describe_exports(module.exports, module.name, lambda other: names.get(os.path.abspath(other), other))
        return exports, self._dependency_hashes(path)

    def _dependency_hashes(self, path: str) -> dict:
        """Every project file ``path`` depends on, transitively: ``{path: sha256 of its text}``."""
        found: dict = {}
        stack = list(self.imports_of.get(os.path.abspath(path), ()))
        while stack:
            dep = stack.pop()
            if dep in found:
                continue
            loaded = self.loaded.get(dep)
            if loaded is None or not loaded.sha:
                continue  # imported but never read: its content cannot change this file's findings
            found[dep] = loaded.sha
            stack.extend(self.imports_of.get(os.path.abspath(dep), ()))
        return found

    # -- running a module -------------------------------------------------------------------------------
    def _run(self, loaded: Loaded, name: str, path: str) -> None:
        if len(self.running) >= MAX_IMPORT_DEPTH:
            return  # its names stay unknown
        data = self._read(path)
        if data is None:
            return
        loaded.sha = digest(data)
        self.source_bytes += len(data)
        loaded.source = data.decode("utf-8", "replace")
        tree = _parse(loaded.source)  # not kept: what the module's names need of it, they hold
        if tree is None:
            return
        interpreter = self._interpreter(tree, loaded.source, name, path, "imported")
        loaded.module.exports.update(interpreter.globals.vars)
        interpreter.globals.vars = loaded.module.exports  # live: a cycle sees the names bound so far
        loaded.op_state = interpreter.op_state
        self.running.append(path)
        try:
            _run_quietly(interpreter, full=False)
        finally:
            self.running.pop()
            interpreter.release()

    def _interpreter(self, tree, source: str, name: str, path: str, run: str):
        from ..analysis.interpreter import Interpreter  # the loader sits above the analysis

        # ``run`` names the analysis (dims.analysis_scope): each loaded module is run at most once
        # as imported and once for its own errors, so no two of its analyses share their symbols
        interpreter = Interpreter(tree, target_version=self.target_version, source=source, loader=self,
                                  module_name=name, path=path, python2=python2.reading_of(tree), run=run)
        return interpreter

    def _read(self, path: str) -> Optional[bytes]:
        if path in self.overlay:
            return self.overlay[path].encode("utf-8", "surrogatepass")
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_MODULE_BYTES + 1)
        except OSError:
            return None
        if len(data) > MAX_MODULE_BYTES:
            return None
        return data


def _module_name(path: str) -> str:
    """The name a module not imported yet gets: its file's (its package's, for an ``__init__``)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.basename(os.path.dirname(os.path.abspath(path))) if stem == "__init__" else stem


def error_position(error) -> tuple:
    """An error's kind and place in its module, comparable across two parses of the module."""
    node = error.node
    return (type(error), getattr(node, "lineno", None), getattr(node, "col_offset", None),
            getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))


def _parse(source: str) -> Optional[ast.Module]:
    """The module's tree, parsed as linted files are (garbage collection paused: a tree has no
    cycles; a module of Python 2 through its translation), or None when it does not parse."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return parse_tree(source)
    except SyntaxError:
        return parse_python2(source)
    except (ValueError, RecursionError, MemoryError):
        return None
    finally:
        if collecting:
            gc.enable()


def _run_quietly(interpreter, full: bool) -> None:
    """Run a dependency: its own problems (a budget, a crash) leave its names as far as they got."""
    from ..analysis.interpreter import BudgetExceeded

    try:
        if full:
            interpreter.run()
        else:
            interpreter.exec_block(interpreter.module.body)
    except (BudgetExceeded, RecursionError, MemoryError):
        pass
    except Exception:  # noqa: BLE001 - a dependency's internal error must not fail the importing file
        pass
