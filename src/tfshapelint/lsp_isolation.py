"""The language server's lints in worker processes, bounded as the command line's ``-j`` workers are.

Each lint thread of the server has its own worker process (``python -m tfshapelint.lsp_isolation``),
started on first use and kept: it has the same address-space limit as a ``-j`` worker and each
document the same ``FILE_TIMEOUT``. A document over either bound, or one that crashes the worker,
gets a TSL903 or TSL902 diagnostic and the worker is started afresh; the server itself never runs
out of memory or stops answering because of one file. Jobs and results cross a pipe as pickles
(findings are dataclasses), each preceded by its length; the worker's stdout is that pipe, its
prints go to stderr.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
from typing import Optional

from . import diagnostics
from .pool import FILE_TIMEOUT, _death, _limit_memory, worker_memory_limit

_HEADER = struct.Struct("!Q")
LINT_WORKERS = 2  # one per lint thread (lsp_workers.LINT_THREADS); their share of the memory


class LintProcess:
    """One worker process and the lints sent to it, one at a time."""

    def __init__(self, memory_limit: Optional[int] = None, timeout: float = FILE_TIMEOUT):
        self.memory_limit = memory_limit or worker_memory_limit(LINT_WORKERS)
        self.timeout = timeout
        self._process: Optional[subprocess.Popen] = None

    def lint(self, text: str, path: str, target_version, src: tuple, overlay: Optional[dict]) -> tuple:
        """``(findings, imported project modules)`` of ``text`` linted as ``path``."""
        process = self._running()
        try:
            _write(process.stdin, (text, path, target_version, tuple(src), overlay))
            result = self._read(process)
        except (OSError, EOFError, pickle.UnpicklingError):
            result = None
        if result is None:  # killed for its time, or dead (out of memory, a crash)
            self.stop()
            exitcode = self._last_exit
            if exitcode == "timeout":
                kind, message = diagnostics.BUDGET_EXCEEDED, \
                    f"analysis budget exceeded (more than {self.timeout:g} s); the file was not analysed"
            else:
                kind, message = _death(exitcode)
            return [diagnostics.diagnostic(kind, path, message)], frozenset()
        return result

    def _running(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tfshapelint.lsp_isolation", str(self.memory_limit)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, bufsize=0)
        self._last_exit: object = None
        return self._process

    def _read(self, process: subprocess.Popen):
        """The reply, or None when the worker died or ran over its time (then it is killed)."""
        done = threading.Event()
        reply: list = []

        def read() -> None:
            try:
                reply.append(_read(process.stdout))
            except (OSError, EOFError, pickle.UnpicklingError):
                pass
            done.set()

        threading.Thread(target=read, daemon=True).start()
        if not done.wait(self.timeout):
            self._last_exit = "timeout"
            process.kill()
            done.wait(5)
            return None
        if not reply:
            self._last_exit = process.wait(5)
            return None
        return reply[0]

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
        if process is not None:
            try:
                exitcode = process.wait(5)
            except subprocess.TimeoutExpired:
                exitcode = None
            if self._last_exit is None:
                self._last_exit = exitcode
            for stream in (process.stdin, process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass


def _write(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read(stream):
    header = _exactly(stream, _HEADER.size)
    return pickle.loads(_exactly(stream, _HEADER.unpack(header)[0]))


def _exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the other end closed the pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve(memory_limit: int) -> None:
    """The worker: lint each job from stdin, reply on the original stdout."""
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the replies
    jobs = os.fdopen(os.dup(0), "rb", buffering=0)
    _limit_memory(memory_limit)
    from .linter import lint_source
    from .lsp import prepare
    from .project.loader import ProjectLoader
    from .project.resolve import Resolver

    prepare()
    while True:
        try:
            text, path, target_version, src, overlay = _read(jobs)
        except EOFError:
            return
        try:
            loader = ProjectLoader(Resolver(src), target_version, overlay=overlay)
            findings = lint_source(text, path, target_version=target_version, loader=loader)
            result = (findings, frozenset(loader.summary(path).dependencies))
        except MemoryError:
            result = ([diagnostics.diagnostic(
                diagnostics.BUDGET_EXCEEDED, path,
                f"analysis budget exceeded (more than {memory_limit >> 20} MB of memory); the file was not analysed")],
                frozenset())
        except Exception as error:  # noqa: BLE001 - this document's failure, not the worker's
            result = ([diagnostics.diagnostic(
                diagnostics.INTERNAL_ERROR, path,
                f"internal error while analysing this file: {type(error).__name__}: {error} "
                "(please report it with the file)")], frozenset())
        _write(replies, result)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
