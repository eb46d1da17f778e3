"""Run one fixture with real TensorFlow and report, as JSON on the last stdout line, what happened.

Usage: ``python runner.py FIXTURE.py`` runs one fixture, ``python runner.py PROJECT/`` one project
fixture (a folder whose entry point is ``main.py``). ``python runner.py --serve [TIMEOUT]``
imports TensorFlow once, then reads fixture paths from stdin, runs each in a child forked from
itself (a fresh copy of an interpreter that has only imported TensorFlow; killed after TIMEOUT
seconds) and writes one report line per path: the import, which is most of a small fixture's
run time, is paid once per server instead of once per fixture.

The report line starts with ``RESULT_PREFIX`` and holds:

- ``raised``: whether the fixture raised; ``type`` (``module.QualName``), ``mro`` (the same for every
  class of the exception) and ``message`` (truncated);
- ``tb_line``: the innermost traceback frame in the fixture file;
- ``defined_at_lines``: the fixture lines named in a graph execution error's
  ``defined at (most recent call last)`` / ``Original stack trace for`` sections;
- for a project, ``tb_site`` and ``defined_at_sites`` say the same as ``FILE:LINE`` strings (FILE
  relative to the project folder), for frames in any file of the project;
- for a fixture with a ``# tf-shape:`` marker: ``shape``, the runtime shape of the value assigned on
  that line (``None`` for an unknown size), captured with ``sys.settrace`` right after the line ran.
  A graph-mode tensor whose static shape is not fully known is fetched along with the first
  ``Session.run`` of its graph that comes after it, to get its runtime shape.

A fixture marked ``# python2`` on its first line runs as its Python 3 translation (see
python2_fixtures.py), compiled under its own path: its lines are the fixture's.

This file never imports TensorFlow itself, except to peek at a captured graph tensor.
"""

from __future__ import annotations

import ast
import json
import os
import re
import runpy
import select
import signal
import sys
import tempfile
import time
import tokenize
import traceback

from python2_fixtures import is_python2, run_python2, runnable_text

RESULT_PREFIX = "@@tfshapelint-confirm@@ "
SHAPE_MARKER = re.compile(r"tf-shape:\s*([0-9?]+(?:x[0-9?]+)*)")
FILE_LINE = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)')
SECTION_START = re.compile(r"defined at \(most recent call last\):|Original stack trace for ")


def shape_marker_line(path: str):
    lines = iter(runnable_text(path).splitlines(keepends=True))
    for token in tokenize.generate_tokens(lambda: next(lines, "")):
        if token.type == tokenize.COMMENT and SHAPE_MARKER.search(token.string):
            return token.start[0]
    return None


def assignment_at(path: str, line: int):
    """(first line, last line, target name) of the assignment statement holding ``line``."""
    tree = ast.parse(runnable_text(path), path)
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.lineno <= line <= node.end_lineno:
            if best is None or node.lineno > best.lineno:
                best = node
    if best is None:
        raise SystemExit(f"runner: no assignment on line {line} of {path}")
    target = best.targets[-1] if isinstance(best, ast.Assign) else best.target
    if not isinstance(target, ast.Name):
        raise SystemExit(f"runner: the assignment on line {line} of {path} has no plain name target")
    return best.lineno, best.end_lineno, target.id


class ShapeProbe:
    """Captures the value bound to ``name`` right after the statement on lines first..last runs."""

    def __init__(self, path: str, first: int, last: int, name: str):
        self.path, self.first, self.last, self.name = path, first, last, name
        self.armed = None  # the frame executing the statement
        self.captured = False
        self.shape = None
        self.static_shape = None
        self.pending = None  # a graph tensor waiting for a Session.run

    def global_trace(self, frame, event, arg):
        if self.captured or frame.f_code.co_filename != self.path:
            return None
        return self.local_trace

    def local_trace(self, frame, event, arg):
        if self.captured:
            return None
        if self.armed is frame:
            if event == "return" or (event == "line" and not self.first <= frame.f_lineno <= self.last):
                self.capture(frame)
                return None
            if event == "exception":
                self.armed = None
        if event == "line" and frame.f_lineno == self.first and self.armed is None:
            self.armed = frame
        return self.local_trace

    def capture(self, frame):
        self.captured = True
        self.armed = None
        sys.settrace(None)
        value = frame.f_locals.get(self.name)
        self.static_shape = shape_of(value)
        if self.static_shape is not None and None not in self.static_shape:
            self.shape = self.static_shape
        elif hasattr(value, "graph") and hasattr(value, "op"):
            self.pending = value
            self.hook_session()

    def hook_session(self):
        from tensorflow.python.client import session as session_lib  # already imported by the fixture

        probe, original = self, session_lib.BaseSession.run

        def run(sess, fetches, feed_dict=None, options=None, run_metadata=None):
            tensor = probe.pending
            if tensor is not None and tensor.graph is sess.graph and fed(tensor, feed_dict):
                try:
                    result, value = original(sess, (fetches, tensor), feed_dict, options, run_metadata)
                except Exception:  # noqa: BLE001 - the extra fetch must not change the fixture's fate
                    pass
                else:
                    probe.pending = None
                    probe.shape = [int(d) for d in getattr(value, "shape", ())]
                    return result
            return original(sess, fetches, feed_dict, options, run_metadata)

        session_lib.BaseSession.run = run


