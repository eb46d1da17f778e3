"""Data from files and libraries: np.loadtxt/genfromtxt/load, pandas tables, scikit-learn splits,
and what indexing proves about the rank of arrays of unknown shape (issue 13, item 2)."""

import pytest

from helpers import codes, run, shape

from tfshapelint.domain.rank_bounds import RankBoundedArray, rank_bounds
from tfshapelint.domain.values import UNKNOWN, TensorVal

HEAD = "import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n"


def bounds(source: str, name: str) -> tuple:
    value = run(HEAD + source).globals.vars[name]
    assert isinstance(value, TensorVal), f"{name} is {value!r}"
    return rank_bounds(value)


def shapes(source: str, *names: str) -> list:
    return [shape(HEAD + source, name) for name in names]


# -- files ------------------------------------------------------------------------------------------------


def test_text_files_have_rank_up_to_two():
    assert bounds("d = np.loadtxt('data.csv', delimiter=',')", "d") == (0, 2)
    assert bounds("d = np.genfromtxt('data.csv', delimiter=',', skip_header=1)", "d") == (0, 2)
    assert bounds("d = np.loadtxt('data.csv', delimiter=',', ndmin=1)", "d") == (1, 2)
    assert shapes("d = np.loadtxt('data.csv', delimiter=',', ndmin=2)", "d") == ["?x?"]
    assert shapes("d = np.loadtxt('data.csv', dtype=np.float32)", "d") == ["<unknown rank>"]


def test_a_structured_dtype_may_add_axes():
    src = "d = np.genfromtxt('f.csv', delimiter=',', dtype=np.dtype((float, (3, 2))))"
    assert run(HEAD + src).globals.vars["d"] is UNKNOWN


def test_columns_of_a_text_file_prove_its_rank():
    src = """
data = np.loadtxt('iris.csv', delimiter=',')
X = data[:, :4]
y = data[:, 4]
first = data[:600, :-1]
row = data[0]
"""
    assert shapes(src, "X", "y", "first") == ["?x?", "?", "?x?"]
    assert bounds(src, "row") == (0, 1)  # data may have one axis, then its first item is a number


def test_npy_and_npz_archives():
    src = """
v = np.load('x.npy')
w = v[:, :, 0]
e = v[..., None]
archive = np.load('all.npz')
x = archive['x'][:, 1:]
anything = np.load(path)
"""
    assert bounds(src, "v") == (0, None)
    assert bounds(src, "w") == (2, None)
    assert bounds(src, "e") == (1, None)
    assert bounds(src, "x") == (2, None)
    assert not isinstance(run(HEAD + src).globals.vars["anything"], TensorVal)


@pytest.mark.parametrize("key, expected", [
    ("[0]", (0, None)),
    ("[:, 0]", (1, None)),
    ("[:, :, None]", (3, None)),
    ("[perm]", (1, None)),  # one index array of rank 1 keeps the rank (ints or booleans alike)
    ("[[0, 1, 2]]", (1, None)),
    ("[i:i + 32]", (1, None)),
])
def test_rank_bounds_from_keys(key, expected):
    src = f"v = np.load('x.npy')\nperm = np.random.permutation(10)\ni = int(s)\nr = v{key}"
    assert bounds(src, "r") == expected


def test_keys_whose_effect_is_unknown_prove_nothing():
    src = "v = np.load('x.npy')\nr = v[np.load('mask.npy')]\nb = v[True]\n"
    assert bounds(src, "r") == (0, None)
    assert bounds(src, "b") == (0, None)


def test_shape_preserving_ops_keep_the_rank_bounds():
    src = """
v = np.load('x.npy')[:, :, 0]
a = v.astype(np.float32)
b = np.array(v)
c = np.sqrt(v)
"""
    assert [bounds(src, n) for n in "abc"] == [(2, None)] * 3
    assert isinstance(run(HEAD + src).globals.vars["a"], RankBoundedArray)


# -- pandas ---------------------------------------------------------------------------------------------------


