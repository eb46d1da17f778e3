"""Lint one source text: prefilter, parse, interpret, classify errors into findings."""

from __future__ import annotations

import ast
import gc
import os
import re
import sys
import traceback
import warnings
from typing import Optional, Union

from . import diagnostics, python2
from .analysis.foreign import OwnNodes, foreign_suffix
from .analysis.interpreter import BudgetExceeded, Interpreter
from .domain.tf_versions import Versions
from .domain.values import Step
from .findings import Codemod, Finding, Fix
from .frozen_trees import tree_parsed
from .repro import build as repro_build
from .rules import SourceText, classify
from .source_lines import SourceLines
from .shapes import shape as shapes
from .suppression import unsuppressed

# Files that mention none of these cannot hold TensorFlow code we understand: never parsed.
PREFILTER = re.compile(rb"tensorflow|keras|tf_slim")

# Larger files are not analysed (TSL903), to bound each file's time and memory; the largest file of
# the three real corpora has 284 KB.
MAX_SOURCE_BYTES = 512 * 1024


def lint_source(source: str, path: str, target_version: Union[str, Versions] = "tf2", loader=None) -> list[Finding]:
    """All findings for one file's text, sorted by position. With a project ``loader``
    (``project.loader.ProjectLoader``), the project's modules it imports are followed."""
    if not PREFILTER.search(source.encode("utf-8", "surrogatepass")):
        return []
    if len(source) > MAX_SOURCE_BYTES:
        return unsuppressed([diagnostics.diagnostic(
            diagnostics.BUDGET_EXCEEDED, path, f"analysis budget exceeded (the file has {len(source) >> 10} KB, "
            f"more than {MAX_SOURCE_BYTES >> 10} KB); the file was not analysed")], source)
    module = parse(source, path)
    if isinstance(module, Finding):
        # a syntax error is reported whatever the comments say; a file too big to analyse may be noqa'd
        return [module] if module.code == diagnostics.SYNTAX_ERROR[0] else unsuppressed([module], source)
    tree_parsed()  # out of the collector's scans while it is analysed, in a run of many files
    reading = python2.reading_of(module)
    interpreter = Interpreter(module, target_version=target_version, source=source, loader=loader,
                              path=os.path.abspath(path) if loader is not None else None, python2=reading)
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
    except MemoryError:
        findings.append(diagnostics.diagnostic(diagnostics.BUDGET_EXCEEDED, path,
                                               "analysis budget exceeded (out of memory); findings may be incomplete"))
    except Exception as error:  # noqa: BLE001 - one file's crash must not stop the run
        findings.append(internal_error(path, error))
    finally:
        sys.setrecursionlimit(old_limit)
    try:
        own = OwnNodes(module) if loader is not None else None
        findings.extend(_findings_from_errors(interpreter.errors, source, path, own, module))
        findings.extend(_stopped_findings(interpreter.stopped, source, path))
    except Exception as error:  # noqa: BLE001 - a rule's crash is this file's internal error, not the run's
        findings.append(internal_error(path, error))
    if reading is not None:
        _as_read_as_python2(findings, reading)
    return sorted(unsuppressed(findings, source), key=Finding.sort_key)


def _as_read_as_python2(findings: list[Finding], reading: python2.Reading) -> None:
    """Findings of a file read as Python 2 say so; a fix that would edit a translated line is
    dropped (its text was computed for the translation's syntax, not the file's)."""
    for finding in findings:
        finding.read_as_python2 = True
        if finding.fix is not None and reading.touches_translated_line(*finding.fix.lines()):
            finding.fix = None


def internal_error(path: str, error: BaseException) -> Finding:
    """TSL902, short: the exception, where in the linter it was raised, and what to do."""
    text = " ".join(str(error).split())
    if len(text) > 120:
        text = text[:117] + "..."
    where = ""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        parts = frame.filename.replace("\\", "/").split("/tfshapelint/")
        if len(parts) > 1:
            where = f" at {parts[-1]}:{frame.lineno}"
            break
    return diagnostics.diagnostic(
        diagnostics.INTERNAL_ERROR, path,
        f"internal error while analysing this file: {type(error).__name__}: {text}{where} "
        "(please report it with the file)")


MAX_INTEGER_DIGITS = 100_000  # longest integer literal parsed (Python's own limit is 4300 digits)
_TOO_MANY_DIGITS = "Exceeds the limit"  # the start of Python's SyntaxError for a longer one


