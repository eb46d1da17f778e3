"""A small tokenizer for Python 2 source, enough to translate it to Python 3.

Python's own ``tokenize`` follows the Python 3 grammar (on 3.12+ it is the C tokenizer, which
refuses backticks, ``0777`` and ``<>``), so Python 2 files are cut here. A token knows its
offsets in the source, so an edit can replace exactly it; strings and comments are whole tokens,
so nothing inside them is ever looked at, let alone changed.

Only what the translation needs is kept: names, numbers, strings, operators with their bracket
depth, and the end of each logical line (``newline``). Comments, blank lines, indentation and
line continuations are skipped. Anything the tokenizer does not understand (an unterminated
string, an unknown character, unbalanced brackets) makes it give up: the file is then not
Python 2 it can translate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

NAME, NUMBER, STRING, OP, NEWLINE = "name", "number", "string", "op", "newline"

_OPENING, _CLOSING = "([{", ")]}"

# Tried in order at each position; a string's prefix is matched before a name could take it.
_TOKEN = re.compile(r"""
    (?P<space>[ \t\f\ufeff]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<newline>\r\n|\r|\n)
  | (?P<continuation>\\(?:\r\n|\r|\n))
  | (?P<string>[uUbBrRfF]{0,2}(?:'''|\"\"\"|'|\"))
  | (?P<number>
        0[xX][0-9a-fA-F_]+[lL]?
      | 0[oO][0-7_]+[lL]?
      | 0[bB][01_]+[lL]?
      | (?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9][0-9_]*)?[jJ]?
      | [0-9][0-9_]*[eE][+-]?[0-9][0-9_]*[jJ]?
      | [0-9][0-9_]*[jJlL]?
    )
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\*\*=|//=|>>=|<<=|\.\.\.|<>|!=|==|<=|>=|->|\*\*|//|<<|>>|\+=|-=|\*=|/=|%=|&=|\|=|\^=|@=|:=
          |[-+*/%&|^~<>()\[\]{},:.;@=`])
""", re.VERBOSE)

# The rest of a string after its opening quote(s): a backslash always takes the next character
# (in raw strings too, where ``r"\""`` is one string), and a one-line string stops at a line end.
_STRING_REST = {
    "'": re.compile(r"[^'\\\r\n]*(?:\\(?:\r\n|[\s\S])[^'\\\r\n]*)*'"),
    '"': re.compile(r'[^"\\\r\n]*(?:\\(?:\r\n|[\s\S])[^"\\\r\n]*)*"'),
    "'''": re.compile(r"[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"),
    '"""': re.compile(r'[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'),
}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int  # offset in the source
    end: int
    depth: int  # brackets open around it (an opening or closing bracket: those around its pair)

    def is_op(self, *texts: str) -> bool:
        return self.kind == OP and self.text in texts

    def is_name(self, *texts: str) -> bool:
        return self.kind == NAME and self.text in texts


def tokenize(source: str) -> Optional[list[Token]]:
    """The tokens of ``source``, ending with a ``newline``; None when it cannot be tokenized."""
    tokens: list[Token] = []
    depth, position, length = 0, 0, len(source)
    while position < length:
        match = _TOKEN.match(source, position)
        if match is None:
            return None
        kind, end = match.lastgroup, match.end()
        if kind == "string":
            end = _string_end(source, match.group(), end)
            if end is None:
                return None
            tokens.append(Token(STRING, source[position:end], position, end, depth))
        elif kind == "newline":
            if depth == 0 and tokens and tokens[-1].kind != NEWLINE:
                tokens.append(Token(NEWLINE, match.group(), position, position, 0))
        elif kind in ("number", "name"):
            tokens.append(Token(NUMBER if kind == "number" else NAME, match.group(), position, end, depth))
        elif kind == "op":
            depth = _depth_after(match.group(), depth)
            if depth < 0:
                return None
            token_depth = depth - 1 if match.group() in _OPENING else depth
            tokens.append(Token(OP, match.group(), position, end, token_depth))
        position = end
    if depth != 0:
        return None
    if not tokens or tokens[-1].kind != NEWLINE:
        tokens.append(Token(NEWLINE, "", length, length, 0))
    return tokens


def _string_end(source: str, opening: str, position: int) -> Optional[int]:
    quote = opening.lstrip("uUbBrRfF")
    match = _STRING_REST[quote].match(source, position)
    return match.end() if match else None


def _depth_after(op: str, depth: int) -> int:
    if op in _OPENING:
        return depth + 1
    if op in _CLOSING:
        return depth - 1
    return depth


def string_prefix(token: Token) -> str:
    """The letters before a string token's quote (``ur`` of ``ur"..."``)."""
    return token.text[:len(token.text) - len(token.text.lstrip("uUbBrRfF"))]
