"""Which file of the project an import names.

``import config``, ``from model import build_model``, ``from .layers import conv_block``,
``from utils.data import Dataset``: searched, in order, in the importing file's folder (a script run
as ``python train.py``), the folder above its outermost package, the project root (the folder of the
nearest ``pyproject.toml``/``setup.py``/``setup.cfg``/``.git``) and its ``src/``, and the configured
``src`` folders. A module is ``name.py`` (or a ``name.pyi`` stub when there is no source: a
compiled module), a package ``name/__init__.py``, or a namespace package (a folder without
``__init__.py`` that holds the next part). Libraries the op registry knows (TensorFlow, Keras,
NumPy...) and the standard library are never looked for in the project.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, Optional

_ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

# Top-level modules the op registry models (or that are never a project's own): not followed.
LIBRARIES = frozenset({
    "tensorflow", "tf_keras", "keras", "tf_slim", "numpy", "pandas", "sklearn", "scipy", "absl", "argparse",
    "tensorflow_datasets", "tensorflow_hub", "tensorflow_addons", "torch", "jax", "matplotlib", "PIL", "cv2",
})


def is_library(module: str) -> bool:
    top = module.split(".")[0]
    return top in LIBRARIES or top in sys.stdlib_module_names


def project_root(folder: str) -> Optional[str]:
    """The nearest enclosing folder with a project marker, or None."""
    current = Path(folder)
    for candidate in (current, *current.parents):
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            return str(candidate)
    return None


def package_base(folder: str) -> str:
    """The folder above the outermost package that holds ``folder`` (``folder`` itself if it is no package)."""
    current = folder
    while os.path.isfile(os.path.join(current, "__init__.py")) and os.path.dirname(current) != current:
        current = os.path.dirname(current)
    return current


class Resolver:
    """Maps an import, seen in one file, to a file of the project (or None: not the project's)."""

    def __init__(self, src: Iterable[str] = ()):
        self.src = tuple(src)  # configured source folders, absolute
        # Answers kept for the resolver's life (one run, or one analysis in the language server):
        self._roots: dict = {}  # importing folder -> search path
        self._found: dict = {}  # (module, importing folder) -> file or None

    def search_path(self, importer: str) -> list[str]:
        return self._search_path(os.path.dirname(os.path.abspath(importer)))

    def _search_path(self, folder: str) -> list[str]:
        known = self._roots.get(folder)
        if known is not None:
            return known
        roots = [folder, package_base(folder)]
        root = project_root(folder)
        if root is not None:
            roots += [root, os.path.join(root, "src")]
        roots += list(self.src)
        unique: list[str] = []
        for path in roots:
            if path not in unique and os.path.isdir(path):
                unique.append(path)
        self._roots[folder] = unique
        return unique

    def resolve(self, module: Optional[str], level: int, importer: str) -> Optional[str]:
        """The file ``import module`` (``level`` dots before it) means in ``importer``, or None."""
        if level:
            base = Path(os.path.abspath(importer)).parent
            for _ in range(level - 1):
                base = base.parent
            return find_module(str(base), module.split(".") if module else [])
        if not module or is_library(module):
            return None
        return self._absolute(module, os.path.dirname(os.path.abspath(importer)))

    def _absolute(self, module: str, folder: str) -> Optional[str]:
        key = (module, folder)
        if key not in self._found:
            parts = module.split(".")
            found = None
            for root in self._search_path(folder):
                found = find_module(root, parts)
                if found is not None:
                    break
            self._found[key] = found
        return self._found[key]


def find_module(folder: str, parts: list) -> Optional[str]:
    """``folder/a/b.py`` (or its ``.pyi`` stub, or ``folder/a/b/__init__.py``) for parts ``[a, b]``;
    for no parts, the package ``folder`` itself."""
    if not parts:
        init = os.path.join(folder, "__init__.py")
        return init if os.path.isfile(init) else None
    *packages, last = parts
    base = os.path.join(folder, *packages)
    if packages and not os.path.isdir(base):
        return None
    for candidate in (os.path.join(base, last + ".py"), os.path.join(base, last + ".pyi"),
                      os.path.join(base, last, "__init__.py"), os.path.join(base, last, "__init__.pyi")):
        if os.path.isfile(candidate):
            return candidate
    namespace = os.path.join(base, last)
    return namespace if os.path.isdir(namespace) else None
