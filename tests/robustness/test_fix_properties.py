"""Property: every fix, on mutated fixtures (other numbers, spacing, comments, newlines), gives code
that parses, and changes no line outside its edit; applying all fixes together parses too.

The programs are the bad fixtures that have a fix, mutated by hypothesis (fixed seeds: the same
programs on every run)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfshapelint.findings import Finding
from tfshapelint.fix import apply_fixes, fix_source
from tfshapelint.fixes.resolve import resolve
from tfshapelint.linter import lint_source, parse

ROOT = Path(__file__).resolve().parents[2]
_LINE_END = re.compile(r"\r\n|\r|\n")


@lru_cache(maxsize=None)
def fixable_fixtures() -> tuple:
    found = []
    for path in sorted((ROOT / "fixtures").rglob("*_bad.py")):
        if "projects" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if any(f.fix is not None for f in lint_source(text, str(path))):
            found.append((path.name, text))
    return tuple(found)


def _comment_safe(line: str) -> bool:
    """A comment may end this line: no string or line continuation on it."""
    return not any(c in line for c in "\"'\\") and line.strip() != ""


@st.composite
def mutated(draw):
    fixtures = fixable_fixtures()
    name, text = fixtures[draw(st.integers(0, len(fixtures) - 1))]
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["comment", "number", "tight", "loose", "spaces"]))
        line = lines[index]
        if kind == "comment" and _comment_safe(line):
            lines[index] = line + "  # " + draw(st.sampled_from(["note", "noqa-free", "(x, y)", "é ünïcode"]))
        elif kind == "number":
            numbers = list(re.finditer(r"(?<![\w.])\d+(?![\w.])", line))
            if numbers:
                match = numbers[draw(st.integers(0, len(numbers) - 1))]
                new = str(draw(st.integers(1, 128)))
                lines[index] = line[:match.start()] + new + line[match.end():]
        elif kind == "tight":
            lines[index] = line.replace(" * ", "*")
        elif kind == "loose" and '"' not in line and "'" not in line:
            lines[index] = re.sub(r"(?<=\w)\*(?=\w)", " * ", line)
        elif kind == "spaces" and _comment_safe(line):
            lines[index] = line.rstrip() + "   "
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return name, newline.join(lines)


def _lines(text: str) -> list:
    return _LINE_END.split(text)


def _parses(text: str) -> bool:
    return not isinstance(parse(text, "f.py"), Finding)


@settings(max_examples=20, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(mutated())
def test_fixes_on_mutated_fixtures_parse_and_touch_only_their_lines(case):
    name, source = case

    def lint(text: str) -> list:
        return lint_source(text, name)

    findings = lint(source)
    resolve(source, findings, lint)
    before = _lines(source)
    for finding in findings:
        if finding.fix is None or not finding.fix.edits:
            continue
        fixed, applied = apply_fixes(source, [finding], unsafe=True)
        assert applied and _parses(fixed), f"{name}: {finding.fix}"
        [edit] = finding.fix.edits
        after = _lines(fixed)
        tail = len(before) - edit.end_line
        assert after[:edit.line - 1] == before[:edit.line - 1], f"{name}: a line before the edit changed"
        assert after[len(after) - tail:] == before[len(before) - tail:], f"{name}: a line after the edit changed"
    everything, _ = fix_source(source, lint, unsafe=True)
    assert _parses(everything), name
