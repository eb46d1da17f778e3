"""A notebook cell as the Python IPython runs, line for line.

IPython (``IPython.core.inputtransformer2``) turns a cell into Python in steps: leading blank
lines are dropped and the cell is dedented as a whole; a first line ``%%name args`` makes the
cell one ``run_cell_magic`` call; then, one at a time and earliest first, special syntax at
the start of a *logical* line (never a continuation line inside brackets or after a backslash,
never inside a string) becomes a call: ``x = %magic``, ``x = !cmd``, ``%magic``, ``!cmd``,
``!!cmd``, ``?obj``, ``obj?``/``obj??`` and the autocall escapes ``/f a``, ``,f a b``, ``;f a``.
The same rules are followed here, with one difference of form: a statement that spanned several
physical lines (continued with backslashes) becomes one line followed by blank ones, so the
result has the cell's line count and a finding's line is the cell's line. And one of purpose:
the body of a cell magic that runs its body as Python in the kernel (``%%time``, ``%%timeit``,
``%%capture``...) is converted and kept as code, so that it is linted.
"""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from typing import Callable, Optional

# Cell magics whose body is Python: only the magic's own line is blanked.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3", "pypy"})

ESCAPES = {"!", "?", "%", ",", ";", "/"}
TWO_CHARACTER_ESCAPES = {"!!", "??"}
LOOP_LIMIT = 500  # IPython's bound on successive rewrites of one cell
_HELP_TARGET = re.compile(r"(%{0,2}(?!\d)[\w*]+(\.(?!\d)[\w*]+|\[-?[0-9]+\])*)(\?\??)$")
_BRACKETS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}


def convert_cell(source: str) -> list[str]:
    """The lines of Python that IPython runs for ``source``, one for each of its lines."""
    lines = source.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return lines
    lines = lines[:first] + textwrap.dedent("\n".join(lines[first:]) + "\n").split("\n")[:-1]
    head = lines[first]
    if head.startswith("%%") and not re.match(r"%%\w+\?", head):
        name, _, arguments = head[2:].rstrip().partition(" ")
        body = lines[first + 1:]
        if name in PYTHON_CELL_MAGICS:
            return lines[:first] + [""] + convert_cell("\n".join(body))
        text = "".join(line + "\n" for line in body)
        return lines[:first] + [f"get_ipython().run_cell_magic({name!r}, {arguments!r}, {text!r})"] + [""] * len(body)
    for _ in range(LOOP_LIMIT):
        rewritten = _rewrite_first(lines)
        if rewritten is None:
            return lines
        lines = rewritten
    return lines


# --- finding special syntax ---------------------------------------------------------------------

def logical_lines(lines: list[str]) -> list[list[tokenize.TokenInfo]]:
    """The cell's tokens grouped by logical line (brackets and backslashes join physical lines);
    tokenising stops quietly where the text stops being Python's."""
    groups: list[list[tokenize.TokenInfo]] = [[]]
    depth = 0
    readline = io.StringIO("".join(line + "\n" for line in lines)).readline
    try:
        for token in tokenize.generate_tokens(readline):
            groups[-1].append(token)
            if token.type == tokenize.NEWLINE or (token.type == tokenize.NL and depth <= 0):
                groups.append([])
            elif token.type == tokenize.OP and token.string in _BRACKETS:
                depth = max(0, depth + _BRACKETS[token.string])
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return [group for group in groups if group]


def _first_code_token(group: list) -> Optional[int]:
    return next((i for i, token in enumerate(group) if token.type not in (tokenize.INDENT, tokenize.DEDENT)), None)


def _assign_index(group: list) -> Optional[int]:
    """The first ``=`` outside brackets."""
    depth = 0
    for index, token in enumerate(group):
        if token.string == "=" and depth == 0:
            return index
        if token.string in _BRACKETS and token.type == tokenize.OP:
            depth = max(0, depth + _BRACKETS[token.string])
    return None


def _find_magic_assign(groups: list) -> Optional[tuple]:
    for group in groups:
        at = _assign_index(group)
        if at is not None and len(group) >= at + 3 and group[at + 1].string == "%" \
                and group[at + 2].type == tokenize.NAME:
            return group[at + 1].start
    return None


def _find_system_assign(groups: list) -> Optional[tuple]:
    for group in groups:
        at = _assign_index(group)
        if at is None or group[at].line.strip().startswith("="):
            continue
        for token in group[at + 1:]:
            if token.string == "!":
                return token.start
            if token.type not in (tokenize.ERRORTOKEN, tokenize.OP) or not token.string.isspace():
                break
    return None


def _find_escape(groups: list) -> Optional[tuple]:
    for group in groups:
        index = _first_code_token(group)
        if index is not None and group[index].string in ESCAPES:
            return group[index].start
    return None


