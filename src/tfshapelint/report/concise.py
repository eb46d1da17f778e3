"""``path:line:col: CODE message``, one finding a line (flake8's and ruff's format), with
``[*]`` after the code when ``--fix`` can fix it (as ruff).

In a notebook: ``nb.ipynb:cell 3:2:5: CODE message`` (the line counts within the cell), as ruff.
"""

from __future__ import annotations

from ..findings import Finding


def location(finding: Finding) -> str:
    """``path:line:col``, or ``path:cell N:line:col`` in a notebook."""
    cell = getattr(finding, "cell", None)
    where = f"{finding.path}:cell {cell}" if cell is not None else finding.path
    return f"{where}:{finding.line}:{finding.column}"


def line(finding: Finding) -> str:
    """The finding's line; ``[*]`` after the code marks a safe fix (``--fix`` applies it), as ruff."""
    fix = getattr(finding, "fix", None)
    mark = " [*]" if fix is not None and fix.applicability == "safe" else ""
    return f"{location(finding)}: {finding.code}{mark} {finding.message}"


def render(findings: list[Finding]) -> str:
    return "".join(line(f) + "\n" for f in findings)
