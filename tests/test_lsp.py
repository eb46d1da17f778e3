"""The language server, driven end to end as an editor drives it: ``python -m tfshapelint lsp`` in a
subprocess, a real LSP client (pytest-lsp) talking JSON-RPC to it over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import attrs
import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

from tfshapelint import lsp  # noqa: E402
from tfshapelint.findings import Edit, Finding, Fix  # noqa: E402
from tfshapelint.positions import UTF8, UTF16, UTF32, LineIndex, from_units, split_lines, to_units  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "mnist_convnet.py").read_text()
SERVER_COMMAND = [sys.executable, "-m", "tfshapelint", "lsp"]
TIMEOUT = 60.0

# A non-ASCII line, then the finding on a line whose prefix has characters of 2, 3 and 4 UTF-8
# bytes, and of 1 and 2 UTF-16 code units.
UNICODE = (
    "# Modèle: 形状のバグ 🧠\n"
    "import tensorflow as tf\n"
    "a = tf.zeros([8, 3])\n"
    "b = tf.zeros([4, 4])\n"
    "note = \"naïve 😀 形\"; c = tf.matmul(a, b)\n"
)
BAD_MATMUL = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n"
SYNTAX_ERROR = "import tensorflow as tf\nx = tf.zeros([2, 3]\n"


def make_client() -> LanguageClient:
    """pytest-lsp's test client, also keeping every publishDiagnostics it receives, in order."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []

    def publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish_diagnostics})
    return client


def server_config(env: dict | None = None) -> ClientServerConfig:
    return ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client,
                              server_env={**os.environ, **env} if env else None)


async def start_session(config: ClientServerConfig, root: Path, spec: str = "visual-studio-code", **capabilities):
    client = await config.start()
    result = await client.initialize_session(types.InitializeParams(
        capabilities=attrs.evolve(client_capabilities(spec), **capabilities), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]))
    return client, result


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient, tmp_path):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="project")]))
    yield
    await lsp_client.shutdown_session()


# --- helpers ---------------------------------------------------------------------------------------

def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))
    return uri


async def published(client: LanguageClient, uri: str, version: int | None = None, since: int = 0,
                    timeout: float = TIMEOUT) -> list:
    """The diagnostics of the first publication for ``uri`` (of ``version``) after the ``since``-th."""
    deadline = time.monotonic() + timeout
    while True:
        for params in client.published[since:]:
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)
        if time.monotonic() > deadline:
            raise AssertionError(f"no diagnostics published for {uri} (version {version}): {client.published}")
        await asyncio.sleep(0.02)


async def current_diagnostics(client: LanguageClient, uri: str, version: int | None = None) -> list:
    """The document's diagnostics: pulled when the client pulls them (Neovim 0.10+), else pushed."""
    if client.capabilities.text_document.diagnostic is not None:
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        return list(report.items)
    return await published(client, uri, version)


def line_of(text: str, needle: str) -> int:
    """The 0-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.split("\n")) if needle in line)


def apply_edits(text: str, edits: list) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``, as an editor does (independent of the server)."""
    lines = text.split("\n")

    def offset(position) -> int:
        line = lines[position.line]
        units, column = 0, 0
        while column < len(line) and units < position.character:
            units += 2 if ord(line[column]) > 0xFFFF else 1
            column += 1
        return sum(len(x) + 1 for x in lines[:position.line]) + column

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


