"""The packages point one way: shapes <- domain <- ops <- analysis. A module never imports a layer above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tfshapelint"
# package -> the packages of tfshapelint it may not import
FORBIDDEN = {
    "shapes": {"domain", "ops", "analysis", "rules", "project"},
    "domain": {"ops", "analysis", "rules", "project"},
    "ops": {"analysis", "rules", "project"},
    "analysis": {"rules", "project"},
}


def imported_packages(path: Path, package: str) -> set[str]:
    """The first-level packages of tfshapelint that ``path`` (in ``package``) imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:
                found.add(package)
                continue
            if node.level >= 2:
                head = module.split(".")[0]
                found.update({head} if head else {alias.name for alias in node.names})
            elif module.startswith("tfshapelint."):
                found.add(module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("tfshapelint."))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_no_layer_above_it(package):
    files = sorted((PACKAGE / package).rglob("*.py"))
    assert files
    bad = {path.name: sorted(imported_packages(path, package) & FORBIDDEN[package]) for path in files}
    assert not {name: up for name, up in bad.items() if up}


def test_the_checker_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from ..analysis.interpreter import Interpreter\nimport tfshapelint.ops.registry\n")
    assert imported_packages(module, "domain") == {"analysis", "ops"}


MAX_MODULE_LINES = 1000  # a module past this has more than one job: split it (issue 20)


def test_no_module_is_over_a_thousand_lines():
    sizes = {str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
             for path in sorted(PACKAGE.rglob("*.py"))}
    assert len(sizes) > 100
    assert {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES} == {}
