"""``tfshapelint lsp``: a language server on stdio (pygls), for live checking in editors.

- Diagnostics on open, on change (debounced) and on save, with the project's configuration (the
  nearest pyproject.toml of the document, as the command line finds it: ``config.resolve``),
  its rule selection and per-file ignores (``Settings.keep``), its excludes (as with
  ``--force-exclude``: an excluded document gets no diagnostics) and ``# noqa`` comments.
- Hover on a name that holds a tensor: its inferred shape and derivation (``explain_source``).
- Notebooks: LSP 3.17 notebook documents (``lsp_notebooks``: the code cells linted as one program,
  diagnostics on each cell's URI); a ``.ipynb`` opened as text gets its findings in the JSON text.
- Code actions: a quick fix for each finding that has a fix ("(unsafe)" when it is not safe), and
  ``source.fixAll.tfshapelint``, which applies every safe fix (as ``--fix`` would).

- Diagnostics are pushed (``textDocument/publishDiagnostics``), or pulled when the client says it
  pulls (``textDocument/diagnostic``, LSP 3.17): then they are not pushed too.
- Documents are looked up by the URI pygls stores them under (percent-escapes decoded), and
  answered under the URI the client sent: paths with spaces, non-ASCII names, ``file:///c%3A/``.

Analysis runs on worker threads, off the message loop (``lsp_workers``): two lint threads take
the focused document (the one last opened, edited or asked about) first, and run beside each
other, so a large file delays neither the message loop nor another file's diagnostics; an edit
made while a file is analysed makes the result stale, so it is dropped, and a job superseded
before it starts is skipped. A failure of the analysis becomes a TSL902 diagnostic; the server
keeps running. Each lint thread lints in a worker process of its own (``lsp_isolation``) with the
time and memory bounds of a ``-j`` worker, so a file over them costs its own diagnostics (TSL903),
never the server. A third thread explains for hovers, so a hover never waits behind a lint. Before
they start, the process-wide recursion limit is raised once to what the interpreter asks for (so
its own save/restore cannot race between threads) and the op registry is loaded.

pygls and lsprotocol come with the ``lsp`` extra: ``pip install 'tfshapelint[lsp]'``.
"""

from __future__ import annotations

import ast
import asyncio
import logging
import os
import re
import sys
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import unquote, urlparse

from . import __version__, diagnostics
from .config import ConfigError, Options, Settings, resolve
from .files import is_excluded
from .findings import Finding
from .fix import apply_fixes
from .lsp_workers import LINT_THREADS, AnalysisPool
from .positions import UTF16, LineIndex
from .report.full import chain_lines, witness_text
from .report.meta import rule_url
from .repro.editor import REPRODUCER_KIND, reproducer_actions

try:
    from lsprotocol import types
    try:
        from pygls.lsp.server import LanguageServer  # pygls 2
    except ImportError:  # pragma: no cover - pygls 1.x
        from pygls.server import LanguageServer
    _MISSING: Optional[ImportError] = None
except ImportError as _error:  # the `lsp` extra is not installed: `serve` says so
    types = None  # type: ignore[assignment]
    LanguageServer = object  # type: ignore[assignment,misc]
    _MISSING = _error

NAME = "tfshapelint"
SOURCE = "tfshapelint"
FIX_ALL_KIND = "source.fixAll.tfshapelint"
DEBOUNCE_SECONDS = 0.3
SWITCH_INTERVAL = 0.001  # seconds a thread holds the GIL when others wait: the message loop answers sooner
RECURSION_LIMIT = 6000  # what lint_source raises it to: set once, so its save/restore is a no-op

MISSING_MESSAGE = (
    "tfshapelint: error: the language server needs pygls and lsprotocol, which are not installed ({error}).\n"
    "Install them into tfshapelint's environment: pip install 'pygls>=1.3' lsprotocol (the lsp extra)\n"
)

log = logging.getLogger("tfshapelint.lsp")


# --- pure conversions (no server state) ----------------------------------------------------------

