"""Session plumbing of the confirmation suite: one pool of TensorFlow runs, and the summary line."""

from __future__ import annotations

import time

import pytest

from confirm_support import FIXTURES_DIR, Confirmations, all_fixtures, summary

CONFIRMATIONS = pytest.StashKey[Confirmations]()
STARTED = pytest.StashKey[float]()


@pytest.fixture(scope="session")
def confirmations(request):
    """The session's runs; every selected fixture is submitted at once so the pool stays busy."""
    config = request.config
    if CONFIRMATIONS not in config.stash:
        runs = Confirmations()
        config.stash[CONFIRMATIONS] = runs
        config.stash[STARTED] = time.monotonic()
        wanted = set()
        for item in request.session.items:
            callspec = getattr(item, "callspec", None)
            fixture = callspec.params.get("fixture") if callspec is not None else None
            if hasattr(fixture, "path"):  # a confirmation's fixture (other suites name a parameter so too)
                wanted.add(fixture.path)
            elif item.name == "test_every_rule_has_a_confirmed_pair":
                wanted |= {fixture.path for fixture in all_fixtures()}
        runs.submit(sorted(wanted))
    yield config.stash[CONFIRMATIONS]


def pytest_sessionfinish(session):
    runs = session.config.stash.get(CONFIRMATIONS, None)
    if runs is not None:
        runs.shutdown()


def pytest_terminal_summary(terminalreporter, config):
    runs = config.stash.get(CONFIRMATIONS, None)
    if runs is None or not runs.verdicts:
        return
    elapsed = time.monotonic() - config.stash[STARTED]
    terminalreporter.write_sep("-", "TensorFlow confirmation")
    terminalreporter.write_line(summary(all_fixtures(), runs.verdicts))
    terminalreporter.write_line(f"({len(runs.verdicts)} fixtures run in {elapsed:.1f} s)")
    if config.option.verbose > 0:
        for path, (confirmed, why) in sorted(runs.verdicts.items()):
            status = "ok  " if confirmed else "FAIL"
            terminalreporter.write_line(f"  {status} {path.relative_to(FIXTURES_DIR)}: {why.splitlines()[0]}")
