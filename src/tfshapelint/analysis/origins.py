"""Where the symbolic sizes of declared inputs come from, learnt when the inputs get their names.

A placeholder's ``None`` batch becomes a symbol (``N``, ``N2``...) when the placeholder is created,
before the program names it; its first assignment (``y = tf.placeholder(...)``) tells which input
the symbol belongs to, for the messages that show it ("N2 is the batch of placeholder `y`").
"""

from __future__ import annotations

from ..domain.values import TensorVal
from ..shapes import dims

# tensor kind -> how a message names such an input
_DECLARED_INPUTS = {"placeholder": "placeholder", "keras_input": "Keras input"}


def name_sizes(tensor: TensorVal, name: str) -> None:
    """Give the symbolic sizes of a freshly declared input that is first named ``name`` their origin."""
    what = _DECLARED_INPUTS.get(tensor.kind)
    if what is None or tensor.label or tensor.shape is None or len(tensor.chain) > 1:
        return  # not a declared input, named before, or already computed on
    for axis, dim in enumerate(tensor.shape):
        symbol = dims.lone_symbol(dim)
        if symbol is not None and symbol.origin is None:
            place = "the batch" if axis == 0 else f"axis {axis}"
            symbol.origin = f"{place} of {what} `{name}`"
