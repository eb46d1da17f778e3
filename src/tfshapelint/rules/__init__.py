"""The rules. Each declares the typed errors it may claim (``error_types``); where several rules may
claim one error type, PRECEDENCE says which is asked first, and the first whose ``match`` returns a
draft reports the error. RULES' order is only the order of the documentation."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from . import (
    tsl001_dense_input_mismatch,
    tsl002_reshape_size_mismatch,
    tsl003_conv_channel_mismatch,
    tsl004_matmul_shape_mismatch,
    tsl005_non_positive_output,
    tsl006_broadcast_incompatible,
    tsl007_invalid_op_input,
    tsl008_incompatible_operands,
    tsl009_layer_input_mismatch,
)
from . import tsl010_feed_shape_mismatch, tsl011_loss_label_mismatch, tsl012_silent_broadcast  # noqa: I001
from . import tsl013_argmax_size_one_axis, tsl014_set_shape_incompatible, tsl015_tf0_api_call
from .base import Draft, Rule, SourceText
from .size_origins import origins_note

RULES: list[Rule] = [
    tsl001_dense_input_mismatch.RULE,
    tsl002_reshape_size_mismatch.RULE,
    tsl003_conv_channel_mismatch.RULE,
    tsl004_matmul_shape_mismatch.RULE,
    tsl005_non_positive_output.RULE,
    tsl006_broadcast_incompatible.RULE,
    tsl007_invalid_op_input.RULE,
    tsl008_incompatible_operands.RULE,
    tsl009_layer_input_mismatch.RULE,
    tsl010_feed_shape_mismatch.RULE, tsl011_loss_label_mismatch.RULE, tsl012_silent_broadcast.RULE,
    tsl013_argmax_size_one_axis.RULE, tsl014_set_shape_incompatible.RULE, tsl015_tf0_api_call.RULE,
]

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}

# (first, then) -> why: for an error type both rules may claim, `first` is asked before `then`.
# Every pair of rules sharing an error type has an entry (tests/test_rule_precedence.py checks it).
PRECEDENCE: dict[tuple[str, str], str] = {
    ("TSL001", "TSL002"):
        "BatchChange: a -1 flatten whose row size is read from a weight variable; the fault is the "
        "weight's declared input size, which TSL001 reports and fixes where it is written",
    ("TSL001", "TSL004"):
        "MatmulMismatch: flattened features times a 2-d weight variable is a dense layer; TSL001 "
        "points at the weight's declared size and shows how the features were flattened",
    ("TSL004", "TSL007"):
        "RankMismatch: an operand of rank below 2 given to matmul is a matmul misuse, phrased with "
        "both operands; TSL007 takes the rank errors of every other op",
}


@lru_cache(maxsize=None)
def claimants(error_type: type) -> tuple[Rule, ...]:
    """The rules that may claim an error of ``error_type``, in the order PRECEDENCE gives them."""
    rules = [rule for rule in RULES if issubclass(error_type, rule.error_types)]
    # Every pair of claimants is ordered, without a cycle (tests/test_rule_precedence.py): the more of
    # them a rule precedes, the sooner it is asked.
    precedes = {rule.code: sum((rule.code, other.code) in PRECEDENCE for other in rules) for rule in rules}
    return tuple(sorted(rules, key=lambda rule: -precedes[rule.code]))


def classify(error, source: SourceText) -> Optional[tuple[Rule, Draft]]:
    for rule in claimants(type(error)):
        draft = rule.match(error, source)
        if draft is not None:
            draft.message += origins_note(error, draft)
            return rule, draft
    return None


__all__ = ["RULES", "BY_CODE", "PRECEDENCE", "claimants", "classify", "Draft", "Rule", "SourceText"]
