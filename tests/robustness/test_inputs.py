"""Every input gets an answer, never a traceback: files that do not parse, do not decode, cannot be
read or are not files at all each get a diagnostic, and the run goes on with the other files.

All through the installed CLI. The tests run as root, so unreadable files and folders are
simulated by a prelude that patches ``os.open``/``os.scandir`` in the linter's process.
"""

from __future__ import annotations

import json
import os
import socket

import pytest

BUG = "import tensorflow as tf\nx = tf.zeros([2, 3]) @ tf.zeros([4, 5])\n"  # TSL004 at 2:5


@pytest.fixture
def project(tmp_path):
    (tmp_path / "good.py").write_text(BUG)
    return tmp_path


def by_path(run) -> dict:
    """``{path: [(line, column, code, message)]}`` of the concise output."""
    result: dict = {}
    for line in run.lines:
        path, row, column, rest = line.split(":", 3)
        code, _, message = rest.strip().partition(" ")
        result.setdefault(path, []).append((int(row), int(column), code, message))
    return result


def assert_no_traceback(run):
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr


# -- files that do not parse ------------------------------------------------------------------------

SYNTAX_ERRORS = {
    # name: (source, line, column, words of the message)
    # Python 2 (read through its translation) with an error of its own: Python 3's error is reported
    "python2.py": ("import tensorflow as tf\nprint 'hello'\ndef f(:\n", 2, 1, "Missing parentheses in call to 'print'"),
    "unfinished.py": ("import tensorflow as tf\ndef f(:\n    pass\n", 2, 7, "invalid syntax"),
    "unclosed.py": ("import tensorflow as tf\nx = tf.zeros([2,\n", 2, 14, "'[' was never closed"),
    "indent.py": ("import tensorflow as tf\nx = 1\n    y = 2\n", 3, None, "unexpected indent"),
    # libcst raised CSTValidationError here, which escaped lint_source and ended the whole run
    "bytes_and_str.py": ("import tensorflow as tf\nx = 'a' b'b'\n", 2, None, "cannot mix bytes and nonbytes"),
    "nul.py": ("import tensorflow as tf\nx = 1\0\n", 2, 6, "null bytes"),  # at the NUL: Python does not say
    # CPython's own limits: it refuses these files (libcst took minutes or crashed)
    "parens.py": ("import tensorflow as tf\nx = " + "(" * 1000 + "1" + ")" * 1000 + "\n", 2, None,
                  "too many nested parentheses"),
    "calls.py": ("import tensorflow as tf\nx = " + "f(" * 2000 + "1" + ")" * 2000 + "\n", 2, None,
                 "too many nested parentheses"),
    "ifs.py": ("import tensorflow as tf\n" + "".join(" " * i + f"if x{i}:\n" for i in range(500)) + " " * 500 + "pass\n",
               None, None, "too many levels of indentation"),
}


def test_syntax_errors_are_tsl901_at_the_error_and_the_run_goes_on(project, cli):
    for name, (source, *_) in SYNTAX_ERRORS.items():
        (project / name).write_text(source)
    run = cli(["-j", "2", "."], project)
    assert_no_traceback(run)
    found = by_path(run)
    for name, (_, line, column, words) in SYNTAX_ERRORS.items():
        [(row, col, code, message)] = found[name]
        assert code == "TSL901" and words in message, (name, message)
        assert line is None or row == line, (name, row)
        assert column is None or col == column, (name, col)
    assert found["good.py"] == [(2, 5, "TSL004", found["good.py"][0][3])]
    assert run.returncode == 1


# -- files that do not decode -----------------------------------------------------------------------