# --- end to end ------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_seed_bug_diagnostic_hover_and_quick_fix(client: LanguageClient, tmp_path):
    uri = open_document(client, tmp_path / "mnist_convnet.py", EXAMPLE)
    diagnostics = await published(client, uri, version=1)

    # The TSL001 diagnostic, at `4*4*64` of the `wd1` line.
    assert [d.code for d in diagnostics] == ["TSL001"]
    diagnostic = diagnostics[0]
    line = line_of(EXAMPLE, "'wd1': tf.Variable")
    column = EXAMPLE.split("\n")[line].index("4*4*64")
    assert diagnostic.range == types.Range(start=types.Position(line, column),
                                           end=types.Position(line, column + len("4*4*64")))
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.source == "tfshapelint"
    assert diagnostic.code_description.href == "https://tfshapelint.readthedocs.io/en/latest/rules/TSL001/"
    assert diagnostic.data["name"] == "dense-input-mismatch"
    assert "expects 1024 (4*4*64) inputs" in diagnostic.message and "Nx7x7x64" in diagnostic.message
    witness = line_of(EXAMPLE, "dense1 = tf.reshape(conv2")
    assert diagnostic.related_information[0].location.range.start.line == witness

    # Hover over `conv2`, the tensor that is flattened: its shape and how it came about.
    position = types.Position(witness, EXAMPLE.split("\n")[witness].index("conv2") + 2)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position))
    assert hover is not None
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "Nx7x7x64" in hover.contents.value and "`conv2`" in hover.contents.value
    assert "-max_pool k2 s2 SAME-> Nx7x7x64" in hover.contents.value
    assert hover.range.start == types.Position(witness, position.character - 2)

    # The quick fix, and the fix-all action; apply the fix's workspace edit with didChange.
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))
    kinds = {action.kind: action for action in actions}
    assert set(kinds) == {types.CodeActionKind.QuickFix, lsp.FIX_ALL_KIND, lsp.REPRODUCER_KIND}
    quick_fix = kinds[types.CodeActionKind.QuickFix]
    assert quick_fix.title == "tfshapelint (TSL001): declare `wd1` with 7*7*64 inputs"
    assert quick_fix.is_preferred
    assert quick_fix.diagnostics[0].code == "TSL001"
    edits = quick_fix.edit.changes[uri]
    assert [edit.new_text for edit in edits] == ["7*7*64"]
    assert kinds[lsp.FIX_ALL_KIND].edit.changes[uri] == edits

    since = len(client.published)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
                         for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                                            reverse=True)]))
    assert await published(client, uri, version=2, since=since) == []
    fixed = apply_edits(EXAMPLE, edits)
    assert "'wd1': tf.Variable(tf.random_normal([7*7*64, 1024]))" in fixed

    # Nothing left to fix; closing the document clears its diagnostics.
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[])))
    assert not actions
    since = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await published(client, uri, since=since) == []


TWO_FIXES = """import tensorflow as tf

x = tf.random.normal([64, 3])
y = tf.random.normal([64])
W = tf.Variable(tf.random.normal([3, 1]))
pred = tf.matmul(x, W)
loss = tf.reduce_mean(tf.square(pred - y))
logits = tf.random.normal([8, 10])
ids = tf.zeros([8], tf.int64)
xent = tf.nn.sparse_softmax_cross_entropy_with_logits(logits, ids)
"""


@pytest.mark.asyncio
async def test_codemod_fixes_as_code_actions_and_fix_all_takes_the_safe_ones(client: LanguageClient, tmp_path):
    uri = open_document(client, tmp_path / "two.py", TWO_FIXES)
    diagnostics = await published(client, uri, version=1)
    assert [d.code for d in diagnostics] == ["TSL012", "TSL011"]
    whole = types.Range(start=types.Position(0, 0), end=types.Position(10, 0))
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=whole,
        context=types.CodeActionContext(diagnostics=diagnostics)))
    titles = {action.title: action for action in actions}
    unsafe = titles["tfshapelint (TSL012): squeeze the 64x1 operand, `tf.squeeze(..., axis=-1)` (unsafe)"]
    assert not unsafe.is_preferred
    assert [e.new_text for e in unsafe.edit.changes[uri]] == ["tf.squeeze(pred, axis=-1)"]
    fix_all = titles["tfshapelint: apply all safe fixes (1)"]
    fixed = apply_edits(TWO_FIXES, fix_all.edit.changes[uri])
    assert fixed == TWO_FIXES.replace("(logits, ids)", "(labels=ids, logits=logits)")


@pytest.mark.asyncio
async def test_syntax_error_is_a_warning_and_the_server_goes_on(client: LanguageClient, tmp_path):
    uri = open_document(client, tmp_path / "unfinished.py", SYNTAX_ERROR)
    diagnostics = await published(client, uri, version=1)
    assert [d.code for d in diagnostics] == ["TSL901"]
    assert diagnostics[0].severity == types.DiagnosticSeverity.Warning
    assert diagnostics[0].code_description is None  # the tool's own diagnostics have no rule page
    assert diagnostics[0].range.start.line == 1
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 0)))
    assert hover is None

    # Finishing the line: several quick edits are debounced into one analysis of the last text.
    since = len(client.published)
    for version, text in enumerate(["[2, 3])\n", "[2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n"], start=2):
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(
                text="import tensorflow as tf\nx = tf.zeros(" + text)]))
    diagnostics = await published(client, uri, version=3, since=since)
    assert [d.code for d in diagnostics] == ["TSL004"]
    assert all(params.version != 2 for params in client.published[since:])


