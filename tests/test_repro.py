"""Reproducers (repro/): what is written for a finding, and the ``repro`` command, without TensorFlow.

The TensorFlow side (every bad fixture's reproducer fails, every clean twin's runs clean, ``repro
--run`` end to end) is in test_reproducers_tf.py.
"""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tfshapelint.linter import lint_source
from tfshapelint.report import FORMATS
from tfshapelint.repro.command import split_target
from tfshapelint.repro.harness import PREFIX
from tfshapelint.repro.run import Outcome
from tfshapelint.repro.steps import same_steps

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "mnist_convnet.py"
BAD_FIXTURES = sorted((ROOT / "fixtures").glob("TSL*/*_bad.py"))
ALLOWED_IMPORTS = {"tensorflow", "numpy", "keras", "tf_slim", "os"}


def findings_of(path: Path) -> list:
    return lint_source(path.read_text(encoding="utf-8"), str(path))


def test_the_seed_example_is_replayed_as_written_with_a_batch_that_shows_the_bug():
    (finding,) = findings_of(SEED)
    program = finding.reproducer
    compile(program, "repro.py", "exec")
    # the user's own calls, argument names and constants, with their source lines
    assert "x = tf.placeholder(tf.float32, [None, 784])  # line 18" in program
    assert "tf.nn.conv2d(_X, wc1, strides=[1, 1, 1, 1], padding='SAME')" in program
    assert "tf.nn.max_pool(conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')  # line 28" in program
    # the weight's row size, read from `wd1` in the program, is the constant the analysis found
    assert "dense1 = tf.reshape(conv2_3, [-1, 1024])  # line 39: the silent bug" in program
    # variables are zeros of their declared shapes; 16 examples make 49 rows of 1024: the bug shows
    assert "wd1" not in program and "wc1 = tf.zeros([5, 5, 1, 32])" in program
    assert "np.zeros((16, 784), x.dtype.as_numpy_dtype)" in program
    assert program.rstrip().splitlines()[-1].startswith("assert dense1.shape[0] == conv2_3.shape[0]")


@pytest.mark.parametrize("path", BAD_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bad_fixture_gets_a_reproducer_that_runs_no_user_code(path):
    findings = findings_of(path)
    assert findings
    for finding in findings:
        program = finding.reproducer
        assert program is not None, f"{finding.line}: {finding.code} has no reproducer"
        tree = ast.parse(program)
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert imported <= ALLOWED_IMPORTS
        assert not [node for node in ast.walk(tree) if isinstance(node, (ast.For, ast.While, ast.FunctionDef,
                                                                          ast.ClassDef, ast.Lambda))]
        called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name)}
        assert not called & {"open", "exec", "eval", "__import__"}
        assert f"{finding.code} at {path}:{finding.line}" in program.splitlines()[0]


def test_a_feed_mismatch_is_reproduced_with_the_fed_shape():
    path = ROOT / "fixtures" / "TSL010" / "convnet_flat_images_bad.py"
    (finding,) = findings_of(path)
    program = finding.reproducer
    assert "images = tf.placeholder(tf.float32, [None, 28, 28, 1], name='images')  # line 12" in program
    assert "images: np.zeros((16, 784), images.dtype.as_numpy_dtype)" in program
    assert "# line 26: TensorFlow raises here" in program


def test_keras_functional_code_keeps_its_input_symbolic():
    path = ROOT / "fixtures" / "TSL006" / "keras_functional_skip_bad.py"
    (finding,) = findings_of(path)
    program = finding.reproducer
    assert "inputs = tf.keras.Input(shape=(32, 32, 16))  # line 10" in program
    assert "x_2 = layers.Conv2D(16, 3, padding='valid')(x)  # line 13" in program
    assert "x_3 = layers.Add()([x_2, inputs])  # line 14: TensorFlow raises here" in program


def test_the_clean_twin_replays_the_same_call():
    path = ROOT / "fixtures" / "TSL001" / "convnet_tf1_good.py"
    (program,) = same_steps(path.read_text(encoding="utf-8"), str(path), 39, kind="batch-change")
    assert "# It replays tf.reshape of line 39" in program
    assert "dense1 = tf.reshape(conv2_3, [-1, 3136])  # line 39: the call replayed" in program
    assert "assert dense1.shape[0] == conv2_3.shape[0]" in program
    assert not findings_of(path)


