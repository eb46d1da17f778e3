"""Known data sources and their real shapes: the MNIST tutorial helper, ``tf.keras.datasets``,
Keras image helpers and ``to_categorical``.

The shapes are those the libraries document and assert (checked against their source):

* ``input_data.read_data_sets(dir, one_hot=False, reshape=True, validation_size=5000)`` (TF1's
  ``tensorflow.examples.tutorials.mnist``): ``train`` 55000, ``validation`` 5000, ``test`` 10000
  examples; ``images`` ``[n, 784]`` (``[n, 28, 28, 1]`` with ``reshape=False``), ``labels``
  ``[n, 10]`` with ``one_hot=True`` else ``[n]``; ``next_batch(b)`` returns ``b`` examples.
* ``tf.keras.datasets.mnist`` / ``fashion_mnist``: ``x`` ``(60000, 28, 28)`` / ``(10000, 28, 28)``,
  ``y`` ``(60000,)`` / ``(10000,)``.
* ``cifar10`` / ``cifar100``: ``x`` ``(50000, 32, 32, 3)`` / ``(10000, 32, 32, 3)`` (channels last,
  Keras's default image data format), ``y`` ``(50000, 1)`` / ``(10000, 1)``: labels are columns.
* ``boston_housing`` (506 examples, ``test_split=0.2``): ``x`` ``(404, 13)`` / ``(102, 13)``,
  ``y`` ``(404,)`` / ``(102,)``.
"""

from __future__ import annotations

from typing import Optional

from ..domain.values import UNKNOWN, Const, ObjectVal, TensorVal, TupleVal, Value, fresh_tensor, int_value
from .args import as_bool, as_int, as_str, declared_dims, is_none
from .numpy_ops import NDARRAY, as_array
from .registry import Call, op

MNIST_DATASETS = "MnistDatasets"
MNIST_DATASET = "MnistDataSet"
PIL_IMAGE = "PILImage"

_MNIST_TOTAL_TRAIN = 60000
_MNIST_TEST = 10000


def _array(shape: tuple, what: str) -> TensorVal:
    """A loaded array; unnamed, so that it takes the name the program gives it."""
    return TensorVal(shape=shape, kind=NDARRAY, chain=fresh_tensor(shape).chain)


def _flag(call: Call, position: Optional[int], name: str, default: bool):
    """A boolean argument: its default when omitted, None when given but unknown."""
    if not call.has(position, name):
        return default
    return as_bool(call.arg(position, name), default=None)


def mnist_split(examples, one_hot, reshape: bool) -> ObjectVal:
    """One split (``train``/``validation``/``test``) of the tutorial helper's result."""
    images = (examples, 784) if reshape else (examples, 28, 28, 1)
    labels = None if one_hot is None else ((examples, 10) if one_hot else (examples,))
    attrs = {
        "images": _array(images, "images"),
        "labels": _array(labels, "labels") if labels is not None else UNKNOWN,
        "num_examples": Const(examples) if isinstance(examples, int) else UNKNOWN,
    }
    return ObjectVal(MNIST_DATASET, attrs, state={"one_hot": one_hot, "reshape": reshape})


@op("tf.examples.tutorials.mnist.input_data.read_data_sets", "input_data.read_data_sets",
    "tf.contrib.learn.datasets.mnist.read_data_sets", "tf.contrib.learn.python.learn.datasets.mnist.read_data_sets",
    "tf.contrib.learn.datasets.load_dataset")
def read_data_sets(call: Call) -> Value:
    if call.name == "tf.contrib.learn.datasets.load_dataset" and as_str(call.arg(0, "name")) != "mnist":
        return UNKNOWN
    if _flag(call, 1, "fake_data", False) is not False:
        return UNKNOWN  # fake data has its own sizes
    one_hot = _flag(call, 2, "one_hot", False)
    reshape = _flag(call, 4, "reshape", True)
    validation = call.arg(5, "validation_size", default=Const(5000))
    valid = as_int(validation)
    if reshape is None:
        return UNKNOWN
    if valid is None or not 0 <= valid <= _MNIST_TOTAL_TRAIN:
        train_n = validation_n = None
    else:
        train_n, validation_n = _MNIST_TOTAL_TRAIN - valid, valid
    return ObjectVal(MNIST_DATASETS, {
        "train": mnist_split(train_n, one_hot, reshape),
        "validation": mnist_split(validation_n, one_hot, reshape),
        "test": mnist_split(_MNIST_TEST, one_hot, reshape),
    })


@op(f"{MNIST_DATASET}.next_batch")
def next_batch(call: Call) -> Value:
    split = call.args[0]
    size = int_value(call.arg(1, "batch_size"))
    if _flag(call, 2, "fake_data", False) is not False:
        return UNKNOWN
    one_hot = split.state.get("one_hot")
    reshape = split.state.get("reshape", True)
    images = (size, 784) if reshape else (size, 28, 28, 1)
    labels = None if one_hot is None else ((size, 10) if one_hot else (size,))
    return TupleVal((
        _array(images, "images"),
        _array(labels, "labels") if labels is not None else UNKNOWN,
    ))


