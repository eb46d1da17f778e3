"""The README's shell sessions (```console blocks) are run, and their output compared with what the
README shows, so that it cannot drift from what the tool does. Run from the repository's root, with
the ``tfshapelint`` of this Python's environment first on the PATH and a throwaway cache."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from readme_sessions import README, ROOT, blocks, quick_start_commands, sessions

TEXT = README.read_text(encoding="utf-8")
SESSIONS = sessions(TEXT)


def test_the_readme_has_its_sessions_and_quick_start():
    assert len(SESSIONS) >= 4
    assert any(s.command.startswith("tfshapelint --output-format full examples/") for s in SESSIONS)
    assert quick_start_commands(TEXT) == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/tfshapelint --output-format full examples/",
        ".venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest",
    ]
    # The CI runs the README's test command.
    assert ".venv/bin/python -m pytest" in (ROOT / ".ci" / "run").read_text()


def test_no_prompt_outside_console_blocks():
    """A shell session written in a plain block would escape the test: they are all marked."""
    for kind, line, body in blocks(TEXT):
        if kind != "console":
            assert not body.startswith("$ "), f"README line {line}: a session not marked ```console"


@pytest.mark.parametrize("session", SESSIONS, ids=[f"line{s.line}" for s in SESSIONS])
def test_session_output(session, tmp_path):
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
           "TFSHAPELINT_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    result = subprocess.run(["bash", "-c", session.command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=300)
    assert result.stdout == session.output, f"README line {session.line}: $ {session.command}"


def test_the_pre_commit_rev_exists_and_has_the_hooks():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    line = next(line for line in TEXT.splitlines() if line.strip().startswith("rev: "))
    rev = line.split("rev:")[1].split("#")[0].strip()
    assert len(rev) == 40 or rev.startswith("v"), "a full commit hash or a tag"
    hooks = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True,
                           text=True)
    assert hooks.returncode == 0, hooks.stderr
    assert "- id: tfshapelint\n" in hooks.stdout


def test_the_documented_wheel_is_this_version():
    from tfshapelint import __version__

    wheel = f"dist/tfshapelint-{__version__}-py3-none-any.whl"
    assert wheel in TEXT
    assert f"tfshapelint, version {__version__}\n" in TEXT
    names = {word for word in TEXT.split() if word.startswith("dist/tfshapelint-")}
    assert names <= {wheel}, names
