"""Data built in Python: numbers of unknown value, long comprehensions, repetitions and lists grown
in loops, as far as NumPy and feed_dict see them (issue 13, item 1)."""

import pytest

from helpers import codes, run, shape

from tfshapelint.domain.sequences import SequenceSummary
from tfshapelint.domain.values import UNKNOWN, NumberVal

HEAD = "import random\nimport math\nimport numpy as np\n"


def value(source: str, name: str):
    return run(HEAD + source).globals.vars[name]


def summary(source: str, name: str) -> tuple:
    """``(length, element)`` of a summarised list, the length printed."""
    found = value(source, name)
    assert isinstance(found, SequenceSummary), f"{name} is {found!r}"
    length = found.length if isinstance(found.length, int) or found.length is None else str(found.length)
    return length, found.element


# -- numbers of unknown value -------------------------------------------------------------------------


@pytest.mark.parametrize("expr, kind", [
    ("random.randint(0, 9)", "int"),
    ("random.randrange(10)", "int"),
    ("random.random()", "float"),
    ("random.uniform(-1, 1)", "float"),
    ("random.gauss(0, 1)", "float"),
    ("random.Random(0).randint(1, 6)", "int"),
    ("int(input())", "int"),
    ("float(input())", "float"),
    ("len(open('f').readlines())", "int"),
    ("math.sqrt(random.random())", "float"),
    ("math.floor(random.random() * 10)", "int"),
    ("np.random.randint(0, 10)", "int"),
    ("np.random.uniform()", "float"),
    ("np.random.rand()", "float"),
    ("np.random.choice(5)", "int"),
    ("random.randint(0, 9) * 2 + 1", "int"),
    ("random.randint(0, 9) / 2", "float"),
    ("random.randint(0, 9) + 0.5", "float"),
    ("-random.randint(0, 9)", "int"),
    ("abs(random.gauss(0, 1))", "float"),
    ("max([random.random(), 1.0])", "float"),
    ("random.randint(0, 9) ** 2", "number"),
])
def test_calls_known_to_return_a_number(expr, kind):
    found = value(f"v = {expr}", "v")
    assert isinstance(found, NumberVal) and found.kind == kind


def test_a_join_of_two_numbers_is_a_number():
    assert value("v = 1 if random.random() < 0.5 else 2", "v").kind == "int"
    assert value("v = 1 if random.random() < 0.5 else 2.5", "v").kind == "number"
    assert value("v = 1 if random.random() < 0.5 else 'a'", "v") is UNKNOWN
    assert value("v = True if random.random() < 0.5 else False", "v") is UNKNOWN  # bools are not numbers here


def test_math_of_constants_is_computed_and_a_number_is_not_a_size():
    assert value("v = int(math.sqrt(784))", "v").value == 28
    assert value("v = math.ceil(10 / 3)", "v").value == 4
    assert value("v = 2 * math.pi", "v").value == pytest.approx(6.283185307179586)
    # a number of unknown value may be 0 or negative: it never becomes a symbolic size
    assert shape("import random\nimport numpy as np\nx = np.zeros((random.randint(0, 3), 2))", "x") == "?x2"


def test_random_choice_and_sample_pick_items_not_numbers():
    assert value("v = random.choice(['a', 'b'])", "v") is UNKNOWN
    assert value("v = random.choice([1, 2, 3])", "v").kind == "int"
    length, element = summary("v = random.sample(range(100), 10)", "v")
    assert length == 10 and element.kind == "int"
    length, element = summary("v = random.sample(['a', 'b', 'c'], 2)", "v")
    assert length == 2 and element is UNKNOWN


# -- summarised sequences ---------------------------------------------------------------------------


def test_a_long_comprehension_is_its_length_and_element():
    length, element = summary("v = [random.randint(0, 9) for _ in range(1000)]", "v")
    assert length == 1000 and element.kind == "int"
    assert shape(HEAD + "v = np.array([random.randint(0, 9) for _ in range(1000)])", "v") == "1000"


