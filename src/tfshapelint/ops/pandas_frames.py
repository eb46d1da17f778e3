"""pandas tables as far as the arrays taken out of them go: ``pd.read_csv(...).values``.

A DataFrame is 2-D whatever the file holds, so ``df.values`` / ``df.to_numpy()`` is an array of
rank 2 (rows unknown); a Series (one column, ``df["label"]``, ``df.iloc[:, -1]``) gives rank 1.
The number of columns is known when the program names them: ``read_csv(..., names=[...])`` (without
``index_col``/``usecols``: extra leading fields become the index, missing ones NaN),
``usecols=[...]``, ``df[["a", "b"]]``, and follows ``iloc`` column slices and ``drop(columns=...)``.
Row selections keep the columns.
"""

from __future__ import annotations

from typing import Optional

from ..domain.sequences import SequenceSummary
from ..domain.values import (
    UNKNOWN,
    Const,
    DictVal,
    ListVal,
    NumberVal,
    ObjectVal,
    SliceVal,
    SymInt,
    TensorVal,
    TupleVal,
    Value,
    fresh_tensor,
)
from ..shapes.dims import Dim
from .args import items_of
from .array_like import NDARRAY, value_shape
from .indexing import read_entry, slice_length
from .registry import Call, op, prop

DATA_FRAME, SERIES, INDEXER = "DataFrame", "Series", "DataFrameIndexer"
_READERS = ("pd.read_csv", "pd.read_table", "pd.read_excel")


def frame(columns: Dim) -> ObjectVal:
    """A DataFrame of ``columns`` columns (None: unknown) and unknown rows."""
    return ObjectVal(DATA_FRAME, state={"columns": columns})


def series() -> ObjectVal:
    return ObjectVal(SERIES)


def _columns(value: Value) -> Dim:
    return value.state.get("columns") if isinstance(value, ObjectVal) else None


# -- making tables --------------------------------------------------------------------------------------------


@op(*_READERS)
def read_table(call: Call) -> Value:
    if call.name == "pd.read_excel" and call.has(1, "sheet_name") and \
            not isinstance(call.arg(1, "sheet_name"), Const):
        return UNKNOWN  # several sheets: a dict of tables
    if call.name == "pd.read_excel" and isinstance(call.arg(1, "sheet_name"), Const) and \
            call.arg(1, "sheet_name").value is None:
        return UNKNOWN
    return frame(_read_columns(call))


def _read_columns(call: Call) -> Dim:
    """Columns named by ``usecols`` (alone) or ``names`` (without ``usecols`` nor ``index_col``)."""
    if call.has(None, "index_col"):
        return None
    if call.has(None, "usecols"):
        return _listed_count(call.arg(None, "usecols"))
    if call.has(None, "names"):
        return _listed_count(call.arg(None, "names"))
    return None


def _listed_count(value: Value) -> Dim:
    """How many labels a list of constant labels holds (repeated labels raise in pandas)."""
    items = items_of(value)
    if items is None or not all(isinstance(item, Const) and isinstance(item.value, (str, int)) for item in items):
        return None
    return len(items) if len({item.value for item in items}) == len(items) else None


@op("pd.DataFrame")
def data_frame(call: Call) -> Value:
    data = call.arg(0, "data", default=Const(None))
    if call.has(None, "columns"):
        return frame(_listed_count(call.arg(None, "columns")))
    if isinstance(data, DictVal):
        return frame(len(data.items))
    shape = value_shape(data) if isinstance(data, (TensorVal, ListVal, TupleVal, SequenceSummary)) else None
    return frame(shape[1] if shape is not None and len(shape) == 2 else None)


@op("pd.get_dummies")
def get_dummies(call: Call) -> Value:
    return frame(None)


# -- arrays out of tables -------------------------------------------------------------------------------------


@prop(f"{DATA_FRAME}.values")
def frame_values(call: Call) -> Value:
    return fresh_tensor((None, _columns(call.args[0])), kind=NDARRAY)


@op(f"{DATA_FRAME}.to_numpy", f"{DATA_FRAME}.as_matrix")
def frame_to_numpy(call: Call) -> Value:
    return frame_values(call)


@prop(f"{SERIES}.values")
def series_values(call: Call) -> Value:
    return fresh_tensor((None,), kind=NDARRAY)


@op(f"{SERIES}.to_numpy", f"{SERIES}.unique")
def series_to_numpy(call: Call) -> Value:
    return series_values(call)


@prop(f"{DATA_FRAME}.shape")
def frame_shape(call: Call) -> Value:
    columns = _columns(call.args[0])
    return TupleVal((NumberVal("int"), Const(columns) if isinstance(columns, int) else NumberVal("int")))


