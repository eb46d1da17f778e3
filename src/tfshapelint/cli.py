"""Command line: ``tfshapelint [check] PATH...``, ``tfshapelint rule CODE``.

Only the options and the flow live here: settings in config.py, files in files.py,
notebooks in notebooks.py, output in report/.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Optional

import click

from . import __version__, diagnostics
from .config import (ConfigError, Options, Selection, normalize_selector, parse_per_file_ignores, resolve,
                     target_version_setting)
from .files import Source, collect
from .findings import Finding
from .fix import fixable
from .report import FORMATS
from .report.progress import Progress
from .repro.command import repro as repro_command

# Only what every command needs is imported here; the linter, the worker pool, the cache,
# explain, the rules' pages, the language server and each output format are imported when
# used: ``tfshapelint --version`` and a run served from the cache never load the analysis.

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CACHE_DIR_ENV = "TFSHAPELINT_CACHE_DIR"


class DefaultToCheck(click.Group):
    """``tfshapelint models/`` means ``tfshapelint check models/`` (as with ruff's old CLI), and
    ``tfshapelint`` alone ``tfshapelint check .``. Every error, click's usage errors included, is
    printed in one style: ``tfshapelint: error: ...``, exit code 2."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as error:
            hint = ""
            if error.ctx is not None:
                hint = f"\nTry '{error.ctx.command_path} --help' for help."
            click.echo(f"tfshapelint: error: {error.format_message()}{hint}", err=True)
            sys.exit(EXIT_ERROR)
        except click.ClickException as error:
            click.echo(f"tfshapelint: error: {error.format_message()}", err=True)
            sys.exit(EXIT_ERROR)
        except click.Abort:
            click.echo("tfshapelint: error: aborted", err=True)
            sys.exit(EXIT_ERROR)
        if standalone_mode:
            sys.exit(code or 0)
        return code


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tfshapelint")
def main() -> None:
    """Static shape checking for TensorFlow code: finds shape bugs before the code runs."""


def _list_option(name: str, help: str, metavar: str = "CODES"):
    return click.option(name, multiple=True, metavar=metavar, help=help + " Comma-separated, repeatable.")


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default=None,
              help="How findings are printed [default: concise, or output-format of the configuration].")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the findings to this file instead of stdout.")
@click.option("--statistics", "show_statistics", is_flag=True, help="Print the number of findings of each code, not the findings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stdin-filename", default=None, help="The path to report for source read from stdin ('-').")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="The pyproject.toml to read [tool.tfshapelint] from (default: the nearest one).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@_list_option("--select", "Rules to enable (codes, prefixes such as TSL0, or ALL), instead of the configured ones.")
@_list_option("--extend-select", "Rules to enable in addition to the configured ones.")
@_list_option("--ignore", "Rules to disable.")
@_list_option("--exclude", "Globs of files and folders to skip, instead of the configured ones.", "GLOBS")
@_list_option("--extend-exclude", "Globs of files and folders to skip, in addition.", "GLOBS")
@click.option("--per-file-ignores", multiple=True, metavar="GLOB:CODES",
              help="Rules to disable in the files a glob matches, instead of the configured ones, "
                   "e.g. 'tests/*:TSL001,TSL002'. Repeatable.")
@click.option("--extend-per-file-ignores", multiple=True, metavar="GLOB:CODES",
              help="Like --per-file-ignores, in addition to the configured ones.")
@click.option("--target-version", default=None, metavar="tf1|tf2|VERSION",
              help="The TensorFlow the code targets: tf1, tf2 or a version such as 1.8 or 2.15 "
                   "[default: inferred from the project's requirements, else tf2].")
@click.option("--force-exclude/--no-force-exclude", default=None,
              help="Apply the excludes even to paths named on the command line (as pre-commit passes them).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip the files that .gitignore and .ignore files ignore when walking folders [default: on].")
