"""The floor of a Python linter: read every file, keep those the linter's byte prefilter keeps, and
parse them with CPython's ``ast``, on as many processes as tfshapelint uses. Nothing else.

    python benchmarks/parse_floor.py [-j JOBS] FILES...

Run by bench.py as a process, like the tools it is compared with. Prints the count of files parsed.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import warnings
from multiprocessing import get_context

# tfshapelint.linter.PREFILTER and MAX_SOURCE_BYTES, copied: this script must not import the linter
PREFILTER = re.compile(rb"tensorflow|keras|tf_slim")
MAX_SOURCE_BYTES = 512 * 1024


def parse_one(path: str) -> int:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return 0
    if not PREFILTER.search(data) or len(data) > MAX_SOURCE_BYTES:
        return 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)  # bytes: the encoding cookie and BOM are honoured, as when decoding first
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass  # a file that does not parse costs its parse all the same
    return 1


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-j", "--jobs", type=int, default=default_jobs())
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    if args.jobs <= 1 or len(args.files) < 2:
        parsed = sum(map(parse_one, args.files))
    else:
        with get_context("fork" if hasattr(os, "fork") else "spawn").Pool(args.jobs) as pool:
            parsed = sum(pool.imap_unordered(parse_one, args.files, chunksize=16))
    print(f"{parsed} files parsed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
