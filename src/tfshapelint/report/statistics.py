"""``--statistics``: how many findings of each code, instead of the findings (as ruff)."""

from __future__ import annotations

import json
from collections import Counter

from ..findings import Finding


def counts(findings: list[Finding]) -> list[tuple[str, str, int]]:
    """``(code, name, count)``, most frequent first, then by code."""
    by_code = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    return sorted(((code, names[code], n) for code, n in by_code.items()), key=lambda row: (-row[2], row[0]))


def render(findings: list[Finding], as_json: bool = False) -> str:
    rows = counts(findings)
    if as_json:
        fixable = {f.code for f in findings if f.fix is not None}
        data = [{"code": code, "name": name, "count": n, "fixable": code in fixable} for code, name, n in rows]
        return json.dumps(data, indent=2) + "\n"
    if not rows:
        return ""
    width = max(len(str(n)) for _, _, n in rows)
    return "".join(f"{n:>{width}}\t{code}\t{name}\n" for code, name, n in rows)
