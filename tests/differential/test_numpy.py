"""NumPy shape functions vs real NumPy: hypothesis draws shapes and parameters, NumPy is run on
small arrays, and our registered adapters must agree: the same shape, or both reject. We may say
"unknown" (an imprecision) but never raise where NumPy accepts, nor give a different shape.

NumPy is cheap and always installed, so this family runs in the ordinary (non-``tf``) suite.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import UNKNOWN, Const, ListVal, SliceVal, TensorVal, TupleVal, fresh_tensor
from tfshapelint.ops import registry
from tfshapelint.ops.errors import ShapeError
from tfshapelint.ops.numpy_ops import _BINARY, _REDUCTIONS, _UNARY, index_shape
from tfshapelint.ops.numpy_random import _RANDOM_SIZED
from tfshapelint.shapes import dims

from .harness import abstract, call_op, examples, note

SIZES = st.integers(0, 4)
SHAPES = st.lists(SIZES, min_size=0, max_size=4).map(tuple)
NONEMPTY = st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple)
AXES = st.integers(-5, 5)


def array(shape) -> TensorVal:
    return fresh_tensor(tuple(shape), kind="ndarray")


def numpy_result(fn):
    """NumPy's result shape, or ``"rejects"`` when it raises."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn()
    except (ValueError, IndexError, TypeError, ZeroDivisionError, np.exceptions.AxisError):
        return "rejects"
    return tuple(np.shape(out))


def agree(op: str, ours, theirs, describe: str) -> None:
    where = f"{op}: {describe}\n  ours={ours!r}\n  numpy={theirs!r}"
    if isinstance(ours, ShapeError):
        assert theirs == "rejects", f"FALSE POSITIVE ({ours.message})\n{where}"
        return
    if theirs == "rejects":
        note("missed", op, "numpy rejects", where)
        return
    if ours is UNKNOWN or not isinstance(ours, TensorVal):
        if theirs != ():  # we leave Python scalars unknown on purpose
            note("imprecise", op, "unknown", where)
        return
    if ours.shape is None:
        note("imprecise", op, "unknown rank", where)
        return
    assert len(ours.shape) == len(theirs), f"rank differs\n{where}"
    for axis, (a, b) in enumerate(zip(ours.shape, theirs)):
        if a is None:
            note("imprecise", op, "unknown dim", where)
            continue
        assert a == b, f"axis {axis}: {dims.fmt(a)} vs {b}\n{where}"


def method(name: str, receiver: TensorVal, *args, **kwargs):
    return call_op(f"ndarray.{name}", receiver, *args, **kwargs)


# -- creation ---------------------------------------------------------------------------------------


@examples(150)
@given(name=st.sampled_from(["zeros", "ones", "empty", "full"]), shape=st.lists(st.integers(-1, 4), max_size=4),
       as_int=st.booleans())
def test_creation(name, shape, as_int):
    arg = shape[0] if as_int and shape else tuple(shape)
    extra = (0.5,) if name == "full" else ()
    agree(f"np.{name}", call_op(f"np.{name}", arg, *extra), numpy_result(lambda: getattr(np, name)(arg, *extra)),
          f"shape={arg}")


@examples(80)
@given(name=st.sampled_from(["zeros_like", "ones_like", "empty_like", "full_like"]), shape=SHAPES,
       override=st.one_of(st.none(), SHAPES))
def test_like(name, shape, override):
    extra = (1.0,) if name == "full_like" else ()
    kwargs = {} if override is None else {"shape": override}
    agree(f"np.{name}", call_op(f"np.{name}", array(shape), *extra, **kwargs),
          numpy_result(lambda: getattr(np, name)(np.empty(shape), *extra, **kwargs)), f"{shape} {kwargs}")


@examples(120)
@given(args=st.lists(st.one_of(st.integers(-6, 12), st.floats(-5, 5, allow_nan=False).map(lambda f: round(f, 2))),
                     min_size=1, max_size=3))
def test_arange(args):
    agree("np.arange", call_op("np.arange", *args), numpy_result(lambda: np.arange(*args)), f"{args}")


@examples(60)
@given(n=st.integers(0, 5), m=st.one_of(st.none(), st.integers(0, 5)), num=st.one_of(st.none(), st.integers(0, 60)))
def test_eye_identity_linspace(n, m, num):
    agree("np.eye", call_op("np.eye", n, m), numpy_result(lambda: np.eye(n, m)), f"{n} {m}")
    agree("np.identity", call_op("np.identity", n), numpy_result(lambda: np.identity(n)), f"{n}")
    kwargs = {} if num is None else {"num": num}
    agree("np.linspace", call_op("np.linspace", 0.0, 1.0, **kwargs), numpy_result(lambda: np.linspace(0, 1, **kwargs)),
          f"{kwargs}")


