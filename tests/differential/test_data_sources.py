"""Data sources (ops/data_sources.py) vs what the libraries give, where that can be known offline.

* ``keras.datasets.<name>.load_data`` downloads its data, so the oracle is what the installed
  loaders document: the ``assert x_train.shape == (60000, 28, 28)`` lines of their docstrings
  (keras/src/datasets/*.py for Keras 3, tf_keras/src/datasets/*.py for Keras 2), read from the
  installed source; our shapes must be those, for every prefix (``keras.``, ``tf.keras.``,
  ``tf_keras.``).
* ``img_to_array`` and ``to_categorical`` run for real (NumPy in, NumPy out) in both Keras
  flavours, on random arrays / label shapes and arguments.
"""

from __future__ import annotations

import inspect
import re
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import TensorVal, TupleVal, fresh_tensor
from tfshapelint.ops import registry
from tfshapelint.ops.data_sources import _KERAS_DATASETS
from tfshapelint.ops.numpy_ops import NDARRAY

from .harness import VERDICTS, Disagreement, examples, fresh_symbol, ours
from .keras_support import abstract, keras_module

pytestmark = pytest.mark.tf

# The paths programs import these by; the ``keras.`` and ``tf_keras.`` ones are aliases of the registered
# ``tf.keras.`` names (ops/aliases.py), called here through the registry's lookup all the same.
DATASET_PREFIXES = ("tf.keras.datasets", "keras.datasets", "tf_keras.datasets")
IMAGE_PREFIXES = ("tf.keras.preprocessing.image", "tf.keras.utils", "keras.preprocessing.image", "keras.utils",
                  "tf_keras.preprocessing.image", "tf_keras.utils", "keras.utils.image_utils",
                  "tf.keras.utils.image_utils")
DATASET_NAMES = [f"{prefix}.{name}.load_data" for prefix in DATASET_PREFIXES for name in _KERAS_DATASETS]
IMG_TO_ARRAY = [f"{prefix}.img_to_array" for prefix in IMAGE_PREFIXES]
LOAD_IMG = [f"{prefix}.load_img" for prefix in IMAGE_PREFIXES]
TO_CATEGORICAL = ["tf.keras.utils.to_categorical", "keras.utils.to_categorical", "tf.keras.utils.np_utils.to_categorical",
                  "keras.utils.np_utils.to_categorical", "tf_keras.utils.to_categorical"]
BOSTON = [f"{prefix}.boston_housing.load_data" for prefix in DATASET_PREFIXES]
MNIST_TUTORIAL = ["tf.examples.tutorials.mnist.input_data.read_data_sets", "input_data.read_data_sets",
                  "tf.contrib.learn.datasets.mnist.read_data_sets",
                  "tf.contrib.learn.python.learn.datasets.mnist.read_data_sets", "tf.contrib.learn.datasets.load_dataset",
                  "MnistDataSet.next_batch"]

COVERED = {**{registry.canonical(name): "keras_dataset" for name in DATASET_NAMES},
           **{registry.canonical(name): "img_to_array" for name in IMG_TO_ARRAY if registry.lookup(name) is not None},
           **{registry.canonical(name): "to_categorical" for name in TO_CATEGORICAL}}
UNCOVERED = {
    **{name: "needs Pillow (not a test dependency; Keras' load_img imports PIL): img_to_array is covered on arrays"
       for name in map(registry.canonical, LOAD_IMG) if registry.lookup(name) is not None},
    **{name: "the example count (506) is in the downloaded file, not in the installed loaders, which document only "
             "(num_samples, 13) / (num_samples,): test_boston_documented_part checks those and the split arithmetic"
       for name in map(registry.canonical, BOSTON)},
    **{name: "TF1's tensorflow.examples.tutorials.mnist (and tf.contrib) are not in TF 2.x: no installed source to "
             "run or to cite, and its data is a download" for name in MNIST_TUTORIAL},
}


def call(name: str, *args, **kwargs):
    fn = registry.lookup(name)
    assert fn is not None, name
    return ours(fn, registry.Call(name=registry.canonical(name), args=[abstract(a) for a in args],
                                  kwargs={k: abstract(v) for k, v in kwargs.items()}, new_symbol=fresh_symbol))


# -- keras.datasets: the shapes the installed loaders document ------------------------------------------


