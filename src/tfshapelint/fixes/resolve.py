"""From codemods to verified edits: the one place where a file is parsed with libcst.

For each finding whose fix is a codemod, the file is parsed once, the node found by its position,
the codemod applied, and the fix becomes one text edit over the node's span (every byte outside it
checked unchanged). Then each fix is checked on its own: the fixed file parses, and, given a way
to lint it, the finding is gone and no new finding appears. A fix that fails any of these is
dropped (``finding.fix = None``) with a note saying why.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..findings import Edit, Finding
from .codemods import CODEMODS, Refused

Lint = Callable[[str], list]  # the findings of a text (after the run's selection)

_LINE_END = re.compile(r"\r\n|\r|\n")


def pending(findings: list[Finding]) -> list[Finding]:
    """The findings whose fix is a codemod not yet turned into edits."""
    return [f for f in findings if f.fix is not None and f.fix.codemod is not None and not f.fix.edits]


def resolve(source: str, findings: list[Finding], lint: Optional[Lint] = None,
            notes: Optional[list] = None, linted: Optional[list] = None) -> None:
    """Give the fixes of ``findings`` (of the file whose text is ``source``) their edits, checked;
    drop those that fail, appending a note for each to ``notes``. ``linted``: every finding of
    ``source`` as ``lint`` gives them, when the caller has them already."""
    todo = pending(findings)
    if not todo:
        return
    notes = notes if notes is not None else []
    text = _text_for_libcst(source, todo)
    try:
        module = cst.parse_module(text)
    except Exception as error:  # noqa: BLE001 - libcst's parser refuses what CPython took: no fix, not a crash
        _drop(todo, f"libcst cannot parse the file ({type(error).__name__})", notes)
        return
    if module.code != text:
        _drop(todo, "libcst does not give the file back byte for byte", notes)
        return
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    spans = _nodes_by_span(wrapper)
    offsets = _line_offsets(text)
    for finding in todo:
        why = _apply_codemod(finding, wrapper.module, spans, text, offsets)
        if why is not None:
            _drop([finding], why, notes)
    if lint is not None:
        _verify(source, [f for f in todo if f.fix is not None], lint, notes, linted)
    else:
        for finding in todo:
            if finding.fix is not None and not _parses(_fixed_text(source, finding)):
                _drop([finding], "the fixed code does not parse", notes)


def _text_for_libcst(source: str, findings: list[Finding]) -> str:
    """The text libcst reads: a file read as Python 2 is read through its translation, which is the
    file itself on every line a fix may change (the linter drops fixes of translated lines)."""
    if not any(f.read_as_python2 for f in findings):
        return source
    from .. import python2

    translation = python2.translate(source)
    return source if translation is None else translation.text


def _nodes_by_span(wrapper: MetadataWrapper) -> dict:
    """(line, column, end line, end column), 1-based as findings count, -> the nodes there."""
    found: dict = {}
    for node, where in wrapper.resolve(PositionProvider).items():
        key = (where.start.line, where.start.column + 1, where.end.line, where.end.column + 1)
        found.setdefault(key, []).append(node)
    return found


def _apply_codemod(finding: Finding, module: cst.Module, spans: dict, text: str, offsets: list) -> Optional[str]:
    """Set the fix's edit; or why it cannot be made."""
    codemod = finding.fix.codemod
    transform = CODEMODS.get(codemod.kind)
    if transform is None:
        return f"no codemod named {codemod.kind!r}"
    span = (codemod.line, codemod.column, codemod.end_line, codemod.end_column)
    candidates = [node for node in spans.get(span, ()) if isinstance(node, cst.BaseExpression)]
    if not candidates:
        return "the code to change is not where the finding says"
    node = candidates[0]
    try:
        new_code = module.deep_replace(node, transform(module, node, codemod.params)).code
    except Refused as refusal:
        return str(refusal)
    start, end = _offset(offsets, span[0], span[1]), _offset(offsets, span[2], span[3])
    after = len(text) - end
    if new_code[:start] != text[:start] or new_code[len(new_code) - after:] != text[end:]:
        return "the codemod changed code outside the node it was given"
    content = new_code[start:len(new_code) - after]
    if content == text[start:end]:
        return "the codemod changes nothing"
    finding.fix.edits = [Edit(*span, content)]
    return None


def _verify(source: str, findings: list[Finding], lint: Lint, notes: list, linted: Optional[list]) -> None:
    """Each fix alone: the result parses, its finding is gone, and no other finding appears."""
    if not findings:
        return
    before = linted if linted is not None else lint(source)
    for finding in findings:
        fixed = _fixed_text(source, finding)
        if not _parses(fixed):
            _drop([finding], "the fixed code does not parse", notes)
            continue
        [edit] = finding.fix.edits
        shift = _line_count(edit.content) - (edit.end_line - edit.line + 1)
        moved = Counter(_key(f, edit.end_line, shift) for f in before)
        after = Counter((f.code, f.line) for f in lint(fixed))
        if after[_key(finding, edit.end_line, shift)] >= moved[_key(finding, edit.end_line, shift)]:
            _drop([finding], "the finding is still there after the fix", notes)
        elif after - moved:
            new = sorted(after - moved)[0]
            _drop([finding], f"the fixed code has a new finding ({new[0]} on line {new[1]})", notes)


def _key(finding: Finding, last_line: int, shift: int) -> tuple:
    """(code, line) of a finding of the original text, as placed in the fixed text."""
    return finding.code, finding.line + shift if finding.line > last_line else finding.line


def _line_count(text: str) -> int:
    return len(_LINE_END.findall(text)) + 1


def _fixed_text(source: str, finding: Finding) -> str:
    from ..fix import apply_fixes

    fixed, _ = apply_fixes(source, [finding], unsafe=True)
    return fixed


def _parses(text: str) -> bool:
    """As the linter reads it (a Python 2 file through its translation)."""
    from ..linter import parse

    return not isinstance(parse(text, "<fixed>"), Finding)


def _drop(findings: list[Finding], why: str, notes: list) -> None:
    for finding in findings:
        notes.append(f"{finding.path}:{finding.line}:{finding.column}: {finding.code}: the fix "
                     f"\"{finding.fix.message}\" was not applied: {why}")
        finding.fix = None


def _line_offsets(text: str) -> list[int]:
    return [0] + [match.end() for match in _LINE_END.finditer(text)]


def _offset(offsets: list, line: int, column: int) -> int:
    return offsets[line - 1] + column - 1
