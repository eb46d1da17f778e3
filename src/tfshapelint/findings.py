"""A finding as reported to the user: plain data, 1-based positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


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

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code)
