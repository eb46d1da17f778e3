"""SARIF 2.1.0, the format of GitHub code scanning (``github/codeql-action/upload-sarif``).

One run: ``tool.driver`` lists every rule and diagnostic (id, name, short and full
description, help page and its URL); each result names its rule (``ruleId``, ``ruleIndex``)
and its region. Columns count Unicode code points (``columnKind``), 1-based, the end column
just past the end. File URIs are relative to the current directory (``%SRCROOT%``), which is
the repository's root when the linter runs there, as code scanning expects.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from ..findings import Finding
from .meta import HOMEPAGE, SCHEMA_URL, TOOL_NAME, RuleInfo, all_rules, version

SRCROOT = "%SRCROOT%"
LEVELS = {"TSL903": "warning"}  # an incomplete analysis is a warning; everything else is an error


def level(code: str) -> str:
    return LEVELS.get(code, "error")


def rule_descriptor(info: RuleInfo) -> dict:
    descriptor = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.description},
        "defaultConfiguration": {"level": level(info.code)},
    }
    if info.url:
        descriptor["helpUri"] = info.url
    if info.page:
        descriptor["help"] = {"text": info.page, "markdown": info.page}
    return descriptor


def artifact_location(path: str) -> dict:
    """A relative URI (against %SRCROOT%, the current directory) or, outside it, a file: URI."""
    if path == "-":
        return {"uri": "-"}
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    if relative == ".." or relative.startswith("../"):
        return {"uri": Path(absolute).as_uri()}
    return {"uri": quote(Path(relative).as_posix(), safe="/"), "uriBaseId": SRCROOT}


def result(finding: Finding, index: dict) -> dict:
    region = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line is not None:
        region["endLine"] = finding.end_line
    if finding.end_column is not None:
        region["endColumn"] = finding.end_column
    text = finding.message
    cell = getattr(finding, "cell", None)
    entry = {
        "ruleId": finding.code,
        "level": level(finding.code),
        "message": {"text": text if cell is None else f"{text} (cell {cell}, line {finding.line})"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(finding.path), "region": region}}],
    }
    if finding.code in index:
        entry["ruleIndex"] = index[finding.code]
    if finding.fix is not None and finding.fix.edits and cell is None:
        entry["fixes"] = [fix(finding)]
    properties = {}
    if finding.chain:
        properties["chain"] = list(finding.chain)
    if cell is not None:
        properties["cell"] = cell
    if properties:
        entry["properties"] = properties
    return entry


def fix(finding: Finding) -> dict:
    """SARIF's ``fix``: the edits as replacements of regions of the file (same columns as results);
    whether it is safe goes in its properties, as SARIF has no word for it."""
    replacements = [{
        "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line, "endColumn": e.end_column},
        "insertedContent": {"text": e.content},
    } for e in finding.fix.edits]
    return {
        "description": {"text": finding.fix.message},
        "artifactChanges": [{"artifactLocation": artifact_location(finding.path), "replacements": replacements}],
        "properties": {"applicability": finding.fix.applicability},
    }


def log(findings: list[Finding]) -> dict:
    rules = all_rules()
    index = {info.code: position for position, info in enumerate(rules)}
    run = {
        "tool": {"driver": {
            "name": TOOL_NAME,
            "version": version(),
            "semanticVersion": version(),
            "informationUri": HOMEPAGE,
            "rules": [rule_descriptor(info) for info in rules],
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [result(finding, index) for finding in findings],
    }
    return {"$schema": SCHEMA_URL, "version": "2.1.0", "runs": [run]}


def render(findings: list[Finding]) -> str:
    return json.dumps(log(findings), indent=2, ensure_ascii=False) + "\n"
