"""NumPy values: shapes of arrays made and transformed by NumPy code, and NumPy's own errors."""

import pytest

from helpers import codes, const, run, shape
from tfshapelint.domain.values import NumberVal

NP = "import numpy as np\nimport tensorflow as tf\n"


@pytest.mark.parametrize("expr, expected", [
    ("np.zeros((3, 4))", "3x4"),
    ("np.ones([2, 3, 5])", "2x3x5"),
    ("np.empty(7)", "7"),
    ("np.full((2, 2), 7.0)", "2x2"),
    ("np.zeros_like(np.ones((4, 5)))", "4x5"),
    ("np.full_like(np.ones((4, 5)), 3)", "4x5"),
    ("np.ones_like([[1, 2, 3]])", "1x3"),
    ("np.zeros_like(np.ones((4, 5)), shape=(2,))", "2"),
    ("np.random.rand(100, 784)", "100x784"),
    ("np.random.randn(3)", "3"),
    ("np.random.random((5, 2))", "5x2"),
    ("np.random.random(size=6)", "6"),
    ("np.random.random_sample([2, 2])", "2x2"),
    ("np.random.uniform(-1, 1, size=(4, 3))", "4x3"),
    ("np.random.uniform(size=9)", "9"),
    ("np.random.normal(0, 0.1, [8, 8])", "8x8"),
    ("np.random.normal(np.zeros((3, 2)), 1.0)", "3x2"),
    ("np.random.randint(0, 10, size=100)", "100"),
    ("np.random.randint(0, 10, (4, 1))", "4x1"),
    ("np.random.choice(10, 5)", "5"),
    ("np.random.permutation(12)", "12"),
    ("np.random.default_rng(0).normal(size=(3, 3))", "3x3"),
    ("np.random.RandomState(1).rand(2, 5)", "2x5"),
    ("np.arange(10)", "10"),
    ("np.arange(2, 10)", "8"),
    ("np.arange(0, 1, 0.25)", "4"),
    ("np.arange(10, 0, -3)", "4"),
    ("np.linspace(0, 1)", "50"),
    ("np.linspace(0, 1, 11)", "11"),
    ("np.eye(10)", "10x10"),
    ("np.eye(3, 4)", "3x4"),
    ("np.array([[1, 2, 3], [4, 5, 6]])", "2x3"),
    ("np.asarray([1.0, 2.0])", "2"),
    ("np.array([[i, i * 2] for i in range(5)])", "5x2"),
    ("np.array(5, ndmin=2)", "1x1"),
    ("np.array([np.zeros(3), np.ones(3)])", "2x3"),
    ("np.zeros((6, 4)).reshape(-1)", "24"),
    ("np.zeros((6, 4)).reshape(3, -1)", "3x8"),
    ("np.zeros((6, 4)).reshape((2, 3, 4))", "2x3x4"),
    ("np.reshape(np.zeros(784), (28, 28, 1))", "28x28x1"),
    ("np.reshape(np.zeros((10, 784)), [-1, 28, 28, 1])", "10x28x28x1"),
    ("np.zeros((2, 3, 4)).T", "4x3x2"),
    ("np.zeros((2, 3, 4)).transpose(0, 2, 1)", "2x4x3"),
    ("np.transpose(np.zeros((2, 3, 4)), (1, 0, 2))", "3x2x4"),
    ("np.transpose(np.zeros((2, 3)))", "3x2"),
    ("np.expand_dims(np.zeros((28, 28)), 0)", "1x28x28"),
    ("np.expand_dims(np.zeros((28, 28)), axis=-1)", "28x28x1"),
    ("np.expand_dims(np.zeros(5), (0, 2))", "1x5x1"),
    ("np.squeeze(np.zeros((1, 5, 1)))", "5"),
    ("np.squeeze(np.zeros((1, 5, 1)), axis=0)", "5x1"),
    ("np.zeros((4, 1)).squeeze(1)", "4"),
    ("np.stack([np.zeros((2, 3))] * 4)", "4x2x3"),
    ("np.stack([np.zeros(3), np.zeros(3)], axis=1)", "3x2"),
    ("np.stack([np.zeros(3), np.zeros(3)], axis=-1)", "3x2"),
    ("np.concatenate([np.zeros((2, 3)), np.zeros((5, 3))])", "7x3"),
    ("np.concatenate((np.zeros((2, 3)), np.zeros((2, 1))), axis=1)", "2x4"),
    ("np.concatenate([np.zeros((2, 3)), np.zeros((5, 3))], axis=None)", "21"),
    ("np.vstack([np.zeros(3), np.zeros(3)])", "2x3"),
    ("np.vstack([np.zeros((2, 3)), np.zeros((4, 3))])", "6x3"),
    ("np.hstack([np.zeros(3), np.zeros(4)])", "7"),
    ("np.hstack([np.zeros((2, 3)), np.zeros((2, 1))])", "2x4"),
    ("np.column_stack([np.zeros(3), np.zeros(3)])", "3x2"),
    ("np.zeros((5, 3)).astype(np.float32)", "5x3"),
    ("np.zeros((5, 3)).mean(axis=0)", "3"),
    ("np.sum(np.zeros((5, 3)), axis=1, keepdims=True)", "5x1"),
    ("np.argmax(np.zeros((5, 3)), axis=1)", "5"),
    ("np.argmax(np.zeros((5, 3)), 1)", "5"),
    ("np.mean(np.zeros((5, 3)))", "scalar"),
    ("np.zeros((5, 3)).flatten()", "15"),
    ("np.ravel(np.zeros((5, 3)))", "15"),
    ("np.zeros((5, 3)) @ np.zeros(3)", "5"),
    ("np.zeros(3) @ np.zeros((3, 4))", "4"),
    ("np.zeros((2, 5, 3)) @ np.zeros((3, 4))", "2x5x4"),
    ("np.matmul(np.zeros((5, 3)), np.zeros((3, 2)))", "5x2"),
    ("np.dot(np.zeros((5, 3)), np.zeros(3))", "5"),
    ("np.maximum(np.zeros((5, 1)), np.zeros(3))", "5x3"),
    ("np.clip(np.zeros((5, 3)), 0, 1)", "5x3"),
    ("np.where(np.greater(np.zeros((5, 3)), 0), 1.0, np.zeros(3))", "5x3"),
    ("np.tile(np.zeros((2, 3)), (2, 2))", "4x6"),
    ("np.pad(np.zeros((28, 28)), 2)", "32x32"),
    ("np.pad(np.zeros((28, 28)), ((2, 2), (0, 0)))", "32x28"),
    ("np.zeros((5, 3)) / 255.0", "5x3"),
    ("tf.keras.utils.to_categorical(np.zeros(8), 10)", "8x10"),
    ("tf.keras.utils.to_categorical(np.zeros((8, 1)), num_classes=10)", "8x10"),
])
def test_numpy_shapes(expr, expected):
    assert shape(NP + f"a = {expr}\n", "a") == expected


