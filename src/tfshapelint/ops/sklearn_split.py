"""scikit-learn's ``train_test_split`` and ``shuffle``: the data's leading axis split or reordered.

``train_test_split(*arrays, test_size=None, train_size=None, ...)`` returns a list of two parts of
each array (train, test), in order. The sizes are computed as scikit-learn computes them
(``model_selection._split._validate_shuffle_split``): a float ``test_size`` gives
``ceil(test_size * n)`` test rows, a float ``train_size`` ``floor(train_size * n)`` train rows, an
int is a count, the other part takes the rest, and with neither ``test_size`` is 0.25. The
products are Python floats (``ceil(0.1 * 30)`` is 4): for a symbolic ``n`` only fractions that
floats hold exactly (0.25, 0.5...) are used. Every other axis is kept; lists give lists, arrays
arrays, tables tables.
"""

from __future__ import annotations

import math
from fractions import Fraction
from ..domain.rank_bounds import rank_bounds, with_rank_bounds
from ..domain.sequences import LIST, SequenceSummary, summarised
from ..domain.values import UNKNOWN, Const, ListVal, ObjectVal, TensorVal, TupleVal, Value
from ..shapes import dims
from ..shapes.dims import Dim
from .array_like import NDARRAY
from .registry import Call, op

_DEFAULT_TEST_SIZE = 0.25
_EXACT_DENOMINATORS = 1 << 10  # fractions with a power-of-2 denominator up to this are exact floats


def split_sizes(n: Dim, test_size, train_size) -> tuple:
    """``(n_train, n_test)`` as scikit-learn computes them; a part is None when unknown (or when
    scikit-learn raises). ``test_size``/``train_size``: None, an int, a float, or ``...`` (unknown)."""
    if test_size is ... or train_size is ...:
        return None, None
    if test_size is None and train_size is None:
        test_size = _DEFAULT_TEST_SIZE
    if isinstance(n, int):
        return _concrete_sizes(n, test_size, train_size)
    n_test = _part(n, test_size, rounding="ceil")
    n_train = _part(n, train_size, rounding="floor")
    if train_size is None:
        n_train = dims.sub(n, n_test) if n_test is not None else None
    elif test_size is None:
        n_test = dims.sub(n, n_train) if n_train is not None else None
    return n_train, n_test


def _concrete_sizes(n: int, test_size, train_size) -> tuple:
    """scikit-learn's own arithmetic, ValueErrors included (then both parts are unknown)."""
    for size in (test_size, train_size):
        if isinstance(size, int) and not 0 < size < n or isinstance(size, float) and not 0 < size < 1:
            return None, None
    if isinstance(test_size, float) and isinstance(train_size, float) and test_size + train_size > 1:
        return None, None
    n_test = math.ceil(test_size * n) if isinstance(test_size, float) else test_size
    n_train = math.floor(train_size * n) if isinstance(train_size, float) else train_size
    if train_size is None:
        n_train = n - n_test
    elif test_size is None:
        n_test = n - n_train
    if n_train + n_test > n or n_train == 0:
        return None, None
    return int(n_train), int(n_test)


def _part(n: Dim, size, rounding: str) -> Dim:
    """One part of a symbolic (or unknown) ``n``: a count, or a fraction floats hold exactly."""
    if isinstance(size, int):
        return size
    if not isinstance(size, float) or n is None:
        return None
    fraction = Fraction(size)
    if fraction.denominator > _EXACT_DENOMINATORS:
        return None  # 0.2 * n in floats may land just above an integer
    scaled = dims.mul(n, fraction.numerator)
    if rounding == "ceil":
        return dims.ceil_div(scaled, fraction.denominator)
    return dims.floor_div(scaled, fraction.denominator)


def _size_argument(call: Call, name: str):
    """An int, a float, None (omitted or None), or ``...`` (given but not known)."""
    value = call.arg(None, name, default=Const(None))
    if isinstance(value, Const) and (value.value is None or type(value.value) in (int, float)):
        return value.value
    return ...


@op("sklearn.model_selection.train_test_split")
def train_test_split(call: Call) -> Value:
    if not call.args:
        return UNKNOWN  # scikit-learn raises
    n_train, n_test = split_sizes(_samples(call.args[0]), _size_argument(call, "test_size"),
                                  _size_argument(call, "train_size"))
    parts = []
    for data in call.args:
        parts.extend((_rows_taken(data, n_train, "train"), _rows_taken(data, n_test, "test")))
    return ListVal(tuple(parts))


@op("sklearn.utils.shuffle")
def shuffle(call: Call) -> Value:
    """``shuffle(*arrays)``: each array reordered (one array alone is returned alone)."""
    every_row = isinstance(call.arg(None, "n_samples", default=Const(None)), Const) and \
        call.arg(None, "n_samples", default=Const(None)).value is None
    rows = ... if every_row else None  # n_samples rows of unknown count
    shuffled = tuple(_rows_taken(data, rows, "shuffle") for data in call.args)
    if len(shuffled) == 1:
        return shuffled[0]
    return ListVal(shuffled)


def _samples(data: Value) -> Dim:
    """The number of samples: the leading size of an array, the length of a list."""
    if isinstance(data, TensorVal):
        return data.shape[0] if data.shape else None
    summary = summarised(data)
    return summary.length if summary is not None else None


def _rows_taken(data: Value, rows, label: str) -> Value:
    """``data`` with ``rows`` of its leading axis (``...``: as many as it has)."""
    if isinstance(data, TensorVal):
        return _array_rows(data, rows, label)
    if isinstance(data, ObjectVal) and data.type_name in ("DataFrame", "Series"):
        return ObjectVal(data.type_name, state=dict(data.state))  # the same columns
    summary = summarised(data)
    if summary is None:
        return UNKNOWN
    if rows is ...:
        return data if isinstance(data, (ListVal, TupleVal)) else summary
    return SequenceSummary(rows, summary.element, LIST)


def _array_rows(data: TensorVal, rows, label: str) -> Value:
    if data.kind != NDARRAY:
        return UNKNOWN
    if data.shape is None:
        low, high = rank_bounds(data)
        return with_rank_bounds(max(low, 1), high, kind=NDARRAY, chain=data.derive(None, label).chain)
    if not data.shape:
        return UNKNOWN  # scikit-learn raises on a 0-d array
    leading = data.shape[0] if rows is ... else rows
    return data.derive((leading,) + tuple(data.shape[1:]), label, kind=NDARRAY)
