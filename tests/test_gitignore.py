"""Folders are walked skipping what .gitignore and .ignore files ignore: git itself is the reference."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tfshapelint.config import Options, resolve
from tfshapelint.files import discover
from tfshapelint.gitignore import parse

TREE = [
    "a.py", "b.py", "keep.py", "debug.py", "x.pyi", "notes/n.py", "gen/net.py", "gen/keep.py",
    "src/gen/deep.py", "src/pkg/mod.py", "src/pkg/mod_pb2.py", "src/pkg/data/d.py", "src/other/data/d.py",
    "logs/l.py", "logs/important.py", "a/b/c/z.py", "a/z.py", "docs/conf.py", "docs/api/conf.py",
    "hash#name.py", "!bang.py", "space .py", "q1.py", "q22.py", "lib/[x].py", "lib/x.py", "doc/build/out.py",
    "star/one/two/s.py", "star/s.py", "nested/inner/file.py", "nested/inner/other.py",
]
ROOT_GITIGNORE = """\
# a comment
*_pb2.py
/debug.py
gen/
!gen/keep.py
logs/*
!logs/important.py
a/**/z.py
docs/*/conf.py
\\#*.py
hash#*
\\!bang.py
space\\ .py
q?.py
lib/\\[x].py
**/data
star/**
doc/build/
src/gen/
"""


@pytest.fixture(autouse=True)
def empty_home(tmp_path_factory, monkeypatch):
    """The user's own git configuration and global excludes stay out of these tests (git's and ours)."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("empty-home")))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)


def git(*args, cwd):
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=env).stdout


@pytest.fixture
def repo(tmp_path):
    for name in TREE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text(ROOT_GITIGNORE)
    (tmp_path / "nested" / ".gitignore").write_text("/inner/other.py\n")
    (tmp_path / "src" / ".gitignore").write_text("!mod_pb2.py\ndata/\n")
    return tmp_path


def walked(folder, **options):
    settings = resolve(Options(**options), isolated=True, cwd=folder)
    return sorted(os.path.relpath(path, folder) for path in discover([str(folder)], settings))


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_files_walked_are_those_git_does_not_ignore(repo):
    git("init", "-q", cwd=repo)
    expected = sorted(line for line in git("ls-files", "--others", "--exclude-standard", cwd=repo).splitlines()
                      if line.endswith((".py", ".pyi")))
    expected = [name.strip('"') for name in expected]
    assert walked(repo) == expected
    # What the patterns decided, so that an agreement with git cannot be an agreement to lint nothing.
    assert "gen/keep.py" not in expected  # under an ignored folder: cannot be re-included
    assert "logs/important.py" in expected and "logs/l.py" not in expected
    assert "src/pkg/mod_pb2.py" in expected and "mod_pb2" not in " ".join(walked(repo / "notes"))
    assert "nested/inner/file.py" in expected and "nested/inner/other.py" not in expected
    assert {"a.py", "b.py", "keep.py", "x.pyi"} <= set(expected)


def test_gitignore_counts_only_inside_a_repository_and_ignore_files_everywhere(repo):
    assert "debug.py" in walked(repo)  # no .git: .gitignore is not read (as ruff and ripgrep)
    (repo / ".ignore").write_text("debug.py\n")
    assert "debug.py" not in walked(repo) and "gen/net.py" in walked(repo)
    (repo / ".git").mkdir()
    assert "gen/net.py" not in walked(repo)


def test_ignore_files_above_the_walked_folder_apply(repo):
    (repo / ".git").mkdir()
    assert walked(repo / "src") == ["gen/deep.py", "pkg/mod.py", "pkg/mod_pb2.py"][1:]
    assert walked(repo / "logs") == ["important.py"]


def test_ignore_wins_over_gitignore_in_the_same_folder(repo):
    (repo / ".git").mkdir()
    (repo / ".ignore").write_text("!debug.py\n")
    assert "debug.py" in walked(repo)


def test_respect_gitignore_off_and_named_files(repo):
    (repo / ".git").mkdir()
    assert "gen/net.py" in walked(repo, respect_gitignore=False)
    settings = resolve(Options(), isolated=True, cwd=repo)
    assert list(discover([str(repo / "gen" / "net.py")], settings)) == [str(repo / "gen" / "net.py")]


def test_parse_skips_comments_and_blank_lines_and_keeps_escapes():
    patterns = parse("# comment\n\n   \n\\#hash\n\\!bang\nfoo\\ \ntrailing   \n!neg/\n")
    assert [(p.negated, p.dir_only) for p in patterns] == [(False, False)] * 4 + [(True, True)]
    assert patterns[0].matches("#hash", False) and patterns[1].matches("!bang", False)
    assert patterns[2].matches("foo ", False) and patterns[3].matches("trailing", False)
    assert patterns[4].matches("x/neg", True) and not patterns[4].matches("neg", False)


def test_the_command_line_option_and_the_configuration_key(repo):
    from tfshapelint.config import ConfigError, options_from_table

    assert options_from_table({"respect-gitignore": False}, "t").respect_gitignore is False
    with pytest.raises(ConfigError):
        options_from_table({"respect-gitignore": "no"}, "t")
    (repo / ".git").mkdir()
    exe = shutil.which("tfshapelint", path=os.path.dirname(os.sys.executable)) or "tfshapelint"
    on = subprocess.run([exe, "--no-cache", "."], cwd=repo, capture_output=True, text=True)
    off = subprocess.run([exe, "--no-cache", "--no-respect-gitignore", "."], cwd=repo, capture_output=True, text=True)
    assert len(walked(repo)) < len(walked(repo, respect_gitignore=False))
    assert f"({len(walked(repo))} files checked)" in on.stderr
    assert f"({len(walked(repo, respect_gitignore=False))} files checked)" in off.stderr


def test_a_repository_inside_the_walked_folder(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("projects")
    project = outside / "project"
    shutil.copytree(repo, project)
    (project / ".git").mkdir()
    found = walked(outside)
    assert "project/debug.py" not in found and "project/gen/net.py" not in found
    assert "project/a.py" in found


MORE_TREE = ["m/a/b/x.py", "m/b/x.py", "m/a/x/y/b/z.py", "m/c/zfoo.py", "m/c/foo.py", "m/d/k.pyi", "m/d/q.pyi",
             "m/e/f/g/deep/h.py", "m/e/deep/i.py", "m/e/j.py", "m/t/x.py", "m/t/y.py", "m/u/w/v.py", "m/u/v.py"]
MORE_GITIGNORE = """\
a/**/b/
**foo.py
[!q]*.pyi
e/**/deep/
t/*
!t/y.py
u/**
!u/w/
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_more_patterns_as_git_reads_them(tmp_path):
    for name in MORE_TREE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    (tmp_path / "m" / ".gitignore").write_text(MORE_GITIGNORE)
    git("init", "-q", cwd=tmp_path)
    expected = sorted(line for line in git("ls-files", "--others", "--exclude-standard", cwd=tmp_path).splitlines()
                      if line.endswith((".py", ".pyi")))
    assert walked(tmp_path) == expected
    assert "m/t/y.py" in expected and "m/d/q.pyi" in expected and "m/e/j.py" in expected


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("configured", [False, True])
def test_the_users_global_excludes_file(repo, configured):
    home = Path(os.environ["HOME"])  # empty_home's
    if configured:
        (home / ".gitconfig").write_text('[user]\n\tname = x\n[core]\n\texcludesFile = "~/my ignore"\n')
        (home / "my ignore").write_text("keep.py\nnotes/\n")
    else:
        (home / ".config" / "git").mkdir(parents=True)
        (home / ".config" / "git" / "ignore").write_text("keep.py\nnotes/\n")
    assert "keep.py" in walked(repo)  # no repository: not read
    env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("GIT_CONFIG_GLOBAL", None)
    subprocess.run(["git", "init", "-q"], cwd=repo, env=env, check=True)
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=repo, env=env,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    expected = sorted(name.strip('"') for name in listed if name.endswith((".py", ".pyi")))
    assert "keep.py" not in expected and not any(name.startswith("notes/") for name in expected)
    assert walked(repo) == expected
