"""docs/rules/ is generated from the rules' docstrings and must be kept in step with them."""

from pathlib import Path

from tfshapelint.docs import rule_files
from tfshapelint.rules import RULES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_committed_rule_docs_are_up_to_date():
    expected = rule_files()
    committed = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    stale = sorted(name for name in expected if committed.get(name) != expected[name])
    extra = sorted(set(committed) - set(expected))
    assert not stale and not extra, (
        f"docs/rules is out of date (stale: {stale}, extra: {extra}); "
        "run `tfshapelint rule --all --output-dir docs/rules`")


def test_every_page_has_the_sections():
    for rule in RULES:
        page = rule.page()
        assert page.startswith(f"# {rule.code} {rule.name}")
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
            assert heading in page, f"{rule.code} lacks {heading}"


def test_every_diagnostic_has_a_page_with_the_sections():
    from tfshapelint import diagnostics
    from tfshapelint.diagnostic_pages import BY_CODE

    assert sorted(BY_CODE) == sorted(code for code, _ in diagnostics.ALL)
    for code, name in diagnostics.ALL:
        page = BY_CODE[code].page()
        assert page.startswith(f"# {code} {name}")
        for heading in ("## What it means", "## What to do", "## Exit code"):
            assert heading in page, f"{code} lacks {heading}"