def path_of(uri: str) -> Optional[str]:
    """The file system path of a ``file:`` URI; None for other schemes (``untitled:``...)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if parsed.netloc and parsed.netloc != "localhost":
        path = f"//{parsed.netloc}{path}"
    if os.name == "nt":  # pragma: no cover
        if re.match(r"^/[A-Za-z]:", path):
            path = path[1:]
        path = os.path.normpath(path)
    return path


def severity_of(code: str):
    """Error for the rules (TSL001-899), Warning for the tool's own diagnostics (TSL9xx)."""
    return types.DiagnosticSeverity.Warning if code.startswith("TSL9") else types.DiagnosticSeverity.Error


def lsp_range(index: LineIndex, line: int, column: int, end_line: Optional[int], end_column: Optional[int]):
    start = index.to_lsp(line, column)
    if end_line is None or end_column is None:
        # A diagnostic without an extent (a syntax error...): to the end of its line.
        end_line, end_column = line, max(index.line_end(line), column)
    end = index.to_lsp(end_line, end_column)
    if end < start:
        end = start
    return types.Range(start=types.Position(*start), end=types.Position(*end))


def diagnostic_message(finding: Finding) -> str:
    """The message, then (as ``--output-format full``) the derivation and where TensorFlow fails."""
    lines = [finding.message]
    lines.extend(chain_lines(finding.chain, indent=""))
    witness = witness_text(finding)
    if witness:
        lines.append(f"TensorFlow goes wrong at {witness}")
    return "\n".join(lines)


def to_diagnostic(finding: Finding, index: LineIndex, uri: str, related_information: bool = True):
    url = rule_url(finding.code)
    related = None
    if related_information and finding.witness_line is not None and finding.witness_line != finding.line:
        witness = finding.witness_line
        text = index.line_text(witness - 1)
        start = len(text) - len(text.lstrip()) + 1
        related = [types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=lsp_range(index, witness, start, witness, index.line_end(witness))),
            message="TensorFlow goes wrong here")]
    return types.Diagnostic(
        range=lsp_range(index, finding.line, finding.column, finding.end_line, finding.end_column),
        message=diagnostic_message(finding),
        severity=severity_of(finding.code),
        code=finding.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        related_information=related,
        data={"name": finding.name, "fixable": finding.fix is not None},
    )


def text_edits(finding: Finding, index: LineIndex) -> list:
    return [types.TextEdit(range=lsp_range(index, e.line, e.column, e.end_line, e.end_column), new_text=e.content)
            for e in finding.fix.edits]


def kind_wanted(kind: str, only: Optional[list]) -> bool:
    """Does a code action of ``kind`` answer a request for the kinds ``only`` (hierarchical: ``source``
    asks for ``source.fixAll.tfshapelint`` too)?"""
    if not only:
        return True
    return any(kind == str(getattr(want, "value", want)) or kind.startswith(str(getattr(want, "value", want)) + ".")
               for want in only)


def ranges_touch(a, b) -> bool:
    """Do two LSP ranges overlap or touch (a cursor at the end of a diagnostic still gets its fix)?"""
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and \
        (b.start.line, b.start.character) <= (a.end.line, a.end.character)


# --- hover ---------------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[^\W\d]\w*")
_DOTTED = re.compile(r"[^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*")


def words_at(line: str, column0: int) -> Optional[tuple[int, int, list[str]]]:
    """The identifier at the 0-based character ``column0`` (or just before it): its span, and the
    names to look up (``self.conv1`` then ``conv1`` when the cursor is on ``conv1`` of ``self.conv1``)."""
    matches = list(_IDENTIFIER.finditer(line))
    match = next((m for m in matches if m.start() <= column0 < m.end()), None) or \
        next((m for m in matches if m.end() == column0), None)
    if match is None:
        return None
    names = []
    for dotted in _DOTTED.finditer(line):
        if dotted.start() <= match.start() and match.end() <= dotted.end():
            prefix = re.sub(r"\s+", "", line[dotted.start():match.end()])
            if prefix != match.group():
                names.append(prefix)
            break
    names.append(match.group())
    return match.start(), match.end(), names