@pytest.mark.asyncio
@pytest.mark.parametrize("spec, encoding", [("visual-studio-code", UTF16), ("neovim@v0.11.0", UTF8),
                                            ("emacs", UTF32)])
async def test_columns_in_the_negotiated_encoding(tmp_path, spec, encoding):
    """UTF-16 code units by default; UTF-8 or UTF-32 when the client prefers them."""
    client, result = await start_session(server_config(), tmp_path, spec)
    try:
        assert result.capabilities.position_encoding == encoding
        uri = open_document(client, tmp_path / "unicode.py", UNICODE)
        diagnostics = await current_diagnostics(client, uri, version=1)
        assert [d.code for d in diagnostics] == ["TSL004"]
        line = UNICODE.split("\n")[4]
        start, end = line.index("tf.matmul"), line.index("tf.matmul(a, b)") + len("tf.matmul(a, b)")

        def units(prefix: str) -> int:
            if encoding == UTF8:
                return len(prefix.encode("utf-8"))
            if encoding == UTF16:
                return len(prefix.encode("utf-16-le")) // 2
            return len(prefix)

        assert encoding == UTF32 or units(line[:start]) != start  # the line really tests the conversion
        assert diagnostics[0].range == types.Range(start=types.Position(4, units(line[:start])),
                                                   end=types.Position(4, units(line[:end])))

        # Hover on `a` of the matmul, after the non-ASCII characters.
        column = line.index("(a, b)") + 1
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(4, units(line[:column]))))
        assert hover is not None and "**8x3**" in hover.contents.value
        assert hover.range == types.Range(start=types.Position(4, units(line[:column])),
                                          end=types.Position(4, units(line[:column + 1])))
    finally:
        await client.shutdown_session()
        await client.stop()


@pytest.mark.asyncio
async def test_configuration_and_noqa_are_honoured(client: LanguageClient, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.tfshapelint]\nper-file-ignores = { 'legacy/*' = ['TSL004'] }\nextend-exclude = ['generated']\n")
    checked = open_document(client, tmp_path / "models" / "net.py", BAD_MATMUL)
    ignored = open_document(client, tmp_path / "legacy" / "net.py", BAD_MATMUL)
    excluded = open_document(client, tmp_path / "generated" / "net.py", BAD_MATMUL)
    suppressed = open_document(client, tmp_path / "models" / "quiet.py",
                               BAD_MATMUL.replace("4]))\n", "4]))  # noqa: TSL004 - known\n"))
    # A nested project with TF1 semantics: matmul operands of different ranks are an error there.
    (tmp_path / "tf1" / "pyproject.toml").parent.mkdir()
    (tmp_path / "tf1" / "pyproject.toml").write_text("[tool.tfshapelint]\ntarget-version = 'tf1'\n")
    batched = "import tensorflow as tf\nx = tf.matmul(tf.zeros([2, 3, 4]), tf.zeros([4, 5]))\n"
    tf1 = open_document(client, tmp_path / "tf1" / "net.py", batched)
    tf2 = open_document(client, tmp_path / "models" / "batched.py", batched)
    assert [d.code for d in await published(client, tf1, version=1)] == ["TSL004"]
    assert await published(client, tf2, version=1) == []
    assert [d.code for d in await published(client, checked, version=1)] == ["TSL004"]
    assert await published(client, ignored, version=1) == []
    assert await published(client, excluded, version=1) == []
    assert await published(client, suppressed, version=1) == []


@pytest.mark.asyncio
async def test_a_bad_configuration_is_shown_and_the_defaults_are_used(client: LanguageClient, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.tfshapelint]\nselct = ['TSL004']\n")
    uri = open_document(client, tmp_path / "net.py", BAD_MATMUL)
    assert [d.code for d in await published(client, uri, version=1)] == ["TSL004"]
    for _ in range(100):
        if client.messages:
            break
        await asyncio.sleep(0.05)
    assert "unknown key 'selct'" in client.messages[0].message
    assert client.messages[0].type == types.MessageType.Error


