"""Calls written for TensorFlow 0.x that TensorFlow 1.0 reads differently and rejects.

TensorFlow 1.0's release notes ("Breaking Changes to the API", RELEASE.md) and its upgrade script
(tensorflow/tools/compatibility/tf_upgrade.py: ``function_reorders``, ``function_keyword_renames``,
``symbol_renames``) list them:

- ``tf.concat(concat_dim, values)`` became ``tf.concat(values, axis)``;
- ``tf.split(split_dim, num_split, value)`` became ``tf.split(value, num_or_size_splits, axis)``;
- ``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss`` took ``(weights, biases, inputs, labels, ...)``
  and take ``(weights, biases, labels, inputs, ...)``;
- ``tf.pack``/``tf.unpack``, ``tf.mul``/``tf.sub``/``tf.neg``, ``tf.select``, ``tf.batch_matmul``,
  ``tf.inv`` and ``tf.complex_abs`` were renamed (``tf.stack``, ``tf.multiply``...), and 1.0 no
  longer has the old names (``AttributeError: module 'tensorflow' has no attribute 'mul'``, as
  programs moved to 1.0 found: tflearn/tflearn#633, yenchenlin/DeepLearningFlappyBird#28).

Each is reported only when the call is certainly in the old form (``concat``'s first argument a
Python int and its second a list or tuple, ``split``'s first two ints and its third a tensor, a
sampled loss's third argument as wide as its weights' rows and its fourth of another width) and
every release the program targets is 1.0 or later (domain/tf_versions.py: a program pinned to
``tensorflow==0.12`` is right as written). Either way the shapes follow the call as TF 0.x reads it,
what its author meant. The losses' (logits, labels) order is TSL011's (loss_order.py): only their
shapes tell it.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Optional

from ..domain.sequences import GENERATOR, RANGE, SequenceSummary
from ..domain.values import UNKNOWN, ListVal, TupleVal, Value, int_value
from .args import tensor_of
from .errors import LegacyCall
from .registry import Call, lookup, op

TF_1_0 = (1, 0)  # the release whose API changes these are (RELEASE.md, "Release 1.0.0")

# old name -> (new name, old keyword -> new keyword, or None: the new name's shapes are not the old
# one's): tf_upgrade.py's symbol_renames and the keywords of its function_keyword_renames that changed
# with them. tf.select's rank-1 condition picks rows, which TF 2's tf.where does not broadcast.
RENAMED = {
    "tf.pack": ("tf.stack", {}),
    "tf.unpack": ("tf.unstack", {}),
    "tf.mul": ("tf.multiply", {}),
    "tf.sub": ("tf.subtract", {}),
    "tf.neg": ("tf.negative", {}),
    "tf.select": ("tf.where", None),
    "tf.batch_matmul": ("tf.matmul", {"adj_x": "adjoint_a", "adj_y": "adjoint_b"}),
    "tf.inv": ("tf.reciprocal", {}),
    "tf.complex_abs": ("tf.abs", {}),
}
_LONGEST_SHOWN = 40  # longer argument expressions are not quoted
# new names that TensorFlow 2 keeps only under tf.math (tf.compat.v1 has both), checked in TF 2.21
TF2_NAMES = {"tf.reciprocal": "tf.math.reciprocal"}
# renames whose new function takes the same arguments (these keywords) to mean the same thing; not
# tf.select (tf.where broadcasts a vector condition where select picked rows), tf.batch_matmul (its
# third argument is adj_x, matmul's transpose_a), tf.inv (tf.reciprocal in 1.x, tf.math.reciprocal in 2)
_SAME_ARGUMENTS = {"tf.pack": {"values", "axis", "name"}, "tf.unpack": {"value", "num", "axis", "name"},
                   "tf.mul": {"x", "y", "name"}, "tf.sub": {"x", "y", "name"}, "tf.neg": {"x", "name"},
                   "tf.complex_abs": {"x", "name"}}


def in_tf1(call: Call) -> bool:
    """Every release the program targets has TensorFlow 1.0's API."""
    return call.versions.since(TF_1_0)


