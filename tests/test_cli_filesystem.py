"""No traceback reaches the user for a filesystem condition: a clear error naming the path, exit
code 2, and nothing else lost (the findings, the summary, the fixes).

The tests run as root on the build machine, where permissions do not stop anything: unsearchable
folders are simulated by making ``os.stat`` fail as the kernel would (EACCES), a full disk is
/dev/full, and read-only files are real where the user is not root."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfshapelint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXE = shutil.which("tfshapelint", path=str(Path(sys.executable).parent)) or "tfshapelint"
BAD = "import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n"


def tfshapelint(*args, cwd):
    return subprocess.run([EXE, "--no-cache", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def invoke(*args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["--no-cache", *map(str, args)])
    finally:
        os.chdir(old)


def test_a_folder_that_cannot_be_searched_during_the_configuration_lookup(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    (locked / "sub").mkdir(parents=True)
    (locked / "sub" / "net.py").write_text(BAD)
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if str(path).startswith(str(locked) + os.sep) and not str(path).startswith(str(locked / "sub")):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    result = invoke(locked / "sub" / "net.py", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"tfshapelint: error: cannot search {locked} for a configuration file: Permission denied\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_removed_current_folder(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    code = "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); from tfshapelint.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code, str(gone), "--no-cache"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert result.stderr == ("tfshapelint: error: the current folder cannot be read (removed?): "
                             "No such file or directory\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_the_output_file_keeps_the_summary_and_the_fixes(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    (tmp_path / "mnist.py").write_text((ROOT / "examples" / "mnist_convnet.py").read_text())
    result = tfshapelint("--fix", "-o", "/dev/full", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.startswith("tfshapelint: error: cannot write /dev/full: No space left on device\n")
    assert "Fixed 1 finding." in result.stderr and "Found 1 finding (2 files checked)." in result.stderr
    assert "7*7*64" in (tmp_path / "mnist.py").read_text()  # the fix was still written


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_stdout(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    with open("/dev/full", "w") as full:
        result = subprocess.run([EXE, "--no-cache", "."], stdout=full, stderr=subprocess.PIPE, text=True,
                                cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert result.stderr == ("tfshapelint: error: cannot write the findings to the standard output: "
                             "No space left on device\nFound 1 finding (1 file checked).\n")


def test_an_output_file_that_cannot_be_written(tmp_path, monkeypatch):
    (tmp_path / "net.py").write_text(BAD)
    target = tmp_path / "report.txt"
    target.write_text("before\n")
    if os.geteuid() == 0:  # root writes read-only files: the system's refusal is simulated
        import builtins

        real_open = builtins.open

        def refusing_open(file, mode="r", *args, **kwargs):
            if str(file) == "report.txt" and "w" in mode:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
            return real_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refusing_open)
        result = invoke("-o", "report.txt", ".", cwd=tmp_path)
        code, err = result.exit_code, result.stderr
    else:
        target.chmod(0o444)
        result = tfshapelint("-o", "report.txt", ".", cwd=tmp_path)
        code, err = result.returncode, result.stderr
    assert code == 2
    assert err == ("tfshapelint: error: cannot write report.txt: Permission denied\n"
                   "Found 1 finding (1 file checked).\n")
    assert target.read_text() == "before\n"


def test_an_output_file_in_a_path_that_cannot_be_a_folder(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    (tmp_path / "plain").write_text("")
    result = tfshapelint("-o", "plain/report.txt", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("tfshapelint: error: cannot write plain/report.txt: ")
    assert "Traceback" not in result.stderr and "Found 1 finding" in result.stderr


def test_a_file_that_disappears_before_it_is_read(tmp_path, monkeypatch):
    from tfshapelint import files

    (tmp_path / "net.py").write_text(BAD)
    (tmp_path / "gone.py").write_text(BAD)
    real = files.discover_with_stats

    def discover_then_remove(*args, **kwargs):
        for path, info in real(*args, **kwargs):
            if path.endswith("gone.py"):
                os.remove(path)
            yield path, info

    monkeypatch.setattr(files, "discover_with_stats", discover_then_remove)
    result = invoke("-j", "1", ".", cwd=tmp_path)
    assert result.exit_code == 1
    assert "gone.py:1:1: TSL904 cannot read file: No such file or directory" in result.stdout
    assert "net.py:2:5: TSL004" in result.stdout


def test_rule_pages_into_a_folder_that_cannot_be_made(tmp_path):
    (tmp_path / "plain").write_text("")
    result = subprocess.run([EXE, "rule", "--all", "--output-dir", "plain/docs"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("tfshapelint: error: cannot write the pages to plain/docs: ")


def test_explain_names_a_file_it_cannot_read(tmp_path):
    result = subprocess.run([EXE, "explain", "gone.py"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "tfshapelint: error: gone.py: cannot read file: No such file or directory\n"
