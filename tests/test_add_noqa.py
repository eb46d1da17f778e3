"""--add-noqa: a ``# noqa: CODE`` on each finding's line, existing comments kept, codes merged into an
existing ``# noqa:``; afterwards the file lints clean, and adding again changes nothing."""

from __future__ import annotations

from click.testing import CliRunner

from tfshapelint.cli import main
from tfshapelint.fix import apply_edits
from tfshapelint.fixes.noqa import noqa_edits
from tfshapelint.linter import lint_source

SOURCE = """import tensorflow as tf

a = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))
b = tf.matmul(tf.zeros([2, 3]), tf.zeros([5, 4]))  # shapes from the paper
c = tf.matmul(tf.zeros([2, 3]), tf.zeros([6, 4]))  # noqa: TSL001 (kept for the example)
d = tf.matmul(tf.zeros([2, 3]),
              tf.zeros([7, 4]))
e = tf.matmul(tf.zeros([2, 3]), tf.zeros([8, 4]))\r
"""

EXPECTED = """import tensorflow as tf

a = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))  # noqa: TSL004
b = tf.matmul(tf.zeros([2, 3]), tf.zeros([5, 4]))  # shapes from the paper  # noqa: TSL004
c = tf.matmul(tf.zeros([2, 3]), tf.zeros([6, 4]))  # noqa: TSL001, TSL004 (kept for the example)
d = tf.matmul(tf.zeros([2, 3]),  # noqa: TSL004
              tf.zeros([7, 4]))
e = tf.matmul(tf.zeros([2, 3]), tf.zeros([8, 4]))  # noqa: TSL004\r
"""


def add_noqa(source: str) -> tuple[str, list]:
    notes: list = []
    return apply_edits(source, noqa_edits(source, lint_source(source, "f.py"), notes)), notes


def test_comments_are_added_kept_and_merged():
    assert [f.line for f in lint_source(SOURCE, "f.py")] == [3, 4, 5, 6, 8]
    added, notes = add_noqa(SOURCE)
    assert notes == [] and added == EXPECTED
    assert lint_source(added, "f.py") == []
    assert add_noqa(added) == (added, [])


def test_a_line_ending_inside_a_string_gets_a_note():
    source = 'import tensorflow as tf\nx = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4])); s = """\n"""\n'
    findings = lint_source(source, "f.py")
    assert [f.line for f in findings] == [2]
    notes: list = []
    assert noqa_edits(source, findings, notes) == []
    assert "f.py:2: no noqa comment added for TSL004: the line cannot end with a comment" in notes[0]


def test_cli_add_noqa_rewrites_the_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_bytes(SOURCE.encode())
    result = CliRunner().invoke(main, ["check", "--no-cache", "--isolated", "--add-noqa", "m.py"])
    assert result.exit_code == 0 and "Added 5 noqa comments." in result.stderr
    assert (tmp_path / "m.py").read_bytes() == EXPECTED.encode()
    again = CliRunner().invoke(main, ["check", "--no-cache", "--isolated", "m.py"])
    assert again.exit_code == 0
    both = CliRunner().invoke(main, ["check", "--add-noqa", "--fix", "m.py"])
    assert both.exit_code == 2 and "cannot be combined" in both.stderr
