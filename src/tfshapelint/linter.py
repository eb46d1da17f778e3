"""Lint one source text: prefilter, parse, interpret, classify errors into findings."""

from __future__ import annotations

import ast
import gc
import re
import sys
import traceback
import warnings
from typing import Optional, Union

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

# Larger files are not parsed (TSL903): libcst needs about 600 bytes of memory per byte of source
# (a 1 MB file takes 600 MB and 7 s); the largest file of the three real corpora has 284 KB.
MAX_SOURCE_BYTES = 512 * 1024


def lint_source(source: str, path: str, target_version: str = "tf2") -> list[Finding]:
    """All findings for one file's text, sorted by position."""
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
    except MemoryError:
        findings.append(diagnostics.diagnostic(diagnostics.BUDGET_EXCEEDED, path,
                                               "analysis budget exceeded (out of memory); findings may be incomplete"))
    except Exception as error:  # noqa: BLE001 - one file's crash must not stop the run
        findings.append(internal_error(path, error))
    finally:
        sys.setrecursionlimit(old_limit)
    sys.setrecursionlimit(max(old_limit, 6000))  # libcst's metadata visitors recurse as deep as the tree
    try:
        findings.extend(_findings_from_errors(interpreter.errors, module, path))
    except RecursionError:
        findings.append(diagnostics.diagnostic(diagnostics.BUDGET_EXCEEDED, path,
                                               "analysis budget exceeded (nesting too deep); findings may be incomplete"))
    except Exception as error:  # noqa: BLE001 - a rule's crash is this file's internal error, not the run's
        findings.append(internal_error(path, error))
    finally:
        sys.setrecursionlimit(old_limit)
    return sorted(unsuppressed(findings, source), key=Finding.sort_key)


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


# libcst's parser takes a time that grows with the square of the nesting depth (seconds at a few
# hundred levels), and overflows its stack further down (a crash of the whole process); CPython's
# own parser, a hundred times faster, measures the file first. Real TensorFlow code stays far below
# both limits (the three real corpora: depth 44 at most, 55 000 nodes at most).
MAX_NESTING = 200  # depth of the Python syntax tree, as libcst nests it (see _measure)
MAX_NODES = 150_000  # nodes of the Python syntax tree (libcst needs up to 40 µs for each)
MAX_PATTERN_NESTING = 12  # match-case patterns: libcst's time doubles with each level (24 levels: a minute)

# CPython's parser limits: it refuses such a file (so does libcst, minutes later, or it crashes).
_PYTHON_LIMITS = ("too many nested parentheses", "too many levels of indentation", "too many indentation levels")


def parse(source: str, path: str) -> Union[cst.Module, Finding]:
    """The libcst module, or TSL901 (does not parse: at the error, with CPython's message when it has
    one) or TSL903 (too deeply nested or too large to parse in bounded time and memory). The code is
    only parsed, never compiled or run."""
    python_error: Optional[SyntaxError] = None
    collecting = gc.isenabled()
    gc.disable()  # a syntax tree is acyclic: collections during the parse only cost time
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like: not our business
            tree = ast.parse(source)
    except SyntaxError as error:
        tree, python_error = None, error
        if any(limit in (error.msg or "") for limit in _PYTHON_LIMITS):
            return _syntax_error(path, error)
    except (RecursionError, MemoryError):
        return _too_deep(path)
    except ValueError:  # NUL bytes (Python < 3.12): libcst reports where
        tree = None
    finally:
        if collecting:
            gc.enable()
    python_parsed = tree is not None
    if python_parsed:
        nodes, depth, patterns = _measure(tree)
        del tree
        if depth > MAX_NESTING:
            return _too_deep(path)
        if patterns > MAX_PATTERN_NESTING:
            return diagnostics.diagnostic(
                diagnostics.BUDGET_EXCEEDED, path,
                f"analysis budget exceeded (a match-case pattern nested more than {MAX_PATTERN_NESTING} levels "
                "deep); the file was not analysed")
        if nodes > MAX_NODES:
            return diagnostics.diagnostic(
                diagnostics.BUDGET_EXCEEDED, path,
                f"analysis budget exceeded (the file has more than {MAX_NODES} syntax nodes); "
                "the file was not analysed")
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 6000))
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        if python_error is not None:
            return _syntax_error(path, python_error)
        if python_parsed:  # Python parses it: a limit of libcst's (4000 implicitly concatenated strings...)
            return diagnostics.diagnostic(
                diagnostics.BUDGET_EXCEEDED, path, "analysis budget exceeded (libcst cannot parse this file that "
                f"Python parses: {error.message.splitlines()[0]}); the file was not analysed", error.raw_line)
        return diagnostics.diagnostic(diagnostics.SYNTAX_ERROR, path, f"cannot parse: {error.message}",
                                      error.raw_line, error.raw_column + 1)
    except (RecursionError, MemoryError):
        return _too_deep(path)
    except Exception as error:  # noqa: BLE001 - libcst's validation (b"a" "b"...): the file does not parse
        if python_error is not None:
            return _syntax_error(path, python_error)
        return diagnostics.diagnostic(diagnostics.SYNTAX_ERROR, path, f"cannot parse: {error}")
    finally:
        sys.setrecursionlimit(old_limit)


def _syntax_error(path: str, error: SyntaxError) -> Finding:
    line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else 1
    column = error.offset if isinstance(error.offset, int) and error.offset > 0 else 1
    return diagnostics.diagnostic(diagnostics.SYNTAX_ERROR, path, f"cannot parse: {error.msg}", line, column)


def _too_deep(path: str) -> Finding:
    return diagnostics.diagnostic(
        diagnostics.BUDGET_EXCEEDED, path,
        f"analysis budget exceeded (code nested more than {MAX_NESTING} levels deep); the file was not analysed")


_CHAINED = {ast.BoolOp: "values", ast.ListComp: "generators", ast.SetComp: "generators",
            ast.GeneratorExp: "generators", ast.DictComp: "generators"}


def _measure(tree: ast.AST) -> tuple[int, int, int]:
    """(nodes, depth, pattern depth) of a syntax tree, without recursion; stops counting past the
    limits. The depth is libcst's: ``a and b and c`` and the ``for`` clauses of a comprehension are
    flat lists in Python's tree but nested nodes in libcst's (20 000 ``and``: libcst crashes)."""
    nodes = deepest = deepest_pattern = 0
    stack = [(tree, 1, 0)]
    node_type, pattern_type = ast.AST, ast.pattern
    while stack:
        node, depth, pattern = stack.pop()
        nodes += 1
        chained = _CHAINED.get(type(node))
        if chained is not None:
            depth += len(getattr(node, chained)) - 1
        if isinstance(node, pattern_type):
            pattern += 1
            deepest_pattern = max(deepest_pattern, pattern)
        if depth > deepest:
            deepest = depth
        if deepest > MAX_NESTING or nodes > MAX_NODES or deepest_pattern > MAX_PATTERN_NESTING:
            break
        depth += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                stack.append((value, depth, pattern))
            elif isinstance(value, list):
                stack.extend((item, depth, pattern) for item in value if isinstance(item, node_type))
    return nodes, deepest, deepest_pattern


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
