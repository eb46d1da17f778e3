"""pandas tables as far as the arrays taken out of them go: ``pd.read_csv(...).values``.

A DataFrame is 2-D whatever the file holds, so ``df.values`` / ``df.to_numpy()`` is an array of
rank 2 (rows unknown); a Series (one column, ``df["label"]``, ``df.iloc[:, -1]``) gives rank 1.
The number of columns is known when the program names them: ``read_csv(..., names=[...])`` (without
``index_col``/``usecols``: extra leading fields become the index, missing ones NaN),
``usecols=[...]``, ``df[["a", "b"]]``, and follows ``iloc`` column slices and ``drop(columns=...)``.
Row selections keep the columns. A column label selects a Series only where the labels are known to
be unique (pandas renames repeated header fields; ``DataFrame(..., columns=["a", "a"])`` does not,
and its ``df["a"]`` is a DataFrame); a key whose kind is not known (one row or many?) gives nothing.
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
from .args import is_none, items_of
from .array_like import NDARRAY, value_shape
from .indexing import read_entry, slice_length
from .registry import Call, op, prop

DATA_FRAME, SERIES, INDEXER = "DataFrame", "Series", "DataFrameIndexer"
_READERS = ("pd.read_csv", "pd.read_table", "pd.read_excel")


def frame(columns: Dim, unique: bool = True) -> ObjectVal:
    """A DataFrame of ``columns`` columns (None: unknown) and unknown rows; ``unique``: no column
    label is repeated."""
    return ObjectVal(DATA_FRAME, state={"columns": columns, "unique": unique})


def series() -> ObjectVal:
    return ObjectVal(SERIES)


def _columns(value: Value) -> Dim:
    return value.state.get("columns") if isinstance(value, ObjectVal) else None


def _unique(value: Value) -> bool:
    return isinstance(value, ObjectVal) and value.state.get("unique", False)


def _same_frame(value: Value) -> ObjectVal:
    """Some rows of ``value``: its columns."""
    return frame(_columns(value), _unique(value))


# -- making tables --------------------------------------------------------------------------------------------


_NOT_A_TABLE = ("squeeze", "iterator", "chunksize")  # a Series (pandas < 2) or a reader of chunks


@op(*_READERS)
def read_table(call: Call) -> Value:
    """One table, its repeated header fields renamed (``a``, ``a.1``)."""
    if any(call.has(None, option) for option in _NOT_A_TABLE):
        return UNKNOWN
    if call.name == "pd.read_excel" and call.has(1, "sheet_name"):
        sheet = call.arg(1, "sheet_name")
        if not (isinstance(sheet, Const) and isinstance(sheet.value, (int, str))):
            return UNKNOWN  # None or a list of sheets: a dict of tables
    return frame(_read_columns(call))


def _read_columns(call: Call) -> Dim:
    """Columns named by ``usecols`` or ``names`` (one of them, without ``index_col``)."""
    given = [option for option in ("usecols", "names") if call.has(None, option)]
    if call.has(None, "index_col") or len(given) != 1:
        return None
    return _listed_count(call.arg(None, given[0]))


def _listed_count(value: Value) -> Dim:
    """How many labels a list of distinct constant labels holds (a list of booleans is a mask)."""
    items = items_of(value)
    if items is None or not all(isinstance(item, Const) and isinstance(item.value, (str, int))
                                and not isinstance(item.value, bool) for item in items):
        return None
    return len(items) if len({item.value for item in items}) == len(items) else None


@op("pd.DataFrame")
def data_frame(call: Call) -> Value:
    data = call.arg(0, "data", default=Const(None))
    if call.has(None, "columns"):
        count = _listed_count(call.arg(None, "columns"))
        return frame(count, unique=count is not None)
    if isinstance(data, DictVal):
        return frame(len(data.items))
    shape = value_shape(data) if isinstance(data, (TensorVal, ListVal, TupleVal, SequenceSummary)) else None
    return frame(shape[1] if shape is not None and len(shape) == 2 else None)


@op("pd.get_dummies")
def get_dummies(call: Call) -> Value:
    return frame(None)


# -- arrays out of tables -------------------------------------------------------------------------------------


@prop(f"{DATA_FRAME}.values", f"{DATA_FRAME}.__array__")  # np.asarray(df), a table fed as it is
def frame_values(call: Call) -> Value:
    return fresh_tensor((None, _columns(call.args[0])), kind=NDARRAY)


@op(f"{DATA_FRAME}.to_numpy", f"{DATA_FRAME}.as_matrix")
def frame_to_numpy(call: Call) -> Value:
    return frame_values(call)


@prop(f"{SERIES}.values", f"{SERIES}.__array__")
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
    return _same_frame(call.args[0])


@op(*(f"{SERIES}.{name}" for name in _SAME_COLUMNS + ("map",)))
def same_series(call: Call) -> Value:
    return series()


@op(f"{DATA_FRAME}.dropna")
def dropna(call: Call) -> Value:
    axis = call.arg(1, "axis", default=Const(0))
    drops_rows = isinstance(axis, Const) and axis.value in (0, "index", "rows")
    return _same_frame(call.args[0]) if drops_rows else frame(None, _unique(call.args[0]))


@op(f"{DATA_FRAME}.drop")
def drop(call: Call) -> Value:
    """Rows (the default) keep the columns; ``columns=`` or ``axis=1`` labels each remove one
    (when labels are unique: pandas raises for a missing one)."""
    table = call.args[0]
    unique = _unique(table)
    if call.has(None, "columns"):
        labels = call.arg(None, "columns")
    else:
        axis = call.arg(2, "axis", default=Const(0))
        if isinstance(axis, Const) and axis.value in (0, "index", "rows") and not call.has(None, "index"):
            return _same_frame(table)
        if not (isinstance(axis, Const) and axis.value in (1, "columns")):
            return frame(None, unique)
        labels = call.arg(1, "labels")
    count = 1 if isinstance(labels, Const) and isinstance(labels.value, (str, int)) else _listed_count(labels)
    columns = _columns(table)
    known = unique and columns is not None and count is not None
    return frame(columns - count if known else None, unique)


@op(f"{DATA_FRAME}.__getitem__")
def frame_item(call: Call) -> Value:
    """``df["a"]`` is a column; ``df[["a", "b"]]`` those columns; ``df[rows]`` (a slice) the rows."""
    table, key = call.args[0], call.args[1]
    if _is_scalar(key):
        return series() if _unique(table) else UNKNOWN
    if isinstance(key, ListVal):
        return _listed_frame(key, _unique(table), _unique(table))
    if isinstance(key, SliceVal):
        return _same_frame(table)
    return UNKNOWN


def _listed_frame(labels: ListVal, each_once: bool, unique: bool) -> ObjectVal:
    """The columns a list of labels (or positions) selects: as many as it holds when they are known
    and distinct, and each names one column (``each_once``); their labels are unique when the
    table's are."""
    count = _listed_count(labels) if each_once else None
    return frame(count, unique=unique and count is not None)