def test_comprehensions_of_lists_and_repetitions():
    src = HEAD + """
rows = [[random.random()] * 4 for _ in range(300)]
zeros = [0.0] * 100000
grid = [[0] * 28 for _ in range(28)] * 500
a, b, c = np.array(rows), np.asarray(zeros), np.array(grid)
"""
    assert [shape(src, n) for n in "abc"] == ["300x4", "100000", "14000x28"]


def test_a_symbolic_length_stays_symbolic():
    src = HEAD + """
import tensorflow as tf
images = tf.placeholder(tf.float32, [None, 784])
n = images.shape[0]
rows = np.array([[random.random()] * 4 for _ in range(n)])
"""
    assert shape(src, "rows") == "Nx4"


def test_summaries_through_len_iteration_zip_and_indexing():
    src = HEAD + """
labels = [random.randint(0, 9) for _ in range(1000)]
n = len(labels)
first = labels[0]
part = labels[:100]
pairs = list(zip(labels, labels))
doubled = []
for label in labels:
    doubled.append(label * 2.0)
total = sum(labels)
double = labels + labels
"""
    interpreter = run(src)
    found = interpreter.globals.vars
    assert found["n"].value == 1000
    assert found["first"].kind == "int" and found["total"].kind == "int"
    assert found["doubled"].length == 1000 and found["doubled"].element.kind == "float"
    assert found["part"].length == 100 and found["pairs"].length == 1000 and found["double"].length == 2000


def test_ranges_of_ints_whose_values_are_unknown():
    length, element = summary("n = len(open('f').read())\nv = range(0, n, 32)", "v")
    assert length is None and element.kind == "int"
    src = HEAD + """
rows = np.zeros((len(open('f').read()), 4))
batches = [rows[i] for i in range(0, len(rows), 32)]
"""
    assert run(src).globals.vars["batches"].element.shape == (4,)
    assert value("v = range(1.5)", "v") is UNKNOWN


def test_a_filtered_or_unknown_comprehension_has_an_unknown_length():
    length, element = summary("v = [random.random() for _ in range(1000) if random.random() < 0.5]", "v")
    assert length is None and element.kind == "float"
    length, element = summary("v = [float(x) for x in open('f')]", "v")
    assert length is None and element.kind == "float"
    # an unknown length may be 0, and [] has shape (0,): only a rank-1 list keeps a certain rank
    assert shape(HEAD + "v = np.array([float(x) for x in open('f')])", "v") == "?"
    assert shape(HEAD + "v = np.array([[float(x)] for x in open('f')])", "v") == "<unknown rank>"


def test_one_element_never_stands_for_many_objects():
    """Each layer a comprehension makes is built for its own input: evaluated once, one layer would
    seem called with two input sizes (TSL009)."""
    src = """
import tensorflow as tf
layers = [tf.keras.layers.Dense(16) for _ in range(num_layers)]
blocks = [(lambda x, layer=tf.keras.layers.Dense(16): layer(x)) for _ in range(num_layers)]
x = tf.zeros([4, 8])
h = layers[1](layers[0](x))
g = blocks[1](blocks[0](x))
shared = [tf.keras.layers.Dense(16)] * 3
s = shared[1](shared[0](x))  # one layer, built for 8 features, then given 16: Keras raises
"""
    assert codes(src) == [(9, "TSL009")]


def test_short_comprehensions_still_list_their_items():
    found = value("v = [i * i for i in range(4)]", "v")
    assert [item.value for item in found.items] == [0, 1, 4, 9]


# -- lists grown in loops ---------------------------------------------------------------------------------


def test_one_append_per_iteration_of_a_known_loop():
    src = """
labels = []
for i in range(1000):
    labels.append(random.randint(0, 9))
features = [[0.0] * 3]
for row in range(500):
    x = random.random()
    features.append([x, x, x])
"""
    length, element = summary(src, "labels")
    assert length == 1000 and element.kind == "int"
    assert shape(HEAD + src + "f = np.array(features)", "f") == "501x3"


@pytest.mark.parametrize("loop", [
    "for i in range(1000):\n    if random.random() < 0.5:\n        labels.append(i)",  # conditional
    "for i in range(1000):\n    labels.append(i)\n    if i > 5:\n        break",  # may stop early
    "for i in range(1000):\n    labels.append(1)\n    labels.append(2)",  # twice per iteration
    "while random.random() < 0.9:\n    labels.append(random.randint(0, 9))",
    "for line in open('f'):\n    labels.append(int(line))",  # unknown trip count
])
def test_other_growing_loops_give_an_unknown_length(loop):
    length, element = summary(f"labels = []\n{loop}\n", "labels")
    assert length is None and element.kind == "int"


