"""Autofix: the rewrite is in the author's style, the result lints clean, fixing twice is a no-op."""

from pathlib import Path

import pytest

from tfshapelint.fix import apply_fixes
from tfshapelint.linter import lint_source

ROOT = Path(__file__).resolve().parent.parent


def fix_until_stable(source: str, unsafe: bool = False) -> str:
    for _ in range(5):
        fixed, applied = apply_fixes(source, lint_source(source, "f.py"), unsafe)
        if not applied:
            return fixed
        source = fixed
    raise AssertionError("fixes did not converge")


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
