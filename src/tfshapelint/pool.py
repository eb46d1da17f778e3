"""Linting many files: the cache first, then what is left, in a pool of worker processes.

A worker gets a chunk of paths (big files alone, small ones together, so that small files do
not drown in inter-process messages), reads each file, hashes it, lints it, and sends back plain
data: the raw findings (``Finding`` and ``CellFinding`` dataclasses pickle), the content's hash and
stat for the cache. The results are put back in the order of the files, so the output does not
depend on which worker finished first. ``jobs=1``, or a single file to lint, runs in this process.

On Linux the workers are forked after the linter and its op registry are imported here, so
they start at once and share those pages with this process.

Each file in a worker is bounded: the interpreter counts its steps (TSL903), linter.py does not
parse a file over ``MAX_SOURCE_BYTES``, and, as a last line of defence against pathological inputs
(and the linter's own bugs), a worker has an address-space limit and ``FILE_TIMEOUT`` seconds per
file: a file over them gets
TSL903, a worker that crashes on a file TSL902 for that file, and the run goes on with a new
worker. In this process (``-j 1``, or one file to lint) only the first two bounds hold.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Union

from . import diagnostics
from .domain.tf_versions import Versions
from .cache import Cache, digest, stat_key
from .files import Source, decode_source, read_file
from .findings import Finding
from .frozen_trees import files_in_a_row

MAX_CHUNK_FILES = 64
MIN_CHUNK_BYTES = 16 * 1024
MAX_CHUNK_BYTES = 512 * 1024
CHUNKS_PER_WORKER = 8  # enough chunks for the workers to finish together
FILE_TIMEOUT = 120.0  # seconds a worker may spend on one file (the step budget usually stops it far sooner)
MIN_WORKER_MEMORY = 1 << 30
MAX_WORKER_MEMORY = 4 << 30


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
    deps: Optional[dict] = None  # the project modules the file imports, transitively: {path: sha256}


@dataclass(frozen=True)
class Setup:
    """What the analysis of every file needs: the TensorFlow version the code targets, and the
    configured source folders where the project's modules are looked for (``src``)."""

    target_version: Union[str, Versions] = "tf2"  # a generation, or the releases (target_version.Target.analysed)
    src: tuple = ()

    @staticmethod
    def of(value: Union[str, "Setup"]) -> "Setup":
        return value if isinstance(value, Setup) else Setup(value)


_LOADERS: dict = {}

# What the project modules a process has run may hold, counted in bytes of their source (memory is
# about 30 times that): past it, the loader starts afresh and the modules run again when used. The
# findings are the same either way; this bounds the memory of each worker (the speed target's 300 MB
# for the whole tree) at the price of running some modules twice.
LOADER_BUDGET = 2_500_000


def project_loader(setup: Setup):
    """The process's loader of project modules: each module is read and run once per process (or
    once more after the loader outgrew LOADER_BUDGET)."""
    loader = _LOADERS.get(setup)
    if loader is None:
        from .project.loader import ProjectLoader
        from .project.resolve import Resolver

        loader = _LOADERS[setup] = ProjectLoader(Resolver(setup.src), setup.target_version)
    return loader


def loader_for_next_file(setup: Setup):
    """The loader, before a file is linted: started afresh past LOADER_BUDGET. (The modules it ran
    are frozen out of the collector's scans with the next file's tree: ``frozen_trees``.)"""
    loader = _LOADERS.get(setup)
    if loader is not None and loader.source_bytes > LOADER_BUDGET:
        forget_loaders()
    return project_loader(setup)


def forget_loaders() -> None:
    _LOADERS.clear()
    gc.unfreeze()  # what the forgotten modules hold can be collected


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def lint_sources(sources: list[Source], setup: Union[str, Setup], jobs: Optional[int] = None,
                 cache: Optional[Cache] = None, advance: Callable[[], None] = lambda: None) -> list[Outcome]:
    """Each source's outcome, in the order of ``sources``; the cache is read, updated and saved."""
    setup = Setup.of(setup)
    forget_loaders()  # modules are read once per run: a previous run in this process may have read older ones
    outcomes: list[Optional[Outcome]] = [None] * len(sources)
    tasks: list[tuple[int, str, Optional[str]]] = []  # (index, path, sha the cache knows)
    for index, source in enumerate(sources):
        if source.is_stdin:
            outcomes[index] = _lint_stdin(source, setup)
            advance()
            continue
        expected = None
        if cache is not None:
            found, expected = cache.lookup(source.path, source.stat)
            if found is not None:
                cache.hits += 1
                outcomes[index] = Outcome(found)
                advance()
                continue
        tasks.append((index, source.path, expected))
    try:
        for result in _run(tasks, setup, jobs or default_jobs(), hashing=cache is not None):
            outcomes[result.index] = _settle(result, sources[result.index].path, setup, cache)
            advance()
    finally:
        if cache is not None:
            cache.save()
    return outcomes  # type: ignore[return-value]


