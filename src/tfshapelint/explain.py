"""``tfshapelint explain``: the inferred shape of every tensor assignment and how it came about.

A static ``model.summary()`` for any TensorFlow code: one row per assignment of a tensor (or a
Keras Sequential model, whose layers get a row each), in source order.
"""

from __future__ import annotations

import ast
import json
from dataclasses import asdict, dataclass, field
from typing import Optional, Union

from .analysis.interpreter import BudgetExceeded, Interpreter
from .domain.tf_versions import Versions
from .domain.values import ObjectVal, TensorVal
from .linter import NodeSpans, chain_text
from .shapes import shape as shapes


@dataclass
class Row:
    line: int
    column: int
    name: str
    shape: str
    source: str  # the operation that produced it: "conv2d s1 SAME", "placeholder", "Dense(10)"...
    chain: list = field(default_factory=list)
    varies: bool = False  # the assignment sits in a function called with different shapes
    cell: Optional[int] = None  # in a notebook: the cell, ``line`` counting within it


def explain_source(source: str, target_version: Union[str, Versions] = "tf2", path: Optional[str] = None, loader=None) -> list[Row]:
    """Rows for every tensor assignment (``target_version``: a generation, "tf1" or "tf2", or the releases targeted); raises
    ValueError with the TSL901/TSL903 message when the source does not parse, or is too large or too
    deeply nested to parse safely. With a project ``loader``, the project modules that ``path``
    imports are followed (their own assignments are not rows)."""
    import os

    from .analysis.foreign import OwnNodes
    from .linter import parse
    from .python2 import reading_of

    module = parse(source, "<explain>")
    if not isinstance(module, ast.Module):
        raise ValueError(module.message)
    interpreter = Interpreter(module, record_assignments=True, source=source, target_version=target_version,
                              python2=reading_of(module), loader=loader,
                              path=os.path.abspath(path) if loader is not None and path else None)
    try:
        interpreter.run()
    except (BudgetExceeded, RecursionError):
        pass  # explain what was reached
    spans = NodeSpans(source)
    by_node: dict = {}
    own = OwnNodes(module) if loader is not None else None
    for assignment in interpreter.assignments:
        if own is None or assignment.node in own:
            by_node.setdefault(assignment.node, []).append(assignment)
    rows: list[Row] = []
    for node, assignments in by_node.items():
        called = [a for a in assignments if not a.alone] or assignments
        line, column, _, _ = spans.get(node)
        value = called[-1].value
        if isinstance(value, ObjectVal):
            rows.extend(_model_rows(line, column, called[-1].name, value))
            continue
        tensors = [a.value for a in called if isinstance(a.value, TensorVal)]
        joined = tensors[0].shape
        for tensor in tensors[1:]:
            joined = shapes.join(joined, tensor.shape)
        varies = any(t.shape != tensors[0].shape for t in tensors[1:])
        rows.append(Row(line, column, called[-1].name, shapes.fmt(_shown(value, joined, varies)), _producer(value),
                        chain_text(value.chain), varies))
    return sorted(rows, key=lambda row: (row.line, row.column))


def _shown(tensor: TensorVal, shape, varies: bool):
    """The shape to show: the one the derivation's last step computed when it only fills in sizes
    the analysis dropped (after a finding, a reshape's wrong batch goes on as unknown)."""
    last = tensor.chain[-1].shape if tensor.chain else None
    if varies or last is None or shape is None or len(last) != len(shape):
        return shape
    if all(have is None or have == computed for have, computed in zip(shape, last)):
        return last
    return shape


def _producer(tensor: TensorVal) -> str:
    if tensor.chain and tensor.chain[-1].label and len(tensor.chain) > 1:
        return tensor.chain[-1].label
    return tensor.kind


def _model_rows(line: int, column: int, name: str, model: ObjectVal) -> list[Row]:
    summary = model.state.get("summary")
    if not isinstance(summary, tuple) or not summary:  # UNKNOWN: a layer added under an if
        return []
    rows = []
    model_input = model.state.get("input")
    if isinstance(model_input, TensorVal):
        rows.append(Row(line, column, f"{name} (input)", shapes.fmt(model_input.shape), "Input"))
    for layer, output in summary:
        shape = shapes.fmt(output.shape) if isinstance(output, TensorVal) else "?"
        rows.append(Row(line, column, f"{name}.{layer.state['class']}", shape,
                        output.chain[-1].label if isinstance(output, TensorVal) and output.chain else "?"))
    return rows


def render_table(rows: list[Row]) -> str:
    if not rows:
        return "No tensor assignments found.\n"
    header = ("line", "name", "shape", "from")
    table = [header] + [(str(r.line) if r.cell is None else f"cell {r.cell}:{r.line}", r.name, r.shape + (" (varies by call)" if r.varies else ""), r.source)
                        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    lines = []
    for row in table:
        lines.append(f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}".rstrip())
    return "\n".join(lines) + "\n"


def render_json(rows: list[Row], path: Optional[str] = None) -> str:
    return json.dumps([{"filename": path, **asdict(row)} for row in rows], indent=2) + "\n"
