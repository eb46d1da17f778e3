"""Feeding Python-built and file-read data vs a real TF1 ``Session``: drawn programs build data
(comprehensions, append loops, repetitions, ``np.loadtxt`` and ``np.load`` of drawn files, pandas
tables, ``train_test_split``) and feed it to a placeholder of a drawn shape. They are linted and
run for real, in a graph: a TSL010 on the feed must mean that ``Session.run`` raises "Cannot feed
value of shape" whenever the feed is reached (building the data may raise first: ``d[:, :-1]`` of a
one-row file). Feeds that TensorFlow rejects and we let pass are noted, never failures.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from .harness import VERDICTS, examples, note, tf

pytestmark = pytest.mark.tf

HEAD = ("import random\nimport numpy as np\nimport pandas as pd\nimport tensorflow.compat.v1 as tf\n"
        "from sklearn.model_selection import train_test_split\n")

DATA = st.sampled_from([
    "v = [random.randint(0, 9) for _ in range(N)]",
    "v = [[random.random()] * W for _ in range(N)]",
    "v = [[random.random() for _ in range(W)] for _ in range(N)]",
    "v = []\nfor i in range(N):\n    v.append(random.randint(0, 9))",
    "v = []\nfor i in range(N):\n    v.append([random.random()] * W)",
    "v = [[0.0] * W] * N",
    "v = np.eye(W)[[random.randint(0, W - 1) for _ in range(N)]]",
    "d = np.loadtxt('d.csv', delimiter=',')\nv = d[:, :-1]",
    "d = np.loadtxt('d.csv', delimiter=',')\nv = d[:, -1]",
    "d = np.genfromtxt('d.csv', delimiter=',')\nv = d[:, 0:2]",
    "v = np.load('x.npy')[:, 0]",
    "v = np.load('x.npy')[:, :, None]",
    "v = pd.read_csv('d.csv', header=None).values",
    "v = pd.read_csv('d.csv', header=None).iloc[:, -1].values",
    "v = pd.read_csv('d.csv', header=None)[[0, 1]].values",
    "v = train_test_split(np.zeros((N, W)), test_size=0.25)[1]",
    "v = pd.read_csv('d.csv', header=None).iloc[:, -1]",  # a column fed as it is
    "v = pd.read_csv('d.csv', header=None)",
    "import csv\nv = np.array(list(csv.reader(open('d.csv'))), dtype=float)[:, :-1]",
    "v = train_test_split([random.random() for _ in range(N)], train_size=0.5)[0]",
])
# sizes drawn at random, or the data's own (N rows, W columns): both fitting and unfitting feeds
PLACEHOLDER_DIMS = st.lists(st.one_of(st.none(), st.integers(1, 4), st.sampled_from(["N", "W", "W - 1"])), max_size=3)


def run_for_real(source: str) -> str:
    """"raises" when Session.run rejects the feed, "runs" when it accepts, "other" for any other error."""
    graph = tf().Graph()
    try:
        with graph.as_default():
            exec(compile(source, "<drawn>", "exec"), {})  # noqa: S102 - the drawn program, not linted user code
    except ValueError as error:
        return "raises" if "Cannot feed value of shape" in str(error) else "other"
    except Exception:  # noqa: BLE001 - NumPy/pandas rejected the data: no feed happened
        return "other"
    return "runs"


@examples(150)
@given(data=DATA, n=st.integers(1, 300), width=st.integers(2, 4), rows=st.integers(1, 4),
       saved=st.lists(st.integers(1, 3), min_size=1, max_size=4), dims=PLACEHOLDER_DIMS)
def test_fed_data_fits_or_tensorflow_raises(data, n, width, rows, saved, dims):
    from helpers import codes

    source = (HEAD + f"N, W = {n}, {width}\n{data}\n"
              f"p = tf.placeholder(tf.float32, [{', '.join(str(d) for d in dims)}])\n"
              "with tf.Session() as sess:\n    sess.run(p, feed_dict={p: v})\n")
    run_line = source.count("\n")
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "d.csv"), "w") as file:
            file.writelines(",".join(str(i + j) for j in range(width)) + "\n" for i in range(rows))
        np.save(os.path.join(folder, "x.npy"), np.zeros(saved))
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            real = run_for_real(source)
            ours = [code for line, code in codes(source) if line == run_line]
        finally:
            os.chdir(cwd)
    where = f"{source}\nreal: {real}"
    if real == "other":
        return  # the data could not be built (an IndexError...): the feed is never reached
    if ours == ["TSL010"]:
        assert real == "raises", f"FALSE POSITIVE\n{where}"
        VERDICTS[("feed of built data", "confirmed")] += 1
    elif real == "raises":
        note("missed", "feed of built data", data.splitlines()[-1], where)
        VERDICTS[("feed of built data", "missed")] += 1
    else:
        VERDICTS[("feed of built data", "both accept")] += 1