def test_encodings_pep263_cookies_and_boms(project, cli):
    files = {
        "latin1_cookie.py": b"# -*- coding: latin-1 -*-\n" + b"name = 'caf\xe9'\n" + BUG.encode(),
        "cookie_after_shebang.py": b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nname = '\x80'\n" + BUG.encode(),
        "bom.py": b"\xef\xbb\xbf" + BUG.encode(),
        "crlf.py": BUG.replace("\n", "\r\n").encode(),
        "no_cookie_latin1.py": b"import tensorflow as tf\nname = 'caf\xe9'\n",
        "cookie_on_line_3.py": b"\n\n# -*- coding: latin-1 -*-\nimport tensorflow as tf\nname = 'caf\xe9'\n",
        "unknown_cookie.py": b"# -*- coding: klingon -*-\nimport tensorflow as tf\n",
        "bom_and_latin1_cookie.py": b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport tensorflow as tf\n",
        "utf16.py": "import tensorflow as tf\n".encode("utf-16"),
    }
    for name, data in files.items():
        (project / name).write_bytes(data)
    run = cli(["."], project)
    assert_no_traceback(run)
    found = by_path(run)
    assert [f[:3] for f in found["latin1_cookie.py"]] == [(4, 5, "TSL004")]
    assert [f[:3] for f in found["cookie_after_shebang.py"]] == [(5, 5, "TSL004")]
    assert [f[:3] for f in found["bom.py"]] == [(2, 5, "TSL004")]  # the BOM is not a column
    assert [f[:3] for f in found["crlf.py"]] == [(2, 5, "TSL004")]
    for name in ("no_cookie_latin1.py", "cookie_on_line_3.py", "unknown_cookie.py", "bom_and_latin1_cookie.py",
                 "utf16.py"):
        [(row, col, code, message)] = found[name]
        assert (row, col, code) == (1, 1, "TSL904") and message.startswith("cannot decode file"), (name, message)
    assert "klingon" in found["unknown_cookie.py"][0][3]


# -- things that are not readable files -------------------------------------------------------------

def test_special_files_get_tsl904_and_never_block(project, cli):
    os.mkfifo(project / "fifo.py")  # reading it would block for ever: the run hung before
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(project / "socket.py"))
    (project / "broken.py").symlink_to("nowhere.py")
    (project / "self.py").symlink_to("self.py")
    (project / "folder.py").mkdir()  # a folder named like a file: walked, not read
    (project / "folder.py" / "inner.py").write_text(BUG)
    cycle = project / "cycle" / "sub"
    cycle.mkdir(parents=True)
    (cycle / "up").symlink_to("..", target_is_directory=True)  # cycle/sub/up -> cycle
    (cycle / "deep.py").write_text(BUG)
    try:
        for jobs in ("1", "2"):
            run = cli(["-j", jobs, ".", "fifo.py", "/dev/null"], project, timeout=60)
            assert_no_traceback(run)
            found = by_path(run)
            messages = {path: found[path][0][2:] for path in found}
            assert messages["fifo.py"] == ("TSL904", "cannot read file: not a regular file: a named pipe (FIFO)")
            assert messages["socket.py"] == ("TSL904", "cannot read file: not a regular file: a socket")
            assert messages["/dev/null"] == ("TSL904", "cannot read file: not a regular file: a character device")
            assert messages["broken.py"] == ("TSL904", "cannot read file: broken symbolic link (to nowhere.py)")
            assert messages["self.py"][0] == "TSL904"
            assert messages["folder.py/inner.py"][0] == "TSL004"
            assert messages["good.py"][0] == "TSL004"
            # the symlink cycle is walked once: each real file reported once
            assert sum(1 for line in run.lines if "deep.py" in line) == 1
            assert run.returncode == 1
            assert "(8 files checked)" in run.stderr
    finally:
        server.close()


def test_unreadable_file_and_unlistable_folder(project, cli):
    (project / "secret.py").write_text(BUG)
    (project / "locked").mkdir()
    (project / "locked" / "hidden.py").write_text(BUG)
    prelude = """
        import os
        real_open, real_scandir = os.open, os.scandir
        def fake_open(path, *args, **kwargs):
            if os.fspath(path).endswith("secret.py"):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_open(path, *args, **kwargs)
        def fake_scandir(path="."):
            if os.fspath(path).endswith("locked"):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)
        os.open, os.scandir = fake_open, fake_scandir
    """
    for jobs in ("1", "2"):
        run = cli(["-j", jobs, "."], project, prelude=prelude)
        assert_no_traceback(run)
        found = by_path(run)
        assert found["secret.py"] == [(1, 1, "TSL904", "cannot read file: Permission denied")]
        assert found["locked"] == [(1, 1, "TSL904", "cannot read file: cannot list folder: Permission denied")]
        assert found["good.py"][0][2] == "TSL004"
        assert run.returncode == 1


