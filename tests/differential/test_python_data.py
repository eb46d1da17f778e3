"""Python-built data vs real Python and NumPy: the ``random`` and ``math`` modules, NumPy's scalar
draws, and lists built by comprehensions, repetitions and append loops, whose shape (what
``np.asarray`` gives) we infer without listing their items.

Programs are drawn, linted, and run for real: every value we infer must agree with the value the
program computes (a number of the same kind, a shape equal wherever we know a size). We may know
less, never something else.
"""

from __future__ import annotations

import math
import numbers
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.sequences import SequenceSummary
from tfshapelint.domain.values import Const, ListVal, NumberVal, TensorVal, TupleVal
from tfshapelint.ops.array_like import value_shape
from tfshapelint.ops.python_numbers import _FLOAT_DRAWS, _FLOAT_RESULTS, _INT_DRAWS, _INT_RESULTS

from .harness import call_op, examples, note

SMALL = st.integers(-5, 12)
FLOATS = st.floats(-5, 5, allow_nan=False).map(lambda f: round(f, 3))


def number_agrees(ours, real, where: str) -> None:
    """A number we infer: the very value if constant, else a number of the right kind."""
    assert isinstance(real, numbers.Number), f"not a number: {real!r}\n{where}"
    if isinstance(ours, Const):
        assert ours.value == real or (math.isnan(real) and math.isnan(ours.value)), f"{ours} vs {real!r}\n{where}"
        return
    assert isinstance(ours, NumberVal), f"ours {ours!r}, real {real!r}\n{where}"
    if ours.kind == "int":
        assert isinstance(real, (int, np.integer)) and not isinstance(real, bool), f"{real!r} is no int\n{where}"
    elif ours.kind == "float":
        assert isinstance(real, (float, np.floating)), f"{real!r} is no float\n{where}"


def shape_agrees(ours, real, where: str) -> None:
    """What we infer of an array or list: each size we know is the real one."""
    expected = np.shape(real)
    shape = ours.shape if isinstance(ours, TensorVal) else value_shape(ours)
    if shape is None:
        note("imprecise", "python data", "unknown shape", where)
        return
    assert len(shape) == len(expected), f"rank: ours {shape}, real {expected}\n{where}"
    for axis, (a, b) in enumerate(zip(shape, expected)):
        assert a is None or a == b, f"axis {axis}: ours {a}, real {b}\n{where}"


# -- the random and math modules -------------------------------------------------------------------------

RANDOM_ARGUMENTS = {
    "random": [], "uniform": [-1.0, 2.0], "gauss": [0.0, 1.0], "normalvariate": [0.0, 1.0],
    "lognormvariate": [0.0, 1.0], "expovariate": [1.5], "betavariate": [2.0, 3.0], "gammavariate": [2.0, 1.0],
    "triangular": [], "vonmisesvariate": [1.0, 1.0], "paretovariate": [2.0], "weibullvariate": [1.0, 2.0],
    "randint": [0, 9], "randrange": [10], "getrandbits": [8], "binomialvariate": [5, 0.5],
}


def random_call(name: str, instance: bool, *args):
    """``random.<name>(*args)``, or the method of a ``random.Random`` instance."""
    if instance:
        return call_op(f"PyRandom.{name}", call_op("random.Random", 0), *args)
    return call_op(f"random.{name}", *args)


@examples(120)
@given(name=st.sampled_from(_FLOAT_DRAWS + _INT_DRAWS), seed=st.integers(0, 1000), instance=st.booleans(),
       system=st.booleans())
def test_random_draws_are_numbers_of_their_kind(name, seed, instance, system):
    if not hasattr(random, name):
        return  # binomialvariate is Python 3.12's
    args = RANDOM_ARGUMENTS[name]
    generator = random.SystemRandom() if system else random.Random(seed)
    ours = random_call(name, instance, *args)
    if system and instance:
        ours = call_op(f"PyRandom.{name}", call_op("random.SystemRandom"), *args)
    number_agrees(ours, getattr(generator, name)(*args), f"random.{name}{tuple(args)}")


@examples(60)
@given(population=st.lists(st.one_of(SMALL, FLOATS), min_size=1, max_size=6), k=st.integers(0, 6),
       instance=st.booleans())
def test_random_choice_and_sample(population, k, instance):
    chosen = random_call("choice", instance, population)
    number_agrees(chosen, random.choice(population), f"choice({population})")
    if k <= len(population):
        picked = random_call("sample", instance, population, k)
        shape_agrees(picked, random.sample(population, k), f"sample({population}, {k})")


@pytest.mark.parametrize("name, instance", [(name, instance) for name in ("seed", "shuffle")
                                            for instance in (False, True)])
def test_in_place_calls_return_none_and_keep_the_list(name, instance):
    data = [1.0, 2.0, 3.0]
    real = getattr(random.Random(0), name)(data if name == "shuffle" else 0)
    ours = random_call(name, instance, ListVal(tuple(Const(v) for v in data)) if name == "shuffle" else 0)
    assert real is None and isinstance(ours, Const) and ours.value is None
    source = HEAD + f"v = [random.random() for _ in range(300)]\nrandom.{name}({'v' if name == 'shuffle' else 1})\n"
    found, ran = lint_and_run(source)
    shape_agrees(found["v"], ran["v"], source)


