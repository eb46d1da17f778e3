"""Where each value of a JSON text is: the spans a notebook's cells are read from and written to."""

from __future__ import annotations

import json
import re
from json.decoder import scanstring

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def value_spans(text: str, depth: int = 6) -> dict:
    """``{path: (start, end)}`` of every JSON value of ``text`` down to ``depth`` keys/indexes."""
    spans: dict = {}
    _scan(text, _skip(text, 0), (), depth, spans)
    return spans


def _skip(text: str, index: int) -> int:
    return _SPACE.match(text, index).end()


def _scan(text: str, index: int, path: tuple, depth: int, spans: dict) -> int:
    start = index
    opener = text[index:index + 1]
    if opener in ("{", "["):
        closer = "}" if opener == "{" else "]"
        index = _skip(text, index + 1)
        number = 0
        while text[index] != closer:
            if opener == "{":
                key, index = scanstring(text, index + 1)
                index = _skip(text, index)
                if text[index] != ":":
                    raise ValueError(f"expected ':' at {index}")
                index = _skip(text, index + 1)
            else:
                key = number
            number += 1
            index = _skip(text, _scan(text, index, path + (key,), depth, spans))
            if text[index] == ",":
                index = _skip(text, index + 1)
            elif text[index] != closer:
                raise ValueError(f"expected ',' or '{closer}' at {index}")
        end = index + 1
    elif opener == '"':
        _, end = scanstring(text, index + 1)
    else:
        _, end = _DECODER.raw_decode(text, index)
    if len(path) <= depth:
        spans[path] = (start, end)
    return end
