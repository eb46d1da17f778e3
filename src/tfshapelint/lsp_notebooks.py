"""LSP 3.17 notebook documents in the language server: a notebook's code cells linted as one program.

A client that syncs notebooks (VS Code, JupyterLab's LSP extension) sends ``notebookDocument/didOpen``
and ``didChange`` with the notebook's cells, each cell a text document with its own URI
(``vscode-notebook-cell:...#W0sZmlsZQ==``); pygls keeps them in its workspace. The code cells are
joined as the command line joins a ``.ipynb``'s (``notebooks.to_program``, IPython's conversion
first), linted with the settings of the notebook's path, and each finding is published on the URI
of its cell, in that cell's lines. Hovers in a cell are answered from the whole notebook's program,
so a name defined in an earlier cell has its shape.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, fields, replace
from typing import Any, Optional
from urllib.parse import unquote

from lsprotocol import types

from .files import is_excluded
from .findings import Finding
from .notebooks import CellFinding, to_cell, to_program
from .positions import LineIndex

log = logging.getLogger("tfshapelint.lsp")

SYNC_OPTIONS = types.NotebookDocumentSyncOptions(notebook_selector=[
    types.NotebookDocumentFilterWithNotebook(notebook="*", cells=[types.NotebookCellLanguage(language="python")])])


@dataclass
class NotebookState:
    generation: int = 0
    task: Optional[asyncio.Task] = None
    diagnostics: dict = field(default_factory=dict)  # cell URI -> its diagnostics, as last computed
    version: Optional[int] = None


def notebook_of(server, uri: str):
    """The open notebook that holds the cell ``uri`` (None: not a cell of an open notebook)."""
    get = getattr(server.workspace, "get_notebook_document", None)
    return get(cell_uri=uri) if get is not None else None


def cells_of(server, notebook) -> list[tuple[int, str, str, bool]]:
    """``(cell number, cell URI, text, is code)`` of every cell, numbered from 1 as Jupyter does."""
    cells = []
    for number, cell in enumerate(notebook.cells or [], 1):
        document = server._open_document(cell.document)
        text = document.source if document is not None else ""
        cells.append((number, cell.document, text, cell.kind == types.NotebookCellKind.Code))
    return cells


def as_notebook(cells: list) -> dict:
    """The cells in the ``.ipynb`` structure that ``notebooks`` reads."""
    return {"cells": [{"cell_type": "code" if code else "markdown", "source": text} for _, _, text, code in cells]}


def analyse(server, notebook_uri: str, cells: list, encoding: str) -> dict:
    """Diagnostics by cell URI for the notebook's code cells (on a worker thread; never raises)."""
    from .lsp import path_of, to_diagnostic

    uris = {number: uri for number, uri, _, code in cells if code}
    texts = {number: text for number, _, text, _ in cells}
    result: dict = {uri: [] for uri in uris.values()}
    path = path_of(notebook_uri)
    report_path = path or notebook_uri
    settings, _ = server.settings_for(path)
    if path is not None and is_excluded(path, settings):  # as with --force-exclude
        return result
    program = to_program(as_notebook(cells))
    findings = settings.keep(server.lint_isolated(program.source, report_path, settings)[0])
    for finding in findings:
        finding = to_cell(finding, program)
        if not isinstance(finding, CellFinding) or finding.cell not in uris:
            continue
        if finding.witness_cell != finding.cell:  # related information points into this cell only
            finding = replace(finding, witness_line=None)
        index = LineIndex(texts[finding.cell], encoding)
        result[uris[finding.cell]].append(to_diagnostic(finding, index, uris[finding.cell]))
    return result


def schedule(server, notebook_uri: str, delay: float) -> None:
    """(Re)analyse the notebook after ``delay`` seconds, superseding any pending analysis of it."""
    state = server.notebooks.setdefault(unquote(notebook_uri), NotebookState())
    state.generation += 1
    if state.task is not None and not state.task.done():
        state.task.cancel()
    state.task = asyncio.get_running_loop().create_task(_analyse_later(server, notebook_uri, state, state.generation,
                                                                       delay))


