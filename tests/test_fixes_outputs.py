"""The same fixes everywhere: --diff, --fix, --unsafe-fixes, the JSON ``fix`` object (ruff's schema)
and SARIF ``fixes`` (valid against the official schema) show the edits the codemods make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfshapelint.cli import main

SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"

REGRESSION = """import tensorflow as tf

x = tf.random.normal([64, 3])
y = tf.random.normal([64])
W = tf.Variable(tf.random.normal([3, 1]))
pred = tf.matmul(x, W)
loss = tf.reduce_mean(tf.square(pred - y))
"""
SQUEEZED = REGRESSION.replace("pred - y", "tf.squeeze(pred, axis=-1) - y")


def run(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reg.py").write_text(REGRESSION)
    return CliRunner().invoke(main, ["check", "--no-cache", "--isolated", *args, "reg.py"])


def test_json_fix_object_has_the_codemods_edit(tmp_path, monkeypatch):
    result = run(tmp_path, monkeypatch, "--output-format", "json")
    [item] = json.loads(result.stdout)
    assert item["code"] == "TSL012"
    assert item["fix"] == {
        "applicability": "unsafe",
        "edits": [{"content": "tf.squeeze(pred, axis=-1)", "location": {"row": 7, "column": 33},
                   "end_location": {"row": 7, "column": 37}}],
        "message": "squeeze the 64x1 operand, `tf.squeeze(..., axis=-1)`",
    }


def test_sarif_fixes_validate_and_replace_the_operand(tmp_path, monkeypatch):
    jsonschema = pytest.importorskip("jsonschema")
    log = json.loads(run(tmp_path, monkeypatch, "--output-format", "sarif").stdout)
    [result] = log["runs"][0]["results"]
    [fix] = result["fixes"]
    [change] = fix["artifactChanges"]
    region = {"startLine": 7, "startColumn": 33, "endLine": 7, "endColumn": 37}
    assert change["replacements"] == [{"deletedRegion": region,
                                       "insertedContent": {"text": "tf.squeeze(pred, axis=-1)"}}]
    assert fix["properties"] == {"applicability": "unsafe"}
    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text()))
    assert not list(validator.iter_errors(log))


def test_unsafe_fix_needs_unsafe_fixes_in_diff_and_fix(tmp_path, monkeypatch):
    assert run(tmp_path, monkeypatch, "--diff").stdout == ""
    diff = run(tmp_path, monkeypatch, "--diff", "--unsafe-fixes").stdout
    assert "-loss = tf.reduce_mean(tf.square(pred - y))" in diff
    assert "+loss = tf.reduce_mean(tf.square(tf.squeeze(pred, axis=-1) - y))" in diff
    safe_only = run(tmp_path, monkeypatch, "--fix")
    assert safe_only.exit_code == 1 and (tmp_path / "reg.py").read_text() == REGRESSION
    fixed = run(tmp_path, monkeypatch, "--fix", "--unsafe-fixes")
    assert fixed.exit_code == 0 and (tmp_path / "reg.py").read_text() == SQUEEZED


def test_a_dropped_fix_is_explained_on_stderr(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reg.py").write_text(REGRESSION.replace("import tensorflow as tf", "import tensorflow.compat.v2 as tf"))
    result = CliRunner().invoke(main, ["check", "--no-cache", "--isolated", "--diff", "--unsafe-fixes", "reg.py"])
    assert result.stdout == ""
    assert "tfshapelint: note: reg.py:7:" in result.stderr and "was not applied" in result.stderr