def _split(x_shape: tuple, y_shape: tuple) -> TupleVal:
    return TupleVal((_array(x_shape, "x"), _array(y_shape, "y")))


def _datasets(train: tuple, test: tuple) -> TupleVal:
    return TupleVal((_split(*train), _split(*test)))


_KERAS_DATASETS = {
    "mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,))),
    "fashion_mnist": (((60000, 28, 28), (60000,)), ((10000, 28, 28), (10000,))),
    "cifar10": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1))),
    "cifar100": (((50000, 32, 32, 3), (50000, 1)), ((10000, 32, 32, 3), (10000, 1))),
}

def _keras_dataset_adapter(name: str):
    train, test = _KERAS_DATASETS[name]

    def load_data(call: Call) -> Value:
        return _datasets(train, test)

    return load_data


for _name in _KERAS_DATASETS:  # keras.datasets and tf_keras.datasets are aliases (ops/aliases.py)
    op(f"tf.keras.datasets.{_name}.load_data")(_keras_dataset_adapter(_name))


_BOSTON_EXAMPLES = 506


@op("tf.keras.datasets.boston_housing.load_data")
def boston_housing(call: Call) -> Value:
    split = call.arg(1, "test_split", default=Const(0.2))
    if not (isinstance(split, Const) and isinstance(split.value, (int, float)) and 0 <= split.value < 1):
        return UNKNOWN
    train = int(_BOSTON_EXAMPLES * (1 - split.value))  # the loader's own arithmetic
    test = _BOSTON_EXAMPLES - train
    return _datasets(((train, 13), (train,)), ((test, 13), (test,)))


_IMAGE_PREFIXES = ("tf.keras.preprocessing.image", "tf.keras.utils", "tf.keras.utils.image_utils")

_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


@op(*(f"{prefix}.load_img" for prefix in _IMAGE_PREFIXES))
def load_img(call: Call) -> Value:
    """A PIL image; with ``target_size=(height, width)`` its size is known."""
    if len(call.args) > 1:
        return ObjectVal(PIL_IMAGE, state={"size": None, "channels": None})  # positions differ across Keras versions
    mode = as_str(call.arg(None, "color_mode", default=Const("rgb")))
    channels = _CHANNELS.get(mode) if mode else None
    grayscale = _flag(call, None, "grayscale", False)
    if grayscale:
        channels = 1
    elif grayscale is None:
        channels = None
    target = call.arg(None, "target_size", default=Const(None))
    size = None if is_none(target) else declared_dims(target)
    if size is not None and len(size) != 2:
        size = None
    return ObjectVal(PIL_IMAGE, state={"size": size, "channels": channels})


@op(*(f"{prefix}.img_to_array" for prefix in _IMAGE_PREFIXES))
def img_to_array(call: Call) -> Value:
    image = call.arg(0, "img")
    fmt_arg = call.arg(1, "data_format", default=Const(None))
    data_format = "channels_last" if is_none(fmt_arg) else as_str(fmt_arg)
    if isinstance(image, TensorVal):
        return _array_to_image(image, data_format)
    if not isinstance(image, ObjectVal) or image.type_name != PIL_IMAGE:
        return UNKNOWN
    size, channels = image.state.get("size"), image.state.get("channels")
    if size is None or data_format not in ("channels_last", "channels_first"):
        return TensorVal(shape=None, kind=NDARRAY)
    height, width = size
    shape = (height, width, channels) if data_format == "channels_last" else (channels, height, width)
    return fresh_tensor(shape, kind=NDARRAY)


def _array_to_image(array: TensorVal, data_format: Optional[str]) -> TensorVal:
    """``img_to_array`` of an array: a 2-D one gains a channels axis, a 3-D one (height, width,
    channels) is transposed for ``channels_first``; other ranks raise in Keras (unknown here)."""
    shape = array.shape
    if shape is None or data_format not in ("channels_last", "channels_first") or len(shape) not in (2, 3):
        return TensorVal(shape=None, kind=NDARRAY)
    first = data_format == "channels_first"
    if len(shape) == 2:
        out = (1, *shape) if first else (*shape, 1)
    else:
        out = (shape[2], shape[0], shape[1]) if first else tuple(shape)
    return array.derive(out, "img_to_array", kind=NDARRAY)


@op("tf.keras.utils.to_categorical", "tf.keras.utils.np_utils.to_categorical")
def to_categorical(call: Call) -> Value:
    """One-hot rows: a trailing axis of size 1 is dropped first (``(n, 1)`` labels give ``(n, k)``)."""
    labels = as_array(call.arg(0, "y"))
    if labels is None or labels.shape is None:
        return UNKNOWN
    classes = call.arg(1, "num_classes", default=Const(None))
    k = None if is_none(classes) else int_value(classes)
    if k == 0:
        k = None  # ``if not num_classes``: Keras counts the classes itself
    shape = tuple(labels.shape)
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    return labels.derive(shape + (k,), "to_categorical", kind=NDARRAY)
