"""The fixtures (fixtures/README.md): each is linted, and its findings must equal its markers.

Fast, no TensorFlow: the confirmation that TensorFlow agrees lives in tests/confirm/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import expected, is_python2_fixture
from tfshapelint.linter import lint_source, parse
from tfshapelint.python2 import reading_of
from tfshapelint.findings import Finding
from tfshapelint.rules import RULES

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
# fixtures/projects/ holds multi-file programs, meaningful only as a whole (tests/test_project_fixtures.py)
FIXTURES = sorted(path for path in FIXTURES_DIR.rglob("*.py") if not path.is_relative_to(FIXTURES_DIR / "projects"))


def fixture_id(path: Path) -> str:
    return path.relative_to(FIXTURES_DIR).as_posix()


def test_there_are_fixtures():
    assert FIXTURES, f"no fixtures under {FIXTURES_DIR}"


@pytest.mark.parametrize("path", FIXTURES, ids=[fixture_id(p) for p in FIXTURES])
def test_findings_match_markers(path: Path):
    findings = lint_source(path.read_text(encoding="utf-8"), str(path))
    got = {(finding.line, finding.code) for finding in findings}
    want = expected(path)
    details = "\n".join(f"  {f.line}:{f.column} {f.code} {f.message}" for f in findings)
    assert got == want, (f"missing {sorted(want - got)}, unexpected {sorted(got - want)}\n"
                         f"findings:\n{details or '  (none)'}")


@pytest.mark.parametrize("path", FIXTURES, ids=[fixture_id(p) for p in FIXTURES])
def test_fixture_naming_protocol(path: Path):
    if path.name.endswith("_bad.py"):
        twin = path.with_name(path.name[: -len("_bad.py")] + "_good.py")
        assert twin.exists(), f"{fixture_id(path)} has no clean twin {twin.name}"
        assert expected(path), f"{fixture_id(path)} has no `# expect:` marker"
    elif path.name.endswith("_good.py"):
        assert not expected(path), f"{fixture_id(path)} is a clean twin but has `# expect:` markers"
        bad = path.with_name(path.name[: -len("_good.py")] + "_bad.py")
        assert bad.exists() or path.parent.name == "regressions", f"{fixture_id(path)} has no bad twin"
    else:
        assert path.parent.name == "regressions", (
            f"{fixture_id(path)}: a fixture is NAME_bad.py or NAME_good.py (or lives in fixtures/regressions/)")
        assert not expected(path), f"{fixture_id(path)}: a regression fixture must stay clean"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_rule_has_bad_and_good_fixtures(rule):
    bad = [p for p in FIXTURES if p.name.endswith("_bad.py") and rule.code in {c for _, c in expected(p)}]
    assert bad, f"{rule.code} has no bad fixture expecting it"
    twins = [p.with_name(p.name[: -len("_bad.py")] + "_good.py") for p in bad]
    assert any(twin.exists() for twin in twins), f"{rule.code} has no good fixture (clean twin of a bad one)"


@pytest.mark.parametrize("path", FIXTURES, ids=[fixture_id(p) for p in FIXTURES])
def test_python2_fixtures_are_python2_and_the_others_python3(path: Path):
    """A fixture marked `# python2` is read through its translation (it does not parse as Python 3);
    every other fixture is Python 3."""
    tree = parse(path.read_text(encoding="utf-8"), str(path))
    assert not isinstance(tree, Finding), f"{fixture_id(path)} does not parse: {tree.message}"
    assert (reading_of(tree) is not None) == is_python2_fixture(path)
