"""Output formats, ``--output-file``, ``--statistics``, exit codes and the progress line."""

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfshapelint.cli import main
from tfshapelint.findings import Finding
from tfshapelint.notebooks import CellFinding
from tfshapelint.report import FORMATS, github, json_output, sarif, statistics
from tfshapelint.report.full import render as render_full
from tfshapelint.report.meta import RULE_URL, all_rules
from tfshapelint.report.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
BAD = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.matmul(x, tf.zeros([4, 4]))\n"


def finding(**changes) -> Finding:
    values = dict(path="pkg/model.py", line=3, column=5, code="TSL004", name="matmul-shape-mismatch",
                  message="matmul inner dimensions differ: 3 (2x3) vs 4 (4x4)", end_line=3, end_column=37,
                  chain=["Nx784", "reshape [-1, 28, 28, 1]", "Nx28x28x1"], witness_line=7)
    values.update(changes)
    return Finding(**values)


def invoke(*args, cwd=None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, [str(a) for a in args])
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, [str(a) for a in args])
    finally:
        os.chdir(old)


@pytest.fixture
def bad_project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(BAD)
    (tmp_path / "pkg" / "clean.py").write_text("import tensorflow as tf\nx = tf.zeros([2, 3])\n")
    return tmp_path


# --- each format -------------------------------------------------------------------------------

def test_every_documented_format_exists():
    assert set(FORMATS) == {"concise", "full", "json", "json-lines", "github", "sarif"}


def test_concise_and_notebook_location():
    assert FORMATS["concise"]([finding()]) == \
        "pkg/model.py:3:5: TSL004 matmul inner dimensions differ: 3 (2x3) vs 4 (4x4)\n"
    cell = CellFinding(**{**finding().__dict__, "path": "nb.ipynb", "line": 2}, cell=3)
    assert FORMATS["concise"]([cell]).startswith("nb.ipynb:cell 3:2:5: TSL004 ")


def test_full_shows_the_chain_and_the_witness_line_or_cell():
    text = render_full([finding()])
    assert "Nx784 -reshape [-1, 28, 28, 1]-> Nx28x28x1" in text
    assert "TensorFlow goes wrong at line 7" in text
    cell = CellFinding(**{**finding().__dict__, "path": "nb.ipynb", "line": 2, "witness_line": 1},
                       cell=3, witness_cell=4)
    assert "TensorFlow goes wrong at cell 4, line 1" in render_full([cell])


def test_json_has_ruffs_fields_and_ours():
    data = json.loads(FORMATS["json"]([finding()]))
    assert isinstance(data, list) and len(data) == 1
    item = data[0]
    assert set(item) == {"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row",
                         "url", "name", "chain", "witness_line", "witness_cell", "read_as_python2", "reproducer"}
    assert item["code"] == "TSL004" and item["name"] == "matmul-shape-mismatch"
    assert item["location"] == {"row": 3, "column": 5}
    assert item["end_location"] == {"row": 3, "column": 37}
    assert item["filename"] == os.path.abspath("pkg/model.py")
    assert item["fix"] is None and item["cell"] is None
    assert item["url"] == RULE_URL.format(code="TSL004") and item["url"].startswith("https://")
    assert item["chain"] == ["Nx784", "reshape [-1, 28, 28, 1]", "Nx28x28x1"]
    assert item["witness_line"] == 7
    assert item["read_as_python2"] is False
    assert json.loads(FORMATS["json"]([])) == []


def test_json_says_a_finding_comes_from_a_file_read_as_python2():
    item = json_output.to_dict(finding(read_as_python2=True))
    assert item["read_as_python2"] is True


def test_json_url_is_null_for_the_tools_own_diagnostics():
    item = json_output.to_dict(finding(code="TSL901", name="syntax-error"))
    assert item["url"] is None


def test_json_lines_is_one_object_a_line():
    text = FORMATS["json-lines"]([finding(), finding(line=9)])
    lines = text.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["location"]["row"] for line in lines] == [3, 9]
    assert FORMATS["json-lines"]([]) == ""