def concat_as_written(call: Call) -> Call:
    """``call`` to ``tf.concat`` as TF 0.x reads it when it is certainly ``concat(concat_dim, values)``
    (reported when the target has TF 1.0's API), else ``call`` itself."""
    if "concat_dim" in call.kwargs and "axis" not in call.kwargs:
        _report_keywords(call, {"concat_dim": "axis"}, "concat(values, axis)")
        return _rebound(call, ("concat_dim", "values", "name"), {"concat_dim": "axis"})
    if len(call.args) < 2 or {"values", "axis"} & set(call.kwargs):
        return call
    if not (_is_int(call.args[0]) and _is_sequence(call.args[1])):
        return call
    order = [1, 0, *range(2, len(call.args))]
    if in_tf1(call):
        call.report(_order_error(call, order, "concat(concat_dim, values)", "concat(values, axis)",
                                 keywords=("axis", "values")))
    return _reordered(call, order)


def split_as_written(call: Call) -> Call:
    """``call`` to ``tf.split`` as TF 0.x reads it when it is certainly ``split(split_dim, num_split,
    value)`` (reported when the target has TF 1.0's API), else ``call`` itself."""
    renames = {"split_dim": "axis", "num_split": "num_or_size_splits"}
    if set(renames) & set(call.kwargs) and not {"axis", "num_or_size_splits"} & set(call.kwargs):
        _report_keywords(call, renames, "split(value, num_or_size_splits, axis)")
        return _rebound(call, ("split_dim", "num_split", "value", "name"), renames)
    if len(call.args) < 3 or {"value", "num_or_size_splits", "axis"} & set(call.kwargs):
        return call
    if not (_is_int(call.args[0]) and _is_int(call.args[1]) and tensor_of(call.args[2]) is not None
            and not _is_int(call.args[2])):
        return call
    order = [2, 1, 0, *range(3, len(call.args))]
    if in_tf1(call):
        call.report(_order_error(call, order, "split(split_dim, num_split, value)",
                                 "split(value, num_or_size_splits, axis)",
                                 keywords=("axis", "num_or_size_splits", "value")))
    return _reordered(call, order)


def sampled_loss_as_written(call: Call) -> Call:
    """``call`` to ``tf.nn.nce_loss``/``sampled_softmax_loss`` as TF 0.x reads it when it is certainly
    ``(weights, biases, inputs, labels, ...)``: the third argument has the width of the weights' rows
    (the embedding size) and the fourth another (TF >= 1.0 then multiplies it by the weights and
    raises), reported when the target has TF 1.0's API; else ``call`` itself."""
    if len(call.args) < 4 or {"labels", "inputs"} & set(call.kwargs):
        return call
    size = _row_width(call.args[0])
    if size is None or _width(call.args[2]) != size or _width(call.args[3]) in (None, size):
        return call
    order = [0, 1, 3, 2, *range(4, len(call.args))]
    name = call.name.split(".")[-1]
    if in_tf1(call):
        call.report(_order_error(call, order, f"{name}(weights, biases, inputs, labels, ...)",
                                 f"{name}(weights, biases, labels, inputs, ...)", tensor_of(call.args[2]),
                                 keywords=("weights", "biases", "inputs", "labels", "num_sampled", "num_classes")))
    return _reordered(call, order)


def _renamed_op(old: str):
    new, keywords = RENAMED[old]

    def renamed(call: Call) -> Value:
        # the public ``tensorflow`` namespace (and its compat.v1) lost the name; TensorFlow's own
        # modules kept some (``tensorflow.python.ops.math_ops.mul`` still exists), so only those paths
        if in_tf1(call) and _public_path(call.path):
            written = ast.unparse(call.node.func) if isinstance(call.node, ast.Call) else old
            shown = f"`{new}` (TensorFlow 2: `{TF2_NAMES[new]}`)" if new in TF2_NAMES else f"`{new}`"
            call.report(LegacyCall(
                f"`{written}` is TF 0.x's name for `{new}`: TensorFlow 1.0 renamed it, and TensorFlow >= 1.0 "
                f"raises AttributeError (no attribute '{old.split('.')[-1]}'); write {shown}", old=old, new=new,
                call_node=call.node, renamed_to=new if _same_arguments(old, call) else None))
        shape_function = None if keywords is None else lookup(new)
        if shape_function is None:
            return UNKNOWN
        return shape_function(_renamed_keywords(replace(call, name=new), keywords))

    return renamed


