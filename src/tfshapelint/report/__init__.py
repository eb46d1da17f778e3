"""Output formats: one module per format, each a ``render(findings) -> str``.

``concise`` and ``full`` are for people; ``json``, ``json-lines``, ``github`` (workflow
commands, annotations in pull requests) and ``sarif`` (code scanning) for machines.
A format's module is imported when it is used (``FORMATS[name]``), not at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable, Iterator, MutableMapping

# format name -> (module of this package, function)
_RENDERERS = {
    "concise": ("concise", "render"),
    "full": ("full", "render"),
    "json": ("json_output", "render"),
    "json-lines": ("json_output", "render_lines"),
    "github": ("github", "render"),
    "sarif": ("sarif", "render"),
}


class _Formats(MutableMapping):
    """``{name: render}``, importing a format's module on first use (a renderer can be replaced,
    as tests do)."""

    def __init__(self):
        self._set: dict = {}

    def __getitem__(self, name: str) -> Callable:
        if name in self._set:
            return self._set[name]
        module, function = _RENDERERS[name]
        return getattr(import_module(f"{__name__}.{module}"), function)

    def __setitem__(self, name: str, render: Callable) -> None:
        self._set[name] = render

    def __delitem__(self, name: str) -> None:
        self._set.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(_RENDERERS), **self._set})

    def __len__(self) -> int:
        return len({**dict.fromkeys(_RENDERERS), **self._set})


FORMATS: MutableMapping[str, Callable] = _Formats()
