"""Import statements bind names to dotted API paths (``import tensorflow.compat.v1 as tf``)."""

from __future__ import annotations

import ast

from ..domain.values import UNKNOWN, ApiRef, Value


def bindings_of_import(node: ast.Import) -> list[tuple[str, Value]]:
    """``import a.b.c`` binds ``a``; ``import a.b.c as x`` binds ``x`` to ``a.b.c``."""
    result = []
    for alias in node.names:
        if alias.asname is not None:
            result.append((alias.asname, ApiRef(alias.name)))
        else:
            top = alias.name.split(".")[0]
            result.append((top, ApiRef(top)))
    return result


def bindings_of_import_from(node: ast.ImportFrom) -> list[tuple[str, Value]]:
    """``from tensorflow.nn import conv2d as c`` binds ``c`` to ``tensorflow.nn.conv2d``.

    Relative imports refer to the analysed project's own modules, which are not followed: their
    names become unknown. A star import binds nothing (its names stay unresolved, hence unknown).
    """
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
