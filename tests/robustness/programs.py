"""Generators of odd programs for the fuzz tests: calls of every registered op with strange
arguments, and random edits of the fixtures. Deterministic for a given ``random.Random``."""

from __future__ import annotations

import random
import re

from tfshapelint.ops import registry

# -- calls of registered ops with odd arguments -----------------------------------------------------

_NAMES = registry.registered_names()
FUNCTIONS = [n for n in _NAMES if n.split(".")[0] in ("tf", "np", "slim", "keras", "tf_keras", "argparse", "absl",
                                                        "input_data")]
METHODS = sorted({n.split(".", 1)[1] for n in _NAMES if n.split(".")[0][:1].isupper() or n.startswith("ndarray.")})
KEYWORDS = ["axis", "shape", "strides", "padding", "filters", "kernel_size", "units", "dtype", "name", "data_format",
            "dilations", "pool_size", "input_shape", "activation", "perm", "num_or_size_splits", "depth", "keepdims",
            "begin", "size", "batch_size", "rate", "ksize", "stride", "transpose_a", "adjoint_b", "default", "type",
            "action", "dest", "nargs", "labels", "logits", "feed_dict", "num", "axes", "output_shape", "epochs",
            "input_dim", "output_dim", "target_shape", "dims", "multiples", "paddings", "indices", "batch_dims",
            "x", "y", "a", "b", "newshape", "repeats", "k", "seed", "dilation_rate", "groups", "use_bias"]
INTS = ["0", "1", "-1", "2", "3", "4", "7", "-3", "10**30", "-10**30", "2**63", "True", "None"]
STRINGS = ["'SAME'", "'VALID'", "'same'", "'valid'", "'causal'", "'NCHW'", "'NHWC'", "'channels_first'",
           "'channels_last'", "'relu'", "''", "'a'", "'ij,jk->ik'", "'...ij,...jk->...ik'", "'ii->i'", "'->'",
           "'--n'", "'store_true'", "'float32'", "'x'"]
CONTEXTS = ["if flag:", "for i in range(3):", "for i in items:", "while cond:", "with tf.variable_scope('s'):",
            "with slim.arg_scope([slim.conv2d], padding='VALID'):", "def helper(a, b=2):", "try:"]


def _dims(rng: random.Random) -> str:
    values = ["0", "1", "2", "3", "5", "None", "-1", "10**30"]
    return "[" + ", ".join(rng.choice(values) for _ in range(rng.randint(0, 5))) + "]"


