"""Arrays read from files: ``np.loadtxt``, ``np.genfromtxt``, ``np.load``.

Their sizes depend on the file, so they are unknown; the rank is bounded where NumPy bounds it.
``loadtxt`` and ``genfromtxt`` return at most 2 axes (a file of one row or one column is squeezed
to 1 axis, a file of one value to 0) and at least ``ndmin`` (0, 1 or 2): with ``delimiter=','``
and no ``ndmin`` the rank is 1 or 2 depending on the file, so a slice ``data[:, :-1]`` proves it is
2. That holds for plain dtypes; a structured dtype with sub-array fields adds axes
(``genfromtxt(..., dtype=np.dtype((float, (3, 2))))`` has 3), so any other dtype leaves the
result unknown. ``np.load`` of a ``.npy`` file is an array of any rank; of a ``.npz`` file, an
archive whose items (``data["x"]``) are arrays.
"""

from __future__ import annotations

import re

from ..domain.builtin_functions import is_builtin
from ..domain.rank_bounds import with_rank_bounds
from ..domain.values import UNKNOWN, ApiRef, Const, ObjectVal, Value
from .args import as_int, as_str
from .array_like import NDARRAY
from .registry import Call, canonical, op

NPZ_FILE = "NpzFile"
_MAX_TEXT_RANK = 2
_PLAIN_DTYPE_NAME = re.compile(r"[<>=|]?[A-Za-z]+[0-9]*")  # "float32", "f4", "<i8" (not "f4,f4" nor "(3,)f4")
_NUMPY_SCALAR_TYPE = re.compile(r"np\.(float|int|uint|complex|bool|str|bytes|object|double|single|half|longdouble)"
                                r"[0-9]*_?")


def _is_plain_dtype(value: Value) -> bool:
    """A dtype of one number per field: ``float``, ``np.float32``, ``"float32"``, or None (the
    default; genfromtxt's ``dtype=None`` infers one, or a record of scalars)."""
    if isinstance(value, Const):
        if value.value is None:
            return True
        return isinstance(value.value, str) and _PLAIN_DTYPE_NAME.fullmatch(value.value) is not None
    if isinstance(value, ApiRef):
        return _NUMPY_SCALAR_TYPE.fullmatch(canonical(value.path)) is not None
    return is_builtin(value, "float", "int")


def _text_array(call: Call, dtype_at: int) -> Value:
    dtype = call.arg(dtype_at, "dtype", default=Const(None))
    if not _is_plain_dtype(dtype):
        return UNKNOWN
    ndmin = as_int(call.arg(None if call.name == "np.genfromtxt" else 8, "ndmin", default=Const(0)))
    low = ndmin if ndmin in (0, 1, 2) else 0
    return with_rank_bounds(low, _MAX_TEXT_RANK, kind=NDARRAY)


@op("np.loadtxt")
def loadtxt(call: Call) -> Value:
    return _text_array(call, 1)


@op("np.genfromtxt")
def genfromtxt(call: Call) -> Value:
    return _text_array(call, 1)


@op("np.load")
def load(call: Call) -> Value:
    """By the file name's suffix: what ``np.save`` (``.npy``) and ``np.savez`` (``.npz``) write."""
    name = as_str(call.arg(0, "file"))
    if name is None:
        return UNKNOWN
    if name.endswith(".npy"):
        return with_rank_bounds(0, None, kind=NDARRAY)
    if name.endswith(".npz"):
        return ObjectVal(NPZ_FILE)
    return UNKNOWN


@op(f"{NPZ_FILE}.__getitem__")
def npz_item(call: Call) -> Value:
    return with_rank_bounds(0, None, kind=NDARRAY)
