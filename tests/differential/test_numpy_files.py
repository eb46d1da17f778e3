"""Arrays read from files vs real NumPy: ``np.loadtxt``/``np.genfromtxt`` on drawn text files,
``np.load`` of saved arrays, and the rank that indexing proves of an array whose shape is unknown.

Our claims are rank bounds: the real rank must lie within them, for every file drawn, and every
key NumPy accepts must give a result whose real rank lies within the bounds we derive.
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.rank_bounds import rank_bounds, with_rank_bounds
from tfshapelint.domain.values import UNKNOWN, ApiRef, Const, NumberVal, ObjectVal, SliceVal, TensorVal, TupleVal
from tfshapelint.ops.numpy_ops import index_shape
from tfshapelint.ops.rank_facts import index_unknown_rank

from .harness import call_op, examples, note


def within(ours, real_shape: tuple, where: str) -> None:
    """The real array fits what we claim: its rank within our bounds, each size we know equal."""
    assert isinstance(ours, TensorVal), f"ours {ours!r}\n{where}"
    low, high = rank_bounds(ours)
    assert low <= len(real_shape) and (high is None or len(real_shape) <= high), \
        f"rank {len(real_shape)} outside [{low}, {high}]\n{where}"
    if ours.shape is not None:
        for a, b in zip(ours.shape, real_shape):
            assert a is None or a == b, f"ours {ours.shape}, real {real_shape}\n{where}"


def csv_text(rows: int, columns: int, delimiter: str, header: bool) -> str:
    lines = [delimiter.join(f"c{j}" for j in range(columns))] if header else []
    lines += [delimiter.join(str(i * columns + j + 0.5) for j in range(columns)) for i in range(rows)]
    return "\n".join(lines) + ("\n" if lines else "")


DTYPES = {"default": None, "float": "float", "float32 name": "float32", "np.float32": "np.float32",
          "np.int64": "np.int64", "f4": "f4"}


def dtype_values(name: str) -> tuple:
    """The dtype as the program writes it (our side) and as NumPy gets it."""
    spec = DTYPES[name]
    if spec is None:
        return None, None
    if spec == "float":
        from tfshapelint.analysis.builtins import builtin

        return builtin("float"), float
    if spec.startswith("np."):
        return ApiRef("numpy." + spec[3:]), getattr(np, spec[3:])
    return Const(spec), spec


@examples(200)
@given(rows=st.integers(0, 3), columns=st.integers(1, 3), delimiter=st.sampled_from([",", " ", ";"]),
       ndmin=st.sampled_from([None, 0, 1, 2]), function=st.sampled_from(["loadtxt", "genfromtxt"]),
       dtype=st.sampled_from(sorted(DTYPES)), header=st.booleans())
def test_text_files(rows, columns, delimiter, ndmin, function, dtype, header):
    text = csv_text(rows, columns, delimiter, header)
    ours_dtype, real_dtype = dtype_values(dtype)
    kwargs = {"delimiter": delimiter}
    if ndmin is not None:
        kwargs["ndmin"] = ndmin
    real_kwargs = dict(kwargs, **({"dtype": real_dtype} if real_dtype is not None else {}))
    if header:
        real_kwargs["skiprows" if function == "loadtxt" else "skip_header"] = 1
    ours_kwargs = dict(kwargs, **({"dtype": ours_dtype} if ours_dtype is not None else {}))
    where = f"np.{function}({text!r}, {real_kwargs})"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            real = getattr(np, function)(io.StringIO(text), **real_kwargs)
    except (ValueError, TypeError):
        return  # NumPy rejects the file: no array
    ours = call_op(f"np.{function}", "data.csv", **ours_kwargs)
    within(ours, real.shape, where)


def test_a_structured_dtype_is_not_claimed():
    dtype = np.dtype((float, (3, 2)))
    real = np.genfromtxt(io.StringIO("1,2,3,4,5,6\n4,5,6,1,2,3\n"), delimiter=",", dtype=dtype)
    assert real.ndim == 3  # more than two axes: why only plain dtypes bound the rank
    assert call_op("np.genfromtxt", "data.csv", delimiter=",", dtype=UNKNOWN) is UNKNOWN


@examples(40)
@given(shape=st.lists(st.integers(0, 3), max_size=4).map(tuple), archive=st.booleans())
def test_saved_arrays(shape, archive):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data.npz" if archive else "data.npy")
        if archive:
            np.savez(path, x=np.zeros(shape))
        else:
            np.save(path, np.zeros(shape))
        loaded = np.load(path)
        ours = call_op("np.load", path)
        if archive:
            assert isinstance(ours, ObjectVal) and isinstance(loaded, np.lib.npyio.NpzFile)
            within(call_op("NpzFile.__getitem__", ours, "x"), loaded["x"].shape, path)
            loaded.close()
        else:
            within(ours, loaded.shape, path)


# -- indexing an array of unknown shape ----------------------------------------------------------------------

BOUND = st.one_of(st.none(), st.integers(-4, 4))
ENTRY = st.one_of(
    st.integers(-3, 3).map(lambda i: ("int", i)),
    st.tuples(BOUND, BOUND, st.sampled_from([None, 1, 2, -1])).map(lambda s: ("slice", s)),
    st.just(("newaxis", None)),
    st.just(("ellipsis", None)),
    st.lists(st.integers(0, 1), min_size=1, max_size=3).map(lambda l: ("list", l)),
    st.just(("unknown int", None)),
)


def ours_entry(kind: str, value):
    if kind == "int":
        return Const(value)
    if kind == "slice":
        return SliceVal(*(Const(v) for v in value))
    if kind == "newaxis":
        return Const(None)
    if kind == "ellipsis":
        return Const(Ellipsis)
    if kind == "list":
        from tfshapelint.domain.values import ListVal

        return ListVal(tuple(Const(v) for v in value))
    return NumberVal("int")


def real_entry(kind: str, value):
    return {"int": lambda: value, "slice": lambda: slice(*value), "newaxis": lambda: None,
            "ellipsis": lambda: Ellipsis, "list": lambda: list(value), "unknown int": lambda: 0}[kind]()


@examples(400)
@given(shape=st.lists(st.integers(1, 3), max_size=4).map(tuple), key=st.lists(ENTRY, min_size=1, max_size=3),
       slack=st.tuples(st.integers(0, 2), st.one_of(st.none(), st.integers(0, 2))))
def test_index_of_unknown_rank(shape, key, slack):
    rank = len(shape)
    low, high = max(rank - slack[0], 0), None if slack[1] is None else rank + slack[1]
    source = with_rank_bounds(low, high)
    real_key = tuple(real_entry(*entry) for entry in key)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            real = np.zeros(shape)[real_key]
    except (IndexError, TypeError, ValueError):
        return  # NumPy raises: nothing follows
    ours = index_unknown_rank(source, TupleVal(tuple(ours_entry(*entry) for entry in key)), index_shape)
    where = f"array of rank {rank} known as [{low}, {high}], key {real_key}"
    if rank_bounds(ours) == (0, None):
        note("imprecise", "ndarray.__getitem__ (unknown rank)", "nothing known", where)
    within(ours, np.shape(real), where)


COVERED = {"np.loadtxt": "text files", "np.genfromtxt": "text files", "np.load": "saved arrays",
           "NpzFile.__getitem__": "saved arrays"}
