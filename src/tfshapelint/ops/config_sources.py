"""Sizes that come from configuration: ``argparse`` defaults and ``absl``/``tf.app`` flags.

A finding that depends on such a size holds for the program run with its defaults.
"""

from __future__ import annotations

from typing import Optional

from ..domain.values import UNKNOWN, Const, ObjectVal, TupleVal, Value
from .args import as_str, is_none, items_of
from .registry import Call, module_value, op, prop

PARSER = "ArgumentParser"
NAMESPACE = "Namespace"
FLAGS = "Flags"

_FLAG_MODULES = ("absl.flags", "tf.app.flags", "tf.flags")
_DEFINES = ("DEFINE_integer", "DEFINE_float", "DEFINE_string", "DEFINE_boolean", "DEFINE_bool", "DEFINE_enum",
            "DEFINE_list")


def _flags(call: Call) -> ObjectVal:
    """The one FLAGS object of the analysed module; its attributes are the flags defined so far."""
    if FLAGS not in call.state:
        call.state[FLAGS] = ObjectVal(FLAGS, {})
    return call.state[FLAGS]


@module_value(*(f"{module}.FLAGS" for module in _FLAG_MODULES))
def flags_object(call: Call) -> Value:
    return _flags(call)


@prop(f"{FLAGS}.*")
def imported_flag(call: Call) -> Value:
    """A flag this module does not define: absl's FLAGS is one object per process, so it is the flag
    an imported module defines; unknown when none or several do (absl rejects a second definition)."""
    name = call.name.rsplit(".", 1)[-1]
    found = [state[FLAGS].attrs[name] for state in call.imported_states()
             if FLAGS in state and name in state[FLAGS].attrs]
    return found[0] if len(found) == 1 else UNKNOWN


# The type of a flag's value; absl parses a default of another type (``"6"`` for an integer flag,
# ``"a,b"`` for a list) with the flag's parser.
_VALUE_TYPES = {"DEFINE_integer": int, "DEFINE_float": float, "DEFINE_string": str, "DEFINE_boolean": bool,
                "DEFINE_bool": bool, "DEFINE_enum": str, "DEFINE_list": list}


@op(*(f"{module}.{define}" for module in _FLAG_MODULES for define in _DEFINES))
def define_flag(call: Call) -> Value:
    name = as_str(call.arg(0, "name"))
    if name is not None:
        default = call.arg(1, "default")
        kind = _VALUE_TYPES[call.name.split(".")[-1]]
        typed = isinstance(default, Const) and (default.value is None or type(default.value) is kind)
        # absl rejects a flag an imported module defined already (DuplicateFlagError)
        twice = any(FLAGS in state and name in state[FLAGS].attrs for state in call.imported_states())
        call.set_attr(_flags(call), name, default if typed and not twice else UNKNOWN)
    return Const(None)


@op("argparse.ArgumentParser")
def argument_parser(call: Call) -> Value:
    # ``argument_default=`` (or defaults inherited from ``parents=``) replaces the default of every
    # argument added without one
    default = call.arg(8, "argument_default", default=Const(None))
    parents = call.arg(4, "parents", default=TupleVal(()))
    inherited = not (is_none(default)) or items_of(parents) != ()
    return ObjectVal(PARSER, state={"defaults": {}, "inherited": inherited})


@op("ArgumentParser.add_argument_group", "ArgumentParser.add_mutually_exclusive_group")
def argument_group(call: Call) -> Value:
    return call.args[0]  # arguments added to a group land in the same parser


@op("ArgumentParser.add_argument")
def add_argument(call: Call) -> Value:
    parser = call.args[0]
    dest = _destination(call)
    if dest is None:
        return Const(None)
    action = as_str(call.arg(None, "action")) if call.has(None, "action") else "store"
    if parser.state.get("inherited") and not call.has(None, "default"):
        default: Value = UNKNOWN
    elif action in ("store_true", "store_false"):  # False / True unless a default is given
        given = call.arg(None, "default", default=Const(action == "store_false"))
        default = given if isinstance(given, Const) else UNKNOWN
    elif action == "store" and call.has(None, "default"):
        default = _converted(call.arg(None, "default"), call.arg(None, "type"))
    elif action == "store" and not call.has(None, "nargs"):
        default = Const(None)
    else:
        default = UNKNOWN
    defaults = parser.state.get("defaults")
    if isinstance(defaults, dict):  # UNKNOWN after an ``if`` that added an argument on one path only
        call.set_state(parser, "defaults", {**defaults, dest: default})
    return Const(None)


def _destination(call: Call) -> Optional[str]:
    if call.has(None, "dest"):
        return as_str(call.arg(None, "dest"))
    names = [as_str(a) for a in call.args[1:]]
    if not names or any(n is None for n in names):
        return None
    longs = [n for n in names if n.startswith("--")]
    chosen = longs[0] if longs else names[0]
    if not chosen.startswith("-"):
        return None  # a positional argument: always given on the command line
    return chosen.lstrip("-").replace("-", "_")


def _converted(default: Value, kind: Value) -> Value:
    """argparse applies ``type`` to string defaults only."""
    if not isinstance(default, Const):
        return UNKNOWN
    if isinstance(default.value, str) and kind is not UNKNOWN:
        return UNKNOWN
    return default


@op("ArgumentParser.parse_args")
def parse_args(call: Call) -> Value:
    defaults = call.args[0].state.get("defaults")
    argv = call.arg(1, "args", default=Const(None))
    if not (is_none(argv) or items_of(argv) == ()):
        return UNKNOWN  # an explicit command line may set any argument
    return ObjectVal(NAMESPACE, dict(defaults)) if isinstance(defaults, dict) else UNKNOWN


@op("ArgumentParser.parse_known_args")
def parse_known_args(call: Call) -> Value:
    return TupleVal((parse_args(call), UNKNOWN))
