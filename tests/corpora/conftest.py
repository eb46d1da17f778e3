"""The corpus suite's marker and its timing summary (printed at the end of every run that lints a corpus)."""

from __future__ import annotations

import pytest

REPORTS = pytest.StashKey[list]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "corpus: lints whole real-world code bases downloaded from PyPI (tf-slim, tf-models-official, "
        "keras-hub) and requires no finding; skipped when offline",
    )
    config.stash[REPORTS] = []


@pytest.fixture
def corpus_report(request):
    """Append a line here to have it printed in the terminal summary."""
    return request.config.stash[REPORTS]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(REPORTS, [])
    if lines:
        terminalreporter.section("corpora")
        for line in lines:
            terminalreporter.write_line(line)
