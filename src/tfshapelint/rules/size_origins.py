"""The note that tells where the symbolic sizes a finding shows come from.

A message that shows ``N`` and ``N2`` leaves the reader to guess which input each belongs to; the
note names them: " (where N is the batch of placeholder `x`, N2 the batch of
placeholder `y`)". A finding whose only symbol is ``N`` gets no note: one batch is not ambiguous.
"""

from __future__ import annotations

import re

from ..domain.values import TensorVal
from ..shapes import dims
from .base import Draft


def _shown_symbols(error, draft: Draft) -> list:
    """The symbols of the error's tensors and of the shown derivation, in their order of creation."""
    shapes_seen = [step.shape for step in draft.chain]
    for fact in error.facts.values():
        if isinstance(fact, TensorVal):
            shapes_seen.append(fact.shape)
            shapes_seen.extend(step.shape for step in fact.chain)
    found = {symbol for shape in shapes_seen if shape for dim in shape for symbol in dims.symbols_of(dim)}
    return sorted(found, key=dims.Symbol.made_key)


def mentions(text: str, name: str) -> bool:
    """``name`` appears as a size of ``text`` (``N2`` in "N2x10" or "(N2)", not in "N20")."""
    return re.search(rf"(?<![A-Za-wyz0-9_]){re.escape(name)}(?![A-Za-wyz0-9_])", text) is not None


def origins_note(error, draft: Draft) -> str:
    """" (where N2 is the batch of placeholder `y`)" for the message of ``draft``, or ""."""
    named = [symbol for symbol in _shown_symbols(error, draft)
             if symbol.origin and mentions(draft.message, symbol.name)]
    if not named or all(symbol.name == "N" for symbol in named):
        return ""
    first, *rest = named
    parts = [f"{first.name} is {first.origin}"] + [f"{symbol.name} {symbol.origin}" for symbol in rest]
    return f" (where {', '.join(parts)})"
