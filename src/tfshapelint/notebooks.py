"""Jupyter notebooks: lint the code cells of an ``.ipynb`` as one program, report by cell.

The code cells are concatenated in order (the order a notebook is usually run in), each
converted first as IPython converts it (``ipython_cells``: magics, shell escapes and help become
the calls IPython makes, an indented cell is dedented; ``%%time`` and the like keep their body).
Findings are mapped back to a cell (1-based, counting every cell of the notebook, markdown too, as Jupyter and ruff number them)
and a line in that cell; they are printed ``nb.ipynb:cell 3:2:5: TSL001 ...`` as ruff does.
Notebooks whose kernel is not Python are skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from typing import Callable, Optional

from . import diagnostics
from .findings import Finding, Fix
from .ipython_cells import convert_cell

@dataclass
class CellFinding(Finding):
    """A finding in a notebook: ``line`` and ``end_line`` count within ``cell``; ``file_*`` is where
    the finding is in the ``.ipynb`` file's own text (its JSON), for formats read against the file."""

    cell: int = 1
    witness_cell: Optional[int] = None
    file_line: Optional[int] = None
    file_column: Optional[int] = None
    file_end_line: Optional[int] = None
    file_end_column: Optional[int] = None


@dataclass
class Program:
    """The notebook's code as one program, and where each of its lines comes from."""

    source: str
    lines: list  # 0-based line of ``source`` -> (cell, line in cell), both 1-based
    shifts: list = field(default_factory=list)  # 0-based line -> columns the cell's dedent removed

    def where(self, line: int) -> Optional[tuple[int, int]]:
        if 0 < line <= len(self.lines):
            return self.lines[line - 1]
        return None

    def shift(self, line: int) -> int:
        return self.shifts[line - 1] if 0 < line <= len(self.shifts) else 0


def lint_notebook(text: str, path: str, lint: Callable[[str, str], list]) -> list[Finding]:
    """Findings for a notebook's JSON text, by cell; ``lint`` lints one Python source text."""
    try:
        notebook = json.loads(text)
    except ValueError as error:
        return [diagnostics.diagnostic(diagnostics.UNREADABLE, path, f"cannot read notebook: invalid JSON: {error}")]
    except RecursionError:
        return [diagnostics.diagnostic(diagnostics.UNREADABLE, path, "cannot read notebook: JSON nested too deeply")]
    if not isinstance(notebook, dict):
        return [diagnostics.diagnostic(diagnostics.UNREADABLE, path, "cannot read notebook: not a JSON object")]
    try:
        if not is_python(notebook):
            return []
        program = to_program(notebook)
    except (AttributeError, TypeError) as error:  # "metadata": 5, "worksheets": [5]...
        return [diagnostics.diagnostic(diagnostics.UNREADABLE, path,
                                       f"cannot read notebook: not in the notebook format ({error})")]
    findings = [to_cell(finding, program) for finding in lint(program.source, path)]
    return with_file_positions(findings, text, notebook) if findings else findings


def is_python(notebook: dict) -> bool:
    metadata = notebook.get("metadata") or {}
    language = ((metadata.get("language_info") or {}).get("name")
                or (metadata.get("kernelspec") or {}).get("language"))
    return language is None or str(language).lower() == "python"