@pytest.mark.asyncio
async def test_a_large_file_does_not_block_hovers(client: LanguageClient, tmp_path):
    small = open_document(client, tmp_path / "small.py", BAD_MATMUL)
    await published(client, small, version=1)
    large_text = large_program()
    since = len(client.published)
    large = open_document(client, tmp_path / "large.py", large_text)
    await asyncio.sleep(0.1)  # the large file's analysis has started
    started = time.monotonic()
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=small), position=types.Position(1, 0)))
    answered = time.monotonic() - started
    assert hover is not None and "2x3" in hover.contents.value
    assert not any(params.uri == large for params in client.published[since:]), "the hover waited for the lint"
    await published(client, large, version=1, since=since)
    assert answered < time.monotonic() - started


@pytest.mark.asyncio
async def test_an_internal_error_becomes_a_diagnostic_and_the_server_goes_on(tmp_path):
    # sitecustomize runs in the server process at start: it makes the linter crash on one marker.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import tfshapelint.linter as linter\n"
        "original = linter.lint_source\n"
        "def lint_source(text, path, *args, **kwargs):\n"
        "    if 'CRASH' in text:\n"
        "        raise RuntimeError('boom')\n"
        "    return original(text, path, *args, **kwargs)\n"
        "linter.lint_source = lint_source\n")
    pythonpath = os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")]))
    client, _ = await start_session(server_config({"PYTHONPATH": pythonpath}), tmp_path)
    try:
        crashing = open_document(client, tmp_path / "crash.py", BAD_MATMUL + "# CRASH\n")
        diagnostics = await published(client, crashing, version=1)
        assert [d.code for d in diagnostics] == ["TSL902"]
        assert "RuntimeError: boom" in diagnostics[0].message
        assert diagnostics[0].severity == types.DiagnosticSeverity.Warning
        fine = open_document(client, tmp_path / "fine.py", BAD_MATMUL)
        assert [d.code for d in await published(client, fine, version=1)] == ["TSL004"]
    finally:
        await client.shutdown_session()
        await client.stop()


