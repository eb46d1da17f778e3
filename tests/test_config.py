"""Configuration: ``[tool.tfshapelint]``, the command-line options, selection, excludes."""

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfshapelint.cli import main
from tfshapelint.config import (ConfigError, Glob, Options, Selection, enabled_codes, find_config, known_codes,
                                resolve)
from tfshapelint.files import discover

MATMUL = "y = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n"  # TSL004
ADD = "z = tf.zeros([2, 3]) + tf.zeros([4, 5])\n"  # TSL006
BAD = "import tensorflow as tf\n" + MATMUL + ADD
LINT_CODES = [code for code in known_codes() if not code.startswith("TSL9")]
DIAGNOSTICS = [code for code in known_codes() if code.startswith("TSL9")]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def pyproject(folder: Path, body: str) -> Path:
    return write(folder / "pyproject.toml", "[tool.tfshapelint]\n" + textwrap.dedent(body))


def lint(*args, cwd: Path, stdin=None):
    """(exit code, [(path, code)], stderr) of an in-process run in ``cwd``."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    finally:
        os.chdir(old)
    found = []
    for line in result.stdout.splitlines():
        path, _, rest = line.partition(":")
        found.append((path, rest.split(": ", 1)[1].split()[0]))
    return result.exit_code, found, result.stderr


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "pkg" / "model.py", BAD)
    write(tmp_path / "tests" / "test_model.py", BAD)
    return tmp_path


# --- selection ---------------------------------------------------------------------------------

def select(*layers):
    return sorted(enabled_codes([Selection(**layer) for layer in layers]))


def test_default_is_every_rule_and_diagnostic():
    assert select({}) == known_codes()


def test_the_code_list_is_the_rules_own():
    from tfshapelint.codes import RULE_CODES
    from tfshapelint.rules import RULES

    assert list(RULE_CODES) == [rule.code for rule in RULES]


def test_prefix_matching_and_all():
    assert select({"select": ["TSL00"]}) == sorted([c for c in LINT_CODES if c.startswith("TSL00")] + DIAGNOSTICS)
    assert select({"select": ["TSL004"]}) == sorted(["TSL004"] + DIAGNOSTICS)
    assert select({"select": ["ALL"], "ignore": ["TSL0"]}) == sorted(c for c in known_codes() if not c.startswith("TSL0"))


def test_more_specific_selector_wins_and_ignore_wins_a_tie():
    assert select({"select": ["TSL004"], "ignore": ["TSL0"]}) == sorted(["TSL004"] + DIAGNOSTICS)
    assert select({"select": ["TSL0"], "ignore": ["TSL004"]}) == sorted(set(known_codes()) - {"TSL004"})
    assert select({"select": ["TSL004"], "ignore": ["TSL004"]}) == DIAGNOSTICS


def test_extend_select_adds_and_later_layers_override():
    assert select({"select": ["TSL001"], "extend_select": ["TSL004"]}) == sorted(["TSL001", "TSL004"] + DIAGNOSTICS)
    # The command line's --select replaces the file's; its --ignore removes from the file's.
    assert select({"select": ["TSL001"]}, {"select": ["TSL004"]}) == sorted(["TSL004"] + DIAGNOSTICS)
    assert select({"select": ["TSL001", "TSL004"]}, {"ignore": ["TSL001"]}) == sorted(["TSL004"] + DIAGNOSTICS)
    assert select({"ignore": ["TSL004"]}, {"extend_select": ["TSL004"]}) == known_codes()


def test_diagnostics_are_only_ignored_explicitly():
    assert set(DIAGNOSTICS) <= set(select({"ignore": ["ALL"]}))
    assert set(DIAGNOSTICS) <= set(select({"ignore": ["TSL"]}))
    assert "TSL903" not in select({"ignore": ["TSL903"]})
    assert not set(DIAGNOSTICS) & set(select({"ignore": ["TSL9"]}))
    # and stay ignored when a later layer selects other rules
    assert "TSL903" not in select({"ignore": ["TSL903"]}, {"select": ["TSL001"]})


def test_selection_from_the_file_and_the_command_line(project):
    pyproject(project, 'select = ["TSL004"]\n')
    assert lint("pkg", cwd=project)[1] == [("pkg/model.py", "TSL004")]
    assert lint("--select", "TSL006", "pkg", cwd=project)[1] == [("pkg/model.py", "TSL006")]
    assert lint("--extend-select", "TSL006", "pkg", cwd=project)[1] == [("pkg/model.py", "TSL004"),
                                                                        ("pkg/model.py", "TSL006")]
    assert lint("--ignore", "TSL004", "pkg", cwd=project)[:2] == (0, [])
    assert lint("--select", "tsl0,ALL", "--ignore", "TSL00", "pkg", cwd=project)[1] == []


def test_diagnostic_reported_despite_select_unless_ignored(project):
    write(project / "broken.py", "import tensorflow as tf\ndef broken(:\n")
    assert lint("--select", "TSL001", "broken.py", cwd=project)[1] == [("broken.py", "TSL901")]
    assert lint("--ignore", "ALL", "broken.py", cwd=project)[1] == [("broken.py", "TSL901")]
    assert lint("--ignore", "TSL901", "broken.py", cwd=project)[:2] == (0, [])


# --- the configuration file --------------------------------------------------------------------

def test_nearest_pyproject_with_the_section_wins(tmp_path):
    pyproject(tmp_path, 'select = ["TSL001"]\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.tfshapelint]: skipped
    inner = pyproject(tmp_path / "sub" / "inner", 'select = ["TSL004"]\n')
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"
    assert find_config(tmp_path / "sub" / "inner" / "deeper") == inner


def test_config_is_searched_from_the_linted_paths_not_only_the_cwd(project, tmp_path_factory):
    pyproject(project, 'ignore = ["TSL004"]\n')
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert lint(project / "pkg", cwd=elsewhere)[1] == [(str(project / "pkg" / "model.py"), "TSL006")]


def test_relative_globs_of_the_file_are_anchored_at_its_folder(project):
    pyproject(project, '''\
        extend-exclude = ["tests/*"]
        per-file-ignores = {"pkg/model.py" = ["TSL006"]}
        ''')
    # Run from a subfolder: the globs still mean <project>/tests and <project>/pkg.
    assert lint("..", cwd=project / "pkg")[1] == [("../pkg/model.py", "TSL004")]


def test_every_option_is_read(project):
    pyproject(project, '''\
        select = ["TSL0"]
        extend-select = ["TSL004"]
        ignore = ["TSL006"]
        exclude = ["tests"]
        extend-exclude = ["*_pb2.py"]
        per-file-ignores = {"__init__.py" = ["TSL001"]}
        extend-per-file-ignores = {"conftest.py" = ["TSL002"]}
        target-version = "tf1"
        output-format = "json"
        cache-dir = "cache/here"
        force-exclude = true
        ''')
    settings = resolve(Options(), cwd=project)
    assert settings.config_file == project / "pyproject.toml"
    assert settings.root == project
    assert settings.target_version == "tf1"
    assert settings.output_format == "json"
    assert settings.cache_dir == project / "cache" / "here"
    assert settings.force_exclude is True
    assert "TSL006" not in settings.enabled and "TSL004" in settings.enabled
    assert [g.pattern for g in settings.exclude] == ["tests", "*_pb2.py"]  # `exclude` replaced the defaults
    assert [(g.pattern, codes) for g, codes in settings.per_file_ignores] == [("__init__.py", ("TSL001",)),
                                                                             ("conftest.py", ("TSL002",))]


def test_defaults_without_a_file(tmp_path):
    settings = resolve(Options(), cwd=tmp_path, isolated=True)
    assert settings.config_file is None and settings.root == tmp_path
    assert settings.target_version == "tf2" and settings.output_format == "concise"
    assert settings.cache_dir == tmp_path / ".tfshapelint_cache"
    assert settings.enabled == frozenset(known_codes())
    assert ".venv" in {g.pattern for g in settings.exclude}


def test_output_format_from_the_file_and_overridden(project):
    pyproject(project, 'output-format = "github"\n')
    result = CliRunner().invoke(main, [str(project / "pkg")])
    assert result.stdout.startswith("::error title=tfshapelint")
    result = CliRunner().invoke(main, ["--output-format", "concise", str(project / "pkg")])
    assert result.stdout.startswith(str(project / "pkg" / "model.py"))


def test_target_version_on_the_command_line(project):
    assert resolve(Options(target_version="tf1"), cwd=project, isolated=True).target_version == "tf1"
    result = CliRunner().invoke(main, ["--target-version", "tf3", str(project)])
    assert result.exit_code == 2


def test_explicit_config_and_isolated(project, tmp_path_factory):
    pyproject(project, 'ignore = ["TSL004"]\n')
    other = pyproject(tmp_path_factory.mktemp("other"), 'ignore = ["TSL006"]\n')
    assert lint("pkg", cwd=project)[1] == [("pkg/model.py", "TSL006")]
    assert lint("--config", other, "pkg", cwd=project)[1] == [("pkg/model.py", "TSL004")]
    assert lint("--isolated", "pkg", cwd=project)[1] == [("pkg/model.py", "TSL004"), ("pkg/model.py", "TSL006")]
    code, _, err = lint("--isolated", "--config", other, "pkg", cwd=project)
    assert code == 2 and "--config and --isolated" in err
    code, _, err = lint("--config", "missing.toml", "pkg", cwd=project)
    assert code == 2 and "missing.toml" in err
    write(project / "plain.toml", "[tool.other]\nx = 1\n")
    code, _, err = lint("--config", "plain.toml", "pkg", cwd=project)
    assert code == 2 and "plain.toml: a [tool] table: in a file not named pyproject.toml" in err
    write(project / "sub" / "pyproject.toml", "[tool.other]\nx = 1\n")
    code, _, err = lint("--config", "sub/pyproject.toml", "pkg", cwd=project)
    assert code == 2 and "no [tool.tfshapelint] table" in err


# --- bad configuration: a clear error naming the key and the file, exit 2 ----------------------

@pytest.mark.parametrize("body, expected", [
    ('selectt = ["TSL001"]\n', ["unknown key 'selectt'", "did you mean 'select'"]),
    ('extend_select = ["TSL001"]\n', ["unknown key 'extend_select'", "did you mean 'extend-select'"]),
    ('select = "TSL001"\n', ["select", "expected a list of strings, got a string"]),
    ('ignore = [1]\n', ["ignore", "expected a list of strings"]),
    ('select = ["TSL8"]\n', ["select", "unknown rule selector 'TSL8'"]),
    ('select = ["E501"]\n', ["unknown rule selector 'E501'"]),
    ('per-file-ignores = {"tests/*" = ["XYZ1"]}\n', ["per-file-ignores", "unknown rule selector 'XYZ1'"]),
    ('per-file-ignores = ["tests/*"]\n', ["per-file-ignores", "expected a table"]),
    ('exclude = ["build/[abc"]\n', ["exclude", "bad glob 'build/[abc'", "unclosed"]),
    ('per-file-ignores = {"[x" = ["TSL001"]}\n', ["per-file-ignores", "bad glob '[x'"]),
    ('target-version = "tf3"\n', ["target-version", "'tf1', 'tf2'", "'tf3'"]),
    ('output-format = "xml"\n', ["output-format", "'xml'"]),
    ('cache-dir = 3\n', ["cache-dir", "expected a path"]),
    ('force-exclude = "yes"\n', ["force-exclude", "expected true or false"]),
    ('select = [\n', ["invalid TOML"]),
])
def test_bad_configuration_is_a_clear_error(project, body, expected):
    config = pyproject(project, body)
    code, found, err = lint("pkg", cwd=project)
    assert code == 2, err
    assert found == []
    assert err.startswith("tfshapelint: error: ")
    assert str(config) in err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err


def test_section_that_is_not_a_table(project):
    write(project / "pyproject.toml", '[tool]\ntfshapelint = 3\n')
    code, _, err = lint("pkg", cwd=project)
    assert code == 2 and "expected a table" in err


@pytest.mark.parametrize("args, expected", [
    (["--select", "TSL8"], "--select: unknown rule selector 'TSL8'"),
    (["--ignore", "E501"], "--ignore: unknown rule selector 'E501'"),
    (["--extend-exclude", "a[b"], "--extend-exclude: bad glob 'a[b'"),
    (["--per-file-ignores", "TSL001"], "--per-file-ignores: expected PATTERN:CODE"),
    (["--per-file-ignores", "tests/*:NOPE1"], "--per-file-ignores: unknown rule selector 'NOPE1'"),
])
def test_bad_command_line_options(project, args, expected):
    code, _, err = lint(*args, "pkg", cwd=project)
    assert code == 2
    assert expected in err


# --- excludes and per-file ignores -------------------------------------------------------------

def test_default_excludes_and_exclude_replacing_them(project):
    write(project / "build" / "gen.py", BAD)
    assert {path for path, _ in lint(".", cwd=project)[1]} == {"pkg/model.py", "tests/test_model.py"}
    assert {path for path, _ in lint("--exclude", "tests", ".", cwd=project)[1]} == {"pkg/model.py", "build/gen.py"}
    assert {path for path, _ in lint("--extend-exclude", "tests/test_*.py", ".", cwd=project)[1]} == {"pkg/model.py"}


def test_exclude_globs_match_names_and_anchored_paths(tmp_path):
    glob = Glob("tests/*.py", tmp_path)
    assert glob.matches(str(tmp_path / "tests" / "a.py"))
    assert not glob.matches(str(tmp_path / "src" / "tests" / "a.py"))
    assert Glob("**/tests/*.py", tmp_path).matches(str(tmp_path / "src" / "tests" / "a.py"))
    assert Glob("*_pb2.py", tmp_path).matches(str(tmp_path / "deep" / "x_pb2.py"))
    assert Glob("m[0-9].py", tmp_path).matches("/anywhere/m7.py")
    assert not Glob("m[!0-9].py", tmp_path).matches("/anywhere/m7.py")
    assert Glob("data?", tmp_path).matches(str(tmp_path / "data1"))


def test_per_file_ignores_in_the_file_and_on_the_command_line(project):
    pyproject(project, 'per-file-ignores = {"tests/*" = ["TSL004", "TSL006"]}\n')
    assert {p for p, _ in lint(".", cwd=project)[1]} == {"pkg/model.py"}
    # --per-file-ignores replaces the file's table; codes may follow the first one after commas.
    assert lint("--per-file-ignores", "model.py:TSL004,TSL006", ".", cwd=project)[1] == [
        ("tests/test_model.py", "TSL004"), ("tests/test_model.py", "TSL006")]
    assert lint("--extend-per-file-ignores", "model.py:TSL0", ".", cwd=project)[1] == []


def test_per_file_ignores_do_not_hide_diagnostics_unless_named(project):
    write(project / "tests" / "broken.py", "import tensorflow as tf\ndef broken(:\n")
    pyproject(project, 'per-file-ignores = {"tests/*" = ["ALL"]}\n')
    assert lint("tests", cwd=project)[1] == [("tests/broken.py", "TSL901")]
    pyproject(project, 'per-file-ignores = {"tests/*" = ["ALL", "TSL901"]}\n')
    assert lint("tests", cwd=project)[1] == []


def test_force_exclude_applies_to_named_files_and_their_folders(project):
    write(project / "build" / "gen.py", BAD)
    pyproject(project, 'extend-exclude = ["pkg/model.py"]\n')
    assert lint("build/gen.py", "pkg/model.py", cwd=project)[0] == 1  # named: linted
    code, found, err = lint("--force-exclude", "build/gen.py", "pkg/model.py", "tests/test_model.py", cwd=project)
    assert {path for path, _ in found} == {"tests/test_model.py"}
    assert "1 file checked" in err
    pyproject(project, 'extend-exclude = ["pkg/model.py"]\nforce-exclude = true\n')
    assert lint("pkg/model.py", cwd=project)[:2] == (0, [])
    assert lint("--no-force-exclude", "pkg/model.py", cwd=project)[0] == 1


def test_force_exclude_ignores_folders_above_the_project_root(tmp_path):
    # A project living under a folder named like an exclude (`build`) is not excluded as a whole.
    root = tmp_path / "build" / "proj"
    pyproject(root, "")
    write(root / "m.py", BAD)
    assert lint("--force-exclude", "m.py", cwd=root)[0] == 1
    assert [str(p) for p in discover([str(root / "m.py")], resolve(Options(), cwd=root), force_exclude=True)]


def test_stdin_filename_honours_per_file_ignores_and_force_exclude(project):
    pyproject(project, 'per-file-ignores = {"tests/*" = ["TSL004"]}\nextend-exclude = ["generated"]\n')
    code, found, _ = lint("-", "--stdin-filename", "tests/test_x.py", cwd=project, stdin=BAD)
    assert found == [("tests/test_x.py", "TSL006")]
    code, found, _ = lint("-", "--stdin-filename", "pkg/x.py", cwd=project, stdin=BAD)
    assert [c for _, c in found] == ["TSL004", "TSL006"]
    # Like a named file: excluded only with --force-exclude (as editors integrations pass it).
    assert lint("-", "--stdin-filename", "generated/x.py", cwd=project, stdin=BAD)[0] == 1
    code, found, err = lint("-", "--force-exclude", "--stdin-filename", "generated/x.py", cwd=project, stdin=BAD)
    assert (code, found) == (0, []) and "0 files checked" in err


def test_stdin_filename_finds_the_configuration_of_its_folder(project, tmp_path_factory):
    pyproject(project, 'ignore = ["TSL004"]\n')
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    code, found, _ = lint("-", "--stdin-filename", project / "pkg" / "x.py", cwd=elsewhere, stdin=BAD)
    assert [c for _, c in found] == ["TSL006"]


def test_missing_path_is_still_a_usage_error(project):
    code, _, err = lint("nope.py", cwd=project)
    assert code == 2 and "no such file or directory: nope.py" in err


def test_config_error_raised_by_resolve(tmp_path):
    pyproject(tmp_path, 'bogus = 1\n')
    with pytest.raises(ConfigError, match="unknown key 'bogus'"):
        resolve(Options(), cwd=tmp_path)
