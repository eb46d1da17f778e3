"""Fixes in notebooks: the right cell's source rewritten in the .ipynb, every other byte kept."""

import json
import os
from pathlib import Path

from click.testing import CliRunner

from tfshapelint.cli import main
from tfshapelint.json_spans import value_spans
from tfshapelint.notebook_edits import cell_changes, replace_sources
from tfshapelint.notebooks import code_cells, to_program

EXAMPLE = (Path(__file__).resolve().parent.parent / "examples" / "mnist_convnet.py").read_text()
BAD = "    'wd1': tf.Variable(tf.random_normal([4*4*64, 1024])),\n"
GOOD = "    'wd1': tf.Variable(tf.random_normal([7*7*64, 1024])),\n"


def mnist_notebook(cell_indent: str = "", **dumps) -> str:
    """The seed example in two code cells after a markdown one, with magics, outputs and metadata."""
    head, rest = EXAMPLE.split("def conv2d", 1)
    body = [cell_indent + line if line.strip() else line for line in ("def conv2d" + rest).splitlines(keepends=True)]
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# MNIST\n", "A convnet: naïve."]},
        {"cell_type": "code", "execution_count": 1, "metadata": {"tags": ["setup"]},
         "outputs": [{"name": "stdout", "output_type": "stream", "text": ["ok\n"]}],
         "source": ["%matplotlib inline\n", "!pip install tensorflow\n", *head.splitlines(keepends=True)]},
        {"cell_type": "code", "execution_count": 2, "metadata": {"collapsed": False}, "outputs": [], "source": body},
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python"},
                                             "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, **({"indent": 1, "ensure_ascii": False} | dumps)) + "\n"


def run(*args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)


def changed_lines(before: str, after: str) -> list:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]


def test_fix_rewrites_the_cell_and_keeps_every_other_byte(tmp_path):
    original = mnist_notebook()
    (tmp_path / "nb.ipynb").write_text(original, encoding="utf-8")
    result = run("--fix", "nb.ipynb", cwd=tmp_path)
    fixed = (tmp_path / "nb.ipynb").read_text(encoding="utf-8")
    assert result.exit_code == 0, result.output
    assert len(fixed.splitlines()) == len(original.splitlines())
    assert changed_lines(original, fixed) == [(f"    {json.dumps(BAD)},", f"    {json.dumps(GOOD)},")]
    assert "naïve" in fixed  # written as it was, not escaped
    assert run("nb.ipynb", cwd=tmp_path).exit_code == 0


def test_diff_shows_the_notebook_change_and_writes_nothing(tmp_path):
    original = mnist_notebook()
    (tmp_path / "nb.ipynb").write_text(original, encoding="utf-8")
    result = run("--diff", "nb.ipynb", cwd=tmp_path)
    assert (tmp_path / "nb.ipynb").read_text(encoding="utf-8") == original
    assert f"-    {json.dumps(BAD)}," in result.stdout and f"+    {json.dumps(GOOD)}," in result.stdout
    assert result.stdout.startswith("--- a/nb.ipynb\n+++ b/nb.ipynb\n")


def test_fix_in_an_indented_cell_keeps_its_indentation(tmp_path):
    original = mnist_notebook(cell_indent="  ", indent=None, separators=(",", ":"))
    (tmp_path / "nb.ipynb").write_text(original, encoding="utf-8")
    assert run("--fix", "nb.ipynb", cwd=tmp_path).exit_code == 0
    fixed = (tmp_path / "nb.ipynb").read_text(encoding="utf-8")
    assert fixed == original.replace(json.dumps("  " + BAD), json.dumps("  " + GOOD))


def test_a_change_on_a_magic_line_is_not_written_back():
    notebook = json.loads(mnist_notebook())
    program = to_program(notebook)
    sources = dict(code_cells(notebook))
    magic = program.source.splitlines()[0]
    assert magic.startswith("get_ipython()")
    changed, dropped = cell_changes(program, sources, program.source.replace(magic, "x = 1"))
    assert (changed, dropped) == ({}, 1)
    changed, dropped = cell_changes(program, sources, program.source.replace(BAD, GOOD))
    assert dropped == 0 and list(changed) == [3] and changed[3] == sources[3].replace(BAD, GOOD)