@pytest.mark.parametrize("call", ["np.random.shuffle(X)", "np.random.seed(1)", "state.shuffle(X)", "state.seed(1)"])
def test_numpy_in_place_calls_keep_the_array(call):
    source = HEAD + f"state = np.random.RandomState(0)\nX = np.random.rand(50, 3)\nr = {call}\n"
    found, ran = lint_and_run(source)
    assert ran["r"] is None and isinstance(found["r"], Const) and found["r"].value is None
    shape_agrees(found["X"], ran["X"], source)


MATH_ARITY = {"atan2": 2, "hypot": 2, "pow": 2, "fmod": 2, "copysign": 2, "remainder": 2, "ldexp": 2, "gcd": 2,
              "lcm": 2, "comb": 2, "perm": 2, "log": 1, "fsum": 0}


@examples(300)
@given(name=st.sampled_from(_FLOAT_RESULTS + _INT_RESULTS), data=st.data())
def test_math_functions(name, data):
    if not hasattr(math, name):
        return  # newer than this Python
    if name == "fsum":
        values = data.draw(st.lists(st.one_of(SMALL, FLOATS), max_size=4))
        number_agrees(call_op("math.fsum", values), math.fsum(values), f"math.fsum({values})")
        return
    arity = MATH_ARITY.get(name, 1)
    ints_only = name in ("factorial", "gcd", "lcm", "isqrt", "comb", "perm") or (name == "ldexp")
    args = [data.draw(SMALL if ints_only or data.draw(st.booleans()) else FLOATS) for _ in range(arity)]
    if name == "ldexp":
        args[0] = float(args[0])
    try:
        real = getattr(math, name)(*args)
    except (ValueError, OverflowError, ZeroDivisionError, TypeError):
        return  # Python raises: not a shape question
    where = f"math.{name}{tuple(args)}"
    number_agrees(call_op(f"math.{name}", *args), real, where)
    # of numbers whose value is unknown: the kind of the result
    unknown = [NumberVal("int" if isinstance(a, int) else "float") for a in args]
    number_agrees(call_op(f"math.{name}", *unknown), real, where + " (values unknown)")


@examples(60)
@given(name=st.sampled_from(["randint", "uniform", "normal", "rand", "random", "choice", "binomial", "poisson"]),
       seed=st.integers(0, 100))
def test_numpy_scalar_draws(name, seed):
    args = {"randint": [0, 10], "uniform": [], "normal": [0.0, 1.0], "rand": [], "random": [], "choice": [5],
            "binomial": [5, 0.5], "poisson": [3.0]}[name]
    real = getattr(np.random.RandomState(seed), name)(*args)
    number_agrees(call_op(f"np.random.{name}", *args), real, f"np.random.{name}{tuple(args)}")


# -- lists built in Python ----------------------------------------------------------------------------------

ELEMENTS = st.sampled_from([
    "random.randint(0, 9)", "random.random()", "[random.random()] * 3", "[0] * 2", "(1, 2.5)",
    "np.zeros(3)", "[random.gauss(0, 1) for _ in range(2)]", "int(random.random() * 4)", "math.floor(random.random())",
])


def lint_and_run(source: str) -> tuple:
    """The interpreter's module variables, and the module's variables run for real."""
    from helpers import run

    real: dict = {}
    exec(compile(source, "<drawn>", "exec"), real)  # noqa: S102 - the drawn program, never the linted user code
    return run(source).globals.vars, real


HEAD = "import random\nimport math\nimport numpy as np\n"


@examples(80)
@given(element=ELEMENTS, length=st.integers(0, 700), how=st.sampled_from(["comprehension", "repeat", "append",
                                                                            "append_if", "generator"]))
def test_built_lists_have_the_shape_numpy_gives_them(element, length, how):
    body = {
        "comprehension": f"v = [{element} for _ in range({length})]",
        "repeat": f"v = [{element}] * {length}",
        "append": f"v = []\nfor i in range({length}):\n    v.append({element})",
        "append_if": f"v = []\nfor i in range({length}):\n    if random.random() < 0.5:\n        v.append({element})",
        "generator": f"v = list({element} for _ in range({length}))",
    }[how]
    source = HEAD + body + "\na = np.array(v)\nn = len(v)\n"
    ours, real = lint_and_run(source)
    shape_agrees(ours["v"], real["v"], source)
    if isinstance(ours["a"], TensorVal):
        shape_agrees(ours["a"], real["a"], source)
    number_agrees(ours["n"], real["n"], source)


@examples(40)
@given(length=st.integers(257, 2000), width=st.integers(1, 5))
def test_long_comprehension_feeds_like_the_array(length, width):
    source = HEAD + f"rows = [[random.random() for _ in range({width})] for _ in range({length})]\n" \
                    f"ids = [random.randint(0, 9) for _ in range({length})]\n"
    ours, real = lint_and_run(source)
    assert isinstance(ours["rows"], SequenceSummary) and isinstance(ours["ids"], SequenceSummary)
    shape_agrees(ours["rows"], real["rows"], source)
    shape_agrees(ours["ids"], real["ids"], source)