def nested(shape):
    if not shape:
        return 1.5
    return [nested(shape[1:]) for _ in range(shape[0])]


@examples(80)
@given(shape=SHAPES, ndmin=st.integers(0, 5), name=st.sampled_from(["array", "asarray"]))
def test_array_of_nested_lists(shape, ndmin, name):
    data = nested(shape)
    kwargs = {"ndmin": ndmin} if name == "array" else {}
    agree(f"np.{name}", call_op(f"np.{name}", data, **kwargs),
          numpy_result(lambda: getattr(np, name)(data, **kwargs)), f"{shape} {kwargs}")


def test_ragged_list_is_unknown():
    ours = call_op("np.array", [[1, 2], [3]])  # NumPy 2 raises; older NumPy makes an object array
    assert isinstance(ours, TensorVal) and ours.shape is None


@examples(200)
@given(name=st.sampled_from(sorted(n for n, spec in _RANDOM_SIZED.items() if spec is not None)),
       size=st.one_of(st.none(), st.integers(0, 4), SHAPES), keyword=st.booleans())
def test_random_with_size(name, size, keyword):
    size_at, params = _RANDOM_SIZED[name]
    values = {"uniform": [0.0, 1.0], "normal": [0.0, 1.0], "randint": [0, 5], "random_integers": [1, 5],
              "binomial": [5, 0.5], "poisson": [3.0], "exponential": [1.0], "beta": [1.0, 2.0], "gamma": [1.0, 1.0],
              "lognormal": [0.0, 1.0], "laplace": [0.0, 1.0], "logistic": [0.0, 1.0], "choice": [5],
              "geometric": [0.5]}.get(name, [])
    args = list(values[:size_at])
    kwargs = {}
    if size is not None:
        if keyword:
            kwargs["size"] = size
        else:
            args = args + [None] * (size_at - len(args)) if len(args) < size_at else args
            if None in args:
                return  # a positional size needs every earlier argument: not drawn here
            args.append(size)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = numpy_result(lambda: getattr(np.random, name)(*args, **kwargs))
    agree(f"np.random.{name}", call_op(f"np.random.{name}", *args, **kwargs), theirs, f"{args} {kwargs}")


@examples(60)
@given(shape=st.lists(st.integers(0, 4), max_size=4))
def test_rand_randn(shape):
    for name in ("rand", "randn"):
        agree(f"np.random.{name}", call_op(f"np.random.{name}", *shape),
              numpy_result(lambda: getattr(np.random, name)(*shape)), f"{shape}")


# -- reshapes and axes ------------------------------------------------------------------------------------


@examples(200)
@given(shape=SHAPES, target=st.lists(st.integers(-2, 6), min_size=0, max_size=4), as_method=st.booleans(),
       varargs=st.booleans())
def test_reshape(shape, target, as_method, varargs):
    x = np.empty(shape)
    theirs = numpy_result(lambda: x.reshape(*target) if varargs and target else x.reshape(tuple(target)))
    if as_method:
        ours = method("reshape", array(shape), *target) if varargs and target else method("reshape", array(shape),
                                                                                               tuple(target))
    else:
        ours = call_op("np.reshape", array(shape), tuple(target))
    agree("reshape", ours, theirs, f"{shape} -> {target}")


@examples(150)
@given(shape=SHAPES, data=st.data())
def test_transpose(shape, data):
    rank = len(shape)
    axes = data.draw(st.one_of(st.none(), st.lists(st.integers(-rank - 1, rank), min_size=rank, max_size=rank),
                               st.lists(st.integers(-3, 3), max_size=4)))
    x = np.empty(shape)
    agree("np.transpose", call_op("np.transpose", array(shape), None if axes is None else tuple(axes)),
          numpy_result(lambda: np.transpose(x, axes)), f"{shape} {axes}")
    if axes is None:
        agree("ndarray.T", registry.lookup_property("ndarray.T")(
            registry.Call(name="ndarray.T", args=[array(shape)], kwargs={})), tuple(x.T.shape), f"{shape}")
        agree("ndarray.transpose", method("transpose", array(shape)), numpy_result(lambda: x.transpose()), f"{shape}")
    elif axes:
        agree("ndarray.transpose", method("transpose", array(shape), *axes),
              numpy_result(lambda: x.transpose(*axes)), f"{shape} {axes}")