def code_cells(notebook: dict) -> list[tuple[int, str]]:
    """``(cell number, source)`` of every code cell; nbformat 4 and the older ``worksheets`` form."""
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3
        cells = [cell for sheet in notebook.get("worksheets") or [] for cell in sheet.get("cells") or []]
    result = []
    for number, cell in enumerate(cells if isinstance(cells, list) else [], 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(str(piece) for piece in source)
        result.append((number, str(source)))
    return result


def to_program(notebook: dict) -> Program:
    out: list[str] = []
    lines: list[tuple[int, int]] = []
    shifts: list[int] = []
    for number, source in code_cells(notebook):
        written = source.splitlines()
        for row, line in enumerate(python_lines(source), 1):
            out.append(line)
            lines.append((number, row))
            original = written[row - 1] if row <= len(written) else line
            dedented = line.strip() and original.endswith(line) and not original[:len(original) - len(line)].strip()
            shifts.append(len(original) - len(line) if dedented else 0)
    return Program("".join(line + "\n" for line in out), lines, shifts)


def python_lines(source: str) -> list[str]:
    """The cell as the Python IPython runs, one line for each of the cell's lines."""
    return convert_cell(source)


def to_cell(finding: Finding, program: Program) -> Finding:
    """The finding with its lines counted in its cell, and its columns in the cell as written."""
    where = program.where(finding.line)
    if where is None:
        return finding
    values = {f.name: getattr(finding, f.name) for f in fields(Finding)}
    cell, values["line"] = where
    values["column"] = finding.column + program.shift(finding.line)
    if finding.end_line is not None:
        end = program.where(finding.end_line)
        if end is not None and end[0] == cell:
            values["end_line"] = end[1]
            if finding.end_column is not None:
                values["end_column"] = finding.end_column + program.shift(finding.end_line)
        else:  # a span across cells: end it on its first line
            values["end_line"], values["end_column"] = values["line"], None
    witness_cell = None
    if finding.witness_line is not None:
        witness = program.where(finding.witness_line)
        witness_cell, values["witness_line"] = witness if witness else (None, None)
    if finding.fix is not None:
        values["fix"] = _fix_in_cell(finding.fix, program, cell)
    from .repro.build import in_cells

    values["reproducer"] = in_cells(finding.reproducer, program.where)  # its lines named in cells too
    return CellFinding(**values, cell=cell, witness_cell=witness_cell)


def _fix_in_cell(fix: Fix, program: Program, cell: int) -> Optional[Fix]:
    """The fix with its edits counted in ``cell``; None when an edit is outside it."""
    edits = []
    for edit in fix.edits:
        start, end = program.where(edit.line), program.where(edit.end_line)
        if start is None or end is None or start[0] != cell or end[0] != cell:
            return None
        edits.append(replace(edit, line=start[1], column=edit.column + program.shift(edit.line),
                             end_line=end[1], end_column=edit.end_column + program.shift(edit.end_line)))
    return replace(fix, edits=edits)


def resolve_cell_fixes(text: str, findings: list, notes: Optional[list] = None) -> None:
    """Give the fixes of a notebook's findings their edits, counted in their cells: the codemods
    (whose spans count in the notebook's program) are made on the program, then each edit is moved
    into the finding's cell (a fix with an edit outside it is dropped)."""
    from .fixes.resolve import resolve

    try:
        program = to_program(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return
    resolve(program.source, findings, notes=notes)
    for finding in findings:
        if isinstance(finding, CellFinding) and finding.fix is not None and finding.fix.edits:
            finding.fix = _fix_in_cell(finding.fix, program, finding.cell)


def with_file_positions(findings: list, text: str, notebook: dict) -> list:
    """The findings with where they are in the notebook's JSON text (``CellFinding.file_*``)."""
    from .json_spans import value_spans

    try:
        spans = value_spans(text)
    except (ValueError, IndexError, RecursionError):
        return findings
    paths = cell_paths(notebook)
    sources = dict(code_cells(notebook))
    located = []
    for finding in findings:
        if isinstance(finding, CellFinding) and finding.cell in sources and paths.get(finding.cell) in spans:
            where = (text, spans, paths[finding.cell], sources[finding.cell])
            start = file_position(*where, finding.line, finding.column)
            end = file_position(*where, finding.end_line or finding.line, finding.end_column or finding.column)
            if start is not None:
                finding = replace(finding, file_line=start[0], file_column=start[1],
                                  file_end_line=end[0] if end else None, file_end_column=end[1] if end else None)
        located.append(finding)
    return located


def file_position(text: str, spans: dict, path: tuple, source: str, line: int, column: int) -> Optional[tuple]:
    """(line, column), 1-based, in the JSON ``text`` of the cell ``source``'s ``line``:``column``
    (the source is stored at ``path``: one string, or a list of strings joined)."""
    offset = sum(len(piece) for piece in source.splitlines(keepends=True)[:line - 1]) + column - 1
    start, end = spans[path]
    items = [((start, end), source)]
    if text[start] == "[":
        items = []
        while path + (len(items),) in spans:
            item_start, item_end = spans[path + (len(items),)]
            items.append(((item_start, item_end), json.loads(text[item_start:item_end])))
    for number, ((item_start, item_end), piece) in enumerate(items):
        if not isinstance(piece, str):
            return None
        if offset < len(piece) or (offset == len(piece) and number == len(items) - 1):
            ascii_only = len(json.dumps(piece, ensure_ascii=False)) != item_end - item_start
            at = item_start + len(json.dumps(piece[:offset], ensure_ascii=ascii_only)) - 1
            return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        offset -= len(piece)
    return None


def cell_paths(notebook: dict) -> dict:
    """``{cell number: path of its source in the JSON}``, numbered as ``notebooks.code_cells``."""
    paths = {}
    if notebook.get("cells") is not None:
        for index, cell in enumerate(notebook["cells"]):
            paths[index + 1] = ("cells", index, "input" if isinstance(cell, dict) and "source" not in cell else "source")
        return paths
    number = 0
    for sheet_index, sheet in enumerate(notebook.get("worksheets") or []):
        for index, cell in enumerate(sheet.get("cells") or []):
            number += 1
            paths[number] = ("worksheets", sheet_index, "cells", index,
                             "input" if isinstance(cell, dict) and "input" in cell else "source")
    return paths


def rows_by_cell(rows: list, program: Program) -> list:
    """``explain`` rows of a notebook's program with their lines counted in their cells."""
    located = []
    for row in rows:
        where = program.where(row.line)
        if where is not None:
            located.append(replace(row, cell=where[0], line=where[1], column=row.column + program.shift(row.line)))
    return located
