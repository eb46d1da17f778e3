"""Positional values as written: a call's arguments, the items of a list or tuple display, each
``*spread`` replaced by its items."""

from __future__ import annotations

import ast
from typing import Optional

from ..domain.sequences import iteration_items


def spread_values(interp, elements: list, nodes: Optional[list] = None) -> Optional[list]:
    """The values of ``elements`` (a call's positional arguments, the items of a list or tuple),
    each ``*spread`` replaced by its items; None when a spread's items are unknown (every element is
    evaluated all the same). ``nodes``: gets the expression of each value (None: a spread's item)."""
    evaluate = interp.eval
    values: list = []
    known = True
    for element in elements:
        if type(element) is ast.Starred:
            items = iteration_items(evaluate(element.value))
            if items is None:
                known = False
            else:
                values.extend(items)
                if nodes is not None:
                    nodes.extend([None] * len(items))
        else:
            values.append(evaluate(element))
            if nodes is not None:
                nodes.append(element)
    return values if known else None