@prop(f"{DATA_FRAME}.iloc", f"{DATA_FRAME}.loc")
def indexer(call: Call) -> Value:
    return ObjectVal(INDEXER, state={"frame": call.args[0], "by": call.name.split(".")[-1]})


@op(f"{INDEXER}.__getitem__")
def indexed(call: Call) -> Value:
    """``df.iloc[rows]``, ``df.iloc[rows, columns]`` (positions) and ``df.loc[...]`` (labels)."""
    table, by = call.args[0].state["frame"], call.args[0].state["by"]
    key = call.args[1]
    if type(key) is TupleVal and len(key.items) != 2:
        return UNKNOWN
    rows, columns = key.items if type(key) is TupleVal else (key, None)
    one_row = _is_scalar(rows)
    if not one_row and not _selects_rows(rows):
        return UNKNOWN  # one row (a Series) or several (a table)?
    if columns is None:
        return series() if one_row else _same_frame(table)
    selected = _selected_columns(columns, table, by)
    if selected is _ONE:
        return UNKNOWN if one_row else series()  # one cell, or a column
    if selected is None:
        return UNKNOWN
    return series() if one_row else selected


_ONE = object()  # one column, selected by a scalar


def _selected_columns(key: Value, table: Value, by: str):
    """_ONE, the table of the selected columns, or None when not known which."""
    columns = _columns(table)
    if _is_scalar(key):
        return _ONE if by == "iloc" or _unique(table) else None
    if isinstance(key, ListVal):
        return _listed_frame(key, by == "iloc" or _unique(table), _unique(table))
    if not isinstance(key, SliceVal):
        return frame(None, unique=False) if _selects_rows(key) else None  # a mask of columns
    if _is_everything(key):
        return _same_frame(table)
    entry = read_entry(key) if by == "iloc" else None
    if entry is None or not isinstance(columns, int) or any(not isinstance(p, (int, type(None))) for p in entry[1:]):
        return frame(None, _unique(table))  # a slice: some of the columns
    return frame(slice_length(columns, *entry[1:]), _unique(table))


def _selects_rows(key: Value) -> bool:
    """A slice, a list, or an array or list of rank 1 (positions or a mask): several rows."""
    if isinstance(key, (SliceVal, ListVal, SequenceSummary)):
        return True
    shape = value_shape(key) if isinstance(key, TensorVal) else None
    return shape is not None and len(shape) == 1


def _is_everything(key: SliceVal) -> bool:
    return all(is_none(part) for part in (key.start, key.stop, key.step))


def _is_scalar(key: Value) -> Optional[bool]:
    if isinstance(key, Const):
        return isinstance(key.value, (int, str)) and not isinstance(key.value, bool)
    return isinstance(key, SymInt) or (isinstance(key, NumberVal) and key.kind == "int")