def _literal(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(INTS)
    if roll < 0.35:
        return rng.choice(STRINGS)
    if roll < 0.40:
        return rng.choice(["0.0", "1.5", "-2.5", "float('nan')", "1e309", "tf.float32", "tf.int32", "np.float32"])
    if roll < 0.60 and depth < 3:
        items = ", ".join(_literal(rng, depth + 1) for _ in range(rng.randint(0, 4)))
        return rng.choice(["[{}]", "({},)" if items else "()", "[[{}], [{}]]"]).format(items, items)
    if roll < 0.65:
        return rng.choice(["{}", "{'a': 1}", "(lambda x: x)", "tf.keras.layers.Dense(3)", "(lambda: None)"])
    return rng.choice(["tf.zeros({})", "tf.placeholder(tf.float32, {})", "np.zeros({})", "tf.ones(shape={})",
                       "tf.keras.Input(shape={})"]).format(_dims(rng))


def _argument(rng: random.Random, names: list) -> str:
    return rng.choice(names) if names and rng.random() < 0.45 else _literal(rng)


def _arguments(rng: random.Random, names: list) -> str:
    args = [_argument(rng, names) for _ in range(rng.randint(0, 4))]
    args += [f"{key}={_argument(rng, names)}" for key in rng.sample(KEYWORDS, rng.randint(0, 2))]
    if rng.random() < 0.05:
        args.append("*" + rng.choice(names or ["[]"]))
    return ", ".join(args)


def _expression(rng: random.Random, names: list) -> str:
    roll = rng.random()
    if roll < 0.5 or not names:
        return f"{rng.choice(FUNCTIONS)}({_arguments(rng, names)})"
    target = rng.choice(names)
    if roll < 0.75:
        return f"{target}.{rng.choice(METHODS)}({_arguments(rng, names)})"
    if roll < 0.82:
        return f"{target}({_arguments(rng, names)})"
    if roll < 0.9:
        operator = rng.choice(["+", "-", "*", "/", "//", "%", "**", "@", "<", "=="])
        return f"{target} {operator} {_argument(rng, names)}"
    if roll < 0.95:
        key = rng.choice(["0", "-1", "1:", "::-1", "..., None", "::0", "10**30", "None, 0", ":, 1", "[0, 1]"])
        return f"{target}[{key}]"
    return f"{target}.{rng.choice(['shape', 'T', 'ndim', 'dtype', 'op', 'name', 'size', 'layers', 'output'])}"


def op_program(rng: random.Random, statements: int = 25) -> str:
    """A program of ``statements`` assignments from op calls, method calls, operators and subscripts
    of odd values, some under a branch, a loop, a ``with``, a function or a ``try``."""
    lines = ["import tensorflow as tf", "import numpy as np", "import argparse",
             "from tensorflow.examples.tutorials.mnist import input_data", "slim = tf.contrib.slim"]
    names: list = []
    block = None
    for index in range(statements):
        roll = rng.random()
        if roll < 0.06 and block is None:
            block = rng.choice(CONTEXTS)
            lines += [block, "    pass"]
            continue
        if roll < 0.10 and block is not None:
            if block == "try:":
                lines += ["except Exception:", "    pass"]
            block = None
        indent = "    " if block is not None else ""
        lines.append(f"{indent}v{index} = {_expression(rng, names)}")
        names.append(f"v{index}")
    if block == "try:":
        lines += ["except Exception:", "    pass"]
    if any(line.startswith("def helper") for line in lines):
        lines.append(f"helper({_argument(rng, names)}, {_argument(rng, names)})")
    return "\n".join(lines) + "\n"


# -- random edits of real programs ------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")
_NAME = re.compile(r"\b[A-Za-z_]\w*\b")
_STRING = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
NUMBERS = ["0", "1", "-1", "2", "3", "7", "64", "1000", "10**30", "-5", "None", "2.5", "True"]
HEADERS = ["for _i in range(3):", "if flag:", "while cond:", "for _i in range(10**9):", "with tf.name_scope('s'):"]


def mutate(source: str, rng: random.Random) -> str:
    """1 to 4 random edits: a number, a name or a string replaced, a line deleted, duplicated,
    swapped with another, or put under a loop or a branch."""
    lines = source.splitlines()
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        roll = rng.random()
        i = rng.randrange(len(lines))
        line = lines[i]
        if roll < 0.35:
            spots = list(_NUMBER.finditer(line))
            if spots:
                m = rng.choice(spots)
                lines[i] = line[:m.start()] + rng.choice(NUMBERS) + line[m.end():]
        elif roll < 0.55:
            names = _NAME.findall(source)
            spots = list(_NAME.finditer(line))
            if spots and names:
                m = rng.choice(spots)
                lines[i] = line[:m.start()] + rng.choice(names) + line[m.end():]
        elif roll < 0.62:
            spots = list(_STRING.finditer(line))
            if spots:
                m = rng.choice(spots)
                lines[i] = line[:m.start()] + rng.choice(STRINGS) + line[m.end():]
        elif roll < 0.72:
            del lines[i]
        elif roll < 0.82:
            lines.insert(rng.randrange(len(lines) + 1), line)
        elif roll < 0.90:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            indent = line[: len(line) - len(line.lstrip())]
            lines[i:i + 1] = [indent + rng.choice(HEADERS), indent + "    " + line.lstrip()]
    return "\n".join(lines) + "\n"
