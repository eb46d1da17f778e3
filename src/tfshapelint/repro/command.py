"""``tfshapelint repro PATH[:LINE] [--run]``: print (and run) the reproducer of each finding.

Without ``--run`` the reproducers are printed, each after its finding as a comment: one program per
finding, to paste or save. ``--run`` runs them with TensorFlow in another Python process and prints,
under each finding, what TensorFlow did. On a LINE without a finding, the calls on that line are
reproduced instead ("the same steps": they should run clean).
"""

from __future__ import annotations

import os
import sys
from typing import Optional

import click

EXIT_OK, EXIT_NOT_REPRODUCED, EXIT_ERROR = 0, 1, 2
REPORT = ("this is a bug of tfshapelint (the finding, or its reproducer): please report it with the file "
          "and the reproducer below")


def split_target(target: str) -> tuple:
    """``models/cnn.py:49`` -> ``("models/cnn.py", 49)``; a path alone -> ``(path, None)``."""
    path, _, line = target.rpartition(":")
    if path and line.isdigit() and not os.path.exists(target):
        return path, int(line)
    return target, None


@click.command("repro")
@click.argument("target", metavar="PATH[:LINE]")
@click.option("--run", "run_them", is_flag=True,
              help="Run each reproducer with TensorFlow (in another process) and print what it did.")
@click.option("--python", "python", default=None, metavar="PATH",
              help="The Python that runs the reproducers (default: this one); it needs TensorFlow.")
@click.option("--timeout", type=click.IntRange(min=1), default=60, show_default=True,
              help="Seconds each reproducer may run.")
def repro(target: str, run_them: bool, python: Optional[str], timeout: int) -> None:
    """Print a short TensorFlow program that reproduces each finding of PATH (or the one on LINE; on a
    LINE without a finding, one that replays the calls there)."""
    from ..cli import settings_setup
    from ..config import ConfigError, Options, resolve
    from ..files import read_source
    from ..findings import Finding
    from ..pool import lint_text

    path, line = split_target(target)
    if not os.path.isfile(path):
        _fail(f"{path}: no such file")
    text = read_source(path)
    if isinstance(text, Finding):
        _fail(text.message)
    try:
        settings = resolve(Options(), paths=[path])
    except ConfigError as error:
        _fail(str(error))
    setup = settings_setup(settings)
    findings = [f for f in lint_text(text, path, setup) if not f.code.startswith("TSL9")]
    if line is not None:
        findings = [f for f in findings if line in (f.line, f.witness_line)]
    items = [(finding, finding.reproducer) for finding in findings]
    if line is not None and not findings:
        from .steps import same_steps

        items = [(None, program) for program in same_steps(text, path, line, target_version=setup.target_version)]
        if not items:
            _fail(f"{path}:{line}: no finding, and no TensorFlow call that can be replayed, on this line",
                  EXIT_NOT_REPRODUCED)
    if not items:
        click.echo(f"No findings in {path}.", err=True)
        sys.exit(EXIT_OK)
    if run_them:
        sys.exit(_run(items, python, timeout))
    blocks = []
    for finding, program in items:
        head = f"# {_concise(finding)}\n" if finding is not None else ""
        blocks.append(head + (program or f"# no reproducer: {NO_PROGRAM}\n"))
    click.echo("\n".join(blocks), nl=False)


NO_PROGRAM = "the computation that fails could not be written without running the program's own code"


def _run(items: list, python: Optional[str], timeout: int) -> int:
    from .run import run_programs

    programs = [program for _, program in items if program]
    click.echo(f"Running {len(programs)} reproducer{'s' if len(programs) != 1 else ''} with "
               f"{python or sys.executable}...", err=True)
    version, why, outcomes = run_programs(programs, python, timeout) if programs else ("", "", [])
    if version is None:
        _fail(f"cannot run the reproducers: {why} (--python names a Python with TensorFlow)")
    results = iter(outcomes)
    status = EXIT_OK
    for finding, program in items:
        if finding is not None:
            click.echo(_concise(finding))
        if not program:
            click.echo(f"  no reproducer: {NO_PROGRAM}")
            continue
        outcome = next(results)
        said = f"{outcome.type}: {outcome.message}" if outcome.outcome == "raised" else outcome.outcome
        if finding is None:
            state = "ran clean" if outcome.outcome == "clean" else f"ended: {said}"
            click.echo(f"  the same steps {state} (TensorFlow {version})")
            click.echo(_indented(program))
        elif outcome.confirms(program):
            click.echo(f"  confirmed by TensorFlow {version}: {said}")
        else:
            status = EXIT_NOT_REPRODUCED
            ended = "the reproducer ran without error" if outcome.outcome == "clean" else f"the reproducer ended: {said}"
            click.echo(f"  not reproduced by TensorFlow {version}: {ended}; {REPORT}")
            click.echo(_indented(program))
    return status


def _concise(finding) -> str:
    from ..report.concise import line

    return line(finding)


def _indented(program: str) -> str:
    return "".join(f"    {text}\n" if text else "\n" for text in program.splitlines())


def _fail(message: str, status: int = EXIT_ERROR) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)
