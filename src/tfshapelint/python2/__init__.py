"""Python 2 files: translated to Python 3 on the same lines, then analysed like any file.

Much TensorFlow code of 2015-2018 is Python 2 (``print "Iter " + str(step)``), and Python 3's
parser refuses it. When a file does not parse, ``translate`` rewrites the Python 2 syntax it
finds (python2/rewrite.py) with edits that never cross a line break; the linter parses the
translation, and ``Translation.restore`` gives the tree the file's own columns back, so findings,
fixes and hovers point into the file as it is. ``reading_of(tree)`` says whether (and how) a tree
was read as Python 2: which lines were translated (no fix may touch them), and whether ``/`` of
two integers floors (Python 2, unless the file imports ``division`` from ``__future__``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

# The translation's modules (tokens, rewrite, positions) are imported by ``translate`` and
# ``restore``, when a file does not parse as Python 3: every other run asks only ``reading_of``.

_READING = "_tfshapelint_python2"  # the attribute of a translated tree's Module that holds its Reading


@dataclass(frozen=True)
class Reading:
    """How a file read as Python 2 differs from what it says."""

    translated_lines: frozenset
    classic_division: bool  # ``7 / 2 == 3``: no ``from __future__ import division``

    def touches_translated_line(self, first_line: int, last_line: int) -> bool:
        return any(line in self.translated_lines for line in range(first_line, last_line + 1))


@dataclass(frozen=True)
class Translation:
    text: str  # the Python 3 program, line for line
    maps: dict  # line number -> positions.LineMap, for the lines an edit touched
    reading: Reading

    def restore(self, tree: ast.Module) -> ast.Module:
        """``tree`` (parsed from ``text``) with the file's columns, marked as read as Python 2."""
        from .positions import restore_positions

        restore_positions(tree, self.maps)
        setattr(tree, _READING, self.reading)
        return tree


def translate(source: str) -> Optional[Translation]:
    """The Python 3 translation of a Python 2 file; None when there is nothing to translate, or
    when the file holds something the translation cannot carry over line for line (it then
    stays a syntax error)."""
    from .positions import apply_edits
    from .rewrite import Untranslatable, future_imports, python2_edits
    from .tokens import tokenize

    tokens = tokenize(source)
    if tokens is None:
        return None
    try:
        edits = python2_edits(source, tokens)
        if not edits:
            return None
        text, maps = apply_edits(source, edits)
    except Untranslatable:
        return None
    reading = Reading(frozenset(maps), classic_division="division" not in future_imports(tokens))
    return Translation(text, maps, reading)


def reading_of(tree) -> Optional[Reading]:
    """The Python 2 reading of a tree that ``Translation.restore`` returned; None for Python 3."""
    return getattr(tree, _READING, None)


__all__ = ["Reading", "Translation", "reading_of", "translate"]
