"""The edits that turn Python 2 syntax into Python 3, token by token.

Each rule looks at the tokens (python2/tokens.py) and returns small edits: a span of the source
and its replacement, never across a line break, so every line keeps its number. Strings and
comments are never edited (a string's prefix ``ur`` aside, which Python 3 does not accept).

What is translated:

- ``print x, y`` / ``print >>f, x`` / ``print x,`` -> ``print(x, y)`` / ``print(file=f, *(x,))`` /
  ``print(x, end=" ")`` (unless the file imports ``print_function``);
- ``exec code in ns`` -> ``exec(code, ns)``;
- ``except E, e:`` -> ``except E as e:``; ``raise E, V`` -> ``raise E(V)``, ``raise E, V, T`` ->
  ``raise E(V).with_traceback(T)``;
- `` `x` `` -> ``repr(x)``; ``<>`` -> ``!=``; ``0777`` -> ``0o777``; ``10L`` -> ``10``; ``ur"..."`` -> ``r"..."``;
- tuple parameters: ``def f(a, (b, c)):`` -> ``def f(a, _tuple_param_1):`` with ``(b, c) =
  _tuple_param_1;`` before the first statement of the body (which must be a simple statement);
  ``lambda (x, y): x + y`` -> ``lambda _tuple_param_1: [x + y for (x, y) in [_tuple_param_1]][0]``.

A rule that meets something it cannot translate on one line raises ``Untranslatable``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .tokens import NAME, NEWLINE, NUMBER, STRING, Token, string_prefix

_COMPOUND_STARTS = ("if", "for", "while", "try", "with", "def", "class", "async")
# Operators after which ``print``/``exec`` is a name, not a statement keyword.
_NOT_AN_EXPRESSION_START = {"=", ".", ",", ")", "]", "}", ":", "+=", "-=", "*=", "/=", "//=", "%=", "**=",
                            ">>=", "<<=", "&=", "|=", "^=", "@=", ":="}
_OCTAL = re.compile(r"0+([0-7]+)")


class Untranslatable(Exception):
    """The file has Python 2 syntax this translation cannot carry over on the same lines."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


def python2_edits(source: str, tokens: list[Token]) -> list[Edit]:
    """Every edit, in the order they were made (which orders insertions at the same offset)."""
    futures = future_imports(tokens)
    names = _Names(source)
    edits: list[Edit] = []
    edits += _literal_edits(tokens)
    edits += _backtick_edits(tokens)
    edits += _def_tuple_edits(source, tokens, names)
    edits += _lambda_tuple_edits(source, tokens, names)
    for index, token in enumerate(tokens):
        if token.kind != NAME or not _starts_statement(tokens, index) or _used_as_name(tokens, index):
            continue
        if token.text == "print" and "print_function" not in futures:
            edits += _print_edits(source, tokens, index)
        elif token.text == "exec":
            edits += _exec_edits(source, tokens, index)
        elif token.text == "raise":
            edits += _raise_edits(source, tokens, index)
        elif token.text == "except":
            edits += _except_edits(tokens, index)
    return edits


def future_imports(tokens: list[Token]) -> set[str]:
    """The names of ``from __future__ import ...`` statements."""
    names: set[str] = set()
    for index in range(len(tokens) - 2):
        first, module, keyword = tokens[index:index + 3]
        if first.is_name("from") and module.is_name("__future__") and keyword.is_name("import"):
            end = _statement_end(tokens, index)
            names |= {token.text for token in tokens[index + 3:end] if token.kind == NAME}
    return names


# -- token by token -------------------------------------------------------------------------------

def _literal_edits(tokens: list[Token]) -> list[Edit]:
    edits = []
    for token in tokens:
        if token.kind == NUMBER:
            text = _python3_number(token.text)
            if text != token.text:
                edits.append(Edit(token.start, token.end, text))
        elif token.kind == STRING:
            prefix = string_prefix(token)
            if "u" in prefix.lower() and "r" in prefix.lower():
                edits.append(Edit(token.start, token.start + len(prefix), prefix.replace("u", "").replace("U", "")))
        elif token.is_op("<>"):
            edits.append(Edit(token.start, token.end, "!="))
    return edits