def scopes_of(text: str) -> list[tuple[int, int]]:
    """The line spans of every function and class, to tell a function's ``x`` from another's."""
    from .linter import parse_python2, parse_tree  # ast.parse, without Python 3.10's crash on very deep code

    try:
        tree = parse_tree(text)
    except SyntaxError:
        tree = parse_python2(text)  # a file of Python 2: its translation, with the file's lines
    except (ValueError, RecursionError, MemoryError):
        return []
    if tree is None:
        return []
    return [(node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]


def scope_at(scopes: list[tuple[int, int]], line: int) -> Optional[tuple[int, int]]:
    inside = [span for span in scopes if span[0] <= line <= span[1]]
    return max(inside, key=lambda span: span[0]) if inside else None  # the innermost


def find_rows(rows: list, scopes: list, names: list[str], line: int, column: int) -> tuple[str, list]:
    """The name and the explain rows a hover at (line, column) on one of ``names`` is about: the
    last assignment before it in the same function (or, failing that, at module level); a Keras
    model's rows (its input and layers) together."""
    here = scope_at(scopes, line)
    for name in names:
        def holds(row) -> bool:
            return row.name == name or row.name.startswith(name + ".") or row.name == f"{name} (input)"

        candidates = [row for row in rows if holds(row)]
        if not candidates:
            continue
        for scope in ((here, None) if here is not None else (None,)):
            local = [row for row in candidates if scope_at(scopes, row.line) == scope]
            if not local:
                continue
            before = [row for row in local if (row.line, row.column) <= (line, column)]
            if before:
                chosen = before[-1]
            elif scope is None and here is not None:
                chosen = local[-1]  # a global read in a function defined above its assignment
            else:
                continue
            return name, [row for row in local if (row.line, row.column) == (chosen.line, chosen.column)]
    return "", []


def chain_text(chain: list) -> str:
    if not chain:
        return ""
    if len(chain) % 2 == 0:  # the derivation's start was cut: it begins with an operation
        chain = ["…", *chain]
    return "\n".join(chain_lines(chain, indent=""))


def hover_markdown(name: str, rows: list, markdown: bool = True) -> str:
    """A tensor's shape, source and derivation; a Keras model's table of layer output shapes."""
    code = (lambda text: f"`{text}`") if markdown else (lambda text: text)
    bold = (lambda text: f"**{text}**") if markdown else (lambda text: text)
    if len(rows) == 1 and rows[0].name == name:
        row = rows[0]
        varies = " (varies by call)" if row.varies else ""
        head = f"{code(row.name)}: {bold(row.shape)}{varies}, from {code(row.source)} (line {row.line})"
        chain = chain_text(row.chain)
        if not chain or chain == row.shape:
            return head
        return f"{head}\n\n```text\n{chain}\n```" if markdown else f"{head}\n\n{chain}"
    lines = [f"{code(name)}: model (line {rows[0].line})", ""]
    if markdown:
        lines += ["| layer | output shape |", "|---|---|"]
        lines += [f"| {row.name} | {row.shape} |" for row in rows]
    else:
        lines += [f"{row.name}: {row.shape}" for row in rows]
    return "\n".join(lines)


# --- the server ----------------------------------------------------------------------------------

@dataclass
class Analysis:
    text: str
    findings: list  # selected, not suppressed
    diagnostics: list
    index: LineIndex
    imports: frozenset = frozenset()  # the project modules the document imports, transitively (paths)


@dataclass
class _DocumentState:
    generation: int = 0
    task: Optional[asyncio.Task] = None
    analysis: Optional[Analysis] = None
    explained: Optional[tuple] = None  # (text, rows, scopes)
    open: bool = True


@dataclass
class _ServerState:
    documents: dict = field(default_factory=dict)
    config_errors_shown: set = field(default_factory=set)


class TfShapeLintServer(LanguageServer):  # type: ignore[misc,valid-type]
    """The language server: one per process."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(NAME, __version__, *args, **kwargs)
        self.state = _ServerState()
        self.executor = AnalysisPool("tfshapelint-lint", threads=LINT_THREADS)
        self.hover_executor = AnalysisPool("tfshapelint-hover")
        self.debounce = DEBOUNCE_SECONDS
        self.focused: Optional[str] = None  # the document last opened, edited or asked about
        self._processes = threading.local()  # each lint thread's worker process
        self.lint_processes: list = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    # -- helpers over pygls versions --

    def _publish(self, uri: str, diagnostics_: list, version: Optional[int] = None) -> None:
        params = types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics_, version=version)
        if hasattr(self, "text_document_publish_diagnostics"):
            self.text_document_publish_diagnostics(params)
        else:  # pragma: no cover - pygls 1.x
            self.publish_diagnostics(uri, diagnostics_, version)

    def _on_loop(self, fn: Callable, *args: Any) -> None:
        """Run ``fn`` on the message loop (the worker thread must not write to the client itself)."""
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            fn(*args)
        else:
            loop.call_soon_threadsafe(fn, *args)

    def _show(self, message: str, kind=None) -> None:
        kind = kind or types.MessageType.Error
        if hasattr(self, "window_show_message"):
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))
        else:  # pragma: no cover - pygls 1.x
            self.show_message(message, kind)

    def _log(self, message: str, kind=None) -> None:
        kind = kind or types.MessageType.Error
        if hasattr(self, "window_log_message"):
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        else:  # pragma: no cover - pygls 1.x
            self.show_message_log(message, kind)

    def _open_document(self, uri: str):
        """The open document ``uri``: pygls keys documents by the URI with its %-escapes decoded."""
        documents = getattr(self.workspace, "text_documents", None)
        if documents is None:  # pragma: no cover - older pygls
            documents = getattr(self.workspace, "documents", {})
        return documents.get(uri) or documents.get(unquote(uri))

    def pulls_diagnostics(self) -> bool:
        """Does the client ask for diagnostics (``textDocument/diagnostic``) rather than take pushes?"""
        return self._capability("text_document", "diagnostic") is not None

    def _encoding(self) -> str:
        encoding = getattr(self.workspace, "position_encoding", None) or UTF16
        return str(getattr(encoding, "value", encoding))

    def _capability(self, *path: str) -> Any:
        value: Any = getattr(self, "client_capabilities", None)
        for name in path:
            value = getattr(value, name, None)
        return value

    def _root(self) -> str:
        root = getattr(self.workspace, "root_path", None)
        return root if root and os.path.isdir(root) else os.getcwd()

    # -- analysis (on the worker thread) --

    def settings_for(self, path: Optional[str]) -> tuple[Settings, Optional[str]]:
        """The settings the command line would use for ``path`` (and a configuration error, if any)."""
        root = self._root()
        try:
            return resolve(Options(), paths=[path] if path else [], cwd=root), None
        except ConfigError as error:
            return resolve(Options(), isolated=True, cwd=root), str(error)

    def analyse(self, uri: str, text: str, encoding: str, related_information: bool = True,
                overlay: Optional[dict] = None) -> Analysis:
        """Lint ``text`` as the document ``uri``, with the open documents' texts (``overlay``, by
        path) standing for the project modules it imports: never raises."""
        index = LineIndex(text, encoding)
        path = path_of(uri)
        report_path = path or uri
        try:
            settings, config_error = self.settings_for(path)
            if config_error and config_error not in self.state.config_errors_shown:
                self.state.config_errors_shown.add(config_error)
                self._on_loop(self._show, f"tfshapelint: {config_error} (using the default settings)")
            imports: frozenset = frozenset()
            if path is not None and is_excluded(path, settings):
                findings: list = []
            elif report_path.endswith(".ipynb"):  # a notebook's JSON text, opened as text
                from .lsp_notebooks import in_json_text
                from .notebooks import lint_notebook

                findings = in_json_text(settings.keep(lint_notebook(
                    text, report_path, lambda code, name: self.lint_isolated(code, name, settings)[0])))
            else:
                raw, imports = self.lint_isolated(text, report_path, settings, overlay)
                findings = settings.keep(raw)
            return Analysis(text, findings, [to_diagnostic(f, index, uri, related_information) for f in findings],
                            index, imports)
        except Exception as error:  # noqa: BLE001 - one document's failure must not stop the server
            log.exception("internal error while analysing %s", uri)
            self._on_loop(self._log, f"tfshapelint: internal error while analysing {uri}:\n{traceback.format_exc()}")
            finding = diagnostics.diagnostic(
                diagnostics.INTERNAL_ERROR, report_path,
                f"internal error while analysing this file: {type(error).__name__}: {error} (please report it with the file)")
            return Analysis(text, [finding], [to_diagnostic(finding, index, uri, False)], index)

    def resolve_fixes(self, uri: str, analysis: Analysis) -> None:
        """Make the fixes of ``analysis`` (libcst codemods, checked by linting the fixed text), once:
        when code actions are asked for, not at every analysis."""
        from .fixes.resolve import pending, resolve

        if not pending(analysis.findings):
            return
        path = path_of(uri)
        settings, _ = self.settings_for(path)
        overlay = self.open_texts()

        def lint(text: str) -> list:
            loader = _project_loader(settings, overlay)
            return settings.keep(self._lint(text, path or uri, settings.target.analysed, loader))

        notes: list = []
        resolve(analysis.text, analysis.findings, lint, notes)
        for note in notes:
            self._on_loop(self._log, f"tfshapelint: {note}")

    def _lint(self, text: str, path: str, target_version, loader=None) -> list:
        from .linter import lint_source

        return lint_source(text, path, target_version=target_version, loader=loader)

    def lint_isolated(self, text: str, path: str, settings: Settings, overlay: Optional[dict] = None) -> tuple:
        """(raw findings, imported project modules) of ``text`` as ``path``, linted in this thread's
        worker process (``lsp_isolation``: the time and memory bounds of a ``-j`` worker)."""
        from .lsp_isolation import LintProcess

        process = getattr(self._processes, "process", None)
        if process is None:
            process = self._processes.process = LintProcess()
            self.lint_processes.append(process)
        return process.lint(text, path, settings.target.analysed, tuple(settings.src), overlay)

    def open_texts(self) -> dict:
        """The open documents' texts by path: what the project's modules are while being edited."""
        texts = {}
        for uri in self.state.documents:
            document = self._open_document(uri)
            path = path_of(uri)
            if document is not None and path is not None and path.endswith(".py"):
                texts[os.path.abspath(path)] = document.source
        return texts

    def recheck_importers(self, changed: set) -> None:
        """Re-analyse the open documents that import one of ``changed`` (paths), as a build would."""
        for uri, state in list(self.state.documents.items()):
            path = path_of(uri)
            if state.analysis is not None and path is not None and os.path.abspath(path) not in changed \
                    and state.analysis.imports & changed:
                self.schedule(uri, self.debounce)

    def explain(self, uri: str, text: str) -> tuple:
        """(text, explain rows, function spans) of the document, cached by text."""
        state = self.state.documents.get(uri)
        if state is not None and state.explained is not None and state.explained[0] == text:
            return state.explained
        from .explain import explain_source
        from .lsp_notebooks import explain_cell

        in_notebook = explain_cell(self, uri)
        if in_notebook is not None:
            return in_notebook

        try:
            rows = explain_source(text)
        except Exception:  # noqa: BLE001 - a syntax error, or a failure: no hover, never a crash
            rows = []
        explained = (text, rows, scopes_of(text))
        if state is not None:
            state.explained = explained
        return explained

    async def run(self, fn: Callable, *args: Any, executor: Optional[AnalysisPool] = None,
                  uri: Optional[str] = None) -> Any:
        """``fn(*args)`` on a worker thread; a job for the focused document ``uri`` goes first."""
        self._loop = asyncio.get_running_loop()
        priority = (0 if uri is not None and uri == self.focused else 1,)
        return await asyncio.wrap_future((executor or self.executor).submit_ranked(priority, fn, *args))

    # -- scheduling (on the message loop) --

    def schedule(self, uri: str, delay: float) -> None:
        """(Re)analyse ``uri`` after ``delay`` seconds, superseding any pending analysis of it."""
        state = self.state.documents.setdefault(uri, _DocumentState())
        state.open = True
        state.generation += 1
        if state.task is not None and not state.task.done():
            state.task.cancel()
        state.task = asyncio.get_running_loop().create_task(self._lint_later(uri, state, state.generation, delay))

    async def _lint_later(self, uri: str, state: _DocumentState, generation: int, delay: float) -> None:
        try:
            await self._lint_and_publish(uri, state, generation, delay)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - e.g. the client went away: log it, keep serving
            log.exception("cannot publish the diagnostics of %s", uri)

    async def _lint_and_publish(self, uri: str, state: _DocumentState, generation: int, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        document = self._open_document(uri)
        if document is None:
            log.warning("no open document %s: its diagnostics are not computed", uri)
        if document is None or not state.open or state.generation != generation:
            return
        text, version = document.source, document.version
        related = bool(self._capability("text_document", "publish_diagnostics", "related_information"))

        overlay = self.open_texts()

        def job() -> Optional[Analysis]:
            if state.generation != generation:  # superseded while it waited for the worker
                return None
            return self.analyse(uri, text, self._encoding(), related, overlay)

        analysis = await self.run(job, uri=uri)
        if analysis is None or not state.open or state.generation != generation:
            return  # the document changed or closed meanwhile: a newer analysis will publish
        state.analysis = analysis
        if not self.pulls_diagnostics():
            self._publish(uri, analysis.diagnostics, version)

    def close(self, uri: str) -> None:
        state = self.state.documents.pop(uri, None)
        if state is not None:
            state.open = False
            state.generation += 1
            if state.task is not None and not state.task.done():
                state.task.cancel()
        self._publish(uri, [])

    async def current_analysis(self, uri: str) -> Optional[Analysis]:
        """The analysis of the document's current text (the published one, or a fresh one)."""
        document = self._open_document(uri)
        if document is None:
            return None
        text = document.source
        state = self.state.documents.get(uri)
        if state is not None and state.analysis is not None and state.analysis.text == text:
            return state.analysis
        related = bool(self._capability("text_document", "publish_diagnostics", "related_information")
                       or self._capability("text_document", "diagnostic", "related_information"))
        analysis = await self.run(self.analyse, uri, text, self._encoding(), related, self.open_texts(), uri=uri)
        if state is not None and state.open:
            state.analysis = analysis
        return analysis

    async def pull_diagnostics(self, params) -> Any:
        """``textDocument/diagnostic``: the current text's diagnostics, computed now if need be."""
        from .lsp_notebooks import cell_diagnostics

        uri = params.text_document.uri
        self.focused = uri
        in_notebook = await cell_diagnostics(self, uri)
        if in_notebook is not None:
            return types.RelatedFullDocumentDiagnosticReport(items=in_notebook)
        analysis = await self.current_analysis(uri)
        items = analysis.diagnostics if analysis is not None else []
        return types.RelatedFullDocumentDiagnosticReport(items=items)

    # -- requests --

    async def hover(self, params) -> Optional[Any]:
        try:
            return await self._hover(params)
        except Exception:  # noqa: BLE001 - no hover rather than an error in the editor
            log.exception("hover failed in %s", params.text_document.uri)
            return None

    async def _hover(self, params) -> Optional[Any]:
        uri = params.text_document.uri
        document = self._open_document(uri)
        if document is None:
            return None
        text = document.source
        self.focused = uri
        _, rows, scopes = await self.run(self.explain, uri, text, executor=self.hover_executor)
        if not rows:
            return None
        index = LineIndex(text, self._encoding())
        line_text = index.line_text(params.position.line)
        line, column = index.from_lsp(params.position.line, params.position.character)
        found = words_at(line_text, column - 1)
        if found is None:
            return None
        start, end, names = found
        name, chosen = find_rows(rows, scopes, names, line, start + 1)
        if not chosen:
            return None
        formats = self._capability("text_document", "hover", "content_format") or [types.MarkupKind.Markdown]
        markdown = types.MarkupKind.Markdown in formats or "markdown" in formats
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                                         value=hover_markdown(name, chosen, markdown)),
            range=lsp_range(index, line, start + 1, line, end + 1))

    async def code_actions(self, params) -> Optional[list]:
        uri = params.text_document.uri
        analysis = await self.current_analysis(uri)
        if analysis is None:
            return None
        only = params.context.only if params.context is not None else None
        await self.run(self.resolve_fixes, uri, analysis)
        actions = []
        if kind_wanted(types.CodeActionKind.QuickFix.value, only):
            for finding, diagnostic in zip(analysis.findings, analysis.diagnostics):
                if finding.fix is None or not finding.fix.edits or not ranges_touch(diagnostic.range, params.range):
                    continue
                safe = finding.fix.applicability == "safe"
                actions.append(types.CodeAction(
                    title=f"{NAME} ({finding.code}): {finding.fix.message}" + ("" if safe else " (unsafe)"),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=safe,
                    edit=types.WorkspaceEdit(changes={uri: text_edits(finding, analysis.index)}),
                ))
        if kind_wanted(REPRODUCER_KIND, only):
            actions += reproducer_actions(analysis.findings, analysis.diagnostics, params.range, ranges_touch)
        if kind_wanted(FIX_ALL_KIND, only):
            _, applied = apply_fixes(analysis.text, analysis.findings, unsafe=False)
            if applied:
                edits = [edit for finding in applied for edit in text_edits(finding, analysis.index)]
                actions.append(types.CodeAction(
                    title=f"{NAME}: apply all safe fixes ({len(applied)})",
                    kind=FIX_ALL_KIND,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                ))
        return actions


