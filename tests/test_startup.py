"""Start-up stays light: nothing heavy is imported before a command needs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

HEAVY = ("tensorflow", "keras", "tf_keras", "numpy", "pygls", "lsprotocol", "jsonschema", "libcst")


def imported_by(code: str, *args: str, cwd=None) -> set[str]:
    """Top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    probe = (f"import sys\n{code}\n"
             "import json; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120,
                            cwd=cwd)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def run_main(*args: str) -> str:
    return ("from tfshapelint.cli import main\n"
            "try:\n"
            f"    main({list(args)!r}, standalone_mode=True)\n"
            "except SystemExit:\n"
            "    pass\n")


def test_importing_the_cli_imports_nothing_heavy():
    modules = imported_by("import tfshapelint.cli")
    assert not modules & set(HEAVY)


def test_version_imports_nothing_heavy():
    modules = imported_by(run_main("--version"))
    assert not modules & set(HEAVY)


def test_importtime_of_the_cli():
    """``python -X importtime``: no heavy package, and the linter itself is not in the list."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import tfshapelint.cli"],
                            capture_output=True, text=True, timeout=120)
    names = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "tfshapelint.cli" in names
    assert not {n for n in names if n.split(".")[0] in HEAVY}
    assert "tfshapelint.linter" not in names and "tfshapelint.analysis.interpreter" not in names and "tfshapelint.report.sarif" not in names


def test_a_run_served_from_the_cache_does_not_import_the_linter(tmp_path):
    source = tmp_path / "model.py"
    source.write_text("import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n")
    past = time.time() - 100
    os.utime(source, (past, past))
    first = subprocess.run(
        [sys.executable, "-c", "import sys\n" + run_main("check", "--exit-zero", "model.py") +
         "print(sorted(m for m in sys.modules if m.startswith('tfshapelint')))"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "tfshapelint.analysis.interpreter" in first.stdout  # the cold run did lint
    warm = subprocess.run(
        [sys.executable, "-c", "import sys\n" + run_main("check", "--exit-zero", "model.py") +
         "print(sorted(m for m in sys.modules if m.startswith('tfshapelint')))"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "model.py:2:5: TSL004" in warm.stdout
    assert "tfshapelint.linter" not in warm.stdout and "tfshapelint.analysis.interpreter" not in warm.stdout
    assert not {m for m in HEAVY if f"'{m}" in warm.stdout}


def test_lint_run_imports_no_tensorflow(tmp_path):
    (tmp_path / "a.py").write_text("import tensorflow as tf\nimport numpy as np\nx = tf.zeros([2, 3])\n")
    modules = imported_by(run_main("check", "--no-cache", "--output-format", "sarif", "a.py"), cwd=tmp_path)
    assert not modules & set(HEAVY)


FIXABLE = (
    "import tensorflow as tf\n"
    "x = tf.zeros([8, 7, 7, 64])\n"
    "w = tf.Variable(tf.zeros([4 * 4 * 64, 10]))\n"
    "y = tf.matmul(tf.reshape(x, [-1, 7 * 7 * 64]), w)\n"
)


def test_a_check_of_a_fixable_file_imports_no_libcst_cold_or_warm(tmp_path):
    """Fixes are libcst codemods, but only --fix, --diff and the formats that show edits make them."""
    (tmp_path / "a.py").write_text(FIXABLE)
    for run in ("cold", "warm"):
        modules = imported_by(run_main("check", "a.py"), cwd=tmp_path)
        assert "tfshapelint" in modules and not modules & set(HEAVY), run
    assert "libcst" in imported_by(run_main("check", "--diff", "a.py"), cwd=tmp_path)  # the probe sees it


def test_linting_python3_code_does_not_import_the_python2_translation(tmp_path):
    (tmp_path / "model.py").write_text("import tensorflow as tf\ny = tf.zeros([2, 3])\n")
    (tmp_path / "old.py").write_text("import tensorflow as tf\nprint 'step', 1\n")
    probe = ("import sys\n" + run_main("check", "--no-cache", "--exit-zero", "{}") +
             "print(sorted(m for m in sys.modules if m.startswith('tfshapelint.python2')))")
    found = {}
    for name in ("model.py", "old.py"):
        result = subprocess.run([sys.executable, "-c", probe.replace("'{}'", repr(name))], capture_output=True,
                                text=True, cwd=tmp_path, timeout=120)
        assert result.returncode == 0, result.stderr
        found[name] = json.loads(result.stdout.splitlines()[-1].replace("'", '"'))
    assert found["model.py"] == ["tfshapelint.python2"]  # reading_of only
    assert "tfshapelint.python2.rewrite" in found["old.py"]  # a Python 2 file is translated
