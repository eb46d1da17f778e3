"""Fixes in a notebook: edits of its program mapped to edits of its cells, written into the JSON.

A notebook is linted (and fixed) as one program (``notebooks.to_program``); ``cell_changes`` maps
the fixed program back to new sources for the cells it touched. A change is kept only when every
line it replaces (or sits between) is one cell's code as written, give or take the indentation the
cell was dedented by; a change that touches a line IPython rewrote (a magic) or spans cells is
dropped. ``replace_sources`` then writes those sources into the notebook's JSON text, replacing the
cells' ``source`` values only: every other byte (formatting, metadata, outputs) stays as it was.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Optional

from .json_spans import value_spans
from .notebooks import Program, cell_paths, code_cells, to_cell, to_program


def fix_notebook(text: str, lint, unsafe: bool, applied: Optional[list] = None) -> tuple[str, int, int]:
    """The notebook's JSON text with its fixes applied, the number of fixes made to its program, and
    the number of changed regions that could not be written back to a cell (``cell_changes``); the
    findings fixed, placed in their cells, are appended to ``applied``."""
    from .fix import fix_source

    notebook = json.loads(text)
    program = to_program(notebook)
    fixed_findings: list = []
    fixed, count = fix_source(program.source, lint, unsafe, fixed_findings)
    if applied is not None:
        applied.extend(to_cell(finding, program) for finding in fixed_findings)
    if count == 0:
        return text, 0, 0
    changed, dropped = cell_changes(program, dict(code_cells(notebook)), fixed)
    return (replace_sources(text, notebook, changed) if changed else text), count, dropped


# --- program edits -> cell edits ----------------------------------------------------------------

def cell_changes(program: Program, sources: dict, fixed: str) -> tuple[dict, int]:
    """New sources (by cell number) for the cells that ``fixed``, an edited ``program.source``,
    changes; and how many changed regions could not be mapped to a cell (and were dropped)."""
    old = program.source.splitlines()
    new = fixed.splitlines()
    edits: dict = {}  # cell -> [(first row, last row, new lines)], rows 1-based, last < first: an insertion
    dropped = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        edit = _cell_edit(program, sources, old, i1, i2, new[j1:j2])
        if edit is None:
            dropped += 1
            continue
        cell, first, last, lines = edit
        edits.setdefault(cell, []).append((first, last, lines))
    changed = {}
    for cell, cell_edits in edits.items():
        source = sources[cell]
        lines = source.splitlines()
        for first, last, replacement in sorted(cell_edits, reverse=True):
            lines[first - 1:last] = replacement
        changed[cell] = "\n".join(lines) + ("\n" if source.endswith("\n") and lines else "")
    return changed, dropped


def _cell_edit(program: Program, sources: dict, old: list, i1: int, i2: int, lines: list) -> Optional[tuple]:
    """(cell, first row, last row, new lines in the cell's indentation) of one changed region."""
    if i1 < i2:
        places = [program.lines[i] for i in range(i1, i2)]
    else:  # an insertion: after the line before it, or before the line after it
        anchor = i1 - 1 if i1 > 0 else i1
        if anchor >= len(program.lines):
            return None
        places = [program.lines[anchor]]
    cell = places[0][0]
    rows = [row for _, row in places]
    if any(c != cell for c, _ in places) or rows != list(range(rows[0], rows[0] + len(rows))):
        return None
    written = sources[cell].splitlines()
    indexes = range(i1, i2) if i1 < i2 else [anchor]
    prefixes = {_indent_removed(written[row - 1], old[i]) for row, i in zip(rows, indexes)}
    if None in prefixes or len(prefixes) > 1:
        return None
    prefix = prefixes.pop()
    indented = [prefix + line if line.strip() else line for line in lines]
    if i1 < i2:
        return cell, rows[0], rows[-1], indented
    row = rows[0] if i1 > 0 else rows[0] - 1
    return cell, row + 1, row, indented


def _indent_removed(written: str, converted: str) -> Optional[str]:
    """The indentation the cell's dedent removed from ``written`` to give ``converted``; None when
    the line was rewritten otherwise (a magic)."""
    if written == converted:
        return ""
    if not converted.strip():
        return "" if not written.strip() else None
    prefix = written[:len(written) - len(converted)]
    return prefix if written.endswith(converted) and not prefix.strip() else None


# --- cell sources -> JSON text ------------------------------------------------------------------

def replace_sources(text: str, notebook: dict, changed: dict) -> str:
    """The notebook's JSON ``text`` with the cells' sources replaced by ``changed`` ({cell: source})."""
    spans = value_spans(text)
    paths = cell_paths(notebook)
    replacements = []
    for cell, source in changed.items():
        path = paths[cell]
        start, end = spans[path]
        old_value = text[start:end]
        ascii_only = "\\u" in old_value or all(ord(c) < 128 for c in text)
        items = [spans.get(path + (i,)) for i in range(len(_lines_of(text, spans, path)))]
        new_lines = source.splitlines(keepends=True)
        if old_value.startswith("[") and None not in items and len(items) == len(new_lines):
            old_lines = _lines_of(text, spans, path)
            for span, old_line, new_line in zip(items, old_lines, new_lines):
                if old_line != new_line:  # only the lines that changed: the rest stays byte for byte
                    replacements.append((span[0], span[1], json.dumps(new_line, ensure_ascii=ascii_only)))
        elif old_value.startswith("["):
            replacements.append((start, end, _array_like(old_value, new_lines, ascii_only)))
        else:
            replacements.append((start, end, json.dumps(source, ensure_ascii=ascii_only)))
    for start, end, value in sorted(replacements, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def _lines_of(text: str, spans: dict, path: tuple) -> list:
    start, end = spans[path]
    value = json.loads(text[start:end])
    return value if isinstance(value, list) else []


def _array_like(old_value: str, lines: list, ascii_only: bool) -> str:
    """A JSON array of ``lines`` laid out as ``old_value`` is (its separators and closing indent)."""
    if not lines:
        return "[]"
    opening = re.match(r"\[([ \t\r\n]*)", old_value).group(1)
    closing = re.search(r"([ \t\r\n]*)\]$", old_value).group(1)
    separator = re.search(r",([ \t\r\n]*)\"", old_value)
    between = separator.group(1) if separator else opening
    return "[" + opening + ("," + between).join(json.dumps(line, ensure_ascii=ascii_only) for line in lines) \
        + closing + "]"
