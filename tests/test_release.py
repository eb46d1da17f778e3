"""A release as the README describes it: ``python -m build`` gives a wheel and an sdist that
``twine check`` accepts; the wheel, installed into a fresh virtualenv, runs the console script,
whose version and output are the README's; the quick start's first command works from a copy of
the checkout. Slow (fresh virtualenvs; build, twine and setuptools come from the package index)."""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from readme_sessions import README, ROOT, quick_start_commands, sessions

pytestmark = pytest.mark.slow

TEXT = README.read_text(encoding="utf-8")
# What goes into a copy of the checkout: the tracked files that building and the README's commands use.
CHECKOUT = ["pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "MANIFEST.in", ".pre-commit-hooks.yaml", "src",
            "examples", "docs"]


def run(command, cwd, **kwargs):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


def fresh_venv(folder: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    return folder / "bin"


def copy_checkout(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in CHECKOUT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, target / name)
    return target


def clean_env() -> dict:
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    checkout = copy_checkout(tmp_path_factory.mktemp("checkout"))
    tools = fresh_venv(tmp_path_factory.mktemp("tools"))
    run([tools / "pip", "install", "--quiet", "build", "twine"], checkout)
    run([tools / "python", "-m", "build", "--outdir", "dist", "."], checkout, env=clean_env())
    return checkout / "dist", tools


def test_build_gives_a_wheel_and_an_sdist_that_twine_accepts(dist):
    folder, tools = dist
    from tfshapelint import __version__

    names = sorted(path.name for path in folder.iterdir())
    assert names == [f"tfshapelint-{__version__}-py3-none-any.whl", f"tfshapelint-{__version__}.tar.gz"]
    result = run([tools / "twine", "check", "--strict", *sorted(folder.iterdir())], folder)
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_and_the_sdist_carry_the_license(dist):
    import tarfile
    import zipfile

    folder, _ = dist
    from tfshapelint import __version__

    with zipfile.ZipFile(folder / f"tfshapelint-{__version__}-py3-none-any.whl") as wheel:
        names = wheel.namelist()
        metadata = wheel.read(f"tfshapelint-{__version__}.dist-info/METADATA").decode()
    assert f"tfshapelint-{__version__}.dist-info/licenses/LICENSE" in names
    assert "License-Expression: Apache-2.0" in metadata and "License-File: LICENSE" in metadata
    with tarfile.open(folder / f"tfshapelint-{__version__}.tar.gz") as sdist:
        assert f"tfshapelint-{__version__}/LICENSE" in sdist.getnames()


def test_the_wheel_in_a_fresh_venv_gives_the_documented_output(dist, tmp_path):
    folder, _ = dist
    from tfshapelint import __version__

    bin_dir = fresh_venv(tmp_path / "user")
    run([bin_dir / "pip", "install", "--quiet", folder / f"tfshapelint-{__version__}-py3-none-any.whl"], tmp_path)
    env = {**clean_env(), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "TFSHAPELINT_CACHE_DIR": str(tmp_path / "cache")}
    documented = {s.command: s.output for s in sessions(TEXT)}
    shutil.copytree(ROOT / "examples", tmp_path / "examples")  # the sessions' example, outside the checkout
    for command in ("tfshapelint --version", "tfshapelint --output-format full examples/mnist_convnet.py",
                    "tfshapelint examples/mnist_convnet.py"):
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, timeout=300)
        assert result.stdout == documented[command], command
    where = subprocess.run([bin_dir / "python", "-c", "import tfshapelint; print(tfshapelint.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert where.stdout.startswith(str(tmp_path / "user")), where.stdout  # the wheel, not this checkout


def test_the_quick_start_command_works_from_a_checkout(tmp_path):
    checkout = copy_checkout(tmp_path / "checkout")
    first = quick_start_commands(TEXT)[0]
    result = subprocess.run(["bash", "-c", first], cwd=checkout, capture_output=True, text=True, timeout=900,
                            env={**clean_env(), "TFSHAPELINT_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 1, result.stderr  # the example has the bug: exit code 1
    documented = next(s.output for s in sessions(TEXT) if s.command.startswith("tfshapelint --output-format full"))
    findings = [line for line in documented.splitlines(keepends=True) if not line.startswith("Found ")]
    assert result.stdout.endswith("".join(findings))  # after pip's own output
    assert result.stderr.endswith("Found 1 finding (1 file checked; 1 fixable with --fix).\n")
