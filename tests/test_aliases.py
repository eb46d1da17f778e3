"""Old import paths (tf.contrib.keras, tensorflow.python.keras, contrib.layers/slim, standalone Keras)
give the findings of the modern path; every row of the alias table leads to names the registry knows."""

import pytest

from helpers import codes
from tfshapelint.ops.aliases import ALIASES
from tfshapelint.ops.registry import canonical, lookup, registered_names

# -- the table ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("old, new", ALIASES)
def test_every_row_leads_to_registered_names(old, new):
    family = canonical(old)
    assert any(name.startswith(family) for name in registered_names()), f"{old} -> {family}: nothing registered"


@pytest.mark.parametrize("old, new", ALIASES)
def test_rows_are_whole_module_prefixes_and_rewriting_ends(old, new):
    assert old.endswith(".") and new.endswith(".")  # ``keras.`` must not match ``keras_cv``
    assert canonical(canonical(old)) == canonical(old)


def test_no_prefix_is_listed_twice():
    olds = [old for old, _ in ALIASES]
    assert len(olds) == len(set(olds))


@pytest.mark.parametrize("path, name", [
    ("tensorflow.compat.v1.compat.v1.Session", "tf.Session"),
    ("tensorflow.keras.layers.Dense", "tf.keras.layers.Dense"),
    ("tensorflow.contrib.keras.layers.Dense", "tf.keras.layers.Dense"),
    ("tensorflow.contrib.keras.api.keras.layers.Dense", "tf.keras.layers.Dense"),
    ("tensorflow.contrib.keras.python.keras.layers.core.Dense", "tf.keras.layers.Dense"),
    ("tensorflow.python.keras._impl.keras.layers.Dense", "tf.keras.layers.Dense"),
    ("tensorflow.python.keras.layers.Dense", "tf.keras.layers.Dense"),
    ("keras.layers.core.Dense", "tf.keras.layers.Dense"),
    ("tensorflow.contrib.layers.python.layers.layers.conv2d", "tf.contrib.layers.conv2d"),
    ("tensorflow.contrib.slim.conv2d", "slim.conv2d"),
    ("tensorflow.python.layers.core.dense", "tf.layers.dense"),
])
def test_old_paths_name_the_modern_api(path, name):
    assert canonical(path) == name


# Where Keras 1 and 2 defined their layers (``from keras.layers.pooling import MaxPooling2D``).
@pytest.mark.parametrize("module, layer", [
    ("core", "Dense"), ("convolutional", "Conv2D"), ("pooling", "MaxPooling2D"), ("recurrent", "LSTM"),
    ("normalization", "BatchNormalization"), ("embeddings", "Embedding"), ("merge", "Concatenate"),
    ("noise", "GaussianNoise"), ("advanced_activations", "LeakyReLU"), ("wrappers", "TimeDistributed"),
])
def test_keras_layer_modules(module, layer):
    assert lookup(f"keras.layers.{module}.{layer}") is lookup(f"tensorflow.keras.layers.{layer}") is not None


# -- programs: the same finding through every path ------------------------------------------------------

# A Dense output of 1024 values reshaped to 7x7x64 = 3136.
KERAS_MODEL = """
model = models.Sequential([
    layers.Dense(1024, input_shape=(784,)),
    layers.Reshape((7, 7, 64)),
])
"""


@pytest.mark.parametrize("imports", [
    "from tensorflow.keras import layers, models",  # the modern path
    "from tensorflow.contrib.keras import layers, models",
    "from tensorflow.contrib.keras.api.keras import layers, models",
    "from tensorflow.contrib.keras.python.keras import layers, models",
    "from tensorflow.python.keras._impl.keras import layers, models",
    "from tensorflow.python.keras import layers, models",
    "from keras import layers, models",
    "from tf_keras import layers, models",
])
def test_keras_paths(imports):
    assert codes(imports + KERAS_MODEL) == [(4, "TSL002")]


def test_tf_contrib_keras_as_an_attribute():
    src = "import tensorflow as tf\nlayers = tf.contrib.keras.layers\nmodels = tf.contrib.keras.models" + KERAS_MODEL
    assert codes(src) == [(6, "TSL002")]


KERAS_MODULES = """from {package}.models import Sequential
from {package}.layers.core import Dense, Reshape
model = Sequential()
model.add(Dense(1024, input_shape=(784,)))
model.add(Reshape((7, 7, 64)))
"""


@pytest.mark.parametrize("package", ["tensorflow.keras", "keras", "tensorflow.python.keras",
                                     "tensorflow.contrib.keras.python.keras", "tensorflow.python.keras._impl.keras"])
def test_keras_layer_module_paths(package):
    assert codes(KERAS_MODULES.format(package=package)) == [(5, "TSL002")]


# Ten outputs multiplied by a matrix of 20 rows.
SLIM_GRAPH = """
x = tf.placeholder(tf.float32, [None, 28, 28, 1])
h = slim.fully_connected(slim.flatten(x), 10)
y = tf.matmul(h, tf.zeros([20, 5]))
"""


@pytest.mark.parametrize("imports", [
    "import tensorflow.compat.v1 as tf\nimport tf_slim as slim",  # the modern path
    "import tensorflow as tf\nimport tensorflow.contrib.slim as slim",
    "import tensorflow as tf\nfrom tensorflow.contrib import slim",
    "import tensorflow as tf\nslim = tf.contrib.slim",
    "import tensorflow as tf\nfrom tensorflow.contrib import layers as slim",
    "import tensorflow as tf\nslim = tf.contrib.layers",
    "import tensorflow as tf\nfrom tensorflow.contrib.layers.python.layers import layers as slim",
])
def test_slim_and_contrib_layers_paths(imports):
    assert codes(imports + SLIM_GRAPH) == [(5, "TSL004")]


@pytest.mark.parametrize("imports", [
    "import tensorflow as tf\ndense = tf.layers.dense",  # the modern path (for TF 1)
    "import tensorflow as tf\nfrom tensorflow.python.layers import core as layers_core\ndense = layers_core.dense",
])
def test_tf_layers_implementation_path(imports):
    src = imports + """
x = tf.placeholder(tf.float32, [None, 784])
y = tf.matmul(dense(x, 10), tf.zeros([20, 5]))
"""
    line = imports.count("\n") + 3
    assert codes(src) == [(line, "TSL004")]


@pytest.mark.parametrize("loss", [
    "tf.keras.losses.categorical_crossentropy",  # the modern path
    "keras.losses.categorical_crossentropy",
    "tf_keras.losses.categorical_crossentropy",
    "tensorflow.python.keras.losses.categorical_crossentropy",
    "tf.contrib.keras.losses.categorical_crossentropy",
])
def test_keras_loss_paths(loss):
    src = f"""import tensorflow as tf
import keras
import tf_keras
import tensorflow.python.keras
loss = {loss}(tf.zeros([4, 3]), tf.zeros([4, 10]))
"""
    assert codes(src) == [(5, "TSL011")]