def _find_help_end(groups: list) -> Optional[tuple]:
    for group in groups:
        if len(group) > 2 and group[-2].string == "?":
            return group[_first_code_token(group) or 0].start, group[-2].start
    return None


# --- rewriting ----------------------------------------------------------------------------------

def _rewrite_first(lines: list[str]) -> Optional[list[str]]:
    """``lines`` with the earliest piece of special syntax rewritten; None when there is none
    (or when none of the candidates can be rewritten, as IPython gives up then too)."""
    groups = logical_lines(lines)
    candidates: list[tuple[tuple, int, Callable]] = []  # (start, priority, rewrite)
    for find, priority, rewrite in ((_find_magic_assign, 10, _magic_assign), (_find_system_assign, 10, _system_assign),
                                    (_find_escape, 10, _escaped), (_find_help_end, 5, _help_end)):
        found = find(groups)
        if found is None:
            continue
        start = found[0] if priority == 5 else found
        candidates.append(((start[0] - 1, start[1]), priority, lambda rewrite=rewrite, found=found: rewrite(lines, found)))
    for _, _, rewrite in sorted(candidates, key=lambda candidate: (candidate[0], candidate[1])):
        try:
            return rewrite()
        except SyntaxError:
            continue
    return None


def _continued_until(lines: list[str], row: int) -> int:
    """The last physical line of the statement starting on ``row`` (continued by backslashes)."""
    end = row
    while end < len(lines) - 1 and lines[end].endswith("\\"):
        end += 1
    return end


def _joined(lines: list[str], row: int, column: int, end: int) -> str:
    pieces = [lines[row][column:]] + lines[row + 1:end + 1]
    return " ".join([piece.rstrip()[:-1] for piece in pieces[:-1]] + [pieces[-1].rstrip()])


def _replace(lines: list[str], row: int, end: int, line: str) -> list[str]:
    """``lines`` with rows ``row..end`` replaced by ``line`` and blank lines (the count is kept)."""
    return lines[:row] + [line] + [""] * (end - row) + lines[end + 1:]


def _magic_assign(lines: list[str], start: tuple) -> list[str]:
    row, column = start[0] - 1, start[1]
    end = _continued_until(lines, row)
    name, _, arguments = _joined(lines, row, column, end)[1:].partition(" ")
    return _replace(lines, row, end, lines[row][:column] + f"get_ipython().run_line_magic({name!r}, {arguments!r})")


def _system_assign(lines: list[str], start: tuple) -> list[str]:
    row, column = start[0] - 1, start[1]
    end = _continued_until(lines, row)
    command = _joined(lines, row, column, end)[1:]
    return _replace(lines, row, end, lines[row][:column] + f"get_ipython().getoutput({command!r})")


def _escaped(lines: list[str], start: tuple) -> list[str]:
    row, column = start[0] - 1, start[1]
    end = _continued_until(lines, row)
    text = _joined(lines, row, column, end)
    escape = text[:2] if text[:2] in TWO_CHARACTER_ESCAPES else text[:1]
    return _replace(lines, row, end, lines[row][:column] + escape_call(escape, text[len(escape):]))


def escape_call(escape: str, content: str) -> str:
    """The Python IPython runs for a line ``escape content``."""
    name, _, arguments = content.partition(" ")
    if escape == "!":
        return f"get_ipython().system({content!r})"
    if escape == "!!":
        return f"get_ipython().getoutput({content!r})"
    if escape in ("?", "??"):
        return help_call(content, escape) if content else "get_ipython().show_usage()"
    if escape == "%":
        return f"get_ipython().run_line_magic({name!r}, {arguments!r})"
    if escape == ",":
        return '{}("{}")'.format(name, '", "'.join(arguments.split()))
    if escape == ";":
        return f'{name}("{arguments}")'
    if not name:  # "/" with nothing to call
        raise SyntaxError("'/' must be followed by a callable name")
    return "{}({})".format(name, ", ".join(arguments.split()))


def help_call(target: str, escape: str) -> str:
    magic = "pinfo2" if escape == "??" else "psearch" if "*" in target else "pinfo"
    return f"get_ipython().run_line_magic({magic!r}, {target!r})"


def _help_end(lines: list[str], found: tuple) -> list[str]:
    (row, column), (question_row, _) = (found[0][0] - 1, found[0][1]), found[1]
    question_row -= 1
    piece = "".join(line + "\n" for line in lines[row:question_row + 1])
    match = _HELP_TARGET.search(piece[column:])
    if match is None:
        raise SyntaxError(piece[column:])
    return _replace(lines, row, question_row, piece[:column] + help_call(match.group(1), match.group(3)))
