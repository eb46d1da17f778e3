"""Everyday command-line behaviour, as ruff has it: the default path, missing paths, nothing to lint,
one style of error message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = shutil.which("tfshapelint", path=str(Path(sys.executable).parent)) or "tfshapelint"
BAD = "import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n"


def tfshapelint(*args, cwd=None, stdin=None):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, cwd=cwd, input=stdin, timeout=120)


def test_no_path_lints_the_current_folder(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    result = tfshapelint("--no-cache", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("net.py:2:5: TSL004")
    bare = tfshapelint(cwd=tmp_path)
    assert bare.returncode == 1 and bare.stdout.startswith("net.py:2:5: TSL004")


def test_a_missing_path_is_reported_and_the_others_are_linted(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    result = tfshapelint("--no-cache", "gone.py", "net.py", "also/gone", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.startswith("net.py:2:5: TSL004")
    assert "tfshapelint: error: no such file or directory: gone.py" in result.stderr
    assert "tfshapelint: error: no such file or directory: also/gone" in result.stderr
    assert "Found 1 finding (1 file checked" in result.stderr
    assert tfshapelint("--no-cache", "--exit-zero", "gone.py", "net.py", cwd=tmp_path).returncode == 2


def test_nothing_to_lint_is_a_warning(tmp_path):
    (tmp_path / "notes.txt").write_text("not python\n")
    result = tfshapelint("--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "tfshapelint: warning: no Python files found under the given paths\n"


def test_usage_errors_have_the_same_style_as_the_others(tmp_path):
    unknown_option = tfshapelint("check", "--no-such-option", cwd=tmp_path)
    bad_choice = tfshapelint("--output-format", "nope", ".", cwd=tmp_path)
    bad_rule = tfshapelint("rule", "TSL999", cwd=tmp_path)
    bad_config = tfshapelint("--select", "XYZ", ".", cwd=tmp_path)
    for result in (unknown_option, bad_choice, bad_rule, bad_config):
        assert result.returncode == 2
        assert result.stderr.startswith("tfshapelint: error: "), result.stderr
        assert "Error:" not in result.stderr and "Traceback" not in result.stderr
    assert "Try 'tfshapelint check --help' for help." in unknown_option.stderr


def test_help_and_version_still_exit_zero():
    assert tfshapelint("--help").returncode == 0
    assert tfshapelint("check", "--help").returncode == 0
    assert tfshapelint("--version").returncode == 0


def test_only_missing_paths_is_an_error_without_a_summary(tmp_path):
    result = tfshapelint("--no-cache", "gone.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "tfshapelint: error: no such file or directory: gone.py\n"


def test_the_tools_own_diagnostics_have_pages():
    page = tfshapelint("rule", "tsl901")
    assert page.returncode == 0 and page.stdout.startswith("# TSL901 syntax-error")
    listing = tfshapelint("rule").stdout.splitlines()
    assert [line.split()[0] for line in listing][-4:] == ["TSL901", "TSL902", "TSL903", "TSL904"]


FIXABLE = (ROOT / "examples" / "mnist_convnet.py").read_text()


def test_fixable_findings_are_marked(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    (tmp_path / "mnist.py").write_text(FIXABLE)
    lines = tfshapelint("--no-cache", cwd=tmp_path).stdout.splitlines()
    assert [line.split(": ", 1)[1].split()[:2] for line in lines] == [["TSL001", "[*]"], ["TSL004", "matmul"]]
    full = tfshapelint("--no-cache", "--output-format", "full", "mnist.py", cwd=tmp_path).stdout
    assert ": TSL001 [*] dense input mismatch" in full.splitlines()[0]


def test_quiet_prints_the_findings_only(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    result = tfshapelint("--no-cache", "-q", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("net.py:2:5: TSL004") and result.stderr == ""
    assert tfshapelint("--no-cache", "--quiet", "--fix", cwd=tmp_path).stderr == ""
    (tmp_path / "net.py").unlink()
    assert tfshapelint("--no-cache", "-q", cwd=tmp_path).stderr == ""  # not even "no Python files found"
    assert "no such file" in tfshapelint("--no-cache", "-q", "gone.py", cwd=tmp_path).stderr  # errors are


def test_fix_only_fixes_and_reports_nothing_else(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    (tmp_path / "mnist.py").write_text(FIXABLE)
    result = tfshapelint("--no-cache", "--fix-only", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "Fixed 1 finding (2 files checked).\n"
    assert "7*7*64" in (tmp_path / "mnist.py").read_text()
    again = tfshapelint("--no-cache", cwd=tmp_path)
    assert again.returncode == 1 and "TSL004" in again.stdout and "TSL001" not in again.stdout


def test_show_fixes_lists_what_was_fixed(tmp_path):
    (tmp_path / "mnist.py").write_text(FIXABLE)
    (tmp_path / "net.py").write_text(BAD)
    result = tfshapelint("--no-cache", "--fix", "--show-fixes", cwd=tmp_path)
    assert result.returncode == 1 and "TSL004" in result.stdout and "TSL001" not in result.stdout
    assert "Fixed 1 finding:\n- mnist.py:\n    1 × TSL001 (dense-input-mismatch)\n" in result.stderr
    assert "Fixed 1 finding:" not in tfshapelint("--no-cache", "--fix", "--show-fixes", cwd=tmp_path).stderr


def test_fix_only_on_stdin_gives_the_source_back(tmp_path):
    untouched = tfshapelint("--no-cache", "--fix-only", "-", cwd=tmp_path, stdin=BAD)
    assert (untouched.returncode, untouched.stdout) == (0, BAD)
    fixed = tfshapelint("--no-cache", "--fix-only", "-", "--stdin-filename", "mnist.py", cwd=tmp_path, stdin=FIXABLE)
    assert fixed.returncode == 0 and fixed.stdout == FIXABLE.replace("[4*4*64, 1024]", "[7*7*64, 1024]")
