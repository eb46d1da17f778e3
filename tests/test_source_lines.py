"""SourceLines: a file split once gives every node the segment that ``ast.get_source_segment`` gives."""

from __future__ import annotations

import ast

import pytest

from tfshapelint.linter import NodeSpans
from tfshapelint.rules.base import SourceText
from tfshapelint.source_lines import SourceLines

SOURCES = {
    "ascii": "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.reshape(x, [6])\n",
    "non-ascii": ("# -*- coding: utf-8 -*-\nnom_é = \"żółw 🐢\"; 數據 = tf.zeros([2, 3])  # café\n"
                  "z = f(\"ü\", 數據, \"🐢🐢\") + nom_é\n"),
    "crlf": "import tensorflow as tf\r\nx = tf.zeros(\r\n    [2, 3])\r\ny = (x +\r\n     x)\r\n",
    "lone cr": "a = 1\rb = (a +\r     2)\rc = [b,\r     'é']\r",
    "tabs": "if True:\n\tx = tf.zeros([2,\n\t\t3])\n\ty = {\t'k':\tx }\n",
    "form feed": "\fx = 1\n\f\ny = (x,\n\f     x)\nz = '\u2028'\n",
    "multi-line": ('w = tf.Variable(tf.random.truncated_normal(\n    [4 * 4 * 64, 1024],\n    stddev=0.1))\n'
                   'def f(a,\n      b):\n    """doc\n    é string"""\n    return a @ \\\n        b\n'
                   's = """one\ntwo ü\nthree"""\n'),
    "no final newline": "x = (1 +\n     2)",
    "mixed breaks": "a = [1,\r\n     2,\r     3,\n     'ö']\r\nb = a\n",
}


def nodes(tree: ast.AST):
    return [node for node in ast.walk(tree) if hasattr(node, "lineno")]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_segment_is_the_one_ast_gives(name):
    source = SOURCES[name]
    lines = SourceLines(source)
    found = nodes(ast.parse(source))
    assert len(found) > 3
    multi_line = [node for node in found if node.end_lineno > node.lineno]
    for node in found:
        assert lines.segment(node) == ast.get_source_segment(source, node), ast.dump(node)
    if name not in ("ascii", "non-ascii"):
        assert multi_line  # the cases hold nodes across lines, which take the line offsets


def test_a_node_without_a_complete_place_has_no_segment():
    lines = SourceLines("x = 1\n")
    partial = ast.Name(id="x", lineno=1, col_offset=0)
    assert lines.segment(partial) is None and ast.get_source_segment("x = 1\n", partial) is None
    assert lines.segment(ast.arguments()) is None


def test_columns_count_characters_not_utf8_bytes():
    source = "é = ('🐢', b)\n"
    name_b = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name) and node.id == "b"][0]
    lines = SourceLines(source)
    assert name_b.col_offset == len("é = ('🐢', ".encode())
    assert lines.column(1, name_b.col_offset) == len("é = ('🐢', ")
    assert NodeSpans(lines).get(name_b) == (1, 11, 1, 12)


def test_line_starts_follow_the_tokenizer_line_breaks():
    source = "a\r\nb\rc\n\fd\u2028e\n"
    lines = SourceLines(source)
    assert [lines.start(number) for number in (1, 2, 3, 4, 5)] == [0, 3, 5, 7, 12]
    assert [lines.line(number) for number in (1, 2, 3, 4, 5, 6)] == ["a", "b", "c", "\fd\u2028e", "", ""]


def test_rules_quote_the_users_code_through_the_shared_lines():
    source = "import tensorflow as tf\r\ny = tf.reshape(\r\n    x,  [4 * 4 *\r\n 64])\r\n"
    size = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.List)][0]
    text = SourceText(source)
    assert text.code(size) == "[4 * 4 *\r\n 64]"
    assert text.factored(size.elts[0], (7, 7, 64)) == "7 * 7 * 64"
