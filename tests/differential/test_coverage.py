"""Every registered op name has differential coverage.

Each ``test_<family>.py`` of this directory declares ``COVERED = {registered name: family}`` for the
names its tests call through the registry (aliases map to the family of the function they share),
and may declare ``UNCOVERED = {registered name: reason}`` for names of its module it deliberately
leaves out (the reason is the review).
A name registered by any op module must appear in one of them -- except the modules listed in
``PENDING``, as long as they have no differential suite at all. As soon as one name of a module is
covered, its suite exists and every name of the module must be covered: adding a name to conv.py,
math.py, array.py, creation.py, methods.py (or to any module with a suite, or to a new module)
without a differential test fails here.
"""

from __future__ import annotations

import importlib
import pathlib

import pytest

from tfshapelint.ops import registry

pytestmark = pytest.mark.tf

# Op modules without a differential suite yet, and why (an entry stops applying once a suite covers
# any name of the module; remove it then).
PENDING: dict[str, str] = {}


def _tables(attribute: str) -> dict[str, str]:
    """name -> family (or reason) from the ``attribute`` table of every test module here."""
    table: dict[str, str] = {}
    for path in sorted(pathlib.Path(__file__).parent.glob("test_*.py")):
        if path.stem == "test_coverage":
            continue
        module = importlib.import_module(f".{path.stem}", __package__)
        for name, text in getattr(module, attribute, {}).items():
            assert isinstance(text, str) and text, f"{path.name}: {attribute}[{name!r}] is empty"
            table.setdefault(name, f"{path.stem[5:]}: {text}")
    return table


def covered() -> dict[str, str]:
    return _tables("COVERED")


def acknowledged() -> dict[str, str]:
    return _tables("UNCOVERED")


def module_of(name: str) -> str:
    fn = registry.lookup(name) or registry.lookup_property(name)
    return fn.__module__


def test_every_registered_name_has_differential_coverage():
    mapping = covered()
    with_suite = {module_of(name) for name in mapping if name in set(registry.registered_names())}
    exempt = set(PENDING) - with_suite
    left_out = acknowledged()
    missing = sorted(name for name in registry.registered_names()
                     if name not in mapping and name not in left_out and module_of(name) not in exempt)
    assert not missing, (
        "registered names without a differential test (add them to a test_<family>.py COVERED table, "
        f"with a test that calls them through the registry): {missing}")


def test_coverage_tables_name_registered_ops():
    registered = set(registry.registered_names())
    stale = sorted((set(covered()) | set(acknowledged())) - registered)
    assert not stale, f"COVERED/UNCOVERED names that are not registered (renamed or removed?): {stale}"
    both = sorted(set(covered()) & set(acknowledged()))
    assert not both, f"names both COVERED and UNCOVERED: {both}"


def test_pending_modules_exist():
    """A misspelt PENDING entry would exempt nothing and hide nothing: catch it anyway."""
    modules = {module_of(name) for name in registry.registered_names()}
    unknown = sorted(set(PENDING) - modules)
    assert not unknown, f"PENDING names modules that register no op: {unknown}"