def parse(source: str, path: str) -> Union[ast.Module, Finding]:
    """The syntax tree, or TSL901 (does not parse: at the error, with CPython's message) or TSL903
    (too deeply nested for the parser's stack, or an integer literal over ``MAX_INTEGER_DIGITS``
    digits). The code is only parsed, never compiled or run."""
    collecting = gc.isenabled()
    gc.disable()  # a syntax tree is acyclic: collections during the parse only cost time
    try:
        try:
            return _quiet_parse(source, path)
        except SyntaxError as error:
            if _TOO_MANY_DIGITS not in (error.msg or ""):
                raise
        # an integer literal of more than 4300 digits: again, converting up to MAX_INTEGER_DIGITS
        # (0.1 s at most; the time grows with the square of the length)
        old_limit = sys.get_int_max_str_digits()  # only a Python with the limit raises "Exceeds the limit"
        sys.set_int_max_str_digits(MAX_INTEGER_DIGITS)
        try:
            return _quiet_parse(source, path)
        finally:
            sys.set_int_max_str_digits(old_limit)
    except SyntaxError as error:
        if _TOO_MANY_DIGITS in (error.msg or ""):
            return diagnostics.diagnostic(
                diagnostics.BUDGET_EXCEEDED, path, "analysis budget exceeded (an integer literal has more "
                f"than {MAX_INTEGER_DIGITS} digits); the file was not analysed", *_position(error))
        if "null bytes" in (error.msg or "") and "\0" in source:  # Python 3.11+: a SyntaxError without a position
            return _null_bytes(path, source)
        return parse_python2(source, path) or _syntax_error(path, error)
    except (RecursionError, MemoryError):
        return _too_deep(path)
    except ValueError:  # NUL bytes (Python 3.10 raises ValueError, without a position)
        return _null_bytes(path, source)
    finally:
        if collecting:
            gc.enable()


