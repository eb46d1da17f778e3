"""What a rule says about a fix: the node to change and the codemod to apply (plain data, no libcst).

Each constructor names one codemod of codemods.py; ``params`` stay JSON data so findings with
fixes can be cached and sent to workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence


@dataclass
class FixDraft:
    """Apply the codemod ``kind`` with ``params`` to ``node`` (a syntax node of ``ast``)."""

    node: Any
    kind: str
    message: str
    applicability: str = "safe"
    params: dict = field(default_factory=dict)


def replace_with(node, text: str, message: str, applicability: str = "safe") -> FixDraft:
    """Write the expression ``text`` in place of ``node`` (its parentheses and comments around it kept)."""
    return FixDraft(node, "replace", message, applicability, {"text": text})


def keywords_in_order(call, written: Sequence[str], order: Sequence[str], message: str,
                      applicability: str = "safe") -> FixDraft:
    """The call ``call``, whose positional arguments are the parameters ``written`` (in the order
    written), passed by keyword in the order ``order``: ``concat(1, xs)`` with written ``("axis",
    "values")`` and order ``("values", "axis")`` becomes ``concat(values=xs, axis=1)``. The call must
    have exactly ``len(written)`` positional arguments."""
    if sorted(written) != sorted(order):
        raise ValueError(f"{order} is not an order of {written}")
    return FixDraft(call, "keywords", message, applicability, {"written": list(written), "order": list(order)})


def wrap_in_call(node, module: str, function: str, extra: Sequence[str], message: str,
                 applicability: str = "safe") -> FixDraft:
    """``node`` wrapped in ``module.function(node, *extra)``, ``module`` written as the file imports it
    (``tensorflow`` imported as ``tf``: ``tf.squeeze(pred, axis=-1)``); no fix when it is not imported."""
    return FixDraft(node, "wrap", message, applicability,
                    {"module": module, "function": function, "extra": list(extra)})
