"""Output formats: one module per format, each a ``render(findings) -> str``."""

from . import concise, full

FORMATS = {"concise": concise.render, "full": full.render}