@prop(f"{SERIES}.shape")
def series_shape(call: Call) -> Value:
    return TupleVal((NumberVal("int"),))


# -- selections -------------------------------------------------------------------------------------------------

_SAME_COLUMNS = ("head", "tail", "sample", "copy", "fillna", "astype", "sort_values", "sort_index", "drop_duplicates",
                 "replace", "abs", "round", "clip", "interpolate", "bfill", "ffill")


@op(*(f"{DATA_FRAME}.{name}" for name in _SAME_COLUMNS))
def same_columns(call: Call) -> Value:
    return frame(_columns(call.args[0]))


@op(*(f"{SERIES}.{name}" for name in _SAME_COLUMNS + ("map",)))
def same_series(call: Call) -> Value:
    return series()


@op(f"{DATA_FRAME}.dropna")
def dropna(call: Call) -> Value:
    axis = call.arg(1, "axis", default=Const(0))
    drops_rows = isinstance(axis, Const) and axis.value in (0, "index", "rows")
    return frame(_columns(call.args[0]) if drops_rows else None)


@op(f"{DATA_FRAME}.drop")
def drop(call: Call) -> Value:
    """Rows (the default) keep the columns; ``columns=`` or ``axis=1`` labels each remove one."""
    columns = _columns(call.args[0])
    if call.has(None, "columns"):
        labels = call.arg(None, "columns")
    else:
        axis = call.arg(2, "axis", default=Const(0))
        if isinstance(axis, Const) and axis.value in (0, "index", "rows") and not call.has(None, "index"):
            return frame(columns)
        if not (isinstance(axis, Const) and axis.value in (1, "columns")):
            return frame(None)
        labels = call.arg(1, "labels")
    count = 1 if isinstance(labels, Const) and isinstance(labels.value, (str, int)) else _listed_count(labels)
    return frame(None if columns is None or count is None else columns - count)


@op(f"{DATA_FRAME}.__getitem__")
def frame_item(call: Call) -> Value:
    """``df["a"]`` is a column; ``df[["a", "b"]]`` those columns; ``df[rows]`` (a slice) the rows."""
    key = call.args[1]
    if isinstance(key, Const) and isinstance(key.value, (str, int)) and not isinstance(key.value, bool):
        return series()
    if isinstance(key, ListVal):
        return frame(_listed_count(key))
    if isinstance(key, SliceVal):
        return frame(_columns(call.args[0]))
    return UNKNOWN


@prop(f"{DATA_FRAME}.iloc", f"{DATA_FRAME}.loc")
def indexer(call: Call) -> Value:
    return ObjectVal(INDEXER, state={"frame": call.args[0], "by": call.name.split(".")[-1]})


@op(f"{INDEXER}.__getitem__")
def indexed(call: Call) -> Value:
    """``df.iloc[rows]``, ``df.iloc[rows, columns]`` (positions) and ``df.loc[...]`` (labels)."""
    state = call.args[0].state
    key = call.args[1]
    rows, columns = (key.items if type(key) is TupleVal and len(key.items) == 2 else (key, None))
    if type(key) is TupleVal and len(key.items) != 2:
        return UNKNOWN
    one_row = _is_scalar(rows)
    if columns is None:
        return series() if one_row else frame(_columns(state["frame"]))
    selected = _selected_columns(columns, _columns(state["frame"]), state["by"])
    if selected is _ONE:
        return UNKNOWN if one_row else series()  # one cell, or a column
    return series() if one_row else frame(selected)


_ONE = object()  # one column, selected by a scalar


def _selected_columns(key: Value, columns: Dim, by: str):
    if _is_scalar(key):
        return _ONE
    if isinstance(key, ListVal):
        return _listed_count(key) if by == "loc" or all(isinstance(i, Const) for i in key.items) else None
    if isinstance(key, SliceVal) and by == "iloc":
        entry = read_entry(key)
        if entry is None or not isinstance(columns, int) or any(not isinstance(p, (int, type(None))) for p in entry[1:]):
            return None
        return slice_length(columns, *entry[1:])
    if isinstance(key, SliceVal) and _is_everything(key):
        return columns
    return None


def _is_everything(key: SliceVal) -> bool:
    return all(isinstance(part, Const) and part.value is None for part in (key.start, key.stop, key.step))


def _is_scalar(key: Value) -> Optional[bool]:
    if isinstance(key, Const):
        return isinstance(key.value, (int, str)) and not isinstance(key.value, bool)
    return isinstance(key, SymInt) or (isinstance(key, NumberVal) and key.kind == "int")
