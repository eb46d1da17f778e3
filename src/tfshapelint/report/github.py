"""GitHub Actions workflow commands: each finding an ``::error`` annotation on the pull request.

``::error title=tfshapelint (TSL001),file=PATH,line=L,col=C,endLine=L2,endColumn=C2::MESSAGE``,
the message being the concise line (as ruff's). Escaped as the Actions toolkit does: ``%``,
CR and LF in the message; also ``:`` and ``,`` in the properties.
"""

from __future__ import annotations

from ..findings import Finding
from .concise import line as concise_line


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    properties = {
        "title": f"tfshapelint ({finding.code})",
        "file": finding.path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line if finding.end_line is not None else finding.line,
        "endColumn": finding.end_column if finding.end_column is not None else finding.column,
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::error {props}::{escape_data(concise_line(finding))}"


def render(findings: list[Finding]) -> str:
    return "".join(command(f) + "\n" for f in findings)