@click.option("--fix", is_flag=True, help="Apply safe fixes (files are rewritten in place).")
@click.option("--fix-only", is_flag=True,
              help="Apply safe fixes, but neither report nor exit non-zero for the findings left (implies --fix).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe fixes too.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--show-fixes", is_flag=True, help="After fixing, list the findings fixed in each file.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings, not the summary, the counts or the notice that nothing was found "
                   "(errors, and warnings of something left undone, are still printed).")
@click.option("--show-settings", is_flag=True,
              help="Print the resolved settings and where each came from, and lint nothing.")
@click.option("--add-noqa", is_flag=True,
              help="Add '# noqa: CODE' to each line with a finding (files are rewritten in place).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: one per core]; 1 lints in this process.")
@click.option("--cache-dir", envvar=CACHE_DIR_ENV, type=click.Path(file_okay=False), default=None,
              help=f"Where the cache lives [default: .tfshapelint_cache in the project root; env: {CACHE_DIR_ENV}].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also say on stderr which TensorFlow the code is taken to target, and why.")
def check(paths: tuple, output_format, output_file, show_statistics, exit_zero, stdin_filename, config_file,
          isolated, select, extend_select, ignore, exclude, extend_exclude, per_file_ignores,
          extend_per_file_ignores, target_version, force_exclude, respect_gitignore,
          fix, fix_only, unsafe_fixes, diff, show_fixes, add_noqa,
          quiet, show_settings, jobs, cache_dir, no_cache, verbose) -> None:
    """Lint files and folders (recursively: *.py, *.pyi, *.ipynb; default: the current folder); '-' reads stdin."""
    paths = paths or (".",)
    missing: list[str] = []
    try:
        os.getcwd()
    except OSError as error:
        _fail(f"the current folder cannot be read (removed?): {error.strerror or error}")
    try:
        cli = Options(
            selection=Selection(select=_selectors(select, "--select"),
                                extend_select=_selectors(extend_select, "--extend-select") or [],
                                ignore=_selectors(ignore, "--ignore") or []),
            exclude=_split(exclude), extend_exclude=_split(extend_exclude) or [],
            per_file_ignores=parse_per_file_ignores(per_file_ignores, "--per-file-ignores") if per_file_ignores else None,
            extend_per_file_ignores=parse_per_file_ignores(extend_per_file_ignores, "--extend-per-file-ignores"),
            target_version=_target_version(target_version),
            output_format=output_format, force_exclude=force_exclude, respect_gitignore=respect_gitignore,
            cache_dir=cache_dir,
        )
        settings = resolve(cli, config=config_file, isolated=isolated, paths=paths, stdin_filename=stdin_filename)
        if show_settings:
            from .show_settings import render

            click.echo(render(settings), nl=False)
            return
        sources = collect(list(paths), settings, stdin_filename, sys.stdin.buffer if "-" in paths else None,
                          missing=missing)
        if verbose:
            click.echo(f"tfshapelint: TensorFlow target: {settings.target.describe()}", err=True)
    except ConfigError as error:
        _fail(str(error))
    except OSError as error:  # a folder that cannot be searched, the current folder removed...
        _fail(os_error_message(error, "cannot look for the files and the configuration"))
    for path in missing:  # reported, and the run goes on with the other paths (exit code 2 at the end)
        _error(f"no such file or directory: {path}")
    nothing_found = not sources and not missing and "-" not in paths  # (stdin excluded by --force-exclude: not this)
    if nothing_found and not quiet:
        click.echo("tfshapelint: warning: no Python files found under the given paths", err=True)
    if add_noqa and (fix or fix_only or diff):
        _fail("--add-noqa cannot be combined with --fix, --fix-only or --diff")
    fixing = Fixing(enabled=fix or fix_only or diff, unsafe=unsafe_fixes, diff_only=diff)
    try:
        findings = _lint_all(sources, settings, fixing, jobs, use_cache=not no_cache)
        if add_noqa:
            _add_noqa(sources, findings, fixing)
            sys.exit(EXIT_CLEAN)
        if fixing.stdin_text is not None:
            text = fixing.stdin_text  # ``--fix`` on stdin prints the fixed source, as ruff does
        elif diff:
            text = "".join(fixing.diffs)
        elif fix_only:  # nothing to report; the source on stdin is given back as it came (nothing to fix)
            text = next((source.read_with_bytes()[0].decode("utf-8", "surrogateescape")
                         for source in sources if source.is_stdin), "")
        elif show_statistics:
            from .report import statistics

            text = statistics.render(findings, as_json=settings.output_format == "json")
        else:
            text = FORMATS[settings.output_format](findings)
    except Exception as error:  # noqa: BLE001 - a crash of the tool itself: exit code 2, not a traceback
        import traceback

        traceback.print_exc()
        _fail(f"internal error: {type(error).__name__}: {error} (please report it)")
    written = _write(text, output_file)  # when it cannot be, the summary still says what was found
    if show_fixes and not quiet:
        _show_fixes(fixing)
    if (sources or "-" in paths) and not quiet:
        if fix_only:
            _warn_skipped(fixing)
            click.echo(f"Fixed {_plural(fixing.fixed, 'finding')} ({_plural(len(sources), 'file')} checked).",
                       err=True)
        else:
            _summary(findings, len(sources), fixing)
    elif fixing.skipped:
        _warn_skipped(fixing)
    if missing or not written or any(f.code == diagnostics.INTERNAL_ERROR[0] for f in findings):
        sys.exit(EXIT_ERROR)
    if diff:
        sys.exit(EXIT_FINDINGS if fixing.diffs and not exit_zero else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if findings and not (exit_zero or fix_only) else EXIT_CLEAN)


