"""The language server's code action "Show TensorFlow reproducer" for a finding under the cursor.

It opens the finding's reproducer as an untitled document: a workspace edit that creates an
``untitled:`` document and inserts the program (VS Code applies such edits since 1.82, Sublime LSP
since 2025). Only the language server imports this module (it needs lsprotocol).
"""

from __future__ import annotations

from typing import Callable

REPRODUCER_KIND = "quickfix.reproducer.tfshapelint"  # offered with the quick fixes of a diagnostic


def reproducer_actions(findings: list, diagnostics: list, wanted, touches: Callable) -> list:
    """A "Show TensorFlow reproducer" action for each finding with a reproducer whose diagnostic's range
    ``touches`` the ``wanted`` range."""
    from lsprotocol import types

    actions = []
    for finding, diagnostic in zip(findings, diagnostics):
        if finding.reproducer is None or not touches(diagnostic.range, wanted):
            continue
        uri = f"untitled:tfshapelint-repro-{finding.code}-line-{finding.line}.py"
        start = types.Position(line=0, character=0)
        actions.append(types.CodeAction(
            title=f"Show TensorFlow reproducer ({finding.code})",
            kind=REPRODUCER_KIND,
            diagnostics=[diagnostic],
            edit=types.WorkspaceEdit(document_changes=[
                types.CreateFile(uri=uri, options=types.CreateFileOptions(overwrite=True)),
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                    edits=[types.TextEdit(range=types.Range(start=start, end=start), new_text=finding.reproducer)]),
            ]),
        ))
    return actions
