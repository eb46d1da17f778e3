"""Numbers from Python's standard library: the ``random`` and ``math`` modules.

``random.randint(0, 9)`` and ``random.random()`` are numbers of unknown value (NumberVal): what
matters for shapes is that they are numbers, so that a list of them is an array of rank 1.
``random.choice`` and ``random.sample`` pick items of a population, which need not be numbers.
``math`` functions of constants are computed as Python computes them (``int(math.sqrt(784))`` is
28); of anything else they are a float or an int of unknown value, which is what they return or
Python raises.
"""

from __future__ import annotations

import math
from typing import Optional

from ..domain.sequences import LIST, NOTHING, SequenceSummary, length_and_element
from ..domain.values import UNKNOWN, Const, NumberVal, ObjectVal, Value, int_value, number_kind
from .registry import Call, module_value, op

PY_RANDOM = "PyRandom"  # a ``random.Random`` instance

_FLOAT_DRAWS = ("random", "uniform", "gauss", "normalvariate", "lognormvariate", "expovariate", "betavariate",
                "gammavariate", "triangular", "vonmisesvariate", "paretovariate", "weibullvariate")
_INT_DRAWS = ("randint", "randrange", "getrandbits", "binomialvariate")


def _register_random() -> None:
    for name in _FLOAT_DRAWS + _INT_DRAWS:
        kind = "int" if name in _INT_DRAWS else "float"

        def draw(call: Call, kind=kind) -> Value:
            return NumberVal(kind)

        op(f"random.{name}", f"{PY_RANDOM}.{name}")(draw)


_register_random()


@op("random.Random", "random.SystemRandom")
def random_instance(call: Call) -> Value:
    return ObjectVal(PY_RANDOM)


@op("random.seed", "random.shuffle", f"{PY_RANDOM}.seed", f"{PY_RANDOM}.shuffle")
def in_place(call: Call) -> Value:
    """``random.shuffle(x)`` reorders ``x`` in place: same length, same items; returns None."""
    return Const(None)


def _population(call: Call) -> Value:
    """The first argument after the receiver of a ``random.Random`` method."""
    return call.arg(1 if call.name.startswith(PY_RANDOM) else 0, "seq", "population")


@op("random.choice", f"{PY_RANDOM}.choice")
def choice(call: Call) -> Value:
    """One item of the population: what every item is like."""
    length, element = length_and_element(_population(call))
    return UNKNOWN if element is NOTHING or length == 0 else element


@op("random.sample", f"{PY_RANDOM}.sample")
def sample(call: Call) -> Value:
    """A list of ``k`` distinct items of the population."""
    length, element = length_and_element(_population(call))
    k_at = 2 if call.name.startswith(PY_RANDOM) else 1
    count = call.arg(k_at, "k")
    k = int_value(count)
    if k is None and number_kind(count) != "int":
        return UNKNOWN
    if element is NOTHING or length == 0:
        return UNKNOWN  # Python raises unless k is 0
    return SequenceSummary(k, element, LIST)


# -- math --------------------------------------------------------------------------------------------

_MATH_CONSTANTS = ("pi", "e", "tau", "inf", "nan")
_FLOAT_RESULTS = ("sqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin",
                  "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "hypot", "pow",
                  "fabs", "degrees", "radians", "fmod", "copysign", "erf", "erfc", "gamma", "lgamma", "cbrt",
                  "fsum", "remainder", "ldexp")
_INT_RESULTS = ("floor", "ceil", "trunc", "factorial", "gcd", "lcm", "isqrt", "comb", "perm")
_LARGEST_ARGUMENT = 1000  # factorial(10**6) takes seconds: larger arguments are not computed
_LARGEST_INT = 10**30


def _constant(name: str):
    def read(call: Call) -> Value:
        return Const(getattr(math, name))

    return read


for _name in _MATH_CONSTANTS:
    module_value(f"math.{_name}")(_constant(_name))


def _register_math() -> None:
    for name in _FLOAT_RESULTS + _INT_RESULTS:
        if not hasattr(math, name):
            continue  # newer than this Python (math.cbrt is 3.11's)
        kind = "int" if name in _INT_RESULTS else "float"

        def function(call: Call, name=name, kind=kind) -> Value:
            computed = _computed(name, call)
            if computed is not None:
                return computed
            if name in ("floor", "ceil", "trunc") and len(call.args) == 1 and number_kind(call.args[0]) == "int":
                return call.args[0]  # an int unchanged (a symbolic size stays one)
            return NumberVal(kind)

        op(f"math.{name}")(function)


def _computed(name: str, call: Call) -> Optional[Value]:
    """The function of constant numbers, as Python computes it; None when not computed."""
    if call.kwargs or not call.args:
        return None
    numbers = [a.value for a in call.args if isinstance(a, Const) and isinstance(a.value, (int, float))]
    if len(numbers) != len(call.args) or name == "fsum":
        return None
    if name in ("factorial", "comb", "perm", "ldexp", "pow") and any(abs(n) > _LARGEST_ARGUMENT for n in numbers):
        return None
    try:
        result = getattr(math, name)(*numbers)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return None  # Python raises: not a shape finding
    if isinstance(result, int) and abs(result) > _LARGEST_INT:
        return None
    return Const(result)


_register_math()
