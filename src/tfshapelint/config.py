"""Settings: the nearest configuration file, overridden by the command line.

As with ruff: keys are kebab-case; the configuration file is the nearest ``.tfshapelint.toml``,
``tfshapelint.toml`` (keys at the top level) or ``pyproject.toml`` that has a ``[tool.tfshapelint]``
table, in that order in each folder, searched upward from the linted paths' common parent and
then from the current directory; ``--config PATH`` names it, ``--isolated`` ignores every file.
Relative paths and globs of a configuration file are relative to its folder; those given on
the command line to the current directory.

Rule selection is layered (the file, then the command line). In each layer, ``select``
replaces the rules enabled so far, ``extend-select`` adds and ``ignore`` removes; selectors
are code prefixes (``TSL0``, ``TSL004``) or ``ALL``, applied from the least to the most
specific, ``ignore`` winning over a selector as specific. The tool's own diagnostics (TSL9xx)
are always on unless a selector that starts with ``TSL9`` ignores them.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .target_version import DEFAULT_SEMANTICS, Target, is_valid_setting, resolve_target

SECTION = "tfshapelint"
# In each folder, the files that may hold the configuration, first found first: the dedicated
# files hold the keys at their top level (and count even when empty), pyproject.toml in [tool.tfshapelint].
CONFIG_FILES = (".tfshapelint.toml", "tfshapelint.toml", "pyproject.toml")
DEFAULT_TARGET_VERSION = DEFAULT_SEMANTICS
DEFAULT_OUTPUT_FORMAT = "concise"
DEFAULT_CACHE_DIR = ".tfshapelint_cache"

# Folders and files never linted unless `exclude` replaces this list (`extend-exclude` adds to it).
DEFAULT_EXCLUDES = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox", ".pants.d",
    ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tfshapelint_cache", ".tox", ".venv", "__pycache__",
    "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
)


class ConfigError(Exception):
    """A bad configuration file or option: reported as ``tfshapelint: error: ...``, exit code 2."""


# --- globs ---------------------------------------------------------------------------------------

def glob_regex(pattern: str) -> str:
    """A regular expression for a glob: ``*`` and ``**`` (any characters), ``?``, ``[...]``, ``\\x``."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            if pattern.startswith("**/", i):
                out.append("(?:.*/)?")
                i += 3
                continue
            while i < n and pattern[i] == "*":
                i += 1
            out.append(".*")
            continue
        if char == "?":
            out.append(".")
        elif char == "[":
            end = i + 1
            if end < n and pattern[end] in "!^":
                end += 1
            if end < n and pattern[end] == "]":
                end += 1
            while end < n and pattern[end] != "]":
                end += 1
            if end >= n:
                raise ValueError(f"unclosed character class '[' at position {i}")
            body = pattern[i + 1:end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        elif char == "\\":
            if i + 1 >= n:
                raise ValueError("dangling '\\' at the end")
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


class Glob:
    """A path pattern, matched as ruff does: against a file's name, or against its absolute path
    (a relative pattern being anchored at ``root``)."""

    def __init__(self, pattern: str, root: Path):
        if not pattern or "\0" in pattern:
            raise ValueError("empty pattern")
        self.pattern = pattern
        body = os.path.expanduser(pattern[2:] if pattern.startswith("./") else pattern)
        self._name = re.compile(glob_regex(body), re.DOTALL)
        if os.path.isabs(body):
            self._absolute = re.compile(glob_regex(body.rstrip("/") or "/"), re.DOTALL)
        else:
            anchor = os.path.abspath(root).rstrip("/") + "/"
            self._absolute = re.compile(re.escape(anchor) + glob_regex(body.rstrip("/")), re.DOTALL)

    def matches(self, absolute_path: str) -> bool:
        return bool(self._name.fullmatch(os.path.basename(absolute_path))
                    or self._absolute.fullmatch(absolute_path))

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"


# --- rule selection ------------------------------------------------------------------------------

def known_codes() -> list[str]:
    from . import diagnostics
    from .codes import RULE_CODES

    return sorted(set(RULE_CODES) | {code for code, _ in diagnostics.ALL})


def is_diagnostic_code(code: str) -> bool:
    return code.startswith("TSL9")


def normalize_selector(selector: str, where: str) -> str:
    """``ALL`` or a prefix of at least one code (case-insensitive); else a ConfigError."""
    if not isinstance(selector, str):
        raise ConfigError(f"{where}: expected a rule code or prefix, got {selector!r}")
    value = selector.strip().upper()
    if value == "ALL" or (value and any(code.startswith(value) for code in known_codes())):
        return value
    raise ConfigError(f"{where}: unknown rule selector {selector!r} "
                      f"(use a code such as TSL001, a prefix such as TSL0, or ALL; `tfshapelint rule` lists them)")


def selector_matches(selector: str, code: str, disabling: bool = False) -> bool:
    """Does ``selector`` pick ``code``? Disabling a TSL9xx diagnostic takes a selector naming ``TSL9``."""
    if disabling and is_diagnostic_code(code) and not selector.startswith("TSL9"):
        return False
    return selector == "ALL" or code.startswith(selector)


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


@dataclass
class Selection:
    """One layer of rule selection (a configuration file, or the command line)."""

    select: Optional[list] = None
    extend_select: list = field(default_factory=list)
    ignore: list = field(default_factory=list)

    def apply(self, enabled: set, codes: Iterable[str]) -> set:
        codes = list(codes)
        if self.select is not None:
            # `select` starts over for the lint rules; the diagnostics keep their state.
            enabled = {code for code in enabled if is_diagnostic_code(code)}
            steps = [(selector, True) for selector in self.select]
        else:
            enabled = set(enabled)
            steps = []
        steps += [(selector, True) for selector in self.extend_select]
        steps += [(selector, False) for selector in self.ignore]
        for selector, on in sorted(steps, key=lambda step: (_specificity(step[0]), not step[1])):
            for code in codes:
                if selector_matches(selector, code, disabling=not on):
                    if on:
                        enabled.add(code)
                    else:
                        enabled.discard(code)
        return enabled


def enabled_codes(layers: list[Selection]) -> frozenset:
    codes = known_codes()
    enabled = set(codes)  # every rule, and every diagnostic, by default
    for layer in layers:
        enabled = layer.apply(enabled, codes)
    return frozenset(enabled)


# --- options of one layer ------------------------------------------------------------------------

@dataclass
class Options:
    """The options of one layer, as read (from a file or the command line), not yet resolved."""

    selection: Selection = field(default_factory=Selection)
    exclude: Optional[list] = None
    extend_exclude: list = field(default_factory=list)
    per_file_ignores: Optional[list] = None  # [(pattern, [selectors])]
    extend_per_file_ignores: list = field(default_factory=list)
    target_version: Optional[str] = None
    output_format: Optional[str] = None
    cache_dir: Optional[str] = None
    force_exclude: Optional[bool] = None
    respect_gitignore: Optional[bool] = None
    src: Optional[list] = None  # folders where the project's modules are looked for, besides the defaults


def _string_list(value: Any, where: str) -> list:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings, got {_type_name(value)}")
    return value


def _selectors(value: Any, where: str) -> list:
    return [normalize_selector(item, where) for item in _string_list(value, where)]


def _per_file_table(value: Any, where: str) -> list:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of glob = [codes], got {_type_name(value)}")
    return [(pattern, _selectors(codes, f"{where}.{_quote_key(pattern)}")) for pattern, codes in value.items()]


def _choice(value: Any, choices: Iterable[str], where: str) -> str:
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(f"{where}: expected one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def target_version_setting(value: Any, where: str) -> str:
    """``tf1``, ``tf2`` or a TensorFlow version (``1.8``, ``2.15``); else a ConfigError."""
    if not is_valid_setting(value):
        raise ConfigError(f"{where}: expected 'tf1', 'tf2' or a TensorFlow version such as '1.8' or '2.15', "
                          f"got {value!r}")
    return value


def _type_name(value: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a number", list: "an array",
            dict: "a table"}.get(type(value), type(value).__name__)


def _quote_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


def _output_formats() -> list[str]:
    from .report import FORMATS

    return sorted(FORMATS)


def options_from_table(table: Any, where: str) -> Options:
    """Validate ``[tool.tfshapelint]``: unknown keys and wrong types are ConfigErrors naming them."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table, got {_type_name(table)}")
    options = Options()
    for key, value in table.items():
        at = f"{where} {_quote_key(key)}"
        if key == "select":
            options.selection.select = _selectors(value, at)
        elif key == "extend-select":
            options.selection.extend_select = _selectors(value, at)
        elif key == "ignore":
            options.selection.ignore = _selectors(value, at)
        elif key == "exclude":
            options.exclude = _string_list(value, at)
        elif key == "extend-exclude":
            options.extend_exclude = _string_list(value, at)
        elif key == "per-file-ignores":
            options.per_file_ignores = _per_file_table(value, at)
        elif key == "extend-per-file-ignores":
            options.extend_per_file_ignores = _per_file_table(value, at)
        elif key == "target-version":
            options.target_version = target_version_setting(value, at)
        elif key == "output-format":
            options.output_format = _choice(value, _output_formats(), at)
        elif key == "cache-dir":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{at}: expected a path (a non-empty string), got {value!r}")
            options.cache_dir = value
        elif key == "src":
            options.src = _string_list(value, at)
        elif key in ("force-exclude", "respect-gitignore"):
            if not isinstance(value, bool):
                raise ConfigError(f"{at}: expected true or false, got {_type_name(value)}")
            setattr(options, key.replace("-", "_"), value)
        else:
            import difflib

            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(KEYS)})"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
    return options


KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude", "per-file-ignores",
        "extend-per-file-ignores", "target-version", "output-format", "cache-dir", "force-exclude",
        "respect-gitignore", "src")


def parse_per_file_ignores(values: Iterable[str], where: str) -> list:
    """``--per-file-ignores 'tests/*:TSL001,TSL002'`` (repeatable): ``[(pattern, [selectors])]``."""
    result: list = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            pattern, colon, code = item.rpartition(":")
            if not colon:
                if not result:
                    raise ConfigError(f"{where}: expected PATTERN:CODE[,CODE...], got {value!r}")
                result[-1][1].append(normalize_selector(item, where))
                continue
            if not pattern:
                raise ConfigError(f"{where}: missing the glob before ':' in {value!r}")
            result.append((pattern, [normalize_selector(code, where)]))
    return result


# --- files ---------------------------------------------------------------------------------------

def is_pyproject(path: Path) -> bool:
    """Does ``path`` keep its settings in ``[tool.tfshapelint]`` (else at its top level, as ruff.toml)?"""
    return path.name == "pyproject.toml"


def file_label(path: Path) -> str:
    """How messages name the settings of a configuration file."""
    return f"{path}: [tool.{SECTION}]" if is_pyproject(path) else str(path)


def load_file(path: Path, *, required: bool = False) -> Optional[Options]:
    """The options of a configuration file: ``[tool.tfshapelint]`` of a pyproject.toml (None when
    it has none and not ``required``), the top level of any other file."""
    if sys.version_info >= (3, 11):  # imported here: ``--isolated`` and folders without a file read none
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration file: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if not is_pyproject(path):
        if isinstance(data.get("tool"), dict):
            raise ConfigError(f"{path}: a [tool] table: in a file not named pyproject.toml, "
                              f"the settings go at the top level (as in ruff.toml)")
        return options_from_table(data, str(path))
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or SECTION not in tool:
        if required:
            raise ConfigError(f"{path}: no [tool.{SECTION}] table")
        return None
    return options_from_table(tool[SECTION], f"{path}: [tool.{SECTION}]")


def find_config(start: Path) -> Optional[Path]:
    """The nearest configuration file at or above ``start``: a ``.tfshapelint.toml`` or
    ``tfshapelint.toml``, or a pyproject.toml that has a ``[tool.tfshapelint]`` table."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            try:
                is_file = candidate.is_file()
            except OSError as error:  # a folder that cannot be searched: which file applies is unknown
                raise ConfigError(f"cannot search {folder} for a configuration file: "
                                  f"{error.strerror or error}") from None
            if not is_file:
                continue
            if not is_pyproject(candidate):
                return candidate
            try:
                mentions = SECTION.encode() in candidate.read_bytes()
            except OSError:
                continue
            if mentions and load_file(candidate) is not None:
                return candidate
    return None


def search_start(paths: Iterable[str], stdin_filename: Optional[str], cwd: Path) -> Path:
    """Where the search for pyproject.toml starts: the common parent of the linted paths."""
    folders = []
    for raw in paths:
        if raw == "-":
            if stdin_filename:
                folders.append(os.path.dirname(os.path.join(cwd, stdin_filename)))
            continue
        absolute = os.path.normpath(os.path.join(cwd, raw))
        folders.append(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    if not folders:
        return cwd
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:
        return cwd


# --- the resolved settings -----------------------------------------------------------------------

@dataclass
class Settings:
    """What the run uses: resolved rule set, excludes and per-file ignores as globs, and the rest."""

    root: Path  # the configuration file's folder, or the current directory
    config_file: Optional[Path] = None
    enabled: frozenset = frozenset()
    exclude: tuple = ()  # Globs
    per_file_ignores: tuple = ()  # (Glob, (selectors...))
    target_version: str = DEFAULT_TARGET_VERSION  # the semantics the analysis applies: "tf1" or "tf2"
    target: Target = Target(DEFAULT_TARGET_VERSION, "the default")  # the same, with the version and why
    output_format: str = DEFAULT_OUTPUT_FORMAT
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)
    force_exclude: bool = False
    respect_gitignore: bool = True  # skip what .gitignore and .ignore files ignore, when walking folders
    src: tuple = ()  # absolute folders where imports of the project's modules are also looked for
    layers: tuple = ()  # (the file's Options, the command line's), as read: where each setting came from

    def is_excluded(self, absolute_path: str) -> bool:
        return any(glob.matches(absolute_path) for glob in self.exclude)

    def reports(self, code: str, path: str) -> bool:
        """Is a finding of ``code`` in ``path`` reported (selected, and not ignored for that file)?"""
        if code not in self.enabled:
            return False
        absolute = os.path.abspath(path)
        for glob, selectors in self.per_file_ignores:
            if glob.matches(absolute) and any(selector_matches(s, code, disabling=True) for s in selectors):
                return False
        return True

    def keep(self, findings: list) -> list:
        return [finding for finding in findings if self.reports(finding.code, finding.path)]


def _globs(patterns: Iterable[str], root: Path, where: str) -> list:
    globs = []
    for pattern in patterns:
        try:
            globs.append(Glob(pattern, root))
        except ValueError as error:
            raise ConfigError(f"{where}: bad glob {pattern!r}: {error}") from None
    return globs


def _pfi_globs(table: list, root: Path, where: str) -> list:
    return [(glob, tuple(selectors))
            for (pattern, selectors) in table
            for glob in _globs([pattern], root, where)]


def _target(cli: Options, file_options: Options, config_file: Optional[Path], search_from: Optional[Path]) -> Target:
    """--target-version, else the file's target-version, else what the project's requirements
    say (its root searched from ``search_from``; None: not inferred)."""
    if cli.target_version is not None:
        return resolve_target(cli.target_version, "--target-version", None)
    return resolve_target(file_options.target_version, str(config_file), search_from)


def resolve(cli: Options, *, config: Optional[str] = None, isolated: bool = False,
            paths: Iterable[str] = (), stdin_filename: Optional[str] = None,
            cwd: Optional[Path] = None) -> Settings:
    """Settings from the configuration file (found, or named by ``config``) and the command line."""
    cwd = Path(cwd or os.getcwd())
    if isolated and config:
        raise ConfigError("--config and --isolated cannot be used together")
    config_file: Optional[Path] = None
    file_options = Options()
    if config:
        config_file = Path(os.path.abspath(os.path.join(cwd, config)))
        if not config_file.is_file():
            raise ConfigError(f"--config: no such file: {config}")
        file_options = load_file(config_file, required=True)
    elif not isolated:
        start = search_start(paths, stdin_filename, cwd)
        config_file = find_config(start) or (find_config(cwd) if start != cwd else None)
        if config_file is not None:
            file_options = load_file(config_file)
    root = config_file.parent if config_file else cwd
    label = file_label(config_file) if config_file else "configuration"

    excludes = _globs(file_options.exclude if file_options.exclude is not None else DEFAULT_EXCLUDES,
                      root, f"{label} exclude")
    if cli.exclude is not None:
        excludes = _globs(cli.exclude, cwd, "--exclude")
    excludes += _globs(file_options.extend_exclude, root, f"{label} extend-exclude")
    excludes += _globs(cli.extend_exclude, cwd, "--extend-exclude")

    per_file = _pfi_globs(file_options.per_file_ignores or [], root, f"{label} per-file-ignores")
    if cli.per_file_ignores is not None:
        per_file = _pfi_globs(cli.per_file_ignores, cwd, "--per-file-ignores")
    per_file += _pfi_globs(file_options.extend_per_file_ignores, root, f"{label} extend-per-file-ignores")
    per_file += _pfi_globs(cli.extend_per_file_ignores, cwd, "--extend-per-file-ignores")

    def pick(name: str, default: Any) -> Any:
        value = getattr(cli, name)
        if value is None:
            value = getattr(file_options, name)
        return default if value is None else value

    cache_dir = cli.cache_dir if cli.cache_dir is not None else file_options.cache_dir
    cache_root = cwd if cli.cache_dir is not None else root
    target = _target(cli, file_options, config_file, None if isolated else (
        root if config_file else search_start(paths, stdin_filename, cwd)))
    return Settings(
        root=root,
        config_file=config_file,
        enabled=enabled_codes([file_options.selection, cli.selection]),
        exclude=tuple(excludes),
        per_file_ignores=tuple(per_file),
        target_version=target.semantics,
        target=target,
        output_format=pick("output_format", DEFAULT_OUTPUT_FORMAT),
        cache_dir=Path(os.path.normpath(os.path.join(cache_root, os.path.expanduser(cache_dir or DEFAULT_CACHE_DIR)))),
        force_exclude=pick("force_exclude", False),
        respect_gitignore=pick("respect_gitignore", True),
        src=tuple(os.path.normpath(os.path.join(root, folder)) for folder in file_options.src or ()),
        layers=(file_options, cli),
    )
