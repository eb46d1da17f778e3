"""Which TensorFlow the code targets: ``target-version`` when configured, else the project's own
requirements (project_requirements.py), else TF 2.

The analysis receives the releases targeted (``Target.analysed``, domain/tf_versions.py), to which
shape functions key each semantic that changed. The generations "tf1" and "tf2" are named after
the change that matters most:

- ``matmul`` broadcasts batch dimensions since TensorFlow 1.14, whose ``math_ops.matmul`` calls
  ``BatchMatMulV2`` (guarded by ``forward_compatible(2019, 4, 25)``, true in the 1.14.0 release);
  1.13.1's calls ``BatchMatMul``, which needs equal batch dimensions, and ``MatMul`` unless both
  operands have a rank above 2. So "tf1" means TensorFlow before 1.14, "tf2" 1.14 and later.

A version (configured, or the versions a requirement allows) selects "tf1" only when every version
it allows is before 1.14, and "tf2" only when every one is 1.14 or later; ``tensorflow>=1.4``
allows both, so the default stays. Conflicting requirements are no evidence either. A version is
read at the granularity of minor releases (``1.13.1`` is 1.13).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple, Optional

from .domain.tf_versions import GENERATIONS as GENERATION_RANGES
from .domain.tf_versions import Versions, dotted as _dotted

GENERATIONS = ("tf1", "tf2")
DEFAULT_SEMANTICS = "tf2"
MATMUL_BROADCASTS_FROM = (1, 14)
# The other releases shape functions key a change to (the same values as theirs: tests check it), named
# when a project's requirements allow releases on both sides, where the linter keeps today's semantics.
KEYED_RELEASES = {(1, 0): "TensorFlow 1.0's API (TSL015 stays silent)"}
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

# Patterns as strings (compiled by ``re`` on first use, and cached): every run resolves its target,
# most read no version, and a run served from the cache is short.
_CONFIGURED_VERSION = r"(0|1|2)\.\d+(\.\d+)?"
_SPECIFIER = r"(~=|===|==|!=|<=|>=|<|>|\^|~|=)\s*v?(\d+(?:\.\d+)*(?:\.\*)?)"


def semantics_of(versions: Versions) -> Optional[str]:
    """"tf1" or "tf2" when every version allowed has those semantics; None when they differ."""
    if versions.before(MATMUL_BROADCASTS_FROM):
        return "tf1"
    if versions.low is not None and versions.low >= MATMUL_BROADCASTS_FROM:
        return "tf2"
    return None


class Target(NamedTuple):
    """The semantics the analysis applies, and why."""

    semantics: str  # "tf1" or "tf2": what the interpreter receives
    reason: str
    versions: Optional[Versions] = None

    @property
    def analysed(self) -> Versions:
        """The releases the shape functions key their semantics to (domain/tf_versions.py): the
        versions read, else those of the configured generation, else the current TensorFlow."""
        if self.versions is not None:
            return self.versions
        if self.reason.startswith("target-version"):
            return GENERATION_RANGES[self.semantics]
        return Versions()

    def cache_key(self) -> str:
        """What of the target can change the findings (the cache keeps results per key)."""
        versions = "" if self.versions is None else f" {self.versions.low}-{self.versions.high}"
        return self.semantics + versions

    def describe(self) -> str:
        return f"{self.semantics} ({self.reason})"


def is_valid_setting(value) -> bool:
    """``tf1``, ``tf2``, or a TensorFlow version such as ``1.8`` or ``2.15.1``."""
    return isinstance(value, str) and (value in GENERATIONS or bool(re.fullmatch(_CONFIGURED_VERSION, value)))


def resolve_target(configured: Optional[str], where: str, search_from: Optional[Path]) -> Target:
    """The target: ``configured`` (from ``where``), else inferred from the project found at or above
    ``search_from`` (None: no inference, as with ``--isolated``), else the default."""
    if configured is not None:
        return configured_target(configured, where)
    if search_from is None:
        return Target(DEFAULT_SEMANTICS, "the default")
    return infer_target(project_root(search_from))


def configured_target(value: str, where: str) -> Target:
    if value in GENERATIONS:
        return Target(value, f"target-version {value!r} in {where}")
    versions = versions_allowed("==" + value)
    semantics = semantics_of(versions) or DEFAULT_SEMANTICS
    return Target(semantics, f"TensorFlow {versions.describe()}, target-version in {where}", versions)


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` with a pyproject.toml, setup.py, setup.cfg or .git;
    ``start`` itself when there is none."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


def infer_target(root: Path) -> Target:
    """The target the TensorFlow requirements of the project at ``root`` imply (every file kind
    of project_requirements.py); the default when they name no version, allow versions of both
    semantics, or contradict each other."""
    from .project_requirements import tensorflow_requirements

    requirements = tensorflow_requirements(root)
    constrained = [(requirement, versions_allowed(requirement.constraint)) for requirement in requirements]
    constrained = [(requirement, versions) for requirement, versions in constrained if versions is not None]
    if not constrained:
        why = f"{requirements[0].describe()} names no version" if requirements else \
            f"no TensorFlow requirement in {root}"
        return Target(DEFAULT_SEMANTICS, f"the default: {why}")
    versions = Versions()
    for _, allowed in constrained:
        versions = versions.intersect(allowed)
    evidence = "; ".join(requirement.describe() for requirement, _ in constrained)
    if versions.empty:
        return Target(DEFAULT_SEMANTICS, f"the default: the TensorFlow requirements contradict each other ({evidence})")
    straddled = [what for release, what in KEYED_RELEASES.items()
                 if not versions.before(release) and not versions.since(release)]
    also = f"; it allows releases before and after {', '.join(straddled)}" if straddled else ""
    semantics = semantics_of(versions)
    if semantics is None:
        return Target(DEFAULT_SEMANTICS, f"the default: {evidence} allows TensorFlow before and after 1.14, "
                                         f"where matmul began to broadcast batch dimensions{also}", versions)
    return Target(semantics, f"TensorFlow {versions.describe()}, from {evidence}{also}", versions)


# -- version constraints ----------------------------------------------------------------------------

def versions_allowed(constraint: str) -> Optional[Versions]:
    """The minor releases a constraint allows (``==1.8.0``, ``>=1.4,<2``, ``~=1.15``, Poetry's ``^1.15``
    and ``~1.15``); None when it constrains nothing (or is a union, ``||``, which is not read)."""
    if "||" in constraint:
        return None
    versions, constrained = Versions(), False
    for operator, version in re.findall(_SPECIFIER, constraint):
        bounds = _bounds(operator, version)
        if bounds is not None:
            versions, constrained = versions.intersect(bounds), True
    return versions if constrained else None


def _bounds(operator: str, version: str) -> Optional[Versions]:
    numbers = [int(n) for n in version.replace("*", "").split(".") if n]
    major, minor = numbers[0], numbers[1] if len(numbers) > 1 else 0
    if operator in ("==", "===", "="):
        if version.endswith("*") and len(numbers) == 1:
            return Versions((major, 0), (major + 1, 0))
        return Versions((major, minor), (major, minor + 1))
    if operator == "~=" or operator == "^":
        if len(numbers) > 2 or (operator == "^" and major == 0):
            return Versions((major, minor), (major, minor + 1))
        return Versions((major, minor), (major + 1, 0))
    if operator == "~":
        return Versions((major, minor), (major, minor + 1) if len(numbers) > 1 else (major + 1, 0))
    if operator in (">=", ">"):
        return Versions(low=(major, minor))
    if operator == "<":
        patch = numbers[2] if len(numbers) > 2 else 0
        return Versions(high=(major, minor + 1) if patch else (major, minor))
    if operator == "<=":
        return Versions(high=(major, minor + 1))
    return None  # != excludes one release: no bound

