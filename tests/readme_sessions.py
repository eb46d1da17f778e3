"""The README's shell sessions (```console blocks): each ``$ command`` and the output shown after it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_BLOCK = re.compile(r"^```(?P<kind>[a-z]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


class Session(NamedTuple):
    line: int  # where the command is in the README
    command: str
    output: str


def blocks(text: str) -> list[tuple[str, int, str]]:
    """Every fenced block: its language, the README line of its first line, its text."""
    return [(match["kind"], text.count("\n", 0, match.start("body")) + 1, match["body"])
            for match in _BLOCK.finditer(text)]


def sessions(text: str) -> list[Session]:
    found = []
    for kind, first_line, body in blocks(text):
        if kind != "console":
            continue
        lines = body.splitlines(keepends=True)
        if not lines or not lines[0].startswith("$ "):
            raise ValueError(f"README line {first_line}: a console block starts with a `$ ` command")
        for index, line in enumerate(lines):
            if line.startswith("$ "):
                found.append(Session(first_line + index, line[2:].rstrip("\n"), ""))
            else:
                found[-1] = found[-1]._replace(output=found[-1].output + line)
    return found


def quick_start_commands(text: str) -> list[str]:
    """The commands of the quick start's two blocks, as written."""
    section = text[text.index("## Quick start\n"):]
    section = section[:section.index("\n## ", 1)]
    return [body.strip() for kind, _, body in blocks(section)]