def _project_loader(settings: Settings, overlay: Optional[dict]):
    """A loader for one analysis: modules are read afresh (they may have changed since the last one)."""
    from .project.loader import ProjectLoader
    from .project.resolve import Resolver

    return ProjectLoader(Resolver(settings.src), settings.target.analysed, overlay=overlay)


def _paths(uris: list) -> set:
    return {os.path.abspath(path) for path in map(path_of, uris) if path is not None}


def create_server() -> TfShapeLintServer:
    """A server with every feature registered (not started)."""
    if _MISSING is not None:
        raise _MISSING
    from . import lsp_notebooks

    server = TfShapeLintServer(notebook_document_sync=lsp_notebooks.SYNC_OPTIONS)
    lsp_notebooks.register(server)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.focused = params.text_document.uri
        server.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.focused = params.text_document.uri
        server.schedule(params.text_document.uri, server.debounce)
        server.recheck_importers(_paths([params.text_document.uri]))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)
        server.recheck_importers(_paths([params.text_document.uri]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        server.recheck_importers(_paths([change.uri for change in params.changes]))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.close(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
        identifier=NAME, inter_file_dependencies=True, workspace_diagnostics=False))
    async def diagnostic(params: types.DocumentDiagnosticParams):
        return await server.pull_diagnostics(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams):
        return await server.hover(params)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND, REPRODUCER_KIND], resolve_provider=False))
    async def code_action(params: types.CodeActionParams):
        return await server.code_actions(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: Any = None) -> None:
        server.executor.shutdown(wait=False)
        server.hover_executor.shutdown(wait=False)
        for process in server.lint_processes:
            process.stop()

    return server


def prepare() -> None:
    """Process-wide state, set once before the workers start (see the module doc)."""
    from .ops.registry import registered_names

    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        registered_names()  # loads every op family now, not lazily in two threads at once
    except Exception:  # noqa: BLE001 - a broken op module: each analysis reports it (TSL902)
        log.exception("cannot load the op registry")


def serve() -> int:
    """Run the server on stdin/stdout until the client says exit; the process's exit code."""
    if _MISSING is not None:
        sys.stderr.write(MISSING_MESSAGE.format(error=_MISSING))
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="tfshapelint lsp: %(levelname)s: %(message)s")
    prepare()
    server = create_server()
    server.start_io()
    return 0