@examples(150)
@given(shape=SHAPES, axis=st.one_of(AXES, st.lists(AXES, min_size=1, max_size=3).map(tuple)))
def test_expand_dims(shape, axis):
    agree("np.expand_dims", call_op("np.expand_dims", array(shape), axis),
          numpy_result(lambda: np.expand_dims(np.empty(shape), axis)), f"{shape} {axis}")


@examples(150)
@given(shape=st.lists(st.sampled_from([1, 1, 2, 3]), max_size=4).map(tuple),
       axis=st.one_of(st.none(), AXES, st.lists(AXES, min_size=1, max_size=2).map(tuple)), as_method=st.booleans())
def test_squeeze(shape, axis, as_method):
    ours = method("squeeze", array(shape), axis) if as_method else call_op("np.squeeze", array(shape), axis)
    agree("squeeze", ours, numpy_result(lambda: np.squeeze(np.empty(shape), axis)), f"{shape} {axis}")


@examples(150)
@given(name=st.sampled_from(_REDUCTIONS), shape=SHAPES,
       axis=st.one_of(st.none(), AXES, st.lists(AXES, min_size=1, max_size=2).map(tuple)),
       keepdims=st.booleans(), as_method=st.booleans())
def test_reductions(name, shape, axis, keepdims, as_method):
    fn = getattr(np, name, None)
    if fn is None:
        return
    kwargs = {"keepdims": True} if keepdims else {}
    if name in ("average", "median", "ptp") and keepdims:
        return  # their keepdims handling varies across NumPy versions
    x = np.ones(shape) if shape else np.ones(())
    theirs = numpy_result(lambda: fn(x, axis, **kwargs) if name != "count_nonzero" else fn(x, axis=axis, **kwargs))
    if theirs != "rejects" and x.size == 0 and name in ("max", "min", "amax", "amin", "argmax", "argmin", "ptp"):
        pass
    if as_method and registry.lookup(f"ndarray.{name}") is not None:
        ours = method(name, array(shape), axis, **kwargs)
    else:
        ours = call_op(f"np.{name}", array(shape), axis, **kwargs)
    if theirs == "rejects" and x.size == 0 and not isinstance(ours, ShapeError):
        return  # NumPy rejects reducing an empty array with max/argmax: a value error, not a shape one
    agree(f"np.{name}", ours, theirs, f"{shape} axis={axis} {kwargs}")


# -- joins -----------------------------------------------------------------------------------------------------


@examples(200)
@given(name=st.sampled_from(["stack", "concatenate", "vstack", "hstack", "column_stack"]),
       shapes=st.lists(st.lists(st.sampled_from([1, 2, 3]), max_size=3).map(tuple), min_size=1, max_size=3),
       axis=st.one_of(st.none(), st.integers(-3, 3)))
def test_joins(name, shapes, axis):
    arrays = [np.empty(s) for s in shapes]
    mine = ListVal(tuple(array(s) for s in shapes))
    if name in ("stack", "concatenate"):
        kwargs = {"axis": axis} if axis is not None or name == "concatenate" else {}
        if name == "stack" and axis is None:
            kwargs = {}
        theirs = numpy_result(lambda: getattr(np, name)(arrays, **kwargs))
        ours = call_op(f"np.{name}", mine, **kwargs)
    else:
        theirs = numpy_result(lambda: getattr(np, name)(arrays))
        ours = call_op(f"np.{name}", mine)
    agree(f"np.{name}", ours, theirs, f"{shapes} axis={axis}")


# -- products, elementwise, misc ----------------------------------------------------------------------------


@examples(200)
@given(a=st.lists(st.sampled_from([1, 2, 3]), min_size=0, max_size=3).map(tuple),
       b=st.lists(st.sampled_from([1, 2, 3]), min_size=0, max_size=3).map(tuple))
def test_matmul_operator_and_function(a, b):
    theirs = numpy_result(lambda: np.empty(a) @ np.empty(b))
    agree("operator.matmul", call_op("operator.matmul", array(a), array(b)), theirs, f"{a} @ {b}")
    agree("np.matmul", call_op("np.matmul", array(a), array(b)), theirs, f"{a} @ {b}")
    if len(a) <= 2 and len(b) <= 2 and a and b:
        agree("np.dot", call_op("np.dot", array(a), array(b)), numpy_result(lambda: np.dot(np.empty(a), np.empty(b))),
              f"dot {a} {b}")