def test_tables_give_arrays_of_rank_two_and_one():
    src = """
df = pd.read_csv('data.csv')
a = df.values
b = df.to_numpy()
c = df['label'].values
d = df.iloc[:, -1].values
e = df[['x', 'y']].values
f = df.iloc[:, 1:3].values
g = df.drop('label', axis=1).values
h = df.sample(frac=1).head(100).values
"""
    assert shapes(src, *"abcdefgh") == ["?x?", "?x?", "?", "?", "?x2", "?x?", "?x?", "?x?"]


def test_named_columns_are_counted():
    src = """
df = pd.read_csv('iris.data', names=['a', 'b', 'c', 'd', 'species'])
X = df.iloc[:, :4].values
y = df.iloc[:, 4].values
rest = df.drop(columns=['species']).values
everything = df.loc[:, :].values
u = pd.read_csv('f.csv', usecols=[0, 2, 5]).values
indexed = pd.read_csv('f.csv', names=['a', 'b'], index_col=0).values
"""
    assert shapes(src, "X", "y", "rest", "everything", "u", "indexed") == ["?x4", "?", "?x4", "?x5", "?x3", "?x?"]


def test_tables_convert_and_feed_as_their_values():
    src = """
import csv
df = pd.read_csv('d.csv', names=['a', 'b', 'c'])
a = np.asarray(df)
b = np.array(df['a'])
rows = np.array(list(csv.reader(open('d.csv')))).astype(float)
features = rows[:, :-1]
"""
    assert shapes(src, "a", "b") == ["?x3", "?"]
    assert bounds(src, "rows") == (0, None) and bounds(src, "features") == (2, None)
    feed = GRAPH + "X_train, X_test, y_train, y_test = train_test_split(pd.read_csv('f.csv'), pd.read_csv('l.csv')['y'])\n" \
        "sess.run(train_step, {x: X_train, y_: y_train})\n"
    assert codes(feed) == [(feed.count("\n"), "TSL010")]  # a column (rank 1) for [None, 1]


def test_a_data_frame_of_an_array_has_its_columns():
    assert shapes("df = pd.DataFrame(np.zeros((10, 3)))\nv = df.values", "v") == ["?x3"]
    assert shapes("df = pd.DataFrame({'a': [1], 'b': [2]})\nv = df.to_numpy()", "v") == ["?x2"]


# -- scikit-learn ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("options, train, test", [
    ("", 750, 250),
    ("test_size=0.2", 800, 200),
    ("test_size=0.33", 670, 330),
    ("train_size=0.7", 700, 300),
    ("test_size=100", 900, 100),
    ("test_size=0.2, train_size=0.5", 500, 200),
])
def test_train_test_split_sizes(options, train, test):
    src = f"""
X = np.random.rand(1000, 4)
y = np.random.randint(0, 3, 1000)
X_train, X_test, y_train, y_test = train_test_split(X, y, {options})
"""
    assert shapes(src, "X_train", "X_test", "y_train", "y_test") == [f"{train}x4", f"{test}x4", f"{train}", f"{test}"]


def test_train_test_split_of_symbolic_unknown_and_listed_data():
    src = """
import tensorflow as tf
X = np.zeros((tf.placeholder(tf.float32, [None]).shape[0], 4))
a, b = train_test_split(X, test_size=0.25)
c, d = train_test_split(X, test_size=0.2)
e, f = train_test_split(np.loadtxt('f.csv', delimiter=',')[:, :3])
g, h = train_test_split([[0.0] * 3] * 1000)
k, m = train_test_split(pd.read_csv('f.csv', names=['a', 'b']))
p = k.values
"""
    assert shapes(src, "a", "b", "c", "d", "e", "p") == ["(N - ceil(N/4))x4", "ceil(N/4)x4", "?x4", "?x4", "?x?", "?x2"]
    found = run(HEAD + src).globals.vars
    assert (found["g"].length, found["h"].length) == (750, 250)


