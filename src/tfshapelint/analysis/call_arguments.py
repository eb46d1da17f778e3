"""The arguments of a call as written, evaluated once, each value paired with its expression."""

from __future__ import annotations

import ast
from typing import Optional

from ..domain.arguments import Arguments
from ..domain.sequences import iteration_items
from ..domain.values import DictVal


def evaluate_arguments(interp, node: ast.Call) -> Optional[Arguments]:
    """The values of ``node``'s arguments, left to right; None when a ``*spread`` or ``**options``
    has contents the analysis does not know (then the call's arguments are unknown)."""
    values: list = []
    keywords: dict = {}
    nodes: list = []
    keyword_nodes: dict = {}
    spread, complete = False, True
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            spread = True
            items = iteration_items(interp.eval(arg.value))
            if items is None:
                complete = False
            else:
                values.extend(items)
                nodes.extend([None] * len(items))
        else:
            values.append(interp.eval(arg))
            nodes.append(arg)
    for keyword in node.keywords:
        value = interp.eval(keyword.value)
        if keyword.arg is None:  # ``**options``
            spread = True
            if isinstance(value, DictVal) and all(isinstance(k, str) for k, _ in value.items):
                keywords.update(dict(value.items))
            else:
                complete = False
        else:
            keywords[keyword.arg] = value
            keyword_nodes[keyword.arg] = keyword.value
    return Arguments(values, keywords, tuple(nodes), keyword_nodes, spread=spread) if complete else None