@examples(150)
@given(name=st.sampled_from(_BINARY), a=st.lists(st.sampled_from([1, 2, 3]), max_size=3).map(tuple),
       b=st.lists(st.sampled_from([1, 2, 3]), max_size=3).map(tuple))
def test_binary_broadcast(name, a, b):
    fn = getattr(np, name)
    theirs = numpy_result(lambda: fn(np.ones(a), np.ones(b)))
    agree(f"np.{name}", call_op(f"np.{name}", array(a), array(b)), theirs, f"{a} {b}")
    agree("operator.add", call_op("operator.add", array(a), array(b)), numpy_result(lambda: np.ones(a) + np.ones(b)),
          f"{a} + {b}")


@examples(60)
@given(name=st.sampled_from(_UNARY), shape=NONEMPTY)
def test_unary(name, shape):
    fn = getattr(np, name)
    args = (0.0, 1.0) if name == "clip" else ()
    agree(f"np.{name}", call_op(f"np.{name}", array(shape), *args), numpy_result(lambda: fn(np.ones(shape), *args)),
          f"{shape}")


@examples(80)
@given(shape=SHAPES, reps=st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), max_size=4).map(tuple)))
def test_tile(shape, reps):
    agree("np.tile", call_op("np.tile", array(shape), reps), numpy_result(lambda: np.tile(np.empty(shape), reps)),
          f"{shape} {reps}")


@examples(80)
@given(shape=NONEMPTY, width=st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2))))
def test_pad(shape, width):
    agree("np.pad", call_op("np.pad", array(shape), width), numpy_result(lambda: np.pad(np.empty(shape), width)),
          f"{shape} {width}")


@examples(60)
@given(shape=SHAPES)
def test_flatten_ravel_astype(shape):
    x = np.empty(shape)
    agree("ndarray.flatten", method("flatten", array(shape)), tuple(x.flatten().shape), f"{shape}")
    agree("np.ravel", call_op("np.ravel", array(shape)), tuple(np.ravel(x).shape), f"{shape}")
    agree("ndarray.astype", method("astype", array(shape), "float32"), tuple(x.astype("float32").shape), f"{shape}")


# -- indexing ------------------------------------------------------------------------------------------------


BOUND = st.one_of(st.none(), st.integers(-5, 5))
ENTRY = st.one_of(
    st.integers(-4, 4),
    st.tuples(BOUND, BOUND, st.one_of(st.none(), st.sampled_from([1, 2, -1, 3]))),
    st.just("newaxis"),
    st.just("ellipsis"),
)


@examples(250)
@given(shape=SHAPES, key=st.lists(ENTRY, min_size=1, max_size=4))
def test_index_shape(shape, key):
    mine, theirs_key = [], []
    for entry in key:
        if entry == "newaxis":
            mine.append(Const(None))
            theirs_key.append(None)
        elif entry == "ellipsis":
            mine.append(Const(Ellipsis))
            theirs_key.append(Ellipsis)
        elif isinstance(entry, tuple):
            mine.append(SliceVal(*(Const(v) for v in entry)))
            theirs_key.append(slice(*entry))
        else:
            mine.append(Const(entry))
            theirs_key.append(entry)
    theirs = numpy_result(lambda: np.empty(shape)[tuple(theirs_key)])
    ours = index_shape(tuple(shape), TupleVal(tuple(mine)))
    if ours is None:
        if theirs != "rejects":
            note("imprecise", "ndarray.__getitem__", "unknown", f"{shape} {theirs_key}")
        return
    assert theirs != "rejects", f"{shape}[{theirs_key}]: ours {ours}, NumPy rejects"
    assert ours == theirs, f"{shape}[{theirs_key}]: ours {ours}, NumPy {theirs}"


@examples(120)
@given(shape=NONEMPTY, index=st.lists(st.sampled_from([1, 2, 3]), min_size=0, max_size=2).map(tuple),
       listed=st.sampled_from([None, "ints", "booleans"]))
