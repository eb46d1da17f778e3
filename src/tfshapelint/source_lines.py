"""A file's text with its line offsets, computed once: the places and source segments of syntax nodes.

``ast`` gives a node's lines (1-based) and columns in UTF-8 bytes. ``ast.get_source_segment``
splits the whole text again, character by character, for each node it is asked about, so quoting
one node per finding cost time quadratic in the findings of a file; here the text is split once.
Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only, as in Python's tokenizer (``str.splitlines``
would also break at form feeds and U+2028, and shift every later line).
"""

from __future__ import annotations

from typing import Optional

from .positions import LINE_BREAK, UTF8, from_units, split_lines


class SourceLines:
    """The lines of ``text`` and where each starts in it; both are computed when first needed."""

    def __init__(self, text: str):
        self.text = text
        self._lines: Optional[list[str]] = None
        self._starts: Optional[list[int]] = None

    @property
    def lines(self) -> list[str]:
        """The lines without their line breaks (a trailing break gives a last empty line)."""
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def line(self, number: int) -> str:
        """The 1-based line ``number`` without its line break; "" past either end."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def column(self, number: int, offset: int) -> int:
        """The 0-based character column of the UTF-8 byte column ``offset`` of line ``number``."""
        return from_units(self.line(number), offset, UTF8)

    def start(self, number: int) -> int:
        """Where the 1-based line ``number`` starts in the text (a character offset)."""
        if self._starts is None:
            self._starts = [0] + [match.end() for match in LINE_BREAK.finditer(self.text)]
        return self._starts[number - 1]

    def _offset(self, number: int, offset: int) -> int:
        return self.start(number) + self.column(number, offset)

    def segment(self, node) -> Optional[str]:
        """The text of ``node``, as ``ast.get_source_segment(text, node)`` gives it; None for a node
        without a complete place."""
        try:
            line, end_line = node.lineno, node.end_lineno
            column, end_column = node.col_offset, node.end_col_offset
        except AttributeError:
            return None
        if end_line is None or end_column is None:
            return None
        if line == end_line:
            text = self.line(line)
            if text.isascii():
                return text[column:end_column]
            return text.encode()[column:end_column].decode()
        return self.text[self._offset(line, column):self._offset(end_line, end_column)]
