"""Finding the files to lint and reading them as text.

Folders are walked for ``*.py``, ``*.pyi`` and ``*.ipynb``, skipping what the settings exclude
(by default ``.git``, ``.venv``, ``build``...: ``config.DEFAULT_EXCLUDES``) and, with
``respect-gitignore`` (the default), what ``.gitignore`` and ``.ignore`` files ignore
(``gitignore.py``). Paths named on the
command line are always linted, unless ``--force-exclude`` (as pre-commit hooks use, since
pre-commit names every file) applies the excludes to them and to their parent folders too.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path
from typing import BinaryIO, Iterator, Optional, Union

from . import diagnostics
from .config import DEFAULT_EXCLUDES, Options, Settings, resolve
from .findings import Finding

EXTENSIONS = (".py", ".pyi", ".ipynb")

__all__ = ["DEFAULT_EXCLUDES", "EXTENSIONS", "Source", "collect", "decode_source", "discover",
           "discover_with_stats", "is_excluded", "read_file", "read_source"]


def discover(paths: list[str], settings: Optional[Settings] = None,
             force_exclude: Optional[bool] = None) -> Iterator[str]:
    """Files to lint under ``paths``, each once, in a stable order; missing paths raise FileNotFoundError."""
    for path, _ in discover_with_stats(paths, settings, force_exclude):
        yield path


def discover_with_stats(paths: list[str], settings: Optional[Settings] = None,
                        force_exclude: Optional[bool] = None,
                        missing: Optional[list] = None) -> Iterator[tuple[str, Optional[os.stat_result]]]:
    """``discover``, with each file's ``stat`` (None when it cannot be taken): one system call per
    file, which the cache reuses (a run served from the cache is mostly these calls). A path that
    does not exist is appended to ``missing`` when it is given (the others are still walked),
    else raises FileNotFoundError."""
    settings = settings or resolve(Options(), isolated=True)
    force = settings.force_exclude if force_exclude is None else force_exclude
    seen: set = set()
    for raw in paths:
        try:
            info: Optional[os.stat_result] = os.stat(raw)
        except (FileNotFoundError, NotADirectoryError):
            if not os.path.islink(raw):  # a broken symlink is linted, to say so
                if missing is None:
                    raise FileNotFoundError(raw) from None
                missing.append(raw)
                continue
            info = None
        except (OSError, ValueError):
            info = None  # there, but not to be followed (permissions, a symlink loop): reading says why
        if force and is_excluded(raw, settings):
            continue
        if info is not None and stat.S_ISDIR(info.st_mode):
            candidates = ((file, _stat(file)) for file in _walk(Path(raw), settings))
        else:
            candidates = iter([(raw, info)])
        for file, file_info in candidates:
            key = _identity(file, file_info)
            if key not in seen:
                seen.add(key)
                yield file, file_info


def _stat(path: str) -> Optional[os.stat_result]:
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def _identity(file: str, info: Optional[os.stat_result]):
    """What makes two paths the same file: its device and inode (``realpath`` costs a system call
    per path component, a third of a run served from the cache), or, for a path that cannot be
    followed (a broken symlink), the path itself, resolved."""
    if info is None:
        return os.path.realpath(file)
    return info.st_dev, info.st_ino


def is_excluded(path: str, settings: Settings) -> bool:
    """Is ``path`` (a file named on the command line, or --stdin-filename) excluded, it or a parent
    folder of it inside the project (the configuration file's folder)?"""
    absolute = Path(os.path.abspath(path))
    if settings.is_excluded(str(absolute)):
        return True
    root = Path(os.path.abspath(settings.root))
    for parent in absolute.parents:
        if parent == root or root not in parent.parents:
            break
        if settings.is_excluded(str(parent)):
            return True
    return False


def _walk(root: Path, settings: Settings) -> Iterator[str]:
    visited: set[str] = set()
    unlistable: list[str] = []  # folders os.walk could not list: yielded, so that reading them says why
    ignore_rules: dict = {}  # folder (absolute) -> its IgnoreRules, with respect-gitignore
    for folder, subfolders, files in os.walk(root, followlinks=True, onerror=lambda e: unlistable.append(e.filename or str(root))):
        while unlistable:
            yield os.path.normpath(unlistable.pop(0))
        real = os.path.realpath(folder)
        if real in visited:  # a symlink cycle
            subfolders[:] = []
            continue
        visited.add(real)
        absolute = os.path.abspath(folder)

        def skipped(name: str, is_dir: bool) -> bool:
            path = os.path.join(absolute, name)
            return settings.is_excluded(path) or (rules is not None and rules.ignored(path, is_dir))

        rules = _ignore_rules(absolute, ignore_rules) if settings.respect_gitignore else None
        subfolders[:] = sorted(d for d in subfolders if not skipped(d, True))
        for name in sorted(files):
            if name.endswith(EXTENSIONS) and not skipped(name, False):
                yield os.path.normpath(os.path.join(folder, name))  # `./a.py` -> `a.py`
    yield from (os.path.normpath(folder) for folder in unlistable)


def _ignore_rules(folder: str, known: dict):
    """The .gitignore/.ignore rules of ``folder``: its parent's (walked before it) and its own."""
    from .gitignore import IgnoreRules  # here: only walking a folder reads ignore files

    parent = known.get(os.path.dirname(folder))
    rules = parent.enter(folder) if parent is not None else IgnoreRules.for_walk(folder)
    known[folder] = rules
    return rules


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def read_file(path: str) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat, or OSError with a message for the user: a FIFO,
    socket or device is refused without reading it (a FIFO would block for ever), a broken symlink,
    a folder (that could not be listed) are said so."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise OSError(errno.ENOENT, f"broken symbolic link (to {os.readlink(path)})") from None
        raise
    _check_regular(path, info)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        _check_regular(path, info)  # replaced by something else since the stat
        return handle.read(), info


def _check_regular(path: str, info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path):  # as os.walk lists it
                pass
        except OSError as error:
            raise OSError(error.errno, f"cannot list folder: {error.strerror or error}") from None
        raise IsADirectoryError(errno.EISDIR, "is a folder")
    kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
    raise OSError(errno.EINVAL, f"not a regular file: {kind}")


def read_source(path: str) -> Union[str, Finding]:
    """The file's text, decoded as Python does (PEP 263 cookie, BOM), or a TSL904 diagnostic."""
    try:
        data, _ = read_file(path)
    except OSError as error:
        return diagnostics.diagnostic(diagnostics.UNREADABLE, path, f"cannot read file: {error.strerror or error}")
    return decode_source(data, path)


def decode_source(data: bytes, path: str) -> Union[str, Finding]:
    import tokenize  # here: a run served from the cache reads no file

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        return diagnostics.diagnostic(diagnostics.UNREADABLE, path, f"cannot decode file: {error}")
    return text[1:] if text.startswith("\ufeff") else text


class Source:
    """One file to lint: its path as reported, and its text (read when asked)."""

    def __init__(self, path: str, data: Optional[bytes] = None, stat: Optional[os.stat_result] = None):
        self.path = path
        self._data = data  # source read from stdin
        self.stat = stat  # taken when the file was found, for the cache

    def read(self) -> Union[str, Finding]:
        return read_source(self.path) if self._data is None else decode_source(self._data, self.path)

    @property
    def is_stdin(self) -> bool:
        return self._data is not None

    def read_with_bytes(self) -> tuple[Optional[bytes], Union[str, Finding]]:
        """The raw bytes and the text decoded from them (``--fix`` writes only if the file still
        holds these bytes); no bytes when the file cannot be read."""
        if self._data is not None:
            return self._data, decode_source(self._data, self.path)
        try:
            data, _ = read_file(self.path)
        except OSError:
            return None, read_source(self.path)
        return data, decode_source(data, self.path)

    @property
    def is_notebook(self) -> bool:
        return self.path.endswith(".ipynb")


def collect(paths: list[str], settings: Settings, stdin_filename: Optional[str] = None,
            stdin: Optional[BinaryIO] = None, missing: Optional[list] = None) -> list[Source]:
    """The files to lint, in order; ``-`` is the source on ``stdin``, reported as ``stdin_filename``
    (and excluded, like a named file, only with --force-exclude). Paths that do not exist go to
    ``missing`` when it is given, else raise FileNotFoundError."""
    result: list[Source] = []
    files = [raw for raw in paths if raw != "-"]
    for raw in paths:
        if raw != "-":
            continue
        data = stdin.read() if stdin is not None else b""
        name = stdin_filename or "-"
        if not (stdin_filename and settings.force_exclude and is_excluded(stdin_filename, settings)):
            result.append(Source(name, data))
    result.extend(Source(path, stat=info) for path, info in discover_with_stats(files, settings, missing=missing))
    return result