def test_full_output_hints_at_the_reproducer_and_json_carries_it():
    findings = findings_of(SEED)
    assert f"  reproduce: tfshapelint repro {SEED}:49\n" in FORMATS["full"](findings)
    (item,) = json.loads(FORMATS["json"](findings))
    assert item["reproducer"] == findings[0].reproducer
    no_program = lint_source("import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), f())\n", "m.py")
    assert all("reproduce:" not in FORMATS["full"]([f]) for f in no_program if f.reproducer is None)


def test_split_target():
    assert split_target("models/cnn.py:49") == ("models/cnn.py", 49)
    assert split_target("models/cnn.py") == ("models/cnn.py", None)


def test_outcomes_confirm_only_what_the_program_says():
    raises = "result = tf.matmul(a, b)  # line 4: TensorFlow raises here\n"
    silent = 'result = x  # line 4: the silent bug\nassert x, f"silent bug: ..."\n'
    mro = ("tensorflow.python.framework.errors_impl.InvalidArgumentError", "builtins.Exception")
    shape_error = Outcome("raised", "InvalidArgumentError", mro, "Matrix size-incompatible", line=1)
    assert shape_error.confirms(raises) and not shape_error.confirms(silent)
    elsewhere = Outcome("raised", "InvalidArgumentError", mro, "Matrix size-incompatible", line=2)
    assert not elsewhere.confirms(raises + "y = tf.matmul(b, a)\n")
    failed_assert = Outcome("raised", "AssertionError", ("builtins.AssertionError",), "silent bug: 2 rows", line=2)
    assert failed_assert.confirms(silent) and not failed_assert.confirms(raises)
    assert not Outcome("raised", "NameError", ("builtins.NameError",), "name 'x'", line=1).confirms(raises)
    assert not Outcome("clean").confirms(raises)
    dtype_error = Outcome("raised", "InvalidArgumentError", mro, "cannot compute MatMul as input #1(zero-based) "
                          "was expected to be a double tensor but is a float tensor", line=1)
    assert not dtype_error.confirms(raises)


