"""Reproducers in real TensorFlow: every bad fixture's fails as its finding says, every clean twin's
replay of the same call runs clean, and ``repro --run`` works end to end.

The bad project fixtures (linted as projects) are reproduced too; their twins are not replayed.
All programs of the fixtures run in one TensorFlow process (``repro.run.run_programs``: the harness
imports TensorFlow once), not one process per fixture. The clean twin replays the call that fails in
its bad twin: the same canonical op at the line the bad line maps to (a diff of the two files), with
the same silent-bug assert. A twin that fixes its bug by calling another API (a sparse loss instead
of a dense one, a threshold instead of ``argmax``) has no such call: it is counted, not replayed.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tfshapelint.linter import lint_source
from tfshapelint.repro.run import run_programs
from tfshapelint.repro.steps import same_steps

pytestmark = pytest.mark.tf

ROOT = Path(__file__).resolve().parent.parent
BAD_FIXTURES = sorted((ROOT / "fixtures").glob("TSL*/*_bad.py"))
STEPS = re.compile(r"# It replays (\S+) of line (\d+) and the calls it reads(?:; the silent bug \(([\w-]+)\))?")


def twin_line(bad: list, good: list, line: int) -> int:
    """The line of ``good`` that stands where ``line`` of ``bad`` stands."""
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, bad, good, autojunk=False).get_opcodes():
        if i1 < line <= i2:
            return j1 + (line - i1 if tag == "equal" else 1)
    return line


def twin_program(bad_path: Path, program: str):
    """The clean twin's replay of the call the bad fixture's ``program`` replays; None when the twin
    makes no call of that op near that line."""
    good_path = Path(str(bad_path).replace("_bad.py", "_good.py"))
    name, line, kind = STEPS.search(program).groups()
    good_text = good_path.read_text(encoding="utf-8")
    near = twin_line(bad_path.read_text(encoding="utf-8").splitlines(), good_text.splitlines(), int(line))
    for candidate in (near, near + 1, near - 1, near + 2, near - 2):
        found = [p for p in same_steps(good_text, str(good_path), candidate, kind=kind) if f"replays {name} of" in p]
        if found:
            return found[0]
    return None


def project_reproducers() -> list:
    """(where, reproducer) of every finding of the bad project fixtures, linted as a project."""
    from test_project_fixtures import PROJECTS, source_roots

    from tfshapelint.project.loader import ProjectLoader
    from tfshapelint.project.resolve import Resolver

    found = []
    for folder in (path for path in PROJECTS if path.name.endswith("_bad")):
        project = ProjectLoader(Resolver([str(root) for root in source_roots(folder)]))
        for path in sorted(folder.rglob("*.py")):
            for finding in lint_source(path.read_text(encoding="utf-8"), str(path), loader=project):
                assert finding.reproducer is not None, f"{path}:{finding.line}: no reproducer"
                found.append((f"{path.relative_to(ROOT)}:{finding.line}", finding.reproducer))
    assert found
    return found


def test_every_bad_fixture_fails_in_tensorflow_and_every_clean_twin_runs_clean():
    bad, twins, unmatched = [], [], []
    for path in BAD_FIXTURES:
        for finding in lint_source(path.read_text(encoding="utf-8"), str(path)):
            assert finding.reproducer is not None, f"{path}:{finding.line}: no reproducer"
            bad.append((f"{path.relative_to(ROOT)}:{finding.line}", finding.reproducer))
            twin = twin_program(path, finding.reproducer)
            if twin is None:
                unmatched.append(str(path.relative_to(ROOT)))
            else:
                twins.append((str(path.relative_to(ROOT)).replace("_bad.py", "_good.py"), twin))
    bad += project_reproducers()
    version, why, outcomes = run_programs([program for _, program in bad + twins], timeout=120)
    assert version is not None, why
    failures = []
    for (where, program), outcome in zip(bad, outcomes[:len(bad)]):
        if not outcome.confirms(program):
            failures.append(f"{where}: not reproduced ({outcome.outcome} {outcome.type}: {outcome.message[:200]})")
    for (where, program), outcome in zip(twins, outcomes[len(bad):]):
        if outcome.outcome != "clean":
            failures.append(f"{where}: the twin's replay did not run clean ({outcome.outcome} {outcome.type}: "
                            f"{outcome.message[:200]})")
    print(f"\n{len(bad)} findings reproduced by TensorFlow {version}; {len(twins)} clean twins replayed the same "
          f"call cleanly; {len(unmatched)} twins make no such call: {', '.join(unmatched)}")
    assert not failures, "\n".join(failures)
    assert twins


@pytest.mark.parametrize("fixture", ["examples/mnist_convnet.py", "fixtures/TSL006/keras_functional_skip_bad.py",
                                     "fixtures/TSL010/convnet_flat_images_bad.py"])
def test_repro_run_confirms_the_finding_end_to_end(fixture):
    done = subprocess.run([sys.executable, "-m", "tfshapelint", "repro", "--run", fixture], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    finding, verdict = done.stdout.splitlines()[:2]
    assert finding.startswith(f"{fixture}:")
    assert verdict.startswith("  confirmed by TensorFlow 2."), verdict
