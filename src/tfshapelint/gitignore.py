"""``.gitignore`` and ``.ignore`` files, read as git reads them, for walking folders.

Git's rules (gitignore(5)): blank lines and ``#`` comments are skipped; ``!`` re-includes; a
trailing ``/`` matches folders only; a pattern with a ``/`` elsewhere is anchored at its file's
folder, one without matches at any depth; ``*``, ``?`` and ``[...]`` never match ``/``; ``**/``,
``/**/`` and a trailing ``/**`` cross folders; within a file the last matching pattern wins, and
a deeper file wins over the files above it. A path under an ignored folder cannot be re-included
(the walker never enters the folder).

As ruff (and ripgrep) do: ``.gitignore`` files, ``.git/info/exclude`` and the user's global
excludes file (git's ``core.excludesFile``, by default ``~/.config/git/ignore``) count only inside
a git repository, from its root down; ``.ignore`` files count everywhere and win over
``.gitignore`` in the same folder.
"""

from __future__ import annotations

import os
import re
from typing import Optional

IGNORE_FILES = (".gitignore", ".ignore")  # in increasing precedence


def _class(pattern: str, start: int) -> tuple[str, int]:
    """The regex of the bracket expression at ``start``, and where it ends; ("", start) if unclosed."""
    end = start + 1
    if end < len(pattern) and pattern[end] in "!^":
        end += 1
    if end < len(pattern) and pattern[end] == "]":
        end += 1
    while end < len(pattern) and pattern[end] != "]":
        end += 1
    if end >= len(pattern):
        return "", start
    body = pattern[start + 1:end]
    negate = body[:1] in ("!", "^")
    body = body[1:] if negate else body
    body = body.replace("\\", "\\\\").replace("[", "\\[")
    return "(?!/)[" + ("^" if negate else "") + body + "]", end + 1


def translate(pattern: str) -> str:
    """The regex, matched against a slash-separated relative path, of a pattern without its
    leading and trailing slash."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            whole_component = j - i >= 2 and (i == 0 or pattern[i - 1] == "/") and (j == n or pattern[j] == "/")
            if whole_component and j == n:
                out.append(".*")  # `dir/**`: everything inside; `**`: everything
            elif whole_component:
                out.append("(?:.*/)?")  # `**/`: zero or more folders
                j += 1
            else:
                out.append("[^/]*")
            i = j
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "[":
            regex, end = _class(pattern, i)
            if regex:
                out.append(regex)
                i = end
                continue
            out.append(re.escape(char))
        elif char == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


class Pattern:
    """One line of an ignore file."""

    __slots__ = ("negated", "dir_only", "regex")

    def __init__(self, line: str):
        self.negated = line.startswith("!")
        if self.negated:
            line = line[1:]
        self.dir_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = "/" in line
        regex = translate(line.lstrip("/") if anchored else line)
        self.regex = re.compile(regex if anchored else "(?:.*/)?" + regex, re.DOTALL)

    def matches(self, relative: str, is_dir: bool) -> bool:
        return (is_dir or not self.dir_only) and self.regex.fullmatch(relative) is not None


def parse(text: str) -> list[Pattern]:
    patterns = []
    for line in text.splitlines():
        line = _strip_trailing_spaces(line)
        if not line or line.startswith("#"):
            continue
        if line.startswith(("\\#", "\\!")):
            line = line[1:]
            patterns.append(Pattern("\\" + line if line.startswith("!") else line))
            continue
        if line in ("!", "/", "!/"):
            continue
        patterns.append(Pattern(line))
    return patterns


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if len(stripped) < len(line) and stripped.endswith("\\") and not stripped.endswith("\\\\"):
        return stripped + " "  # `foo\ `: the escaped space is kept (translate reads `\ ` as a space)
    return stripped


class IgnoreFolder:
    """The patterns of one folder's ignore files, applying to the paths below it."""

    __slots__ = ("prefix", "patterns")

    def __init__(self, folder: str, patterns: list[Pattern]):
        self.prefix = folder.rstrip("/") + "/"
        self.patterns = patterns

    def decide(self, absolute: str, is_dir: bool) -> Optional[bool]:
        """True: ignored, False: re-included, None: no pattern here says."""
        if not absolute.startswith(self.prefix):
            return None
        relative = absolute[len(self.prefix):]
        for pattern in reversed(self.patterns):
            if pattern.matches(relative, is_dir):
                return not pattern.negated
        return None


def _read(path: str) -> list[Pattern]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return parse(handle.read())
    except OSError:  # absent, or unreadable: as git, nothing is ignored by it
        return []


def _config_home() -> str:
    return os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")


def global_excludes_file() -> str:
    """git's ``core.excludesFile`` from the user's git configuration (the last setting wins, as in
    git), else its default, ``$XDG_CONFIG_HOME/git/ignore``."""
    found = None
    for config in (os.path.join(_config_home(), "git", "config"), os.path.expanduser("~/.gitconfig")):
        section = ""
        try:
            with open(config, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.strip()
            header = re.match(r"\[\s*([A-Za-z0-9.-]+)", line)
            if header:
                section = header.group(1).lower()
                continue
            setting = re.match(r"(?i)excludesfile\s*=\s*(.*?)\s*$", line)
            if section == "core" and setting:
                found = setting.group(1).strip('"')
    return os.path.expanduser(found) if found else os.path.join(_config_home(), "git", "ignore")


def repository_root(folder: str) -> Optional[str]:
    """The nearest folder at or above ``folder`` that holds ``.git`` (a folder, or a worktree's file)."""
    current = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


class IgnoreRules:
    """The ignore files that apply to one folder: its own and those of the folders above it."""

    def __init__(self, folders: tuple, repository: Optional[str]):
        self.folders = folders  # IgnoreFolder, shallowest first
        self.repository = repository

    @classmethod
    def for_walk(cls, root: str) -> "IgnoreRules":
        """The rules for the folder where a walk starts: the ignore files of the folders above it
        (up to the repository's root) and its own."""
        root = os.path.abspath(root)
        repository = repository_root(root)
        rules = cls((), repository)
        if repository is None:
            return rules.enter(root)
        chain, current = [], root
        while True:
            chain.append(current)
            if current == repository:
                break
            current = os.path.dirname(current)
        for folder in reversed(chain):
            rules = rules.enter(folder)
        return rules

    def enter(self, folder: str) -> "IgnoreRules":
        """The rules for ``folder`` (absolute), a subfolder of this one's (a folder that holds
        ``.git`` starts a repository: a project inside the folder walked)."""
        repository = folder if os.path.lexists(os.path.join(folder, ".git")) else self.repository
        in_repository = repository is not None and (
            folder == repository or folder.startswith(repository.rstrip("/") + "/"))
        patterns: list[Pattern] = []
        if in_repository and folder == repository:  # lowest first: the user's, the repository's
            patterns += _read(global_excludes_file())
            patterns += _read(os.path.join(folder, ".git", "info", "exclude"))
        for name in IGNORE_FILES:
            if name == ".gitignore" and not in_repository:
                continue
            patterns += _read(os.path.join(folder, name))
        if not patterns and repository == self.repository:
            return self
        folders = (*self.folders, IgnoreFolder(folder, patterns)) if patterns else self.folders
        return IgnoreRules(folders, repository)

    def ignored(self, absolute: str, is_dir: bool) -> bool:
        for folder in reversed(self.folders):
            decision = folder.decide(absolute, is_dir)
            if decision is not None:
                return decision
        return False
