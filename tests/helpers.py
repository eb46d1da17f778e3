"""Small helpers shared by the unit tests."""

from __future__ import annotations

import ast
import textwrap

from tfshapelint.analysis.interpreter import Interpreter
from tfshapelint.domain.values import Const, TensorVal
from tfshapelint.linter import lint_source
from tfshapelint.shapes.shape import fmt


def run(source: str) -> Interpreter:
    interpreter = Interpreter(ast.parse(textwrap.dedent(source)), source=textwrap.dedent(source))
    interpreter.run()
    return interpreter


def shape(source: str, name: str) -> str:
    """The printed static shape of the module-level variable ``name`` after running ``source``."""
    value = run(source).globals.vars[name]
    assert isinstance(value, TensorVal), f"{name} is {value!r}, not a tensor"
    return fmt(value.shape)


def const(source: str, name: str):
    value = run(source).globals.vars[name]
    assert isinstance(value, Const), f"{name} is {value!r}, not a constant"
    return value.value


def codes(source: str) -> list[tuple[int, str]]:
    """(line, code) of every finding for ``source``."""
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), "snippet.py")]
