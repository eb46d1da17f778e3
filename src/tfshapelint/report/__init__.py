"""Output formats: one module per format, each a ``render(findings) -> str``.

``concise`` and ``full`` are for people; ``json``, ``json-lines``, ``github`` (workflow
commands, annotations in pull requests) and ``sarif`` (code scanning) for machines.
"""

from . import concise, full, github, json_output, sarif

FORMATS = {
    "concise": concise.render,
    "full": full.render,
    "json": json_output.render,
    "json-lines": json_output.render_lines,
    "github": github.render,
    "sarif": sarif.render,
}