def _python3_number(text: str) -> str:
    """``10L`` -> ``10``, ``0777`` -> ``0o777``; any other number as it is."""
    if text[-1] in "lL":
        text = text[:-1]
    octal = _OCTAL.fullmatch(text)
    return "0o" + octal.group(1) if octal and octal.group(1).strip("0") else text


def _backtick_edits(tokens: list[Token]) -> list[Edit]:
    ticks = [token for token in tokens if token.is_op("`")]
    if len(ticks) % 2:
        raise Untranslatable("an odd number of backticks")
    return [Edit(tick.start, tick.end, ")" if number % 2 else "repr(") for number, tick in enumerate(ticks)]


# -- tuple parameters ---------------------------------------------------------------------------

class _Names:
    """Fresh parameter names for tuple parameters, unused anywhere in the file."""

    def __init__(self, source: str):
        self.source = source
        self.count = 0

    def next(self) -> str:
        while True:
            self.count += 1
            name = f"_tuple_param_{self.count}"
            if name not in self.source:
                return name


def _def_tuple_edits(source: str, tokens: list[Token], names: "_Names") -> list[Edit]:
    edits = []
    for index in range(len(tokens) - 2):
        if tokens[index].is_name("def") and tokens[index + 1].kind == NAME and tokens[index + 2].is_op("("):
            close = _matching(tokens, index + 2)
            tuples = _tuple_parameters(tokens, index + 2, close)
            if tuples:
                edits += _def_edits(source, tokens, close, tuples, names)
    return edits


def _def_edits(source: str, tokens: list[Token], close: int, tuples: list, names: _Names) -> list[Edit]:
    edits, unpacking = [], []
    for first, last in tuples:
        name = names.next()
        edits.append(Edit(tokens[first].start, tokens[last].end, name))
        unpacking.append(f"{_one_line(source, tokens, first, last)} = {name}")
    body = _first_body_token(tokens, close)
    if tokens[body].is_name(*_COMPOUND_STARTS) or tokens[body].is_op("@"):
        raise Untranslatable("tuple parameters before a compound statement")
    edits.append(Edit(tokens[body].start, tokens[body].start, "; ".join(unpacking) + "; "))
    return edits


def _first_body_token(tokens: list[Token], close: int) -> int:
    """The first token of a function's body, after the ``:`` that ends its header."""
    colon = _required_at_depth(tokens, close + 1, tokens[close].depth, lambda token: token.is_op(":"))
    body = colon + 1
    if tokens[body].kind == NEWLINE:
        body += 1
    if body >= len(tokens) or tokens[body].kind == NEWLINE:
        raise Untranslatable("a function without a body")
    return body


def _lambda_tuple_edits(source: str, tokens: list[Token], names: "_Names") -> list[Edit]:
    """Innermost lambdas first: their closing text goes before an enclosing lambda's."""
    edits = []
    for index in reversed(range(len(tokens))):
        if not tokens[index].is_name("lambda"):
            continue
        colon = _required_at_depth(tokens, index + 1, tokens[index].depth, lambda token: token.is_op(":"))
        tuples = _tuple_parameters(tokens, index, colon)
        if tuples:
            edits += _lambda_edits(source, tokens, colon, tuples, names)
    return edits


def _lambda_edits(source: str, tokens: list[Token], colon: int, tuples: list, names: _Names) -> list[Edit]:
    edits, targets, params = [], [], []
    for first, last in tuples:
        name = names.next()
        edits.append(Edit(tokens[first].start, tokens[last].end, name))
        targets.append(_one_line(source, tokens, first, last))
        params.append(name)
    last_body = _lambda_body_end(tokens, colon) - 1
    values = params[0] if len(params) == 1 else f"({', '.join(params)})"
    edits.append(Edit(tokens[colon].end, tokens[colon].end, " ["))
    edits.append(Edit(tokens[last_body].end, tokens[last_body].end, f" for {', '.join(targets)} in [{values}]][0]"))
    return edits


