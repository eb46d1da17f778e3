"""Speed and memory of tfshapelint against the parse floor, ruff and flake8 on the real corpora, in
one run, as ratios.

    python benchmarks/bench.py [--repeat 3] [--json results.json] [--src PACKAGE_FOLDER]

Downloads the three corpora (tf-slim, tf-models-official, keras-hub: tests/corpora/download.py,
cached in ~/.cache/tfshapelint/corpora), installs flake8 into this interpreter's environment if it
is missing (``pip install -e '.[bench]'`` does too), and times, as processes, the way users run them:

- ``flake8 -j 2`` and ``tfshapelint`` (all cores) cold (an empty cache folder) and warm (the cache
  populated, no file changed), on 1/4, 1/2 and all of the corpus files (every 4th file, every 2nd,
  all: each subset contains the smaller one);
- two reference columns on the same files: the parse floor (``parse_floor.py``: read the files,
  keep those tfshapelint's byte prefilter keeps, ``ast.parse`` them, on as many processes as
  tfshapelint uses), and ``ruff check`` (skipped when ruff is not installed);
- one-file latency of both on a typical corpus file (the median size among the files that mention
  TensorFlow): best of 5 process runs, tfshapelint without and with its cache;
- one file with many findings (``many_findings.py``: one finding per 11 lines, 2,475 and 9,900
  lines, and their twins without findings): the time a finding costs, and whether it grows with the
  findings of the file;
- tfshapelint's peak memory: the largest process (``wait4``'s ``ru_maxrss``, the pool's workers
  included) and the whole process tree (the sum of the processes' proportional set sizes, sampled
  every 20 ms from /proc);

and prints the ratios against the targets. Runs are interleaved (flake8, cold, warm, parse floor,
ruff; then the next size), each measurement is the best of ``--repeat`` rounds, and the load average
is printed: the ratios within one run are what to compare across machines. The tools run with their
byte code cached (PYTHONDONTWRITEBYTECODE is dropped), as installed tools do. ``--src`` measures
another copy of the package (an older commit's ``src/tfshapelint``, say) with the same benchmark.
Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "corpora"))

import download  # noqa: E402  (tests/corpora/download.py)
import many_findings  # noqa: E402  (benchmarks/many_findings.py)

TARGETS = {
    "cold_vs_parse": 2.0,  # cold whole corpus <= 2 x the parse floor (wall, same process count)
    "cold_vs_flake8": 0.3,  # cold whole corpus <= 0.3 x flake8 -j2
    "warm_vs_cold": 0.02,  # warm <= 2% of cold
    "one_file_vs_flake8": 1.0,  # one file <= flake8's
    "peak_memory_mb": 300,
    "growth_exponent": 1.1,  # time ~ lines ** exponent between 1/4 and all of the corpus: linear
    "findings_exponent": 1.1,  # the time findings add ~ findings ** exponent in one file: linear
}
SIZES = ((4, "1/4"), (2, "1/2"), (1, "all"))
MANY_FINDINGS = (225, 900)  # blocks of many_findings.py (one finding each): 2,475 and 9,900 lines
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mb: float  # the largest single process
    tree_mb: float  # peak of the sum over the process tree (PSS when /proc has it)
    returncode: int
    load: float


@dataclass
class Results:
    machine: dict = field(default_factory=dict)
    corpus: dict = field(default_factory=dict)
    runs: dict = field(default_factory=dict)  # name -> [Run, ...]
    ratios: dict = field(default_factory=dict)


# -- running and measuring ------------------------------------------------------------------------

SNAPSHOT: list[str] = []  # the folder holding the copy of the package that is measured


def environment() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONHASHSEED"] = "0"
    if SNAPSHOT:
        env["PYTHONPATH"] = os.pathsep.join([*SNAPSHOT, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def snapshot(into: Path, package: Path) -> list[str]:
    """A copy of the package as it is now, measured instead of the working tree: edits made while
    the benchmark runs would change the code measured and, since the cache key holds a fingerprint
    of the code, make every warm run cold."""
    shutil.copytree(package, into / "tfshapelint", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return [str(into)]


def revision() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                              text=True, timeout=30).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _memory(pid: int) -> int:
    """Bytes: the proportional set size (shared pages split between the processes that share them),
    or the resident set size where /proc has no smaps_rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except OSError:
        return 0


def _tree_memory(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _memory(current)
        stack.extend(_children(current))
    return total


def measure(command: list[str], cwd: Path) -> Run:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.stderr.write(stderr.decode(errors="replace")[-2000:])
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command[:6])} ...")
    max_rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return Run(wall, usage.ru_utime + usage.ru_stime, max_rss, peak[0] / 2**20, process.returncode, load)


