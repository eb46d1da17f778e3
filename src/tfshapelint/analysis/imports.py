"""Import statements bind names to dotted API paths (``import tensorflow.compat.v1 as tf``)."""

from __future__ import annotations

import libcst as cst

from .values import UNKNOWN, ApiRef, Value


def dotted_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def bindings_of_import(node: cst.Import) -> list[tuple[str, Value]]:
    """``import a.b.c`` binds ``a``; ``import a.b.c as x`` binds ``x`` to ``a.b.c``."""
    result = []
    for alias in node.names:
        path = dotted_name(alias.name)
        if path is None:
            continue
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            result.append((alias.asname.name.value, ApiRef(path)))
        else:
            top = path.split(".")[0]
            result.append((top, ApiRef(top)))
    return result


def bindings_of_import_from(node: cst.ImportFrom) -> list[tuple[str, Value]]:
    """``from tensorflow.nn import conv2d as c`` binds ``c`` to ``tensorflow.nn.conv2d``.

    Relative imports refer to the analysed project's own modules, which are not followed: their
    names become unknown. A star import binds nothing (its names stay unresolved, hence unknown).
    """
    if isinstance(node.names, cst.ImportStar):
        return []
    module = dotted_name(node.module) if node.module is not None else None
    relative = bool(node.relative)
    result = []
    for alias in node.names:
        if not isinstance(alias.name, cst.Name):
            continue
        name = alias.name.value
        bound = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
        if relative or module is None:
            result.append((bound, UNKNOWN))
        else:
            result.append((bound, ApiRef(f"{module}.{name}")))
    return result
