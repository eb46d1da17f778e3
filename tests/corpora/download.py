"""Fetch the real-world corpora the linter must stay silent on (none of their code is committed).

Each corpus is one PyPI distribution at a pinned version, downloaded with ``pip download --no-deps``
(a wheel or an sdist, both are plain archives), unpacked once into a cache folder and reused after:

    ~/.cache/tfshapelint/corpora/<name>-<version>/        (override the root with TFSHAPELINT_CORPORA_DIR)

Run as a script to fetch them all and print their sizes::

    python tests/corpora/download.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

# name -> pinned version (the newest on PyPI when the corpus suite was written).
CORPORA: dict[str, str] = {
    "tf-slim": "1.1.0",
    "tf-models-official": "2.20.0",
    "keras-hub": "0.32.0",
}

ENV_DIR = "TFSHAPELINT_CORPORA_DIR"
_DONE = ".unpacked"  # written last: a folder without it is an interrupted unpack
_PIP_TIMEOUT = 600


class DownloadError(RuntimeError):
    """The corpus could not be fetched (offline, PyPI error, bad archive)."""


def cache_dir() -> Path:
    configured = os.environ.get(ENV_DIR)
    root = Path(configured).expanduser() if configured else Path.home() / ".cache" / "tfshapelint" / "corpora"
    return root


def fetch(name: str, version: str | None = None, root: Path | None = None) -> Path:
    """The folder holding the unpacked distribution ``name==version``; downloads it if not cached."""
    version = version or CORPORA[name]
    root = root or cache_dir()
    target = root / f"{name}-{version}"
    if (target / _DONE).is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{name}-", dir=root) as scratch:
        archive = _download(name, version, Path(scratch) / "download")
        unpacked = Path(scratch) / "unpacked"
        _unpack(archive, unpacked)
        (unpacked / _DONE).write_text(f"{name}=={version}\n{archive.name}\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)
    return target


def python_files(folder: Path) -> list[Path]:
    """Every ``.py`` file under ``folder``, in a stable order."""
    return sorted(path for path in folder.rglob("*.py") if path.is_file())


def corpus_files(name: str, version: str | None = None, root: Path | None = None) -> list[Path]:
    """Fetch (if needed) the corpus ``name`` and return its ``.py`` files."""
    return python_files(fetch(name, version, root))


def all_corpora(root: Path | None = None) -> dict[str, list[Path]]:
    """``{name: [.py files]}`` for every pinned corpus; raises DownloadError on the first failure."""
    return {name: corpus_files(name, version, root) for name, version in CORPORA.items()}


def _download(name: str, version: str, into: Path) -> Path:
    into.mkdir(parents=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--quiet", "-d", str(into), f"{name}=={version}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=_PIP_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DownloadError(f"pip download {name}=={version} failed: {error}") from error
    archives = sorted(into.iterdir())
    if result.returncode != 0 or len(archives) != 1:
        output = (result.stderr or result.stdout).strip().splitlines()
        errors = [line for line in output if not line.startswith("WARNING")] or output
        tail = " / ".join(errors[-3:])
        raise DownloadError(f"pip download {name}=={version} failed (exit {result.returncode}): {tail}")
    return archives[0]


def _unpack(archive: Path, into: Path) -> None:
    into.mkdir(parents=True)
    base = into.resolve()
    try:
        if archive.name.endswith((".whl", ".zip")):
            with zipfile.ZipFile(archive) as bundle:
                for member in bundle.namelist():
                    _check_inside(base, member)
                bundle.extractall(into)
        elif archive.name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar")):
            with tarfile.open(archive) as bundle:
                members = [m for m in bundle.getmembers() if m.isfile() or m.isdir()]
                for member in members:
                    _check_inside(base, member.name)
                bundle.extractall(into, members=members)
        else:
            raise DownloadError(f"unknown archive format: {archive.name}")
    except (zipfile.BadZipFile, tarfile.TarError, OSError) as error:
        raise DownloadError(f"cannot unpack {archive.name}: {error}") from error


def _check_inside(base: Path, member: str) -> None:
    if not (base / member).resolve().is_relative_to(base):
        raise DownloadError(f"archive member escapes the target folder: {member}")


def main() -> int:
    root = cache_dir()
    for name, version in CORPORA.items():
        try:
            files = corpus_files(name, version, root)
        except DownloadError as error:
            print(f"{name}=={version}: {error}", file=sys.stderr)
            return 1
        lines = sum(len(path.read_bytes().splitlines()) for path in files)
        print(f"{name}=={version}: {len(files)} .py files, {lines} lines in {root / f'{name}-{version}'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