def test_inserted_and_removed_lines_go_to_their_cell():
    notebook = {"cells": [{"cell_type": "code", "source": "a = 1\nb = 2"},
                          {"cell_type": "code", "source": ["c = 3\n", "d = 4"]}]}
    program = to_program(notebook)
    changed, dropped = cell_changes(program, dict(code_cells(notebook)), "a = 1\nb = 2\nc = 3\nnew = 0\nd = 4\n")
    assert dropped == 0 and changed == {2: "c = 3\nnew = 0\nd = 4"}
    changed, _ = cell_changes(program, dict(code_cells(notebook)), "a = 1\nc = 3\nd = 4\n")
    assert changed == {1: "a = 1"}


def test_sources_as_one_string_and_in_nbformat_3():
    text = '{"cells": [{"cell_type": "code", "source": "x = 1\\ny = 2"}], "metadata": {"a": [1, 2.5, null, true]}}'
    notebook = json.loads(text)
    assert replace_sources(text, notebook, {1: "x = 1\ny = 3"}) == text.replace("y = 2", "y = 3")
    old = '{"worksheets": [{"cells": [{"cell_type": "code", "input": ["x = 1\\n", "y = 2"]}]}], "nbformat": 3}'
    assert replace_sources(old, json.loads(old), {1: "x = 1\ny = 3"}) == old.replace("y = 2", "y = 3")
    assert value_spans('{"k": [1, {"v": "s"}]}')[("k", 1, "v")] == (16, 19)


# --- positions for formats read against the .ipynb file -------------------------------------------

def file_line_of(text: str, needle: str) -> tuple:
    """(line, column) 1-based of ``needle`` in the JSON text."""
    line = next(i for i, row in enumerate(text.splitlines(), 1) if needle in row)
    return line, text.splitlines()[line - 1].index(needle) + 1


def test_sarif_places_a_notebook_finding_in_the_json_and_names_the_cell(tmp_path):
    original = mnist_notebook()
    (tmp_path / "nb.ipynb").write_text(original, encoding="utf-8")
    sarif = json.loads(run("--output-format", "sarif", "nb.ipynb", cwd=tmp_path).stdout)
    result, = sarif["runs"][0]["results"]
    location, = result["locations"]
    line, column = file_line_of(original, "4*4*64, 1024")
    assert location["physicalLocation"]["region"] == {"startLine": line, "startColumn": column,
                                                      "endLine": line, "endColumn": column + len("4*4*64")}
    assert location["logicalLocations"] == [{"name": "cell 3", "fullyQualifiedName": "cell 3", "kind": "module"}]
    assert result["properties"]["cell"] == 3 and result["properties"]["cellRegion"]["startLine"] == 27


def test_github_annotates_the_json_line_of_the_cells_code(tmp_path):
    original = mnist_notebook(cell_indent="  ", indent=None)  # one line of JSON, a dedented cell
    (tmp_path / "nb.ipynb").write_text(original, encoding="utf-8")
    output = run("--output-format", "github", "nb.ipynb", cwd=tmp_path).stdout
    line, column = file_line_of(original, "4*4*64, 1024")
    assert f"file=nb.ipynb,line={line},col={column},endLine={line},endColumn={column + 6}::" in output
    assert f"::nb.ipynb:cell 3:27:{len(BAD) - len(BAD.lstrip()) + 2 + BAD.strip().index('4*4*64') + 1}: TSL001" \
        in output


def test_columns_in_an_indented_cell_are_the_cells_own(tmp_path):
    (tmp_path / "nb.ipynb").write_text(mnist_notebook(cell_indent="    "), encoding="utf-8")
    item, = json.loads(run("--output-format", "json", "nb.ipynb", cwd=tmp_path).stdout)
    column = ("    " + BAD).index("4*4*64") + 1
    assert item["location"] == {"row": 27, "column": column}
    assert item["fix"]["edits"][0]["location"] == {"row": 27, "column": column}
