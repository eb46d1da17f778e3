"""The concise line, then the derivation chain, where TensorFlow fails, and how to reproduce it."""

from __future__ import annotations

from ..findings import Finding
from .concise import line

WIDTH = 100


def chain_lines(chain: list[str], indent: str = "  ") -> list[str]:
    """``Nx28x28x1 -conv2d s1 SAME-> Nx28x28x32 -> ...`` wrapped at WIDTH columns."""
    if not chain:
        return []
    pieces = [chain[0]]
    for index in range(1, len(chain) - 1, 2):
        pieces.append(f"-{chain[index]}-> {chain[index + 1]}")
    lines, current = [], indent
    for piece in pieces:
        candidate = piece if current == indent else f" {piece}"
        if len(current) + len(candidate) > WIDTH and current != indent:
            lines.append(current)
            current = indent + piece
        else:
            current += candidate
    lines.append(current)
    return lines


def witness_text(finding: Finding) -> str:
    """``line 39`` (``cell 4, line 2`` in a notebook) when TensorFlow fails elsewhere than the finding."""
    if finding.witness_line is None:
        return ""
    cell = getattr(finding, "cell", None)
    witness_cell = getattr(finding, "witness_cell", None)
    if witness_cell is not None:
        if (witness_cell, finding.witness_line) == (cell, finding.line):
            return ""
        return f"cell {witness_cell}, line {finding.witness_line}"
    return "" if finding.witness_line == finding.line else f"line {finding.witness_line}"


_WITNESS = {
    "raises": "TensorFlow raises at {}",
    "silent": "the shape silently goes wrong at {} (TensorFlow does not raise there)",
}


def reproduce_hint(finding: Finding) -> str:
    """``reproduce: tfshapelint repro PATH:LINE`` when the finding has a TensorFlow reproducer (not in
    a notebook, whose lines count within a cell)."""
    if finding.reproducer is None or getattr(finding, "cell", None) is not None:
        return ""
    return f"reproduce: tfshapelint repro {finding.path}:{finding.line}"


def render(findings: list[Finding]) -> str:
    out = []
    for finding in findings:
        out.append(line(finding))
        out.extend(chain_lines(finding.chain))
        witness = witness_text(finding)
        if witness:
            out.append("  " + _WITNESS.get(finding.witness_kind, "TensorFlow goes wrong at {}").format(witness))
        hint = reproduce_hint(finding)
        if hint:
            out.append("  " + hint)
    return "".join(text + "\n" for text in out)
