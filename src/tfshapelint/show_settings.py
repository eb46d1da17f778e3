"""``tfshapelint check --show-settings``: the resolved settings, and where each came from.

Printed as the configuration file would write them (one ``key = value`` a line), each followed
by its origin: the default, the configuration file, the command line, or, for target-version,
the reason the target was chosen.
"""

from __future__ import annotations

import json
from typing import Any

from .config import Options, Settings, file_label, known_codes

DEFAULT = "default"
COMMAND_LINE = "command line"


def render(settings: Settings) -> str:
    file_options, cli = settings.layers or (Options(), Options())
    in_file = file_label(settings.config_file) if settings.config_file else None

    def origin(name: str) -> str:
        if getattr(cli, name) is not None:
            return COMMAND_LINE
        if getattr(file_options, name) is not None:
            return in_file
        return DEFAULT

    def extended(base: str, file_extra: list, cli_extra: list, key: str) -> str:
        extras = [f"extend-{key} in {in_file}"] * bool(file_extra) + [f"--extend-{key}"] * bool(cli_extra)
        return base + "".join(f" + {extra}" for extra in extras)

    exclude_base = origin("exclude") if (cli.exclude is not None or file_options.exclude is not None) else DEFAULT
    pfi_base = origin("per_file_ignores")
    lines = [
        f"# configuration file: {in_file or 'none'}",
        f"# project root: {settings.root}",
        ("enabled", sorted(settings.enabled), _rules_origin(file_options, cli, in_file)),
        ("exclude", [glob.pattern for glob in settings.exclude],
         extended(exclude_base, file_options.extend_exclude, cli.extend_exclude, "exclude")),
        ("per-file-ignores", {glob.pattern: list(selectors) for glob, selectors in settings.per_file_ignores},
         extended(pfi_base, file_options.extend_per_file_ignores, cli.extend_per_file_ignores, "per-file-ignores")),
        ("target-version", settings.target_version, settings.target.reason),
        ("output-format", settings.output_format, origin("output_format")),
        ("cache-dir", str(settings.cache_dir), origin("cache_dir")),
        ("force-exclude", settings.force_exclude, origin("force_exclude")),
        ("respect-gitignore", settings.respect_gitignore, origin("respect_gitignore")),
        ("src", list(settings.src), origin("src")),
    ]
    out = []
    for line in lines:
        if isinstance(line, str):
            out.append(line)
            continue
        key, value, where = line
        out.append(f"{key} = {_toml(value)}  # {where}")
    return "\n".join(out) + "\n"


def _rules_origin(file_options: Options, cli: Options, in_file) -> str:
    layers = [where for where, selection in ((in_file, file_options.selection), (COMMAND_LINE, cli.selection))
              if selection.select is not None or selection.extend_select or selection.ignore]
    if not layers:
        return f"{DEFAULT}: every rule ({len(known_codes())} codes)"
    return " then ".join(layers)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)
