"""Small helpers shared by the unit tests."""

from __future__ import annotations

import ast
import re
import textwrap
import tokenize
from pathlib import Path

from tfshapelint.analysis.interpreter import Interpreter
from tfshapelint.domain.values import Const, TensorVal
from tfshapelint.linter import lint_source
from tfshapelint.python2 import translate
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


EXPECT = re.compile(r"expect:\s*(TSL\d{3}(?:\s*,\s*TSL\d{3})*)")
PYTHON2_MARKER = re.compile(r"#\s*python2\b")  # a fixture's first line: it is Python 2 (fixtures/README.md)


def is_python2_fixture(path: Path) -> bool:
    with open(path, encoding="utf-8") as handle:
        return bool(PYTHON2_MARKER.match(handle.readline()))


def expected(path: Path) -> set[tuple[int, str]]:
    """The (line, code) pairs of a fixture's ``# expect:`` markers (read from comments only; for a
    Python 2 fixture, from its translation, which keeps every comment on its line)."""
    text = path.read_text(encoding="utf-8")
    if is_python2_fixture(path):
        text = translate(text).text
    lines = iter(text.splitlines(keepends=True))
    pairs = set()
    for token in tokenize.generate_tokens(lambda: next(lines, "")):
        if token.type == tokenize.COMMENT:
            match = EXPECT.search(token.string)
            if match:
                pairs |= {(token.start[0], code.strip()) for code in match[1].split(",")}
    return pairs


def project_expected(folder: Path) -> set[tuple[str, int, str]]:
    """The (file, line, code) triples of the ``# expect:`` markers of every file of a project fixture
    (file relative to the project folder)."""
    return {(path.relative_to(folder).as_posix(), line, code)
            for path in sorted(folder.rglob("*.py")) for line, code in expected(path)}
