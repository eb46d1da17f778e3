"""Helpers of the robustness suite: run the installed CLI (optionally after a prelude that patches
the linter in its own process, to simulate what the machine cannot do as root), and a timing
summary printed at the end of the run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "tfshapelint"
TIMINGS = pytest.StashKey[list]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "corpus: lints whole real-world code bases (here: the standard library) and requires no internal error",
    )
    config.stash[TIMINGS] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(TIMINGS, [])
    if lines:
        terminalreporter.section("robustness")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def timings(request):
    """Append a line here to have it printed in the terminal summary."""
    return request.config.stash[TIMINGS]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    def codes(self) -> dict[str, str]:
        """``{path: code}`` of the concise output (the last code of each path)."""
        result = {}
        for line in self.lines:
            head, _, rest = line.partition(": ")
            path = head.split(":")[0]
            result[path] = rest.split()[0] if rest else ""
        return result


def run_cli(args: list, cwd: Path, prelude: str = "", timeout: float = 120, input: str = None) -> Run:
    """``tfshapelint ARGS`` in ``cwd`` (no cache, no configuration); with a prelude, run as
    ``python -c`` so that the prelude can patch the linter first (forked workers inherit it)."""
    args = ["--isolated", "--no-cache", *map(str, args)]
    if prelude:
        code = textwrap.dedent(prelude) + "\nimport sys\nfrom tfshapelint.cli import main\nsys.argv = ['tfshapelint', *sys.argv[1:]]\nmain()\n"
        command = [sys.executable, "-c", code, *args]
    else:
        command = [str(EXE), *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFSHAPELINT_")}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, input=input, env=env)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli():
    return run_cli