@dataclass
class Fixing:
    """What ``--fix``/``--diff`` asked for, and what they did."""

    enabled: bool = False
    unsafe: bool = False
    diff_only: bool = False
    fixed: int = 0
    diffs: list = field(default_factory=list)
    fixed_by_file: dict = field(default_factory=dict)  # path -> the findings fixed in it, for --show-fixes
    skipped: list = field(default_factory=list)  # files that changed on disk while being fixed
    notes: list = field(default_factory=list)  # fixes dropped because their result did not check out
    stdin_text: Optional[str] = None


def settings_setup(settings):
    """What each file's analysis needs of the settings (pool.Setup)."""
    from .pool import Setup

    return Setup(settings.target.analysed, settings.src)


def _lint_all(sources: list[Source], settings, fixing: Fixing, jobs: Optional[int] = None,
              use_cache: bool = True) -> list[Finding]:
    """Lint (cache, then worker pool: pool.py), select, and fix in this process."""
    from .pool import lint_sources

    cache = None
    if use_cache:
        from .cache import Cache

        cache = Cache.open(settings.cache_dir, [settings.target.cache_key(), *settings.src], settings.root)
    progress = Progress(len(sources))
    try:
        outcomes = lint_sources(sources, settings_setup(settings), jobs=jobs, cache=cache, advance=progress.advance)
    finally:
        progress.finish()
    if cache is not None and cache.error:
        click.echo(f"tfshapelint: warning: cannot write the cache: {cache.error}", err=True)
    findings: list[Finding] = []
    for source, outcome in zip(sources, outcomes):
        if not outcome.selectable:  # the file could not be read: always reported
            findings.extend(outcome.findings)
            continue
        found = settings.keep(outcome.findings)
        if fixing.enabled and any(fixable(f, fixing.unsafe) for f in found):
            found = _fix_file(source, found, settings, fixing)
        if settings.output_format in SHOW_EDITS:
            _make_fixes(source, found, settings, fixing)
        findings.extend(found)
    return findings


