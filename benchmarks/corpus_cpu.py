"""CPU time of the interpreter on the benchmark corpora, in one process: every file the linter's
byte prefilter keeps is parsed (the floor), then linted as ``check -j 1`` lints it (read, decode,
the project loader, ``lint_source``, each file's tree frozen out of the collector's scans).

    PYTHONPATH=src python benchmarks/corpus_cpu.py [--repeat N] [--profile [N]] [--every N] [--lint-only]

CPU time (``time.process_time``), not wall time: the figures hold on a shared machine. The corpora
are those of bench.py (tests/corpora/download.py, cached in ~/.cache/tfshapelint/corpora). Prints
parse, total and analysis (total - parse) seconds, best of ``--repeat`` rounds, and the count of
findings (a change meant to keep behaviour must keep it); ``--profile`` prints the top of cProfile's
table of one more round, by own time and by cumulative time.

On a loaded machine even CPU time varies by several percent between runs; instruction counts do
not (about 0.1%). To compare two versions of a change worth a percent or two, count them on a
subset with callgrind (about 80 s for a tenth of the files):

    PYTHONPATH=src valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        python benchmarks/corpus_cpu.py --every 10 --repeat 1 --lint-only
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "corpora"))

import download  # noqa: E402  (tests/corpora/download.py)

from tfshapelint.frozen_trees import files_in_a_row  # noqa: E402
from tfshapelint.linter import MAX_SOURCE_BYTES, PREFILTER, parse  # noqa: E402
from tfshapelint.pool import Setup, forget_loaders, lint_file  # noqa: E402


def prefiltered_files() -> list[str]:
    kept = []
    for name in download.CORPORA:
        for path in download.corpus_files(name):
            data = path.read_bytes()
            if PREFILTER.search(data) and len(data) <= MAX_SOURCE_BYTES:
                kept.append(str(path))
    return kept


def parse_cpu(texts: list[tuple[str, str]]) -> float:
    start = time.process_time()
    for path, text in texts:
        parse(text, path)
    return time.process_time() - start


def lint_all(paths: list[str]) -> tuple[float, int]:
    """CPU seconds to lint every file, and the count of findings."""
    forget_loaders()  # each round reads the project modules afresh, as a run does
    gc.collect()
    setup = Setup("tf2")
    findings = 0
    start = time.process_time()
    with files_in_a_row():
        for index, path in enumerate(paths):
            findings += len(lint_file(index, path, setup).findings or ())
    return time.process_time() - start, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (best of) [3]")
    parser.add_argument("--profile", type=int, nargs="?", const=40, default=None,
                        help="print the top N entries of cProfile's table of one more round [40]")
    parser.add_argument("--every", type=int, default=1, help="only every Nth file (a subset spread over the corpora)")
    parser.add_argument("--lint-only", action="store_true", help="no parse rounds (for counting instructions)")
    args = parser.parse_args(argv)

    paths = prefiltered_files()[::args.every]
    parse_best = 0.0
    if not args.lint_only:
        texts = [(path, Path(path).read_text(encoding="utf-8", errors="surrogateescape")) for path in paths]
        parse_best = min(parse_cpu(texts) for _ in range(args.repeat))
        del texts
    rounds = [lint_all(paths) for _ in range(args.repeat)]
    total_best = min(cpu for cpu, _ in rounds)
    counts = {count for _, count in rounds}
    parse = "" if args.lint_only else (
        f"parse {parse_best:.2f} s cpu; analysis {total_best - parse_best:.2f} s cpu; "
        f"{total_best / parse_best:.2f}x the parse; ")
    print(f"{len(paths)} files; total {total_best:.2f} s cpu; {parse}"
          f"findings {', '.join(map(str, sorted(counts)))} (best of {args.repeat})")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        lint_all(paths)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
