"""Which rule reports a typed shape error is declared, not left to the order of RULES: every error type
is claimed, and the rules that may claim the same type are ordered by PRECEDENCE, without a cycle."""

from __future__ import annotations

from itertools import combinations

from tfshapelint.ops import errors
from tfshapelint.rules import PRECEDENCE, RULES, claimants

ERROR_TYPES = [cls for cls in vars(errors).values()
               if isinstance(cls, type) and issubclass(cls, errors.ShapeError) and cls is not errors.ShapeError]


def test_every_error_type_is_claimed():
    assert len(ERROR_TYPES) >= 15
    unclaimed = [cls.__name__ for cls in ERROR_TYPES if not claimants(cls)]
    assert not unclaimed


def test_rules_sharing_an_error_type_are_ordered_by_the_declaration():
    for cls in ERROR_TYPES:
        ordered = [rule.code for rule in claimants(cls)]
        for first, then in combinations(ordered, 2):
            assert (first, then) in PRECEDENCE, f"{cls.__name__}: no declared precedence {first} > {then}"
            assert (then, first) not in PRECEDENCE, f"{cls.__name__}: {first} and {then} precede each other"


def test_the_precedence_has_no_cycle_and_no_stale_entry():
    shared = {(a.code, b.code) for cls in ERROR_TYPES
              for a in claimants(cls) for b in claimants(cls) if a is not b}
    assert set(PRECEDENCE) <= shared, "a PRECEDENCE entry for two rules that share no error type"
    # Remove rules that nothing precedes, one at a time: a cycle is what is left.
    left, edges = {rule.code for rule in RULES}, set(PRECEDENCE)
    while sources := {code for code in left if not any(then == code for _, then in edges)}:
        left -= sources
        edges = {(first, then) for first, then in edges if first in left}
    assert not left, f"a cycle in PRECEDENCE among {sorted(left)}"


def test_the_shared_error_types_are_known():
    shared = {cls.__name__: [rule.code for rule in claimants(cls)]
              for cls in ERROR_TYPES if len(claimants(cls)) > 1}
    assert shared == {"BatchChange": ["TSL001", "TSL002"], "MatmulMismatch": ["TSL001", "TSL004"],
                      "RankMismatch": ["TSL004", "TSL007"]}
