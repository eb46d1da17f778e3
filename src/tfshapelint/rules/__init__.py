"""The rules, in the order they are asked: the first rule that claims an error reports it."""

from __future__ import annotations

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
from . import tsl013_argmax_size_one_axis, tsl014_set_shape_incompatible
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
    tsl013_argmax_size_one_axis.RULE, tsl014_set_shape_incompatible.RULE,
]

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def classify(error, source: SourceText) -> Optional[tuple[Rule, Draft]]:
    for rule in RULES:
        draft = rule.match(error, source)
        if draft is not None:
            draft.message += origins_note(error, draft)
            return rule, draft
    return None


__all__ = ["RULES", "BY_CODE", "classify", "Draft", "Rule", "SourceText"]
