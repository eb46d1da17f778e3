"""Autofix: the rewrite is in the author's style, the result lints clean, fixing twice is a no-op."""

from pathlib import Path

import pytest

from tfshapelint.fix import fix_source
from tfshapelint.linter import lint_source

ROOT = Path(__file__).resolve().parent.parent


def fix_until_stable(source: str, unsafe: bool = False) -> str:
    notes = []
    fixed, _ = fix_source(source, lambda text: lint_source(text, "f.py"), unsafe, notes=notes)
    assert notes == []
    return fixed


def test_seed_example_is_fixed_in_the_authors_style():
    source = (ROOT / "examples" / "mnist_convnet.py").read_text()
    assert "tf.random_normal([4*4*64, 1024])" in source
    fixed = fix_until_stable(source)
    assert "tf.random_normal([7*7*64, 1024])" in fixed
    assert lint_source(fixed, "f.py") == []
    assert fix_until_stable(fixed) == fixed  # idempotent
    changed = [(a, b) for a, b in zip(source.splitlines(), fixed.splitlines()) if a != b]
    assert len(changed) == 1


@pytest.mark.parametrize("declared, expected", [
    ("4 * 4 * 64", "7 * 7 * 64"),
    ("1024", "3136"),
])
def test_matmul_form_keeps_spacing_or_literal(declared, expected):
    source = f"""import tensorflow as tf
x = tf.zeros([8, 28, 28, 1])
h = tf.nn.max_pool(tf.nn.max_pool(tf.nn.conv2d(x, tf.zeros([3, 3, 1, 64]), 1, "SAME"), 2, 2, "SAME"), 2, 2, "SAME")
flat = tf.reshape(h, [-1, 7 * 7 * 64])
wd1 = tf.Variable(tf.zeros([{declared}, 1024]))
out = tf.matmul(flat, wd1)
"""
    findings = lint_source(source, "f.py")
    assert [f.code for f in findings] == ["TSL001"]
    assert findings[0].fix.applicability == "safe"
    fixed = fix_until_stable(source)
    assert f"tf.zeros([{expected}, 1024])" in fixed
    assert lint_source(fixed, "f.py") == []


def test_named_size_gets_no_fix():
    source = """import tensorflow as tf
x = tf.zeros([8, 7, 7, 64])
N_FLAT = 1024
wd1 = tf.Variable(tf.zeros([N_FLAT, 10]))
out = tf.matmul(tf.reshape(x, [-1, 7 * 7 * 64]), wd1)
"""
    findings = lint_source(source, "f.py")
    assert [f.code for f in findings] == ["TSL001"] and findings[0].fix is None


def test_reshape_fix_is_unsafe_and_only_applied_when_asked():
    source = """import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 7, 7, 64])
flat = tf.reshape(x, [-1, 4 * 4 * 64])
"""
    [finding] = lint_source(source, "f.py")
    assert finding.code == "TSL002" and finding.fix.applicability == "unsafe"
    assert fix_until_stable(source) == source
    assert "[-1, 7 * 7 * 64]" in fix_until_stable(source, unsafe=True)


def test_cli_fix_diff_and_unsafe(tmp_path):
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "tfshapelint")
    target = tmp_path / "net.py"
    original = (ROOT / "examples" / "mnist_convnet.py").read_text()
    target.write_text(original)
    target.chmod(0o640)
    diff = subprocess.run([exe, "--diff", str(target)], capture_output=True, text=True)
    assert diff.returncode == 1
    assert "-    'wd1': tf.Variable(tf.random_normal([4*4*64, 1024]))," in diff.stdout
    assert "+    'wd1': tf.Variable(tf.random_normal([7*7*64, 1024]))," in diff.stdout
    assert target.read_text() == original  # --diff writes nothing
    fixed = subprocess.run([exe, "--fix", str(target)], capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Fixed 1 finding." in fixed.stderr
    assert "[7*7*64, 1024]" in target.read_text()
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    again = subprocess.run([exe, "--fix", str(target)], capture_output=True, text=True)
    assert again.returncode == 0 and "Fixed" not in again.stderr

    flat = tmp_path / "flat.py"
    flat.write_text("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
                    "flat = tf.reshape(x, [-1, 4 * 4 * 64])\n")
    safe_only = subprocess.run([exe, "--fix", str(flat)], capture_output=True, text=True)
    assert safe_only.returncode == 1 and "1 more with --unsafe-fixes" in safe_only.stderr
    unsafe = subprocess.run([exe, "--fix", "--unsafe-fixes", str(flat)], capture_output=True, text=True)
    assert unsafe.returncode == 0 and "[-1, 7 * 7 * 64]" in flat.read_text()


def test_stdin_fix_prints_the_fixed_source():
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "tfshapelint")
    source = (ROOT / "examples" / "mnist_convnet.py").read_text()
    result = subprocess.run([exe, "--fix", "-", "--stdin-filename", "net.py"], input=source,
                            capture_output=True, text=True)
    assert "[7*7*64, 1024]" in result.stdout and result.returncode == 0


def test_write_keeps_encoding_bom_and_newlines_and_refuses_changed_files(tmp_path):
    from tfshapelint.files import decode_source
    from tfshapelint.fix import FileChanged, write_fixed

    path = tmp_path / "latin.py"
    original = "# -*- coding: latin-1 -*-\r\nname = 'caf\xe9'\r\nx = [4*4*64]\r\n".encode("latin-1")
    path.write_bytes(original)
    text = decode_source(original, str(path))
    write_fixed(str(path), original, text.replace("4*4*64", "7*7*64"))
    assert path.read_bytes() == original.replace(b"4*4*64", b"7*7*64")

    bom = tmp_path / "bom.py"
    data = b"\xef\xbb\xbfx = [4*4*64]\n"
    bom.write_bytes(data)
    write_fixed(str(bom), data, decode_source(data, str(bom)).replace("4*4*64", "7*7*64"))
    assert bom.read_bytes() == b"\xef\xbb\xbfx = [7*7*64]\n"

    bom.write_bytes(b"x = 1\n")  # someone edited the file after it was linted
    with pytest.raises(FileChanged):
        write_fixed(str(bom), data, "x = 2\n")
    assert bom.read_bytes() == b"x = 1\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tfshapelint-")] == []


def test_offsets_ignore_form_feeds_and_unicode_line_separators():
    source = (ROOT / "examples" / "mnist_convnet.py").read_text()
    tricky = source.replace("learning_rate = 0.001", "learning_rate = 0.001  # \u2028 \x0c odd")
    fixed, count = fix_source(tricky, lambda text: lint_source(text, "f.py"), unsafe=False)
    assert count == 1 and "tf.random_normal([7*7*64, 1024])" in fixed
