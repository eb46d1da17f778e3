"""The rules' codes, known without importing the rules.

The configuration validates ``select``/``ignore`` with them, and a run served entirely from the
cache needs nothing more: importing the rules (and through them the analysis' values) cost about
a tenth of such a run. ``tests/test_config.py`` checks that this list is the rules' own.
"""

RULE_CODES = (
    "TSL001", "TSL002", "TSL003", "TSL004", "TSL005", "TSL006", "TSL007",
    "TSL008", "TSL009", "TSL010", "TSL011", "TSL012", "TSL013", "TSL014", "TSL015",
)
