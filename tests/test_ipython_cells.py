"""Notebook cells converted as IPython converts them: a table of cell shapes, each checked against
IPython's own transformer (``TransformerManager.transform_cell``), line for line."""

import pytest

from tfshapelint.ipython_cells import PYTHON_CELL_MAGICS, convert_cell

# One cell per rule of IPython's input transformers, and the places where they must not apply.
CELLS = {
    "line magic": "%matplotlib inline\nimport tensorflow as tf\n",
    "line magic with arguments": "%config InlineBackend.figure_format = 'retina'\nx = 1\n",
    "two line magics": "%load_ext autoreload\n%autoreload 2\n",
    "magic assignment": "home = %env HOME\nx = 1\n",
    "shell escape": "!pip install tensorflow\nx = 1\n",
    "shell escape continued by a backslash": "!pip install \\\n   tensorflow \\\n   keras\nx = 1\n",
    "captured shell escape": "!!ls\n",
    "shell assignment": "files = !ls *.csv\nprint(files)\n",
    "shell escape in a block": "for i in range(3):\n    !echo $i\n    x = i\n",
    "help suffix": "tf.reshape?\nx = 1\n",
    "help suffix, two marks": "tf.reshape??\n",
    "help prefix": "?tf.reshape\n",
    "help on an item": "x[0]?\n",
    "help on a magic": "%timeit?\n",
    "help search": "tf.*reshape*?\n",
    "autocall escapes": "/print a b\n,print a b\n;print a b\n",
    "cell magic": "%%bash\necho hi\nls\n",
    "cell magic with arguments": "%%writefile model.py\nimport tensorflow as tf\n",
    "cell magic after blank lines": "\n\n%%html\n<b>hi</b>\n",
    "help on a cell magic": "%%bash?\n",
    "indented cell": "    x = 1\n    if x:\n        y = 2\n",
    "indented cell with a comment": "  # set up\n  x = 1\n",
    "indented magic": "   %ls\n   x = 1\n",
    "modulo on a continuation line in brackets": "print('%d'\n      % 3)\n",
    "modulo after a backslash": "x = 1 + \\\n %2\n",
    "bang in brackets": "x = [\n  1,\n  !2\n]\n",
    "magic inside a string": "s = '''\n%not a magic\n!nor this\n'''\n",
    "modulo and not-equal": "a = 5 % 3\nb = a != 2\nc = a == 2\n",
    "a magic after a continued statement": "if x:\n    y = 1 + \\\n        2\n%ls \\\n -l\n",
    "question mark in a comment": "x = 1  # why?\n",
}


@pytest.mark.parametrize("cell", CELLS.values(), ids=CELLS.keys())
def test_cells_convert_as_ipython_converts_them(cell):
    inputtransformer2 = pytest.importorskip("IPython.core.inputtransformer2")
    expected = inputtransformer2.TransformerManager().transform_cell(cell)
    converted = convert_cell(cell)
    assert len(converted) == len(cell.splitlines())  # a finding's line is the cell's line
    # The same code, the lines of continued statements left blank rather than removed.
    assert [line for line in converted if line.strip()] == [line for line in expected.splitlines() if line.strip()]


@pytest.mark.parametrize("magic", sorted(PYTHON_CELL_MAGICS))
def test_cell_magics_that_run_python_keep_their_body_converted(magic):
    inputtransformer2 = pytest.importorskip("IPython.core.inputtransformer2")
    body = "x = !ls\ny = x\n"
    converted = convert_cell(f"%%{magic} -q\n{body}")
    assert converted[0] == ""
    assert converted[1:] == inputtransformer2.TransformerManager().transform_cell(body).splitlines()


def test_a_magic_is_a_statement_start_only():
    assert convert_cell("print('%d'\n % x)") == ["print('%d'", " % x)"]
    assert convert_cell("x = 1 + \\\n !2") == ["x = 1 + \\", " !2"]
    assert convert_cell("!ls \\\n  -l\nx = 1") == ["get_ipython().system('ls    -l')", "", "x = 1"]