def _quiet_parse(source: str, path: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like: not our business
        return parse_tree(source, path)


def parse_python2(source: str, path: str = "<unknown>") -> Optional[ast.Module]:
    """The tree of a file that does not parse as Python 3, read as Python 2 (python2/): parsed
    from its translation, with the file's own positions; None when it is not Python 2 that the
    translation carries over (its syntax error then stands)."""
    translation = python2.translate(source)
    if translation is None:
        return None
    try:
        tree = _quiet_parse(translation.text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return translation.restore(tree)


def _null_bytes(path: str, source: str) -> Finding:
    """TSL901 at the first NUL byte, which CPython refuses without saying where."""
    before = source[:max(source.find("\0"), 0)]
    line = before.count("\n") + 1
    return diagnostics.diagnostic(diagnostics.SYNTAX_ERROR, path, "cannot parse: source code cannot contain "
                                  "null bytes", line, len(before) - before.rfind("\n"))


# Python 3.10 builds the syntax tree's objects with unbounded C recursion: a chain of ~100 000
# subscripts, calls, attributes or ``+`` (200 KB of code) overflows the C stack and kills the
# process (SIGSEGV). Python 3.11+ raises RecursionError there ("during ast construction").
_AST_UNGUARDED = sys.version_info < (3, 11)


def parse_tree(source: str, path: str = "<unknown>") -> ast.Module:
    """``ast.parse``; on Python 3.10, code nested deeper than 3.11's ``ast.parse`` accepts raises
    RecursionError first, as there. The symbol table walks the same tree in C with the same bound
    (3x the recursion limit), without building objects; it only reads the code (nothing is compiled
    or run). The bound is not checked past a statement that the symbol table refuses (e.g.
    ``nonlocal`` at module level), a syntax error that ``ast.parse`` accepts."""
    if _AST_UNGUARDED:
        import symtable  # only on Python 3.10

        try:
            symtable.symtable(source, path, "exec")
        except (SyntaxError, ValueError):
            pass  # ast.parse reports its own syntax errors
    return ast.parse(source)


def _too_deep(path: str) -> Finding:
    return diagnostics.diagnostic(
        diagnostics.BUDGET_EXCEEDED, path,
        "analysis budget exceeded (code nested too deeply for Python's parser); the file was not analysed")


def _position(error: SyntaxError) -> tuple[int, int]:
    line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else 1
    column = error.offset if isinstance(error.offset, int) and error.offset > 0 else 1
    return line, column


def _syntax_error(path: str, error: SyntaxError) -> Finding:
    return diagnostics.diagnostic(diagnostics.SYNTAX_ERROR, path, f"cannot parse: {error.msg}", *_position(error))


def _findings_from_errors(errors: list, source: str, path: str, own: Optional[OwnNodes] = None,
                          tree: Optional[ast.Module] = None) -> list[Finding]:
    """``own``: the file's own syntax nodes, when other modules' code ran too (None: all are);
    ``tree``: the file's syntax, from which each finding's reproducer is written."""
    lines = SourceLines(source)  # split once, when a finding first needs it
    text = SourceText(source, own, lines)
    drafts = []
    for error in errors:
        classified = classify(error, text)
        if classified is not None:
            rule, draft = classified
            if draft.witness is None and error.facts.get("run") is not None:
                draft.witness, draft.witness_kind = error.facts["run"], "raises"  # found by a run's re-check
            if own is not None and (draft.node not in own or draft.witness not in own):
                if not _anchor_in_this_file(draft, error, path, own):
                    continue
            drafts.append((*classified, error))
    if not drafts:
        return []
    spans = NodeSpans(lines)
    findings = []
    seen = set()
    reproducers = _Reproducers(tree, source, path, errors)
    for rule, draft, error in drafts:
        where = spans.get(draft.node)
        if where is None:
            continue
        key = (rule.code, where[0], where[1], draft.message)
        if key in seen:
            continue
        seen.add(key)
        witness = spans.get(draft.witness) if draft.witness is not None else None
        findings.append(Finding(
            path=path, line=where[0], column=where[1], code=rule.code, name=rule.name,
            message=draft.message, end_line=where[2], end_column=where[3],
            chain=chain_text(draft.chain), witness_line=witness[0] if witness else None,
            witness_kind=draft.witness_kind if witness else None,
            fix=_fix(draft.fix, spans, own),
            reproducer=reproducers.of(error, f"{rule.code} at {path}:{where[0]}"),
        ))
    return findings


def _stopped_findings(stopped: list, source: str, path: str) -> list[Finding]:
    """TSL903 at each statement, loop or function whose analysis was abandoned on its step budget
    (analysis.budget); at line 1 when it is not in this file."""
    if not stopped:
        return []
    spans = NodeSpans(source)
    findings, seen = [], set()
    for record in stopped:
        where = spans.get(record.node) if record.node is not None else None
        line, column = (where[0], where[1]) if where is not None else (1, 1)
        if (line, column) not in seen:
            seen.add((line, column))
            findings.append(diagnostics.diagnostic(diagnostics.BUDGET_EXCEEDED, path, record.message(), line, column))
    return findings


class _Reproducers:
    """The findings' TensorFlow reproducers (repro/), the file read for them once, when the first is
    written; None for a finding whose reproducer cannot be written (never an error)."""

    def __init__(self, tree: Optional[ast.Module], source: str, path: str, errors: list):
        self.tree, self.source, self.path, self.errors = tree, source, path, errors
        self.index = None

    def of(self, error, what: str) -> Optional[str]:
        if self.tree is None:
            return None
        try:
            if self.index is None:
                self.index = repro_build.FileIndex(self.tree, self.source, self.errors)
            return repro_build.reproducer(error, self.index, self.path, what)
        except Exception:  # noqa: BLE001 - a reproducer is a bonus: its failure must not cost the finding
            return None


def _anchor_in_this_file(draft, error, path: str, own: OwnNodes) -> bool:
    """A finding whose nodes are in another module of the project (a call into it failed with this
    file's values) is reported at the call in this file, naming where the other module fails."""
    site = error.facts.get("call_site")
    if site is None:
        return False
    if draft.node not in own:
        draft.node = site
        draft.message += foreign_suffix(error, path)
        draft.fix = None
    if draft.witness not in own:
        draft.witness = site
    return True


class NodeSpans:
    """Where syntax nodes are, as the linter reports it: 1-based lines and 1-based character
    columns (``ast`` counts columns in UTF-8 bytes)."""

    def __init__(self, source: Union[str, SourceLines]):
        self.lines = source if isinstance(source, SourceLines) else SourceLines(source)

    def get(self, node) -> Optional[tuple[int, int, int, int]]:
        """(line, column, end line, end column), the end exclusive; None for a node without a place."""
        line, end_line = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if line is None or end_line is None:
            return None
        return (line, self.lines.column(line, node.col_offset) + 1,
                end_line, self.lines.column(end_line, node.end_col_offset) + 1)


def _fix(draft, spans: NodeSpans, own: Optional[OwnNodes] = None) -> Optional[Fix]:
    """The fix as a codemod to apply to the node at its place: the fix layer (fixes/) computes its edits.
    None for a node written in another module of the project."""
    if draft is None or (own is not None and draft.node not in own):
        return None
    where = spans.get(draft.node)
    if where is None:
        return None
    return Fix(message=draft.message, applicability=draft.applicability,
               codemod=Codemod(draft.kind, *where, dict(draft.params)))


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
