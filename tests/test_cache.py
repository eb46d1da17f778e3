"""The results cache: same findings as a cold run, invalidated by anything that changes them,
never broken by a corrupt or concurrently written cache."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfshapelint import cache as cache_module
from tfshapelint import pool
from tfshapelint.cache import Cache, clean, decode_findings, encode_findings
from tfshapelint.cli import main
from tfshapelint.findings import Edit, Finding, Fix
from tfshapelint.notebooks import CellFinding

BAD = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n"
FIXABLE = (Path(__file__).resolve().parent.parent / "examples" / "mnist_convnet.py").read_text()


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def age(*paths: Path, seconds: float = 100) -> None:
    """Make the files look old enough for their stat to be trusted (cache.RACY_SECONDS)."""
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD)
    (tmp_path / "pkg" / "clean.py").write_text("import tensorflow as tf\nx = tf.zeros([2, 3])\n")
    (tmp_path / "pkg" / "plain.py").write_text("print('no tensorflow here')\n")
    (tmp_path / "pkg" / "fixme.py").write_text(FIXABLE)
    (tmp_path / "pkg" / "nb.ipynb").write_text(notebook("import tensorflow as tf", "x = tf.zeros([2, 3])",
                                                         "y = tf.matmul(x, tf.zeros([4, 4]))"))
    age(*(tmp_path / "pkg").iterdir())
    return tmp_path


@pytest.fixture
def linted(monkeypatch):
    """The paths linted (not served from the cache), in order."""
    calls: list[str] = []
    real = pool.lint_text

    def counting(text, path, target_version):
        calls.append(os.path.basename(path))
        return real(text, path, target_version)

    monkeypatch.setattr(pool, "lint_text", counting)
    return calls


def run(cwd: Path, *args, env=None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", "-j", "1", *map(str, args)], env=env)
    finally:
        os.chdir(old)


def test_warm_run_lints_nothing_and_reports_the_same(project, linted):
    cold = run(project, "--output-format", "json", "pkg")
    assert sorted(linted) == ["bad.py", "clean.py", "fixme.py", "nb.ipynb", "plain.py"]
    assert (project / ".tfshapelint_cache" / "CACHEDIR.TAG").is_file()
    linted.clear()
    warm = run(project, "--output-format", "json", "pkg")
    assert linted == []
    assert warm.exit_code == cold.exit_code == 1
    assert warm.stdout == cold.stdout
    cells = [item["cell"] for item in json.loads(warm.stdout) if item["filename"].endswith(".ipynb")]
    assert cells == [3]
    assert any(item["fix"] for item in json.loads(warm.stdout))  # fixes survive the cache


def test_selection_and_per_file_ignores_apply_to_cached_results(project, linted):
    run(project, "pkg")
    linted.clear()
    only_tsl001 = run(project, "--select", "TSL001", "pkg")
    assert "TSL004" not in only_tsl001.stdout and "TSL001" in only_tsl001.stdout
    ignored = run(project, "--per-file-ignores", "pkg/bad.py:TSL004", "pkg")
    assert "bad.py" not in ignored.stdout and "nb.ipynb:cell 3" in ignored.stdout
    assert linted == []


def test_target_version_is_part_of_the_key(project, linted):
    run(project, "pkg")
    linted.clear()
    run(project, "--target-version", "tf1", "pkg")
    assert len(linted) == 5
    linted.clear()
    run(project, "--target-version", "tf1", "pkg")
    run(project, "pkg")
    assert linted == []


def test_a_new_tool_version_or_code_is_a_new_key(project, linted, monkeypatch):
    run(project, "pkg")
    linted.clear()
    monkeypatch.setattr(cache_module, "_FINGERPRINT", "edited")
    run(project, "pkg")
    assert len(linted) == 5


def test_an_index_recording_another_key_is_a_miss(project, linted, monkeypatch):
    """Index names are CRC-32s: two keys may share one, so the key the index records decides."""
    run(project, "pkg")
    (index,) = (project / ".tfshapelint_cache" / "v1").glob("*.json")
    data = json.loads(index.read_text())
    assert data["key"][-1] == str(project)
    monkeypatch.setattr(cache_module, "index_name", lambda key: index.name)  # every key: this name
    monkeypatch.setattr(cache_module, "_FINGERPRINT", "another tool")
    linted.clear()
    run(project, "pkg")
    assert len(linted) == 5  # nothing served from an index of another key
    assert json.loads(index.read_text())["key"][2] == "another tool"  # which it then replaced
    linted.clear()
    run(project, "pkg")
    assert linted == []


def test_changed_content_is_linted_again_even_with_the_same_size_and_mtime(project, linted):
    bad = project / "pkg" / "bad.py"
    run(project, "pkg")
    before = os.stat(bad)
    bad.write_text(BAD.replace("[4, 4]", "[3, 4]"))  # same size: the bug is fixed
    os.utime(bad, ns=(before.st_atime_ns, before.st_mtime_ns))
    linted.clear()
    result = run(project, "pkg/bad.py")
    assert linted == ["bad.py"]
    assert result.exit_code == 0


def test_touched_file_is_hashed_not_linted(project, linted):
    run(project, "pkg")
    age(project / "pkg" / "bad.py", seconds=50)
    linted.clear()
    assert run(project, "pkg").exit_code == 1
    assert linted == []


def test_recent_files_are_checked_by_content(tmp_path, linted):
    (tmp_path / "a.py").write_text(BAD)  # just written: its stat is not trusted yet
    run(tmp_path, "a.py")
    index = json.loads(next((tmp_path / ".tfshapelint_cache" / "v1").glob("*.json")).read_text())
    assert [entry["s"] for entry in index["files"].values()] == [None]
    (tmp_path / "a.py").write_text(BAD.replace("[4, 4]", "[3, 4]"))
    linted.clear()
    assert run(tmp_path, "a.py").exit_code == 0
    assert linted == ["a.py"]


def test_no_cache_neither_reads_nor_writes(project, linted):
    run(project, "--no-cache", "pkg")
    assert not (project / ".tfshapelint_cache").exists()
    run(project, "pkg")
    linted.clear()
    run(project, "--no-cache", "pkg")
    assert len(linted) == 5


def test_cache_dir_option_environment_and_configuration(project, linted):
    run(project, "--cache-dir", "elsewhere", "pkg")
    assert (project / "elsewhere" / "v1").is_dir()
    run(project, "pkg", env={"TFSHAPELINT_CACHE_DIR": str(project / "from-env")})
    assert (project / "from-env" / "v1").is_dir()
    (project / "pyproject.toml").write_text('[tool.tfshapelint]\ncache-dir = "configured"\n')
    run(project, "pkg")
    assert (project / "configured" / "v1").is_dir()
    assert not (project / ".tfshapelint_cache").exists()


@pytest.mark.parametrize("garbage", [b"", b"\x00\xff not json", b"{\"format\": 1, \"files\": [1, 2]}", b"[]",
                                     b"{\"format\": 1, \"files\": {\"x\": 3}}", b"{\"format\": 1"])
def test_a_corrupt_index_is_a_miss(project, linted, garbage):
    cold = run(project, "pkg")
    for index in (project / ".tfshapelint_cache" / "v1").glob("*.json"):
        index.write_bytes(garbage)
    linted.clear()
    again = run(project, "pkg")
    assert again.stdout == cold.stdout and again.exit_code == cold.exit_code
    assert len(linted) == 5
    linted.clear()
    run(project, "pkg")
    assert linted == []  # and it was rewritten


def test_corrupt_entries_are_misses(project, linted):
    cold = run(project, "pkg")
    index = next((project / ".tfshapelint_cache" / "v1").glob("*.json"))
    data = json.loads(index.read_text())
    for key, entry in data["files"].items():
        if key.endswith("bad.py"):
            entry["f"] = [{"~": "Finding", "line": "not a finding"}, {"nonsense": 1}]
        if key.endswith("clean.py"):
            entry["f"] = [{"~": "os.system"}]
        if key.endswith("plain.py"):
            data["files"][key] = "junk"
    index.write_text(json.dumps(data))
    linted.clear()
    again = run(project, "pkg")
    assert again.stdout == cold.stdout
    assert sorted(linted) == ["bad.py", "clean.py", "plain.py"]


def test_an_unwritable_cache_only_warns(project, linted):
    (project / "blocked").write_text("a file where the cache folder should be")
    result = run(project, "--cache-dir", "blocked/cache", "pkg")
    assert result.exit_code == 1 and "TSL004" in result.stdout
    assert "warning: cannot write the cache" in result.stderr


def test_concurrent_runs_merge_their_entries(tmp_path):
    folder = tmp_path / "cache"
    first, second = (Cache.open(folder, "tf2", tmp_path) for _ in range(2))
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("x = 1\n")
    first.store(str(tmp_path / "a.py"), "aa", None, [])
    second.store(str(tmp_path / "b.py"), "bb", None, [])
    first.save()
    second.save()
    third = Cache.open(folder, "tf2", tmp_path)
    assert third.lookup(str(tmp_path / "a.py")) == (None, "aa")
    assert third.lookup(str(tmp_path / "b.py")) == (None, "bb")
    assert [p.name for p in (folder / "v1").iterdir() if p.name.startswith(".tmp")] == []


def test_internal_errors_are_not_cached(project, linted, monkeypatch):
    def crash(text, path, target_version):
        linted.append(os.path.basename(path))
        return [Finding(path, 1, 1, "TSL902", "internal-error", "boom")]

    monkeypatch.setattr(pool, "lint_text", crash)
    run(project, "pkg/bad.py")
    run(project, "pkg/bad.py")
    assert linted == ["bad.py", "bad.py"]


def test_fix_with_a_warm_cache(project):
    fixme = project / "pkg" / "fixme.py"
    run(project, "pkg")
    result = run(project, "--fix", "pkg/fixme.py")
    assert result.exit_code == 0, result.output
    assert "tf.random_normal([7*7*64, 1024])" in fixme.read_text()
    assert run(project, "pkg/fixme.py").exit_code == 0  # the fixed file is not served stale findings


def test_findings_round_trip_through_json():
    plain = Finding("a.py", 3, 5, "TSL001", "dense-input-mismatch", "msg", end_line=3, end_column=9,
                    chain=["Nx3", "op", "Nx4"], witness_line=7,
                    fix=Fix("rewrite", "safe", [Edit(3, 5, 3, 9, "7*7*64")]))
    cell = CellFinding("nb.ipynb", 2, 1, "TSL004", "matmul-shape-mismatch", "msg", cell=3, witness_cell=2)
    encoded = encode_findings([plain, cell])
    assert json.loads(json.dumps(encoded)) == encoded
    assert decode_findings(encoded, "a.py") == [plain, CellFinding(**{**cell.__dict__, "path": "a.py"})]
    assert encode_findings([Finding("a.py", 1, 1, "TSL001", "n", "m", chain=[object()])]) is None


def test_clean_removes_the_cache(project):
    run(project, "pkg")
    result = CliRunner().invoke(main, ["clean", "--cache-dir", str(project / ".tfshapelint_cache")])
    assert result.exit_code == 0 and "Removed the cache" in result.stderr
    assert not (project / ".tfshapelint_cache").exists()


def test_clean_finds_the_configured_cache(project):
    (project / "pyproject.toml").write_text('[tool.tfshapelint]\ncache-dir = "build/lint-cache"\n')
    run(project, "pkg")
    assert (project / "build" / "lint-cache").is_dir()
    old = os.getcwd()
    os.chdir(project / "pkg")
    try:
        result = CliRunner().invoke(main, ["clean"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert not (project / "build" / "lint-cache").exists() and (project / "build").is_dir()


def test_clean_never_removes_files_it_did_not_write(project):
    (project / "mine.txt").write_text("keep me")
    run(project, "--cache-dir", ".", "pkg")
    assert (project / "CACHEDIR.TAG").is_file()
    removed = clean(project)
    assert (project / "mine.txt").read_text() == "keep me" and (project / "pkg" / "bad.py").is_file()
    assert not (project / "CACHEDIR.TAG").exists() and not (project / "v1").exists()
    assert project / "v1" in removed


def test_editing_an_imported_module_lints_its_importers_again(tmp_path, linted):
    (tmp_path / "config.py").write_text("ROWS = 4\n")
    (tmp_path / "train.py").write_text("import tensorflow as tf\nimport config\n"
                                       "y = tf.matmul(tf.zeros([2, 4]), tf.zeros([config.ROWS, 3]))\n")
    age(tmp_path / "config.py", tmp_path / "train.py")
    assert run(tmp_path, "train.py").exit_code == 0
    linted.clear()
    assert run(tmp_path, "train.py").exit_code == 0
    assert linted == []  # nothing changed: served from the cache
    (tmp_path / "config.py").write_text("ROWS = 5\n")
    age(tmp_path / "config.py", seconds=50)
    result = run(tmp_path, "train.py")
    assert linted == ["train.py"]
    assert result.exit_code == 1 and "TSL004" in result.stdout


def test_a_module_many_files_import_is_written_once(tmp_path, linted):
    (tmp_path / "config.py").write_text("ROWS = 4\n")
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text("import tensorflow as tf\nimport config\nx = tf.zeros([config.ROWS, 3])\n")
    age(*tmp_path.glob("*.py"))
    assert run(tmp_path, "a.py", "b.py", "c.py").exit_code == 0
    index = json.loads(next((tmp_path / ".tfshapelint_cache" / "v1").glob("*.json")).read_text())
    config = str(tmp_path / "config.py")
    assert [row[0] for row in index["modules"]] == [config]
    assert [index["files"][str(tmp_path / name)]["d"] for name in ("a.py", "b.py", "c.py")] == [[0], [0], [0]]
    linted.clear()
    assert run(tmp_path, "a.py", "b.py", "c.py").exit_code == 0
    assert linted == []  # the table read back: every file served from the cache


def test_concurrent_runs_merge_their_module_tables(tmp_path):
    folder = tmp_path / "cache"
    first, second = (Cache.open(folder, "tf2", tmp_path) for _ in range(2))
    for name in ("a.py", "b.py", "m.py", "n.py"):
        (tmp_path / name).write_text("x = 1\n")
    age(*tmp_path.glob("*.py"))
    sha = cache_module.digest(b"x = 1\n")
    first.store(str(tmp_path / "a.py"), "aa", None, [], deps={str(tmp_path / "m.py"): sha})
    second.store(str(tmp_path / "b.py"), "bb", None, [], deps={str(tmp_path / "n.py"): sha})
    first.save()
    second.save()  # merges with the index the first wrote, whose "d" point into its own table
    index = json.loads(next((folder / "v1").glob("*.json")).read_text())
    rows = {row[0]: i for i, row in enumerate(index["modules"])}
    assert index["files"][str(tmp_path / "a.py")]["d"] == [rows[str(tmp_path / "m.py")]]
    assert index["files"][str(tmp_path / "b.py")]["d"] == [rows[str(tmp_path / "n.py")]]
    third = Cache.open(folder, "tf2", tmp_path)
    assert third.reuse(str(tmp_path / "a.py"), "aa", None) == []
    assert third.reuse(str(tmp_path / "b.py"), "bb", None) == []
    (tmp_path / "n.py").write_text("x = 2\n")
    assert Cache.open(folder, "tf2", tmp_path).reuse(str(tmp_path / "b.py"), "bb", None) is None


def test_an_entry_pointing_outside_the_module_table_is_a_miss(tmp_path):
    folder = tmp_path / "cache"
    (tmp_path / "a.py").write_text("x = 1\n")
    first = Cache.open(folder, "tf2", tmp_path)
    first.store(str(tmp_path / "a.py"), "aa", None, [])
    first.save()
    index_path = next((folder / "v1").glob("*.json"))
    index = json.loads(index_path.read_text())
    index["files"][str(tmp_path / "a.py")]["d"] = [7]
    index_path.write_text(json.dumps(index))
    assert Cache.open(folder, "tf2", tmp_path).reuse(str(tmp_path / "a.py"), "aa", None) is None
