"""``path:line:col: CODE message``, one finding a line (flake8's and ruff's format)."""

from __future__ import annotations

from ..findings import Finding


def line(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"


def render(findings: list[Finding]) -> str:
    return "".join(line(f) + "\n" for f in findings)
