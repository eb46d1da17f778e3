"""loader.summary(path): a module's exports, described the same in every process, and the project
files it read with their hashes (the cache's key)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

from test_project import lint, make

from tfshapelint.project.loader import ProjectLoader
from tfshapelint.project.summary import ModuleSummary
from tfshapelint.shapes import dims

PROJECT = {
    "config.py": "ROWS = 7\nNAMES = ('a', 'b')\nRATE = float('nan')\n",
    "model.py": """\
        import tensorflow.compat.v1 as tf
        from config import ROWS
        x = tf.placeholder(tf.float32, [None, ROWS])
        pooled = tf.nn.max_pool(tf.placeholder(tf.float32, [None, None, 8, 3]), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        SIZES = {"rows": ROWS, "twice": 2 * ROWS}

        def build(inputs):
            return tf.layers.dense(inputs, ROWS)

        class Net:
            pass

        if __name__ == "__main__":
            main_only = 1
        """,
    "train.py": "import tensorflow as tf\nimport model\ny = tf.zeros([model.ROWS])\n",
}


def summarise(root: Path, name: str) -> ModuleSummary:
    return ProjectLoader().summary(str(root / name))


def test_a_summary_holds_the_exports_and_the_files_read(tmp_path):
    make(tmp_path, PROJECT)
    summary = summarise(tmp_path, "model.py")
    exports = summary.exports
    assert exports["ROWS"] == ("imported", "config", "ROWS")  # what config's summary says
    assert exports["SIZES"] == ("dict", (("rows", ("constant", 7)), ("twice", ("constant", 14))))
    kind, shape_kind, (batch, rows) = exports["x"]
    assert (kind, shape_kind, rows) == ("tensor", "placeholder", 7) and str(batch) == "N"
    assert [dims.fmt(d) for d in exports["pooled"][2]] == ["N2", "ceil(d1/2)", "4", "3"]
    assert exports["build"] == ("function", "model.build:7") and exports["Net"] == ("class", "model.Net:10")
    assert exports["tf"][0] == "api" and exports["__name__"] == ("constant", "model")
    assert "main_only" not in exports  # run as an import runs it
    assert list(summary.dependencies) == [str(tmp_path / "config.py")] and len(summary.dependencies[
        str(tmp_path / "config.py")]) == 64
    assert summarise(tmp_path, "config.py").exports["RATE"] == ("constant", ("nan",))


def test_the_cache_key_of_a_linted_file_costs_no_run_of_it_as_an_import(tmp_path):
    make(tmp_path, PROJECT)
    loader = ProjectLoader()
    lint(tmp_path, "train.py", loader)
    summary = loader.summary(str(tmp_path / "train.py"))
    assert sorted(Path(p).name for p in summary.dependencies) == ["config.py", "model.py"]
    assert str(tmp_path / "train.py") not in loader.loaded
    assert summary.exports["y"] == ("tensor", "tensor", (7,))  # read: now it runs


def test_summaries_differ_when_what_the_module_gives_differs(tmp_path):
    make(tmp_path, PROJECT)
    before = summarise(tmp_path, "model.py")
    assert before == summarise(tmp_path, "model.py")
    (tmp_path / "config.py").write_text("ROWS = 8\n")
    after = summarise(tmp_path, "model.py")
    assert after != before and after.dependencies != before.dependencies
    assert after.exports["x"] != before.exports["x"]


def test_summaries_of_one_module_made_in_two_processes_are_equal(tmp_path):
    """Each process with its own string hash seed, the child's summary pickled to this one."""
    make(tmp_path, PROJECT)
    out = tmp_path / "summary.pickle"
    script = textwrap.dedent(f"""\
        import pickle
        from tfshapelint.project.loader import ProjectLoader
        summary = ProjectLoader().summary({str(tmp_path / "model.py")!r})
        with open({str(out)!r}, "wb") as handle:
            pickle.dump(summary, handle)
        """)
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script], check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        theirs = pickle.loads(out.read_bytes())
        ours = summarise(tmp_path, "model.py")
        assert theirs == ours and theirs.exports == ours.exports
        assert isinstance(theirs.exports["x"][2][0], dims.Expr)  # a shape, not its text