def _repro(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tfshapelint", "repro", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_the_command_prints_the_reproducer_after_the_finding(tmp_path):
    done = _repro("examples/mnist_convnet.py:49")
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()[:2]
    assert first.startswith("# examples/mnist_convnet.py:49:42: TSL001 ")
    assert second.startswith("# Reproducer of TSL001 at examples/mnist_convnet.py:49")
    compile(done.stdout, "repro.py", "exec")


def test_the_command_on_a_line_without_a_finding_prints_the_same_steps():
    done = _repro("examples/mnist_convnet.py:32")
    assert done.returncode == 0, done.stderr
    assert "# It replays tf.reshape of line 32" in done.stdout
    assert "# Reproducer of line 32 of examples/mnist_convnet.py" in done.stdout
    assert _repro("examples/mnist_convnet.py:2").returncode == 1


def _fake_python(tmp_path: Path, body: str) -> str:
    """An executable standing for a Python with TensorFlow: it answers as the harness would."""
    script = tmp_path / "fake-python"
    script.write_text(f"#!{sys.executable}\nimport json, sys\nPREFIX = {PREFIX!r}\nfiles = sys.argv[4:]\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_run_says_not_reproduced_and_how_to_report_when_the_program_runs_clean(tmp_path):
    python = _fake_python(tmp_path, 'print(PREFIX + json.dumps({"tensorflow": "2.99"}))\n'
                                    'for f in files:\n    print(PREFIX + json.dumps({"file": f, "outcome": "clean"}))')
    done = _repro("--run", "--python", python, "examples/mnist_convnet.py")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("examples/mnist_convnet.py:49:42: TSL001 ")
    assert lines[1].startswith("  not reproduced by TensorFlow 2.99: the reproducer ran without error; "
                               "this is a bug of tfshapelint")
    assert "    # Reproducer of TSL001" in done.stdout


def test_run_confirms_with_the_error_tensorflow_raised(tmp_path):
    python = _fake_python(tmp_path, 'print(PREFIX + json.dumps({"tensorflow": "2.99"}))\n'
                                    'for f in files:\n'
                                    '    line = [t.startswith("assert ") for t in open(f).read().splitlines()].index(True)\n'
                                    '    print(PREFIX + json.dumps({"file": f, "outcome": "raised", '
                                    '"type": "AssertionError", "mro": ["builtins.AssertionError"], '
                                    '"message": "silent bug: the reshape turns 16 examples into 49 rows", '
                                    '"line": line + 1}))')
    done = _repro("--run", "--python", python, "examples/mnist_convnet.py")
    assert done.returncode == 0, done.stdout
    assert ("  confirmed by TensorFlow 2.99: AssertionError: silent bug: the reshape turns 16 examples into 49 rows"
            in done.stdout)


def test_run_without_tensorflow_is_an_error_that_names_the_python(tmp_path):
    python = _fake_python(tmp_path, 'print(PREFIX + json.dumps({"error": "cannot import TensorFlow: '
                                    'ModuleNotFoundError"}))')
    done = _repro("--run", "--python", python, "examples/mnist_convnet.py")
    assert done.returncode == 2
    assert "cannot import TensorFlow" in done.stderr and "--python" in done.stderr


def test_the_repro_command_imports_no_tensorflow(tmp_path):
    python = _fake_python(tmp_path, 'print(PREFIX + json.dumps({"tensorflow": "2.99"}))')
    probe = ("import sys\nfrom tfshapelint.cli import main\n"
             f"for args in (['repro', {str(SEED)!r}], ['repro', '--run', '--python', {python!r}, {str(SEED)!r}]):\n"
             "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
             "print('HEAVY', sorted(m for m in ('tensorflow', 'numpy', 'keras') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ))
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr


def test_the_language_server_offers_the_reproducer_as_an_untitled_document():
    lsp = pytest.importorskip("tfshapelint.lsp")
    types = pytest.importorskip("lsprotocol.types")
    import asyncio

    from tfshapelint.positions import LineIndex

    text = SEED.read_text(encoding="utf-8")
    findings = findings_of(SEED)
    index = LineIndex(text)
    uri = SEED.as_uri()
    diagnostics = [lsp.to_diagnostic(f, index, uri) for f in findings]
    server = lsp.TfShapeLintServer()

    async def current(_uri):
        return lsp.Analysis(text, findings, diagnostics, index)

    server.current_analysis = current
    server.resolve_fixes = lambda *_: None  # the fixes' codemods (they need an initialized workspace)
    params = types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
                                    context=types.CodeActionContext(diagnostics=diagnostics,
                                                                    only=[types.CodeActionKind.QuickFix]))
    actions = asyncio.run(server.code_actions(params))
    (action,) = [a for a in actions if a.kind == lsp.REPRODUCER_KIND]
    assert action.title == "Show TensorFlow reproducer (TSL001)"
    create, insert = action.edit.document_changes
    assert create.uri == insert.text_document.uri == "untitled:tfshapelint-repro-TSL001-line-49.py"
    assert insert.edits[0].new_text == findings[0].reproducer


def test_a_notebook_findings_reproducer_names_cells():
    from tfshapelint.notebooks import lint_notebook

    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["import tensorflow as tf\n", "w = tf.zeros([4, 4])\n"]},
             {"cell_type": "markdown", "metadata": {}, "source": ["notes"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["%matplotlib inline\n", "y = tf.matmul(tf.zeros([8, 3]), w)\n"]}]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    (finding,) = lint_notebook(text, "nb.ipynb", lambda code, name: lint_source(code, name))
    lines = finding.reproducer.splitlines()
    assert lines[0].startswith("# Reproducer of TSL004 at nb.ipynb:cell 3:2 ")
    assert "w = tf.zeros([4, 4])  # cell 1, line 2" in lines
    assert "y = tf.matmul(tf.zeros([8, 3]), w)  # cell 3, line 2: TensorFlow raises here" in lines
    assert "reproduce:" not in FORMATS["full"]([finding])


def test_a_shared_layer_is_built_as_its_earlier_call_built_it():
    path = ROOT / "fixtures" / "TSL009" / "keras_shared_dense_bad.py"
    (finding,) = findings_of(path)
    lines = finding.reproducer.splitlines()
    assert lines[-3:] == [
        "right = tf.keras.Input(shape=(1024,))  # line 11",
        "encoder.build((None, 784))  # as an earlier call built it, for inputs of 784 features",
        "right_code = encoder(right)  # line 13: TensorFlow raises here"]
    assert "encoder = layers.Dense(64, activation='relu')  # line 9" in lines
    # a layer whose calls are all replayed is not built beforehand
    functional = findings_of(ROOT / "fixtures" / "TSL006" / "keras_functional_skip_bad.py")[0].reproducer
    assert ".build(" not in functional


def test_a_tensorflow_0_call_is_confirmed_by_the_error_of_its_rule():
    program = ("# Reproducer of TSL015 at m.py:3 (written by `tfshapelint repro`): it fails if the finding is true.\n"
               "import tensorflow as tf\n\ny = tf.pack([x, x])  # line 3: TensorFlow raises here\n")
    missing = Outcome("raised", "AttributeError", ("builtins.AttributeError",), "no attribute 'pack'", line=4)
    assert missing.confirms(program)
    assert not missing.confirms(program.replace("TSL015", "TSL004"))
