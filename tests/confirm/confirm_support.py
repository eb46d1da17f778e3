"""Shared by the confirmation suite: fixture markers, running a fixture in TensorFlow, the verdict."""

from __future__ import annotations

import json
import os
import queue
import re
import select
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from python2_fixtures import runnable_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = ROOT / "fixtures"
PROJECTS_DIR = FIXTURES_DIR / "projects"  # each folder one project fixture, run as `python main.py`
RUNNER = Path(__file__).resolve().parent / "runner.py"
RESULT_PREFIX = "@@tfshapelint-confirm@@ "
TIMEOUT = 120
WORKERS = max(1, min(2, os.cpu_count() or 1))

# The errors TensorFlow raises for a shape or argument mistake: ValueError when a graph (or a Keras
# layer) is built and shape inference fails, InvalidArgumentError (and its subclasses) when an
# op runs. Anything else (NameError, TypeError, ResourceExhausted, a timeout...) is not a
# confirmation of a shape finding.
SHAPE_ERRORS = frozenset({
    "builtins.ValueError",
    "tensorflow.python.framework.errors_impl.InvalidArgumentError",
})
# What a rule's findings may raise besides: a call written for TensorFlow 0.x (TSL015) meets a name
# TensorFlow 1.0 removed (AttributeError) or an argument of the wrong type, a tensor where the axis
# goes or a keyword 1.0 renamed (TypeError, when a graph is built).
RULE_ERRORS = {"TSL015": frozenset({"builtins.AttributeError", "builtins.TypeError"})}

EXPECT = re.compile(r"expect:\s*(TSL\d{3}(?:\s*,\s*TSL\d{3})*)")
TF_ERROR = re.compile(r"(?<![\w-])tf-error\b")
TF_SHAPE = re.compile(r"tf-shape:\s*([0-9?]+(?:x[0-9?]+)*)")


@dataclass
class Fixture:
    path: Path
    expects: set = field(default_factory=set)  # {(line, code)}
    tf_error_lines: list = field(default_factory=list)
    tf_shape: Optional[tuple] = None  # (line, "392x1024")

    @property
    def id(self) -> str:
        return self.path.relative_to(FIXTURES_DIR).as_posix()

    @property
    def is_bad(self) -> bool:
        return self.path.name.endswith("_bad.py")

    @property
    def is_good(self) -> bool:
        return self.path.name.endswith("_good.py")

    @property
    def twin(self) -> Path:
        return self.path.with_name(self.path.name[: -len("_bad.py")] + "_good.py")

    @property
    def codes(self) -> set:
        return {code for _, code in self.expects}

    def wanted_sites(self) -> list:
        """The lines where TensorFlow must raise."""
        return self.tf_error_lines or sorted({line for line, _ in self.expects})

    @staticmethod
    def failed_sites(result: dict) -> set:
        """The fixture lines a run's error names."""
        return {result["tb_line"], *result["defined_at_lines"]} - {None}


@dataclass
class Project:
    """A project fixture: a folder run as `python main.py`; its markers may be in any of its files."""

    path: Path
    files: list  # the markers of each .py file of the project (a Fixture each)
    tf_shape = None  # `# tf-shape:` is for single-file fixtures (parse_project refuses it)

    @property
    def id(self) -> str:
        return self.path.relative_to(FIXTURES_DIR).as_posix()

    @property
    def is_bad(self) -> bool:
        return self.path.name.endswith("_bad")

    @property
    def is_good(self) -> bool:
        return self.path.name.endswith("_good")

    @property
    def twin(self) -> Path:
        return self.path.with_name(self.path.name[: -len("_bad")] + "_good")

    def site(self, fixture: Fixture, line: int) -> str:
        return f"{fixture.path.relative_to(self.path).as_posix()}:{line}"

    @property
    def expects(self) -> set:
        """{(FILE:LINE, code)}, FILE relative to the project folder."""
        return {(self.site(f, line), code) for f in self.files for line, code in f.expects}

    @property
    def codes(self) -> set:
        return {code for _, code in self.expects}

    def wanted_sites(self) -> list:
        """The FILE:LINE sites where TensorFlow must raise."""
        tf_errors = [self.site(f, line) for f in self.files for line in f.tf_error_lines]
        return sorted(tf_errors) or sorted({site for site, _ in self.expects})

    @staticmethod
    def failed_sites(result: dict) -> set:
        return {result["tb_site"], *result["defined_at_sites"]} - {None}