def test_array_index(shape, index, listed):
    """An index array of unknown dtype may hold ints or be a boolean mask: what we say must hold for
    both (a listed one is one or the other)."""
    ints, mask = np.zeros(index, dtype=int), np.zeros(index, dtype=bool)
    if listed is None:
        ours = index_shape(shape, array(index))
        real = [numpy_result(lambda: np.empty(shape)[ints]), numpy_result(lambda: np.empty(shape)[mask])]
    else:
        data = ints if listed == "ints" else mask
        ours = index_shape(shape, abstract(data.tolist()))
        real = [numpy_result(lambda: np.empty(shape)[data.tolist()])]
    where = f"{shape}[array of shape {index}, {listed or 'dtype unknown'}]: ours {ours}, NumPy {real}"
    if ours is None:
        note("imprecise", "ndarray.__getitem__", "index array", where)
        return
    for theirs in real:
        if theirs == "rejects":
            continue
        assert len(ours) == len(theirs), where
        assert all(a is None or a == b for a, b in zip(ours, theirs)), where


# -- the rest of the family: generators, dtype constructors, sorting, where, size ----------------------------

GENERATOR_METHODS = {"random": (0, []), "integers": (2, [0, 5]), "standard_normal": (0, []), "uniform": (2, [0.0, 1.0]),
                     "normal": (2, [0.0, 1.0]), "choice": (1, [5]), "binomial": (2, [5, 0.5]), "poisson": (1, [3.0]),
                     "exponential": (1, [1.0]), "permutation": (None, [])}
STATE_METHODS = {"rand": None, "randn": None, "randint": (2, [0, 5]), "random": (0, []), "uniform": (2, [0.0, 1.0]),
                 "normal": (2, [0.0, 1.0]), "choice": (1, [5]), "binomial": (2, [5, 0.5]), "poisson": (1, [3.0]),
                 "exponential": (1, [1.0]), "standard_normal": (0, []), "permutation": (None, [])}


def _state_call(maker: str, method_name: str, *args, **kwargs):
    state = call_op(maker, 0)
    adapter = registry.lookup(f"RandomState.{method_name}")
    if adapter is None:
        return UNKNOWN
    from tfshapelint.ops.numpy_random import RANDOM_STATE

    assert state.type_name == RANDOM_STATE
    from .harness import abstract, ours

    call = registry.Call(name=f"RandomState.{method_name}", args=[state, *(abstract(a) for a in args)],
                         kwargs={k: abstract(v) for k, v in kwargs.items()})
    return ours(adapter, call)


@examples(120)
@given(generator=st.booleans(), data=st.data(), size=st.one_of(st.none(), st.integers(0, 4), SHAPES))
def test_random_generators(generator, data, size):
    table = GENERATOR_METHODS if generator else STATE_METHODS
    name = data.draw(st.sampled_from(sorted(table)))
    maker = "np.random.default_rng" if generator else "np.random.RandomState"
    real = np.random.default_rng(0) if generator else np.random.RandomState(0)
    spec = table[name]
    if spec is None:  # rand/randn take the sizes themselves; permutation an int or an array
        args = list(size) if isinstance(size, tuple) else ([] if size is None else [size])
        if name == "permutation":
            args = [size if isinstance(size, int) else 4]
        kwargs = {}
    else:
        _, args = spec
        kwargs = {} if size is None else {"size": size}
    agree(f"{maker}.{name}", _state_call(maker, name, *args, **kwargs),
          numpy_result(lambda: getattr(real, name)(*args, **kwargs)), f"{args} {kwargs}")


@examples(60)
@given(value=st.one_of(st.integers(0, 6), SHAPES.map(lambda s: nested(s))))
def test_permutation(value):
    if isinstance(value, list):
        mine = call_op("np.random.permutation", array(np.shape(value)))
    else:
        mine = call_op("np.random.permutation", value)
    agree("np.random.permutation", mine, numpy_result(lambda: np.random.permutation(value)), f"{value!r}"[:80])


DTYPE_NAMES = ("asanyarray", "ascontiguousarray", "copy", "float16", "float32", "float64", "int32", "int64", "int8",
               "uint8", "bool_")


@examples(60)
@given(name=st.sampled_from(DTYPE_NAMES), shape=SHAPES)
def test_array_constructors(name, shape):
    data = nested(shape)
    agree(f"np.{name}", call_op(f"np.{name}", data), numpy_result(lambda: getattr(np, name)(data)), f"{shape}")
    agree(f"np.{name}", call_op(f"np.{name}", array(shape)), numpy_result(lambda: getattr(np, name)(np.ones(shape))),
          f"array {shape}")


@examples(40)
@given(name=st.sampled_from(["logspace", "geomspace", "linspace"]), num=st.one_of(st.none(), st.integers(0, 60)))
def test_spaces(name, num):
    kwargs = {} if num is None else {"num": num}
    agree(f"np.{name}", call_op(f"np.{name}", 1.0, 2.0, **kwargs),
          numpy_result(lambda: getattr(np, name)(1.0, 2.0, **kwargs)), f"{kwargs}")