def test_without_the_extra_the_command_says_how_to_install_it(tmp_path):
    (tmp_path / "pygls").mkdir()
    (tmp_path / "pygls" / "__init__.py").write_text("raise ImportError('No module named pygls')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(SERVER_COMMAND, capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "pip install 'pygls>=1.3' lsprotocol" in result.stderr
    assert result.stdout == ""


def test_raw_json_rpc_as_an_editor_starts_it(tmp_path):
    """No client library: the bytes an editor writes, and the notification it reads back."""
    path = tmp_path / "mnist_convnet.py"
    path.write_text(EXAMPLE)

    def message(payload: dict) -> bytes:
        body = json.dumps(payload).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    process = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        process.stdin.write(message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                     "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}))
        process.stdin.write(message({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        process.stdin.write(message({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": path.as_uri(), "languageId": "python", "version": 1, "text": EXAMPLE}}}))
        process.stdin.flush()
        replies = []
        while not any(reply.get("method") == "textDocument/publishDiagnostics" for reply in replies):
            headers = {}
            while (line := process.stdout.readline().decode().strip()):
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            assert headers, process.stderr.read().decode()
            replies.append(json.loads(process.stdout.read(int(headers["content-length"]))))
        assert replies[0]["id"] == 1 and replies[0]["result"]["capabilities"]["positionEncoding"] == "utf-16"
        diagnostics = replies[-1]["params"]["diagnostics"]
        assert [d["code"] for d in diagnostics] == ["TSL001"]
        assert "relatedInformation" not in diagnostics[0]  # the client did not say it supports it
        process.stdin.write(message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        process.stdin.write(message({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.close()
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


# --- the pieces --------------------------------------------------------------------------------------

def test_unit_conversions():
    line = "a😀é形b"
    assert [to_units(line, i, UTF16) for i in range(6)] == [0, 1, 3, 4, 5, 6]
    assert [to_units(line, i, UTF8) for i in range(6)] == [0, 1, 5, 7, 10, 11]
    assert [to_units(line, i, UTF32) for i in range(6)] == [0, 1, 2, 3, 4, 5]
    assert [from_units(line, u, UTF16) for u in range(8)] == [0, 1, 1, 2, 3, 4, 5, 5]
    assert from_units(line, 2, UTF8) == 1  # inside the emoji: its start
    assert split_lines("a\r\nb\rc\x0cd\u2028e\n") == ["a", "b", "c\x0cd\u2028e", ""]
    index = LineIndex("x = 1\n\u00e9\u00e9 = 2\n", UTF8)
    assert index.to_lsp(2, 4) == (1, 5)
    assert index.to_lsp(9, 1) == (2, 0)  # past the end: clamped
    assert index.from_lsp(1, 5) == (2, 4)


def test_diagnostic_without_an_extent_spans_the_rest_of_its_line():
    index = LineIndex("import tensorflow as tf\nx = tf.zeros([2, 3]\n")
    finding = Finding(path="x.py", line=2, column=5, code="TSL901", name="syntax-error", message="cannot parse")
    diagnostic = lsp.to_diagnostic(finding, index, "file:///x.py")
    assert diagnostic.range == types.Range(start=types.Position(1, 4), end=types.Position(1, 19))
    assert diagnostic.severity == types.DiagnosticSeverity.Warning


def test_unsafe_fixes_are_labelled():
    index = LineIndex("x = 1\n")
    finding = Finding(path="x.py", line=1, column=5, end_line=1, end_column=6, code="TSL002", name="n", message="m",
                      fix=Fix("use 2", "unsafe", [Edit(1, 5, 1, 6, "2")]))
    server = lsp.TfShapeLintServer()
    analysis = lsp.Analysis("x = 1\n", [finding], [lsp.to_diagnostic(finding, index, "file:///x.py")], index)

    async def current(uri):
        return analysis

    server.current_analysis = current
    params = types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri="file:///x.py"),
                                    range=types.Range(start=types.Position(0, 5), end=types.Position(0, 5)),
                                    context=types.CodeActionContext(diagnostics=[]))
    actions = asyncio.run(server.code_actions(params))
    assert [a.title for a in actions] == ["tfshapelint (TSL002): use 2 (unsafe)"]  # no fix-all: nothing safe
    assert not actions[0].is_preferred
    params.context.only = [types.CodeActionKind.Source]
    assert asyncio.run(server.code_actions(params)) == []


def test_words_and_rows_under_the_cursor():
    assert lsp.words_at("y = self.conv1(x)", 10) == (9, 14, ["self.conv1", "conv1"])
    assert lsp.words_at("y = conv1", 9) == (4, 9, ["conv1"])  # just after the word
    assert lsp.words_at("y = (1)", 5) is None
    assert lsp.kind_wanted(lsp.FIX_ALL_KIND, [types.CodeActionKind.SourceFixAll])
    assert not lsp.kind_wanted(lsp.FIX_ALL_KIND, [types.CodeActionKind.QuickFix])


def test_hover_rows_follow_scopes_and_models():
    text = (ROOT / "examples" / "mnist_convnet.py").read_text()
    from tfshapelint.explain import explain_source

    rows, scopes = explain_source(text), lsp.scopes_of(text)
    line = line_of(text, "dense1 = tf.reshape(conv2") + 1
    name, found = lsp.find_rows(rows, scopes, ["conv2"], line, 25)
    assert name == "conv2" and [(r.line, r.shape) for r in found] == [(line - 1, "Nx7x7x64")]
    assert lsp.find_rows(rows, scopes, ["conv2"], 60, 1) == ("", [])  # not at module level
    keras = ("import tensorflow as tf\nfrom tensorflow import keras\n\nmodel = keras.Sequential([\n"
             "    keras.Input(shape=(28, 28, 1)),\n    keras.layers.Flatten(),\n    keras.layers.Dense(10),\n])\n"
             "model.summary()\n")
    name, found = lsp.find_rows(explain_source(keras), lsp.scopes_of(keras), ["model"], 9, 1)
    assert name == "model" and [r.shape for r in found] == ["Nx28x28x1", "Nx784", "Nx10"]
    assert "| model.Dense | Nx10 |" in lsp.hover_markdown(name, found)


@pytest.mark.asyncio
async def test_editing_an_imported_module_rechecks_the_open_importer(client: LanguageClient, tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    config_text = "ROWS = 4\n"
    config_uri = open_document(client, tmp_path / "config.py", config_text)
    train_text = ("import tensorflow as tf\nimport config\n"
                  "y = tf.matmul(tf.zeros([2, 4]), tf.zeros([config.ROWS, 3]))\n")
    train_uri = open_document(client, tmp_path / "train.py", train_text)
    assert await published(client, train_uri, version=1) == []

    # An unsaved edit of the open config.py: train.py is checked again with the buffer's text.
    since = len(client.published)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=config_uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="ROWS = 5\n")]))
    diagnostics = await published(client, train_uri, since=since)
    assert [d.code for d in diagnostics] == ["TSL004"]

    # Closed, then changed on disk: the watched-file notification re-checks train.py from the disk.
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=config_uri)))
    (tmp_path / "config.py").write_text("ROWS = 4\n")
    since = len(client.published)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=config_uri, type=types.FileChangeType.Changed)]))
    assert await published(client, train_uri, since=since) == []


