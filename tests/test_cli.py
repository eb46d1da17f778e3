"""The command line, run as users run it: the installed console script in a subprocess."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mnist_convnet.py"
EXE = shutil.which("tfshapelint", path=str(Path(sys.executable).parent)) or "tfshapelint"


def tfshapelint(*args, stdin=None, cwd=None):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, input=stdin, cwd=cwd,
                          timeout=120)


def test_example_reports_the_seed_bug_with_its_derivation():
    result = tfshapelint("--output-format", "full", EXAMPLE)
    assert result.returncode == 1
    first, *chain = result.stdout.splitlines()
    line = next(i for i, text in enumerate(EXAMPLE.read_text().splitlines(), 1) if "'wd1':" in text)
    assert first.startswith(f"{EXAMPLE}:{line}:")
    assert "TSL001" in first and "3136" in first and "1024" in first and "4*4*64" in first
    derivation = " ".join(" ".join(chain).split())
    assert "Nx28x28x1 -conv2d s1 SAME-> Nx28x28x32 -max_pool k2 s2 SAME-> Nx14x14x32" in derivation
    assert "Nx7x7x64" in derivation
    assert "Found 1 finding" in result.stderr


def test_clean_file_exits_zero(tmp_path):
    clean = tmp_path / "clean.py"
    clean.write_text("import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([3, 4]))\n")
    result = tfshapelint(clean)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "All checks passed" in result.stderr


def test_directory_is_walked_and_exit_zero_flag(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(
        "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "ignored.py").write_text((tmp_path / "pkg" / "bad.py").read_text())
    result = tfshapelint(tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("TSL004") == 1
    assert f"{tmp_path}/pkg/bad.py:3:5: TSL004" in result.stdout
    assert tfshapelint("--exit-zero", tmp_path).returncode == 0


def test_explicit_check_subcommand_and_stdin():
    source = "import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n"
    result = tfshapelint("check", "-", "--stdin-filename", "models/net.py", stdin=source)
    assert result.returncode == 1
    assert result.stdout.startswith("models/net.py:2:5: TSL004")


def test_missing_path_is_a_usage_error():
    result = tfshapelint("/nonexistent/path.py")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_bad_option_is_a_usage_error():
    assert tfshapelint("--output-format", "nope", EXAMPLE).returncode == 2


def test_syntax_error_is_a_diagnostic_not_a_crash(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import tensorflow as tf\ndef broken(:\n")
    result = tfshapelint(broken)
    assert result.returncode == 1
    assert "TSL901" in result.stdout and "Traceback" not in result.stderr


def test_noqa_suppresses(tmp_path):
    file = tmp_path / "n.py"
    file.write_text("import tensorflow as tf\n"
                    "y = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))  # noqa: TSL004\n"
                    "z = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))  # noqa: TSL001\n")
    result = tfshapelint(file)
    assert [line.split(":")[1] for line in result.stdout.splitlines()] == ["3"]


@pytest.mark.parametrize("code", ["TSL001", "tsl004"])
def test_rule_pages(code):
    result = tfshapelint("rule", code)
    assert result.returncode == 0
    assert result.stdout.startswith(f"# {code.upper()}")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert heading in result.stdout


def test_rule_listing_and_unknown_rule():
    listing = tfshapelint("rule")
    assert listing.returncode == 0 and "TSL001" in listing.stdout
    assert tfshapelint("rule", "TSL999").returncode == 2


def test_linter_never_imports_tensorflow():
    code = (
        "import sys\n"
        "from tfshapelint.cli import main\n"
        f"sys.argv = ['tfshapelint', {str(EXAMPLE)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'tf_keras', 'numpy'))\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_help_lists_the_workflow_options():
    text = tfshapelint("check", "--help").stdout
    for option in ("--output-format", "--output-file", "--statistics", "--exit-zero", "--stdin-filename",
                   "--config", "--isolated", "--select", "--extend-select", "--ignore", "--exclude",
                   "--extend-exclude", "--per-file-ignores", "--target-version", "--force-exclude"):
        assert option in text, option
    for fmt in ("concise", "full", "json", "json-lines", "github", "sarif"):
        assert fmt in text


def test_walked_paths_are_reported_without_a_dot_slash(tmp_path):
    (tmp_path / "m.py").write_text("import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n")
    result = tfshapelint(".", cwd=tmp_path)
    assert result.stdout.startswith("m.py:2:5: TSL004")


def test_long_derivation_chain_is_cut_at_the_start_and_keeps_shape_preserving_convolutions():
    from tfshapelint.domain.values import MAX_CHAIN
    from tfshapelint.linter import lint_source

    source = (
        "import tensorflow as tf\n"
        "h = tf.random.uniform([8, 64, 64, 3])\n"
        "k = tf.Variable(tf.random.normal([3, 3, 3, 3]))\n"
        "for _ in range(6):\n"
        "    h = tf.nn.relu(tf.nn.conv2d(h, k, strides=1, padding='SAME'))\n"
        "    h = tf.nn.max_pool2d(h, ksize=2, strides=2, padding='VALID')\n"
        "h = tf.nn.max_pool2d(h, ksize=2, strides=2, padding='VALID')\n"
    )
    [finding] = lint_source(source, "deep.py")
    chain = finding.chain
    assert chain[0].startswith("... ")  # the chain was cut: it starts with a shape
    assert chain[-1] == "8x1x1x3"
    assert all("x" in step and "-" not in step for step in chain[2::2])  # shapes at even places
    assert "conv2d s1 SAME" in chain
    assert len(chain) <= 2 * MAX_CHAIN + 1
