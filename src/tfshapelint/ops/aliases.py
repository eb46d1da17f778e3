"""Import paths that name an API the registry knows under another name.

Shape functions are registered under canonical names (``tf.nn.conv2d``, ``tf.keras.layers.Dense``,
``slim.conv2d``, ``np.zeros``). Programs reach the same functions through older or longer paths:
``tensorflow.compat.v1``, Keras before ``tf.keras`` (``tf.contrib.keras``), standalone ``keras``,
TensorFlow's implementation modules. :func:`rewrite` maps a path onto the canonical name by
replacing its longest prefix found in :data:`ALIASES`, and again until no prefix matches, so rows
compose: ``keras.layers.core.Dense`` -> ``tf.keras.layers.core.Dense`` -> ``tf.keras.layers.Dense``.

Every old prefix is a module TensorFlow, Keras or TF-Slim had; the rows that start with ``tf.`` apply
after another one (``tf.keras.layers.core.`` stands for ``keras.layers.core``,
``tensorflow.python.keras.layers.core``...). Left out on purpose:
``tensorflow.contrib.rnn`` (its cells alias ``tf.nn.rnn_cell`` but its ``static_rnn`` aliases
``tf.nn``, and the registry knows neither), ``tensorflow.contrib.losses`` (not an alias of
``tf.losses``: it took the logits first), and the Keras layer modules whose layers it does not know
(``local``, ``convolutional_recurrent``).
"""

from __future__ import annotations

# (old prefix, canonical prefix); the comment says what the old module is and when it existed.
ALIASES: tuple[tuple[str, str], ...] = (
    # -- TensorFlow's own namespaces ------------------------------------------------------------------
    ("tensorflow.", "tf."),  # the package; includes tensorflow.keras (TF 1.4+) and tensorflow.contrib (TF 1.x)
    ("tensorflow.compat.v1.", "tf."),  # the TF 1 API as kept in late TF 1.x and in TF 2
    ("tensorflow.compat.v2.", "tf."),  # the TF 2 API, importable from late TF 1.x on
    ("tf.compat.v1.", "tf."),  # ``import tensorflow.compat.v1 as tf`` then ``tf.compat.v1.Session``
    ("tf.compat.v2.", "tf."),
    ("tensorflow._api.v2.compat.v1.", "tf."),  # TF 2's generated API packages, as IDEs spell the imports
    ("tensorflow._api.v2.", "tf."),
    # TensorFlow's implementation modules, as libraries such as tf-slim import them (TF 1 and 2)
    ("tensorflow.python.ops.array_ops.", "tf."),
    ("tensorflow.python.ops.math_ops.", "tf."),
    ("tensorflow.python.ops.random_ops.", "tf."),
    ("tensorflow.python.ops.variables.", "tf."),
    ("tensorflow.python.ops.variable_scope.", "tf."),
    ("tensorflow.python.ops.init_ops.", "tf."),
    ("tensorflow.python.framework.constant_op.", "tf."),
    ("tensorflow.python.ops.nn_ops.", "tf.nn."),
    ("tensorflow.python.ops.nn_impl.", "tf.nn."),
    ("tensorflow.python.ops.nn.", "tf.nn."),
    # the modules behind tf.layers (TF 1.x; tensorflow/nmt imports ``core as layers_core``)
    ("tensorflow.python.layers.core.", "tf.layers."),
    ("tensorflow.python.layers.convolutional.", "tf.layers."),
    ("tensorflow.python.layers.pooling.", "tf.layers."),
    ("tensorflow.python.layers.normalization.", "tf.layers."),
    # -- Keras ------------------------------------------------------------------------------------------
    ("tensorflow.contrib.keras.", "tf.keras."),  # TF 1.1 to 1.x: Keras in contrib; since 1.4 an alias of tf.keras
    ("tensorflow.contrib.keras.api.keras.", "tf.keras."),  # the public modules tf.contrib.keras re-exports
    ("tensorflow.contrib.keras.python.keras.", "tf.keras."),  # TF 1.1-1.3: the implementation of tf.contrib.keras
    ("tensorflow.python.keras._impl.keras.", "tf.keras."),  # TF 1.4-1.8: the implementation of tf.keras
    ("tensorflow.python.keras.", "tf.keras."),  # TF 1.9+: the implementation of tf.keras; a legacy copy since 2.6
    ("keras.", "tf.keras."),  # standalone Keras: 1.x-2.3 (multi-backend), 2.4-2.15 (the code of tf.keras), 3.x
    ("tf_keras.", "tf.keras."),  # Keras 2 as its own package, for TF 2.16+ (where tf.keras is Keras 3)
    # The modules that define the layers, as Keras 1-2 (``from keras.layers.core import Dense``),
    # tf.contrib.keras (TF 1.1-1.3) and tensorflow.python.keras (its _impl in TF 1.4-1.8, then 1.9-2.x) name them.
    ("tf.keras.layers.core.", "tf.keras.layers."),
    ("tf.keras.layers.convolutional.", "tf.keras.layers."),
    ("tf.keras.layers.pooling.", "tf.keras.layers."),
    ("tf.keras.layers.recurrent.", "tf.keras.layers."),
    ("tf.keras.layers.normalization.", "tf.keras.layers."),
    ("tf.keras.layers.embeddings.", "tf.keras.layers."),
    ("tf.keras.layers.merge.", "tf.keras.layers."),
    ("tf.keras.layers.noise.", "tf.keras.layers."),
    ("tf.keras.layers.advanced_activations.", "tf.keras.layers."),
    ("tf.keras.layers.wrappers.", "tf.keras.layers."),
    # -- TF 1.x layer libraries ------------------------------------------------------------------------
    ("tensorflow.contrib.layers.", "tf.contrib.layers."),  # TF 1.x: conv2d, fully_connected... (as the package row)
    ("tensorflow.contrib.layers.python.layers.", "tf.contrib.layers."),  # its implementation, imported directly
    ("tensorflow.contrib.layers.python.layers.layers.", "tf.contrib.layers."),
    ("tensorflow.contrib.slim.", "slim."),  # TF 1.x: TF-Slim, contrib.layers plus arg_scope and repeat
    ("tf_slim.", "slim."),  # TF-Slim as its own package, after contrib
    ("tf_slim.layers.", "slim."),
    # -- NumPy and pandas ---------------------------------------------------------------------------
    ("numpy.", "np."),
    ("pandas.", "pd."),  # data read with pandas (ops/pandas_frames.py)
)

# Longest first, so that a module's own row wins over its package's.
_LONGEST_FIRST = tuple(sorted(ALIASES, key=lambda row: len(row[0]), reverse=True))


def rewrite(path: str) -> str:
    """``path`` with alias prefixes replaced until none matches (the rows form no cycle: a test checks)."""
    for _ in range(len(ALIASES)):
        for old, new in _LONGEST_FIRST:
            if path.startswith(old):
                path = new + path[len(old):]
                break
        else:
            return path
    return path
