"""The codemods: each takes the libcst module and the node to change, and returns the new node.

A codemod that cannot do its job safely (the node is not what it expects, the result would not be
the author's code) raises ``Refused`` with the reason; the fix is then dropped with that note.
Only nodes are built here: the surrounding code, comments and formatting stay libcst's round trip
of the file.
"""

from __future__ import annotations

from typing import Callable, Optional

import libcst as cst


class Refused(Exception):
    """The codemod does not apply to this node; the message says why."""


def replace(module: cst.Module, node: cst.CSTNode, params: dict) -> cst.CSTNode:
    """The expression ``params["text"]`` in place of ``node``; the node's own parentheses are kept."""
    if not isinstance(node, cst.BaseExpression):
        raise Refused("the node to replace is not an expression")
    new = _expression(params["text"])
    return new.with_changes(lpar=node.lpar, rpar=node.rpar) if node.lpar else new


def keywords(module: cst.Module, node: cst.CSTNode, params: dict) -> cst.CSTNode:
    """A call whose positional arguments are the parameters ``params["written"]``, passed by keyword
    in the order ``params["order"]``. Each value moves with its own comments; the commas and line
    breaks between the arguments stay where they were."""
    if not isinstance(node, cst.Call):
        raise Refused("the node is not a call")
    written, order = params["written"], params["order"]
    positional = [arg for arg in node.args if arg.keyword is None]
    if any(arg.star for arg in node.args):
        raise Refused("the call unpacks arguments (* or **)")
    if len(positional) != len(written) or node.args[:len(written)] != tuple(positional):
        raise Refused(f"the call does not pass exactly {len(written)} positional arguments first")
    named = {arg.keyword.value for arg in node.args if arg.keyword is not None}
    if named & set(written):
        raise Refused("the call already names one of the parameters")
    by_name = dict(zip(written, positional))
    moved = [by_name[name].with_changes(keyword=cst.Name(name), equal=_tight_equal(),
                                        comma=slot.comma, whitespace_after_arg=slot.whitespace_after_arg)
             for name, slot in zip(order, positional)]
    return node.with_changes(args=[*moved, *node.args[len(written):]])


def wrap(module: cst.Module, node: cst.CSTNode, params: dict) -> cst.CSTNode:
    """``module.function(node, *extra)``, with the name under which the file imports ``module``."""
    if not isinstance(node, cst.BaseExpression):
        raise Refused("the node to wrap is not an expression")
    alias = imported_as(module, params["module"])
    if alias is None:
        raise Refused(f"`{params['module']}` is not imported by a plain `import` at the top of the file")
    inner = node.with_changes(lpar=[], rpar=[]) if node.lpar else node
    extra = ", ".join(params["extra"])
    call = _expression(f"{alias}.{params['function']}(_{', ' + extra if extra else ''})")
    first = call.args[0].with_changes(value=inner)
    call = call.with_changes(args=[first, *call.args[1:]])
    return call.with_changes(lpar=node.lpar, rpar=node.rpar) if node.lpar else call


CODEMODS: dict[str, Callable[[cst.Module, cst.CSTNode, dict], cst.CSTNode]] = {
    "replace": replace, "keywords": keywords, "wrap": wrap,
}


def imported_as(module: cst.Module, dotted: str) -> Optional[str]:
    """The name a module-level ``import`` statement binds ``dotted`` to (``import tensorflow as tf``:
    ``tf``; ``import tensorflow``: ``tensorflow``); ``import tensorflow.compat.v1 as tf`` counts for
    ``tensorflow`` too (what the fixes call exists in both). None when the file does not import it so."""
    found = None
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.Import):
                continue
            for alias in small.names:
                name = module.code_for_node(alias.name)
                if alias.asname is not None and (name == dotted or name == f"{dotted}.compat.v1"):
                    found = module.code_for_node(alias.asname.name)
                elif alias.asname is None and name == dotted:
                    found = dotted
    return found


def _expression(text: str) -> cst.BaseExpression:
    try:
        return cst.parse_expression(text)
    except cst.ParserSyntaxError as error:
        raise Refused(f"the new code `{text}` does not parse") from error


def _tight_equal() -> cst.AssignEqual:
    """``name=value``, as PEP 8 writes keywords."""
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
