"""What a rule is, and the draft finding it turns a typed shape error into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..ops.errors import ShapeError


@dataclass
class Draft:
    """A finding before positions are known: nodes, not line numbers."""

    node: Any  # where the finding is reported
    message: str
    chain: tuple = ()  # derivation steps (values.Step) of the tensor at fault
    witness: Any = None  # where TensorFlow raises or the wrong shape appears, when not at ``node``
    notes: list = field(default_factory=list)


class Rule:
    """A rule: ``code``, kebab-case ``name``, a one-line ``summary``; its page is the docstring."""

    code: str = ""
    name: str = ""
    summary: str = ""

    def match(self, error: ShapeError, source: "SourceText") -> Optional[Draft]:
        raise NotImplementedError

    @classmethod
    def page(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


class SourceText:
    """The analysed module, to quote the user's own expressions in messages."""

    def __init__(self, module):
        self.module = module

    def code(self, node) -> str:
        return self.module.code_for_node(node).strip()
