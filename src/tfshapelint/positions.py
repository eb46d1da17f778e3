"""Positions between the linter's and the Language Server Protocol's conventions.

The linter reports 1-based lines and 1-based *character* (code point) columns. LSP positions
are 0-based lines and 0-based columns counted in the code units of the encoding that client
and server agreed on: UTF-16 by default (so a character outside the Basic Multilingual Plane,
such as most emoji, counts 2), or UTF-8 (bytes) or UTF-32 (code points) when the client offers
them. Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only, as in both Python's tokenizer and LSP
(``str.splitlines`` would also break at form feeds and U+2028, and shift every later line).
"""

from __future__ import annotations

import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line breaks (a trailing break gives a last empty line)."""
    return LINE_BREAK.split(text)


def _units(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == UTF8:
        if code < 0x80:
            return 1
        if code < 0x800:
            return 2
        return 3 if code < 0x10000 else 4  # a lone surrogate (from surrogateescape) counts 3, as encoded
    if encoding == UTF32:
        return 1
    return 2 if code > 0xFFFF else 1


def to_units(line: str, column: int, encoding: str = UTF16) -> int:
    """The code-unit column of the 0-based character column ``column`` of ``line`` (clamped to it)."""
    prefix = line[:max(column, 0)]
    if encoding == UTF32 or prefix.isascii():
        return len(prefix)
    return sum(_units(char, encoding) for char in prefix)


def from_units(line: str, units: int, encoding: str = UTF16) -> int:
    """The 0-based character column at code-unit column ``units`` of ``line``.

    A position inside a character (the middle of a surrogate pair, say) moves to its start;
    one past the end of the line is clamped to the end, as LSP asks.
    """
    if encoding == UTF32 or line.isascii():
        return min(max(units, 0), len(line))
    count = 0
    for index, char in enumerate(line):
        width = _units(char, encoding)
        if count + width > units:
            return index
        count += width
    return len(line)


class LineIndex:
    """A document's lines, to convert the linter's (line, column) into LSP positions and back."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.lines = split_lines(text)
        self.encoding = encoding

    def line_text(self, line0: int) -> str:
        return self.lines[line0] if 0 <= line0 < len(self.lines) else ""

    def to_lsp(self, line: int, column: int) -> tuple[int, int]:
        """1-based line and character column -> 0-based line and code-unit column, clamped to the text."""
        line0 = line - 1
        if line0 >= len(self.lines):  # e.g. a syntax error "at the end of the file"
            last = len(self.lines) - 1
            return last, to_units(self.lines[last], len(self.lines[last]), self.encoding)
        line0 = max(line0, 0)
        return line0, to_units(self.lines[line0], column - 1, self.encoding)

    def from_lsp(self, line0: int, units: int) -> tuple[int, int]:
        """0-based line and code-unit column -> 1-based line and character column."""
        return line0 + 1, from_units(self.line_text(line0), units, self.encoding) + 1

    def line_end(self, line: int) -> int:
        """The 1-based character column just past the end of the 1-based ``line``."""
        return len(self.line_text(line - 1)) + 1
