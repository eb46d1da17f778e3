"""Lint every file of a corpus in a process pool, and report findings and timing.

Used by ``test_corpora.py``; also a script for investigating a corpus by hand::

    python tests/corpora/lint_corpus.py [CORPUS ...] [--workers 2] [--traceback]

prints every finding (``path:line:col: CODE message``), a TSL902 internal error's traceback with
``--traceback``, and per-corpus file/line counts and timing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import download  # noqa: E402  (a sibling file, not a package)

from tfshapelint.files import read_source  # noqa: E402
from tfshapelint.findings import Finding  # noqa: E402
from tfshapelint.linter import lint_source  # noqa: E402

INTERNAL_ERROR = "TSL902"


@dataclass
class FileResult:
    path: str
    lines: int
    seconds: float
    findings: list[Finding]
    crash: str | None = None  # a traceback when lint_source itself raised


@dataclass
class CorpusResult:
    name: str
    files: int = 0
    lines: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0  # summed per-file lint time
    findings: list[Finding] = field(default_factory=list)
    crashes: list[tuple[str, str]] = field(default_factory=list)  # (path, traceback)
    slowest: list[tuple[float, str]] = field(default_factory=list)

    def bugs(self) -> list[Finding]:
        """Findings of the rules proper: TSL001..TSL899."""
        return [f for f in self.findings if is_rule_code(f.code)]

    def internal_errors(self) -> list[Finding]:
        return [f for f in self.findings if f.code == INTERNAL_ERROR]

    def summary(self) -> str:
        return (f"{self.name}: {self.files} files, {self.lines} lines, lint {self.wall_seconds:.1f}s wall "
                f"({self.cpu_seconds:.1f}s summed), {len(self.bugs())} findings TSL001-899, "
                f"{len(self.internal_errors())} TSL902, {len(self.crashes)} crashes, "
                f"other diagnostics: {_other_codes(self.findings)}")


def is_rule_code(code: str) -> bool:
    return code.startswith("TSL") and code[3:].isdigit() and 1 <= int(code[3:]) <= 899


def _other_codes(findings: list[Finding]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        if not is_rule_code(finding.code) and finding.code != INTERNAL_ERROR:
            counts[finding.code] = counts.get(finding.code, 0) + 1
    return ", ".join(f"{code} x{n}" for code, n in sorted(counts.items())) or "none"


_LOADER = []


def _loader():
    """One loader of project modules per process, as the command line's workers have."""
    if not _LOADER:
        from tfshapelint.project.loader import ProjectLoader

        _LOADER.append(ProjectLoader())
    return _LOADER[0]


def lint_file(path: str) -> FileResult:
    """One file's findings; never raises (a crash of lint_source itself is returned as ``crash``)."""
    start = time.perf_counter()
    text = read_source(path)
    if isinstance(text, Finding):
        return FileResult(path, 0, time.perf_counter() - start, [text])
    try:
        findings = lint_source(text, path, loader=_loader())  # as the command line runs: imports followed
        crash = None
    except BaseException:  # noqa: BLE001 - lint_source must never raise; report it
        findings, crash = [], traceback.format_exc()
    return FileResult(path, len(text.splitlines()), time.perf_counter() - start, findings, crash)


def lint_corpus(name: str, files: list[Path], workers: int = 2) -> CorpusResult:
    result = CorpusResult(name)
    paths = [str(path) for path in files]
    start = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            per_file = list(pool.map(lint_file, paths, chunksize=4))
    else:
        per_file = [lint_file(path) for path in paths]
    result.wall_seconds = time.perf_counter() - start
    for item in per_file:
        result.files += 1
        result.lines += item.lines
        result.cpu_seconds += item.seconds
        result.findings.extend(item.findings)
        if item.crash is not None:
            result.crashes.append((item.path, item.crash))
    result.slowest = sorted(((item.seconds, item.path) for item in per_file), reverse=True)[:5]
    return result


def internal_error_traceback(path: str) -> str:
    """Re-run the interpreter on ``path`` without the linter's catch-all, returning the traceback."""
    import ast

    from tfshapelint.analysis.interpreter import Interpreter

    text = read_source(path)
    if isinstance(text, Finding):
        return text.message
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 6000))
    try:
        Interpreter(ast.parse(text), source=text).run()
    except Exception:  # noqa: BLE001
        return traceback.format_exc()
    finally:
        sys.setrecursionlimit(old_limit)
    return "(no exception on re-run)"


def format_finding(finding: Finding) -> str:
    text = f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"
    if getattr(finding, "chain", None):
        text += "\n    chain: " + " -> ".join(finding.chain)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", default=list(download.CORPORA))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--traceback", action="store_true", help="show tracebacks of TSL902 internal errors")
    parser.add_argument("--all", action="store_true", help="also print TSL9xx diagnostics other than TSL902")
    args = parser.parse_args(argv)
    failed = False
    summaries = []
    for name in args.corpora:
        files = download.corpus_files(name)
        result = lint_corpus(name, files, args.workers)
        for finding in result.findings:
            if is_rule_code(finding.code) or finding.code == INTERNAL_ERROR or args.all:
                print(format_finding(finding))
            if finding.code == INTERNAL_ERROR and args.traceback:
                print(internal_error_traceback(finding.path))
        for path, text in result.crashes:
            print(f"{path}: lint_source raised\n{text}")
        failed |= bool(result.bugs() or result.internal_errors() or result.crashes)
        summaries.append(result.summary())
        summaries.extend(f"    slow: {seconds:.1f}s {path}" for seconds, path in result.slowest)
    print("\n".join(summaries))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