# --- URIs, transports, pull diagnostics, scheduling ------------------------------------------------

@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["my models/net.py", "modèles/réseau 形.py"])
async def test_documents_whose_uri_has_escapes_get_diagnostics(client: LanguageClient, tmp_path, name):
    uri = open_document(client, tmp_path / name, BAD_MATMUL)
    assert "%" in uri  # the client sends the escaped form; pygls stores the document unescaped
    assert [d.code for d in await published(client, uri, version=1)] == ["TSL004"]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 0)))
    assert hover is not None and "2x3" in hover.contents.value


@pytest.mark.asyncio
async def test_a_windows_uri_gets_diagnostics(client: LanguageClient):
    uri = "file:///c%3A/Users/dev/My%20Project/net.py"  # as VS Code sends a Windows path
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=BAD_MATMUL)))
    assert [d.code for d in await published(client, uri, version=1)] == ["TSL004"]


def test_the_stdio_flag_is_accepted(tmp_path):
    process = subprocess.run(SERVER_COMMAND + ["--stdio"], input=b"", capture_output=True, timeout=60)
    assert b"No such option" not in process.stderr and process.returncode == 0


@pytest.mark.asyncio
async def test_pulled_diagnostics_for_a_client_that_pulls(tmp_path):
    client, result = await start_session(server_config(), tmp_path, "neovim@v0.11.0")
    try:
        assert result.capabilities.diagnostic_provider is not None
        uri = open_document(client, tmp_path / "net.py", BAD_MATMUL)
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        assert report.kind == "full" and [d.code for d in report.items] == ["TSL004"]
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=BAD_MATMUL.replace("[4, 4]", "[3, 4]"))]))
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        assert list(report.items) == []
        await asyncio.sleep(lsp.DEBOUNCE_SECONDS + 0.5)
        assert not any(params.uri == uri for params in client.published)  # pulled, so not pushed as well
    finally:
        await client.shutdown_session()
        await client.stop()


LARGE_COPIES = 3000  # about 3 s of analysis in 2026-12 (1,000 copies had become 0.5 s: a race with the
# small file's 0.5 s of debounce and delay), and 460 KB, under the linter's 512 KB limit


def large_program(copies: int = LARGE_COPIES) -> str:
    """Module-level tensor code whose analysis takes seconds (see LARGE_COPIES)."""
    return "import tensorflow as tf\n" + "".join(
        f"x{i} = tf.nn.conv2d(tf.zeros([8, 28, 28, 3]), tf.zeros([3, 3, 3, 16]), 1, 'SAME')\n"
        f"y{i} = tf.matmul(tf.reshape(x{i}, [-1, 28*28*16]), tf.zeros([28*28*16, 10]))\n" for i in range(copies))


@pytest.mark.asyncio
async def test_a_small_file_does_not_wait_for_a_large_one(client: LanguageClient, tmp_path):
    warm = open_document(client, tmp_path / "warm.py", BAD_MATMUL)
    await published(client, warm, version=1)
    since = len(client.published)
    large = open_document(client, tmp_path / "large.py", large_program())
    await asyncio.sleep(0.2)  # its analysis has started
    small = open_document(client, tmp_path / "small.py", BAD_MATMUL)
    assert [d.code for d in await published(client, small, version=1, since=since)] == ["TSL004"]
    assert not any(params.uri == large for params in client.published[since:]), "the small file waited"
    await published(client, large, version=1, since=since)


