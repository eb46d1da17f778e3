"""Configuration from tfshapelint.toml and .tfshapelint.toml (keys at the top level, as ruff.toml),
and ``check --show-settings``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tfshapelint.config import ConfigError, Options, find_config, resolve

EXE = shutil.which("tfshapelint", path=str(Path(sys.executable).parent)) or "tfshapelint"
BAD = "import tensorflow as tf\ny = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))\n"


def tfshapelint(*args, cwd):
    return subprocess.run([EXE, "--no-cache", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.mark.parametrize("name", ["tfshapelint.toml", ".tfshapelint.toml"])
def test_a_dedicated_file_holds_the_keys_at_its_top_level(tmp_path, name):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "net.py").write_text(BAD)
    (tmp_path / name).write_text('ignore = ["TSL004"]\n')
    assert find_config(tmp_path / "pkg") == tmp_path / name
    settings = resolve(Options(), paths=[str(tmp_path / "pkg")], cwd=tmp_path)
    assert "TSL004" not in settings.enabled and settings.root == tmp_path
    result = tfshapelint("pkg", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_the_order_in_a_folder_and_the_nearest_folder_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.tfshapelint]\nignore = ["TSL001"]\n')
    (tmp_path / "tfshapelint.toml").write_text('ignore = ["TSL002"]\n')
    assert find_config(tmp_path) == tmp_path / "tfshapelint.toml"
    (tmp_path / ".tfshapelint.toml").write_text("")  # an empty dedicated file counts
    assert find_config(tmp_path) == tmp_path / ".tfshapelint.toml"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no table: skipped
    assert find_config(tmp_path / "sub") == tmp_path / ".tfshapelint.toml"
    (tmp_path / "sub" / "pyproject.toml").write_text('[tool.tfshapelint]\n')
    assert find_config(tmp_path / "sub") == tmp_path / "sub" / "pyproject.toml"


def test_errors_name_the_dedicated_file_and_config_names_it(tmp_path):
    (tmp_path / "tfshapelint.toml").write_text('selectt = ["TSL001"]\n')
    with pytest.raises(ConfigError, match=r"tfshapelint.toml: unknown key 'selectt' \(did you mean 'select'\?\)"):
        resolve(Options(), cwd=tmp_path)
    (tmp_path / "other.toml").write_text('output-format = "json"\n')
    assert resolve(Options(), config="other.toml", cwd=tmp_path).output_format == "json"
    (tmp_path / "tool.toml").write_text('[tool.tfshapelint]\noutput-format = "json"\n')
    with pytest.raises(ConfigError, match=r"tool.toml: a \[tool\] table"):
        resolve(Options(), config="tool.toml", cwd=tmp_path)


def test_show_settings_says_where_each_setting_came_from(tmp_path):
    (tmp_path / "net.py").write_text(BAD)
    (tmp_path / "tfshapelint.toml").write_text('ignore = ["TSL006"]\nrespect-gitignore = false\n'
                                               'extend-exclude = ["gen"]\n')
    result = tfshapelint("--show-settings", "--output-format", "full", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    lines = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if not line.startswith("#"))
    config = str(tmp_path / "tfshapelint.toml")
    assert result.stdout.splitlines()[0] == f"# configuration file: {config}"
    assert lines["output-format"] == '"full"  # command line'
    assert lines["respect-gitignore"] == f"false  # {config}"
    assert lines["force-exclude"] == "false  # default"
    assert lines["enabled"].endswith(f"  # {config}") and '"TSL006"' not in lines["enabled"]
    assert lines["exclude"].endswith(f'"gen"]  # default + extend-exclude in {config}')
    assert lines["target-version"] == '"tf2"  # the default: no TensorFlow requirement in ' + str(tmp_path)
    assert "net.py" not in result.stdout  # nothing was linted


def test_show_settings_without_a_file(tmp_path):
    result = tfshapelint("--isolated", "--show-settings", "--select", "TSL004", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == "# configuration file: none"
    assert 'enabled = ["TSL004", "TSL901", "TSL902", "TSL903", "TSL904"]  # command line' in result.stdout


def test_the_readme_configuration_block_is_the_defaults(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration\n"):]
    block = section[section.index("```toml\n") + len("```toml\n"):]
    block = block[:block.index("```\n")]
    assert block.startswith("[tool.tfshapelint]\n")
    (tmp_path / "pyproject.toml").write_text(block)
    configured = resolve(Options(), cwd=tmp_path)
    default = resolve(Options(), isolated=True, cwd=tmp_path)
    assert configured.config_file == tmp_path / "pyproject.toml"
    for name in ("enabled", "per_file_ignores", "target_version", "output_format", "cache_dir", "force_exclude",
                 "respect_gitignore", "src"):
        assert getattr(configured, name) == getattr(default, name), name
    assert [g.pattern for g in configured.exclude] == [g.pattern for g in default.exclude]
    keys = {line.split("=")[0].strip("# ").strip() for line in block.splitlines()[1:]
            if "=" in line.split("#")[0] or line.startswith("# exclude") or line.startswith("# target-version")}
    from tfshapelint.config import KEYS

    assert keys == set(KEYS)  # every key is shown