for _old in RENAMED:
    op(_old)(_renamed_op(_old))


# -- reading the call ---------------------------------------------------------------------------------

def _is_int(value: Value) -> bool:
    """A Python int (a literal, or a size the program computed): never a tensor nor a list."""
    return int_value(value) is not None


def _is_sequence(value: Value) -> bool:
    """A Python list or tuple (never a tensor): what TF >= 1.0 cannot read as an axis."""
    if isinstance(value, SequenceSummary):
        return value.kind not in (RANGE, GENERATOR)
    return isinstance(value, (ListVal, TupleVal))


def _width(value: Value) -> Optional[int]:
    """The known last size of a matrix."""
    tensor = tensor_of(value)
    shape = None if tensor is None else tensor.shape
    return shape[1] if shape is not None and len(shape) == 2 and isinstance(shape[1], int) else None


def _row_width(weights: Value) -> Optional[int]:
    """The width of a sampled loss's weights, one matrix or a list of shards."""
    if isinstance(weights, (ListVal, TupleVal)):
        widths = {_width(shard) for shard in weights.items}
        return widths.pop() if len(widths) == 1 else None
    return _width(weights)


def _same_arguments(old: str, call: Call) -> bool:
    """Whether renaming the function of ``call`` keeps what it computes: its new name reads the same
    arguments the same way."""
    return old in _SAME_ARGUMENTS and set(call.kwargs) <= _SAME_ARGUMENTS[old]


def _public_path(path: str) -> bool:
    return not path or (path.startswith("tensorflow.") and not path.startswith("tensorflow.python."))


def _reordered(call: Call, order: list) -> Call:
    return call.with_arguments(call.arguments.reordered(order))


def _rebound(call: Call, old_parameters: tuple, renames: dict) -> Call:
    """``call`` written against TF 0.x's signature ``old_parameters`` (positional arguments included),
    as keyword arguments of TensorFlow 1.0's."""
    return call.with_arguments(call.arguments.as_keywords(old_parameters).renamed(renames))


def _renamed_keywords(call: Call, renames: dict) -> Call:
    if not set(renames) & set(call.kwargs):
        return call
    return call.with_arguments(call.arguments.renamed(renames))


def _order_error(call: Call, order: list, old: str, new: str, tensor=None, keywords: tuple = ()) -> LegacyCall:
    """The finding of arguments in TF 0.x's order; ``keywords``: TensorFlow 1.0's names of the
    positional arguments as written (in that order), which a fix may pass by keyword."""
    function = _function_text(call)
    texts = [_text(call.arguments.node_of(i)) for i in range(len(call.args))]
    written = rewritten = ""
    if all(text is not None for text in texts):
        written = f" `{function}({', '.join(texts)})`"
        rewritten = f": write `{function}({', '.join(texts[i] for i in order)})`"
    facts = {}
    if keywords and len(call.args) <= len(keywords):  # every argument as written has a name in 1.0
        written_names = keywords[:len(call.args)]
        facts = dict(call_node=call.node, written=written_names,
                     order=tuple(written_names[i] for i in order))
    return LegacyCall(f"arguments in TF 0.x's order{written}: TensorFlow 0.x took {old}, TensorFlow >= 1.0 takes "
                      f"{new} and rejects this call{rewritten}", old=old, new=new,
                      tensor=tensor if tensor is not None else tensor_of(call.args[order[0]]), **facts)


def _report_keywords(call: Call, renames: dict, new: str) -> None:
    if not in_tf1(call):
        return
    used = [name for name in renames if name in call.kwargs]
    named = ", ".join(f"`{name}=` (now `{renames[name]}=`)" for name in used)
    call.report(LegacyCall(f"TF 0.x's keyword {named}: TensorFlow >= 1.0 takes {new} and raises TypeError "
                           f"(unexpected keyword argument '{used[0]}')", old=used, new=new))


def _function_text(call: Call) -> str:
    if isinstance(call.node, ast.Call):
        return ast.unparse(call.node.func)
    return call.name


def _text(node) -> Optional[str]:
    if node is None:
        return None
    text = ast.unparse(node)
    return text if len(text) <= _LONGEST_SHOWN else None
