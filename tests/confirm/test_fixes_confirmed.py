"""Every fix, applied to every bad fixture it fixes (unsafe fixes included), and the fixed program
run in real TensorFlow: it must run clean, and a silent wrong shape marked ``# tf-shape:`` must be
gone. Every rule whose fixes apply to its fixtures has at least one fixed fixture confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from confirm_support import FIXTURES_DIR, PROJECTS_DIR, fmt_shape, parse_markers
from tfshapelint.fix import fix_source
from tfshapelint.linter import lint_source

pytestmark = pytest.mark.tf

# The rules with fixes; each must have a fixture its fix is applied to (a fix dropped by the
# fix layer's checks on every fixture would leave the rule here without a confirmation).
RULES_WITH_FIXES = {"TSL001", "TSL002", "TSL011", "TSL012", "TSL015"}


def fixed_fixtures(folder: Path) -> dict:
    """fixture path -> (fixed copy's path, the codes whose findings were fixed), for every
    single-file bad fixture that some fix changes."""
    fixed = {}
    for path in sorted(FIXTURES_DIR.rglob("*_bad.py")):
        if path.is_relative_to(PROJECTS_DIR):
            continue
        source = path.read_text(encoding="utf-8")

        def lint(text: str, path=path) -> list:
            return lint_source(text, str(path))

        before = lint(source)
        if not any(f.fix is not None for f in before):
            continue
        text, count = fix_source(source, lint, unsafe=True)
        if count == 0:
            continue
        after = {(f.code, f.line) for f in lint(text)}
        copy = folder / path.parent.name / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        fixed[path] = (copy, {f.code for f in before if (f.code, f.line) not in after})
    return fixed


def test_fixed_fixtures_run_clean_in_tensorflow(confirmations, tmp_path):
    fixed = fixed_fixtures(tmp_path)
    confirmations.submit([copy for copy, _ in fixed.values()])
    failures, confirmed = [], set()
    for original, (copy, codes) in fixed.items():
        result = confirmations.futures[copy].result()
        name = original.relative_to(FIXTURES_DIR).as_posix()
        if "error" in result:
            failures.append(f"{name}: {result['error']}")
        elif result["raised"]:
            failures.append(f"{name}: the fixed program raised {result['type']}: {result['message']}")
        else:
            marker = parse_markers(copy).tf_shape
            if marker is not None and result.get("shape") is not None and fmt_shape(result["shape"]) == marker[1]:
                failures.append(f"{name}: the fixed program still computes {marker[1]} at line {marker[0]}")
            else:
                confirmed |= codes
    assert not failures, "\n".join(failures)
    assert RULES_WITH_FIXES <= confirmed, f"no fixed fixture confirmed for {sorted(RULES_WITH_FIXES - confirmed)}"
