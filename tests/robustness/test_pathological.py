"""Pathological code: bounded time and memory, and a diagnostic instead of a crash.

Deep nesting, very long expressions, huge files, enormous literals, recursion, loops with huge or
no bounds, values that double at each iteration. Every case is linted in one child process with an
address-space limit (a case that needs gigabytes fails with MemoryError instead of swapping); each
must finish within ``LIMIT`` seconds, without an internal error, with the expected outcome. The
time and memory of each case are printed in the summary ("robustness" section).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap

import pytest

LIMIT = 10.0  # seconds per case (they take well under 5 s; CI machines are slower)
MEMORY = 4 << 30  # address space of the child process

T = "import tensorflow as tf\n"
ERR = "tf.zeros([2, 3]) @ tf.zeros([4, 5])"  # TSL004


def nested(n: int, line: str, body: str) -> str:
    """``n`` nested blocks opened by ``line`` (``{i}`` is the level)."""
    return "".join("    " * i + line.format(i=i) + "\n" for i in range(n)) + "    " * n + body + "\n"


# Refused by Python's parser ("code nested too deeply for Python's parser"), or, by a Python whose
# parser goes deeper (3.13 builds trees up to its C recursion limit), stopped by the analysis
# ("nesting too deep").
NESTED = "nest"

# name: (source, expected: "clean", a finding code, or a diagnostic code and words of its message)
CASES = {
    # nesting
    "1000 nested parentheses": (T + "x = " + "(" * 1000 + "1" + ")" * 1000 + "\n", ("TSL901", "too many nested")),
    "1000 nested lists": (T + "x = " + "[" * 1000 + "1" + "]" * 1000 + "\n", ("TSL901", "too many nested")),
    "2000 nested calls": (T + "x = " + "f(" * 2000 + "1" + ")" * 2000 + "\n", ("TSL901", "too many nested")),
    "190 nested lists": (T + "x = " + "[" * 190 + ERR + "]" * 190 + "\n", "TSL004"),
    "500 nested ifs": (T + nested(500, "if x{i}:", "pass"), ("TSL901", "too many levels of indentation")),
    "500 nested defs": (T + nested(500, "def f{i}():", "pass"), ("TSL901", "too many levels of indentation")),
    "99 nested ifs": (T + nested(99, "if x{i}:", "y = " + ERR), "TSL004"),
    "99 nested defs": (T + nested(99, "def f{i}(x):", "return " + ERR), "TSL004"),
    "99 nested withs": (T + nested(99, "with tf.name_scope('s{i}'):", "y = " + ERR), "TSL004"),
    "3000 elifs": (T + "if a:\n    pass\n" + "elif a:\n    pass\n" * 3000, ("TSL903", NESTED)),
    "150 elifs": (T + "if a:\n    pass\n" + "elif a:\n    pass\n" * 150 + "else:\n    y = " + ERR + "\n", "TSL004"),
    "5000 nots": (T + "x = " + "not " * 5000 + "a\n", ("TSL903", NESTED)),
    "3000 subscripts": (T + "x = a" + "[0]" * 3000 + "\n", ("TSL903", NESTED)),
    # Python 3.10's ast.parse overflowed the C stack on it (SIGSEGV); 3.11+ refuse it
    "120k subscripts": (T + "x = a" + "[0]" * 120_000 + "\n", ("TSL903", "nested")),
    # long expressions
    "20k-term sum": (T + "x = " + " + ".join(["1"] * 20_000) + "\n", ("TSL903", "nested")),
    "20k-term tensor sum": (T + "t = tf.zeros([2, 3])\nx = " + " + ".join(["t"] * 20_000) + "\n", ("TSL903", "nested")),
    "190-term tensor sum": (T + "t = tf.zeros([2, 3])\nx = " + " + ".join(["t"] * 190) + " + tf.zeros([4])\n",
                            "TSL006"),
    "20k-operand comparison": (T + "x = " + " < ".join(["a"] * 20_000) + "\n", "clean"),
    # flat lists in Python's tree (libcst nested them: 10 000 `and` crashed it with SIGSEGV)
    "20k-operand and": (T + "x = " + " and ".join(["a"] * 20_000) + "\n", "clean"),
    "150-operand or": (T + "x = " + " or ".join(["a"] * 150) + "\ny = " + ERR + "\n", "TSL004"),
    "300 comprehension clauses": (T + "x = [1 " + " ".join(f"for a{i} in b" for i in range(300)) + "]\n",
                                  "clean"),
    "1500 concatenated strings": (T + "x = " + " ".join(['"a"'] * 1_500) + "\ny = " + ERR + "\n", "TSL004"),
    # Python merges them into one constant (libcst nested them, and could not parse 20 000)
    "3000 concatenated strings": (T + "x = " + " ".join(['"a"'] * 3_000) + "\ny = " + ERR + "\n", "TSL004"),
    "20k concatenated strings": (T + "x = " + " ".join(['"a"'] * 20_000) + "\n", "clean"),
    # libcst's time doubled with each level of a match-case pattern; match bodies are not analysed
    "24-level match pattern": (T + "match x:\n    case " + "A(" * 24 + ")" * 24 + ":\n        pass\n", "clean"),
    "6-level match pattern": (T + "match x:\n    case [A(B(C(x)), y), {'k': D(z)}] if x:\n        pass\n"
                              "y = " + ERR + "\n", "TSL004"),
    # huge files
    "5 MB file": (T + "".join(f"x{i} = tf.zeros([{i % 7 + 1}, 3]) @ tf.zeros([3, 2])\n" for i in range(110_000)),
                  ("TSL903", "KB")),
    "150k syntax nodes": (T + "".join(f"x{i} = tf.matmul(tf.zeros([{i % 7 + 1}, 3]), tf.zeros([3, {i % 5 + 1}]))\n"
                                      for i in range(7_000)) + "y = " + ERR + "\n", "TSL004"),
    "2500 dense lines": (T + "".join(f"x{i} = tf.matmul(tf.zeros([{i % 7 + 1}, 3]), tf.zeros([3, {i % 5 + 1}]))\n"
                                     for i in range(2_500)) + "y = " + ERR + "\n", "TSL004"),
    # enormous literals
    "5000-digit integer": (T + "x = " + "9" * 5000 + "\ny = 0x" + "f" * 5000 + "\nz = " + ERR + "\n", "TSL004"),
    "200 000-digit integer": (T + "x = " + "9" * 200_000 + "\nz = " + ERR + "\n", ("TSL903", "digits")),
    "huge powers": (T + "x = 10 ** 100000\ny = 9 ** 9 ** 9\nz = 2 ** 2 ** 2 ** 2 ** 2\nw = tf.zeros([x, y, z])\n",
                    "clean"),
    "400 KB string": (T + "x = '" + "a" * 400_000 + "'\ny = x * 1000\nz = x + x\nw = " + ERR + "\n", "TSL004"),
    "50k-element list": (T + "x = [" + ", ".join(["1"] * 50_000) + "]\ny = tf.constant(x)\nz = " + ERR + "\n",
                         "TSL004"),
    "20k-entry dict": (T + "x = {" + ", ".join(f"{i}: {i}" for i in range(20_000)) + "}\ny = " + ERR + "\n", "TSL004"),
    "10000x10000 constant": (T + "x = tf.constant([[1] * 10000] * 10000)\ny = tf.reshape(x, [-1, 7])\n", "TSL002"),
    "wide float": (T + "x = 1e999\ny = round(x)\nz = int(x)\nw = tf.zeros([round(float('nan'))])\n", "clean"),
    # recursion
    "recursive helper": (T + "def f(n):\n    return f(n - 1) + tf.zeros([n])\ny = f(10)\n", "clean"),
    "mutual recursion": (T + "def g(x):\n    return h(x) @ tf.zeros([3, 3])\ndef h(x):\n    return g(x)\n"
                         "y = g(tf.zeros([2, 3]))\n", "clean"),
    "recursive class": (T + "class A:\n    def __init__(self):\n        self.a = A()\n        self.t = " + ERR + "\nA()\n",
                        "TSL004"),
    "exponential call tree": (T + "".join(f"def f{i}(x):\n    return f{i + 1}(x) + f{i + 1}(x)\n" for i in range(40))
                              + "def f40(x):\n    return x @ tf.zeros([3, 3])\ny = f0(tf.zeros([2, 3]))\n", "clean"),
    "deep inheritance": (T + "class C0:\n    pass\n" + "".join(f"class C{i + 1}(C{i}):\n    pass\n" for i in range(150))
                         + "x = C150()\ny = " + ERR + "\n", "TSL004"),
    # loops
    "range(10**9)": (T + "x = tf.zeros([2, 3])\nfor i in range(10**9):\n    x = x @ tf.zeros([3, 3])\n"
                     "for i in range(10**30):\n    y = x @ tf.zeros([4, 4])\nn = len(range(10**30))\n", "TSL004"),
    "while True with tensor ops": (T + "x = tf.zeros([2, 3])\nwhile True:\n    x = tf.concat([x, x], 0)\n"
                                   "    y = tf.matmul(x, tf.zeros([3, 3]))\n    z = tf.matmul(x, tf.zeros([4, 4]))\n",
                                   "TSL004"),
    # summarised, not unrolled: their product is long (analysis.loops)
    "6 nested 200-step loops": (T + "x = tf.zeros([2, 3])\n" + nested(6, "for i{i} in range(200):", "x = x + 1")
                                + "y = " + ERR + "\n", "TSL004"),
    # a loop whose passes call a long helper: it runs out of its own budget, not the file's
    "loop of long helper calls": (T + "def step(s):\n" + "    s = s * 2 + 1\n" * 400 + "    return s\n"
                                  + "s = 0\nwhile s < limit:\n" + "    s = step(s)\n" * 40, ("TSL903", "loop stopped")),
    "tensor doubled 250 times": (T + "x = tf.zeros([2])\nfor i in range(250):\n    x = tf.concat([x, x], 0)\n"
                                 "y = tf.reshape(x, [3, -1])\n", "TSL002"),
    # values that double at each iteration (2**256 items, or exponential joins)
    "list doubled": (T + "x = [1]\nfor i in range(250):\n    x = x + x\n    x += x\n    x.extend(x)\n", "clean"),
    "spread doubled": (T + "x = [1]\nfor i in range(250):\n    x = [*x, *x]\n", "clean"),
    "string doubled": (T + "s = 'ab'\nfor i in range(250):\n    s = s + s\n    t = '%999999999s' % s\n", "clean"),
    "shared nesting joined": (T + "x = [1]\nfor i in range(200):\n    x = [x, x]\nif c:\n    y = x\nelse:\n"
                              "    y = x[0]\nz = tf.constant(x)\n", "clean"),
}

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    from tfshapelint.files import read_source
    from tfshapelint.linter import lint_source
    for path in sys.argv[1:]:
        print(json.dumps({"path": path, "start": True}), flush=True)
        start = time.perf_counter()
        text = read_source(path)
        findings = lint_source(text, path)
        seconds = time.perf_counter() - start
        print(json.dumps({"path": path, "seconds": seconds,
                          "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                          "findings": [[f.code, f.message] for f in findings]}), flush=True)
""")


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("pathological")
    paths = {}
    for index, (name, (source, _)) in enumerate(CASES.items()):
        path = folder / f"case{index:02d}.py"
        path.write_text(source)
        paths[str(path)] = name
    done = subprocess.run([sys.executable, "-c", CHILD, *paths], capture_output=True, text=True,
                          timeout=LIMIT * len(CASES), preexec_fn=_limit_memory)
    results, started = {}, None
    for line in done.stdout.splitlines():
        record = json.loads(line)
        if record.get("start"):
            started = paths[record["path"]]
        else:
            results[paths[record["path"]]] = record
    if done.returncode != 0:
        pytest.fail(f"the child process failed (rc {done.returncode}) on case {started!r}:\n{done.stderr[-3000:]}")
    return results


@pytest.mark.parametrize("name", list(CASES))
def test_bounded_and_no_crash(outcomes, name, timings):
    record = outcomes[name]
    codes = [code for code, _ in record["findings"]]
    timings.append(f"{name:32} {record['seconds']:6.2f} s  {record['rss_mb']:5d} MB peak  {' '.join(codes) or '-'}")
    assert "TSL902" not in codes, record["findings"]
    assert record["seconds"] < LIMIT, f"{name}: {record['seconds']:.1f} s"
    expected = CASES[name][1]
    if expected == "clean":
        assert codes == [], record["findings"]
    elif isinstance(expected, str):
        assert expected in codes and not any(c.startswith("TSL9") for c in codes), record["findings"]
    else:
        code, words = expected
        [(found, message)] = record["findings"]
        assert found == code and words in message, record["findings"]
