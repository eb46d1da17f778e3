"""Run reproducers with TensorFlow and say how each ended: a script for another Python process.

Usage: ``python harness.py [--timeout SECONDS] FILE...``. This file imports nothing of tfshapelint
(the Python that runs it needs only TensorFlow). It imports TensorFlow once, prints
``{"tensorflow": VERSION}`` (or ``{"error": ...}`` when TensorFlow cannot be imported), then runs each
file as ``__main__`` in a fresh namespace, each at most SECONDS, and prints one JSON line for each:
``{"file", "outcome": "raised" | "clean" | "timeout", "type", "mro", "message", "line"}`` (``line``: the
innermost line of the file in the traceback).
"""

from __future__ import annotations

import json
import re
import runpy
import signal
import sys
import traceback

PREFIX = "@@tfshapelint-repro@@ "


class _Timeout(BaseException):
    """Raised by the alarm: a BaseException, so that the reproducer's code does not catch it."""


def _emit(record: dict) -> None:
    sys.stdout.write(PREFIX + json.dumps(record) + "\n")
    sys.stdout.flush()


def _on_alarm(signum, frame):
    raise _Timeout()


def _plain(message: str) -> str:
    """TensorFlow's message without the kernel's wrapper: ``{{function_node ...}} Matrix size-incompatible:
    In[0]: [8,3], In[1]: [4,4] [Op:MatMul] name:`` -> ``Matrix size-incompatible: In[0]: [8,3], In[1]: [4,4]``."""
    message = re.sub(r"^\{\{function_node [^}]*\}\}\s*", "", message)
    return re.sub(r"\s*\[Op:\w+\]( name:.*)?$", "", message)


def run_one(path: str, timeout: int) -> dict:
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(timeout)
    try:
        runpy.run_path(path, run_name="__main__")
    except _Timeout:
        return {"file": path, "outcome": "timeout"}
    except BaseException as error:  # noqa: BLE001 - how the reproducer ended is the result
        cls = type(error)
        message = _plain(" ".join(str(error).split("\n\n")[0].split()))
        lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == path]
        return {"file": path, "outcome": "raised", "type": cls.__name__,
                "mro": [f"{c.__module__}.{c.__qualname__}" for c in cls.__mro__],
                "message": message[:400], "line": lines[-1] if lines else None}
    finally:
        signal.alarm(0)
    return {"file": path, "outcome": "clean"}


def main(argv: list) -> int:
    timeout = 60
    if argv[:1] == ["--timeout"]:
        timeout, argv = int(argv[1]), argv[2:]
    try:
        import tensorflow as tf
    except Exception as error:  # noqa: BLE001 - any failure to import means: no TensorFlow here
        _emit({"error": f"cannot import TensorFlow: {type(error).__name__}: {error}"})
        return 0
    _emit({"tensorflow": tf.__version__})
    for path in argv:
        _emit(run_one(path, timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
