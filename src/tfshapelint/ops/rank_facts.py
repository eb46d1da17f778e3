"""What a program proves about the rank of an array whose shape is not known.

``data[:600, :-1]`` runs only on an array of rank 2 or more (NumPy raises ``too many indices``
otherwise), and its result has the rank of ``data``: unknown, but 2 or more. Such bounds travel
with the array (RankBoundedArray); when they meet, the rank is known and the sizes stay unknown.
A value whose rank is at least 2 cannot feed a placeholder of rank 1.
"""

from __future__ import annotations

from typing import Optional

from ..domain.rank_bounds import rank_bounds, rank_text, with_rank_bounds
from ..domain.sequences import SequenceSummary
from ..domain.values import ApiRef, Const, ListVal, NumberVal, SliceVal, SymInt, TensorVal, TupleVal, Value
from ..shapes.shape import Shape
from .array_like import NDARRAY, value_shape
from .registry import canonical

_GIVE_UP = None


def index_unknown_rank(source: TensorVal, key: Value, index_shape) -> TensorVal:
    """``source[key]`` for an array of unknown shape; ``index_shape(shape, key)`` indexes a shape
    once the rank is known."""
    counts = _key_counts(key)
    low, high = rank_bounds(source)
    if counts is _GIVE_UP:
        return source.derive(None, "[]", kind=NDARRAY)
    consumed, added = counts
    low = max(low, consumed)  # fewer axes than indices: NumPy raises IndexError
    if high is not None and high < low:
        return source.derive(None, "[]", kind=NDARRAY)
    if high == low:
        return source.derive(index_shape((None,) * low, key), "[]", kind=NDARRAY)
    return with_rank_bounds(low - consumed + added, None if high is None else high - consumed + added,
                            kind=NDARRAY, chain=source.derive(None, "[]").chain)


def _key_counts(key: Value) -> Optional[tuple]:
    """``(axes the key consumes, axes it adds)``, or _GIVE_UP for keys whose effect on the rank
    depends on what is not known (a 0-d or boolean scalar index, several array indices)."""
    entries = list(key.items) if type(key) is TupleVal else [key]
    consumed = added = arrays = 0
    for entry in entries:
        kind = _entry_kind(entry)
        if kind is _GIVE_UP:
            return _GIVE_UP
        if kind == "array":
            arrays += 1
        consumed += kind in ("int", "slice", "array")
        added += kind in ("slice", "newaxis", "array")
    if arrays > 1 or sum(1 for entry in entries if _is_ellipsis(entry)) > 1:
        return _GIVE_UP  # index arrays broadcast together; two ``...`` raise
    return consumed, added


def _entry_kind(entry: Value) -> Optional[str]:
    if isinstance(entry, Const):
        if entry.value is None:
            return "newaxis"
        if entry.value is Ellipsis:
            return "ellipsis"
        if isinstance(entry.value, int) and not isinstance(entry.value, bool):
            return "int"
        return _GIVE_UP  # ``x[True]`` adds an axis
    if isinstance(entry, SymInt) or (isinstance(entry, NumberVal) and entry.kind == "int"):
        return "int"
    if isinstance(entry, SliceVal):
        return "slice"
    if isinstance(entry, ApiRef) and canonical(entry.path) == "np.newaxis":
        return "newaxis"
    if isinstance(entry, (TensorVal, ListVal, SequenceSummary)):
        shape = value_shape(entry)
        # one index array of rank 1, of ints or booleans alike, replaces one axis by one
        return "array" if shape is not None and len(shape) == 1 else _GIVE_UP
    return _GIVE_UP


def _is_ellipsis(entry: Value) -> bool:
    return isinstance(entry, Const) and entry.value is Ellipsis


def same_rank(source: Value, result: TensorVal) -> TensorVal:
    """``result`` of a shape-preserving op (``astype``, ``np.array``) keeps what is known of
    ``source``'s rank when neither shape is known."""
    if not isinstance(source, TensorVal) or source.shape is not None or result.shape is not None:
        return result
    low, high = rank_bounds(source)
    return with_rank_bounds(low, high, kind=result.kind, chain=result.chain, label=result.label)


def feed_rank_mismatch(placeholder_shape: Shape, value: Value) -> Optional[tuple]:
    """``(None, reason)`` when ``value``'s rank is not known but cannot be the placeholder's."""
    if placeholder_shape is None or not isinstance(value, TensorVal) or value.shape is not None \
            or value.kind not in (NDARRAY, "tensor"):  # as fed_value_shape: placeholders are never fed values
        return None
    low, high = rank_bounds(value)
    rank = len(placeholder_shape)
    if rank < low or (high is not None and rank > high):
        return None, f"{rank_text(value)} instead of {rank}"
    return None


def fed_rank_text(value: Value) -> str:
    """How a fed value of unknown shape is described: what is known of its rank."""
    return f"unknown shape of {rank_text(value)}" if isinstance(value, TensorVal) else "unknown shape"