# --- notebooks -----------------------------------------------------------------------------------------

def cell_uri(notebook: Path, fragment: str) -> str:
    """A cell's URI as VS Code makes it (its fragment %-escaped)."""
    return f"vscode-notebook-cell:{notebook.as_posix()}#{fragment}%3D%3D"


@pytest.mark.asyncio
async def test_notebook_documents_get_diagnostics_and_hovers_per_cell(tmp_path):
    client, result = await start_session(server_config(), tmp_path, notebook_document=types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities(execution_summary_support=True)))
    try:
        assert result.capabilities.notebook_document_sync is not None
        path = tmp_path / "my notebooks" / "nb.ipynb"
        cells = [(types.NotebookCellKind.Markup, "# Title", "markdown"),
                 (types.NotebookCellKind.Code, "%matplotlib inline\nimport tensorflow as tf\nx = tf.zeros([2, 3])", "python"),
                 (types.NotebookCellKind.Code, "    y = tf.matmul(x, tf.zeros([4, 4]))", "python")]
        uris = [cell_uri(path, f"W{i}sZmlsZQ") for i in range(len(cells))]
        client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=path.as_uri(), notebook_type="jupyter-notebook", version=1,
                cells=[types.NotebookCell(kind=kind, document=uri) for (kind, _, _), uri in zip(cells, uris)]),
            cell_text_documents=[types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
                                 for (_, text, language), uri in zip(cells, uris)]))
        assert await published(client, uris[1]) == []
        diagnostic, = await published(client, uris[2])
        assert diagnostic.code == "TSL004"
        assert diagnostic.range.start == types.Position(0, cells[2][1].index("tf.matmul"))  # the cell's own column

        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uris[2]), position=types.Position(0, cells[2][1].index("x,"))))
        assert hover is not None and "**2x3**" in hover.contents.value  # x comes from the cell before

        since = len(client.published)
        client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=path.as_uri(), version=2),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=uris[2], version=2),
                    changes=[types.TextDocumentContentChangeWholeDocument(text="y = tf.matmul(x, tf.zeros([3, 4]))")])]))))
        assert await published(client, uris[2], since=since) == []
    finally:
        await client.shutdown_session()
        await client.stop()


@pytest.mark.asyncio
async def test_an_excluded_notebook_document_gets_no_diagnostics(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.tfshapelint]\nextend-exclude = ['scratch']\n")
    client, _ = await start_session(server_config(), tmp_path, notebook_document=types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()))
    try:
        path = tmp_path / "scratch" / "nb.ipynb"
        uri = cell_uri(path, "W0sZmlsZQ")
        client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(uri=path.as_uri(), notebook_type="jupyter-notebook", version=1,
                                                     cells=[types.NotebookCell(kind=types.NotebookCellKind.Code,
                                                                               document=uri)]),
            cell_text_documents=[types.TextDocumentItem(uri=uri, language_id="python", version=1, text=BAD_MATMUL)]))
        assert await published(client, uri) == []
    finally:
        await client.shutdown_session()
        await client.stop()


@pytest.mark.asyncio
async def test_a_notebook_opened_as_text_gets_diagnostics_in_its_json(client: LanguageClient, tmp_path):
    notebook = json.dumps({"cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["import tensorflow as tf\n", "x = tf.zeros([2, 3])"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["y = tf.matmul(x, tf.zeros([4, 4]))"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    uri = open_document(client, tmp_path / "nb.ipynb", notebook)
    diagnostic, = await published(client, uri, version=1)
    line = line_of(notebook, "y = tf.matmul")
    assert diagnostic.code == "TSL004" and diagnostic.range.start == types.Position(
        line, notebook.split("\n")[line].index("tf.matmul"))
    assert diagnostic.message.startswith("cell 2:1:5: ")


@pytest.mark.asyncio
async def test_hover_shows_the_batch_a_reshape_computes(client: LanguageClient, tmp_path):
    uri = open_document(client, tmp_path / "mnist_convnet.py", EXAMPLE)
    await published(client, uri, version=1)
    line = line_of(EXAMPLE, "dense1 = tf.reshape(conv2")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, 5)))
    # The batch TensorFlow computes, as the command line states it ("the batch becomes 49*N/16"), not ?x1024.
    assert "`dense1`: **49*N/16x1024**" in hover.contents.value