def test_arrays_keep_their_kind_through_arithmetic_and_methods():
    src = NP + """
x_train = np.random.rand(60000, 28, 28)
x_train = x_train / 255.0
x = (x_train - 0.5).reshape(-1, 784).astype(np.float32)
t = (x * 2).T
"""
    interpreter = run(src)
    assert interpreter.globals.vars["x_train"].kind == "ndarray"
    assert shape(src, "x") == "60000x784"
    assert shape(src, "t") == "784x60000"


def test_shape_attributes_and_len():
    src = NP + """
x = np.zeros((32, 784))
rows = len(x)
cols = x.shape[1]
count = x.size
rank = x.ndim
"""
    assert [const(src, n) for n in ("rows", "cols", "count", "rank")] == [32, 784, 32 * 784, 2]


def test_nested_lists_and_comprehensions():
    src = NP + """
grid = [[0.0] * 4 for _ in range(3)]
batch = np.array([[[r, c] for c in range(5)] for r in range(7)])
n = len(grid)
"""
    assert shape(src, "batch") == "7x5x2"
    assert const(src, "n") == 3


def test_slicing_with_constants_and_newaxis():
    src = NP + """
x = np.zeros((100, 28, 28))
a = x[:10]
b = x[0]
c = x[:, 2:5, ::2]
d = x[..., np.newaxis]
e = x[np.newaxis, :, :, 0]
"""
    assert [shape(src, n) for n in "abcde"] == ["10x28x28", "28x28", "100x3x14", "100x28x28x1", "1x100x28"]


