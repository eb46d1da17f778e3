"""What the machine-readable formats say about the tool and its rules: one place for the URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .. import __version__, diagnostics

TOOL_NAME = "tfshapelint"
HOMEPAGE = "https://tfshapelint.readthedocs.io/"
RULE_URL = "https://tfshapelint.readthedocs.io/en/latest/rules/{code}/"
SCHEMA_URL = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"



@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    description: str  # the page's "What it does", one paragraph
    page: Optional[str]  # the whole page (markdown), for rules
    url: Optional[str]

    @property
    def is_diagnostic(self) -> bool:
        return self.page is None


def rule_url(code: str) -> Optional[str]:
    """The documentation page of a rule; None for the TSL9xx diagnostics (no link in the machine-readable
    formats; their pages are `tfshapelint rule TSL901` and docs/rules)."""
    return None if code.startswith("TSL9") else RULE_URL.format(code=code)


def all_rules() -> list[RuleInfo]:
    """Every rule and diagnostic, by code."""
    from ..rules import RULES

    infos = [RuleInfo(rule.code, rule.name, rule.summary, _what_it_does(rule.page()) or rule.summary,
                      rule.page(), rule_url(rule.code)) for rule in RULES]
    from ..diagnostic_pages import BY_CODE as DIAGNOSTIC_PAGES

    for code, name in diagnostics.ALL:
        summary = DIAGNOSTIC_PAGES[code].summary
        infos.append(RuleInfo(code, name, summary, summary, None, None))
    return sorted(infos, key=lambda info: info.code)


def _what_it_does(page: str) -> str:
    match = re.search(r"^## What it does\n(.*?)(?=^## |\Z)", page, re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def version() -> str:
    return __version__
