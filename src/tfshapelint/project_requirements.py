"""The TensorFlow requirements a project writes down, read from its dependency files.

Read, never run: ``setup.py`` is parsed (its ``setup(install_requires=..., extras_require=...)``
literals, or module-level lists they name), the others are read as text, TOML or INI. A file
that cannot be read or parsed, or that is too large, is skipped: it is evidence, not configuration.

What comes out is each requirement of a TensorFlow package (``tensorflow``, ``tensorflow-gpu``,
``tensorflow-cpu``, ``tf-nightly``...), with its version constraint as written in the PEP 440
style that target_version.py reads (conda's ``=1.8`` and Poetry's ``^1.15`` included).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

TENSORFLOW_PACKAGES = frozenset({
    "tensorflow", "tensorflow-gpu", "tensorflow-cpu", "tf-nightly", "tf-nightly-gpu", "tf-nightly-cpu",
})
MAX_FILE_BYTES = 1 << 20  # a dependency file larger than this is not one

# A PEP 508 requirement: its name, extras, then the version constraint (a URL requirement has none).
# (Patterns as strings: ``re`` compiles them on first use; most projects have few such files.)
_REQUIREMENT = r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<constraint>[^;@#]*)"
# A conda dependency: ``tensorflow=1.8``, ``conda-forge::tensorflow-gpu==1.8.0=py36_0``, ``tensorflow 1.8.*``.
_CONDA = r"\s*-\s*[\"']?(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<constraint>[^\"'#]*)"


class Requirement(NamedTuple):
    file: str  # where it was found, relative to the project root ("requirements.txt")
    text: str  # as written: "tensorflow==1.8.0"
    constraint: str  # the version constraint: "==1.8.0" ("" for none)

    def describe(self) -> str:
        return f"{self.text} in {self.file}"


def tensorflow_requirements(root: Path) -> list[Requirement]:
    """Every TensorFlow requirement of the project whose root folder is ``root``, file by file in
    a fixed order (pinned environments first, then package metadata)."""
    found: list[Requirement] = []
    for path in _requirement_files(root):
        found += _from_lines(root, path, _requirement_lines(_read(path)))
    found += _from_lines(root, root / "Pipfile", _pipfile_requirements(_read(root / "Pipfile")))
    for name in ("environment.yml", "environment.yaml"):
        found += _from_conda(root, root / name, _read(root / name))
    found += _from_lines(root, root / "pyproject.toml", _pyproject_requirements(_read(root / "pyproject.toml")))
    found += _from_lines(root, root / "setup.cfg", _setup_cfg_requirements(_read(root / "setup.cfg")))
    found += _from_lines(root, root / "setup.py", _setup_py_requirements(_read(root / "setup.py")))
    return found


def _requirement_files(root: Path) -> list[Path]:
    files = sorted(root.glob("requirements*.txt"), key=lambda path: (path.name != "requirements.txt", path.name))
    folder = root / "requirements"
    return files + (sorted(folder.glob("*.txt")) if folder.is_dir() else [])


def _read(path: Path) -> Optional[str]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _from_lines(root: Path, path: Path, lines: Iterable[str]) -> list[Requirement]:
    found = []
    for line in lines:
        match = re.match(_REQUIREMENT, line)
        if match and _normalized(match.group(1)) in TENSORFLOW_PACKAGES:
            found.append(Requirement(_relative(root, path), line.strip(), match.group("constraint").strip()))
    return found


def _from_conda(root: Path, path: Path, text: Optional[str]) -> list[Requirement]:
    found = []
    for line in (text or "").splitlines():
        match = re.match(_CONDA, line)
        if match and _normalized(match.group(1)) in TENSORFLOW_PACKAGES:
            constraint = _conda_constraint(match.group("constraint").strip())
            found.append(Requirement(_relative(root, path), line.strip().lstrip("- "), constraint))
    return found


def _conda_constraint(text: str) -> str:
    """conda's ``=1.8`` (any 1.8.x) and ``1.8.*`` as PEP 440; a build string after a second ``=`` dropped."""
    if text.startswith("=") and not text.startswith("=="):
        version = text[1:].split("=")[0]
        return "==" + version + ("" if version.endswith("*") else ".*")
    if text and text[0].isdigit():
        return "==" + text.split()[0]
    return text.split("=py")[0]


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


