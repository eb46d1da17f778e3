"""Each rule page's examples are programs the linter checks: the `## Example` block gets that rule's
finding and no other, the `## Use instead` block (the same program, fixed) gets none."""

from __future__ import annotations

import re

import pytest

from tfshapelint.linter import lint_source
from tfshapelint.rules import RULES

IDS = [rule.code for rule in RULES]


def first_python_block(page: str, heading: str) -> str:
    """The first ```python block after ``heading`` on ``page``."""
    after = page.split(f"\n{heading}\n", 1)[1]
    return re.search(r"```python\n(.*?)```", after, re.S).group(1)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_example_gets_the_rules_finding_only(rule):
    example = first_python_block(rule.page(), "## Example")
    assert example.startswith("import "), "an example is a whole program, imports first"
    findings = lint_source(example, f"{rule.code}_example.py")
    assert findings, f"{rule.code}: no finding on its example"
    assert {finding.code for finding in findings} == {rule.code}, [str(finding) for finding in findings]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_use_instead_gets_no_finding(rule):
    fixed = first_python_block(rule.page(), "## Use instead")
    assert fixed.startswith("import "), "an example is a whole program, imports first"
    findings = lint_source(fixed, f"{rule.code}_fixed.py")
    assert not findings, [str(finding) for finding in findings]
