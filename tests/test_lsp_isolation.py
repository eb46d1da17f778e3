"""The language server's worker processes: a file over the time or memory bound, or one that crashes
its worker, costs its own diagnostics; the next file is linted by a fresh worker."""

import os
from pathlib import Path

import pytest

from tfshapelint.lsp_isolation import LintProcess

ROOT = Path(__file__).resolve().parent.parent
BAD_MATMUL = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n"

# sitecustomize runs in the worker at start: it makes the linter misbehave on markers.
HOOKS = """
import os, signal, time
import tfshapelint.linter as linter
original = linter.lint_source
def lint_source(text, path, *args, **kwargs):
    if 'HANG' in text:
        time.sleep(600)
    if 'HOG' in text:
        hog = bytearray(64 << 30)
    if 'SEGV' in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    return original(text, path, *args, **kwargs)
linter.lint_source = lint_source
"""


@pytest.fixture
def worker(tmp_path, monkeypatch):
    (tmp_path / "sitecustomize.py").write_text(HOOKS)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(ROOT / "src")]))  # this checkout's worker
    process = LintProcess(memory_limit=1 << 30, timeout=15)
    yield process
    process.stop()


def codes(result) -> list:
    findings, _ = result
    return [finding.code for finding in findings]


@pytest.mark.parametrize("marker, code, words", [("HANG", "TSL903", "more than 15 s"),
                                                 ("HOG", "TSL903", "MB of memory"),
                                                 ("SEGV", "TSL902", "crashed (SIGSEGV)")])
def test_a_file_over_a_bound_costs_its_own_diagnostics(worker, marker, code, words):
    assert codes(worker.lint(BAD_MATMUL, "ok.py", "tf2", (), None)) == ["TSL004"]
    findings, _ = worker.lint(BAD_MATMUL + f"# {marker}\n", "bad.py", "tf2", (), None)
    assert [finding.code for finding in findings] == [code] and words in findings[0].message
    assert codes(worker.lint(BAD_MATMUL, "after.py", "tf2", (), None)) == ["TSL004"]  # a fresh worker


def test_open_documents_stand_for_the_modules_they_are(worker, tmp_path):
    (tmp_path / "shapes.py").write_text("import tensorflow as tf\nw = tf.zeros([4, 4])\n")
    main = "import tensorflow as tf\nfrom shapes import w\ny = tf.matmul(tf.zeros([2, 3]), w)\n"
    findings, imports = worker.lint(main, str(tmp_path / "main.py"), "tf2", (), None)
    assert [f.code for f in findings] == ["TSL004"] and str(tmp_path / "shapes.py") in imports
    overlay = {str(tmp_path / "shapes.py"): "import tensorflow as tf\nw = tf.zeros([3, 4])\n"}
    assert codes(worker.lint(main, str(tmp_path / "main.py"), "tf2", (), overlay)) == []
