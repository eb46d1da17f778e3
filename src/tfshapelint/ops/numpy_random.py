"""NumPy's random data: ``np.random.*``, ``RandomState``/``Generator`` methods.

With ``size``, an array of that shape; without it, the broadcast of the distribution's parameters,
which for scalar parameters is one number (a NumberVal of unknown value: ``np.random.randint(0, 10)``
is an int, ``np.random.uniform()`` a float).
"""

from __future__ import annotations

from ..domain.sequences import NOTHING, summarised
from ..domain.values import UNKNOWN, Const, NumberVal, ObjectVal, SymInt, Value, fresh_tensor, int_value, number_kind
from ..shapes.shape import Shape
from .args import as_dims, is_none
from .array_like import NDARRAY, as_array, value_shape
from .numpy_ops import creation_shape
from .registry import Call, op

RANDOM_STATE = "RandomState"

# NumPy's legacy random functions: name -> (position of ``size``, positions of the distribution's
# parameters, whose shapes broadcast into the result when ``size`` is omitted).
_RANDOM_SIZED = {
    "random": (0, ()), "random_sample": (0, ()), "ranf": (0, ()), "sample": (0, ()), "standard_normal": (0, ()),
    "uniform": (2, (0, 1)), "normal": (2, (0, 1)), "randint": (2, (0, 1)), "random_integers": (2, ()),
    "binomial": (2, (0, 1)), "poisson": (1, (0,)), "exponential": (1, (0,)), "beta": (2, (0, 1)),
    "gamma": (2, (0, 1)), "lognormal": (2, (0, 1)), "laplace": (2, (0, 1)), "logistic": (2, (0, 1)),
    "choice": (1, ()), "standard_cauchy": (0, ()), "standard_exponential": (0, ()), "geometric": (1, (0,)),
    "multinomial": None,
}
_PARAM_NAMES = {  # randint's bounds broadcast too: np.random.randint(0, high=array) is an array
    "randint": ("low", "high"), "integers": ("low", "high"),
    "uniform": ("low", "high"), "normal": ("loc", "scale"), "binomial": ("n", "p"), "poisson": ("lam",),
    "exponential": ("scale",), "beta": ("a", "b"), "gamma": ("shape", "scale"), "lognormal": ("mean", "sigma"),
    "laplace": ("loc", "scale"), "logistic": ("loc", "scale"), "geometric": ("p",),
}
_GENERATOR_SIZED = {"random": (0, ()), "integers": (2, (0, 1)), "standard_normal": (0, ()), "uniform": (2, (0, 1)),
                    "normal": (2, (0, 1)), "choice": (1, ()), "binomial": (2, (0, 1)), "poisson": (1, (0,)),
                    "exponential": (1, (0,))}
_INT_VALUED = ("randint", "random_integers", "integers", "binomial", "poisson", "geometric")


def _random_sized(call: Call, name: str, size_at: int, params: tuple) -> Value:
    if call.has(size_at, "size"):
        size = call.arg(size_at, "size")
        if is_none(size):
            return _random_from_params(call, name, params)
        shape = creation_shape(as_dims(size))
        return fresh_tensor(shape, kind=NDARRAY) if shape is not None else UNKNOWN
    return _random_from_params(call, name, params)


def _random_from_params(call: Call, name: str, params: tuple) -> Value:
    """Without ``size``: the broadcast of the parameters' shapes (a Python number if all scalar)."""
    from .math import broadcast_shapes

    names = _PARAM_NAMES.get(name, ())
    out: Shape = ()
    for index, position in enumerate(params):
        name_of = names[index] if index < len(names) else "__none__"
        if not call.has(position, name_of):
            continue  # the parameter's default is a scalar
        shape = value_shape(call.arg(position, name_of))  # None for an unknown value: it may be an array
        if shape is None:
            return UNKNOWN
        out, clash = broadcast_shapes(out, shape)
        if clash is not None or out is None:
            return UNKNOWN
    if out == ():
        return _one_number(call, name)
    return fresh_tensor(out, kind=NDARRAY)


def _one_number(call: Call, name: str) -> Value:
    """The number drawn when there is no ``size`` and the parameters are scalars."""
    if name == "choice":
        return _chosen(call.arg(0, "a"))
    return NumberVal("int" if name in _INT_VALUED else "float")


def _chosen(population: Value) -> Value:
    """``np.random.choice(a)``: an int below ``a`` for an int, else one of the listed numbers."""
    if number_kind(population) == "int":
        return NumberVal("int")
    summary = summarised(population)
    if summary is None or summary.element is NOTHING or number_kind(summary.element) is None:
        return UNKNOWN
    return summary.element


@op("np.random.rand", "np.random.randn")
def rand(call: Call) -> Value:
    if call.kwargs:
        return UNKNOWN
    if not call.args:
        return NumberVal("float")
    shape = creation_shape(tuple(int_value(a) for a in call.args))
    return fresh_tensor(shape, kind=NDARRAY)


def _register_random() -> None:
    for name, spec in _RANDOM_SIZED.items():
        if spec is None:
            continue
        size_at, params = spec

        def adapter(call: Call, name=name, size_at=size_at, params=params) -> Value:
            return _random_sized(call, name, size_at, params)

        op(f"np.random.{name}")(adapter)
    for name, (size_at, params) in _GENERATOR_SIZED.items():

        def method(call: Call, name=name, size_at=size_at, params=params) -> Value:
            inner = registry_call_without_receiver(call)
            return _random_sized(inner, name, size_at, params)

        op(f"{RANDOM_STATE}.{name}")(method)


def registry_call_without_receiver(call: Call) -> Call:
    arguments = call.arguments.without_receiver()
    return Call(name=call.name, args=arguments.values, kwargs=arguments.keywords, node=call.node,
                arguments=arguments, new_symbol=call.new_symbol)


@op("np.random.RandomState", "np.random.default_rng", "np.random.Generator")
def random_state(call: Call) -> Value:
    return ObjectVal(RANDOM_STATE)


@op(f"{RANDOM_STATE}.rand", f"{RANDOM_STATE}.randn")
def random_state_rand(call: Call) -> Value:
    return rand(registry_call_without_receiver(call))


@op(f"{RANDOM_STATE}.randint")
def random_state_randint(call: Call) -> Value:
    return _random_sized(registry_call_without_receiver(call), "randint", *_RANDOM_SIZED["randint"])


@op("np.random.permutation", f"{RANDOM_STATE}.permutation")
def permutation(call: Call) -> Value:
    if call.name.startswith(RANDOM_STATE):
        call = registry_call_without_receiver(call)
    value = call.arg(0, "x")
    count = int_value(value)
    if isinstance(value, (Const, SymInt)) and count is not None:
        return fresh_tensor((count,), kind=NDARRAY)
    if isinstance(value, NumberVal) and value.kind == "int":
        return fresh_tensor((None,), kind=NDARRAY)  # a permutation of range(value)
    source = as_array(value)
    if source is None or source.shape is None or len(source.shape) == 0:
        return UNKNOWN
    return source.derive(source.shape, "permutation", kind=NDARRAY)


@op("np.random.shuffle", f"{RANDOM_STATE}.shuffle", "np.random.seed", f"{RANDOM_STATE}.seed")
def shuffle(call: Call) -> Value:
    """In place: the shuffled array keeps its shape; the call returns None."""
    return Const(None)


_register_random()