def _fix_file(source: Source, found: list[Finding], settings, fixing: Fixing):
    """Fix one file (or print its diff); returns the findings that remain."""
    import difflib

    from .fix import FileChanged, fix_source, write_fixed
    from .pool import lint_text

    data, text = source.read_with_bytes()
    if data is None or isinstance(text, Finding):
        return found

    def lint(current: str) -> list[Finding]:
        return settings.keep(lint_text(current, source.path, settings_setup(settings)))

    applied: list[Finding] = []
    if source.is_notebook:
        fixed, count = _fix_notebook(text, source.path, settings, fixing, applied)
    else:
        fixed, count = fix_source(text, lint, fixing.unsafe, applied, fixing.notes)
    if count == 0:
        return found
    if fixing.diff_only:
        fixing.diffs.append("".join(difflib.unified_diff(
            text.splitlines(keepends=True), fixed.splitlines(keepends=True),
            fromfile=f"a/{source.path}", tofile=f"b/{source.path}")))
        return found
    if source.is_stdin:
        fixing.stdin_text = fixed
    else:
        try:
            write_fixed(source.path, data, fixed)
        except FileChanged:
            fixing.skipped.append(source.path)
            return found
        except OSError as error:  # a folder we cannot write to: this file only, the run goes on
            click.echo(f"tfshapelint: warning: cannot write {source.path}: {error.strerror or error}; "
                       "it was left as it is", err=True)
            return found
    fixing.fixed += count
    fixing.fixed_by_file[source.path] = applied
    return lint(fixed)


# The output formats that show each fix's edits (ruff's JSON ``fix`` object, SARIF ``fixes``).
SHOW_EDITS = ("json", "json-lines", "sarif")


def _make_fixes(source: Source, found: list[Finding], settings, fixing: Fixing) -> None:
    """Turn the fixes of one file's findings into edits to show (fixes/: libcst, imported only here),
    checked to parse; not linted again, so that a run served from the cache lints nothing (--fix
    and --diff lint each fix's result)."""
    if not any(f.fix is not None and f.fix.codemod is not None and not f.fix.edits for f in found):
        return
    from .fixes.resolve import resolve

    _, text = source.read_with_bytes()
    if isinstance(text, Finding):
        return
    if source.is_notebook:
        from .notebooks import resolve_cell_fixes

        resolve_cell_fixes(text, found, fixing.notes)
        return
    resolve(text, found, notes=fixing.notes)


def _add_noqa(sources: list[Source], findings: list[Finding], fixing: Fixing) -> None:
    """``--add-noqa``: comment every file's findings away (fixes/noqa.py), then say how many."""
    from .fix import FileChanged, apply_edits, write_fixed
    from .fixes.noqa import noqa_edits

    by_path: dict = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    added = 0
    for source in sources:
        found = by_path.get(source.path)
        if not found or source.is_notebook or source.is_stdin:
            continue
        data, text = source.read_with_bytes()
        if data is None or isinstance(text, Finding):
            continue
        edits = noqa_edits(text, found, fixing.notes)
        if not edits:
            continue
        try:
            write_fixed(source.path, data, apply_edits(text, edits))
        except FileChanged:
            fixing.skipped.append(source.path)
            continue
        except OSError as error:
            click.echo(f"tfshapelint: warning: cannot write {source.path}: {error.strerror or error}", err=True)
            continue
        added += len(edits)
    for note in fixing.notes:
        click.echo(f"tfshapelint: note: {note}", err=True)
    for path in fixing.skipped:
        click.echo(f"tfshapelint: warning: {path} changed while noqa comments were added; it was left as it is",
                   err=True)
    click.echo(f"Added {added} noqa comment{'s' if added != 1 else ''}.", err=True)


def _fix_notebook(text: str, path: str, settings, fixing: Fixing, applied: list) -> tuple[str, int]:
    """The notebook's text with its cells fixed (notebook_edits), and the number of fixes made (the
    findings fixed, by cell, appended to ``applied``)."""
    from .linter import lint_source
    from .notebook_edits import fix_notebook
    from .pool import lint_text, project_loader

    setup = settings_setup(settings)

    def lint_program(program: str) -> list[Finding]:
        return settings.keep(lint_source(program, path, setup.target_version, project_loader(setup)))

    try:
        fixed, count, dropped = fix_notebook(text, lint_program, fixing.unsafe, applied)
    except (ValueError, KeyError, TypeError, AttributeError):  # not a notebook we can write back into
        return text, 0
    if dropped:  # some fixes touched magics: count what the written notebook no longer has
        before = len(settings.keep(lint_text(text, path, setup)))
        count = max(0, before - len(settings.keep(lint_text(fixed, path, setup))))
    return fixed, count


