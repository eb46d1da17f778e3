"""``# noqa`` comments: on a finding's line, and file-wide ``# tfshapelint: noqa``.

- ``# noqa`` at the end of a line suppresses every finding reported on that line;
  ``# noqa: TSL001, TSL004`` only those codes (followed, if you like, by an explanation); a code
  prefix (``# noqa: TSL0``) stands for every code it starts.
- ``# tfshapelint: noqa`` on a line of its own, anywhere in the file, suppresses the whole file;
  ``# tfshapelint: noqa: TSL001`` only those codes in the whole file. At the end of a line of code
  it is that line's ``# noqa``: a comment written after code never silences the whole file.

The tool's own diagnostics (TSL9xx: syntax error, internal error...) are only suppressed when
their code is named: a bare ``# noqa`` never hides that the file could not be analysed.
Comments are found with the tokenizer, so ``"# noqa"`` inside a string does not count (a file
that does not tokenize falls back to a per-line search).
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable, Optional

from .findings import Finding

_CODES = r"[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*"
_LINE_NOQA = re.compile(rf"#\s*noqa(?::\s*(?P<codes>{_CODES}))?", re.IGNORECASE)
_FILE_NOQA = re.compile(rf"^#\s*tfshapelint\s*:\s*noqa(?:\s*:\s*(?P<codes>{_CODES}))?", re.IGNORECASE)


def is_diagnostic(code: str) -> bool:
    """TSL9xx: the tool's own diagnostics, suppressed only when named."""
    return code.upper().startswith("TSL9")


def unsuppressed(findings: list[Finding], source: str) -> list[Finding]:
    """The findings that no ``noqa`` comment of ``source`` suppresses, in their order."""
    if not findings or "noqa" not in source.lower():
        return list(findings)
    comments = comments_by_line(source)
    file_codes = file_noqa_codes(own_line_comments(source, comments))
    kept = []
    for finding in findings:
        if _covered(finding.code, file_codes):
            continue
        line_codes = None
        for comment in comments.get(finding.line, ()):
            line_codes = _merge(line_codes, noqa_codes(comment))
        if _covered(finding.code, line_codes):
            continue
        kept.append(finding)
    return kept


def noqa_codes(comment: str) -> Optional[set]:
    """None: no ``# noqa`` in this comment; an empty set: a bare ``# noqa``; else the codes it names.
    A ``# tfshapelint: noqa`` counts here too: this is only asked of the comments that follow code
    on their line, or that are on a finding's line."""
    file_level = _FILE_NOQA.match(comment)
    if file_level is not None:
        return _split(file_level.group("codes"))
    match = _LINE_NOQA.search(comment)
    if match is None:
        return None
    return _split(match.group("codes"))


def file_noqa_codes(comments: Iterable[list]) -> Optional[set]:
    """None: no file-level ``# tfshapelint: noqa``; an empty set: a bare one; else the codes named."""
    result = None
    for line_comments in comments:
        for comment in line_comments:
            match = _FILE_NOQA.match(comment)
            if match is not None:
                result = _merge(result, _split(match.group("codes")))
    return result


def own_line_comments(source: str, comments: dict[int, list[str]]) -> list[list[str]]:
    """The comments that stand on a line of their own (nothing but blanks before them)."""
    lines = re.split(r"\r\n|\r|\n", source)  # as the tokenizer counts lines (not at form feeds)
    alone = []
    for number, texts in comments.items():
        line = lines[number - 1] if number <= len(lines) else ""
        if texts and line.lstrip().startswith(texts[0]):
            alone.append(texts[:1])
    return alone


def comments_by_line(source: str) -> dict[int, list[str]]:
    """Every comment of ``source`` (``# ...`` text), by 1-based line."""
    comments: dict[int, list[str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments.setdefault(token.start[0], []).append(token.string)
    except (tokenize.TokenError, SyntaxError):
        # Does not tokenize (it will be a TSL901): approximate, a comment starts at the first '#'.
        comments = {}
        for number, line in enumerate(source.splitlines(), 1):
            at = line.find("#")
            if at >= 0:
                comments[number] = [line[at:]]
    return comments


def _split(codes: Optional[str]) -> set:
    return set(re.split(r"[\s,]+", codes.upper().strip())) if codes else set()


def _merge(current: Optional[set], new: Optional[set]) -> Optional[set]:
    """Combine two noqa code sets; a bare noqa (empty set) wins."""
    if new is None:
        return current
    if current is None:
        return new
    if not current or not new:
        return set()
    return current | new


def _covered(code: str, codes: Optional[set]) -> bool:
    if codes is None:
        return False
    if not codes:
        return not is_diagnostic(code)
    code = code.upper()
    return any(code.startswith(prefix) for prefix in codes)
