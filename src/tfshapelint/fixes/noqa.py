"""``--add-noqa``: a ``# noqa: CODE`` comment on each finding's line, written with libcst.

The comment goes where libcst keeps a line's trailing comment (``TrailingWhitespace``): an existing
comment is kept, with ``# noqa: CODE`` after it, and the codes of an existing ``# noqa: A`` are
merged (``# noqa: A, CODE``). A line that ends inside a string or after a backslash cannot hold a
comment: its findings are left, with a note.
"""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..findings import Edit, Finding
from ..suppression import _LINE_NOQA, _covered, noqa_codes

_LINE_END = re.compile(r"\r\n|\r|\n")


def noqa_edits(source: str, findings: list[Finding], notes: Optional[list] = None) -> list[Edit]:
    """The edits that add ``# noqa`` comments for ``findings`` (of the file ``source``), one per line."""
    notes = notes if notes is not None else []
    codes_by_line: dict[int, set] = {}
    for finding in findings:
        codes_by_line.setdefault(finding.line, set()).add(finding.code)
    if not codes_by_line:
        return []
    text, translated = _text_for_libcst(source, findings)
    try:
        module = cst.parse_module(text)
    except Exception as error:  # noqa: BLE001 - libcst refuses the file: no comment rather than a crash
        notes.append(f"{findings[0].path}: no noqa comments added: libcst cannot parse the file "
                     f"({type(error).__name__})")
        return []
    ends = {}
    for node, where in MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider).items():
        if isinstance(node, cst.TrailingWhitespace):
            ends[where.start.line] = (node, where.start.column + 1)
    edits = []
    for line, codes in sorted(codes_by_line.items()):
        found = ends.get(line)
        if found is None or line in translated:
            notes.append(f"{findings[0].path}:{line}: no noqa comment added for {', '.join(sorted(codes))}: "
                         "the line cannot end with a comment (it ends inside a string, after a backslash, "
                         "or was translated from Python 2)")
            continue
        node, column = found
        new = _with_codes(node, codes)
        if new is None:
            continue
        old_code, new_code = _without_newline(module, node), _without_newline(module, new)
        edits.append(Edit(line, column, line, column + len(old_code), new_code))
    return edits


def _with_codes(node: cst.TrailingWhitespace, codes: set) -> Optional[cst.TrailingWhitespace]:
    """The line end with ``codes`` in its ``# noqa``; None when its comment covers them already."""
    if node.comment is None:
        return node.with_changes(whitespace=cst.SimpleWhitespace("  "),
                                 comment=cst.Comment(f"# noqa: {', '.join(sorted(codes))}"))
    comment = node.comment.value
    present = noqa_codes(comment)
    codes = {code.upper() for code in codes if not _covered(code, present)}
    if not codes:
        return None  # covered already (a bare noqa covers all but the tool's own diagnostics)
    match = _LINE_NOQA.search(comment)
    if present:
        merged = ", ".join(sorted(present | codes))
        comment = comment[:match.start("codes")] + merged + comment[match.end("codes"):]
    else:
        comment = f"{comment}  # noqa: {', '.join(sorted(codes))}"
    return node.with_changes(comment=cst.Comment(comment))


def _without_newline(module: cst.Module, node: cst.TrailingWhitespace) -> str:
    return _LINE_END.sub("", module.code_for_node(node))


def _text_for_libcst(source: str, findings: list[Finding]) -> tuple[str, frozenset]:
    """The text libcst reads, and the lines it cannot comment: a Python 2 file is read through its
    translation, whose translated lines differ from the file's."""
    if not any(f.read_as_python2 for f in findings):
        return source, frozenset()
    from .. import python2

    translation = python2.translate(source)
    if translation is None:
        return source, frozenset()
    return translation.text, translation.reading.translated_lines