def _settle(result: Result, path: str, setup: Setup, cache: Optional[Cache]) -> Outcome:
    if result.findings is None and cache is not None:
        found = cache.reuse(path, result.sha, result.stat)
        if found is not None:
            cache.hits += 1
            return Outcome(found)
        result = lint_file(result.index, path, setup, hashing=True)
    if cache is not None:
        cache.misses += 1
        if result.sha is not None and not any(f.code == diagnostics.INTERNAL_ERROR[0] for f in result.findings):
            cache.store(path, result.sha, result.stat, result.findings, result.deps)
    return Outcome(result.findings, result.selectable)


def _lint_stdin(source: Source, setup: Setup) -> Outcome:
    text = source.read()
    if isinstance(text, Finding):
        return Outcome([text], selectable=False)
    return Outcome(lint_text(text, source.path, setup))


# -- one file -----------------------------------------------------------------------------------

def lint_text(text: str, path: str, setup: Setup) -> list:
    """The raw findings of a Python file's or a notebook's text."""
    from .linter import lint_source

    try:
        setup = Setup.of(setup)
        loader = project_loader(setup)
        if path.endswith(".ipynb"):
            from .notebooks import lint_notebook

            return lint_notebook(text, path, lambda code, name: lint_source(code, name, setup.target_version, loader))
        return lint_source(text, path, setup.target_version, loader)
    except Exception as error:  # noqa: BLE001 - this file's internal error, also with -j 1, on stdin, in --fix
        from .linter import internal_error

        return [internal_error(path, error)]


def lint_file(index: int, path: str, setup: Setup, expected: Optional[str] = None,
              hashing: bool = False) -> Result:
    """Read, hash and lint one file; a content hashing to ``expected`` is not linted again."""
    try:
        data, st = read_file(path)  # a FIFO, socket or device is refused, not read (it would block)
    except OSError as error:
        return Result(index, [diagnostics.diagnostic(diagnostics.UNREADABLE, path,
                                                     f"cannot read file: {error.strerror or error}")], False)
    sha = digest(data) if hashing or expected is not None else None
    if expected is not None and sha == expected:
        return Result(index, None, sha=sha, stat=stat_key(st))
    text = decode_source(data, path)
    if isinstance(text, Finding):
        return Result(index, [text], False)
    loader = loader_for_next_file(Setup.of(setup))
    findings = lint_text(text, path, setup)
    return Result(index, findings, sha=sha, stat=stat_key(st), deps=loader.summary(path).dependencies)


def _lint_chunk(chunk: list, setup: Setup, hashing: bool) -> list[Result]:
    return [lint_file(index, path, setup, expected, hashing) for index, path, expected in chunk]


# -- many files ---------------------------------------------------------------------------------

def _run(tasks: list, setup: Setup, jobs: int, hashing: bool) -> Iterator[Result]:
    if jobs <= 1 or len(tasks) < 2:
        with files_in_a_row():
            for index, path, expected in tasks:
                yield lint_file(index, path, setup, expected, hashing)
        return
    chunks = make_chunks(tasks, jobs)
    yield from _run_pool(chunks, setup, min(jobs, len(chunks)), hashing)