def ruff_executable() -> str | None:
    """ruff, from this interpreter's environment or the PATH; None: the ruff column is left out."""
    return shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


def executables() -> tuple[str, list[str]]:
    folder = Path(sys.executable).parent
    flake8 = shutil.which("flake8", path=str(folder))
    if flake8 is None:
        print("installing flake8 ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "flake8>=7"], check=True)
        flake8 = shutil.which("flake8", path=str(folder))
    if flake8 is None:
        raise SystemExit("flake8 must be installed in this environment (pip install -e '.[bench]')")
    return flake8, [sys.executable, "-m", "tfshapelint"]  # the snapshot's, through PYTHONPATH


# -- the benchmark --------------------------------------------------------------------------------

def corpus_files() -> list[Path]:
    files: list[Path] = []
    for name in download.CORPORA:
        files.extend(download.corpus_files(name))
    return files


def typical_file(files: list[Path]) -> Path:
    mentions = [path for path in files if b"tensorflow" in path.read_bytes() or b"keras" in path.read_bytes()]
    mentions.sort(key=lambda path: (path.stat().st_size, str(path)))
    return mentions[len(mentions) // 2]


def lines_of(files: list[Path]) -> int:
    return sum(path.read_bytes().count(b"\n") for path in files)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda run: run.wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the corpus runs (best of) [3]")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers to this file")
    parser.add_argument("--flake8-jobs", type=int, default=2)
    parser.add_argument("--src", type=Path, default=ROOT / "src" / "tfshapelint",
                        help="the tfshapelint package folder to measure [this checkout's]")
    args = parser.parse_args(argv)

    flake8, tfshapelint = executables()
    ruff = ruff_executable()
    scratch = tempfile.TemporaryDirectory(prefix="tfshapelint-bench-")
    SNAPSHOT[:] = snapshot(Path(scratch.name) / "snapshot", args.src.resolve())
    files = corpus_files()
    one = typical_file(files)
    results = Results()
    results.machine = {"cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
                       "python": platform.python_version(), "platform": platform.platform(),
                       "load_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
                       "flake8": subprocess.run([flake8, "--version"], capture_output=True, text=True,
                                                env=environment()).stdout.split()[0],
                       "tfshapelint": subprocess.run([*tfshapelint, "--version"], capture_output=True, text=True,
                                                     env=environment()).stdout.split()[-1],
                       "ruff": subprocess.run([ruff, "--version"], capture_output=True,
                                              text=True).stdout.split()[-1] if ruff else None,
                       "jobs": os.cpu_count() if not hasattr(os, "sched_getaffinity") else
                       len(os.sched_getaffinity(0)),
                       "revision": revision() if args.src.resolve() == (ROOT / "src" / "tfshapelint").resolve()
                       else str(args.src)}
    subsets = {label: files[::step] for step, label in SIZES}
    results.corpus = {label: {"files": len(subset), "lines": lines_of(subset)} for label, subset in subsets.items()}
    results.corpus["one_file"] = {"path": str(one), "lines": lines_of([one]), "bytes": one.stat().st_size}
    print(f"tfshapelint {results.machine['revision']}; "
          f"corpora: {', '.join(f'{n}=={v}' for n, v in download.CORPORA.items())}; "
          f"{results.corpus['all']['files']} files, {results.corpus['all']['lines']} lines; "
          f"{results.machine['cores']} cores; load average {results.machine['load_before']}", flush=True)

    def record(name: str, run: Run) -> None:
        results.runs.setdefault(name, []).append(run)
        print(f"  {name:<22} {run.wall:7.2f} s wall {run.cpu:7.2f} s cpu {run.max_rss_mb:6.0f} MB max "
              f"{run.tree_mb:6.0f} MB tree  (load {run.load:.1f})", flush=True)

    with scratch:
        work = Path(scratch.name)
        cache = work / "cache"
        # byte code compiled and cached once, outside the measurements
        for command in ([flake8, str(one)], [*tfshapelint, "check", "--no-cache", "--exit-zero", str(one)]):
            subprocess.run(command, cwd=work, env=environment(), capture_output=True)
        lint = [*tfshapelint, "check", "--isolated", "--exit-zero", "--cache-dir", str(cache)]
        floor = [sys.executable, str(ROOT / "benchmarks" / "parse_floor.py"), "-j", str(results.machine["jobs"])]
        for round_ in range(1, args.repeat + 1):
            print(f"round {round_}/{args.repeat}", flush=True)
            for _, label in SIZES:
                paths = [str(path) for path in subsets[label]]
                record(f"flake8 {label}", measure([flake8, "-j", str(args.flake8_jobs), "--isolated", "--exit-zero",
                                                   *paths], work))
                shutil.rmtree(cache, ignore_errors=True)
                record(f"tfshapelint cold {label}", measure([*lint, *paths], work))
                record(f"tfshapelint warm {label}", measure([*lint, *paths], work))
                record(f"parse floor {label}", measure([*floor, *paths], work))
                if ruff:
                    record(f"ruff {label}", measure([ruff, "check", "--isolated", "--exit-zero", "--no-cache",
                                                     *paths], work))
        print(f"one file: {one} ({results.corpus['one_file']['lines']} lines), best of 5", flush=True)
        shutil.rmtree(cache, ignore_errors=True)
        for _ in range(5):
            record("flake8 one file", measure([flake8, "--isolated", "--exit-zero", str(one)], work))
            record("tfshapelint one file", measure([*tfshapelint, "check", "--isolated", "--exit-zero", "--no-cache",
                                                    str(one)], work))
            record("tfshapelint one warm", measure([*lint, str(one)], work))
        many = {}
        for blocks in MANY_FINDINGS:
            for clean in (False, True):
                many[blocks, clean] = many_findings.write(work / f"{'clean' if clean else 'many'}_{blocks}.py",
                                                          blocks, clean)
        results.corpus["many_findings"] = {f"{blocks} findings": lines_of([many[blocks, False]])
                                           for blocks in MANY_FINDINGS}
        sizes = ", ".join(f"{blocks} findings in {lines}" for blocks, lines in
                          zip(MANY_FINDINGS, results.corpus["many_findings"].values()))
        print(f"one file with many findings ({sizes} lines) and its twin without findings, best of 3", flush=True)
        for _ in range(3):
            for (blocks, clean), path in many.items():
                record(f"tfshapelint {'clean' if clean else 'many'} {blocks}", measure(
                    [*tfshapelint, "check", "--isolated", "--exit-zero", "--no-cache", str(path)], work))

    results.machine["load_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    report(results)
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(results), indent=2, default=str) + "\n")
    return 0