def parse_project(folder: Path) -> Project:
    files = [parse_markers(path) for path in sorted(folder.rglob("*.py"))]
    for fixture in files:
        if fixture.tf_shape is not None:
            raise ValueError(f"{fixture.path}: `# tf-shape:` is not supported in a project fixture")
    return Project(folder, files)


def parse_markers(path: Path) -> Fixture:
    """The markers in a fixture's comments (of its translation for a ``# python2`` fixture: the
    same comments on the same lines, in a text Python 3's tokenizer reads)."""
    fixture = Fixture(path)
    lines = iter(runnable_text(path).splitlines(keepends=True))
    for token in tokenize.generate_tokens(lambda: next(lines, "")):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        match = EXPECT.search(token.string)
        if match:
            fixture.expects |= {(line, code.strip()) for code in match[1].split(",")}
        if TF_ERROR.search(token.string):
            fixture.tf_error_lines.append(line)
        match = TF_SHAPE.search(token.string)
        if match:
            fixture.tf_shape = (line, match[1])
    return fixture


def all_fixtures() -> list:
    """The single-file fixtures (a Fixture each), then the project fixtures (a Project each)."""
    files = [parse_markers(path) for path in sorted(FIXTURES_DIR.rglob("*.py"))
             if not path.is_relative_to(PROJECTS_DIR)]
    projects = [parse_project(main.parent) for main in sorted(PROJECTS_DIR.glob("*/main.py"))]
    return files + projects


