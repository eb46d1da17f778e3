"""Linting many files: the cache first, then what is left, in a pool of worker processes.

A worker gets a chunk of paths (big files alone, small ones together, so that small files do
not drown in inter-process messages), reads each file, hashes it, lints it, and sends back plain
data: the raw findings (``Finding`` and ``CellFinding`` dataclasses pickle), the content's hash and
stat for the cache. The results are put back in the order of the files, so the output does not
depend on which worker finished first. ``jobs=1``, or a single file to lint, runs in this process.

On Linux the workers are forked after the linter and its op registry are imported here, so
they start at once and share those pages with this process.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from . import diagnostics
from .cache import Cache, digest, stat_key
from .files import Source, decode_source
from .findings import Finding

MAX_CHUNK_FILES = 64
MIN_CHUNK_BYTES = 16 * 1024
MAX_CHUNK_BYTES = 512 * 1024
CHUNKS_PER_WORKER = 8  # enough chunks for the workers to finish together


@dataclass
class Outcome:
    """One file's raw findings (before rule selection), or the error that it could not be read."""

    findings: list
    selectable: bool = True  # False: a read/decode error (TSL904), reported whatever the selection


@dataclass
class Result:
    """What linting one file sends back to the parent process."""

    index: int
    findings: Optional[list]  # None: the content is the one the cache knows (``sha == expected``)
    selectable: bool = True
    sha: Optional[str] = None  # of the bytes linted; None when not hashed or not cacheable
    stat: Optional[list] = None  # cache.stat_key of the file as it was read


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def lint_sources(sources: list[Source], target_version: str, jobs: Optional[int] = None,
                 cache: Optional[Cache] = None, advance: Callable[[], None] = lambda: None) -> list[Outcome]:
    """Each source's outcome, in the order of ``sources``; the cache is read, updated and saved."""
    outcomes: list[Optional[Outcome]] = [None] * len(sources)
    tasks: list[tuple[int, str, Optional[str]]] = []  # (index, path, sha the cache knows)
    for index, source in enumerate(sources):
        if source.is_stdin:
            outcomes[index] = _lint_stdin(source, target_version)
            advance()
            continue
        expected = None
        if cache is not None:
            found, expected = cache.lookup(source.path)
            if found is not None:
                cache.hits += 1
                outcomes[index] = Outcome(found)
                advance()
                continue
        tasks.append((index, source.path, expected))
    try:
        for result in _run(tasks, target_version, jobs or default_jobs(), hashing=cache is not None):
            outcomes[result.index] = _settle(result, sources[result.index].path, target_version, cache)
            advance()
    finally:
        if cache is not None:
            cache.save()
    return outcomes  # type: ignore[return-value]


def _settle(result: Result, path: str, target_version: str, cache: Optional[Cache]) -> Outcome:
    if result.findings is None and cache is not None:
        found = cache.reuse(path, result.sha, result.stat)
        if found is not None:
            cache.hits += 1
            return Outcome(found)
        result = lint_file(result.index, path, target_version, hashing=True)
    if cache is not None:
        cache.misses += 1
        if result.sha is not None and not any(f.code == diagnostics.INTERNAL_ERROR[0] for f in result.findings):
            cache.store(path, result.sha, result.stat, result.findings)
    return Outcome(result.findings, result.selectable)


def _lint_stdin(source: Source, target_version: str) -> Outcome:
    text = source.read()
    if isinstance(text, Finding):
        return Outcome([text], selectable=False)
    return Outcome(lint_text(text, source.path, target_version))


# -- one file -----------------------------------------------------------------------------------

def lint_text(text: str, path: str, target_version: str) -> list:
    """The raw findings of a Python file's or a notebook's text."""
    from .linter import lint_source

    if path.endswith(".ipynb"):
        from .notebooks import lint_notebook

        return lint_notebook(text, path, lambda code, name: lint_source(code, name, target_version=target_version))
    return lint_source(text, path, target_version=target_version)


def lint_file(index: int, path: str, target_version: str, expected: Optional[str] = None,
              hashing: bool = False) -> Result:
    """Read, hash and lint one file; a content hashing to ``expected`` is not linted again."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as error:
        return Result(index, [diagnostics.diagnostic(diagnostics.UNREADABLE, path,
                                                     f"cannot read file: {error.strerror or error}")], False)
    sha = digest(data) if hashing or expected is not None else None
    if expected is not None and sha == expected:
        return Result(index, None, sha=sha, stat=stat_key(st))
    text = decode_source(data, path)
    if isinstance(text, Finding):
        return Result(index, [text], False)
    return Result(index, lint_text(text, path, target_version), sha=sha, stat=stat_key(st))


def _lint_chunk(chunk: list, target_version: str, hashing: bool) -> list[Result]:
    return [lint_file(index, path, target_version, expected, hashing) for index, path, expected in chunk]


# -- many files ---------------------------------------------------------------------------------

def _run(tasks: list, target_version: str, jobs: int, hashing: bool) -> Iterator[Result]:
    if jobs <= 1 or len(tasks) < 2:
        for index, path, expected in tasks:
            yield lint_file(index, path, target_version, expected, hashing)
        return
    chunks = make_chunks(tasks, jobs)
    done: set = set()
    try:
        yield from _run_pool(chunks, target_version, min(jobs, len(chunks)), hashing, done)
    except _PoolFailed:
        # A worker died (killed, out of memory): finish here what the pool did not.
        for index, path, expected in tasks:
            if index not in done:
                yield lint_file(index, path, target_version, expected, hashing)


class _PoolFailed(Exception):
    pass


def _run_pool(chunks: list, target_version: str, workers: int, hashing: bool, done: set) -> Iterator[Result]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    import gc

    context = _context()
    if context.get_start_method() == "fork":
        _prepare_fork()
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures = [executor.submit(_lint_chunk, chunk, target_version, hashing) for chunk in chunks]
        for future in as_completed(futures):
            try:
                results = future.result()
            except BrokenProcessPool:
                raise _PoolFailed from None
            for result in results:
                done.add(result.index)
                yield result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def make_chunks(tasks: list, jobs: int) -> list[list]:
    """Tasks grouped by size: the biggest files first, each alone if big enough; small files
    together up to a share of the total that leaves every worker several chunks."""
    sized = []
    for task in tasks:
        try:
            size = os.stat(task[1]).st_size
        except OSError:
            size = 0
        sized.append((size, task))
    sized.sort(key=lambda item: (-item[0], item[1][0]))
    total = sum(size for size, _ in sized)
    target = min(MAX_CHUNK_BYTES, max(MIN_CHUNK_BYTES, total // (jobs * CHUNKS_PER_WORKER) if jobs else total))
    chunks: list[list] = []
    current: list = []
    current_bytes = 0
    for size, task in sized:
        current.append(task)
        current_bytes += size
        if current_bytes >= target or len(current) >= MAX_CHUNK_FILES:
            chunks.append(current)
            current, current_bytes = [], 0
    if current:
        chunks.append(current)
    return chunks


def _context():
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _prepare_fork() -> None:
    """Import the linter and load the op registry before forking, so every worker has them."""
    import gc

    from .linter import lint_source

    lint_source("import tensorflow as tf\nx = tf.zeros([1, 2])\n", "<warm-up>")
    gc.freeze()  # the objects made so far stay shared with the workers (no refcount writes by gc)
