"""Command line: ``tfshapelint [check] PATH...``, ``tfshapelint rule CODE``."""

from __future__ import annotations

import sys

import click

from . import __version__, diagnostics
from .files import decode_source, discover, read_source
from .findings import Finding
from .linter import lint_source
from .report import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultToCheck(click.Group):
    """``tfshapelint models/`` means ``tfshapelint check models/`` (as with ruff's old CLI)."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tfshapelint")
def main() -> None:
    """Static shape checking for TensorFlow code: finds shape bugs before the code runs."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default="concise", show_default=True,
              help="How findings are printed.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stdin-filename", default=None, help="The path to report for source read from stdin ('-').")
def check(paths: tuple, output_format: str, exit_zero: bool, stdin_filename: str | None) -> None:
    """Lint files and folders (recursively, *.py); '-' reads stdin."""
    findings: list[Finding] = []
    files = 0
    try:
        for source_path, text in _sources(list(paths), stdin_filename):
            files += 1
            findings.extend([text] if isinstance(text, Finding) else lint_source(text, source_path))
    except FileNotFoundError as error:
        click.echo(f"tfshapelint: error: no such file or directory: {error.args[0]}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(FORMATS[output_format](findings), nl=False)
    _summary(findings, files)
    if any(f.code == diagnostics.INTERNAL_ERROR[0] for f in findings):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if findings and not exit_zero else EXIT_CLEAN)


def _sources(paths: list[str], stdin_filename: str | None):
    for raw in paths:
        if raw == "-":
            name = stdin_filename or "-"
            yield name, decode_source(sys.stdin.buffer.read(), name)
            continue
        for path in discover([raw]):
            yield path, read_source(path)


def _summary(findings: list[Finding], files: int) -> None:
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not findings:
        click.echo(f"All checks passed! ({checked})", err=True)
    else:
        count = len(findings)
        click.echo(f"Found {count} finding{'s' if count != 1 else ''} ({checked}).", err=True)


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's page.")
def rule(code: str | None, show_all: bool) -> None:
    """Print a rule's page: what it checks, why, an example and the fix."""
    from .rules import BY_CODE, RULES

    if show_all:
        click.echo("\n\n".join(r.page() for r in RULES))
        return
    if code is None:
        for r in RULES:
            click.echo(f"{r.code}  {r.name:<28} {r.summary}")
        return
    found = BY_CODE.get(code.upper())
    if found is None:
        click.echo(f"tfshapelint: error: unknown rule {code!r}; `tfshapelint rule` lists them", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(found.page())
