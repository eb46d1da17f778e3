"""The tool's own diagnostics (TSL9xx): reported like findings, never aborting the run."""

from __future__ import annotations

from .findings import Finding

SYNTAX_ERROR = ("TSL901", "syntax-error")
INTERNAL_ERROR = ("TSL902", "internal-error")
BUDGET_EXCEEDED = ("TSL903", "analysis-budget-exceeded")
UNREADABLE = ("TSL904", "unreadable-file")

ALL = (SYNTAX_ERROR, INTERNAL_ERROR, BUDGET_EXCEEDED, UNREADABLE)


def diagnostic(kind: tuple, path: str, message: str, line: int = 1, column: int = 1) -> Finding:
    code, name = kind
    return Finding(path=path, line=line, column=column, code=code, name=name, message=message)
