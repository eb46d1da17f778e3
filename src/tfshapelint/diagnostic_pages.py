"""The pages of the tool's own diagnostics (TSL9xx), for ``tfshapelint rule TSL901`` and docs/rules.

Each page is the docstring of a small class, like a rule's; the diagnostics themselves are
reported from ``diagnostics.py``, which these pages do not change.
"""

from __future__ import annotations

import inspect

from . import diagnostics


class DiagnosticPage:
    """A TSL9xx diagnostic's ``code``, ``name``, one-line ``summary`` and page (the docstring)."""

    code: str = ""
    name: str = ""
    summary: str = ""

    @classmethod
    def page(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class SyntaxErrorPage(DiagnosticPage):
    """
    # TSL901 syntax-error

    ## What it means
    The file does not parse, so none of it was analysed. The finding is at the error, with
    Python's message. Causes: unfinished code, Python 2 that the translation does not carry over,
    NUL bytes, or beyond Python's own limits (more than 200 nested brackets, or 100 levels of
    indentation).

    The file is parsed by the Python that runs tfshapelint, as flake8 does: code written for a
    newer Python (3.12's `type` statements, say) needs tfshapelint installed under that Python.

    ## What to do
    Fix the syntax error, or run tfshapelint with the Python the code is written for. A bare
    `# noqa` does not hide it; `ignore = ["TSL901"]` in the configuration does.

    ## Exit code
    1, like a finding.
    """

    code, name = diagnostics.SYNTAX_ERROR
    summary = "the file does not parse (Python 2, unfinished code)"


class InternalErrorPage(DiagnosticPage):
    """
    # TSL902 internal-error

    ## What it means
    The linter crashed while analysing this file. The message names the exception and where in
    the linter it was raised. The other files are still analysed and reported.

    ## What to do
    Please report it, with the file (or the smallest part of it that still crashes). Meanwhile,
    `# noqa: TSL902` on the reported line, or `per-file-ignores`, silences it.

    ## Exit code
    2, even with `--exit-zero`: the result of the run is incomplete.
    """

    code, name = diagnostics.INTERNAL_ERROR
    summary = "the linter crashed on this file (please report it)"


class BudgetExceededPage(DiagnosticPage):
    """
    # TSL903 analysis-budget-exceeded

    ## What it means
    The file was not analysed, or not fully: it is over 512 KB, nested too deeply for Python's
    parser or for the analysis, holds an integer literal of more than 100 000 digits, took more
    than 400 000 evaluation steps (findings may then be incomplete), or, in a worker process, went
    over the time or memory limit per file.

    ## What to do
    Usually nothing: generated files are best excluded (`extend-exclude`). A hand-written file
    that hits the limit can be split.

    ## Exit code
    1, like a finding.
    """

    code, name = diagnostics.BUDGET_EXCEEDED
    summary = "the file is too large or too deeply nested to analyse fully"


class UnreadablePage(DiagnosticPage):
    """
    # TSL904 unreadable-file

    ## What it means
    The file cannot be read (permissions, a broken symlink, a folder that cannot be listed, a
    FIFO, socket or device: never opened for reading) or decoded (bytes invalid in its PEP 263
    encoding or UTF-8, an unknown encoding, a BOM that contradicts the coding cookie), or it is a
    notebook that is not valid JSON or not in the notebook format.

    ## What to do
    Fix the file's permissions or encoding, or exclude it.

    ## Exit code
    1, like a finding.
    """

    code, name = diagnostics.UNREADABLE
    summary = "the file cannot be read or decoded"


PAGES: list[type[DiagnosticPage]] = [SyntaxErrorPage, InternalErrorPage, BudgetExceededPage, UnreadablePage]
BY_CODE: dict[str, type[DiagnosticPage]] = {page.code: page for page in PAGES}