# The environment of every TensorFlow run. TensorFlow's reference CPU kernels, not the oneDNN ones (on by default on x86 Linux): oneDNN is
# not a faithful oracle for shape errors. Seen with TF 2.21: an eager 5x5 VALID conv2d on a 4x4
# input returns a 4x4 map (the reference kernel returns the 0x0 map TF's output-size formula gives)
# and then aborts the process; a pooling window larger than its input raises AbortedError ("could
# not create a descriptor") instead of computing a 0-sized output; conv2d of a rank-3 input kills
# the process with a CHECK failure instead of raising InvalidArgumentError.
TF_ENV = {
    "TF_USE_LEGACY_KERAS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "CUDA_VISIBLE_DEVICES": "-1",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


class Server:
    """One ``runner.py --serve`` process: TensorFlow imported once, each fixture in a forked child."""

    def __init__(self):
        self.proc = None
        self.buffer = b""
        self.log = None

    def start(self) -> None:
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, str(RUNNER), "--serve", str(TIMEOUT)], cwd=str(ROOT),
                                     env=dict(os.environ, **TF_ENV), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log)
        self.buffer = b""

    def run(self, path: Path) -> dict:
        """The runner's report for ``path``, or ``{"error": ...}``."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        try:
            self.proc.stdin.write(f"{path}\n".encode())
            self.proc.stdin.flush()
        except OSError as error:
            return self._died(f"could not talk to the runner: {error}")
        deadline = time.monotonic() + TIMEOUT + 60  # the child's own timeout, plus the server's start
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                text = line.decode("utf-8", "replace")
                if text.startswith(RESULT_PREFIX):
                    return json.loads(text[len(RESULT_PREFIX):])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._died("the runner did not answer in time")
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    return self._died("the runner exited")
                self.buffer += chunk

    def _died(self, why: str) -> dict:
        stderr = ""
        if self.log is not None:
            self.log.seek(0)
            stderr = _tail(self.log.read())
        self.stop()
        return {"error": why, "stderr": stderr}

    def stop(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None


def _tail(text, size: int = 3000) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return (text or "")[-size:]


def fmt_shape(shape) -> str:
    return "x".join("?" if d is None else str(d) for d in shape)


def verdict(fixture: Fixture | Project, result: dict) -> tuple[bool, str]:
    """(confirmed, why): does the TensorFlow run of ``fixture`` confirm its markers?"""
    if "error" in result:
        return False, f"{result['error']}\n{result.get('stderr', '')}"
    if fixture.is_good or not fixture.expects:
        if result["raised"]:
            return False, f"the clean program raised {result['type']}: {result['message']}\n{result.get('traceback', '')}"
        return True, f"ran clean in {result['elapsed']} s"
    if fixture.tf_shape is not None:
        line, wanted = fixture.tf_shape
        if result["raised"]:
            return False, f"expected a silent {wanted} at line {line}, but it raised {result['type']}: {result['message']}"
        if not result.get("captured"):
            return False, f"line {line} never ran (nothing was captured)"
        if result["shape"] is None:
            return False, f"could not get a runtime shape for line {line} (static shape {result['static_shape']})"
        got = fmt_shape(result["shape"])
        if got != wanted:
            return False, f"line {line}: runtime shape {got}, marker says {wanted}"
        return True, f"line {line} silently has shape {got}"
    if not result["raised"]:
        return False, "expected TensorFlow to raise, but the program ran to the end"
    accepted = SHAPE_ERRORS.union(*(RULE_ERRORS.get(code, ()) for code in fixture.codes))
    if not accepted & set(result["mro"]):
        return False, f"raised {result['type']}, not a shape error: {result['message']}\n{result.get('traceback', '')}"
    wanted = fixture.wanted_sites()
    failed_at = fixture.failed_sites(result)
    if not failed_at & set(wanted):
        return False, (f"raised {result['type']} at fixture line(s) {sorted(failed_at)}, expected line(s) "
                       f"{wanted}: {result['message']}")
    return True, f"raised {result['type'].rsplit('.', 1)[-1]} at line(s) {sorted(failed_at & set(wanted))}"


class Confirmations:
    """Runs fixtures in TensorFlow, ``WORKERS`` at a time (one server each), each at most once per session."""

    def __init__(self):
        self.executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="confirm")
        self.servers: "queue.Queue[Server]" = queue.Queue()
        self.all_servers = [Server() for _ in range(WORKERS)]
        for server in self.all_servers:
            self.servers.put(server)
        self.futures: dict[Path, Future] = {}
        self.verdicts: dict[Path, tuple[bool, str]] = {}
        self.lock = threading.Lock()

    def _run(self, path: Path) -> dict:
        server = self.servers.get()
        try:
            return server.run(path)
        finally:
            self.servers.put(server)

    def submit(self, paths) -> None:
        with self.lock:
            for path in paths:
                if path not in self.futures:
                    self.futures[path] = self.executor.submit(self._run, path)

    def judge(self, fixture: Fixture) -> tuple[bool, str]:
        self.submit([fixture.path])
        result = self.futures[fixture.path].result()
        self.verdicts[fixture.path] = verdict(fixture, result)
        return self.verdicts[fixture.path]

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        for server in self.all_servers:
            server.stop()


def rules_confirmed(fixtures: list[Fixture], verdicts: dict) -> dict[str, list[str]]:
    """For every rule code, the bad fixtures confirmed in TensorFlow whose clean twin ran clean."""
    by_path = {fixture.path: fixture for fixture in fixtures}
    confirmed: dict[str, list[str]] = {}
    for fixture in fixtures:
        if not fixture.is_bad or not verdicts.get(fixture.path, (False,))[0]:
            continue
        twin = by_path.get(fixture.twin)
        if twin is None or not verdicts.get(twin.path, (False,))[0]:
            continue
        for code in fixture.codes:
            confirmed.setdefault(code, []).append(fixture.id)
    return confirmed


def summary(fixtures: list[Fixture], verdicts: dict) -> str:
    findings = sum(len(f.expects) for f in fixtures if f.is_bad and verdicts.get(f.path, (False,))[0])
    clean = sum(1 for f in fixtures if f.is_good and verdicts.get(f.path, (False,))[0])
    return f"{findings} findings confirmed in TensorFlow, {clean} clean twins ran"
