"""``--fix`` never loses anything: atomic writes (a failure at any point leaves the original and no
temporary file), a file changed since it was read is not written, encoding, BOM, newlines,
permissions, owner and symlinks are kept, an unwritable folder costs one file, and fixing twice
changes nothing more."""

from __future__ import annotations

import codecs
import os

import pytest

from tfshapelint.files import decode_source
from tfshapelint.fix import FileChanged, write_fixed

FIXABLE = (
    "import tensorflow as tf\n"
    "x = tf.zeros([8, 28, 28, 1])\n"
    "h = tf.nn.max_pool(tf.nn.max_pool(tf.nn.conv2d(x, tf.zeros([3, 3, 1, 64]), 1, 'SAME'), 2, 2, 'SAME'), 2, 2, 'SAME')\n"
    "flat = tf.reshape(h, [-1, 7 * 7 * 64])\n"
    "wd1 = tf.Variable(tf.zeros([4 * 4 * 64, 1024]))  # the declared size\n"
    "out = tf.matmul(flat, wd1)\n"
)
FIXED = FIXABLE.replace("[4 * 4 * 64, 1024]", "[7 * 7 * 64, 1024]")


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tfshapelint-"))


# -- atomicity: a failure anywhere leaves the original, and no temporary file ------------------------

@pytest.mark.parametrize("where", ["write", "fsync", "copymode", "replace", "interrupt"])
def test_a_failure_while_writing_leaves_the_original_intact(tmp_path, monkeypatch, where):
    path = tmp_path / "net.py"
    original = FIXABLE.encode()
    path.write_bytes(original)
    path.chmod(0o640)
    failure = KeyboardInterrupt() if where == "interrupt" else OSError(28, "No space left on device")

    def fail(*args, **kwargs):
        raise failure

    if where == "write":
        real_fdopen = os.fdopen

        def fdopen(*args, **kwargs):
            handle = real_fdopen(*args, **kwargs)

            class Failing:
                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    handle.close()

                def write(self, data):
                    handle.write(data[: len(data) // 2])  # half of it reached the disk
                    raise failure

            return Failing()

        monkeypatch.setattr(os, "fdopen", fdopen)
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    elif where == "copymode":
        monkeypatch.setattr("shutil.copymode", fail)
    else:
        monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(type(failure)):
        write_fixed(str(path), original, FIXED)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert leftovers(tmp_path) == []


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path):
    path = tmp_path / "net.py"
    original = FIXABLE.encode()
    path.write_bytes(original + b"# edited in the editor meanwhile\n")
    with pytest.raises(FileChanged):
        write_fixed(str(path), original, FIXED)
    assert path.read_bytes() == original + b"# edited in the editor meanwhile\n"
    assert leftovers(tmp_path) == []


def test_a_file_changed_during_the_run_is_left_as_it_is(tmp_path, cli):
    """The CLI: the file is edited after it was linted, before the fix is written."""
    path = tmp_path / "net.py"
    path.write_text(FIXABLE)
    prelude = """
        import tfshapelint.fix as fix
        real = fix.fix_source
        def fix_source(text, lint, unsafe, *rest):
            result = real(text, lint, unsafe, *rest)
            with open("net.py", "a") as handle:
                handle.write("# edited meanwhile\\n")
            return result
        fix.fix_source = fix_source
    """
    run = cli(["--fix", "net.py"], tmp_path, prelude=prelude)
    assert "net.py changed while it was being fixed; it was left as it is" in run.stderr
    assert path.read_text() == FIXABLE + "# edited meanwhile\n"
    assert run.returncode == 1 and "TSL001" in run.stdout
    assert leftovers(tmp_path) == []


# -- what the file was stays what it is -------------------------------------------------------------

VARIANTS = {
    "crlf": (FIXABLE.replace("\n", "\r\n").encode(), FIXED.replace("\n", "\r\n").encode()),
    "mixed newlines": (FIXABLE.replace("\n", "\r\n", 2).encode(), FIXED.replace("\n", "\r\n", 2).encode()),
    "bom and crlf": (codecs.BOM_UTF8 + FIXABLE.replace("\n", "\r\n").encode(),
                     codecs.BOM_UTF8 + FIXED.replace("\n", "\r\n").encode()),
    "latin-1 cookie": (("# -*- coding: latin-1 -*-\r\n# caf\xe9\r\n" + FIXABLE).encode("latin-1"),
                       ("# -*- coding: latin-1 -*-\r\n# caf\xe9\r\n" + FIXED).encode("latin-1")),
    "no final newline": (FIXABLE.rstrip("\n").encode(), FIXED.rstrip("\n").encode()),
    "tabs and trailing spaces": (FIXABLE.replace("x = ", "x\t=  ").replace("\n", "   \n").encode(),
                                 FIXED.replace("x = ", "x\t=  ").replace("\n", "   \n").encode()),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_cli_fix_keeps_encoding_newlines_and_is_idempotent(tmp_path, cli, variant):
    original, expected = VARIANTS[variant]
    path = tmp_path / "net.py"
    path.write_bytes(original)
    path.chmod(0o751)
    run = cli(["--fix", "net.py"], tmp_path)
    assert run.returncode == 0 and "Fixed 1 finding." in run.stderr, run.stdout + run.stderr
    assert path.read_bytes() == expected
    assert oct(path.stat().st_mode & 0o777) == "0o751"
    again = cli(["--fix", "net.py"], tmp_path)
    assert again.returncode == 0 and "Fixed" not in again.stderr
    assert path.read_bytes() == expected
    assert cli(["--diff", "net.py"], tmp_path).stdout == ""
    assert leftovers(tmp_path) == []


def test_fix_through_a_symlink_keeps_the_link(tmp_path, cli):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "net.py"
    target.write_text(FIXABLE)
    link = tmp_path / "net.py"
    link.symlink_to("real/net.py")
    run = cli(["--fix", "net.py"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == "real/net.py"
    assert target.read_text() == FIXED
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_fix_keeps_the_owner(tmp_path, cli):
    path = tmp_path / "net.py"
    path.write_text(FIXABLE)
    os.chown(path, 1234, 5678)
    run = cli(["--fix", "net.py"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert path.read_text() == FIXED
    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 5678)


def test_an_unwritable_folder_costs_that_file_only(tmp_path, cli):
    (tmp_path / "locked").mkdir()
    locked = tmp_path / "locked" / "net.py"
    locked.write_text(FIXABLE)
    free = tmp_path / "free.py"
    free.write_text(FIXABLE)
    prelude = """
        import os, tempfile
        real = tempfile.mkstemp
        def mkstemp(*args, **kwargs):
            if os.path.basename(str(kwargs.get("dir", ""))) == "locked":
                raise PermissionError(13, "Permission denied", str(kwargs["dir"]))
            return real(*args, **kwargs)
        tempfile.mkstemp = mkstemp
    """
    for jobs in ("1", "2"):
        locked.write_text(FIXABLE)
        free.write_text(FIXABLE)
        run = cli(["-j", jobs, "--fix", "."], tmp_path, prelude=prelude)
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
        assert "tfshapelint: warning: cannot write locked/net.py: Permission denied; it was left as it is" in run.stderr
        assert locked.read_text() == FIXABLE and free.read_text() == FIXED
        assert run.returncode == 1 and run.stdout.startswith("locked/net.py:5:")  # what remains is reported
        assert leftovers(tmp_path / "locked") == [] and leftovers(tmp_path) == []


def test_decode_and_write_round_trip_keeps_bytes(tmp_path):
    """Unit level: decode, no change, write: byte-identical for every variant."""
    for name, (original, _) in VARIANTS.items():
        path = tmp_path / "f.py"
        path.write_bytes(original)
        write_fixed(str(path), original, decode_source(original, str(path)))
        assert path.read_bytes() == original, name
