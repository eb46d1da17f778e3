"""Every finding on the fixtures and examples, message and derivation included, against a stored list.

The fixture markers pin (line, code); this pins the rest of what users see, so that a refactoring of the
analysis core shows every change of wording, column or chain. After an intended change, regenerate with
``TFSHAPELINT_UPDATE_SNAPSHOT=1 python -m pytest tests/test_findings_snapshot.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tfshapelint.linter import lint_source

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "data" / "findings_snapshot.json"
# fixtures/projects/ holds multi-file programs, meaningful only as a whole: not linted file by file
PROGRAMS = sorted(path for path in [*(ROOT / "fixtures").rglob("*.py"), *(ROOT / "examples").rglob("*.py")]
                  if not path.is_relative_to(ROOT / "fixtures" / "projects"))


def current_findings() -> dict:
    table = {}
    for path in PROGRAMS:
        findings = lint_source(path.read_text(encoding="utf-8"), str(path))
        table[path.relative_to(ROOT).as_posix()] = [
            [f.line, f.column, f.code, f.message, list(f.chain), f.witness_line] for f in findings]
    return table


def test_findings_equal_the_stored_list():
    got = current_findings()
    if os.environ.get("TFSHAPELINT_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changed = sorted(path for path in set(got) | set(want) if got.get(path) != want.get(path))
    details = "\n".join(f"{path}:\n  stored {want.get(path)}\n  now    {got.get(path)}" for path in changed[:5])
    assert not changed, f"{len(changed)} programs changed findings:\n{details}"
