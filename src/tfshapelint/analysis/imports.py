"""Import statements bind names: to dotted API paths (``import tensorflow.compat.v1 as tf``), or,
with a project loader, to the project's own modules (``import config``, ``from .layers import conv``)."""

from __future__ import annotations

import ast
from typing import Optional

from ..domain.values import UNKNOWN, ApiRef, ImportedName, ModuleVal, Value


def bindings_of_import(node: ast.Import, loader=None, importer: Optional[str] = None) -> list[tuple[str, Value]]:
    """``import a.b.c`` binds ``a``; ``import a.b.c as x`` binds ``x`` to ``a.b.c``."""
    result = []
    for alias in node.names:
        module = _project_module(alias.name, loader, importer) if loader is not None else None
        if module is not None:
            result.append(module[1] if alias.asname is None else (alias.asname, module[0]))
        elif alias.asname is not None:
            result.append((alias.asname, ApiRef(alias.name)))
        else:
            top = alias.name.split(".")[0]
            result.append((top, ApiRef(top)))
    return result


def _project_module(dotted: str, loader, importer: Optional[str]) -> Optional[tuple]:
    """For ``import a.b.c`` of the project: (the module ``a.b.c``, the binding of ``a`` through which
    ``a.b.c`` reads), or None when ``a`` is not the project's."""
    parts = dotted.split(".")
    top = loader.import_module(parts[0], 0, importer)
    if top is None:
        return None
    chain = [top]
    for part in parts[1:]:
        sub = loader.submodule(chain[-1], part, importer)
        if sub is None:
            return UNKNOWN, (parts[0], top)
        chain[-1].submodules[part] = sub
        chain.append(sub)
    return chain[-1], (parts[0], top)


def bindings_of_import_from(node: ast.ImportFrom, loader=None, importer: Optional[str] = None) -> list[tuple[str, Value]]:
    """``from tensorflow.nn import conv2d as c`` binds ``c`` to ``tensorflow.nn.conv2d``; ``from
    model import build`` binds ``build`` to the project module's function.

    Without a loader, relative imports (the project's own modules) bind unknown names. A star import
    binds a project module's public names (its ``__all__`` when it lists them), else nothing.
    """
    module = loader.import_module(node.module, node.level, importer) if loader is not None else None
    if module is not None:
        return _from_project_module(node, module, loader, importer)
    if any(alias.name == "*" for alias in node.names):
        return []
    relative = bool(node.level)
    result = []
    for alias in node.names:
        bound = alias.asname or alias.name
        if relative or node.module is None:
            result.append((bound, UNKNOWN))
        else:
            result.append((bound, ApiRef(f"{node.module}.{alias.name}")))
    return result


def _from_project_module(node: ast.ImportFrom, module: ModuleVal, loader, importer) -> list[tuple[str, Value]]:
    """The names bound lazily: a name is read from the module (which then runs) when first used."""
    if any(alias.name == "*" for alias in node.names):
        module.get("__all__")  # the names are needed now: run it
        return [(name, value) for name, value in module.exports.items() if name in _public_names(module)]
    return [(alias.asname or alias.name, ImportedName(module, alias.name)) for alias in node.names]


def _public_names(module: ModuleVal) -> set:
    listed = module.exports.get("__all__")
    items = getattr(listed, "items", None)
    if isinstance(items, tuple) and all(isinstance(getattr(i, "value", None), str) for i in items):
        return {i.value for i in items}
    return {name for name in module.exports if not name.startswith("_")}
