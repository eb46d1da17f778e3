"""Every fixture, run in real TensorFlow: bad ones fail as marked (or show the marked shape),
good twins run clean, and every rule has at least one confirmed bad fixture with a clean twin."""

from __future__ import annotations

import pytest

from confirm_support import all_fixtures, rules_confirmed
from tfshapelint.rules import RULES

FIXTURES = all_fixtures()

pytestmark = pytest.mark.tf


@pytest.mark.parametrize("fixture", FIXTURES, ids=[fixture.id for fixture in FIXTURES])
def test_fixture_confirmed_in_tensorflow(fixture, confirmations):
    confirmed, why = confirmations.judge(fixture)
    assert confirmed, f"{fixture.id}: {why}"


def test_every_rule_has_a_confirmed_pair(confirmations):
    for fixture in FIXTURES:
        confirmations.judge(fixture)
    confirmed = rules_confirmed(FIXTURES, confirmations.verdicts)
    missing = [rule.code for rule in RULES if not confirmed.get(rule.code)]
    assert not missing, f"rules without a bad fixture confirmed in TensorFlow and a clean twin: {missing}"
