"""The arguments of a call as written, evaluated once, each value paired with its expression."""

from __future__ import annotations

import ast
from typing import Optional

from ..domain.arguments import Arguments
from ..domain.sequences import iteration_items
from ..domain.values import DictVal


def spread_values(interp, elements: list, nodes: Optional[list] = None) -> Optional[list]:
    """The values of ``elements`` (a call's positional arguments, the items of a list or tuple),
    each ``*spread`` replaced by its items; None when a spread's items are unknown (every element is
    evaluated all the same). ``nodes``: gets the expression of each value (None: a spread's item)."""
    values: list = []
    known = True
    for element in elements:
        if isinstance(element, ast.Starred):
            items = iteration_items(interp.eval(element.value))
            if items is None:
                known = False
            else:
                values.extend(items)
                if nodes is not None:
                    nodes.extend([None] * len(items))
        else:
            values.append(interp.eval(element))
            if nodes is not None:
                nodes.append(element)
    return values if known else None


def evaluate_arguments(interp, node: ast.Call) -> Optional[Arguments]:
    """The values of ``node``'s arguments, left to right; None when a ``*spread`` or ``**options``
    has contents the analysis does not know (then the call's arguments are unknown)."""
    nodes: list = []
    values = spread_values(interp, node.args, nodes)
    complete = values is not None
    spread = any(isinstance(arg, ast.Starred) for arg in node.args)
    keywords: dict = {}
    keyword_nodes: dict = {}
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