def _target_version(value: Optional[str]) -> Optional[str]:
    return None if value is None else target_version_setting(value, "--target-version")


def _split(values: tuple):
    """``("a,b", "c")`` -> ``["a", "b", "c"]``; None when the option was not given."""
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _selectors(values: tuple, option: str):
    items = _split(values)
    return None if items is None else [normalize_selector(item, option) for item in items]


def _write(text: str, output_file) -> bool:
    """Print ``text``, or write it to ``output_file``; False (the error said) when it cannot be
    written: a read-only file or folder, a full disk..."""
    if output_file is None:
        try:
            click.echo(text, nl=False)
            sys.stdout.flush()
        except OSError as error:  # `| head` closed the pipe, stdout is a full disk...
            _error(os_error_message(error, "cannot write the findings to the standard output"))
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            return False
        return True
    try:
        folder = os.path.dirname(os.path.abspath(output_file))
        os.makedirs(folder, exist_ok=True)
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        _error(os_error_message(error, f"cannot write {output_file}", output_file))
        return False
    return True


def os_error_message(error: OSError, doing: str, path: Optional[str] = None) -> str:
    """``doing: path: reason``, naming the path the system names (else ``path``)."""
    named = error.filename if error.filename is not None else path
    reason = error.strerror or str(error)
    if named is not None and str(named) not in doing:
        return f"{doing}: {named}: {reason}"
    return f"{doing}: {reason}"


def _error(message: str) -> None:
    click.echo(f"tfshapelint: error: {message}", err=True)


def _fail(message: str) -> None:
    _error(message)
    sys.exit(EXIT_ERROR)


def _warn_skipped(fixing: Fixing) -> None:
    for path in fixing.skipped:
        click.echo(f"tfshapelint: warning: {path} changed while it was being fixed; it was left as it is", err=True)


