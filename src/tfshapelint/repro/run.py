"""Run reproducers in another Python (``harness.py``) and judge each against its finding.

This process never imports TensorFlow: the harness does, once for all the reproducers of a command.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .build import LEGACY_KERAS, RAISES
from .harness import PREFIX

# What TensorFlow raises for a shape error: at graph construction or in Keras (ValueError), or when
# an op runs (InvalidArgumentError); a silent bug fails its own assert.
SHAPE_ERRORS = ("builtins.ValueError", "tensorflow.python.framework.errors_impl.InvalidArgumentError")
# What a rule's findings raise besides (as the confirmation suite accepts): a call written for
# TensorFlow 0.x (TSL015) meets a name 1.0 removed, or a tensor where the axis goes.
RULE_ERRORS = {"TSL015": ("builtins.AttributeError", "builtins.TypeError")}
FINDING_CODE = re.compile(r"# Reproducer of (TSL\d+) ")
SILENT_MARK = "silent bug"
# A dtype error is the reproducer's fault (a stand-in of the wrong dtype), never a shape finding's proof.
DTYPE_ERROR = re.compile(r"expected to be a \w+ tensor but is a|requested dtype|must have the same d?type|"
                         r"type \w+ that does not match|not in the list of allowed values|"
                         r"Could not find device for node|is not a floating point|Value for attr '\w+' of")


@dataclass
class Outcome:
    outcome: str  # "raised", "clean", "timeout", "crashed" (the process died) or "not run"
    type: Optional[str] = None
    mro: tuple = ()
    message: str = ""
    line: Optional[int] = None  # the program's line that raised

    def confirms(self, program: str) -> bool:
        """Whether this ending of ``program`` shows its finding: the assert of a silent bug failed, or
        TensorFlow raised a shape error where the program says it raises."""
        if self.outcome != "raised":
            return False
        if self.line not in raising_lines(program, self.type == "AssertionError"):
            return False  # raised elsewhere than where the program says: not this finding's error
        if self.type == "AssertionError":
            return SILENT_MARK in program and self.message.startswith(SILENT_MARK)
        if RAISES not in program:
            return False
        code = FINDING_CODE.match(program)
        if code is not None and any(name in self.mro for name in RULE_ERRORS.get(code.group(1), ())):
            return True  # what this rule's findings raise (a renamed TensorFlow 0.x function...)
        return any(name in self.mro for name in SHAPE_ERRORS) and not DTYPE_ERROR.search(self.message)


def raising_lines(program: str, asserting: bool) -> set:
    """The lines of ``program`` where its finding shows: its asserts, or the call it marks as raising
    and the session run that computes it."""
    found = set()
    for number, text in enumerate(program.splitlines(), 1):
        if text.startswith("assert ") if asserting else (RAISES in text or "= sess.run([" in text):
            found.add(number)
    return found


def run_programs(programs: list, python: Optional[str] = None, timeout: int = 60) -> tuple:
    """``(TensorFlow version or None, message, [Outcome])``: each program run by ``python`` (this
    one by default), all in one process that imports TensorFlow once (another one after a program
    crashes the process); when TensorFlow cannot be imported there, the version is None and the
    message says why."""
    python = python or sys.executable
    # TensorFlow's reference kernels: the oneDNN ones abort on some shapes instead of raising
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0", CUDA_VISIBLE_DEVICES="",
               PYTHONWARNINGS="ignore")
    if any(LEGACY_KERAS in program for program in programs):
        env.setdefault("TF_USE_LEGACY_KERAS", "1")  # TensorFlow is imported once, before any program runs
    outcomes: dict = {}
    version = None
    with tempfile.TemporaryDirectory(prefix="tfshapelint-repro-") as folder:
        files = []
        for index, program in enumerate(programs):
            path = os.path.join(folder, f"repro_{index}.py")
            Path(path).write_text(program, encoding="utf-8")
            files.append(path)
        pending = list(files)
        while pending:
            found, why = _run_harness(python, pending, timeout, folder, env)
            if found is None:
                return None, why, [Outcome("not run") for _ in programs]
            version = found.pop("", version)
            outcomes.update(found)
            done = [path for path in pending if path in found]
            if len(done) == len(pending):
                break
            crashed = pending[len(done)]  # the first one without a result ended the process
            outcomes[crashed] = Outcome("crashed", message=why or "the Python process ended")
            pending = pending[len(done) + 1:]
    return version, "", [outcomes[path] for path in files]


def _run_harness(python: str, files: list, timeout: int, folder: str, env: dict) -> tuple:
    """``({file: Outcome, "": version}, why)`` for the files the harness ran before it ended, in order;
    ``(None, why)`` when TensorFlow cannot be imported or the process cannot start."""
    harness = Path(__file__).with_name("harness.py")
    try:
        done = subprocess.run([python, str(harness), "--timeout", str(timeout), *files], capture_output=True,
                              text=True, timeout=120 + timeout * len(files), cwd=folder, env=env)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"cannot run {python}: {error}"
    records = [json.loads(text[len(PREFIX):]) for text in done.stdout.splitlines() if text.startswith(PREFIX)]
    if not records or "tensorflow" not in records[0]:
        why = records[0]["error"] if records else (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, why
    found: dict = {"": records[0]["tensorflow"]}
    for record in records[1:]:
            found[record["file"]] = Outcome(record["outcome"], record.get("type"), tuple(record.get("mro", ())),
                                            record.get("message", ""), record.get("line"))
    return found, f"the process ended with exit code {done.returncode}"
