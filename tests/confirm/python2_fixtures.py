"""Fixtures written in Python 2: marked by a first line ``# python2``, run as their Python 3 translation.

TensorFlow (and this suite) runs on Python 3 only, so a Python 2 fixture cannot run as it is. The
linter's own translation (``tfshapelint.python2``: same lines, Python 2 syntax rewritten) is what
runs, compiled under the fixture's path, so tracebacks and ``# tf-error`` lines name the fixture's
lines. Python 2's renamed builtins (``xrange``, ``unicode``...) are bound in its globals; what the
translation cannot give back is Python 2's ``/`` of two ints, so a Python 2 fixture uses ``//``.
"""

from __future__ import annotations

import builtins
import functools
import re
import sys
from pathlib import Path

# The linter of this checkout, whatever else is installed: the fixture runs its translation.
SRC = str(Path(__file__).resolve().parents[2] / "src")
if SRC not in sys.path:
    sys.path.insert(0, SRC)

MARKER = re.compile(r"#\s*python2\b")

PYTHON2_BUILTINS = {
    "xrange": range, "unicode": str, "basestring": str, "long": int, "unichr": chr,
    "raw_input": builtins.input, "reduce": functools.reduce,
}


def is_python2(path) -> bool:
    """Whether the fixture's first line is the ``# python2`` marker."""
    with open(path, encoding="utf-8") as handle:
        return bool(MARKER.match(handle.readline()))


def python3_text(path) -> str:
    """The Python 3 translation of a Python 2 fixture, line for line."""
    from tfshapelint.python2 import translate

    translation = translate(Path(path).read_text(encoding="utf-8"))
    if translation is None:
        raise ValueError(f"{path} is marked `# python2` but has no Python 2 syntax the linter translates")
    return translation.text


def runnable_text(path) -> str:
    """What runs for a fixture: its translation if it is marked ``# python2``, else its own text."""
    return python3_text(path) if is_python2(path) else Path(path).read_text(encoding="utf-8")


def run_python2(path: str) -> None:
    """Run a Python 2 fixture's translation as ``python FIXTURE`` would run a script."""
    code = compile(python3_text(path), path, "exec", dont_inherit=True)
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": builtins, **PYTHON2_BUILTINS}
    exec(code, namespace)  # noqa: S102 - running the fixture is the point