def test_shuffling_keeps_shapes():
    src = """
from sklearn.utils import shuffle
X = np.random.rand(100, 4)
y = np.zeros(100)
np.random.shuffle(X)
X2, y2 = shuffle(X, y)
p = np.random.permutation(len(X))
X3 = X[p]
"""
    # X[p]: p may hold ints (a permutation) or booleans (a mask, as long as X): rows unknown
    assert shapes(src, "X", "X2", "y2", "X3") == ["100x4", "100x4", "100", "?x4"]


def test_a_boolean_mask_keeps_an_unknown_number_of_rows():
    src = """
X = np.random.rand(100, 4)
y = np.random.rand(100)
a = X[y > 0.5]
b = X[[True, False] * 50]
c = X[[0, 1, 2]]
d = np.eye(10)[np.random.randint(0, 10, 100)]
"""
    assert shapes(src, "a", "b", "c", "d") == ["?x4", "?x4", "3x4", "100x10"]


def test_one_hot_labels_and_batches():
    src = """
import tensorflow as tf
y = np.random.randint(0, 10, 500)
a = np.eye(10)[y]
b = tf.keras.utils.to_categorical(y, 10)
c = tf.keras.utils.to_categorical(y.reshape(-1, 1), 10)
d = tf.keras.utils.to_categorical(y, num_classes=0)
X = np.random.rand(500, 784)
i = np.random.randint(0, 400)
batch = X[i:i + 100]
"""
    assert shapes(src, "a", "b", "c", "d", "batch") == ["500x10", "500x10", "500x10", "500x?", "?x784"]


# -- feeding -------------------------------------------------------------------------------------------------

GRAPH = HEAD + """import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 4])
y_ = tf.placeholder(tf.float32, [None, 1])
loss = tf.reduce_mean(tf.square(tf.layers.dense(x, 1) - y_))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
sess = tf.Session()
"""


def feed_findings(data: str, feed: str = "{x: X, y_: Y}") -> list:
    source = GRAPH + data + f"\nsess.run(train_step, feed_dict={feed})\n"
    last = source.count("\n")
    return [(line - last, code) for line, code in codes(source)]


@pytest.mark.parametrize("data", [
    "data = np.loadtxt('f.csv', delimiter=',')\nX, Y = data[:, :4], data[:, 4]",  # labels without their column axis
    "df = pd.read_csv('f.csv')\nX, Y = df.iloc[:, :-1].values, df.iloc[:, -1].values",
    "df = pd.read_csv('f.csv', names=list('abcdef'))\nX, Y = df.iloc[:, :5].values, df[['f']].values",  # 5 features
    "X = np.load('x.npy')[:, :, 0]\nY = np.zeros((10, 1))\nX = X.reshape(-1)",  # rank 1 for rank 2
    "data = np.load('d.npy')\nX = data[:, :, :4]\nY = np.zeros((10, 1))",  # rank 3 or more for rank 2
])
def test_wrong_feeds_of_file_data(data):
    findings = feed_findings(data)
    assert findings == [(0, "TSL010")]


def test_min_rank_feeds_a_placeholder_of_smaller_rank():
    src = GRAPH + "t = tf.placeholder(tf.float32, [None])\nv = np.load('x.npy')[:, 1:]\nsess.run(t, {t: v})\n"
    assert codes(src) == [(src.count("\n"), "TSL010")]


@pytest.mark.parametrize("data", [
    "data = np.loadtxt('f.csv', delimiter=',')\nX, Y = data[:, :4], data[:, 4:]",
    "data = np.loadtxt('f.csv', delimiter=',')\nX, Y = data[:, :4], data[:, 4].reshape(-1, 1)",
    "df = pd.read_csv('f.csv')\nX, Y = df.iloc[:, :-1].values, df[['label']].values",
    "X = np.load('x.npy')\nY = np.load('y.npy')",  # nothing known
    "X = np.load('x.npy')[:, 0]\nY = np.load('y.npy')[:, None]",  # rank >= 1 and >= 2: may fit
    "X, Y = train_test_split(np.loadtxt('f.csv', delimiter=','), test_size=0.1)",
])
def test_fitting_or_unknown_file_data_is_clean(data):
    assert feed_findings(data) == []
