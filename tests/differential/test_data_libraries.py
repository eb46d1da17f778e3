"""pandas and scikit-learn vs our shape functions: drawn programs that read a drawn CSV file with
pandas, take arrays out of the table, and split or shuffle them with scikit-learn are linted and
run for real. Each array we infer must fit the real one (same rank, each size we know equal), and
``train_test_split``'s sizes must be scikit-learn's for every ``n``, ``test_size`` and ``train_size``.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.rank_bounds import rank_bounds
from tfshapelint.domain.values import TensorVal
from tfshapelint.ops.array_like import value_shape
from tfshapelint.ops.sklearn_split import split_sizes

from .harness import evaluate, examples, fresh_symbol, note

pd = pytest.importorskip("pandas")
model_selection = pytest.importorskip("sklearn.model_selection")

pytestmark = pytest.mark.datalibs


def fits(ours, real, where: str) -> None:
    real_shape = np.shape(real)
    shape = ours.shape if isinstance(ours, TensorVal) else value_shape(ours)
    if isinstance(ours, TensorVal) and shape is None:
        low, high = rank_bounds(ours)
        assert low <= len(real_shape) and (high is None or len(real_shape) <= high), f"{where}\n{real_shape}"
        return
    if shape is None:
        note("imprecise", "data libraries", "unknown", where)
        return
    assert len(shape) == len(real_shape), f"ours {shape}, real {real_shape}\n{where}"
    for a, b in zip(shape, real_shape):
        assert a is None or a == b, f"ours {shape}, real {real_shape}\n{where}"


def lint_and_run(source: str, folder: str) -> tuple:
    from helpers import run

    real: dict = {}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        exec(compile(source, "<drawn>", "exec"), real)  # noqa: S102 - the drawn program, never linted user code
    finally:
        os.chdir(cwd)
    return run(source).globals.vars, real


# -- pandas -----------------------------------------------------------------------------------------------------

READS = st.sampled_from([
    "pd.read_csv('d.csv')",
    "pd.read_csv('d.csv', header=None)",
    "pd.read_csv('d.csv', names=NAMES)",
    "pd.read_csv('d.csv', usecols=[0, 1])",
    "pd.read_table('d.csv', sep=',')",
    "pd.DataFrame(np.zeros((7, COLUMNS)))",
    "pd.DataFrame(np.zeros((7, 3)), columns=['c0', 'c0', 'c1'])",  # a repeated label: df['c0'] is a table
    "pd.read_csv('d.csv', usecols=[0, 1], names=NAMES)",
])
TAKES = st.sampled_from([
    "df.values", "df.to_numpy()", "df.iloc[:, :-1].values", "df.iloc[:, -1].values", "df.iloc[:, 1:3].values",
    "df.iloc[:, :2].to_numpy()", "df.iloc[0].values", "df.iloc[1:4].values", "df.loc[:, :].values",
    "df[df.columns[0]].values", "df[list(df.columns[:2])].values", "df.head(2).values",
    "df.sample(frac=1).values", "df.drop(df.columns[0], axis=1).values", "df.drop(columns=[df.columns[-1]]).values",
    "df.dropna().values", "df.iloc[:, [0, 1]].values", "df.shape[1]", "pd.get_dummies(df.iloc[:, 0]).values",
    "df['c0'].values", "df.loc[:, 'c0'].values", "df[['c0', 'c1']].values", "df.iloc[len(df) - len(df)].values",
    "df.iloc[[0, 0, 1]].values", "df.iloc[:, [0, 0]].values", "df.drop(columns='c0').values",
    "df.loc[:, ['c1', 'c0']].to_numpy()", "df.iloc[:, len(df.columns) - 1].values",
    "df.iloc[:, [0, 1]]['c0'].values", "df.iloc[:, :2]['c0'].values",
    "np.asarray(df)", "np.array(df.iloc[:, 0])", "np.asarray(df[['c0']])",
])


# methods that keep a table's columns (and a column's length), called on a table or on a column
SAME_COLUMNS = ["abs()", "astype(float)", "bfill()", "clip(0, 3)", "copy()", "drop_duplicates()", "ffill()",
                "fillna(0)", "head(3)", "interpolate()", "replace(1, 2)", "round()", "sample(frac=1)",
                "sort_index()", "tail(2)", "SORT"]
CHAINS = st.builds(lambda method, column, end: (
    ("df.iloc[:, 0]" if column else "df") + "." + method.replace(
        "SORT", "sort_values()" if column else "sort_values(by=df.columns[0])") + end),
    st.sampled_from(SAME_COLUMNS + ["map(float)"]), st.booleans(),
    st.sampled_from([".values", ".to_numpy()", ".shape[0] * 0", ".unique()"]))


@examples(250)
@given(rows=st.integers(1, 6), columns=st.integers(2, 5), extra_names=st.integers(-1, 1), read=READS,
       take=st.one_of(TAKES, CHAINS))
def test_arrays_taken_from_tables(rows, columns, extra_names, read, take):
    names = [f"n{j}" for j in range(max(columns + extra_names, 1))]
    source = ("import numpy as np\nimport pandas as pd\n"
              f"NAMES = {names!r}\nCOLUMNS = {columns}\ndf = {read}\nv = {take}\n")
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "d.csv"), "w") as file:
            file.write(",".join(f"c{j}" for j in range(columns)) + "\n")
            file.writelines(",".join(str(i + j) for j in range(columns)) + "\n" for i in range(rows))
        try:
            ours, real = lint_and_run(source, folder)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            return  # pandas raises for this table (abs of text, unique of a table...): nothing follows
    if isinstance(real["v"], (int, np.integer)):
        value = ours["v"]
        assert not hasattr(value, "value") or value.value == real["v"], source
        return
    if not isinstance(real["v"], np.ndarray):
        return  # a method pandas does not have for this column's dtype (map of a table...)
    fits(ours["v"], real["v"], source)


# -- scikit-learn ---------------------------------------------------------------------------------------------

SIZES = st.one_of(st.none(), st.integers(-1, 40), st.floats(0.0, 1.0).map(lambda f: round(f, 2)),
                  st.sampled_from([0.25, 0.5, 0.125, 0.75, 0.1, 0.2, 0.3, 0.33]))


def sklearn_sizes(n: int, test_size, train_size):
    try:
        train, test = model_selection.train_test_split(np.arange(n), test_size=test_size, train_size=train_size)
    except ValueError:
        return None
    return len(train), len(test)


@examples(400)
@given(n=st.integers(1, 60), test_size=SIZES, train_size=SIZES)
def test_split_sizes(n, test_size, train_size):
    real = sklearn_sizes(n, test_size, train_size)
    ours = split_sizes(n, test_size, train_size)
    where = f"n={n} test_size={test_size} train_size={train_size}: ours {ours}, scikit-learn {real}"
    if real is None:
        assert ours == (None, None), where
        return
    assert ours == real, where
    # the same sizes from a symbolic n, evaluated at n (where a formula is given at all)
    symbol = fresh_symbol("n")
    (atom, _), = next(iter(symbol.terms))
    for part, expected in zip(split_sizes(symbol, test_size, train_size), real):
        if part is not None:
            assert evaluate(part, {atom: n}) == expected, where


@examples(80)
@given(n=st.integers(2, 40), width=st.integers(1, 3), test_size=st.sampled_from([None, 0.2, 0.25, 5]),
       data=st.sampled_from(["np.zeros((N, W))", "np.zeros(N)", "[[0.0] * W] * N", "list(range(N))",
                             "pd.DataFrame(np.zeros((N, W)))"]))
def test_split_arrays(n, width, test_size, data):
    source = ("import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
              "from sklearn.utils import shuffle\n"
              f"N, W = {n}, {width}\nX = {data}\ny = np.arange(N)\n"
              f"a, b, c, d = train_test_split(X, y, test_size={test_size!r})\n"
              "e, f = shuffle(X, y)\n")
    with tempfile.TemporaryDirectory() as folder:
        try:
            ours, real = lint_and_run(source, folder)
        except ValueError:
            return
    for name in "bcdef":
        if name in "abe" and "DataFrame" in data:
            assert ours[name].type_name == "DataFrame", source  # a table's parts are tables
            continue
        fits(ours[name], real[name], source)


COVERED = {
    **{f"DataFrame.{name}": "tables" for name in ("__getitem__", "abs", "astype", "bfill", "clip", "copy", "drop",
                                                   "drop_duplicates", "dropna", "ffill", "fillna", "head", "iloc",
                                                   "interpolate", "loc", "replace", "round", "sample", "shape",
                                                   "sort_index", "sort_values", "tail", "to_numpy", "values")},
    **{f"Series.{name}": "tables" for name in ("abs", "astype", "bfill", "clip", "copy", "drop_duplicates", "ffill",
                                                "fillna", "head", "interpolate", "map", "replace", "round", "sample",
                                                "shape", "sort_index", "sort_values", "tail", "to_numpy", "unique",
                                                "values")},
    "DataFrameIndexer.__getitem__": "tables", "DataFrame.__array__": "tables", "Series.__array__": "tables", "pd.DataFrame": "tables", "pd.get_dummies": "tables",
    "pd.read_csv": "tables", "pd.read_table": "tables",
    "sklearn.model_selection.train_test_split": "splits", "sklearn.utils.shuffle": "splits",
}
UNCOVERED = {
    "DataFrame.as_matrix": "removed in pandas 1.0 (the installed pandas has none): the same adapter as to_numpy",
    "pd.read_excel": "needs an Excel engine (openpyxl, not a test dependency): the same adapter as read_csv",
}
