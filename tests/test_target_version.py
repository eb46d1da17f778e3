"""The TensorFlow a project targets: configured (``tf1``, ``tf2`` or a version), or inferred from its
requirements (every file kind, malformed files ignored), mapped onto the analysis's semantics, and
part of the cache key."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfshapelint.cli import main
from tfshapelint.config import ConfigError, Options, resolve
from tfshapelint.project_requirements import tensorflow_requirements
from tfshapelint.target_version import Versions, infer_target, project_root, semantics_of, versions_allowed

# Runs with TF1 semantics only: matmul of a rank-3 by a rank-2 operand (TF < 1.14 did not broadcast).
BATCHED_MATMUL = "import tensorflow as tf\nc = tf.matmul(tf.zeros([4, 2, 3]), tf.zeros([3, 5]))\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def inferred(root: Path) -> tuple[str, str]:
    target = infer_target(root)
    return target.semantics, target.reason


@pytest.mark.parametrize("constraint, low, high", [
    ("==1.8.0", (1, 8), (1, 9)),
    ("===1.13.1", (1, 13), (1, 14)),
    (">=1.4", (1, 4), None),
    (">=1.4,<2", (1, 4), (2, 0)),
    (">= 1.4, < 1.14", (1, 4), (1, 14)),
    ("<1.13.1", None, (1, 14)),
    ("<=1.12", None, (1, 13)),
    ("~=1.15", (1, 15), (2, 0)),
    ("~=1.8.0", (1, 8), (1, 9)),
    ("==1.*", (1, 0), (2, 0)),
    ("==2.4.*", (2, 4), (2, 5)),
    ("^1.15", (1, 15), (2, 0)),  # Poetry
    ("^0.12", (0, 12), (0, 13)),
    ("~1.15", (1, 15), (1, 16)),
    (">2.0rc1", (2, 0), None),
    (">=1.4,!=1.5.0", (1, 4), None),
])
def test_version_constraints(constraint, low, high):
    assert versions_allowed(constraint) == Versions(low, high)


@pytest.mark.parametrize("constraint", ["", "*", "!=1.5", "^1.15 || ^2.0"])
def test_constraints_that_bound_nothing(constraint):
    assert versions_allowed(constraint) is None


@pytest.mark.parametrize("constraint, semantics", [
    ("==1.8.0", "tf1"), ("==0.12.1", "tf1"), ("<1.14", "tf1"), ("==1.13.1", "tf1"),
    ("==1.14.0", "tf2"), ("==1.15", "tf2"), (">=2.4", "tf2"), ("==2.15.0", "tf2"),
    (">=1.4", None), ("~=1.8", None), (">=1.4,<2", None),
])
def test_semantics_need_every_allowed_version_to_share_them(constraint, semantics):
    assert semantics_of(versions_allowed(constraint)) == semantics


# -- each file kind ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, text", [
    ("requirements.txt", "numpy>=1.14\ntensorflow==1.8.0  # the cluster's\n"),
    ("requirements-gpu.txt", "-r requirements.txt\ntensorflow-gpu == 1.8.0 ; python_version < '3.7'\n"),
    ("requirements/base.txt", "--index-url https://example.org/simple\ntensorflow_gpu>=1.4, \\\n    <1.9\n"),
    ("setup.py", "from setuptools import setup\nsetup(name='x', install_requires=['numpy', 'tensorflow>=1.4,<1.9'])\n"),
    ("setup.py", "import setuptools\nREQUIRED = ['six'] + ['tensorflow==1.8']\n"
                 "setuptools.setup(name='x', install_requires=REQUIRED)\n"),
    ("setup.py", "from setuptools import setup\nsetup(name='x', extras_require={'tf': ['tensorflow>=1.0,<1.9'],\n"
                 "                                          'tf_gpu': ['tensorflow-gpu>=1.0,<1.9']})\n"),
    ("setup.py", "from setuptools import setup\nprint 'building'\nsetup(install_requires=['tensorflow==1.8.0'])\n"),
    ("setup.cfg", "[metadata]\nname = x\n[options]\ninstall_requires =\n    numpy\n    tensorflow==1.8.0\n"),
    ("setup.cfg", "[options.extras_require]\ngpu =\n    tensorflow-gpu~=1.8.0\n"),
    ("pyproject.toml", "[project]\nname = 'x'\ndependencies = ['numpy', 'tensorflow==1.8.0']\n"),
    ("pyproject.toml", "[project]\nname = 'x'\n[project.optional-dependencies]\ngpu = ['tensorflow-gpu<1.9']\n"),
    ("pyproject.toml", "[tool.poetry.dependencies]\npython = '^3.6'\n"
                       "tensorflow = {version = '~1.8', optional = true}\n"),
    ("environment.yml", "name: tf\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.6\n  - tensorflow=1.8\n"),
    ("environment.yml", "dependencies:\n  - conda-forge::tensorflow-gpu==1.8.0=py36_0\n"),
    ("environment.yaml", "dependencies:\n  - pip\n  - pip:\n    - tensorflow==1.8.0\n"),
    ("Pipfile", "[packages]\nnumpy = '*'\ntensorflow = '==1.8.0'\n"),
    ("Pipfile", "[dev-packages]\ntensorflow-gpu = {version = '<1.9', index = 'pypi'}\n"),
])
def test_a_tf1_requirement_in_each_file_kind_selects_tf1(tmp_path, name, text):
    write(tmp_path / name, text)
    semantics, reason = inferred(tmp_path)
    assert semantics == "tf1", reason
    assert Path(name).name in reason


def test_a_tf2_requirement_selects_tf2_and_says_so(tmp_path):
    write(tmp_path / "requirements.txt", "tensorflow>=2.4\n")
    assert inferred(tmp_path) == ("tf2", "TensorFlow >=2.4, from tensorflow>=2.4 in requirements.txt")


@pytest.mark.parametrize("files, why", [
    ({}, "no TensorFlow requirement"),
    ({"requirements.txt": "tensorflow\nnumpy==1.8.0\n"}, "names no version"),
    ({"requirements.txt": "tensorflow>=1.4\n"}, "before and after 1.14"),
    ({"requirements.txt": "tensorflow==1.8.0\n", "environment.yml": "dependencies:\n  - tensorflow=2.4\n"},
     "contradict"),
    ({"requirements.txt": "tensorflowjs==1.8.0\ntensorflow-datasets==1.2\n"}, "no TensorFlow requirement"),
])
def test_without_decisive_evidence_the_default_stays(tmp_path, files, why):
    for name, text in files.items():
        write(tmp_path / name, text)
    semantics, reason = inferred(tmp_path)
    assert semantics == "tf2" and reason.startswith("the default") and why in reason


def test_requirements_of_several_files_narrow_each_other(tmp_path):
    write(tmp_path / "setup.py", "from setuptools import setup\nsetup(install_requires=['tensorflow>=1.4'])\n")
    write(tmp_path / "requirements.txt", "tensorflow<1.10\n")
    assert inferred(tmp_path)[0] == "tf1"


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", "[project\ndependencies = ['tensorflow==2.4']\n"),
    ("pyproject.toml", "project = 3\n"),
    ("Pipfile", "[packages\ntensorflow = '==2.4'\n"),
    ("setup.cfg", "install_requires = tensorflow==2.4\n[options\n"),
    ("setup.py", "from setuptools import setup\nsetup(install_requires=['tensorflow==2.4'\n"),
    ("setup.py", "setup(install_requires=read_requirements())\n"),
    ("environment.yml", ": : - [tensorflow\n\t{\n"),
    ("requirements.txt", "\x00\x01\x02 binary\n"),
])
def test_malformed_files_are_ignored_safely(tmp_path, name, text):
    write(tmp_path / "requirements-base.txt", "tensorflow==1.8.0\n")
    write(tmp_path / name, text)
    assert inferred(tmp_path)[0] == "tf1"


def test_a_huge_or_unreadable_file_is_skipped(tmp_path):
    write(tmp_path / "requirements.txt", "tensorflow==2.4.0\n" + "# padding\n" * 200_000)
    folder = tmp_path / "setup.py"
    folder.mkdir()  # a folder where a file was expected
    assert tensorflow_requirements(tmp_path) == []


def test_setup_py_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    write(tmp_path / "setup.py", f"open({str(marker)!r}, 'w').close()\n"
                                 "from setuptools import setup\nsetup(install_requires=['tensorflow==1.8'])\n")
    assert inferred(tmp_path)[0] == "tf1"
    assert not marker.exists()


# -- where it is searched, and what wins --------------------------------------------------------------

def test_the_project_root_is_the_nearest_folder_with_a_marker(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "requirements.txt", "tensorflow==1.8.0\n")
    deep = tmp_path / "models" / "mnist"
    deep.mkdir(parents=True)
    assert project_root(deep) == tmp_path
    assert resolve(Options(), paths=[str(deep)], cwd=deep).target_version == "tf1"


def test_configuration_wins_over_the_requirements(tmp_path):
    write(tmp_path / "requirements.txt", "tensorflow==1.8.0\n")
    write(tmp_path / "pyproject.toml", '[tool.tfshapelint]\ntarget-version = "2.15"\n')
    settings = resolve(Options(), cwd=tmp_path)
    assert (settings.target_version, settings.target.versions) == ("tf2", Versions((2, 15), (2, 16)))
    assert "target-version in" in settings.target.reason
    assert resolve(Options(target_version="1.8"), cwd=tmp_path).target_version == "tf1"
    assert resolve(Options(target_version="tf2"), cwd=tmp_path).target.reason == \
        "target-version 'tf2' in --target-version"


def test_the_requirements_of_the_configurations_folder_are_read(tmp_path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\ndependencies = ['tensorflow-cpu==1.12.0']\n"
                                       "[tool.tfshapelint]\nselect = ['ALL']\n")
    assert resolve(Options(), cwd=tmp_path / "..", paths=[str(tmp_path)]).target_version == "tf1"


def test_isolated_reads_no_requirements(tmp_path):
    write(tmp_path / "requirements.txt", "tensorflow==1.8.0\n")
    assert resolve(Options(), cwd=tmp_path, isolated=True).target_version == "tf2"


@pytest.mark.parametrize("value, semantics", [("tf1", "tf1"), ("tf2", "tf2"), ("1.8", "tf1"), ("1.13.1", "tf1"),
                                              ("1.14", "tf2"), ("2.15", "tf2"), ("0.12", "tf1")])
def test_configured_values(tmp_path, value, semantics):
    write(tmp_path / "pyproject.toml", f'[tool.tfshapelint]\ntarget-version = "{value}"\n')
    assert resolve(Options(), cwd=tmp_path).target_version == semantics


@pytest.mark.parametrize("value", ["tf3", "1", "3.0", "v1.8", "1.8-gpu", 1.8])
def test_bad_configured_values_are_errors(tmp_path, value):
    write(tmp_path / "pyproject.toml", f"[tool.tfshapelint]\ntarget-version = {value!r}\n".replace("'", '"'))
    with pytest.raises(ConfigError, match="target-version"):
        resolve(Options(), cwd=tmp_path)


# -- the command line ---------------------------------------------------------------------------------

def run(*args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def test_the_inferred_target_changes_the_findings_and_the_cache_key(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "model.py", BATCHED_MATMUL)
    assert run("model.py", cwd=tmp_path).exit_code == 0  # TF2 broadcasts; this run fills the cache
    write(tmp_path / "requirements.txt", "tensorflow==1.8.0\n")
    result = run("model.py", cwd=tmp_path)  # the same file, cached for tf2: linted again for tf1
    assert result.exit_code == 1 and "TF1 matmul needs operands of the same rank" in result.stdout
    assert run("--target-version", "2.4", "model.py", cwd=tmp_path).exit_code == 0
    assert run("--target-version", "1.8.x", "model.py", cwd=tmp_path).exit_code == 2


def test_explain_says_which_target_and_why(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "model.py", BATCHED_MATMUL)
    write(tmp_path / "requirements.txt", "tensorflow-gpu==1.8.0\n")
    result = run("explain", "model.py", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == \
        "TensorFlow target: tf1 (TensorFlow 1.8, from tensorflow-gpu==1.8.0 in requirements.txt)"


def test_verbose_says_which_target_and_why(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "model.py", BATCHED_MATMUL)
    write(tmp_path / "requirements.txt", "tensorflow>=0.11\n")
    result = run("check", "--verbose", "--no-cache", "model.py", cwd=tmp_path)
    assert "tfshapelint: TensorFlow target: tf2 (the default: tensorflow>=0.11 in requirements.txt allows" \
        in result.stderr
    assert "TensorFlow target" not in run("check", "--no-cache", "model.py", cwd=tmp_path).stderr


def test_a_project_pinned_to_tf0_is_read_in_tf0s_argument_order(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "model.py", "import tensorflow as tf\nx = tf.zeros([4, 3])\ny = tf.concat(1, [x, x])\n")
    assert "TSL015" in run("check", "--no-cache", "model.py", cwd=tmp_path).stdout
    write(tmp_path / "requirements.txt", "tensorflow==0.12.1\n")
    assert run("check", "--no-cache", "model.py", cwd=tmp_path).exit_code == 0
