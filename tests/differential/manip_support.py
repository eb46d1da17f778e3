"""Shared by test_manip.py and test_reduce.py: calling our adapters the way users do, and TensorFlow
as the oracle, run eagerly on concrete shapes.

Many checks of these ops live in the kernels, not in the static shape functions (a slice past the
end, a repeated reduction axis, REFLECT padding as wide as the axis, a bad transpose perm): a traced
graph accepts them and the kernel raises when it runs. So a case with concrete shapes is run
eagerly on zero-filled tensors (tiny, CPU); a case with symbolic/unknown dims is traced with
``None`` dims (``tf.function``) for TF's static answer, and the harness checks our symbolic
result on the concrete instance, which again runs eagerly.

Ops that return several tensors (``split``, ``unstack``, ``moments``) are compared as one flat
shape ``(count, *shape_1, *shape_2, ...)``: the counts must agree, then every dim.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from tfshapelint.domain.values import ListVal, TensorVal, TupleVal
from tfshapelint.ops.errors import ShapeError

from .harness import Instance, Rejected, _first_line, call_op, differential, resolve, static_shape, tf


def _errors() -> tuple:
    return (ValueError, TypeError, IndexError, tf().errors.OpError)


def flat_tf(out: Any) -> Any:
    if isinstance(out, (list, tuple)):
        result: tuple = (len(out),)
        for item in out:
            shape = static_shape(item)
            if shape is None:
                return None
            result += shape
        return result
    return static_shape(out)


def flat_ours(value: Any) -> Any:
    """Our result as a shape (see the module doc for lists); errors pass through."""
    if isinstance(value, ShapeError):
        return value
    if isinstance(value, TensorVal):
        return value.shape
    if isinstance(value, (ListVal, TupleVal)):
        result: tuple = (len(value.items),)
        for item in value.items:
            if not isinstance(item, TensorVal) or item.shape is None:
                return None
            result += tuple(item.shape)
        return result
    return None  # unknown


def _inputs(specs: list) -> list:
    t = tf()
    return [t.zeros(shape, dtype or t.float32) for shape, dtype in specs]


def run_eager(build: Callable, specs: list) -> Any:
    """``build`` on zero tensors of the concrete ``(shape, dtype)`` specs, run eagerly."""
    try:
        return flat_tf(build(*_inputs(specs)))
    except _errors() as error:
        return Rejected(_first_line(error))


def run_traced(build: Callable, specs: list) -> Any:
    """TF's static answer for ``(shape-with-None, dtype)`` specs (a ``tf.function`` trace)."""
    t = tf()
    fn = t.function(build, autograph=False)
    signature = [t.TensorSpec(shape, dtype or t.float32) for shape, dtype in specs]
    try:
        return flat_tf(fn.get_concrete_function(*signature).structured_outputs)
    except _errors() as error:
        return Rejected(_first_line(error))


def oracle(inst: Instance, build: Callable, specs: list) -> Callable[[bool], Any]:
    """The ``tf_side`` of :func:`harness.differential` for ``specs`` = ``[(concrete, partial, dtype)]``.

    With unknown dims only (no symbols), the partial answer also counts as a rejection when every
    completion tried (the drawn sizes, all ones, all sevens) fails when it runs: some errors that do
    not depend on the unknown sizes are only seen by the kernels.
    """

    def side(concrete: bool) -> Any:
        if concrete or not inst.partial:
            return run_eager(build, [(c, dtype) for c, _, dtype in specs])
        got = run_traced(build, [(p, dtype) for _, p, dtype in specs])
        if isinstance(got, Rejected) or not (inst.unknowns and not inst.env):
            return got
        tries = [run_eager(build, [(c, dtype) for c, _, dtype in specs])]
        for fill in (1, 7):
            tries.append(run_eager(build, [(_complete(c, p, fill), dtype) for c, p, dtype in specs]))
        if all(isinstance(r, Rejected) for r in tries):
            return Rejected(f"every completion fails: {tries[0].message}")
        return got

    return side


def _complete(concrete: Optional[tuple], partial: Optional[tuple], fill: int) -> Optional[tuple]:
    if concrete is None:
        return None
    return tuple(fill if p is None else c for c, p in zip(concrete, partial))


def check(name: str, inst: Instance, tensors: list, make_args: Callable, *, oracle_name: Optional[str] = None,
          exact: Optional[bool] = None, describe: str = "", label: Optional[str] = None,
          confirm: Optional[Callable] = None) -> str:
    """Run one case: ``tensors`` = ``[(concrete shape, batch axes, dtype)]``; ``make_args(tensors)``
    gives ``(args, kwargs)`` around whatever stands for the tensors (ours, then TensorFlow's)."""
    values, specs = [], []
    for concrete, batch_axes, dtype in tensors:
        value, partial = inst.tensor(concrete, batch_axes)
        values.append(value)
        specs.append((concrete, partial, dtype))
    args, kwargs = make_args(values)
    mine = flat_ours(call_op(name, *args, **kwargs))
    fn = resolve(oracle_name or name)

    def build(*ts):
        a, k = make_args(list(ts))
        return fn(*a, **k)

    shown = [s[:2] for s in specs]
    return differential(label or name, mine, oracle(inst, build, specs), inst, exact=exact, confirm=confirm,
                        describe=f"{describe} tensors={shown}")


def size_one_confirmed(error: ShapeError, tf_result: Any) -> bool:
    """A SizeOneReduction (argmax over a size-1 axis, a silent bug: TF returns all zeros) is true when
    the reduced axis has size 1 and TensorFlow computes the result shape we carry on."""
    from tfshapelint.ops.errors import SizeOneReduction

    if not isinstance(error, SizeOneReduction) or not isinstance(tf_result, tuple):
        return False
    tensor, axis, result = error.facts.get("tensor"), error.facts.get("axis"), error.facts.get("result")
    mine = flat_ours(result)
    return (tensor.shape[axis] == 1 and isinstance(mine, tuple) and len(mine) == len(tf_result)
            and all(o == t for o, t in zip(mine, tf_result) if isinstance(o, int)))
