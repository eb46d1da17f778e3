"""The whole CPython standard library, analysed as if it were TensorFlow code (the prefilter is
switched off): never an internal error (TSL902), never an exception out of lint_source, no file
over the time limit. About 3 minutes on two cores, hence the ``corpus`` marker; the summary
("robustness" section) gives the times and the TSL9xx counts.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sysconfig
import time
import traceback

import pytest

FILE_LIMIT = 60.0  # seconds for one file (the slowest takes ~5 s)


def _lint(path: str):
    import tfshapelint.linter as linter
    from tfshapelint.files import read_source

    linter.PREFILTER = re.compile(b"")
    start = time.perf_counter()
    text = read_source(path)
    try:
        findings = [text] if not isinstance(text, str) else linter.lint_source(text, path)
        outcome = [(f.code, f.line, f.message) for f in findings if f.code.startswith("TSL9")]
    except BaseException:  # noqa: BLE001 - reported by the test
        outcome = [("raised", 0, traceback.format_exc())]
    return path, time.perf_counter() - start, outcome


def stdlib_files() -> list[str]:
    root = sysconfig.get_paths()["stdlib"]
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in ("site-packages", "dist-packages", "__pycache__"))
        files.extend(os.path.join(folder, name) for name in sorted(names) if name.endswith(".py"))
    return files


@pytest.mark.corpus
def test_standard_library_never_crashes_the_linter(timings):
    files = stdlib_files()
    assert len(files) > 500, sysconfig.get_paths()["stdlib"]
    workers = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2))
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    start = time.perf_counter()
    results = []
    with context.Pool(workers, maxtasksperchild=200) as pool:
        pending = pool.imap_unordered(_lint, files)  # chunksize 1: next() takes a timeout
        for _ in files:
            results.append(pending.next(timeout=FILE_LIMIT * 4))
    wall = time.perf_counter() - start
    counts: dict = {}
    for _, _, outcome in results:
        for code, _, _ in outcome:
            counts[code] = counts.get(code, 0) + 1
    slowest = sorted(results, key=lambda r: -r[1])[:5]
    root = sysconfig.get_paths()["stdlib"]
    timings.append(f"standard library: {len(files)} files in {wall:.0f} s with {workers} workers "
                   f"({sum(r[1] for r in results):.0f} s of linting); "
                   + ", ".join(f"{code} {n}" for code, n in sorted(counts.items())))
    timings.append("  slowest: " + ", ".join(f"{os.path.relpath(p, root)} {s:.1f} s" for p, s, _ in slowest))
    problems = [f"{path}: {code} {message}" for path, _, outcome in results for code, _, message in outcome
                if code in ("TSL902", "raised")]
    problems += [f"{path}: {seconds:.0f} s" for path, seconds, _ in results if seconds > FILE_LIMIT]
    assert not problems, "\n".join(problems[:20])
