"""GitHub Actions workflow commands: each finding an ``::error`` annotation on the pull request.

``::error title=tfshapelint (TSL001),file=PATH,line=L,col=C,endLine=L2,endColumn=C2::MESSAGE``,
the message being the concise line (as ruff's). Escaped as the Actions toolkit does: ``%``,
CR and LF in the message; also ``:`` and ``,`` in the properties. GitHub places annotations on
lines of the file as stored, so a finding in a notebook is put on the line of the ``.ipynb`` JSON
text that holds the cell's code (GitHub shows it in the notebook's source diff, not in the rendered
view); its message starts ``nb.ipynb:cell 3:2:5:``, the cell's own line and column.
"""

from __future__ import annotations

from ..findings import Finding
from .concise import line as concise_line


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def position(finding: Finding) -> dict:
    """The annotation's place in the file: in a notebook, the line of the ``.ipynb`` JSON text that
    holds the cell's code (none known: the annotation is on the file)."""
    if getattr(finding, "cell", None) is None:
        line, column, end_line, end_column = finding.line, finding.column, finding.end_line, finding.end_column
    elif finding.file_line is None:
        return {}
    else:
        line, column = finding.file_line, finding.file_column
        end_line, end_column = finding.file_end_line, finding.file_end_column
    return {"line": line, "col": column, "endLine": end_line if end_line is not None else line,
            "endColumn": end_column if end_column is not None else column}


def command(finding: Finding) -> str:
    properties = {"title": f"tfshapelint ({finding.code})", "file": finding.path, **position(finding)}
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::error {props}::{escape_data(concise_line(finding))}"


def render(findings: list[Finding]) -> str:
    return "".join(command(f) + "\n" for f in findings)
