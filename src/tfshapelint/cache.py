"""The results cache: a file whose content was linted before is not linted again.

What is cached is the raw output of linting one file (``lint_source``, or ``lint_notebook`` for a
notebook): the findings before rule selection and per-file ignores, which are applied after, on
every run. So the key only holds what changes that output:

- the file's content (SHA-256 of its bytes: the truth), with its ``stat`` (mtime, ctime, size,
  inode) as a first-level key that spares reading a file that did not change;
- the tool: its version, a fingerprint of its own source files (so an editable install that
  changes is never served stale results), and the Python version (whose parser reads the code);
- the settings that reach the analysis: ``target-version``.

Layout, in the cache folder (``.tfshapelint_cache`` in the project root by default)::

    CACHEDIR.TAG, .gitignore         mark the folder as a cache (backups skip it, git ignores it)
    v1/<key>-<project>.json          one index per tool/settings key and project root (named by
                                     CRC-32s of both, which the index records whole and is checked
                                     against: a name two keys share is a miss, never a wrong hit):
                                     {"key": [...], "files": {absolute path: entry}, "modules": [module, ...]}

An entry is ``{"s": stat or null, "h": sha256, "f": [finding, ...], "t": day last used}``, and
``"d": [i, ...]`` for a file that imports project modules: each ``modules[i]`` is one module as it
was read, ``[absolute path, stat or null, sha256]``, shared by every file that read it (a module
that a thousand files import is written once, not a thousand times). The
index is read once at the start of a run and written once at the end, atomically (a temporary
file, then ``os.replace``), merged with what another run may have written meanwhile. A missing,
corrupt or foreign index or entry is a miss, never an error; entries unused for ``MAX_AGE_DAYS``
are dropped. A stat is only trusted when the file's mtime is a few seconds old (a file modified
twice within the file system's timestamp granularity keeps its mtime), else the content is
hashed again.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib  # index names and the code fingerprint: CRC-32s (hashlib loads OpenSSL: 3 ms of a warm run)
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterable, Optional

from . import __version__
from .findings import Codemod, Edit, Finding, Fix

FORMAT = 3  # of an index's content (2: project modules in one shared table; 3: the key recorded); part of its key
SUBFOLDER = "v1"  # the folder's layout, unchanged since format 1
MAX_AGE_DAYS = 30
RACY_SECONDS = 2.0  # a stat younger than this is not trusted: the content is hashed again next time
TAG_NAME = "CACHEDIR.TAG"
TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
       "# This file is a cache directory tag created by tfshapelint.\n"
       "# For information about cache directory tags see https://bford.info/cachedir/\n")
GITIGNORE = "# Automatically created by tfshapelint.\n*\n"
_TEMP_PREFIX = ".tmp-"


def digest(data: bytes) -> str:
    import hashlib  # here: loading OpenSSL is 2 ms of start-up, and a run without the cache hashes nothing

    return hashlib.sha256(data).hexdigest()


def stat_key(st: os.stat_result, now: Optional[float] = None) -> Optional[list]:
    """The first-level key of a file, or None when its mtime is too recent to be trusted."""
    age = (time.time() if now is None else now) - st.st_mtime
    if age < RACY_SECONDS:  # also a modification time in the future
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


class Cache:
    """The index of one run: ``lookup`` before linting a file, ``store`` after, ``save`` at the end."""

    def __init__(self, folder: Path, index: Path, key: list):
        self.folder = folder
        self.index = index
        self.key = key  # what the index's name stands for (index_key): an index that records another is foreign
        self._entries: dict = {}
        self._changed: dict = {}  # path -> entry (or None: drop it) to merge on save
        self._dep_state: dict = {}  # project module -> whether it is as recorded (checked once a run)
        self._modules: list = []  # the index's table of project modules, which entries' "d" lists point into
        self._row_state: dict = {}  # row of that table -> whether the module is as recorded
        self._loaded_stamp = None
        self._today = int(time.time() // 86400)
        self.hits = 0
        self.misses = 0
        self.error: Optional[str] = None  # why the index could not be written, if it could not
        self._load()

    @classmethod
    def open(cls, folder: Path, analysis: Any, root: Path) -> "Cache":
        """``analysis``: the settings that change the findings (the target version, the ``src`` folders)."""
        key = index_key(analysis, root)
        return cls(Path(folder), Path(folder) / SUBFOLDER / index_name(key), key)

    # -- reading --------------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            with open(self.index, "rb") as handle:
                self._loaded_stamp = _stamp(os.fstat(handle.fileno()))
                data = json.loads(handle.read())
            files = data["files"] if data.get("format") == FORMAT and data.get("key") == self.key else {}
            modules = data.get("modules", []) if isinstance(files, dict) else []
            self._entries = files if isinstance(files, dict) else {}
            self._modules = modules if isinstance(modules, list) else []
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            self._entries = {}  # missing or corrupt: start empty (and overwrite it on save)

    def lookup(self, path: str, info: Optional[os.stat_result] = None) -> tuple[Optional[list], Optional[str]]:
        """``(findings, None)`` for a file whose stat (``info``, or taken now) is the one recorded;
        else ``(None, sha256)`` of the content linted last time (the caller hashes the content to
        compare), or ``(None, None)`` when nothing is known."""
        key = os.path.abspath(path)
        entry = self._entries.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("h"), str):
            return None, None
        recorded = entry.get("s")
        if recorded is not None:
            try:
                current = stat_key(info if info is not None else os.stat(path))
            except OSError:
                return None, None
            if current is not None and current == recorded:
                if not self._deps_unchanged(entry):
                    return None, None  # a project module it imports changed: lint it again
                findings = self._decode(key, entry, path)
                if findings is not None:
                    return findings, None
        return None, entry["h"]

    def reuse(self, path: str, sha: str, stat: Optional[list]) -> Optional[list]:
        """The recorded findings of a file whose content hashes to ``sha`` (its stat changed, its
        content did not); None if the entry is not usable after all."""
        key = os.path.abspath(path)
        entry = self._entries.get(key)
        if not isinstance(entry, dict) or entry.get("h") != sha or not self._deps_unchanged(entry):
            return None
        findings = self._decode(key, entry, path)
        if findings is not None and entry.get("s") != stat:
            self._put(key, {**entry, "s": stat, "t": self._today})
        return findings

    def _deps_unchanged(self, entry: dict) -> bool:
        """Whether every project module the file imported still has the content it was linted with
        (a stat per module and run; its content is hashed only when its stat changed)."""
        deps = entry.get("d")
        if isinstance(deps, list):  # rows of the index's table: checked once a run each (most files share them)
            return all(self._row_unchanged(index) for index in deps)
        deps = self._deps(entry)
        if deps is None:
            return False
        for dep, recorded in deps.items():
            known = self._dep_state.get(dep)
            if known is None:
                known = self._dep_state[dep] = _dep_state(dep, recorded)
            if not known:
                return False
        return True

    def _row_unchanged(self, index) -> bool:
        known = self._row_state.get(index)
        if known is None:
            module = self._row(index)
            known = self._row_state[index] = module is not None and _dep_state(module[0], module[1:])
        return known

    def _row(self, index) -> Optional[list]:
        """Row ``index`` of the index's table of modules, ``[path, stat, sha256]``; None if there is no such valid row."""
        module = self._modules[index] if isinstance(index, int) and 0 <= index < len(self._modules) else None
        return module if isinstance(module, list) and len(module) == 3 and isinstance(module[0], str) else None

    def _deps(self, entry: dict) -> Optional[dict]:
        """An entry's project modules, ``{path: [stat, sha256]}``: those it recorded this run, or those
        its ``"d"`` points at in the index's table; None when the entry is corrupt."""
        deps = entry.get("d")
        if not deps:
            return {}
        if isinstance(deps, dict):
            return deps
        if not isinstance(deps, list):
            return None
        resolved = {}
        for index in deps:
            module = self._row(index)
            if module is None:
                return None
            resolved[module[0]] = module[1:]
        return resolved

    def _decode(self, key: str, entry: dict, path: str) -> Optional[list]:
        try:
            findings = decode_findings(entry["f"], path)
        except Exception:  # noqa: BLE001 - whatever is in the file, a bad entry is a miss
            self._put(key, None)
            return None
        if entry.get("t") != self._today:
            self._put(key, {**entry, "t": self._today})
        return findings

    # -- writing --------------------------------------------------------------------------------
    def store(self, path: str, sha: str, stat: Optional[list], findings: list, deps: Optional[dict] = None) -> None:
        """Record the raw findings of the content ``sha`` of ``path`` (whose stat was ``stat``), and
        the project modules it imported (``{path: sha256}``) with their stats."""
        encoded = encode_findings(findings)
        if encoded is None:
            return
        entry = {"s": stat, "h": sha, "f": encoded, "t": self._today}
        if deps:
            recorded = {}
            for dep, dep_sha in deps.items():
                try:
                    recorded[dep] = [stat_key(os.stat(dep)), dep_sha]
                except OSError:
                    return  # the module is gone already: nothing to trust
            entry["d"] = recorded
        self._put(os.path.abspath(path), entry)

    def forget(self, path: str) -> None:
        key = os.path.abspath(path)
        if key in self._entries:
            self._put(key, None)

    def _put(self, key: str, entry: Optional[dict]) -> None:
        if entry is None:
            self._entries.pop(key, None)
        else:
            self._entries[key] = entry
        self._changed[key] = entry

    def save(self) -> None:
        """Write the index if anything changed, merged with what another run may have written
        since it was read; never raises (a cache that cannot be written is only slower)."""
        if not self._changed:
            return
        try:
            self.index.parent.mkdir(parents=True, exist_ok=True)
            _mark(self.folder)
            entries = self._entries
            try:
                stamp = _stamp(os.stat(self.index))
            except OSError:
                stamp = None
            if stamp is not None and stamp != self._loaded_stamp:
                entries = self._merged()
            oldest = self._today - MAX_AGE_DAYS
            entries = {key: entry for key, entry in entries.items()
                       if isinstance(entry, dict) and isinstance(entry.get("t"), int) and entry["t"] >= oldest}
            files, modules = self._shared_modules(entries)
            _write_atomic(self.index, json.dumps({"format": FORMAT, "key": self.key, "tool": __version__,
                                                  "files": files, "modules": modules}, separators=(",", ":")).encode())
            self._changed.clear()
            _prune_indexes(self.index.parent, keep=self.index)
        except (OSError, TypeError, ValueError) as error:
            self.error = f"{self.folder}: {getattr(error, 'strerror', None) or error}"

    def _shared_modules(self, entries: dict) -> tuple[dict, list]:
        """The entries to write, each ``"d"`` made a list of indexes into one table of the modules
        (a module read in one version by many files is one row). A corrupt ``"d"`` drops its entry."""
        table: list = []
        rows: dict = {}
        files = {}
        for key, entry in entries.items():
            if "d" in entry:
                deps = self._deps(entry)
                if deps is None:
                    continue
                ids = []
                for dep, recorded in deps.items():
                    row = json.dumps([dep, *recorded])
                    if row not in rows:
                        rows[row] = len(table)
                        table.append([dep, *recorded])
                    ids.append(rows[row])
                entry = {**entry, "d": ids}
            files[key] = entry
        return files, table

    def _merged(self) -> dict:
        other_cache = Cache(self.folder, self.index, self.key)
        other = {}
        for key, entry in other_cache._entries.items():  # its "d" point into its own table: resolved here
            deps = other_cache._deps(entry) if isinstance(entry, dict) else None
            if deps is not None:
                other[key] = {**entry, "d": deps} if deps else entry
        for key, entry in self._changed.items():
            if entry is None:
                other.pop(key, None)
            else:
                other[key] = entry
        return other