def test_github_workflow_command():
    assert FORMATS["github"]([finding()]) == (
        "::error title=tfshapelint (TSL004),file=pkg/model.py,line=3,col=5,endLine=3,endColumn=37::"
        "pkg/model.py:3:5: TSL004 matmul inner dimensions differ: 3 (2x3) vs 4 (4x4)\n")


def test_github_escapes_data_and_properties():
    text = github.command(finding(path="a,b:c%.py", message="50% off\r\nnext: line, here"))
    props, _, message = text[len("::error "):].partition("::")
    assert "file=a%2Cb%3Ac%25.py," in props
    assert "\n" not in text and "\r" not in text
    assert message.endswith("50%25 off%0D%0Anext: line, here")  # ':' and ',' stay in the message
    assert github.escape_property("x:y,z") == "x%3Ay%2Cz"


def test_sarif_validates_against_the_official_schema(tmp_path, monkeypatch):
    jsonschema = pytest.importorskip("jsonschema")
    monkeypatch.chdir(tmp_path)
    findings = [finding(), finding(path="sub dir/ü.py", code="TSL901", name="syntax-error", end_line=None,
                                   end_column=None, chain=[]),
                CellFinding(**{**finding().__dict__, "path": "nb.ipynb"}, cell=2),
                CellFinding(**{**finding().__dict__, "path": "nb.ipynb"}, cell=3, file_line=40, file_column=9,
                            file_end_line=40, file_end_column=15)]
    log = json.loads(FORMATS["sarif"](findings))
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, "\n".join(str(e) for e in errors[:3])
    # And the empty run.
    assert not list(validator.iter_errors(json.loads(FORMATS["sarif"]([]))))


def test_sarif_content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log = json.loads(FORMATS["sarif"]([finding(), finding(path=str(tmp_path / "sub dir" / "x.py"))]))
    assert log["version"] == "2.1.0"
    run, = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tfshapelint" and driver["version"] and driver["informationUri"].startswith("https://")
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(info.code for info in all_rules())
    assert {"TSL001", "TSL004", "TSL901", "TSL902"} <= set(ids)
    tsl004 = driver["rules"][ids.index("TSL004")]
    assert tsl004["name"] == "matmul-shape-mismatch"
    assert tsl004["shortDescription"]["text"] and tsl004["fullDescription"]["text"].startswith("Checks")
    assert tsl004["helpUri"] == RULE_URL.format(code="TSL004")
    first, second = run["results"]
    assert first["ruleId"] == "TSL004" and driver["rules"][first["ruleIndex"]]["id"] == "TSL004"
    assert first["level"] == "error"
    assert first["message"]["text"].startswith("matmul inner dimensions differ")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "pkg/model.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 37}
    # An absolute path under the current directory becomes relative, and is percent-encoded.
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "sub%20dir/x.py"


def test_sarif_outside_the_current_directory_is_an_absolute_file_uri(tmp_path, monkeypatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    location = sarif.artifact_location(str(tmp_path / "elsewhere.py"))
    assert location == {"uri": (tmp_path / "elsewhere.py").as_uri()}


# --- through the command line ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["concise", "full", "json", "json-lines", "github", "sarif"])
def test_each_format_from_the_command_line(bad_project, fmt):
    result = invoke("check", "--output-format", fmt, "pkg", cwd=bad_project)
    assert result.exit_code == 1, result.output
    out = result.stdout
    if fmt in ("concise", "full"):
        assert out.startswith("pkg/model.py:3:5: TSL004")
    elif fmt == "json":
        assert json.loads(out)[0]["code"] == "TSL004"
    elif fmt == "json-lines":
        assert json.loads(out.splitlines()[0])["location"] == {"row": 3, "column": 5}
    elif fmt == "github":
        assert out.startswith("::error title=tfshapelint (TSL004),file=pkg/model.py,line=3,col=5,")
    else:
        assert json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "artifactLocation"]["uri"] == "pkg/model.py"


