"""Applying the translation's edits, and mapping positions in the translation back to the file.

No edit crosses a line break, so line numbers are the same in both texts; only the columns of a
translated line move. ``ast`` counts columns in UTF-8 bytes, so the maps do too.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass

from .rewrite import Edit, Untranslatable

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Piece:
    """A stretch of a translated line: copied from the file, or put in place of ``old``."""

    new_start: int
    new_end: int
    old_start: int
    old_end: int
    copied: bool


@dataclass(frozen=True)
class LineMap:
    """Columns (UTF-8 bytes) of one translated line -> columns of the file's line."""

    pieces: tuple

    def start(self, offset: int) -> int:
        """Where a node that starts at ``offset`` starts in the file (at its replaced text, if it
        starts inside what the translation wrote)."""
        for piece in self.pieces:
            if piece.new_start <= offset < piece.new_end:
                return piece.old_start + (offset - piece.new_start) if piece.copied else piece.old_start
        return self._past_the_end(offset)

    def end(self, offset: int) -> int:
        """Where a node that ends (exclusively) at ``offset`` ends in the file."""
        for piece in self.pieces:
            if piece.new_start < offset <= piece.new_end:
                return piece.old_start + (offset - piece.new_start) if piece.copied else piece.old_end
        return 0 if offset <= 0 else self._past_the_end(offset)

    def _past_the_end(self, offset: int) -> int:
        last = self.pieces[-1]
        return last.old_end + max(offset - last.new_end, 0)


def apply_edits(source: str, edits: list[Edit]) -> tuple[str, dict[int, LineMap]]:
    """The translated text, and the column map of each line an edit touched (by line number)."""
    ordered = _ordered(source, edits)
    line_starts = [0] + [match.end() for match in _LINE_BREAK.finditer(source)]
    by_line: dict[int, list[Edit]] = {}
    for edit in ordered:
        by_line.setdefault(bisect.bisect_right(line_starts, edit.start), []).append(edit)
    parts, cursor = [], 0
    for edit in ordered:
        parts += [source[cursor:edit.start], edit.text]
        cursor = edit.end
    parts.append(source[cursor:])
    maps = {line: _line_map(source, line_starts[line - 1], line_edits) for line, line_edits in by_line.items()}
    return "".join(parts), maps


def _ordered(source: str, edits: list[Edit]) -> list[Edit]:
    """By position (an insertion before a replacement at the same offset, insertions at the
    same offset in the order they were made); Untranslatable if two overlap or one would
    remove or add a line break."""
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    for edit in ordered:
        if _LINE_BREAK.search(edit.text) or _LINE_BREAK.search(source, edit.start, edit.end):
            raise Untranslatable("an edit across lines")
    for before, after in zip(ordered, ordered[1:]):
        if after.start < before.end:
            raise Untranslatable("overlapping edits")
    return ordered


def _line_map(source: str, line_start: int, edits: list[Edit]) -> LineMap:
    pieces, old, new, cursor = [], 0, 0, line_start
    for edit in edits:
        copied = _utf8_length(source[cursor:edit.start])
        pieces.append(Piece(new, new + copied, old, old + copied, True))
        old, new = old + copied, new + copied
        replaced, written = _utf8_length(source[edit.start:edit.end]), _utf8_length(edit.text)
        pieces.append(Piece(new, new + written, old, old + replaced, False))
        old, new = old + replaced, new + written
        cursor = edit.end
    end = _LINE_BREAK.search(source, cursor)
    rest = _utf8_length(source[cursor:end.start() if end else len(source)])
    pieces.append(Piece(new, new + rest, old, old + rest, True))
    return LineMap(tuple(pieces))


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def restore_positions(tree: ast.AST, maps: dict[int, LineMap]) -> None:
    """Give every node of ``tree`` (parsed from the translation) its columns in the file."""
    if not maps:
        return
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        if line in maps and node.col_offset is not None:
            node.col_offset = maps[line].start(node.col_offset)
        end_line = getattr(node, "end_lineno", None)
        if end_line in maps and node.end_col_offset is not None:
            node.end_col_offset = maps[end_line].end(node.end_col_offset)