def fed(tensor, feed_dict) -> bool:
    """Whether every placeholder ``tensor`` depends on is fed by ``feed_dict``."""
    fed_names = {getattr(key, "name", key) for key in (feed_dict or {})}
    seen, todo = set(), [tensor.op]
    while todo:
        op = todo.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        if op.type == "Placeholder" and op.outputs[0].name not in fed_names:
            return False
        todo.extend(t.op for t in op.inputs)
        todo.extend(op.control_inputs)
    return True


def shape_of(value):
    shape = getattr(value, "shape", None)
    if shape is None:
        return None
    try:
        dims = shape.as_list() if hasattr(shape, "as_list") else list(shape)
    except ValueError:  # unknown rank
        return None
    return [None if d is None else int(d) for d in dims]


def real_file(name: str):
    """The real path of a frame's file; None for a pseudo-file such as ``<frozen runpy>``."""
    return os.path.realpath(name) if os.path.isfile(name) else None


def frames_in_sections(message: str, owned) -> list[tuple[str, int]]:
    """(real path, line) of the frames in files ``owned(real path)`` accepts, in the message's
    "defined at" / "Original stack trace" sections."""
    frames, inside = [], False
    for text in message.splitlines():
        if SECTION_START.search(text):
            inside = True
            continue
        match = FILE_LINE.match(text)
        if inside and match:
            where = real_file(match["path"])
            if where and owned(where):
                frames.append((where, int(match["line"])))
        else:
            inside = False
    return frames