def test_output_file(bad_project):
    result = invoke("--output-format", "json", "--output-file", "out/report.json", "pkg", cwd=bad_project)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads((bad_project / "out" / "report.json").read_text())[0]["code"] == "TSL004"
    assert "Found 1 finding" in result.stderr


def test_statistics(bad_project):
    (bad_project / "pkg" / "more.py").write_text(BAD + BAD.replace("y =", "z ="))
    result = invoke("--statistics", "pkg", cwd=bad_project)
    assert result.exit_code == 1
    assert result.stdout == "3\tTSL004\tmatmul-shape-mismatch\n"
    as_json = invoke("--statistics", "--output-format", "json", "pkg", cwd=bad_project)
    assert json.loads(as_json.stdout) == [{"code": "TSL004", "name": "matmul-shape-mismatch", "count": 3,
                                          "fixable": False}]


def test_statistics_sorts_by_count_then_code():
    rows = statistics.counts([finding(code="TSL006", name="b"), finding(), finding(), finding(code="TSL001", name="a")])
    assert rows == [("TSL004", "matmul-shape-mismatch", 2), ("TSL001", "a", 1), ("TSL006", "b", 1)]


def test_exit_codes(bad_project):
    assert invoke("pkg/clean.py", cwd=bad_project).exit_code == 0
    assert invoke("pkg", cwd=bad_project).exit_code == 1
    assert invoke("--exit-zero", "pkg", cwd=bad_project).exit_code == 0
    assert invoke("--select", "NOPE", "pkg", cwd=bad_project).exit_code == 2


def test_internal_error_in_a_file_exits_2_even_with_exit_zero(bad_project, monkeypatch):
    from tfshapelint.analysis.interpreter import Interpreter

    def boom(self):
        raise ValueError("boom")

    monkeypatch.setattr(Interpreter, "run", boom)
    result = invoke("--exit-zero", "pkg/model.py", cwd=bad_project)
    assert result.exit_code == 2
    assert "TSL902" in result.stdout and "boom" in result.stdout


def test_crash_of_the_tool_outside_a_file_exits_2_with_a_message(bad_project, monkeypatch):
    def boom(findings):
        raise RuntimeError("renderer broke")

    monkeypatch.setitem(FORMATS, "concise", boom)
    result = invoke("pkg", cwd=bad_project)
    assert result.exit_code == 2
    assert "tfshapelint: error: internal error: RuntimeError: renderer broke" in result.stderr


# --- progress ----------------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_for_many_files():
    stream = Terminal()
    progress = Progress(60, stream=stream)
    for _ in range(60):
        progress.advance()
    progress.finish()
    text = stream.getvalue()
    assert "Checked 1/60 files" in text and "Checked 60/60 files" in text
    assert text.endswith("\r\x1b[K")  # the line is erased at the end


def test_progress_is_silent_when_not_a_terminal_or_few_files():
    for stream, total in ((io.StringIO(), 500), (Terminal(), 3)):
        progress = Progress(total, stream=stream)
        for _ in range(total):
            progress.advance()
        progress.finish()
        assert stream.getvalue() == ""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_reaches_a_real_terminal_and_not_a_pipe(tmp_path):
    import pty

    for index in range(60):
        (tmp_path / f"m{index:02}.py").write_text("import tensorflow as tf\nx = tf.zeros([2, 3])\n")
    code = "import sys; from tfshapelint.cli import main; sys.argv = ['tfshapelint', sys.argv[1]]; main()"
    primary, secondary = pty.openpty()
    captured = bytearray()

    def drain():  # read while the child writes, so a full pty buffer never blocks it
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the child closed its end
                return
            if not chunk:
                return
            captured.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                                stderr=secondary, timeout=120)
    finally:
        os.close(secondary)
        reader.join(timeout=10)
        os.close(primary)
    assert result.returncode == 0
    assert b"Checked 60/60 files" in captured
    piped = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert "Checked" not in piped.stderr and "All checks passed" in piped.stderr
