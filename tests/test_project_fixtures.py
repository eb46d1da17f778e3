"""The project fixtures (fixtures/README.md, "Project fixtures"): each project is linted file by file
with its own modules followed through its imports, and the findings of all its files together must
equal the markers of all its files.

Fast, no TensorFlow: tests/confirm/ runs each project's main.py in TensorFlow.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import project_expected
from tfshapelint.linter import lint_source

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

PROJECTS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
PROJECTS = sorted(path for path in PROJECTS_DIR.iterdir() if path.is_dir())


def source_roots(folder: Path) -> list[Path]:
    """Where the project's imports are found: its folder (main.py's sys.path[0]), then the folders
    its pyproject.toml lists as ``[tool.tfshapelint] src``."""
    roots = [folder]
    pyproject = folder / "pyproject.toml"
    if pyproject.exists():
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("tfshapelint", {})
        roots += [folder / name for name in table.get("src", [])]
    return roots


def where(path: str, folder: Path) -> str:
    """A finding's file relative to the project folder (as it is, when outside the project)."""
    resolved = Path(path).resolve()
    return resolved.relative_to(folder).as_posix() if resolved.is_relative_to(folder) else path


def test_there_are_projects():
    assert PROJECTS, f"no project fixtures under {PROJECTS_DIR}"


@pytest.mark.parametrize("folder", PROJECTS, ids=[folder.name for folder in PROJECTS])
def test_project_layout(folder: Path):
    assert (folder / "main.py").is_file(), f"{folder.name}: the entry point is main.py, at the project's top"
    for root in source_roots(folder):
        assert root.is_dir(), f"{folder.name}: pyproject.toml lists {root.name!r} as src, but it is not a folder"
    if (folder / "src").is_dir():
        assert folder / "src" in source_roots(folder), (
            f"{folder.name}: a src/ layout needs pyproject.toml with [tool.tfshapelint] src = [\"src\"]")
    markers = project_expected(folder)
    if folder.name.endswith("_bad"):
        assert (folder.parent / (folder.name[: -len("_bad")] + "_good")).is_dir(), f"{folder.name} has no clean twin"
        assert markers, f"{folder.name} has no `# expect:` marker in any file"
    else:
        assert folder.name.endswith("_good"), f"{folder.name}: a project is NAME_bad or NAME_good"
        assert (folder.parent / (folder.name[: -len("_good")] + "_bad")).is_dir(), f"{folder.name} has no bad twin"
        assert not markers, f"{folder.name} is a clean twin but has `# expect:` markers: {sorted(markers)}"


@pytest.mark.parametrize("folder", PROJECTS, ids=[folder.name for folder in PROJECTS])
def test_project_findings_match_markers(folder: Path):
    loader = pytest.importorskip("tfshapelint.project.loader")
    resolve = pytest.importorskip("tfshapelint.project.resolve")
    project = loader.ProjectLoader(resolve.Resolver([str(root) for root in source_roots(folder)]))
    findings = []
    for path in sorted(folder.rglob("*.py")):
        findings += lint_source(path.read_text(encoding="utf-8"), str(path), loader=project)
    got = {(where(f.path, folder), f.line, f.code) for f in findings}
    want = project_expected(folder)
    details = "\n".join(f"  {where(f.path, folder)}:{f.line}:{f.column} {f.code} {f.message}" for f in findings)
    assert got == want, (f"missing {sorted(want - got)}, unexpected {sorted(got - want)}\n"
                         f"findings:\n{details or '  (none)'}")
