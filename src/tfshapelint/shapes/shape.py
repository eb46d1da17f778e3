"""Shapes: a tuple of dims (known rank) or ``None`` (unknown rank)."""

from __future__ import annotations

from typing import Optional

from . import dims
from .dims import Dim

Shape = Optional[tuple]


def fmt(shape: Shape) -> str:
    """``7x7x64``; ``?`` for an unknown dim; ``<unknown rank>``; ``scalar`` for rank 0."""
    if shape is None:
        return "<unknown rank>"
    if len(shape) == 0:
        return "scalar"
    return "x".join(dims.fmt(d) for d in shape)


def num_elements(shape: Shape) -> Dim:
    if shape is None:
        return None
    return dims.product(shape)


def join_dim(a: Dim, b: Dim) -> Dim:
    """The dim both control-flow paths agree on, else unknown."""
    return a if dims.equal(a, b) is True else None


def join(a: Shape, b: Shape) -> Shape:
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(join_dim(x, y) for x, y in zip(a, b))


def is_fully_known(shape: Shape) -> bool:
    return shape is not None and all(isinstance(d, int) for d in shape)
