"""Jupyter notebooks: lint the code cells of an ``.ipynb`` as one program, report by cell.

The code cells are concatenated in order (the order a notebook is usually run in); IPython
syntax is blanked first: line magics (``%matplotlib inline``), shell escapes (``!pip install``,
``files = !ls``), help (``tf.reshape?``) and cells under a cell magic (``%%bash``) that is not
Python (``%%time`` and ``%%timeit`` keep their body). Findings are mapped back to a cell
(1-based, counting every cell of the notebook, markdown too, as Jupyter and ruff number them)
and a line in that cell; they are printed ``nb.ipynb:cell 3:2:5: TSL001 ...`` as ruff does.
Notebooks whose kernel is not Python are skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from typing import Callable, Optional

from . import diagnostics
from .findings import Finding

# Cell magics whose body is Python: only the magic's own line is blanked.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3", "pypy"})

_LINE_MAGIC = re.compile(r"""
    \s*(?:
        [%!]                                   # %magic, !shell
      | \?                                     # ?object
      | [\w.]+\s*\?{1,2}\s*$                   # object? / object??
      | [\w.\[\],\s]+=\s*[%!]                  # x = !ls, y = %env
    )""", re.VERBOSE)


@dataclass
class CellFinding(Finding):
    """A finding in a notebook: ``line`` and ``end_line`` count within ``cell``."""

    cell: int = 1
    witness_cell: Optional[int] = None


@dataclass
class Program:
    """The notebook's code as one program, and where each of its lines comes from."""

    source: str
    lines: list  # 0-based line of ``source`` -> (cell, line in cell), both 1-based

    def where(self, line: int) -> Optional[tuple[int, int]]:
        if 0 < line <= len(self.lines):
            return self.lines[line - 1]
        return None


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
    return [to_cell(finding, program) for finding in lint(program.source, path)]


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
    for number, source in code_cells(notebook):
        for row, line in enumerate(python_lines(source), 1):
            out.append(line)
            lines.append((number, row))
    return Program("".join(line + "\n" for line in out), lines)


def python_lines(source: str) -> list[str]:
    """The cell's lines with IPython syntax blanked (``pass`` where a statement is needed)."""
    lines = source.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("%%"):
        magic = first[2:].split(None, 1)[0] if len(first) > 2 else ""
        if magic not in PYTHON_CELL_MAGICS:
            return ["" for _ in lines]
    result = []
    continued = False
    for line in lines:
        if continued:
            result.append("")
        elif _LINE_MAGIC.match(line):
            indent = line[:len(line) - len(line.lstrip())]
            result.append(indent + "pass")
        else:
            result.append(line)
            continue
        continued = line.rstrip().endswith("\\")
    return result


def to_cell(finding: Finding, program: Program) -> Finding:
    where = program.where(finding.line)
    if where is None:
        return finding
    values = {f.name: getattr(finding, f.name) for f in fields(Finding)}
    cell, values["line"] = where
    if finding.end_line is not None:
        end = program.where(finding.end_line)
        if end is not None and end[0] == cell:
            values["end_line"] = end[1]
        else:  # a span across cells: end it on its first line
            values["end_line"], values["end_column"] = values["line"], None
    witness_cell = None
    if finding.witness_line is not None:
        witness = program.where(finding.witness_line)
        witness_cell, values["witness_line"] = witness if witness else (None, None)
    from .repro.build import in_cells

    values["reproducer"] = in_cells(finding.reproducer, program.where)  # its lines named in cells too
    return CellFinding(**values, cell=cell, witness_cell=witness_cell)
