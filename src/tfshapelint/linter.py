"""Lint one source text: prefilter, parse, interpret, classify errors into findings."""

from __future__ import annotations

import re
from typing import Optional
import sys

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from . import diagnostics
from .analysis.interpreter import BudgetExceeded, Interpreter
from .analysis.values import Step
from .findings import Edit, Finding, Fix
from .rules import SourceText, classify
from .shapes import shape as shapes
from .suppression import unsuppressed

# Files that mention none of these cannot hold TensorFlow code we understand: never parsed.
PREFILTER = re.compile(rb"tensorflow|keras|tf_slim")


def lint_source(source: str, path: str, target_version: str = "tf2") -> list[Finding]:
    """All findings for one file's text, sorted by position."""
    if not PREFILTER.search(source.encode("utf-8", "surrogatepass")):
        return []
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return [diagnostics.diagnostic(diagnostics.SYNTAX_ERROR, path, f"cannot parse: {error.message}",
                                       error.raw_line, error.raw_column + 1)]
    interpreter = Interpreter(module, target_version=target_version)
    findings: list[Finding] = []
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 6000))
    try:
        interpreter.run()
    except BudgetExceeded as error:
        findings.append(diagnostics.diagnostic(diagnostics.BUDGET_EXCEEDED, path,
                                               f"analysis budget exceeded ({error}); findings may be incomplete"))
    except RecursionError:
        findings.append(diagnostics.diagnostic(diagnostics.BUDGET_EXCEEDED, path,
                                               "analysis budget exceeded (nesting too deep); findings may be incomplete"))
    except Exception as error:  # noqa: BLE001 - one file's crash must not stop the run
        findings.append(diagnostics.diagnostic(
            diagnostics.INTERNAL_ERROR, path,
            f"internal error while analysing this file: {type(error).__name__}: {error} "
            "(please report it with the file)"))
    finally:
        sys.setrecursionlimit(old_limit)
    findings.extend(_findings_from_errors(interpreter.errors, module, path))
    return sorted(unsuppressed(findings, source), key=Finding.sort_key)


def _findings_from_errors(errors: list, module: cst.Module, path: str) -> list[Finding]:
    source = SourceText(module)
    drafts = []
    for error in errors:
        classified = classify(error, source)
        if classified is not None:
            drafts.append(classified)
    if not drafts:
        return []
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    findings = []
    seen = set()
    for rule, draft in drafts:
        where = positions.get(draft.node)
        if where is None:
            continue
        key = (rule.code, where.start.line, where.start.column, draft.message)
        if key in seen:
            continue
        seen.add(key)
        witness = positions.get(draft.witness) if draft.witness is not None else None
        findings.append(Finding(
            path=path, line=where.start.line, column=where.start.column + 1, code=rule.code, name=rule.name,
            message=draft.message, end_line=where.end.line, end_column=where.end.column + 1,
            chain=chain_text(draft.chain), witness_line=witness.start.line if witness else None,
            witness_kind=draft.witness_kind if witness else None,
            fix=_fix(draft.fix, positions),
        ))
    return findings


def _fix(draft, positions) -> Optional[Fix]:
    if draft is None or positions.get(draft.node) is None:
        return None
    where = positions[draft.node]
    edit = Edit(where.start.line, where.start.column + 1, where.end.line, where.end.column + 1, draft.replacement)
    return Fix(message=draft.message, applicability=draft.applicability, edits=[edit])


def chain_text(chain: tuple) -> list[str]:
    """``["Nx28x28x1", "conv2d s1 SAME", "Nx28x28x32", ...]``: shapes and the ops between them."""
    result: list[str] = []
    previous = object()
    for step in chain:
        if not isinstance(step, Step):
            continue
        if step.label is not None and " " not in step.label and step.shape == previous:
            continue  # relu, dropout, bias_add...: nothing to explain (a SAME conv is kept)
        if not result:
            # the source, or the oldest step kept when a long chain was cut
            result.append(shapes.fmt(step.shape) if step.label is None else "... " + shapes.fmt(step.shape))
        else:
            result.extend([step.label, shapes.fmt(step.shape)])
        previous = step.shape
    return result
