"""What a rule is, and the draft finding it turns a typed shape error into."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Optional

from ..fixes.draft import FixDraft
from ..ops.errors import ShapeError
from ..source_lines import SourceLines


@dataclass
class Draft:
    """A finding before positions are known: nodes, not line numbers."""

    node: Any  # where the finding is reported
    message: str
    chain: tuple = ()  # derivation steps (values.Step) of the tensor at fault
    witness: Any = None  # where TensorFlow raises or the wrong shape appears, when not at ``node``
    witness_kind: Optional[str] = None  # "raises" or "silent" (the shape goes wrong without an error)
    notes: list = field(default_factory=list)
    fix: Optional[FixDraft] = None


class Rule:
    """A rule: ``code``, kebab-case ``name``, a one-line ``summary``; its page is the docstring."""

    code: str = ""
    name: str = ""
    summary: str = ""
    error_types: tuple = ()  # the typed errors this rule may claim: classify asks it about no other
    chain_facts: tuple = ("tensor",)  # facts naming the tensor whose derivation is shown (first found)

    def match(self, error: ShapeError, source: "SourceText") -> Optional[Draft]:
        """The default: report the error at the failing call, as it is phrased."""
        return Draft(node=error.node, message=error.message, chain=self.chain_of(error))

    def chain_of(self, error: ShapeError) -> tuple:
        for fact in self.chain_facts:
            tensor = error.facts.get(fact)
            if tensor is not None:
                return getattr(tensor, "chain", ())
        return ()

    @classmethod
    def page(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


def is_size_literal(node) -> bool:
    """A size written as a number or an expression of numbers (``1024``, ``4 * 4 * 64``): what a
    fix may rewrite."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    return isinstance(node, ast.BinOp)


def label_pair(first, second, template: str = " (`{}` and `{}`)") -> str:
    """The suffix naming two tensors in a message: ``template`` filled with their labels (the names
    the user gave them), or "" unless both are known and named."""
    if first is None or second is None or not first.label or not second.label:
        return ""
    return template.format(first.label, second.label)


class SourceText:
    """The analysed source, to quote the user's own expressions in messages. ``lines``: the file's
    ``SourceLines``, shared with whatever else places nodes in it (split once per file)."""

    def __init__(self, source: str, own=None, lines: Optional[SourceLines] = None):
        self.source = source
        self.own = own  # the file's own syntax nodes (analysis.foreign.OwnNodes), None: every node is
        self.lines = lines if lines is not None else SourceLines(source)

    def code(self, node) -> str:
        if self.own is not None and node not in self.own:  # written in another module: not in this text
            return ast.unparse(node).strip()
        segment = self.lines.segment(node)
        return (segment if segment is not None else ast.unparse(node)).strip()

    def factored(self, like_node, factors: tuple) -> Optional[str]:
        """``factors`` written as the author wrote ``like_node``: ``7 * 7 * 64`` if the original
        was ``4 * 4 * 64``, ``7*7*64`` if it was ``4*4*64``, ``3136`` if it was ``1024``."""
        if not factors or not all(isinstance(f, int) for f in factors):
            return None
        original = self.code(like_node)
        if "*" not in original:
            product = 1
            for factor in factors:
                product *= factor
            return str(product)
        separator = " * " if " * " in original else "*"
        return separator.join(str(f) for f in factors)