def index_key(analysis: Any, root: Path) -> list:
    """What an index holds results for: the tool, the settings that reach the analysis, the Python
    that parses, and the project root, as it reads back from the index that records it (tuples as lists)."""
    return json.loads(json.dumps([FORMAT, __version__, code_fingerprint(), analysis, sys.version_info[:2],
                                  os.path.abspath(root)]))


def index_name(key: list) -> str:
    """The index's file name: CRC-32s of the key without its project (both ways: 64 bits) and of the
    project; the index records the key, so a name two keys share is a miss, never a wrong hit."""
    tool = json.dumps(key[:-1]).encode()
    return f"{zlib.crc32(tool):08x}{zlib.crc32(tool[::-1]):08x}-{zlib.crc32(key[-1].encode()):08x}.json"


_FINGERPRINT: Optional[str] = None


def code_fingerprint() -> str:
    """Names, sizes and mtimes of this package's files: any change to the code that produces
    findings (an upgrade, an edit of an editable install) is a new key."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        package = os.path.dirname(os.path.abspath(__file__))
        parts = []
        for folder, subfolders, files in os.walk(package):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                parts.append(f"{path[len(package) + 1:]}:{st.st_size}:{st.st_mtime_ns}")  # (relpath: 2 ms)
        text = "\n".join(parts).encode()
        _FINGERPRINT = f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}-{len(parts)}"
    return _FINGERPRINT


# -- findings as JSON ---------------------------------------------------------------------------

def _finding_types() -> dict:
    from .notebooks import CellFinding

    return {"Finding": Finding, "CellFinding": CellFinding}


def encode_findings(findings: Iterable[Finding]) -> Optional[list]:
    """Plain JSON data for findings (without their path); None if one cannot be encoded."""
    types = _finding_types()
    out = []
    for finding in findings:
        kind = type(finding).__name__
        if types.get(kind) is not type(finding):
            return None
        item = {"~": kind}
        for field in fields(finding):
            if field.name == "path":
                continue
            value = getattr(finding, field.name)
            if field.name == "fix" and value is not None:
                codemod = value.codemod
                value = {"message": value.message, "applicability": value.applicability,
                         "edits": [[e.line, e.column, e.end_line, e.end_column, e.content] for e in value.edits],
                         "codemod": None if codemod is None else [codemod.kind, codemod.line, codemod.column,
                                                                  codemod.end_line, codemod.end_column, codemod.params]}
            item[field.name] = value
        out.append(item)
    if out:
        try:
            json.dumps(out)
        except (TypeError, ValueError):
            return None
    return out


def decode_findings(items: list, path: str) -> list:
    if not items:
        return []  # most files: nothing to build, and no need for the notebook module
    types = _finding_types()
    findings = []
    for item in items:
        values = dict(item)
        cls = types[values.pop("~")]
        fix = values.get("fix")
        if fix is not None:
            codemod = fix.get("codemod")
            values["fix"] = Fix(message=fix["message"], applicability=fix["applicability"],
                                edits=[Edit(*edit) for edit in fix["edits"]],
                                codemod=None if codemod is None else Codemod(*codemod))
        findings.append(cls(path=path, **values))
    return findings


# -- the folder ---------------------------------------------------------------------------------

def _dep_state(dep: str, recorded) -> bool:
    """Whether the project module ``dep`` is as ``recorded`` (``[stat key, sha256]``)."""
    if not isinstance(recorded, list) or len(recorded) != 2:
        return False
    stat, sha = recorded
    try:
        if stat is not None and stat_key(os.stat(dep)) == stat:
            return True
        with open(dep, "rb") as handle:
            return digest(handle.read()) == sha
    except OSError:
        return False


def _stamp(st: os.stat_result) -> tuple:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _mark(folder: Path) -> None:
    for name, text in ((TAG_NAME, TAG), (".gitignore", GITIGNORE)):
        target = folder / name
        if not target.exists():
            _write_atomic(target, text.encode())


def _write_atomic(target: Path, data: bytes) -> None:
    import tempfile  # here: a run that changes nothing writes nothing

    handle, temporary = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary file (mkstemp makes it 0600)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


_UMASK: Optional[int] = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


def _prune_indexes(folder: Path, keep: Path) -> None:
    """Drop indexes (of older tool versions, other settings) unused for MAX_AGE_DAYS, and
    temporary files that a killed run left."""
    now = time.time()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = folder / name
        if path == keep:
            continue
        try:
            age = now - os.stat(path).st_mtime
            if (name.endswith(".json") and age > MAX_AGE_DAYS * 86400) or (
                    name.startswith(_TEMP_PREFIX) and age > 3600):
                os.unlink(path)
        except OSError:
            continue


def clean(folder: Path) -> list[Path]:
    """Remove the cache in ``folder``: only the files tfshapelint writes there, then the folder
    itself if that left it empty (so a ``cache-dir`` pointing at a folder of yours is safe).
    Returns what was removed."""
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.is_symlink() and child.name.startswith("v") and child.name[1:].isdigit():
            for item in sorted(child.iterdir()):
                if item.is_file() and (item.name.endswith(".json") or item.name.startswith(_TEMP_PREFIX)):
                    _unlink(item, removed)
            _rmdir(child, removed)
        elif child.name == TAG_NAME and _read(child) == TAG:
            _unlink(child, removed)
        elif child.name == ".gitignore" and _read(child) == GITIGNORE:
            _unlink(child, removed)
        elif child.name.startswith(_TEMP_PREFIX) and child.is_file():
            _unlink(child, removed)
    _rmdir(folder, removed)
    return removed


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _unlink(path: Path, removed: list) -> None:
    try:
        path.unlink()
        removed.append(path)
    except OSError:
        pass


def _rmdir(path: Path, removed: list) -> None:
    try:
        path.rmdir()
        removed.append(path)
    except OSError:
        pass
