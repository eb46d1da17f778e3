"""``json`` (an array, indented) and ``json-lines`` (one object a line), with ruff's fields.

Ruff's fields: ``cell``, ``code``, ``end_location``, ``filename`` (absolute), ``fix``,
``location``, ``message``, ``noqa_row``, ``url``; and ours: ``name``, ``chain`` (the derivation,
shapes and the ops between them), ``witness_line``/``witness_cell`` (where TensorFlow fails) and
``read_as_python2`` (the file was analysed through its Python 3 translation) and ``reproducer`` (a
standalone TensorFlow program that shows the finding, ``tfshapelint repro``; null when none is written).
Rows and columns are 1-based; ``end_location`` is just past the end, as ruff's.
"""

from __future__ import annotations

import json
import os

from ..findings import Finding
from .meta import rule_url


def to_dict(finding: Finding) -> dict:
    end_row = finding.end_line if finding.end_line is not None else finding.line
    end_column = finding.end_column if finding.end_column is not None else finding.column
    return {
        "cell": getattr(finding, "cell", None),
        "chain": list(finding.chain),
        "code": finding.code,
        "end_location": {"column": end_column, "row": end_row},
        "filename": filename(finding.path),
        "fix": fix_dict(finding),
        "location": {"column": finding.column, "row": finding.line},
        "message": finding.message,
        "name": finding.name,
        "noqa_row": finding.line,
        "read_as_python2": finding.read_as_python2,
        "reproducer": finding.reproducer,
        "url": rule_url(finding.code),
        "witness_cell": getattr(finding, "witness_cell", None),
        "witness_line": finding.witness_line,
    }


def fix_dict(finding: Finding):
    """Ruff's shape: applicability, message and edits with 1-based locations (None for a fix whose
    edits were not made: a notebook's, or one the fix layer dropped)."""
    if finding.fix is None or not finding.fix.edits:
        return None
    return {
        "applicability": finding.fix.applicability,
        "edits": [{"content": e.content, "end_location": {"column": e.end_column, "row": e.end_line},
                   "location": {"column": e.column, "row": e.line}} for e in finding.fix.edits],
        "message": finding.fix.message,
    }


def filename(path: str) -> str:
    """Absolute, as ruff's (source read from stdin without --stdin-filename stays ``-``)."""
    return path if path == "-" else os.path.abspath(path)


def render(findings: list[Finding]) -> str:
    return json.dumps([to_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def render_lines(findings: list[Finding]) -> str:
    return "".join(json.dumps(to_dict(f), ensure_ascii=False) + "\n" for f in findings)
