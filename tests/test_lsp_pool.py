"""The language server's analysis threads: the most urgent job first, jobs side by side."""

import threading

from tfshapelint.lsp_workers import AnalysisPool


def test_the_most_urgent_job_runs_first_then_in_order():
    pool = AnalysisPool("test", threads=1)
    gate = threading.Event()
    ran = []
    try:
        blocker = pool.submit(gate.wait)
        futures = [pool.submit_ranked((1,), ran.append, "later 1"), pool.submit_ranked((1,), ran.append, "later 2"),
                   pool.submit_ranked((0,), ran.append, "focused")]
        gate.set()
        for future in [blocker, *futures]:
            future.result(timeout=10)
        assert ran == ["focused", "later 1", "later 2"]
    finally:
        pool.shutdown()


def test_two_threads_run_a_short_job_beside_a_long_one():
    pool = AnalysisPool("test", threads=2)
    release = threading.Event()
    try:
        long = pool.submit(release.wait, 30)
        assert pool.submit(lambda: "short").result(timeout=10) == "short"
        assert not long.done()
        release.set()
        assert long.result(timeout=10) is True
    finally:
        pool.shutdown()


def test_failures_reach_the_caller_and_shutdown_cancels_what_waits():
    pool = AnalysisPool("test", threads=1)
    assert isinstance(pool.submit(lambda: 1 / 0).exception(timeout=10), ZeroDivisionError)
    gate, started = threading.Event(), threading.Event()
    running = pool.submit(lambda: started.set() or gate.wait())
    waiting = pool.submit(lambda: "never")
    assert started.wait(timeout=10)
    pool.shutdown(wait=False)
    gate.set()
    assert running.result(timeout=10) is True and waiting.cancelled()