def test_items_assigned_at_an_unknown_index_keep_the_lengths():
    src = """
y = [random.randint(0, 9) for _ in range(1000)]
onehot = [[0] * 10 for _ in range(len(y))]
for i, label in enumerate(y):
    onehot[i][label] = 1
a = np.array(onehot)
"""
    assert shape(HEAD + src, "a") == "1000x10"
    found = value("v = [0, 0, 0]\nv[int(s)] = 2.5", "v")
    assert [item.kind for item in found.items] == ["number"] * 3


@pytest.mark.parametrize("with_text", [True, False])
def test_the_lists_a_loop_only_appends_to(with_text):
    """Found in the loop's text when there is one (a word count), else in its syntax tree."""
    import ast
    import textwrap

    from tfshapelint.analysis.syntax import SyntaxFacts

    source = textwrap.dedent("""
    for i in range(1000):
        a.append(i)
        b.append(i)
        if i:
            b.extend([i])
        c.append(c)
        d.append(i)
        print(d)
        def f():
            return e
        e.append(i)
    """)
    loop = ast.parse(source).body[0]
    facts = SyntaxFacts(source if with_text else None)
    assert facts.appended_lists(loop) == {"a": True, "b": False}


def test_a_list_the_loop_also_reads_or_rebinds_is_not_summarised():
    src = """
labels = []
for i in range(1000):
    labels.append(i)
    labels = labels[-10:]
"""
    assert value(src, "labels") is UNKNOWN


# -- feeding ------------------------------------------------------------------------------------------------

GRAPH = HEAD + """import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 4])
y_ = tf.placeholder(tf.float32, [None, 10])
loss = tf.reduce_mean(tf.square(tf.layers.dense(x, 10) - y_))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
sess = tf.Session()
"""
RUN = "sess.run(train_step, feed_dict={x: xs, y_: ys})"


def feed_findings(data: str) -> list:
    source = GRAPH + data + "\n" + RUN + "\n"
    return [(line - source[:source.index(RUN)].count("\n") - 1, code) for line, code in codes(source)]


@pytest.mark.parametrize("data", [
    "xs = [[random.random()] * 4 for _ in range(1000)]\nys = [random.randint(0, 9) for _ in range(1000)]",
    "xs = [[random.random()] * 4 for _ in range(1000)]\nys = []\nfor i in range(1000):\n    ys.append(random.randint(0, 9))",
    "xs = [[random.random()] * 4] * 1000\nys = [int(line) for line in open('labels.txt')]",  # any length
    "xs = [[random.random()] * 5 for _ in range(1000)]\nys = np.eye(10)[[random.randint(0, 9) for _ in range(1000)]]",
])
def test_wrong_python_built_feeds(data):
    assert feed_findings(data) == [(0, "TSL010")]


@pytest.mark.parametrize("data", [
    "xs = [[random.random()] * 4 for _ in range(1000)]\nys = np.eye(10)[[random.randint(0, 9) for _ in range(1000)]]",
    "xs = [[random.random()] * 4 for _ in range(1000)]\nys = [[0.0] * 10 for _ in range(1000)]",
    "xs = [[random.random()] * k for _ in range(1000)]\nys = [[0.0] * 10] * 1000",  # k unknown
    "xs = [[random.random()] * 4 for _ in range(1000)]\nys = [[0.0] * 10 for line in open('f') if line]",
    "xs = [row for row in open('f')]\nys = [[0.0] * 10] * 1000",  # rows of unknown shape
])
def test_fitting_or_unknown_python_built_feeds_are_clean(data):
    assert feed_findings(data) == []


def test_feeding_a_number_of_unknown_value():
    assert feed_findings("xs = [[random.random()] * 4] * 9\nys = random.randint(0, 9)") == [(0, "TSL010")]
    assert feed_findings("xs = [[random.random()] * 4] * 9\nys = random.choice(data)") == []