async def _analyse_later(server, notebook_uri: str, state: NotebookState, generation: int, delay: float) -> None:
    if delay:
        await asyncio.sleep(delay)
    notebook = server.workspace.get_notebook_document(notebook_uri=notebook_uri)
    if notebook is None or state.generation != generation:
        return
    cells = cells_of(server, notebook)
    encoding = server._encoding()

    def job() -> Optional[dict]:
        if state.generation != generation:
            return None
        try:
            return analyse(server, notebook_uri, cells, encoding)
        except Exception:  # noqa: BLE001 - one notebook's failure must not stop the server
            log.exception("internal error while analysing %s", notebook_uri)
            return None

    by_cell = await server.run(job, uri=notebook_uri)
    if by_cell is None or state.generation != generation:
        return
    stale = set(state.diagnostics) - set(by_cell)  # cells deleted or turned into markdown
    state.diagnostics = by_cell
    if not server.pulls_diagnostics():
        for uri in stale:
            server._publish(uri, [])
        for uri, items in by_cell.items():
            server._publish(uri, items)


async def cell_diagnostics(server, uri: str) -> Optional[list]:
    """A cell's diagnostics for a pull request (None: ``uri`` is not a notebook cell)."""
    notebook = notebook_of(server, uri)
    if notebook is None:
        return None
    cells = cells_of(server, notebook)
    by_cell = await server.run(analyse, server, notebook.uri, cells, server._encoding(), uri=notebook.uri)
    return by_cell.get(uri, [])


def explain_cell(server, uri: str) -> Optional[tuple]:
    """(cell text, explain rows, function spans) for hovers in the cell ``uri``, from the whole
    notebook's program, in the cell's lines (an earlier cell's rows come before its line 1, so the
    last assignment before the cursor is found across cells); None when ``uri`` is not a cell."""
    from .explain import explain_source
    from .lsp import scopes_of

    notebook = notebook_of(server, uri)
    if notebook is None:
        return None
    cells = cells_of(server, notebook)
    number, text = next(((number, text) for number, cell_uri, text, _ in cells if cell_uri == uri), (None, ""))
    program = to_program(as_notebook(cells))
    if (number, 1) not in program.lines:
        return text, [], []
    before = program.lines.index((number, 1))  # program lines before the cell's first
    try:
        rows = explain_source(program.source)
    except Exception:  # noqa: BLE001 - a syntax error somewhere: no hover, never a crash
        rows = []
    rows = [replace(row, line=row.line - before, column=row.column + program.shift(row.line)) for row in rows]
    scopes = [(start - before, end - before) for start, end in scopes_of(program.source)]
    return text, rows, scopes


def in_json_text(findings: list) -> list:
    """A ``.ipynb`` opened as a text document: its findings placed in the JSON text (where the
    cell's code is stored), the cell named in the message; findings without such a place dropped."""
    placed = []
    for finding in findings:
        if not isinstance(finding, CellFinding):
            placed.append(finding)  # TSL904: the JSON cannot be read, at its own position
            continue
        if finding.file_line is None:
            continue
        values = {f.name: getattr(finding, f.name) for f in fields(Finding)}
        values.update(line=finding.file_line, column=finding.file_column, end_line=finding.file_end_line,
                      end_column=finding.file_end_column, witness_line=None, fix=None,
                      message=f"cell {finding.cell}:{finding.line}:{finding.column}: {finding.message}")
        placed.append(Finding(**values))
    return placed


def register(server: Any) -> None:
    """The notebook features of ``server``."""
    server.notebooks = {}

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenNotebookDocumentParams) -> None:
        server.focused = params.notebook_document.uri
        schedule(server, params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeNotebookDocumentParams) -> None:
        server.focused = params.notebook_document.uri
        schedule(server, params.notebook_document.uri, server.debounce)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseNotebookDocumentParams) -> None:
        state = server.notebooks.pop(unquote(params.notebook_document.uri), None)
        if state is not None:
            state.generation += 1
            if state.task is not None and not state.task.done():
                state.task.cancel()
            if not server.pulls_diagnostics():
                for uri in state.diagnostics:
                    server._publish(uri, [])
