"""The worker pool: the same findings, in the same order, as linting in this process."""

from __future__ import annotations

import faulthandler
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tfshapelint import pool
from tfshapelint.files import Source
from tfshapelint.findings import Edit, Finding, Fix
from tfshapelint.notebooks import CellFinding

ROOT = Path(__file__).resolve().parent.parent
EXE = shutil.which("tfshapelint", path=str(Path(sys.executable).parent)) or "tfshapelint"
BAD = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([{n}, 4]))\n"


@pytest.fixture
def project(tmp_path):
    """A few dozen files: bugs, clean files, files without TensorFlow, a notebook, a file that does
    not parse, one that does not decode, and the seed example (which has a fixable finding)."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for i in range(40):
        (pkg / f"m{i:02d}.py").write_text(BAD.format(n=3 if i % 3 else 4) + "z = 1\n" * (i * 7))
    for i in range(10):
        (pkg / f"plain{i}.py").write_text("print('hello')\n" * (i + 1))
    (pkg / "broken.py").write_text("import tensorflow as tf\ndef f(:\n")
    (pkg / "latin.py").write_bytes(b"import tensorflow as tf\nx = '\xe9'\n")
    (pkg / "nb.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": "import tensorflow as tf\nx = tf.zeros([2, 3])", "metadata": {}},
        {"cell_type": "code", "source": "y = tf.matmul(x, tf.zeros([4, 4]))", "metadata": {}}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    shutil.copy(ROOT / "examples" / "mnist_convnet.py", pkg / "seed.py")
    return tmp_path


def tfshapelint(*args, cwd):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_pool_and_in_process_agree(project):
    serial = tfshapelint("--no-cache", "-j", "1", "--output-format", "json", "pkg", cwd=project)
    parallel = tfshapelint("--no-cache", "-j", "3", "--output-format", "json", "pkg", cwd=project)
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout
    codes = {(Path(item["filename"]).name, item["code"]) for item in json.loads(serial.stdout)}
    assert {("m00.py", "TSL004"), ("nb.ipynb", "TSL004"), ("broken.py", "TSL901"), ("latin.py", "TSL904"),
            ("seed.py", "TSL001")} <= codes
    assert not any(name.startswith("plain") for name, _ in codes)


def test_output_is_in_file_order(project):
    result = tfshapelint("--no-cache", "-j", "2", "pkg", cwd=project)
    paths = [line.split(":")[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert paths == sorted(paths)  # discovery order: sorted names, whichever worker finished first
    assert paths.index("pkg/m00.py") < paths.index("pkg/m03.py") < paths.index("pkg/seed.py")


def test_fix_and_diff_with_workers(project):
    diff = tfshapelint("--no-cache", "-j", "2", "--diff", "pkg", cwd=project)
    assert "+    'wd1': tf.Variable(tf.random_normal([7*7*64, 1024]))," in diff.stdout
    assert diff.returncode == 1
    fixed = tfshapelint("-j", "2", "--fix", "--exit-zero", "pkg", cwd=project)
    assert "Fixed 1 finding" in fixed.stderr, fixed.stderr
    assert "tf.random_normal([7*7*64, 1024])" in (project / "pkg" / "seed.py").read_text()
    again = tfshapelint("-j", "2", "pkg", cwd=project)
    assert "seed.py" not in again.stdout and "m00.py" in again.stdout


def test_findings_pickle():
    finding = Finding("a.py", 3, 5, "TSL001", "dense-input-mismatch", "msg", end_line=3, end_column=9,
                      chain=["Nx3"], witness_line=2, fix=Fix("rewrite", "safe", [Edit(3, 5, 3, 9, "7*7*64")]))
    cell = CellFinding("nb.ipynb", 2, 1, "TSL004", "matmul-shape-mismatch", "msg", cell=3, witness_cell=2)
    result = pool.Result(0, [finding, cell], sha="ab", stat=[1, 2, 3, 4])
    assert pickle.loads(pickle.dumps(result)) == result


def test_chunks_cover_every_file_once_big_files_alone(tmp_path):
    tasks = []
    for i, size in enumerate([900_000, 5, 10, 200_000, 3] + [100] * 300):
        path = tmp_path / f"f{i}.py"
        path.write_bytes(b"x" * size)
        tasks.append((i, str(path), None))
    chunks = pool.make_chunks(tasks, jobs=2)
    flat = [task for chunk in chunks for task in chunk]
    assert sorted(flat) == sorted(tasks)
    assert chunks[0] == [tasks[0]] and chunks[1] == [tasks[3]]  # the biggest first, each alone
    assert all(len(chunk) <= pool.MAX_CHUNK_FILES for chunk in chunks)
    assert len(chunks) < len(tasks) / 4  # small files travel together


@pytest.fixture
def in_workers(monkeypatch):
    """Make ``lint_file`` misbehave, in the worker processes only, on the files ``trouble`` names."""
    parent = os.getpid()
    real = pool.lint_file
    trouble: dict = {}

    def misbehaving(index, path, *args, **kwargs):
        action = trouble.get(os.path.basename(path))
        if os.getpid() != parent and action is not None:
            action()
        return real(index, path, *args, **kwargs)

    monkeypatch.setattr(pool, "lint_file", misbehaving)
    monkeypatch.setattr(pool, "_context", lambda: __import__("multiprocessing").get_context("fork"))
    return trouble


def codes(outcomes):
    return [[f.code for f in o.findings] for o in outcomes]


def test_a_crashing_worker_costs_one_file(project, in_workers):
    def segfault():
        faulthandler.disable()  # pytest's would print the stack
        os.kill(os.getpid(), signal.SIGSEGV)  # as libcst's parser does on very deep nesting

    in_workers["m05.py"] = segfault
    in_workers["m07.py"] = lambda: os._exit(3)
    sources = [Source(str(p)) for p in sorted((project / "pkg").glob("m*.py"))]
    outcomes = pool.lint_sources(sources, "tf2", jobs=2)
    expected = [["TSL004"] if i % 3 == 0 else [] for i in range(40)]
    expected[5] = expected[7] = ["TSL902"]
    assert codes(outcomes) == expected
    assert "crashed (SIGSEGV)" in outcomes[5].findings[0].message
    assert "exited (3)" in outcomes[7].findings[0].message


def test_a_file_over_the_time_limit_gets_tsl903(project, in_workers, monkeypatch):
    monkeypatch.setattr(pool, "FILE_TIMEOUT", 1.0)
    in_workers["m02.py"] = lambda: time.sleep(60)
    sources = [Source(str(p)) for p in sorted((project / "pkg").glob("m0*.py"))]
    started = time.monotonic()
    outcomes = pool.lint_sources(sources, "tf2", jobs=2)
    assert time.monotonic() - started < 30
    assert codes(outcomes)[2] == ["TSL903"] and "more than 1 s" in outcomes[2].findings[0].message
    assert codes(outcomes)[3] == ["TSL004"] and codes(outcomes)[9] == ["TSL004"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc")
def test_out_of_memory_in_a_worker_gets_tsl903(project, in_workers, monkeypatch):
    with open("/proc/self/status") as status:  # the limit is on the address space: ours plus 256 MiB
        size = next(int(line.split()[1]) << 10 for line in status if line.startswith("VmSize:"))
    monkeypatch.setattr(pool, "worker_memory_limit", lambda workers: size + (256 << 20))

    def allocate():
        hog = [bytearray(1 << 20) for _ in range(1 << 12)]  # 4 GiB: over the limit
        print(len(hog))

    in_workers["m04.py"] = allocate
    sources = [Source(str(p)) for p in sorted((project / "pkg").glob("m0*.py"))]
    outcomes = pool.lint_sources(sources, "tf2", jobs=2)
    assert codes(outcomes)[4] == ["TSL903"] and "memory" in outcomes[4].findings[0].message
    assert codes(outcomes)[6] == ["TSL004"]


def test_single_file_and_one_job_stay_in_process(project, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(pool, "_run_pool", no_pool)
    files = [Source(str(p)) for p in sorted((project / "pkg").glob("m0*.py"))]
    assert len(pool.lint_sources(files[:1], "tf2", jobs=4)) == 1
    assert len(pool.lint_sources(files, "tf2", jobs=1)) == len(files)


def test_a_file_over_the_size_limit_is_not_parsed():
    from tfshapelint.linter import MAX_SOURCE_BYTES, lint_source

    source = "import tensorflow as tf\n" + "x = tf.zeros([2, 3])\n" * (MAX_SOURCE_BYTES // 20)
    started = time.monotonic()
    findings = lint_source(source, "big.py")
    assert time.monotonic() - started < 1
    assert [f.code for f in findings] == ["TSL903"] and "more than 512 KB" in findings[0].message
    assert lint_source("# tfshapelint: noqa: TSL903\n" + source, "big.py") == []