@examples(80)
@given(name=st.sampled_from(["argsort", "sort", "cumsum", "cumprod"]), shape=SHAPES,
       axis=st.one_of(st.none(), st.integers(-3, 3), st.just("absent")))
def test_along_axis(name, shape, axis):
    kwargs = {} if axis == "absent" else {"axis": axis}
    theirs = numpy_result(lambda: getattr(np, name)(np.ones(shape), **kwargs))
    ours = call_op(f"np.{name}", array(shape), **kwargs)
    if theirs == "rejects" and not isinstance(ours, ShapeError):
        return  # an axis out of range: we keep the shape (no finding), NumPy raises
    agree(f"np.{name}", ours, theirs, f"{shape} {kwargs}")


@examples(80)
@given(shapes=st.lists(st.lists(st.sampled_from([1, 2, 3]), max_size=3).map(tuple), min_size=3, max_size=3))
def test_where(shapes):
    cond, a, b = (np.ones(s) for s in shapes)
    agree("np.where", call_op("np.where", *(array(s) for s in shapes)), numpy_result(lambda: np.where(cond > 0, a, b)),
          f"{shapes}")


@examples(60)
@given(name=st.sampled_from(["concat", "row_stack"]),
       shapes=st.lists(st.lists(st.sampled_from([1, 2]), max_size=3).map(tuple), min_size=1, max_size=3))
def test_aliases_of_joins(name, shapes):
    fn = getattr(np, name)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = numpy_result(lambda: fn([np.ones(s) for s in shapes]))
    agree(f"np.{name}", call_op(f"np.{name}", ListVal(tuple(array(s) for s in shapes))), theirs, f"{shapes}")


@examples(40)
@given(shape=SHAPES)
def test_size(shape):
    size = registry.lookup_property("ndarray.size")(registry.Call(name="ndarray.size", args=[array(shape)], kwargs={}))
    assert size == Const(np.ones(shape).size) or size.value == np.ones(shape).size


COVERED = {
    **{f"np.{name}": "creation" for name in ("zeros", "ones", "empty", "full", "zeros_like", "ones_like",
                                             "empty_like", "full_like", "arange", "eye", "identity", "linspace",
                                             "array", "asarray")},
    **{f"np.random.{name}": "random" for name, spec in _RANDOM_SIZED.items() if spec is not None},
    "np.random.rand": "random", "np.random.randn": "random",
    "np.reshape": "reshape", "ndarray.reshape": "reshape", "np.transpose": "transpose", "ndarray.transpose": "transpose",
    "ndarray.T": "transpose", "np.expand_dims": "expand_dims", "np.squeeze": "squeeze", "ndarray.squeeze": "squeeze",
    **{f"np.{name}": "reduction" for name in _REDUCTIONS},
    **{f"ndarray.{name}": "reduction" for name in _REDUCTIONS if registry.lookup(f"ndarray.{name}") is not None},
    **{f"np.{name}": "join" for name in ("stack", "concatenate", "vstack", "hstack", "column_stack")},
    "np.matmul": "matmul", "np.dot": "matmul", "operator.matmul": "matmul",
    **{f"np.{name}": "binary" for name in _BINARY}, **{f"np.{name}": "unary" for name in _UNARY},
    "np.tile": "tile", "np.pad": "pad", "ndarray.flatten": "flatten", "np.ravel": "flatten", "ndarray.ravel": "flatten",
    "ndarray.astype": "astype", "ndarray.copy": "astype", "ndarray.__getitem__": "index",
    **{f"RandomState.{name}": "generator" for name in set(GENERATOR_METHODS) | set(STATE_METHODS)},
    "np.random.default_rng": "generator", "np.random.RandomState": "generator", "np.random.Generator": "generator",
    "np.random.permutation": "random", **{f"np.{name}": "array" for name in DTYPE_NAMES},
    "np.logspace": "spaces", "np.geomspace": "spaces", "np.argsort": "along_axis", "np.sort": "along_axis",
    "np.cumsum": "along_axis", "np.cumprod": "along_axis", "np.where": "where", "np.concat": "join",
    "np.row_stack": "join", "ndarray.size": "size",
}
UNCOVERED = {"np.asfarray": "removed in NumPy 2 (the installed NumPy): shapes as np.asarray"}


def test_covered_names_are_registered():
    names = set(registry.registered_names())
    missing = sorted(name for name in COVERED if name not in names)
    assert not missing, missing
