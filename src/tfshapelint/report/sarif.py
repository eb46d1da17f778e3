"""SARIF 2.1.0, the format of GitHub code scanning (``github/codeql-action/upload-sarif``).

One run: ``tool.driver`` lists every rule and diagnostic (id, name, short and full
description, help page and its URL); each result names its rule (``ruleId``, ``ruleIndex``)
and its region. A finding in a notebook is placed where the cell's code is in the ``.ipynb``
file's JSON text (the line holding that line of the cell's ``source``: what code scanning shows
against the file), with the cell as a logical location and the cell's own line and column in the
result's properties (``cell``, ``cellRegion``). Columns count Unicode code points (``columnKind``), 1-based, the end column
just past the end. File URIs are relative to the current directory (``%SRCROOT%``), which is
the repository's root when the linter runs there, as code scanning expects.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional
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


def region_of(line: Optional[int], column: Optional[int], end_line: Optional[int], end_column: Optional[int]) -> dict:
    region = {"startLine": line, "startColumn": column}
    if end_line is not None:
        region["endLine"] = end_line
    if end_column is not None:
        region["endColumn"] = end_column
    return region


def location(finding: Finding) -> dict:
    """Where the finding is in the file. In a notebook: the region of the ``.ipynb`` file's JSON
    text that holds the cell's code, and the cell as a logical location."""
    physical: dict = {"artifactLocation": artifact_location(finding.path)}
    cell = getattr(finding, "cell", None)
    if cell is None:
        physical["region"] = region_of(finding.line, finding.column, finding.end_line, finding.end_column)
        return {"physicalLocation": physical}
    if finding.file_line is not None:
        physical["region"] = region_of(finding.file_line, finding.file_column,
                                       finding.file_end_line, finding.file_end_column)
    return {"physicalLocation": physical,
            "logicalLocations": [{"name": f"cell {cell}", "fullyQualifiedName": f"cell {cell}", "kind": "module"}]}


def result(finding: Finding, index: dict) -> dict:
    text = finding.message
    cell = getattr(finding, "cell", None)
    entry = {
        "ruleId": finding.code,
        "level": level(finding.code),
        "message": {"text": text if cell is None else f"{text} (cell {cell}, line {finding.line})"},
        "locations": [location(finding)],
    }
    if finding.code in index:
        entry["ruleIndex"] = index[finding.code]
    if finding.fix is not None and finding.fix.edits and cell is None:
        entry["fixes"] = [fix(finding)]
    properties: dict = {}
    if finding.chain:
        properties["chain"] = list(finding.chain)
    if cell is not None:  # the position within the cell, as Jupyter shows it
        properties.update(cell=cell, cellRegion=region_of(finding.line, finding.column, finding.end_line,
                                                          finding.end_column))
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