def test_malformed_notebooks_are_tsl904(project, cli):
    notebooks = {
        "invalid.ipynb": "{not json",
        "list.ipynb": "[]",
        "metadata.ipynb": json.dumps({"metadata": 5, "cells": []}),
        "worksheets.ipynb": json.dumps({"worksheets": [5]}),
        "deep.ipynb": '{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}",
    }
    for name, text in notebooks.items():
        (project / name).write_text(text)
    for jobs in ("1", "2"):
        run = cli(["-j", jobs, "."], project)
        assert_no_traceback(run)
        found = by_path(run)
        for name in notebooks:
            [(row, col, code, message)] = found[name]
            assert code == "TSL904" and message.startswith("cannot read notebook"), (name, message)
        assert found["good.py"][0][2] == "TSL004"


# -- an internal error costs one file ---------------------------------------------------------------

CRASHING_MATMUL = """
    from tfshapelint.ops import registry
    registry._load_families()
    def crash(call):
        raise RuntimeError("simulated crash of a shape function")
    registry._OPS["tf.matmul"] = crash
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_internal_error_is_tsl902_for_that_file_others_analysed_exit_2(project, cli, jobs):
    (project / "crashes.py").write_text("import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([3, 4]))\n")
    (project / "other.py").write_text("import tensorflow as tf\ny = tf.zeros([2, 3]) + tf.zeros([4])\n")
    for extra in ([], ["--exit-zero"]):
        run = cli(["-j", jobs, *extra, "."], project, prelude=CRASHING_MATMUL)
        assert_no_traceback(run)
        found = by_path(run)
        [(row, col, code, message)] = found["crashes.py"]
        assert code == "TSL902"
        assert "RuntimeError: simulated crash of a shape function" in message
        assert " at analysis/interpreter.py:" in message  # where, in the linter
        assert message.endswith("(please report it with the file)") and len(message) < 250
        assert found["other.py"][0][2] == "TSL006"
        assert found["good.py"][0][2] == "TSL004"  # uses @, not tf.matmul
        assert run.returncode == 2  # even with --exit-zero


def test_internal_error_on_stdin_and_in_fix(project, cli):
    source = "import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([3, 4]))\n"
    run = cli(["-", "--stdin-filename", "buffer.py"], project, prelude=CRASHING_MATMUL, input=source)
    assert_no_traceback(run)
    assert run.lines[0].startswith("buffer.py:1:1: TSL902") and run.returncode == 2
    (project / "crashes.py").write_text(source)
    run = cli(["--fix", "."], project, prelude=CRASHING_MATMUL)
    assert_no_traceback(run)
    assert by_path(run)["crashes.py"][0][2] == "TSL902" and run.returncode == 2
    assert (project / "crashes.py").read_text() == source


def test_explain_of_bad_input_is_a_message_not_a_crash(project):
    """``explain`` (and the language server's hover, which uses it) parse through the linter's
    gate, so input that does not parse is a message (libcst once crashed with SIGSEGV here)."""
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "tfshapelint"
    cases = {
        "deep.py": ("import tensorflow as tf\nx = " + "(" * 1000 + "1" + ")" * 1000 + "\n", "too many nested"),
        "python2.py": ("import tensorflow as tf\nprint 'x'\ndef f(:\n", "Missing parentheses"),
        "latin1.py": (b"import tensorflow as tf\nx = '\xe9'\n", "cannot decode"),
    }
    for name, (source, words) in cases.items():
        path = project / name
        path.write_bytes(source if isinstance(source, bytes) else source.encode())
        done = subprocess.run([str(exe), "explain", name], cwd=project, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and f"tfshapelint: error: " in done.stderr and words in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
