"""Fuzzing: generated and mutated programs never crash the linter.

- hypothesmith programs (valid Python from the grammar, and from libcst's node types): on a program
  that does not use TensorFlow, no finding but the tool's own (TSL9xx), and no internal error; with
  ``import tensorflow as tf`` in front, no internal error.
- every registered op called with odd arguments (zero, negative and huge sizes, wrong types,
  unknown values, under branches and loops): no internal error.
- random edits of the fixtures (numbers, names, strings, lines): no internal error.

Fixed seeds (hypothesis derandomized): the same programs on every run. The whole file takes about a
minute; a failure prints the program.
"""

from __future__ import annotations

import glob
import os
import random
import re
import sys
import time

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tfshapelint.linter as linter
from tfshapelint.linter import lint_source

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import programs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)


class _AnalyseEverything:
    """Lint without the prefilter, so that programs that never mention TensorFlow are analysed."""

    def __enter__(self):
        self.saved = linter.PREFILTER
        linter.PREFILTER = re.compile(b"")

    def __exit__(self, *exc):
        linter.PREFILTER = self.saved


def check_program(source: str, uses_tensorflow: bool) -> None:
    with _AnalyseEverything():
        findings = lint_source(source, "fuzz.py")
    crashes = [f.message for f in findings if f.code == "TSL902"]
    assert not crashes, f"internal error on:\n{source}\n{crashes}"
    if not uses_tensorflow:
        findings = [f for f in findings if not f.code.startswith("TSL9")]
        assert not findings, f"a finding on a program without TensorFlow:\n{source}\n{findings}"


@fuzz_settings(300)
@given(hypothesmith.from_grammar(), st.booleans())
def test_hypothesmith_grammar_programs(source, with_tensorflow):
    check_program("import tensorflow as tf\n" + source if with_tensorflow else source, with_tensorflow)


@fuzz_settings(60)
@given(hypothesmith.from_node(), st.booleans())
def test_hypothesmith_libcst_programs(source, with_tensorflow):
    check_program("import tensorflow as tf\n" + source if with_tensorflow else source, with_tensorflow)


def _fuzz(make, count: int, seed: int, timings: list, label: str) -> None:
    rng = random.Random(seed)
    start = time.perf_counter()
    codes: dict = {}
    for _ in range(count):
        source = make(rng)
        findings = lint_source(source, "fuzz.py")
        for finding in findings:
            codes[finding.code] = codes.get(finding.code, 0) + 1
        crashes = [f.message for f in findings if f.code == "TSL902"]
        assert not crashes, f"internal error on:\n{source}\n{crashes}"
    seconds = time.perf_counter() - start
    summary = ", ".join(f"{code} {n}" for code, n in sorted(codes.items()))
    timings.append(f"{label}: {count} programs in {seconds:.1f} s ({summary})")


def test_every_op_with_odd_arguments(timings):
    _fuzz(programs.op_program, count=1500, seed=20261126, timings=timings, label="op fuzz")


FIXTURES = sorted(glob.glob(os.path.join(ROOT, "fixtures", "**", "*.py"), recursive=True))


@pytest.mark.skipif(not FIXTURES, reason="no fixtures")
def test_mutated_fixtures(timings):
    sources = [open(path, encoding="utf-8").read() for path in FIXTURES]
    _fuzz(lambda rng: programs.mutate(rng.choice(sources), rng), count=2000, seed=2026, timings=timings,
          label=f"mutated fixtures ({len(FIXTURES)} files)")
