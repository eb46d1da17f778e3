"""Applying fixes: text edits of findings, applied to a file's source."""

from __future__ import annotations

from .findings import Finding


def fixable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.fix.applicability == "safe" or unsafe)


def apply_fixes(source: str, findings: list[Finding], unsafe: bool = False) -> tuple[str, list[Finding]]:
    """The source with every applicable fix applied, and the findings whose fixes were applied.

    Edits that overlap an edit already taken are skipped (a later run can apply them).
    """
    offsets = _line_offsets(source)
    chosen: list[tuple[int, int, str]] = []
    applied: list[Finding] = []
    for finding in findings:
        if not fixable(finding, unsafe):
            continue
        spans = [(_offset(offsets, e.line, e.column), _offset(offsets, e.end_line, e.end_column), e.content)
                 for e in finding.fix.edits]
        if any(_overlaps(span, taken) for span in spans for taken in chosen):
            continue
        chosen.extend(spans)
        applied.append(finding)
    for start, end, content in sorted(chosen, reverse=True):
        source = source[:start] + content + source[end:]
    return source, applied


def _line_offsets(source: str) -> list[int]:
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _offset(offsets: list[int], line: int, column: int) -> int:
    return offsets[line - 1] + column - 1


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]