def qualname(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def record_error(report: dict, error: BaseException, owned) -> list[tuple[str, int]]:
    """Fill ``report`` with what ``error`` is; the (real path, line) frames in files ``owned`` accepts:
    the innermost traceback frame first, then those of the message's "defined at" sections."""
    report["raised"] = True
    report["type"] = qualname(type(error))
    report["mro"] = [qualname(cls) for cls in type(error).__mro__]
    message = str(error)
    report["message"] = message[:6000]
    report["traceback"] = "".join(traceback.format_exception(error))[-4000:]
    frames = [(real_file(frame.filename), frame.lineno) for frame in traceback.extract_tb(error.__traceback__)]
    frames = [frame for frame in frames if frame[0] and owned(frame[0])]
    return [frames[-1] if frames else None, *frames_in_sections(message, owned)]


def run_one(path: str) -> dict:
    """Run the fixture (a file, or a project folder) at ``path`` in this process; the report."""
    path = os.path.realpath(path)
    if os.path.isdir(path):
        return run_project(path)
    report = {"fixture": path, "raised": False, "type": None, "mro": [], "message": None,
              "tb_line": None, "defined_at_lines": [], "shape": None, "static_shape": None}
    probe = None
    line = shape_marker_line(path)
    if line is not None:
        probe = ShapeProbe(path, *assignment_at(path, line))
    sys.path.insert(0, os.path.dirname(path))
    sys.argv = [path]  # fixtures that parse flags see only their own name
    start = time.monotonic()
    try:
        if probe is not None:
            sys.settrace(probe.global_trace)
        if is_python2(path):
            run_python2(path)
        else:
            runpy.run_path(path, run_name="__main__")
    except BaseException as error:  # noqa: BLE001 - reporting it is the point
        sys.settrace(None)
        if isinstance(error, SystemExit) and error.code in (None, 0):
            pass
        else:
            innermost, *defined_at = record_error(report, error, lambda where: where == path)
            report["tb_line"] = innermost[1] if innermost else None
            report["defined_at_lines"] = [line for _, line in defined_at]
    finally:
        sys.settrace(None)
    report["elapsed"] = round(time.monotonic() - start, 2)
    if probe is not None:
        report["shape_line"] = line
        report["captured"] = probe.captured
        report["shape"] = probe.shape
        report["static_shape"] = probe.static_shape
    return report


def project_module_names(root: str) -> set[str]:
    """The top-level module names the project at ``root`` can provide: its files and folders, and
    those of its ``[tool.tfshapelint] src`` folders (which its main.py puts on sys.path itself)."""
    bases = [root]
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.exists(pyproject):
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib

        with open(pyproject, "rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("tfshapelint", {})
        bases += [os.path.join(root, folder) for folder in table.get("src", [])]
    names = set()
    for base in bases:
        for entry in os.listdir(base):
            stem, ext = os.path.splitext(entry)
            if ext == ".py" or os.path.isdir(os.path.join(base, entry)):
                names.add(stem)
    return names


def run_project(root: str) -> dict:
    """Run ``root``/main.py as ``python main.py`` from ``root`` would: ``root`` is the working folder
    and sys.path[0], and no module the project provides is already imported."""
    main = os.path.join(root, "main.py")
    report = {"fixture": root, "raised": False, "type": None, "mro": [], "message": None,
              "tb_site": None, "defined_at_sites": []}
    # The runner has imported TensorFlow and what it needs: a project module named like one of those
    # (`code.py`, say) must still be what main.py's own import finds.
    names = project_module_names(root)
    for name in [name for name in sys.modules if name.partition(".")[0] in names]:
        del sys.modules[name]
    sys.path[0] = root  # replaces the runner's own folder, as `python main.py` would have it
    sys.argv = [main]  # no command-line flags: argparse defaults apply
    sys.dont_write_bytecode = True  # no __pycache__ in the fixtures when run by hand
    os.chdir(root)
    start = time.monotonic()
    try:
        runpy.run_path(main, run_name="__main__")
    except BaseException as error:  # noqa: BLE001 - reporting it is the point
        if not (isinstance(error, SystemExit) and error.code in (None, 0)):
            frames = record_error(report, error, lambda where: where.startswith(root + os.sep))
            sites = [f"{os.path.relpath(frame[0], root)}:{frame[1]}" if frame else None for frame in frames]
            report["tb_site"], report["defined_at_sites"] = sites[0], sites[1:]
    report["elapsed"] = round(time.monotonic() - start, 2)
    return report


def run_forked(path: str, timeout: float) -> dict:
    """Run one fixture in a child forked from this (TensorFlow already imported) process.

    The child's stdout/stderr go to a scratch file (its tail is reported when the child dies
    without a report); the report comes back through a pipe.
    """
    path = os.path.realpath(path)
    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as log:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                if not os.path.isdir(path):  # a project chdirs into its folder itself
                    os.chdir(os.path.dirname(path))
                data = json.dumps(run_one(path))
            except BaseException as error:  # noqa: BLE001
                data = json.dumps({"error": f"the runner failed: {error!r}"})
            sys.stdout.flush()
            sys.stderr.flush()
            with os.fdopen(write_end, "w") as out:
                out.write(data)
            os._exit(0)  # skip TensorFlow's slow interpreter teardown
        os.close(write_end)
        chunks, deadline, timed_out = [], time.monotonic() + timeout, False
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    os.kill(pid, signal.SIGKILL)
                    break
                ready, _, _ = select.select([pipe], [], [], remaining)
                if ready:
                    chunk = os.read(pipe.fileno(), 1 << 16)
                    if not chunk:
                        break
                    chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if timed_out:
        return {"error": f"timed out after {timeout:g} s", "stderr": output[-3000:]}
    if not chunks:
        return {"error": f"the fixture's process died without a report (wait status {status})",
                "stderr": output[-3000:]}
    return json.loads(b"".join(chunks))


def serve(timeout: float) -> None:
    """Import TensorFlow once, then run each fixture path read from stdin in a forked child;
    one report line per path on stdout."""
    import tensorflow  # noqa: F401 - the point: children start with it imported
    try:
        import tf_keras  # noqa: F401
    except ImportError:
        pass
    out = sys.stdout
    for line in sys.stdin:
        path = line.strip()
        if path:
            report = run_forked(path, timeout)
            out.write(RESULT_PREFIX + json.dumps(report) + "\n")
            out.flush()


def main() -> None:
    # Run by hand (``python runner.py FIXTURE.py``), a fixture gets the suite's environment too:
    # legacy Keras and TensorFlow's reference kernels (see confirm_support.TF_ENV for why).
    from confirm_support import TF_ENV

    for name, value in TF_ENV.items():
        os.environ.setdefault(name, value)
    if sys.argv[1:2] == ["--serve"]:
        serve(float(sys.argv[2]) if len(sys.argv) > 2 else 120.0)
        os._exit(0)
    report = run_one(sys.argv[1])
    sys.stdout.flush()
    sys.stdout.write("\n" + RESULT_PREFIX + json.dumps(report) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # skip TensorFlow's slow interpreter teardown


if __name__ == "__main__":
    main()