def _lambda_body_end(tokens: list[Token], colon: int) -> int:
    """The index just past a lambda's body: where its enclosing bracket closes, or at its own
    depth a comma, ``;``, the end of the line or the ``for`` of a comprehension."""
    depth = tokens[colon].depth
    index = colon + 1
    while index < len(tokens):
        token = tokens[index]
        if token.kind == NEWLINE or token.depth < depth:
            break
        if token.depth == depth and (token.is_op(",", ";") or token.is_name("for")):
            break
        index += 1
    if index == colon + 1:
        raise Untranslatable("a lambda without a body")
    return index


def _tuple_parameters(tokens: list[Token], opening: int, close: int) -> list[tuple[int, int]]:
    """(first, last) token indices of each parenthesised parameter between ``opening`` (the
    ``(`` of a def, or a ``lambda``) and ``close``."""
    depth = tokens[opening].depth + (1 if tokens[opening].is_op("(") else 0)
    found, at_start, index = [], True, opening + 1
    while index < close:
        token = tokens[index]
        if token.depth == depth and at_start and token.is_op("("):
            last = _matching(tokens, index)
            found.append((index, last))
            index, at_start = last + 1, False
            continue
        if token.depth == depth:
            at_start = token.is_op(",")
        index += 1
    return found


def _one_line(source: str, tokens: list[Token], first: int, last: int) -> str:
    text = source[tokens[first].start:tokens[last].end]
    if "\n" in text or "\r" in text:
        raise Untranslatable("a tuple parameter over several lines")
    return text


# -- statements ---------------------------------------------------------------------------------

def _print_edits(source: str, tokens: list[Token], index: int) -> list[Edit]:
    end = _statement_end(tokens, index)
    token = tokens[index]
    if end == index + 1:
        return [Edit(token.end, token.end, "()")]
    if _is_call(tokens, index, end):
        return []
    if tokens[index + 1].is_op(">>"):
        return _print_to_file_edits(tokens, index, end)
    last = tokens[end - 1]
    trailing_comma = last.is_op(",") and last.depth == token.depth
    return [_opening(source, tokens, index), Edit(last.end, last.end, ' end=" ")' if trailing_comma else ")")]


def _print_to_file_edits(tokens: list[Token], index: int, end: int) -> list[Edit]:
    """``print >>f, a, b`` -> ``print (file=f, *(a, b,))``: the values keep their place."""
    arrow, last = tokens[index + 1], tokens[end - 1]
    edits = [Edit(arrow.start, arrow.end, "(file=")]
    comma = _next_at_depth(tokens, index + 2, tokens[index].depth, lambda token: token.is_op(","), end)
    if comma is None or comma == end - 1:
        if comma is not None:
            edits.append(Edit(tokens[comma].start, tokens[comma].end, ""))
        return edits + [Edit(last.end, last.end, ")")]
    trailing_comma = last.is_op(",") and last.depth == tokens[index].depth
    edits.append(Edit(tokens[comma].start, tokens[comma].end, ', end=" ", *(' if trailing_comma else ", *("))
    return edits + [Edit(last.end, last.end, "))" if trailing_comma else ",))")]


def _exec_edits(source: str, tokens: list[Token], index: int) -> list[Edit]:
    end = _statement_end(tokens, index)
    if end == index + 1 or _is_call(tokens, index, end):
        return []
    edits = [_opening(source, tokens, index)]
    keyword = _next_at_depth(tokens, index + 1, tokens[index].depth, lambda token: token.is_name("in"), end)
    if keyword is not None:
        edits.append(_replace_with_gap_before(source, tokens, keyword, ","))
    return edits + [Edit(tokens[end - 1].end, tokens[end - 1].end, ")")]


def _raise_edits(source: str, tokens: list[Token], index: int) -> list[Edit]:
    end = _statement_end(tokens, index)
    commas = _all_at_depth(tokens, index + 1, end, tokens[index].depth, ",")
    if not commas or len(commas) > 2:
        return []
    last = tokens[end - 1]
    edits = [_replace_with_gap_after(source, tokens, commas[0], "(")]
    if len(commas) == 2:
        edits.append(_replace_with_gap_after(source, tokens, commas[1], ").with_traceback("))
    return edits + [Edit(last.end, last.end, ")")]