def test_listed_items_and_summaries_give_the_same_shape():
    listed = ListVal((TupleVal((Const(1), Const(2))),) * 3)
    assert value_shape(listed) == value_shape(SequenceSummary(3, TupleVal((Const(1), Const(2))))) == (3, 2)


@examples(80)
@given(element=st.lists(st.integers(1, 3), max_size=3).map(tuple), length=st.integers(1, 600),
       axis=st.integers(-3, 3), how=st.sampled_from(["stack", "concatenate"]))
def test_joining_a_built_list_of_arrays(element, length, axis, how):
    source = HEAD + f"v = [np.zeros({element}) for _ in range({length})]\nj = np.{how}(v, axis={axis})\n"
    try:
        ours, real = lint_and_run(source)
    except (ValueError, np.exceptions.AxisError):
        return  # NumPy raises (a 0-d array, an axis out of range): we stay silent
    if isinstance(ours["j"], TensorVal):
        shape_agrees(ours["j"], real["j"], source)
    else:
        note("imprecise", "np.stack of a built list", "unknown", source)


@examples(100)
@given(name=st.sampled_from(["randint", "uniform", "normal"]), low_shape=st.lists(st.integers(1, 3), max_size=2),
       high_shape=st.lists(st.integers(1, 3), max_size=2), keyword=st.booleans(),
       maker=st.sampled_from(["np.random", "np.random.RandomState", "np.random.default_rng"]))
def test_numpy_draws_broadcast_their_parameters(name, low_shape, high_shape, keyword, maker):
    if maker == "np.random.default_rng" and name == "randint":
        name = "integers"
    low = np.zeros(low_shape, dtype=int) if low_shape else 0
    high = np.full(high_shape, 10, dtype=int) if high_shape else 10  # normal: the scale
    kwargs = {"scale" if name == "normal" else "high": high} if keyword else {}
    args = [low] if keyword else [low, high]
    real_maker = np.random if maker == "np.random" else getattr(np.random, maker.split(".")[-1])(0)
    try:
        real = getattr(real_maker, name)(*args, **kwargs)
    except ValueError:
        return  # the parameters do not broadcast
    abstract_args = [array_of(a) for a in args]
    abstract_kwargs = {k: array_of(v) for k, v in kwargs.items()}
    if maker == "np.random":
        ours = call_op(f"np.random.{name}", *abstract_args, **abstract_kwargs)
    else:
        ours = call_op(f"RandomState.{name}", call_op(maker, 0), *abstract_args, **abstract_kwargs)
    where = f"{maker}.{name}({low_shape}, {high_shape}, keyword={keyword})"
    if np.ndim(real) == 0:
        number_agrees(ours, real, where)
        return
    assert not isinstance(ours, (NumberVal, Const)), f"a number where NumPy gives an array\n{where}"
    if isinstance(ours, TensorVal):
        shape_agrees(ours, real, where)
    else:
        note("imprecise", f"{maker}.{name}", "unknown", where)


def array_of(value):
    from tfshapelint.domain.values import fresh_tensor

    return fresh_tensor(np.shape(value), kind="ndarray") if isinstance(value, np.ndarray) else value


@examples(40)
@given(length=st.integers(1, 600), width=st.integers(1, 4), index=st.sampled_from(["i", "random.randint(0, N - 1)"]))
def test_items_assigned_in_a_loop(length, width, index):
    source = HEAD + (f"N, W = {length}, {width}\nv = [[0] * W for _ in range(N)]\n"
                     f"for i in range(N):\n    v[{index}][random.randint(0, W - 1)] = 1.5\na = np.array(v)\n")
    ours, real = lint_and_run(source)
    shape_agrees(ours["v"], real["v"], source)
    shape_agrees(ours["a"], real["a"], source)


COVERED = {
    **{f"random.{name}": "random module" for name in _FLOAT_DRAWS + _INT_DRAWS if hasattr(random, name)},
    **{f"PyRandom.{name}": "random module" for name in _FLOAT_DRAWS + _INT_DRAWS if hasattr(random, name)},
    **{name: "random module" for name in ("random.Random", "random.SystemRandom", "random.choice", "random.sample",
                                          "PyRandom.choice", "PyRandom.sample", "random.seed", "random.shuffle",
                                          "PyRandom.seed", "PyRandom.shuffle")},
    **{f"math.{name}": "math module" for name in _FLOAT_RESULTS + _INT_RESULTS if hasattr(math, name)},
    **{name: "numpy in place" for name in ("np.random.shuffle", "np.random.seed", "RandomState.shuffle",
                                           "RandomState.seed")},
}
UNCOVERED = {f"{prefix}.binomialvariate": "Python 3.12's (the tests run where it exists)"
             for prefix in ("random", "PyRandom") if not hasattr(random, "binomialvariate")}