def test_unknown_stays_unknown():
    src = NP + """
def load(path):
    return np.load(path)

x = load("data.npy")
y = np.zeros((SIZE, 3))
z = np.random.rand(n, 4)
w = np.arange(start, stop)
"""
    assert shape(src, "x") == "<unknown rank>"  # an array, of a shape the file decides
    assert shape(src, "y") == "?x3"
    assert shape(src, "z") == "?x4"
    assert shape(src, "w") == "?"


def test_scalars_are_not_arrays():
    src = NP + "a = np.random.rand()\nb = np.random.normal(0, 1)\nc = np.float32(3)\n"
    interpreter = run(src)
    assert not any(hasattr(interpreter.globals.vars[n], "shape") for n in "abc")


@pytest.mark.parametrize("expr, code", [
    ("np.zeros((6, 4)).reshape(5, 5)", "TSL002"),
    ("np.reshape(np.zeros(10), (-1, 3))", "TSL002"),
    ("np.zeros((6, 4)).reshape(-1, -1)", "TSL007"),
    ("np.concatenate([np.zeros((2, 3)), np.zeros((2, 4))])", "TSL007"),
    ("np.stack([np.zeros(3), np.zeros(4)])", "TSL007"),
    ("np.vstack([np.zeros(3), np.zeros(4)])", "TSL007"),
    ("np.squeeze(np.zeros((2, 3)), axis=0)", "TSL007"),
    ("np.expand_dims(np.zeros((2, 3)), 4)", "TSL007"),
    ("np.transpose(np.zeros((2, 3)), (0, 0))", "TSL007"),
    ("np.zeros((2, 3)).sum(axis=2)", "TSL007"),
    ("np.zeros((5, 3)) @ np.zeros((4, 2))", "TSL004"),
    ("np.zeros((5, 3)) + np.zeros((4, 3))", "TSL006"),
    ("np.maximum(np.zeros(3), np.zeros(4))", "TSL006"),
])
def test_numpy_errors(expr, code):
    assert codes(NP + f"a = {expr}\n") == [(3, code)]


@pytest.mark.parametrize("expr", [
    "np.zeros((5, 3)) @ np.zeros(3)",
    "np.zeros(3) @ np.zeros(3)",
    "np.zeros((6, 4)).reshape(3, 8)",
    "np.zeros((5, 3)) + np.zeros(3)",
    "np.zeros((5, 1)) * np.zeros((1, 7))",
    "np.concatenate([np.zeros((2, 3)), np.zeros((2, 4))], axis=1)",
    "np.squeeze(np.zeros((n, 3)), axis=0)",
    "np.zeros((k, 3)).reshape(5, 5)",
])
def test_valid_numpy_is_clean(expr):
    assert codes(NP + f"a = {expr}\n") == []


def test_random_integers_broadcast_array_bounds_without_size():
    # NumPy: np.random.randint(0, high=array) has the array's shape (one draw per bound)
    src = """import numpy as np
h = np.random.randint(0, 10, size=(20, 1))
a = np.random.randint(0, high=(640 - h))
b = np.random.default_rng().integers(np.zeros((3,)), 10)
"""
    assert shape(src, "a") == "20x1"
    assert shape(src, "b") == "3"


def test_a_random_draw_with_an_unknown_bound_may_be_an_array():
    src = "import numpy as np\nimport tensorflow as tf\nx = np.random.randint(0, high=limit - np.zeros((4, 1)))\n"
    assert run(src).globals.vars["x"] is not None
    assert not isinstance(run(src).globals.vars["x"], NumberVal)