def _except_edits(tokens: list[Token], index: int) -> list[Edit]:
    colon = _required_at_depth(tokens, index + 1, tokens[index].depth, lambda token: token.is_op(":"))
    commas = _all_at_depth(tokens, index + 1, colon, tokens[index].depth, ",")
    if len(commas) != 1:
        return []
    comma = tokens[commas[0]]
    return [Edit(comma.start, comma.end, " as")]


def _opening(source: str, tokens: list[Token], index: int) -> Edit:
    """The ``(`` after ``print``/``exec``: in place of the spaces before the first value, unless
    a line continuation is among them."""
    keyword, first = tokens[index], tokens[index + 1]
    if _is_plain_gap(source[keyword.end:first.start]):
        return Edit(keyword.end, first.start, "(")
    return Edit(keyword.end, keyword.end, "(")


def _replace_with_gap_after(source: str, tokens: list[Token], index: int, text: str) -> Edit:
    end = tokens[index + 1].start
    if not _is_plain_gap(source[tokens[index].end:end]):
        end = tokens[index].end
    return Edit(tokens[index].start, end, text)


def _replace_with_gap_before(source: str, tokens: list[Token], index: int, text: str) -> Edit:
    start = tokens[index - 1].end
    if not _is_plain_gap(source[start:tokens[index].start]):
        start = tokens[index].start
    return Edit(start, tokens[index].end, text)


def _is_plain_gap(text: str) -> bool:
    """Only spaces between two tokens (no line continuation, which must stay)."""
    return not any(char in text for char in "\\\r\n")


# -- navigation -----------------------------------------------------------------------------

def _starts_statement(tokens: list[Token], index: int) -> bool:
    if tokens[index].depth != 0:
        return False
    if index == 0:
        return True
    before = tokens[index - 1]
    return before.kind == NEWLINE or (before.depth == 0 and before.is_op(";", ":"))


def _used_as_name(tokens: list[Token], index: int) -> bool:
    """``print = log`` or ``exec.x`` in a file of Python 3 that failed to parse for another reason."""
    return tokens[index + 1].kind == "op" and tokens[index + 1].text in _NOT_AN_EXPRESSION_START


def _statement_end(tokens: list[Token], index: int) -> int:
    """The index of the ``newline`` or ``;`` that ends the statement holding ``index``."""
    depth = tokens[index].depth
    end = _next_at_depth(tokens, index + 1, depth, lambda token: token.is_op(";"))
    newline = next(i for i in range(index + 1, len(tokens)) if tokens[i].kind == NEWLINE)
    return newline if end is None else min(end, newline)


def _is_call(tokens: list[Token], index: int, end: int) -> bool:
    """``print(...)`` alone: already Python 3."""
    return tokens[index + 1].is_op("(") and _matching(tokens, index + 1) == end - 1


def _matching(tokens: list[Token], opening: int) -> int:
    depth = tokens[opening].depth
    for index in range(opening + 1, len(tokens)):
        token = tokens[index]
        if token.depth == depth and token.kind == "op" and token.text in ")]}":
            return index
    raise Untranslatable("an unclosed bracket")


def _next_at_depth(tokens: list[Token], start: int, depth: int, wanted, stop: Optional[int] = None) -> Optional[int]:
    """The first index from ``start`` (before ``stop``, else before the end of the line) whose
    token is at ``depth`` and ``wanted``; None if there is none."""
    for index in range(start, len(tokens) if stop is None else stop):
        token = tokens[index]
        if stop is None and token.kind == NEWLINE:
            return None
        if token.depth == depth and wanted(token):
            return index
    return None


def _required_at_depth(tokens: list[Token], start: int, depth: int, wanted) -> int:
    """As ``_next_at_depth`` on the rest of the line, for a token the syntax requires (a ``:``)."""
    found = _next_at_depth(tokens, start, depth, wanted)
    if found is None:
        raise Untranslatable("a statement ends too soon")
    return found


def _all_at_depth(tokens: list[Token], start: int, stop: int, depth: int, op: str) -> list[int]:
    return [index for index in range(start, stop) if tokens[index].depth == depth and tokens[index].is_op(op)]
