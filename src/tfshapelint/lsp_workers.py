"""The language server's analysis threads: a few daemon threads that take the most urgent job first.

Jobs carry a priority (lower runs first; the server ranks the focused document's newest version
first); equal priorities run in the order they came. With two threads a small document's analysis
runs beside a large one's instead of after it (the GIL interleaves them), so one large file never
holds back another's diagnostics. The threads are daemons with a large stack (deep recursion in a
thread needs it), so an analysis in progress never holds up the server's exit.
"""

from __future__ import annotations

import concurrent.futures
import heapq
import itertools
import threading
from typing import Any, Callable

WORKER_STACK_SIZE = 64 * 1024 * 1024
LINT_THREADS = 2


class AnalysisPool(concurrent.futures.Executor):
    """``threads`` daemon threads serving a priority queue of jobs."""

    def __init__(self, name: str, threads: int = 1, stack_size: int = WORKER_STACK_SIZE):
        self._name = name
        self._size = threads
        self._stack_size = stack_size
        self._jobs: list = []  # heap of (priority, sequence, future, fn, args, kwargs)
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._closed = False

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> concurrent.futures.Future:
        return self.submit_ranked((1,), fn, *args, **kwargs)

    def submit_ranked(self, priority: tuple, fn: Callable, /, *args: Any, **kwargs: Any) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the analysis threads are shut down")
            heapq.heappush(self._jobs, (priority, next(self._order), future, fn, args, kwargs))
            if len(self._threads) < self._size:
                self._threads.append(self._start(len(self._threads)))
            self._ready.notify()
        return future

    def _start(self, number: int) -> threading.Thread:
        previous = threading.stack_size()
        try:
            threading.stack_size(self._stack_size)
        except (ValueError, RuntimeError):  # pragma: no cover - a platform without the setting
            previous = None
        try:
            thread = threading.Thread(target=self._work, name=f"{self._name}-{number}", daemon=True)
            thread.start()
        finally:
            if previous is not None:
                threading.stack_size(previous)
        return thread

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._jobs and not self._closed:
                    self._ready.wait()
                if self._closed:
                    return
                _, _, future, fn, args, kwargs = heapq.heappop(self._jobs)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - handed to the awaiting handler
                future.set_exception(error)
            else:
                future.set_result(result)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._ready:
            self._closed = True
            pending, self._jobs = self._jobs, []
            self._ready.notify_all()
            threads = list(self._threads)
        for job in pending:
            job[2].cancel()
        if wait:
            for thread in threads:
                if thread is not threading.current_thread():
                    thread.join()