def report(results: Results) -> None:
    b = {name: best(runs) for name, runs in results.runs.items()}
    flake8_all, cold_all, warm_all = b["flake8 all"], b["tfshapelint cold all"], b["tfshapelint warm all"]
    q_lines, all_lines = results.corpus["1/4"]["lines"], results.corpus["all"]["lines"]
    def growth(tool: str, what: str) -> float:
        quarter = min(getattr(run, what) for run in results.runs[f"{tool} 1/4"])
        whole = min(getattr(run, what) for run in results.runs[f"{tool} all"])
        return math.log(whole / quarter) / math.log(all_lines / q_lines)

    exponent, cpu_exponent = growth("tfshapelint cold", "wall"), growth("tfshapelint cold", "cpu")
    flake8_exponent = growth("flake8", "wall")
    cpu = {name: min(run.cpu for run in runs) for name, runs in results.runs.items()}
    peak_tree = max(run.tree_mb for name, runs in results.runs.items() if name.startswith("tfshapelint")
                    for run in runs)
    peak_process = max(run.max_rss_mb for name, runs in results.runs.items() if name.startswith("tfshapelint")
                       for run in runs)
    ratios = {
        "cold_vs_flake8": cold_all.wall / flake8_all.wall,
        "warm_vs_cold": warm_all.wall / cold_all.wall,
        "one_file_vs_flake8": b["tfshapelint one file"].wall / b["flake8 one file"].wall,
        "one_file_warm_vs_flake8": b["tfshapelint one warm"].wall / b["flake8 one file"].wall,
        "peak_memory_mb": peak_tree,
        "peak_process_mb": peak_process,
        "growth_exponent": exponent,
        "growth_exponent_cpu": cpu_exponent,
        "flake8_growth_exponent": flake8_exponent,
        "cold_cpu_vs_flake8_cpu": cpu["tfshapelint cold all"] / cpu["flake8 all"],
        "warm_cpu_vs_cold_cpu": cpu["tfshapelint warm all"] / cpu["tfshapelint cold all"],
        "one_file_cpu_vs_flake8_cpu": cpu["tfshapelint one file"] / cpu["flake8 one file"],
        "cold_vs_parse": cold_all.wall / b["parse floor all"].wall,
        "cold_cpu_vs_parse_cpu": cpu["tfshapelint cold all"] / cpu["parse floor all"],
        "parse_growth_exponent": growth("parse floor", "wall"),
    }
    if "ruff all" in b:
        ratios["cold_vs_ruff"] = cold_all.wall / b["ruff all"].wall
        ratios["parse_vs_ruff"] = b["parse floor all"].wall / b["ruff all"].wall

    def added(blocks: int, what: str) -> float:
        """What the findings of the file of ``blocks`` findings add to its twin's time."""
        return getattr(b[f"tfshapelint many {blocks}"], what) - getattr(b[f"tfshapelint clean {blocks}"], what)

    few, most = MANY_FINDINGS
    for what, suffix in (("wall", ""), ("cpu", "_cpu")):
        low, high = added(few, what), added(most, what)
        ratios["findings_exponent" + suffix] = (math.log(high / low) / math.log(most / few) if low > 0 and high > 0
                                                else float("nan"))
        ratios["ms_per_finding" + suffix] = 1000 * high / most
    results.ratios = ratios

    print("\nbest of the rounds (wall seconds, lines per second of wall time; CPU seconds of all processes)")
    print(f"{'':24}" + "".join(f"{label:>25}" for _, label in SIZES))
    for tool in ("flake8", "tfshapelint cold", "tfshapelint warm", "parse floor", "ruff"):
        if f"{tool} all" not in b:
            continue  # ruff is not installed
        cells = []
        for _, label in SIZES:
            run = b[f"{tool} {label}"]
            cells.append(f"{run.wall:7.2f} {results.corpus[label]['lines'] / run.wall / 1000:6.1f}k/s "
                         f"{cpu[f'{tool} {label}']:6.2f}")
        print(f"{tool:<24}" + "".join(f"{cell:>25}" for cell in cells))
    print(f"{'one file':<24}flake8 {b['flake8 one file'].wall:.3f} s, tfshapelint {b['tfshapelint one file'].wall:.3f} s "
          f"(no cache), {b['tfshapelint one warm'].wall:.3f} s (cached)")
    for blocks, lines in zip(MANY_FINDINGS, results.corpus["many_findings"].values()):
        print(f"{f'{blocks} findings, {lines} lines':<29}tfshapelint {b[f'tfshapelint many {blocks}'].wall:.3f} s "
              f"({cpu[f'tfshapelint many {blocks}']:.2f} s CPU), without the findings "
              f"{b[f'tfshapelint clean {blocks}'].wall:.3f} s ({cpu[f'tfshapelint clean {blocks}']:.2f} s CPU)")
    loads = [run.load for runs in results.runs.values() for run in runs]
    print(f"load average during the runs: {min(loads):.1f} to {max(loads):.1f} (median {statistics.median(loads):.1f}) "
          f"on {results.machine['cores']} cores")

    def verdict(name: str, value: float, unit: str = "x") -> str:
        target = TARGETS[name]
        ok = value <= target
        return f"{value:.3g}{unit} (target <= {target:g}{unit}): {'met' if ok else 'MISSED'}"

    print("\ntargets")
    ruff_note = (f"; vs ruff: {ratios['cold_vs_ruff']:.2f}x, parse floor vs ruff: {ratios['parse_vs_ruff']:.2f}x"
                 if "cold_vs_ruff" in ratios else "; ruff not installed")
    print(f"  cold, whole corpus, vs parse floor {verdict('cold_vs_parse', ratios['cold_vs_parse'])}"
          f"   [cpu: {ratios['cold_cpu_vs_parse_cpu']:.2f}x{ruff_note}]")
    print(f"  cold, whole corpus, vs flake8 -j2  {verdict('cold_vs_flake8', ratios['cold_vs_flake8'])}"
          f"   [cpu: {ratios['cold_cpu_vs_flake8_cpu']:.2f}x]")
    print(f"  warm vs cold                       {verdict('warm_vs_cold', ratios['warm_vs_cold'])}"
          f"   [cpu: {ratios['warm_cpu_vs_cold_cpu']:.3f}x]")
    print(f"  one file vs flake8                 {verdict('one_file_vs_flake8', ratios['one_file_vs_flake8'])}"
          f"   [cpu: {ratios['one_file_cpu_vs_flake8_cpu']:.2f}x; cached: {ratios['one_file_warm_vs_flake8']:.2f}x]")
    print(f"  peak memory (process tree)         {verdict('peak_memory_mb', ratios['peak_memory_mb'], ' MB')}"
          f"   [largest process: {ratios['peak_process_mb']:.0f} MB]")
    print(f"  growth exponent 1/4 -> all         {verdict('growth_exponent', ratios['growth_exponent'], '')}"
          f"   [cpu: {ratios['growth_exponent_cpu']:.2f}; flake8: {ratios['flake8_growth_exponent']:.2f}; "
          f"parse floor: {ratios['parse_growth_exponent']:.2f}]")
    print(f"  time findings add, {few} -> {most}    {verdict('findings_exponent', ratios['findings_exponent'], '')}"
          f"   [cpu: {ratios['findings_exponent_cpu']:.2f}; {ratios['ms_per_finding']:.2f} ms per finding, "
          f"{ratios['ms_per_finding_cpu']:.2f} ms CPU]")


if __name__ == "__main__":
    raise SystemExit(main())