# -- the file kinds -------------------------------------------------------------------------------

def _requirement_lines(text: Optional[str]) -> list[str]:
    """requirements.txt: one requirement a line; comments, options (``-r``, ``-e``) and line
    continuations handled."""
    lines = re.sub(r"\\\r?\n", "", text or "").splitlines()
    return [re.split(r"(?:^|\s)#", line)[0] for line in lines if line.strip() and not line.lstrip().startswith("-")]


def _toml(text: Optional[str]) -> dict:
    if text is None:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pyproject_requirements(text: Optional[str]) -> list[str]:
    """``[project] dependencies`` and ``optional-dependencies``; Poetry's ``[tool.poetry.dependencies]``."""
    data = _toml(text)
    project = _table(data.get("project"))
    lines = _strings(project.get("dependencies"))
    for extra in _table(project.get("optional-dependencies")).values():
        lines += _strings(extra)
    poetry = _table(_table(data.get("tool")).get("poetry"))
    return lines + _name_constraint_table(_table(poetry.get("dependencies")))


def _pipfile_requirements(text: Optional[str]) -> list[str]:
    data = _toml(text)
    return [line for section in ("packages", "dev-packages")
            for line in _name_constraint_table(_table(data.get(section)))]


def _name_constraint_table(table: dict) -> list[str]:
    """``tensorflow = "==1.8.0"`` or ``{version = "^1.15"}`` (Pipfile, Poetry) as requirement lines."""
    lines = []
    for name, value in table.items():
        if isinstance(value, dict):
            value = value.get("version")
        if isinstance(name, str) and isinstance(value, str):
            lines.append(name + ("" if value.strip() == "*" else value.strip()))
    return lines


def _setup_cfg_requirements(text: Optional[str]) -> list[str]:
    if text is None:
        return []
    import configparser  # here: most projects have no setup.cfg, and a run served from the cache is short

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    lines = parser.get("options", "install_requires", fallback="").splitlines()
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            lines += value.splitlines()
    return [line for line in lines if line.strip()]


def _setup_py_requirements(text: Optional[str]) -> list[str]:
    """The strings of ``setup(install_requires=..., extras_require=...)``: literals, or module-level
    names bound to literals. The file is parsed, never run (a Python 2 setup.py through its
    translation)."""
    import ast

    tree = _parse_python(text)
    if tree is None:
        return []
    assigned = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    lines: list[str] = []
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _called_name(call.func) == "setup":
            for keyword in call.keywords:
                if keyword.arg in ("install_requires", "extras_require"):
                    lines += _literal_strings(keyword.value, assigned)
    return lines


def _parse_python(text: Optional[str]):
    import ast

    if text is None:
        return None
    try:
        return ast.parse(text)
    except SyntaxError:
        from .python2 import translate

        translation = translate(text)
        if translation is None:
            return None
        try:
            return ast.parse(translation.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    except (ValueError, RecursionError, MemoryError):
        return None


def _called_name(func) -> Optional[str]:
    import ast

    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _literal_strings(node, assigned: dict, depth: int = 0) -> list[str]:
    """The strings in a list, tuple, dict of lists, ``a + b`` of them, or a name bound to one."""
    import ast

    if depth > 8:
        return []
    if isinstance(node, ast.Name) and node.id in assigned:
        return _literal_strings(assigned[node.id], assigned, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.splitlines()
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [line for item in node.elts for line in _literal_strings(item, assigned, depth + 1)]
    if isinstance(node, ast.Dict):
        return [line for value in node.values for line in _literal_strings(value, assigned, depth + 1)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_strings(node.left, assigned, depth + 1) + _literal_strings(node.right, assigned, depth + 1)
    return []


def _table(value) -> dict:
    return value if isinstance(value, dict) else {}


def _strings(value) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
