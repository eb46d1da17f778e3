"""The TensorFlow releases a program targets, as shape functions ask about them.

A release is ``(major, minor)``. Where TensorFlow changed a semantic in release R, a shape function
applies the old one only when every targeted release comes before R (``before(R)``), and reports
what R removed only when every targeted release is R or later (``since(R)``). A range the program
does not pin (``Versions()``: nothing configured nor inferred) stands for the current TensorFlow 2;
a range that straddles R decides neither way, and the current semantics stay.
"""

from __future__ import annotations

from typing import NamedTuple, Optional, Union


class Versions(NamedTuple):
    """TensorFlow minor releases ``low <= (major, minor) < high``; None: unbounded."""

    low: Optional[tuple] = None
    high: Optional[tuple] = None

    def intersect(self, other: "Versions") -> "Versions":
        lows = [v for v in (self.low, other.low) if v is not None]
        highs = [v for v in (self.high, other.high) if v is not None]
        return Versions(max(lows) if lows else None, min(highs) if highs else None)

    @property
    def empty(self) -> bool:
        return self.low is not None and self.high is not None and self.low >= self.high

    @property
    def pinned(self) -> bool:
        return self.low is not None or self.high is not None

    def before(self, release: tuple) -> bool:
        """Every targeted release predates ``release``: its old semantics apply."""
        return self.high is not None and self.high <= release

    def since(self, release: tuple) -> bool:
        """Every targeted release is ``release`` or later (an unpinned target is the current TensorFlow)."""
        return (self.low is not None and self.low >= release) or not self.pinned

    def describe(self) -> str:
        if self.low is not None and self.high == (self.low[0], self.low[1] + 1):
            return dotted(self.low)
        bounds = ([f">={dotted(self.low)}"] if self.low else []) + ([f"<{dotted(self.high)}"] if self.high else [])
        return ", ".join(bounds) or "any"


CURRENT = Versions()
# The two generations ``target-version`` names: "tf1" is TensorFlow 1.x before 1.14, whose matmul
# does not broadcast batch dimensions (target_version.py); "tf2" is 1.14 and later.
GENERATIONS = {"tf1": Versions((1, 0), (1, 14)), "tf2": Versions((1, 14), None)}


def as_versions(target: Union[str, Versions, None]) -> Versions:
    """The releases of a target given as a generation ("tf1", "tf2"), a range, or None (current)."""
    if target is None:
        return CURRENT
    if isinstance(target, str):
        return GENERATIONS[target]
    return target


def dotted(version: tuple) -> str:
    return ".".join(map(str, version))