def documented_shapes(flavour: str, dataset: str) -> dict:
    """``{"x_train": (60000, 28, 28), ...}`` from the loader's docstring asserts."""
    module = inspect.getmodule(getattr(keras_module(flavour).datasets, dataset).load_data)
    source = inspect.getsource(module)
    found = {name: tuple(int(d) for d in re.findall(r"\d+", shape))
             for name, shape in re.findall(r"assert\s+(\w+)\.shape\s*==\s*(\([\d,\s]*\))", source)}
    assert found, f"{flavour} {dataset}: no documented shape"
    return found


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_keras_dataset_shapes_as_documented(name):
    dataset = name.split(".")[-2]
    result = call(name)
    assert isinstance(result, TupleVal) and len(result.items) == 2
    (x_train, y_train), (x_test, y_test) = (split.items for split in result.items)
    mine = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for flavour in ("keras3", "keras2"):
        for array, shape in documented_shapes(flavour, dataset).items():
            assert isinstance(mine[array], TensorVal) and mine[array].shape == shape, (
                f"{name}: {array} is {mine[array]}, {flavour} documents {shape}")
            VERDICTS[(name, "both accept")] += 1


@examples(10)
@given(split=st.sampled_from([0.2, 0.1, 0.5, 0.0, 0.33]))
def test_boston_documented_part(split):
    """(num_samples, 13) and (num_samples,) as documented; the split as the real loader computes it
    from a file of 506 rows (a stand-in: only the count is assumed)."""
    import tempfile

    rows = 506
    for prefix in DATASET_PREFIXES:
        result = call(f"{prefix}.boston_housing.load_data", test_split=split)
        (x_train, y_train), (x_test, y_test) = (s.items for s in result.items)
        for flavour in ("keras3", "keras2"):
            module = inspect.getmodule(keras_module(flavour).datasets.boston_housing.load_data)
            assert "(num_samples, 13)" in inspect.getsource(module)
            with tempfile.TemporaryDirectory() as folder:
                path = f"{folder}/boston_housing.npz"
                np.savez(path, x=np.zeros((rows, 13)), y=np.zeros(rows))
                saved = module.get_file
                module.get_file = lambda *a, **k: path
                try:
                    (rx_train, ry_train), (rx_test, ry_test) = module.load_data(test_split=split)
                finally:
                    module.get_file = saved
            for mine, real in ((x_train, rx_train), (y_train, ry_train), (x_test, rx_test), (y_test, ry_test)):
                if mine.shape != real.shape:
                    raise Disagreement(f"{prefix} boston split {split}: ours {mine.shape}, {flavour} {real.shape}")


# -- img_to_array and to_categorical: run for real ---------------------------------------------------------


def real_functions(name: str) -> list:
    """The function ``name`` means in each Keras flavour that has it."""
    short = name.split(".")[-1]
    if name.startswith("tf_keras."):
        flavours = ["keras2"]
    elif name.startswith("keras.") and ("image_utils" in name or "np_utils" in name):
        flavours = ["keras2"]  # Keras 2.x module paths (keras.utils.image_utils / np_utils)
    else:
        flavours = ["keras3", "keras2"]
    return [getattr(keras_module(flavour).utils, short) for flavour in flavours]


def run_real(fn, *args, **kwargs):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.shape(fn(*args, **kwargs))
    except (ValueError, TypeError, IndexError) as error:
        return error


def compare(name: str, mine, reals: list, where: str) -> None:
    for real in reals:
        if isinstance(real, Exception):
            VERDICTS[(name, "missed" if mine is not None else "both reject")] += 1
            continue
        if mine is None:
            VERDICTS[(name, "imprecise")] += 1
            continue
        if len(mine) != len(real) or any(isinstance(a, int) and a != b for a, b in zip(mine, real)):
            raise Disagreement(f"{name}: ours {mine}, real {real}\n{where}")
        VERDICTS[(name, "both accept")] += 1


def result_dims(value):
    return value.shape if isinstance(value, TensorVal) else None


@pytest.mark.parametrize("name", sorted(COVERED_IMG := [n for n in IMG_TO_ARRAY if registry.lookup(n)]))
@examples(15)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4).map(tuple),
       data_format=st.sampled_from([None, "absent", "channels_last", "channels_first"]))
def test_img_to_array(name, shape, data_format):
    kwargs = {} if data_format == "absent" else {"data_format": data_format}
    mine = result_dims(call(name, fresh_tensor(shape, kind=NDARRAY), **kwargs))
    reals = [run_real(fn, np.zeros(shape), **kwargs) for fn in real_functions(name)]
    compare(name, mine, reals, f"img_to_array(zeros{shape}, **{kwargs})")


@pytest.mark.parametrize("name", TO_CATEGORICAL)
@examples(15)
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple), classes=st.integers(1, 6),
       given_classes=st.booleans())
def test_to_categorical(name, shape, classes, given_classes):
    labels = np.arange(int(np.prod(shape))).reshape(shape) % classes
    kwargs = {"num_classes": classes} if given_classes else {}
    mine = result_dims(call(name, fresh_tensor(shape, kind=NDARRAY), **kwargs))
    reals = [run_real(fn, labels, **kwargs) for fn in real_functions(name)]
    compare(name, mine, reals, f"to_categorical(labels of shape {shape}, **{kwargs})")
