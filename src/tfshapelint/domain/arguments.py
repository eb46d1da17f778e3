"""A call's arguments, each paired with the expression that wrote it.

The interpreter evaluates the arguments of a call once (``Interpreter.eval_Call``) and keeps,
with every value, its syntax node. A value has no node when no
single expression of the call's parentheses wrote it: an item of a ``*spread`` or a ``**options``
entry, a bound method's receiver (written before the dot), or an argument of a call the program did
not write (an operator's operands, an op calling another). Shape functions read the values
(``Call.args``, ``Call.kwargs``); messages, fixes and reproducers read the nodes.
"""

from __future__ import annotations

from typing import Any, Sequence, Union


class Arguments:
    """Positional ``values`` and ``keywords``; the node of each, by position or keyword; whether
    ``values[0]`` is a receiver and whether a spread supplied some of them. Treated as immutable:
    the methods return new records."""

    __slots__ = ("values", "keywords", "nodes", "keyword_nodes", "receiver", "spread")

    def __init__(self, values: list, keywords: dict, nodes: Sequence = (), keyword_nodes: dict = None,
                 receiver: bool = False, spread: bool = False):
        self.values = values
        self.keywords = keywords
        self.nodes = nodes  # by position, None where no expression wrote the value; may be shorter
        self.keyword_nodes = {} if keyword_nodes is None else keyword_nodes
        self.receiver = receiver  # values[0] is the object of a bound method or of a called object
        self.spread = spread  # a ``*spread`` or ``**options`` supplied values

    def node_of(self, key: Union[int, str]) -> Any:
        """The expression that wrote the value at position ``key`` or under keyword ``key``; None if none did."""
        if isinstance(key, str):
            return self.keyword_nodes.get(key)
        return self.nodes[key] if 0 <= key < len(self.nodes) else None

    def with_values(self, values: list, keywords: dict) -> "Arguments":
        """Other values written where these were (a replay of the same call with other inputs)."""
        return Arguments(values, keywords, self.nodes, self.keyword_nodes, self.receiver, self.spread)

    def bound_to(self, receiver: Any) -> "Arguments":
        """These arguments after ``receiver``: the call of a bound method or of an object."""
        return Arguments([receiver, *self.values], self.keywords, (None, *self.nodes), self.keyword_nodes,
                         True, self.spread)

    def without_receiver(self) -> "Arguments":
        """The arguments after the first value (a method's receiver)."""
        return Arguments(self.values[1:], self.keywords, self.nodes[1:], self.keyword_nodes, False, self.spread)

    def reordered(self, order: list) -> "Arguments":
        """The positional arguments in ``order`` (positions of these)."""
        return Arguments([self.values[i] for i in order], self.keywords, tuple(self.node_of(i) for i in order),
                         self.keyword_nodes, self.receiver, self.spread)

    def as_keywords(self, parameters: tuple) -> "Arguments":
        """Every argument by keyword: the positional ones named by ``parameters`` in order."""
        keywords = dict(zip(parameters, self.values), **self.keywords)
        nodes = {name: self.node_of(i) for i, name in enumerate(parameters[:len(self.values)])}
        return Arguments([], keywords, (), {**nodes, **self.keyword_nodes}, False, self.spread)

    def renamed(self, renames: dict) -> "Arguments":
        """The keywords renamed by ``renames`` (old name -> new name)."""
        return Arguments(self.values, {renames.get(k, k): v for k, v in self.keywords.items()}, self.nodes,
                         {renames.get(k, k): node for k, node in self.keyword_nodes.items()},
                         self.receiver, self.spread)

    def __repr__(self) -> str:
        return f"Arguments({self.values!r}, {self.keywords!r})"