def _show_fixes(fixing: Fixing) -> None:
    """``--show-fixes``: each file fixed, and how many findings of each code (as ruff lists them)."""
    if not fixing.fixed_by_file:
        return
    click.echo(f"Fixed {_plural(fixing.fixed, 'finding')}:", err=True)
    for path, applied in fixing.fixed_by_file.items():
        click.echo(f"- {path}:", err=True)
        counts: dict = {}
        for finding in applied:
            counts[(finding.code, finding.name)] = counts.get((finding.code, finding.name), 0) + 1
        for (code, name), count in sorted(counts.items()):
            click.echo(f"    {count} × {code} ({name})", err=True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _summary(findings: list[Finding], files: int, fixing: Fixing) -> None:
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    _warn_skipped(fixing)
    for note in fixing.notes:
        click.echo(f"tfshapelint: note: {note}", err=True)
    if fixing.fixed:
        click.echo(f"Fixed {fixing.fixed} finding{'s' if fixing.fixed != 1 else ''}.", err=True)
    if not findings:
        click.echo(f"All checks passed! ({checked})", err=True)
        return
    count = len(findings)
    safe = sum(1 for f in findings if fixable(f, unsafe=False))
    unsafe = sum(1 for f in findings if fixable(f, unsafe=True)) - safe
    hints = []
    if safe and not fixing.enabled:
        hints.append(f"{safe} fixable with --fix")
    if unsafe and not fixing.unsafe:
        hints.append(f"{unsafe} more with --unsafe-fixes")
    hint = f"; {', '.join(hints)}" if hints else ""
    click.echo(f"Found {count} finding{'s' if count != 1 else ''} ({checked}{hint}).", err=True)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(path: str, output_format: str) -> None:
    """Print the inferred shape of every tensor assignment of PATH and how it was derived."""
    from .explain import explain_source, render_json, render_table
    from .files import read_source
    from .project.loader import ProjectLoader
    from .project.resolve import Resolver

    text = read_source(path)
    if isinstance(text, Finding):
        _fail(f"{path}: {text.message}")
    try:
        settings = resolve(Options(), paths=[path])
    except ConfigError as error:
        _fail(str(error))
    target = settings.target
    program = None
    if path.endswith(".ipynb"):
        text, program = _notebook_program(text, path)
    try:
        rows = explain_source(text, target.analysed, path, ProjectLoader(Resolver(settings.src), target.analysed))
    except Exception as error:  # noqa: BLE001 - syntax errors and the like: a message, exit 2
        _fail(f"cannot explain {path}: {getattr(error, 'message', error)}")
    if program is not None:
        from .notebooks import rows_by_cell

        rows = rows_by_cell(rows, program)
    if output_format == "json":
        click.echo(render_json(rows, path), nl=False)
    else:
        click.echo(render_table(rows) + f"TensorFlow target: {target.describe()}\n", nl=False)


def _notebook_program(text: str, path: str):
    """The code of a notebook as one program (cells converted as IPython does) and its line map."""
    import json

    from .notebooks import is_python, to_program

    try:
        notebook = json.loads(text)
        if not isinstance(notebook, dict) or not is_python(notebook):
            _fail(f"cannot explain {path}: not a notebook of Python code")
        program = to_program(notebook)
    except (ValueError, RecursionError, AttributeError, TypeError) as error:
        _fail(f"cannot read notebook {path}: {error}")
    return program.source, program


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's page.")
@click.option("--output-dir", type=click.Path(file_okay=False), default=None,
              help="With --all: write the pages as Markdown files (TSLxxx.md and README.md) into this folder.")
def rule(code: str | None, show_all: bool, output_dir: str | None) -> None:
    """Print a rule's page (what it checks, why, an example and the fix), or a TSL9xx diagnostic's."""
    from .diagnostic_pages import BY_CODE as DIAGNOSTIC_PAGES, PAGES
    from .rules import BY_CODE, RULES

    if output_dir is not None:
        if not show_all:
            _fail("--output-dir goes with --all")
        from .docs import write_rule_docs

        try:
            written = write_rule_docs(output_dir)
        except OSError as error:
            _fail(os_error_message(error, f"cannot write the pages to {output_dir}"))
        click.echo(f"wrote {len(written)} files to {output_dir}", err=True)
        return
    if show_all:
        click.echo("\n\n".join(r.page() for r in [*RULES, *PAGES]))
        return
    if code is None:
        for r in [*RULES, *PAGES]:
            click.echo(f"{r.code}  {r.name:<28} {r.summary}")
        return
    found = BY_CODE.get(code.upper()) or DIAGNOSTIC_PAGES.get(code.upper())
    if found is None:
        _fail(f"unknown rule {code!r}; `tfshapelint rule` lists them")
    click.echo(found.page())


@main.command()
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="The pyproject.toml whose cache-dir to clean (default: the nearest one).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--cache-dir", envvar=CACHE_DIR_ENV, type=click.Path(file_okay=False), default=None,
              help=f"The cache to remove [default: cache-dir of the configuration; env: {CACHE_DIR_ENV}].")
def clean(config_file, isolated, cache_dir) -> None:
    """Remove the cache (.tfshapelint_cache in the project root, or the configured cache-dir)."""
    from .cache import clean as remove_cache

    try:
        settings = resolve(Options(cache_dir=cache_dir), config=config_file, isolated=isolated)
    except ConfigError as error:
        _fail(str(error))
    folder = settings.cache_dir
    if not folder.is_dir():
        click.echo(f"No cache at {folder}.", err=True)
        return
    remove_cache(folder)
    if folder.exists():
        click.echo(f"tfshapelint: warning: {folder} was left in place: it holds files tfshapelint did not write",
                   err=True)
    else:
        click.echo(f"Removed the cache at {folder}.", err=True)


main.add_command(repro_command)  # repro/command.py: print and run a finding's TensorFlow reproducer


@main.command()
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport; "
              "accepted because several editors pass it).")
def lsp(stdio: bool) -> None:
    """Run the language server on stdin/stdout, for editors (needs the lsp extra: pygls, lsprotocol)."""
    from .lsp import serve

    sys.exit(serve())
