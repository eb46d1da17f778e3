"""Finding the files to lint and reading them as text."""

from __future__ import annotations

import io
import os
import tokenize
from pathlib import Path
from typing import Iterator, Union

from . import diagnostics
from .findings import Finding

# Folders never descended into (explicitly named files are always linted).
DEFAULT_EXCLUDES = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox", ".pants.d",
    ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pycache__", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
})


def discover(paths: list[str]) -> Iterator[str]:
    """Python files under ``paths``, each once, in a stable order; missing paths raise FileNotFoundError."""
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise FileNotFoundError(raw)
        if path.is_dir():
            for file in _walk(path):
                key = os.path.realpath(file)
                if key not in seen:
                    seen.add(key)
                    yield file
        else:
            key = os.path.realpath(raw)
            if key not in seen:
                seen.add(key)
                yield raw


def _walk(root: Path) -> Iterator[str]:
    visited: set[str] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited:  # a symlink cycle
            subfolders[:] = []
            continue
        visited.add(real)
        subfolders[:] = sorted(d for d in subfolders if d not in DEFAULT_EXCLUDES)
        for name in sorted(files):
            if name.endswith((".py", ".pyi")):
                yield os.path.join(folder, name)


def read_source(path: str) -> Union[str, Finding]:
    """The file's text, decoded as Python does (PEP 263 cookie, BOM), or a TSL904 diagnostic."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return diagnostics.diagnostic(diagnostics.UNREADABLE, path, f"cannot read file: {error.strerror or error}")
    return decode_source(data, path)


def decode_source(data: bytes, path: str) -> Union[str, Finding]:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        return diagnostics.diagnostic(diagnostics.UNREADABLE, path, f"cannot decode file: {error}")
    return text[1:] if text.startswith("\ufeff") else text
