"""The pre-commit hooks, run by pre-commit itself on a throwaway git repository.

pre-commit installs the hook repository into a fresh virtualenv (from PyPI: libcst, click,
setuptools), so these tests are slow. The hook repository is a copy of this working tree's
package files committed into a temporary git repository: that tests the files as they are now,
whatever is committed or not in the real repository (``try-repo`` on a repository with
uncommitted changes would only see the changes to tracked files).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
BAD = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n"
CLEAN = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([3, 4]))\n"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    pytest.importorskip("pre_commit")
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "PRE_COMMIT_COLOR": "never",
    }


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, env):
    """This working tree's installable files, committed into a fresh git repository."""
    repo = tmp_path_factory.mktemp("hook-repo")
    shutil.copytree(ROOT / "src" / "tfshapelint", repo / "src" / "tfshapelint",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for file in ROOT.iterdir():  # pyproject.toml, README.md, .pre-commit-hooks.yaml, licence...
        # Not `.git`: in a git worktree it is a file naming the real repository, which the commit
        # below would then write to (a "hooks" commit on the branch under test).
        if file.is_file() and file.name != ".git" and file.stat().st_size < 1_000_000:
            shutil.copy2(file, repo / file.name)
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    subprocess.run(["git", "commit", "-q", "-m", "hooks"], cwd=repo, env=env, check=True)
    return repo


@pytest.fixture(scope="module")
def project(tmp_path_factory, env):
    """A user's repository with a bad and a clean file."""
    repo = tmp_path_factory.mktemp("project")
    git("init", "-q", cwd=repo)
    (repo / "bad.py").write_text(BAD)
    (repo / "clean.py").write_text(CLEAN)
    git("add", ".", cwd=repo)
    return repo


def run(args, cwd, env):
    return subprocess.run([*PRE_COMMIT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def test_manifest_declares_both_hooks_as_ruff_does():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"tfshapelint", "tfshapelint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
        assert {"python", "pyi"} <= set(hook["types_or"])
        assert "--force-exclude" in hook["entry"].split()
        assert hook["entry"].split()[:2] == ["tfshapelint", "check"]
    assert "--fix" in hooks["tfshapelint-fix"]["entry"].split()


def test_try_repo_fails_on_the_bad_file_and_passes_on_the_clean_one(hook_repo, project, env):
    bad = run(["try-repo", str(hook_repo), "tfshapelint", "--files", "bad.py"], project, env)
    output = bad.stdout + bad.stderr
    assert bad.returncode == 1, output
    assert "bad.py:3:5: TSL004" in output, output
    assert "Failed" in output

    clean = run(["try-repo", str(hook_repo), "tfshapelint", "--files", "clean.py"], project, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def test_fix_hook_rewrites_the_fixable_file(hook_repo, project, env):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True,
                          check=True).stdout.strip()
    config = project / "hooks.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(hook_repo), "rev": head,
                                                 "hooks": [{"id": "tfshapelint-fix", "verbose": True}]}]}))
    seed = project / "seed.py"
    seed.write_text((ROOT / "examples" / "mnist_convnet.py").read_text())
    git("add", "seed.py", cwd=project)  # pre-commit tells edits apart from staged content
    fixed = run(["run", "--config", str(config), "--files", "seed.py"], project, env)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # pre-commit fails when a hook edits files
    assert "Fixed 1 finding." in fixed.stdout
    assert "[7*7*64, 1024]" in seed.read_text()
    again = run(["run", "--config", str(config), "--files", "seed.py"], project, env)
    assert again.returncode == 0, again.stdout + again.stderr
    bad = run(["run", "--config", str(config), "--files", "bad.py"], project, env)
    assert bad.returncode == 1 and "bad.py:3:5: TSL004" in bad.stdout  # nothing to fix: still reported
    assert (project / "bad.py").read_text() == BAD