class _Worker:
    """A worker process, the chunk it was given, and which file of it it is on since when."""

    def __init__(self, context, setup: Setup, hashing: bool, memory_limit: int):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, setup, hashing, memory_limit),
                                       daemon=True)
        self.process.start()
        child.close()
        self.chunk: Optional[list] = None
        self.position = 0
        self.since = 0.0

    def give(self, chunk: Optional[list]) -> None:
        self.chunk, self.position, self.since = chunk, 0, time.monotonic()
        self.conn.send(chunk)

    def current(self) -> tuple:
        return self.chunk[self.position]

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _run_pool(chunks: list, setup: Setup, workers: int, hashing: bool) -> Iterator[Result]:
    """Lint the chunks in ``workers`` processes; a file whose worker dies (a crash of the parser,
    the out-of-memory killer) or that takes longer than FILE_TIMEOUT gets a diagnostic, and the
    rest of its chunk goes to a new worker."""
    import gc
    from multiprocessing.connection import wait

    context = _context()
    if context.get_start_method() == "fork":
        _prepare_fork()
    queue = deque(chunks)
    memory_limit = worker_memory_limit(workers)

    def start() -> _Worker:
        worker = _Worker(context, setup, hashing, memory_limit)
        worker.give(queue.popleft() if queue else None)
        return worker

    pool = [start() for _ in range(workers)]
    try:
        while True:
            busy = [worker for worker in pool if worker.chunk is not None]
            if not busy:
                break
            timeout = max(0.0, min(worker.since for worker in busy) + FILE_TIMEOUT - time.monotonic())
            ready = wait([worker.conn for worker in busy], timeout=timeout)
            for worker in busy:
                failure = None
                if worker.conn in ready:
                    try:
                        result = worker.conn.recv()
                    except (EOFError, OSError):
                        worker.process.join(timeout=5)
                        failure = _death(worker.process.exitcode)
                    else:
                        yield result
                        worker.position += 1
                        worker.since = time.monotonic()
                        if worker.position == len(worker.chunk):
                            worker.give(queue.popleft() if queue else None)
                        continue
                elif time.monotonic() - worker.since > FILE_TIMEOUT:
                    failure = (diagnostics.BUDGET_EXCEEDED,
                               f"analysis budget exceeded (more than {FILE_TIMEOUT:g} s); the file was not analysed")
                if failure is None:
                    continue
                index, path, _ = worker.current()
                yield Result(index, [diagnostics.diagnostic(failure[0], path, failure[1])])
                rest = worker.chunk[worker.position + 1:]
                if rest:
                    queue.appendleft(rest)
                worker.stop()
                pool[pool.index(worker)] = start()
    finally:
        for worker in pool:
            if worker.chunk is None and worker.process.is_alive():
                worker.process.join(timeout=1)
            worker.stop()
        gc.unfreeze()


def _death(exitcode: Optional[int]) -> tuple:
    """The diagnostic for a file whose worker died: killed (out of memory) is a budget, a crash an
    internal error."""
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            return (diagnostics.BUDGET_EXCEEDED,
                    "analysis budget exceeded (the worker process was killed, probably out of memory); "
                    "the file was not analysed")
        return (diagnostics.INTERNAL_ERROR,
                f"internal error while analysing this file: the worker process crashed ({name}) "
                "(please report it with the file)")
    return (diagnostics.INTERNAL_ERROR,
            f"internal error while analysing this file: the worker process exited ({exitcode}) "
            "(please report it with the file)")


def _worker_main(conn, setup: Setup, hashing: bool, memory_limit: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    _limit_memory(memory_limit)
    with files_in_a_row():
        _serve(conn, setup, hashing, memory_limit)


def _serve(conn, setup: Setup, hashing: bool, memory_limit: int) -> None:
    """Lint the chunks the parent sends, one result per file, until it sends None."""
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if chunk is None:
            return
        for index, path, expected in chunk:
            try:
                result = lint_file(index, path, setup, expected, hashing)
            except MemoryError:
                result = Result(index, [diagnostics.diagnostic(
                    diagnostics.BUDGET_EXCEEDED, path,
                    f"analysis budget exceeded (more than {memory_limit >> 20} MB of memory); "
                    "the file was not analysed")])
            except Exception as error:  # noqa: BLE001 - one file's crash must not stop the others
                result = Result(index, [diagnostics.diagnostic(
                    diagnostics.INTERNAL_ERROR, path,
                    f"internal error while analysing this file: {type(error).__name__}: {error} "
                    "(please report it with the file)")])
            try:
                conn.send(result)
            except (OSError, KeyboardInterrupt):
                return


def worker_memory_limit(workers: int) -> int:
    """A worker's address-space limit: a share of the physical memory, between 1 and 4 GiB."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        physical = 8 << 30
    return max(MIN_WORKER_MEMORY, min(MAX_WORKER_MEMORY, physical // max(1, workers)))


def _limit_memory(limit: int) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the timeout still bounds a file


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
