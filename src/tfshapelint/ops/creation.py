"""Tensors that start a computation: placeholders, variables, initializers, constants."""

from __future__ import annotations

from ..domain.values import UNKNOWN, Const, ObjectVal, TensorVal, Value, fresh_tensor
from .args import declared_dims, is_none, literal_shape, tensor_of
from .math import broadcast_shapes
from .registry import Call, op

INITIALIZER = "Initializer"


def literal_node(value: Value):
    """The list/tuple literal a shape was written as, wherever it was written (maybe in a caller)."""
    return getattr(value, "node", None)


def _shape_with_symbols(call: Call, dims: tuple) -> tuple:
    """TF's ``None`` sizes become fresh symbols: the batch ``N`` first, ``d1``, ``d2``... after."""
    result = []
    for axis, dim in enumerate(dims):
        if dim is None:
            dim = call.new_symbol("N" if axis == 0 else f"d{axis}")
        result.append(dim)
    return tuple(result)


@op("tf.placeholder")
def placeholder(call: Call) -> Value:
    shape_arg = call.arg(1, "shape")
    if shape_arg is UNKNOWN:
        return fresh_tensor(None, kind="placeholder")
    dims = declared_dims(shape_arg)
    if dims is None:
        return fresh_tensor(None, kind="placeholder")
    return fresh_tensor(_shape_with_symbols(call, dims), kind="placeholder")


@op("tf.placeholder_with_default")
def placeholder_with_default(call: Call) -> Value:
    default = tensor_of(call.arg(0, "input"))
    dims = declared_dims(call.arg(1, "shape"))
    if dims is not None:
        return fresh_tensor(_shape_with_symbols(call, dims), kind="placeholder")
    return fresh_tensor(default.shape if default else None, kind="placeholder")


def _shaped(call: Call, position: int, *names: str) -> Value:
    """A tensor whose shape is the argument at ``position``/``names``; remembers the literal."""
    value = call.arg(position, *names)
    dims = declared_dims(value)
    if dims is None:
        return UNKNOWN
    return fresh_tensor(dims, decl=literal_node(value))


@op(
    "tf.random_normal", "tf.random.normal", "tf.truncated_normal", "tf.random.truncated_normal",
    "tf.random_uniform", "tf.random.uniform", "tf.zeros", "tf.ones", "tf.random.stateless_normal",
    "tf.random.stateless_uniform", "tf.random.stateless_truncated_normal",
)
def shaped_random(call: Call) -> Value:
    return _shaped(call, 0, "shape")


@op("tf.random_gamma")
def random_gamma(call: Call) -> Value:
    """``shape`` samples of every gamma distribution: ``shape + broadcast(alpha, beta)``."""
    samples = _shaped(call, 0, "shape")
    alpha = tensor_of(call.arg(1, "alpha"))
    beta_arg = call.arg(2, "beta", default=Const(None))
    beta = fresh_tensor(()) if is_none(beta_arg) else tensor_of(beta_arg)
    if not isinstance(samples, TensorVal) or alpha is None or beta is None:
        return UNKNOWN
    params, clash = broadcast_shapes(alpha.shape, beta.shape)
    if params is None or clash is not None:
        return UNKNOWN
    return fresh_tensor(samples.shape + params, decl=samples.decl)


@op("tf.fill")
def fill(call: Call) -> Value:
    return _shaped(call, 0, "dims")


@op("tf.constant", "tf.convert_to_tensor")
def constant(call: Call) -> Value:
    if call.name == "tf.constant" and call.has(2, "shape"):
        dims = declared_dims(call.arg(2, "shape"))
        return fresh_tensor(dims, kind="constant", decl=literal_node(call.arg(2, "shape"))) if dims is not None else UNKNOWN
    value = call.arg(0, "value")
    if isinstance(value, TensorVal):
        return value
    shape = literal_shape(value)
    return fresh_tensor(shape, kind="constant") if shape is not None else UNKNOWN


@op("tf.zeros_like", "tf.ones_like")
def like(call: Call) -> Value:
    source = tensor_of(call.arg(0, "input", "tensor"))
    if source is None or source.shape is None:
        return UNKNOWN
    return source.derive(source.shape, call.name.split(".")[-1])


@op("tf.Variable")
def variable(call: Call) -> Value:
    initial = call.arg(0, "initial_value")
    if isinstance(initial, TensorVal):
        return TensorVal(shape=initial.shape, kind="variable", chain=initial.chain, decl=initial.decl)
    shape = literal_shape(initial)
    if shape is not None:
        return fresh_tensor(shape, kind="variable")
    return UNKNOWN


@op("tf.get_variable")
def get_variable(call: Call) -> Value:
    if call.has(1, "shape"):
        dims = declared_dims(call.arg(1, "shape"))
        if dims is None:
            return UNKNOWN
        return fresh_tensor(dims, kind="variable", decl=literal_node(call.arg(1, "shape")))
    initial = call.arg(None, "initializer")
    if isinstance(initial, TensorVal):
        return TensorVal(shape=initial.shape, kind="variable", chain=initial.chain, decl=initial.decl)
    return UNKNOWN


@op(
    "tf.random_normal_initializer", "tf.truncated_normal_initializer", "tf.random_uniform_initializer",
    "tf.glorot_uniform_initializer", "tf.glorot_normal_initializer", "tf.zeros_initializer",
    "tf.ones_initializer", "tf.constant_initializer", "tf.variance_scaling_initializer",
    "tf.initializers.random_normal", "tf.initializers.truncated_normal", "tf.initializers.glorot_uniform",
    "tf.initializers.GlorotUniform", "tf.initializers.GlorotNormal", "tf.initializers.RandomNormal",
    "tf.initializers.TruncatedNormal", "tf.initializers.Zeros", "tf.initializers.Ones",
    "tf.keras.initializers.GlorotUniform", "tf.keras.initializers.GlorotNormal",
    "tf.keras.initializers.RandomNormal", "tf.keras.initializers.TruncatedNormal",
    "tf.keras.initializers.HeNormal", "tf.keras.initializers.HeUniform", "tf.keras.initializers.Zeros",
    "tf.keras.initializers.Ones",
)
def initializer(call: Call) -> Value:
    return ObjectVal(INITIALIZER)


@op("Initializer.__call__")
def call_initializer(call: Call) -> Value:
    dims = declared_dims(call.arg(1, "shape"))
    if dims is None:
        return UNKNOWN
    return fresh_tensor(dims, decl=literal_node(call.arg(1, "shape")))
