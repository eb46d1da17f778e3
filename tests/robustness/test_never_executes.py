"""The linter never executes, imports or evaluates the code it reads.

The linted files would, if run or imported, write a marker file, raise, exit, spawn a process, or
import a module of the linted folder that writes a marker; the folder also holds a fake
``tensorflow``, ``numpy`` and ``keras`` that write a marker when imported. After linting, checking,
fixing and explaining them (through the installed CLI, also as ``python -m tfshapelint`` which puts
the current folder on ``sys.path``), no marker exists, and the linter's own process has not imported
TensorFlow, NumPy, Keras or any module of the linted folder.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

BANNED = ("tensorflow", "numpy", "keras", "tf_keras", "absl", "jax", "torch", "evil", "evil_package")


def _marker(name: str) -> str:
    return f"open({name!r}, 'w').write('executed')\n"


def make_project(folder):
    files = {
        # what a module of the linted folder does when imported
        "evil.py": _marker("MARKER_evil_imported") + "x = 1\n",
        "evil_package/__init__.py": _marker("MARKER_package_imported"),
        "evil_package/sub.py": _marker("MARKER_subpackage_imported"),
        "tensorflow.py": _marker("MARKER_fake_tensorflow_imported") + "def zeros(*a, **k):\n    pass\n",
        "numpy.py": _marker("MARKER_fake_numpy_imported"),
        "keras.py": _marker("MARKER_fake_keras_imported"),
        # what the linted programs do when run
        "top_level.py": "import tensorflow as tf\n" + _marker("MARKER_top_level_ran")
        + "x = tf.zeros([2, 3]) @ tf.zeros([4, 5])\nraise SystemExit(3)\n",
        "imports.py": "import tensorflow as tf\nimport evil\nfrom evil import x\nimport evil_package.sub\n"
        "from evil_package import sub\nimport numpy as np\nimport keras\n",
        "dynamic.py": "import tensorflow as tf\nimport importlib\n__import__('evil')\nimportlib.import_module('evil_package')\n"
        + "exec(" + repr(_marker("MARKER_exec_ran")) + ")\n"
        + "eval(compile(" + repr("open('MARKER_eval_ran', 'w')") + ", 'f', 'eval'))\n"
        "eval(\"__import__('os').system('touch MARKER_shell_ran')\")\n",
        "processes.py": "import tensorflow as tf\nimport os, subprocess\nos.system('touch MARKER_system_ran')\n"
        "subprocess.run(['touch', 'MARKER_subprocess_ran'])\nos.remove('evil.py')\n",
        "in_functions.py": "import tensorflow as tf\n"
        "def helper(x):\n    " + _marker("MARKER_helper_ran") + "    return x @ tf.zeros([4, 4])\n"
        "class Model(tf.keras.Model):\n    def call(self, x):\n        " + _marker("MARKER_method_ran")
        + "        return x\n"
        "y = helper(tf.zeros([2, 3]))\nz = Model()(tf.zeros([2, 3]))\n"
        "@tf.function\ndef step():\n    " + _marker("MARKER_decorated_ran") + "step()\n",
        "defaults.py": "import tensorflow as tf\n"
        "def f(a=open('MARKER_default_ran', 'w'), b=__import__('evil')):\n    pass\n"
        "x = [open('MARKER_comprehension_ran', 'w') for _ in range(3)]\n"
        "y = {k: __import__('evil') for k in 'ab'}\n"
        "z = lambda: open('MARKER_lambda_ran', 'w')\nz()\n",
        "fixable.py": "import tensorflow as tf\n" + _marker("MARKER_fixable_ran")
        + "x = tf.zeros([8, 7, 7, 64])\nw = tf.Variable(tf.zeros([1024, 10]))\n"
        "out = tf.matmul(tf.reshape(x, [-1, 7 * 7 * 64]), w)\n",
        "notebook.ipynb": json.dumps({"cells": [
            {"cell_type": "code", "source": ["import tensorflow as tf\n", _marker("MARKER_notebook_ran")]},
            {"cell_type": "code", "source": ["!touch MARKER_shell_magic_ran\n", "%run evil.py\n"]},
        ], "metadata": {}}),
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return files


def markers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("MARKER_*"))


COMMANDS = [
    ["check", "."],
    ["check", "-j", "1", "."],
    ["check", "--fix", "--unsafe-fixes", "."],
    ["check", "--diff", "."],
    ["check", "--output-format", "full", "--statistics", "."],
    ["explain", "in_functions.py"],
    ["explain", "dynamic.py"],
]


@pytest.mark.parametrize("entry", ["script", "module"])
def test_linted_code_is_never_run_nor_imported(tmp_path, entry):
    make_project(tmp_path)
    launcher = [str(sys.executable), "-m", "tfshapelint"] if entry == "module" else [
        str(__import__("pathlib").Path(sys.executable).parent / "tfshapelint")]
    for command in COMMANDS:
        extra = ["--isolated", "--no-cache"] if command[0] == "check" else []
        done = subprocess.run([*launcher, *command, *extra], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        assert "Traceback" not in done.stderr, (command, done.stderr)
        assert markers(tmp_path) == [], command
    assert (tmp_path / "evil.py").exists()
    # the analysis did happen: findings in the files that would have done all that
    done = subprocess.run([*launcher, "check", "--isolated", "--no-cache", "top_level.py", "in_functions.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "top_level.py:3:5: TSL004" in done.stdout and "in_functions.py:4:" in done.stdout, done.stdout


PROBE = """
import json, os, sys
sys.argv = ["tfshapelint", *sys.argv[1:]]
from tfshapelint.cli import main
try:
    main()
except SystemExit:
    pass
from tfshapelint.linter import lint_source
for name in sorted(os.listdir(".")):
    if name.endswith(".py"):
        lint_source(open(name).read(), name)
banned = {banned!r}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in banned)), file=sys.stderr)
"""


def test_the_linter_process_imports_no_tensorflow_nor_linted_module(tmp_path):
    make_project(tmp_path)
    for args in (["check", "--isolated", "--no-cache", "-j", "1", "."],
                 ["check", "--isolated", "--no-cache", "-j", "1", "--fix", "."]):
        done = subprocess.run([sys.executable, "-c", PROBE.format(banned=BANNED), *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        imported = json.loads(done.stderr.strip().splitlines()[-1])
        assert imported == [], imported
        assert markers(tmp_path) == []
