"""Whole-project analysis: imports of the project's own modules are resolved, run and bound."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tfshapelint.linter import lint_source
from tfshapelint.project.loader import ProjectLoader
from tfshapelint.project.resolve import Resolver

TF1 = "import tensorflow.compat.v1 as tf\n"


def make(root: Path, files: dict) -> Path:
    (root / "pyproject.toml").write_text("")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def lint(root: Path, name: str, loader=None, src=()) -> list:
    path = root / name
    loader = loader or ProjectLoader(Resolver([str(root / s) for s in src]))
    return [(f.line, f.code) for f in lint_source(path.read_text(), str(path), loader=loader)]


WEIGHT_FOR_ROWS = TF1 + "w = tf.Variable(tf.zeros([{size}, 3]))\ny = tf.matmul(tf.zeros([4, 5]), w)\n"


@pytest.mark.parametrize("imports,size", [
    ("import config", "config.ROWS"),
    ("import config as cfg", "cfg.ROWS"),
    ("from config import ROWS", "ROWS"),
    ("from config import ROWS as R", "R"),
    ("from config import *", "ROWS"),
    ("from config import Config", "Config.ROWS"),
    ("from config import SIZES", "SIZES['rows']"),
])
def test_constants_of_another_module_are_known(tmp_path, imports, size):
    make(tmp_path, {"config.py": "ROWS = 7\nSIZES = {'rows': 7}\nclass Config:\n    ROWS = 7\n",
                    "train.py": imports + "\n" + WEIGHT_FOR_ROWS.format(size=size)})
    assert lint(tmp_path, "train.py") == [(4, "TSL004")]


def test_without_a_loader_imports_stay_unknown(tmp_path):
    make(tmp_path, {"config.py": "ROWS = 7\n", "train.py": "import config\n" + WEIGHT_FOR_ROWS.format(size="config.ROWS")})
    path = tmp_path / "train.py"
    assert lint_source(path.read_text(), str(path)) == []


def test_packages_relative_imports_and_submodules(tmp_path):
    make(tmp_path, {
        "nets/__init__.py": "from .sizes import ROWS\n",
        "nets/sizes.py": "ROWS = 7\n",
        "nets/blocks.py": "from . import sizes\nfrom .sizes import ROWS as R\nBOTH = sizes.ROWS + R\n",
        "a.py": "import nets.blocks\n" + WEIGHT_FOR_ROWS.format(size="nets.blocks.BOTH - 7"),
        "b.py": "from nets import ROWS\n" + WEIGHT_FOR_ROWS.format(size="ROWS"),
        "c.py": "from nets.blocks import BOTH\n" + WEIGHT_FOR_ROWS.format(size="BOTH // 2"),
    })
    for name in ("a.py", "b.py", "c.py"):
        assert lint(tmp_path, name) == [(4, "TSL004")], name


def test_src_layout_needs_the_configured_folder(tmp_path):
    make(tmp_path, {"src/mypkg/__init__.py": "", "src/mypkg/config.py": "ROWS = 7\n",
                    "main.py": "from mypkg.config import ROWS\n" + WEIGHT_FOR_ROWS.format(size="ROWS")})
    assert lint(tmp_path, "main.py", src=["src"]) == [(4, "TSL004")]
    assert lint(tmp_path, "main.py", src=["lib"]) == [(4, "TSL004")]  # the root's src/ is searched anyway
    (tmp_path / "lib").mkdir()
    (tmp_path / "src").rename(tmp_path / "code")
    assert lint(tmp_path, "main.py") == []
    assert lint(tmp_path, "main.py", src=["code"]) == [(4, "TSL004")]


def test_main_blocks_of_a_module_do_not_run_when_imported(tmp_path):
    make(tmp_path, {"config.py": "ROWS = 7\nif __name__ == '__main__':\n    ROWS = 5\n",
                    "train.py": "import config\n" + WEIGHT_FOR_ROWS.format(size="config.ROWS")})
    assert lint(tmp_path, "train.py") == [(4, "TSL004")]


def test_an_import_cycle_sees_the_names_bound_so_far(tmp_path):
    make(tmp_path, {"a.py": "import b\nROWS = 7\ndef rows():\n    return b.twice(ROWS) // 2\n",
                    "b.py": "import a\ndef twice(n):\n    return 2 * n\n",
                    "main.py": "import a\n" + WEIGHT_FOR_ROWS.format(size="a.rows()")})
    assert lint(tmp_path, "main.py") == [(4, "TSL004")]


def test_libraries_are_never_taken_from_the_project(tmp_path):
    make(tmp_path, {"numpy.py": "zeros = 3\n", "tensorflow.py": "x = 1\n",
                    "main.py": "import numpy as np\n" + WEIGHT_FOR_ROWS.format(size="np.zeros((7,)).shape[0]")})
    assert lint(tmp_path, "main.py") == [(4, "TSL004")]


def test_a_function_of_another_module_fails_at_the_call_with_this_files_values(tmp_path):
    make(tmp_path, {
        "model.py": TF1 + "def dense(x, n_in):\n    w = tf.Variable(tf.zeros([n_in, 10]))\n    return tf.matmul(x, w)\n",
        "train.py": TF1 + "from model import dense\nok = dense(tf.zeros([8, 3]), 3)\nbad = dense(tf.zeros([8, 3]), 4)\n",
    })
    path = tmp_path / "train.py"
    (finding,) = lint_source(path.read_text(), str(path), loader=ProjectLoader())
    assert (finding.line, finding.code) == (4, "TSL004")
    assert finding.message.endswith("(in model.py, line 4, called here)")
    assert lint(tmp_path, "model.py") == []  # model.py alone has no bug


def test_a_bug_the_other_module_has_anyway_is_reported_there_only(tmp_path):
    make(tmp_path, {
        "model.py": TF1 + "def head(x):\n    w = tf.Variable(tf.zeros([5, 10]))\n    return tf.matmul(tf.zeros([2, 4]), w)\n",
        "train.py": TF1 + "from model import head\ny = head(tf.zeros([8, 3]))\n",
    })
    loader = ProjectLoader()
    assert lint(tmp_path, "train.py", loader) == []
    assert lint(tmp_path, "model.py", loader) == [(4, "TSL004")]


def test_dependencies_are_transitive_with_their_hashes(tmp_path):
    make(tmp_path, {"config.py": "ROWS = 7\n", "model.py": "from config import ROWS\nSIZE = 2 * ROWS\n",
                    "unused.py": "ROWS = 1\n",
                    "train.py": "import model\nimport unused\nimport tensorflow as tf\nx = tf.zeros([model.SIZE])\n"})
    loader = ProjectLoader()
    lint(tmp_path, "train.py", loader)
    deps = loader.summary(str(tmp_path / "train.py")).dependencies
    assert sorted(Path(p).name for p in deps) == ["config.py", "model.py"]  # unused.py was never read
    assert all(len(sha) == 64 for sha in deps.values())


def test_a_module_that_does_not_parse_or_crashes_leaves_its_names_unknown(tmp_path):
    make(tmp_path, {"broken.py": "ROWS = (\n", "main.py": "import broken\n" + WEIGHT_FOR_ROWS.format(size="broken.ROWS")})
    assert lint(tmp_path, "main.py") == []


def test_another_modules_generators_and_loops_are_read_in_its_own_text(tmp_path):
    # line 2 of gen.py yields; line 2 of main.py does not: main's text must not decide for gen.py
    make(tmp_path, {"gen.py": "def rows():\n    yield 7\n\ndef size():\n    return 7\n",
                    "main.py": TF1 + "from gen import rows, size\nw = tf.Variable(tf.zeros([size(), 3]))\n"
                               "y = tf.matmul(tf.zeros([4, 5]), w)\nr = rows()\n"})
    assert lint(tmp_path, "main.py") == [(4, "TSL004")]


def test_a_run_that_fails_in_another_modules_op_is_reported_at_the_run(tmp_path):
    make(tmp_path, {
        "model.py": TF1 + "def loss(x, y):\n    flat = tf.reshape(x, [-1, 196])\n"
                    "    logits = tf.matmul(flat, tf.zeros([196, 10]))\n"
                    "    return tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)\n",
        "main.py": TF1 + "import numpy as np\nfrom model import loss\n"
                   "x = tf.placeholder(tf.float32, [None, 28, 28])\ny = tf.placeholder(tf.float32, [None, 10])\n"
                   "cost = loss(x, y)\nsess = tf.Session()\n"
                   "sess.run(cost, feed_dict={x: np.zeros((32, 28, 28)), y: np.zeros((32, 10))})\n",
    })
    path = tmp_path / "main.py"
    (finding,) = lint_source(path.read_text(), str(path), loader=ProjectLoader())
    assert (finding.line, finding.code) == (8, "TSL011")  # the run
    assert "(in model.py, line 5, called here)" in finding.message


@pytest.mark.parametrize("imports,base", [("from base import Base", "Base"), ("import base", "base.Base")])
def test_a_class_derived_from_another_modules_class_inherits_its_methods(tmp_path, imports, base):
    make(tmp_path, {
        "base.py": TF1 + "class Base:\n    def project(self, x):\n        return tf.matmul(x, tf.zeros([4, 2]))\n",
        "main.py": TF1 + f"{imports}\nclass Net({base}):\n    pass\ny = Net().project(tf.zeros([3, 5]))\n",
    })
    assert lint(tmp_path, "main.py") == [(5, "TSL004")]


def test_explain_follows_the_project_modules(tmp_path):
    from click.testing import CliRunner

    from tfshapelint.cli import main

    make(tmp_path, {"config.py": "IMG = 28\n",
                    "train.py": "import tensorflow as tf\nimport config\nx = tf.zeros([4, config.IMG, config.IMG, 1])\n"})
    result = CliRunner().invoke(main, ["explain", str(tmp_path / "train.py")])
    assert result.exit_code == 0 and "4x28x28x1" in result.stdout


FLAG_ROWS = TF1 + "FLAGS = tf.app.flags.FLAGS\n" + WEIGHT_FOR_ROWS.format(size="FLAGS.rows")


def define(rows: int) -> str:
    return TF1 + f"tf.app.flags.DEFINE_integer('rows', {rows}, 'rows')\n"


@pytest.mark.parametrize("imports", ["import flags_def", "from flags_def import *", "import wrapper"])
def test_flags_that_an_imported_module_defines_are_known(tmp_path, imports):
    """absl's FLAGS is one object per process: the flags of every module the program imported."""
    make(tmp_path, {"flags_def.py": define(7), "wrapper.py": "import flags_def\n",
                    "train.py": imports + "\n" + FLAG_ROWS})
    assert lint(tmp_path, "train.py") == [(6, "TSL004")]


def test_flags_of_a_module_the_program_does_not_import_stay_unknown(tmp_path):
    make(tmp_path, {"flags_def.py": define(7), "other.py": "import flags_def\n", "train.py": FLAG_ROWS})
    loader = ProjectLoader(Resolver())
    assert lint(tmp_path, "other.py", loader) == []  # runs flags_def in this loader first
    assert lint(tmp_path, "train.py", loader) == []


def test_a_flag_two_imported_modules_define_is_unknown(tmp_path):
    """absl rejects the second definition (DuplicateFlagError): no size to check against."""
    make(tmp_path, {"a.py": define(7), "b.py": define(5), "train.py": "import a\nimport b\n" + FLAG_ROWS})
    assert lint(tmp_path, "train.py") == []


def test_a_flag_defined_here_and_in_an_imported_module_is_unknown(tmp_path):
    """The program stops at the second definition (DuplicateFlagError), before any shape matters."""
    make(tmp_path, {"flags_def.py": define(5),
                    "train.py": "import flags_def\n" + define(7) + FLAG_ROWS.replace(TF1, "")})
    assert lint(tmp_path, "train.py") == []
