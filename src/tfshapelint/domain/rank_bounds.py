"""Arrays of unknown shape whose rank is known to lie between two bounds.

Data read from files has no static shape, but what the program does with it tells its rank:
``np.loadtxt`` returns at most 2 axes (rank 2 exactly with ``ndmin=2``), and ``data[:, :-1]``
only runs on an array of rank 2 or more. A rank that is bounded to one value becomes a shape of
unknown sizes; a minimum alone is enough to prove that a value cannot feed a placeholder of a
smaller rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .values import Step, TensorVal, Value


@dataclass(frozen=True, eq=False)
class RankBoundedArray(TensorVal):
    """A tensor or array of unknown shape (``shape`` is None) whose rank is at least ``min_rank``
    and at most ``max_rank`` (None: no upper bound)."""

    min_rank: int = 0
    max_rank: Optional[int] = None

    def join_with(self, other: Value) -> Optional[Value]:
        if not isinstance(other, TensorVal):
            return None
        low_a, high_a = rank_bounds(self)
        low_b, high_b = rank_bounds(other)
        high = None if high_a is None or high_b is None else max(high_a, high_b)
        kind = self.kind if self.kind == other.kind else "tensor"
        return with_rank_bounds(min(low_a, low_b), high, kind=kind, label=self.label)


def rank_bounds(tensor: TensorVal) -> tuple:
    """``(lowest, highest)`` rank of ``tensor``; highest None when unbounded."""
    if tensor.shape is not None:
        return len(tensor.shape), len(tensor.shape)
    if isinstance(tensor, RankBoundedArray):
        return tensor.min_rank, tensor.max_rank
    return 0, None


def with_rank_bounds(low: int, high: Optional[int], kind: str = "ndarray", chain: tuple = (),
                     label: Optional[str] = None) -> TensorVal:
    """A tensor of rank in [low, high]: a shape of unknown sizes when the bounds meet, a plain
    tensor of unknown shape when nothing is known."""
    if high is not None and high == low:
        shape = (None,) * low
        return TensorVal(shape=shape, kind=kind, label=label, chain=chain or (Step(None, shape),))
    if low <= 0 and high is None:
        return TensorVal(shape=None, kind=kind, label=label, chain=chain or (Step(None, None),))
    return RankBoundedArray(shape=None, kind=kind, label=label, chain=chain or (Step(None, None),),
                            min_rank=max(low, 0), max_rank=high)


def rank_text(tensor: TensorVal) -> str:
    """``rank 2 or more``, ``rank 1 to 2``: what is known of an unknown shape's rank."""
    low, high = rank_bounds(tensor)
    if high is None:
        return f"rank {low} or more"
    return f"rank {low} to {high}"
