"""Applying fixes: the text edits of findings (fixes/ makes them from the rules' codemods), applied
to a file's source, and the fixed file written."""

from __future__ import annotations

import codecs
import os
import re
from typing import Optional

from .findings import Finding

_LINE_END = re.compile(r"\r\n|\r|\n")


def fixable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.fix.applicability == "safe" or unsafe)


def apply_fixes(source: str, findings: list[Finding], unsafe: bool = False) -> tuple[str, list[Finding]]:
    """The source with every applicable fix applied, and the findings whose fixes were applied.

    Edits that overlap an edit already taken are skipped (a later run can apply them); a fix
    without edits (a codemod that ``fixes.resolve`` has not turned into edits) is skipped.
    """
    offsets = _line_offsets(source)
    chosen: list[tuple[int, int, str]] = []
    applied: list[Finding] = []
    for finding in findings:
        if not fixable(finding, unsafe) or not finding.fix.edits:
            continue
        spans = [(_offset(offsets, e.line, e.column), _offset(offsets, e.end_line, e.end_column), e.content)
                 for e in finding.fix.edits]
        if any(_overlaps(span, taken) for span in spans for taken in chosen):
            continue
        chosen.extend(spans)
        applied.append(finding)
    return _replace(source, chosen), applied


def apply_edits(source: str, edits: list) -> str:
    """The source with ``edits`` (``findings.Edit``, which must not overlap) applied."""
    offsets = _line_offsets(source)
    return _replace(source, [(_offset(offsets, e.line, e.column), _offset(offsets, e.end_line, e.end_column),
                              e.content) for e in edits])


def _replace(source: str, spans: list) -> str:
    for start, end, content in sorted(spans, reverse=True):
        source = source[:start] + content + source[end:]
    return source


def _line_offsets(source: str) -> list[int]:
    """Where each line starts. Lines end at \\n, \\r\\n or \\r only, as for Python's tokenizer
    and ``ast``'s positions (``str.splitlines`` would also split at form feeds and U+2028)."""
    return [0] + [match.end() for match in _LINE_END.finditer(source)]


def _offset(offsets: list[int], line: int, column: int) -> int:
    return offsets[line - 1] + column - 1


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]



MAX_ROUNDS = 10


def fix_source(source: str, lint, unsafe: bool, fixed: Optional[list] = None,
               notes: Optional[list] = None) -> tuple[str, int]:
    """Apply fixes and lint again until nothing more applies; returns the text and the count (the
    findings fixed are appended to ``fixed`` when it is given). Each round's fixes are made and
    checked by the fix layer (which imports libcst); the fixes it drops are explained in ``notes``."""
    count = 0
    for _ in range(MAX_ROUNDS):
        linted = lint(source)
        findings = [f for f in linted if fixable(f, unsafe)]
        if not findings:
            break
        from .fixes.resolve import resolve

        dropped: list = []
        resolve(source, findings, lint, dropped, linted)
        if notes is not None:
            notes.extend(note for note in dropped if note not in notes)  # a later round finds them again
        source, applied = apply_fixes(source, findings, unsafe)
        if not applied:
            break
        count += len(applied)
        if fixed is not None:
            fixed.extend(applied)
    return source, count


class FileChanged(Exception):
    """The file on disk is not what was linted: it is left alone."""


def write_fixed(path: str, original: bytes, text: str) -> None:
    """Replace ``path`` with ``text`` in the file's own encoding (BOM and newlines as they were,
    since the text kept them), atomically: a temporary file in the same folder, then a rename
    that keeps the permissions (and the owner, where allowed). Nothing is written when the file
    changed since it was read. Through a symlink, its target is replaced and the link kept. OSError
    when the folder cannot be written (the file is then left as it was)."""
    import io  # here: only a run that writes fixes needs these
    import shutil
    import tempfile
    import tokenize

    encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    bom = original.startswith(codecs.BOM_UTF8)
    data = text.encode("utf-8" if encoding == "utf-8-sig" else encoding)
    if bom and not data.startswith(codecs.BOM_UTF8):
        data = codecs.BOM_UTF8 + data
    target = os.path.realpath(path)  # a symlink stays a symlink
    with open(target, "rb") as handle:
        if handle.read() != original:
            raise FileChanged(path)
    folder = os.path.dirname(target)
    handle, temporary = tempfile.mkstemp(prefix=".tfshapelint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # on disk before it replaces the original
        shutil.copymode(target, temporary)
        _copy_owner(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _copy_owner(source: str, destination: str) -> None:
    """Give ``destination`` the owner and group of ``source`` when allowed (root fixing another user's
    file); otherwise it keeps ours, as an editor's atomic save does."""
    info = os.stat(source)
    if not hasattr(os, "chown") or (info.st_uid, info.st_gid) == (os.getuid(), os.getgid()):
        return
    try:
        os.chown(destination, info.st_uid, info.st_gid)
    except OSError:
        pass
