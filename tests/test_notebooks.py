"""Jupyter notebooks: code cells linted as one program, findings reported by cell."""

import json
import os

from click.testing import CliRunner

from tfshapelint.cli import main
from tfshapelint.linter import lint_source
from tfshapelint.notebooks import lint_notebook, python_lines


def notebook(*cells, language="python") -> str:
    def cell(source):
        kind = "markdown" if source.startswith("# ") and "\n" not in source else "code"
        lines = source.splitlines(keepends=True)
        return {"cell_type": kind, "metadata": {}, "source": lines,
                **({"outputs": [], "execution_count": None} if kind == "code" else {})}
    return json.dumps({"cells": [cell(c) for c in cells], "nbformat": 4, "nbformat_minor": 5,
                       "metadata": {"kernelspec": {"name": "python3", "language": language},
                                    "language_info": {"name": language}}})


NB = notebook(
    "# A title",                                              # cell 1: markdown
    "%matplotlib inline\n!pip install tensorflow\nimport tensorflow as tf",  # cell 2
    "# Model",                                                # cell 3: markdown
    "x = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))",  # cell 4: the bug on its line 2
)


def run(*args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)


def test_findings_are_mapped_to_cell_and_line():
    findings = lint_notebook(NB, "nb.ipynb", lint_source)
    assert [(f.cell, f.line, f.column, f.code) for f in findings] == [(4, 2, 5, "TSL004")]
    assert findings[0].end_line == 2


def test_concise_output_is_rufflike(tmp_path):
    (tmp_path / "nb.ipynb").write_text(NB)
    result = run("nb.ipynb", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith("nb.ipynb:cell 4:2:5: TSL004 ")


def test_json_output_has_the_cell(tmp_path):
    (tmp_path / "nb.ipynb").write_text(NB)
    item, = json.loads(run("--output-format", "json", "nb.ipynb", cwd=tmp_path).stdout)
    assert item["cell"] == 4 and item["location"] == {"row": 2, "column": 5}


def test_notebooks_are_discovered_in_folders_but_not_checkpoints(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "nb.ipynb").write_text(NB)
    (tmp_path / "notebooks" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "notebooks" / ".ipynb_checkpoints" / "nb-checkpoint.ipynb").write_text(NB)
    result = run(".", cwd=tmp_path)
    assert result.stdout.splitlines() == [line for line in result.stdout.splitlines()
                                          if line.startswith("notebooks/nb.ipynb:cell 4:2:5: TSL004")]
    assert len(result.stdout.splitlines()) == 1


def test_magics_become_ipython_calls_keeping_line_numbers_and_blocks():
    assert python_lines("%time x = 1\nfor i in y:\n    !echo hi\nfiles = !ls\ntf.reshape?\n") == [
        "get_ipython().run_line_magic('time', 'x = 1')", "for i in y:", "    get_ipython().system('echo hi')",
        "files = get_ipython().getoutput('ls')", "get_ipython().run_line_magic('pinfo', 'tf.reshape')"]
    assert python_lines("%%time\nx = 1") == ["", "x = 1"]
    assert python_lines("a = 5 % 3\nb = a != 2") == ["a = 5 % 3", "b = a != 2"]


def test_continuation_lines_starting_with_percent_or_bang_are_code():
    nb = notebook("import tensorflow as tf\nx = tf.zeros([2, 3])\nprint('%d'\n % 3)\nz = (1\n != 0)",
                  "y = tf.matmul(x, tf.zeros([4, 4]))")
    assert [(f.code, f.cell, f.line) for f in lint_notebook(nb, "nb.ipynb", lint_source)] == [("TSL004", 2, 1)]


def test_an_indented_cell_is_dedented_as_ipython_does():
    nb = notebook("    import tensorflow as tf\n    x = tf.zeros([2, 3])", "  y = tf.matmul(x, tf.zeros([4, 4]))")
    assert [(f.code, f.cell, f.line) for f in lint_notebook(nb, "nb.ipynb", lint_source)] == [("TSL004", 2, 1)]


def test_a_magic_assignment_forgets_the_old_value():
    nb = notebook("import tensorflow as tf\nx = tf.zeros([2, 3])\nx = %env HOME\ny = tf.matmul(x, tf.zeros([4, 4]))")
    assert lint_notebook(nb, "nb.ipynb", lint_source) == []


def test_noqa_in_a_cell_and_file_level_noqa(tmp_path):
    nb = NB.replace("tf.zeros([4, 4]))", "tf.zeros([4, 4]))  # noqa: TSL004")
    assert lint_notebook(nb, "nb.ipynb", lint_source) == []
    nb = notebook("import tensorflow as tf\n# tfshapelint: noqa", "y = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))")
    assert lint_notebook(nb, "nb.ipynb", lint_source) == []


def test_syntax_error_is_reported_in_its_cell():
    nb = notebook("import tensorflow as tf", "x = 1\ndef broken(:")
    finding, = lint_notebook(nb, "nb.ipynb", lint_source)
    assert (finding.code, finding.cell, finding.line) == ("TSL901", 2, 2)


def test_non_python_notebooks_are_skipped_and_bad_json_is_reported():
    assert lint_notebook(notebook("import tensorflow as tf\nprint 'x'", language="R"), "r.ipynb", lint_source) == []
    finding, = lint_notebook("{not json", "bad.ipynb", lint_source)
    assert finding.code == "TSL904" and "invalid JSON" in finding.message


def test_old_nbformat_3_worksheets():
    nb = json.dumps({"nbformat": 3, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": ["import tensorflow as tf\n",
                                        "y = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n"]}]}]})
    assert [(f.cell, f.line, f.code) for f in lint_notebook(nb, "old.ipynb", lint_source)] == [(1, 2, "TSL004")]


def test_stdin_notebook(tmp_path):
    result = CliRunner().invoke(main, ["-", "--stdin-filename", "nb.ipynb"], input=NB)
    assert result.stdout.startswith("nb.ipynb:cell 4:2:5: TSL004")


def test_explain_a_notebook_by_cell(tmp_path):
    (tmp_path / "nb.ipynb").write_text(NB)
    result = run("explain", "nb.ipynb", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()[1:] if line.startswith("cell")]
    assert [row[:4] for row in rows] == [["cell", "4:1", "x", "2x3"]]
    data = json.loads(run("explain", "--output-format", "json", "nb.ipynb", cwd=tmp_path).stdout)
    assert [(row["cell"], row["line"], row["name"], row["shape"]) for row in data] == [(4, 1, "x", "2x3")]


def test_explain_a_notebook_that_is_not_python(tmp_path):
    (tmp_path / "r.ipynb").write_text(notebook("x <- 1", language="R"))
    result = run("explain", "r.ipynb", cwd=tmp_path)
    assert result.exit_code == 2 and "not a notebook of Python code" in result.output
