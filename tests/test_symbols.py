"""Symbols are named by the analysis that made them, not by a process-wide counter: equal exactly
when made by the same analysis as the same one of its symbols, so shapes compare across processes."""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

from tfshapelint.analysis.interpreter import Interpreter
from tfshapelint.linter import lint_source
from tfshapelint.project.loader import ProjectLoader
from tfshapelint.project.resolve import Resolver
from tfshapelint.shapes import dims

from test_project import make

CONV_NET = textwrap.dedent("""\
    import tensorflow.compat.v1 as tf
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    h = tf.placeholder(tf.float32, [None, None, None, 3])
    pooled = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    both = tf.concat([x, tf.reshape(x, [-1, 28, 28, 1])], 0)
    """)


def analysed_shapes(path: str) -> dict:
    """The shapes of CONV_NET's tensors, analysed as the file ``path``."""
    interpreter = Interpreter(ast.parse(CONV_NET), source=CONV_NET, path=path)
    interpreter.run()
    return {name: interpreter.globals.vars[name].shape for name in ("x", "h", "pooled", "both")}


def test_symbols_of_one_analysis_never_compare_equal_even_when_printed_alike():
    symbols = dims.Symbols(dims.analysis_scope("m.py", "linted"))
    made = [symbols.new("d1") for _ in range(12)] + [symbols.new("d12"), symbols.named("N"), symbols.named("N")]
    assert [str(s) for s in made].count("d12") == 2 and str(made[-1]) == str(made[-2]) == "N"
    assert len(set(made)) == len(made)
    assert all(dims.equal(a, b) is None for i, a in enumerate(made) for b in made[i + 1:])


def test_symbols_of_two_analyses_never_compare_equal():
    runs = [dims.Symbols(dims.analysis_scope(path, run))
            for path in ("a.py", "b.py", None) for run in ("linted", "imported", "own-errors")]
    made = [symbols.new("N") for symbols in runs]
    assert {str(s) for s in made} == {"N"}
    assert len(set(made)) == len(made) == 9


def test_the_same_analysis_twice_makes_equal_symbols_whatever_else_ran_between():
    first = analysed_shapes("/project/net.py")
    analysed_shapes("/project/other.py")  # another analysis in between changes nothing
    again = analysed_shapes("/project/net.py")
    assert first == again and {k: hash(v) for k, v in first.items()} == {k: hash(v) for k, v in again.items()}
    assert first != analysed_shapes("/project/elsewhere.py")
    assert dims.fmt(first["pooled"][1]) == "ceil(d1/2)"


def test_origin_is_told_not_part_of_what_a_symbol_is():
    a = dims.Symbols("s").new("N")
    b = dims.Symbols("s").new("N")
    (symbol,) = dims.symbols_of(a)
    symbol.origin = "the batch of placeholder `x`"
    assert a == b and hash(a) == hash(b)


def test_a_shape_pickled_in_another_process_is_equal_here(tmp_path):
    """The child has a different string hash seed: what a symbol is must not depend on it."""
    out = tmp_path / "shapes.pickle"
    script = textwrap.dedent(f"""\
        import pickle, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
        from test_symbols import analysed_shapes
        with open({str(out)!r}, "wb") as handle:
            pickle.dump(analysed_shapes("/project/net.py"), handle)
        """)
    subprocess.run([sys.executable, "-c", script], check=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    theirs = pickle.loads(out.read_bytes())
    ours = analysed_shapes("/project/net.py")
    assert theirs == ours
    assert {k: hash(v) for k, v in theirs.items()} == {k: hash(v) for k, v in ours.items()}
    assert dims.equal(dims.mul(theirs["x"][0], 2), ours["both"][0]) is True  # one N: 2*N is the concat's batch
    assert [dims.fmt(d) for d in theirs["pooled"]] == ["N2", "ceil(d1/2)", "ceil(d2/2)", "3"]


def test_an_imported_modules_batch_is_not_the_linted_files_batch(tmp_path):
    """Both files make a first ``N``: were they one symbol, ``N`` vs ``2*N`` would be a false finding."""
    make(tmp_path, {
        "data.py": "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 3])\n",
        "train.py": """\
            import tensorflow.compat.v1 as tf
            from data import x
            y = tf.placeholder(tf.float32, [None, 3])
            pairs = tf.concat([x, x], 0)
            z = tf.matmul(y, pairs, transpose_a=True)
            """})
    path = tmp_path / "train.py"
    assert lint_source(path.read_text(), str(path), loader=ProjectLoader(Resolver())) == []
