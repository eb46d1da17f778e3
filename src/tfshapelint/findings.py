"""A finding as reported to the user: plain data, 1-based positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Edit:
    """Replace the text from (line, column) to (end_line, end_column), 1-based, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass
class Codemod:
    """What a fix does, before it is done: the codemod ``kind`` (``tfshapelint.fixes.codemods``)
    applied to the syntax node at (line, column)-(end_line, end_column), 1-based, end exclusive,
    with ``params`` (plain JSON data). The fix layer turns it into edits."""

    kind: str
    line: int
    column: int
    end_line: int
    end_column: int
    params: dict = field(default_factory=dict)


@dataclass
class Fix:
    message: str
    applicability: str  # "safe": applied by --fix; "unsafe": only with --unsafe-fixes
    edits: list = field(default_factory=list)  # text edits: a rule's codemod gets them from the fix layer
    codemod: Optional[Codemod] = None

    def lines(self) -> tuple[int, int]:
        """The first and last line the fix may change."""
        if self.codemod is not None:
            return self.codemod.line, self.codemod.end_line
        if not self.edits:
            return 0, -1
        return min(e.line for e in self.edits), max(e.end_line for e in self.edits)


@dataclass
class Finding:
    path: str
    line: int
    column: int
    code: str
    name: str
    message: str
    end_line: Optional[int] = None
    end_column: Optional[int] = None
    chain: list = field(default_factory=list)  # derivation: ["Nx28x28x1", "conv2d SAME s1", "Nx28x28x32", ...]
    witness_line: Optional[int] = None  # where TensorFlow raises / the wrong shape appears
    witness_kind: Optional[str] = None  # "raises" or "silent"
    fix: Optional[Fix] = None
    read_as_python2: bool = False  # the file was analysed through its Python 3 translation
    reproducer: Optional[str] = None  # a TensorFlow program that shows the finding (repro/), when one is written

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code)
