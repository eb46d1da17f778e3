"""The linter must stay silent on real, working TensorFlow code bases.

Each corpus (a pinned PyPI distribution, see ``download.py``) is linted file by file; any finding of
a rule (TSL001..TSL899) is a false positive of ours until proven otherwise, and a TSL902 is a crash of
the analysis. The corpora are downloaded into a cache on first use (``TFSHAPELINT_CORPORA_DIR``);
without network access the tests are skipped.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import download  # noqa: E402
import lint_corpus  # noqa: E402

WORKERS = 2  # the machine's cores
SHOW = 40  # findings quoted in a failure message


@pytest.mark.corpus
@pytest.mark.parametrize("name", list(download.CORPORA))
def test_corpus_is_clean(name, corpus_report):
    version = download.CORPORA[name]
    try:
        files = download.corpus_files(name, version)
    except download.DownloadError as error:
        pytest.skip(f"corpus {name}=={version} unavailable (offline? PyPI unreachable?): {error}")
    assert files, f"corpus {name}=={version} holds no .py file"

    result = lint_corpus.lint_corpus(f"{name}=={version}", files, workers=WORKERS)
    corpus_report.append(result.summary())

    problems = [lint_corpus.format_finding(f) for f in result.bugs() + result.internal_errors()]
    problems += [f"{path}: lint_source raised\n{text}" for path, text in result.crashes]
    if problems:
        shown = "\n".join(problems[:SHOW])
        more = f"\n... and {len(problems) - SHOW} more" if len(problems) > SHOW else ""
        pytest.fail(f"{result.summary()}\n{shown}{more}", pytrace=False)
