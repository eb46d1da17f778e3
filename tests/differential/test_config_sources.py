"""argparse defaults and absl / tf.flags flags (ops/config_sources.py) vs the real libraries.

No TensorFlow shape here: these adapters claim the *values* a program gets from its configuration
when run with its defaults, values that later become sizes. The oracle is the real argparse /
absl: generated programs (parsers with options of every form: long/short names, ``dest``,
``store_true``/``store_false``/``count``/``append``, ``type`` and string defaults, ``nargs``,
argument groups, ``argument_default``, ``parse_args`` / ``parse_known_args`` with or without an
explicit argv; flags of each ``DEFINE_*`` with typed or string defaults) run through our
interpreter and for real (``exec``); every value we claim (a constant) must be the real value,
of the same type. Unknown is always allowed.
"""

from __future__ import annotations

import argparse
import itertools
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfshapelint.domain.values import Const

from helpers import run as interpret
from .harness import VERDICTS, Disagreement, examples, tf

pytestmark = pytest.mark.tf

FLAG_MODULES = {"absl.flags": ("from absl import flags", "flags"),
                "tf.app.flags": ("import tensorflow as tf", "tf.compat.v1.app.flags"),
                "tf.flags": ("import tensorflow as tf", "tf.compat.v1.flags")}
DEFINES = ("DEFINE_integer", "DEFINE_float", "DEFINE_string", "DEFINE_boolean", "DEFINE_bool", "DEFINE_enum",
           "DEFINE_list")
ARGPARSE = ("argparse.ArgumentParser", "ArgumentParser.add_argument", "ArgumentParser.add_argument_group",
            "ArgumentParser.add_mutually_exclusive_group", "ArgumentParser.parse_args",
            "ArgumentParser.parse_known_args")

COVERED = {**{name: "argparse" for name in ARGPARSE},
           **{f"{module}.{define}": "flags" for module in FLAG_MODULES for define in DEFINES},
           "Flags.*": "flags defined by an imported module"}


def claimed(value):
    """What our interpreter claims for a variable: ("known", python value) or None (unknown)."""
    return ("known", value.value) if isinstance(value, Const) else None


def agree(op: str, mine, real, where: str) -> None:
    if mine is None:
        VERDICTS[(op, "imprecise")] += 1
        return
    value = mine[1]
    if type(value) is not type(real) or value != real:
        raise Disagreement(f"we claim {value!r}, the program gets {real!r}\n{where}")
    VERDICTS[(op, "both accept")] += 1


# -- argparse ---------------------------------------------------------------------------------------


@st.composite
def argument(draw, index: int):
    """(source of one add_argument call, dest or None for a positional, needs a value on the command line)."""
    dest = f"opt_{index}"
    form = draw(st.sampled_from(["long", "long", "short_long", "short", "dest", "positional"]), label="names")
    if form == "long":
        names = [f"--opt-{index}" if draw(st.booleans()) else f"--opt_{index}"]
    elif form == "short_long":
        names = [f"-{'abcdefgh'[index]}", f"--opt-{index}"]
    elif form == "short":
        names, dest = [f"-{'abcdefgh'[index]}"], "abcdefgh"[index]
    elif form == "dest":
        names = [f"--other-{index}"]
    else:
        names = [dest]
    kwargs: dict = {}
    if form == "dest":
        kwargs["dest"] = repr(dest)
    if form != "positional":
        action = draw(st.sampled_from([None, None, "store", "store_true", "store_false", "count", "append"]),
                      label="action")
        if action is not None:
            kwargs["action"] = repr(action)
        if action in (None, "store", "append", "count"):
            default = draw(st.sampled_from([None, "absent", 3, 2.5, "'7'", "'text'", "[1, 2]"]), label="default")
            if default != "absent":
                kwargs["default"] = repr(default) if default is None else str(default)
        if action in (None, "store", "append"):
            kind = draw(st.sampled_from([None, None, "int", "float", "str"]), label="type")
            if kind is not None and kwargs.get("default") not in ("'text'", "[1, 2]"):
                kwargs["type"] = kind
            if draw(st.integers(0, 4)) == 0:
                kwargs["nargs"] = repr(draw(st.sampled_from(["?", "*", "+"])))
        if action in ("store_true", "store_false") and draw(st.integers(0, 3)) == 0:
            kwargs["default"] = repr(draw(st.sampled_from([True, False, None, 5])))
    parts = [repr(n) for n in names] + [f"{k}={v}" for k, v in kwargs.items()]
    return f"add_argument({', '.join(parts)})", dest, form == "positional"


@st.composite
def argparse_program(draw):
    lines = ["import argparse"]
    parser_kwargs = ""
    if draw(st.integers(0, 4)) == 0:
        parser_kwargs = f"argument_default={draw(st.sampled_from(['9', 'argparse.SUPPRESS', 'None']))}"
    lines.append(f"parser = argparse.ArgumentParser({parser_kwargs})")
    targets = ["parser"]
    if draw(st.booleans()):
        lines.append("group = parser.add_argument_group('options')")
        targets.append("group")
    if draw(st.integers(0, 3)) == 0:
        lines.append("exclusive = parser.add_mutually_exclusive_group()")
        targets.append("exclusive")
    dests, positionals = [], 0
    for index in range(draw(st.integers(1, 4), label="arguments")):
        source, dest, positional = draw(argument(index))
        target = draw(st.sampled_from(targets), label="target") if not positional else "parser"
        lines.append(f"{target}.{source}")
        dests.append(dest)
        positionals += positional
    argv = [f"'{i + 1}'" for i in range(positionals)]
    explicit = draw(st.integers(0, 3)) == 0
    if explicit:
        argv += draw(st.sampled_from([[], ["'--opt-0'", "'5'"], ["'--opt_0=4'"]]), label="argv")
    call_args = f"[{', '.join(argv)}]" if explicit else ""
    if draw(st.booleans()):
        lines.append(f"args = parser.parse_args({call_args})")
    else:
        lines.append(f"args, rest = parser.parse_known_args({call_args})")
    reads = [f"v{i} = args.{dest}" for i, dest in enumerate(dests)]
    return "\n".join(lines) + "\n", reads, dests, [a.strip("'") for a in argv[:positionals]]


@examples(120)
@given(program=argparse_program())
def test_argparse_defaults(program):
    source, reads, dests, positional_values = program
    namespace: dict = {}
    saved = sys.argv
    sys.argv = ["prog", *positional_values]
    try:
        exec(compile(source, "<program>", "exec"), namespace)  # noqa: S102 -- a generated argparse program
    except (SystemExit, ValueError, TypeError, argparse.ArgumentError):
        return  # the program fails before it reads a value
    finally:
        sys.argv = saved
    variables = interpret(source + "\n".join(reads) + "\n").globals.vars
    for i, (read, dest) in enumerate(zip(reads, dests)):
        try:
            exec(compile(read, "<program>", "exec"), namespace)  # noqa: S102
        except AttributeError:  # argparse.SUPPRESS: no attribute at all
            namespace[f"v{i}"] = AttributeError
        agree("argparse", claimed(variables.get(f"v{i}")), namespace[f"v{i}"], f"{source}{read}")


# -- absl / tf flags --------------------------------------------------------------------------------------

_COUNTER = itertools.count()

FLAG_DEFAULTS = {
    "DEFINE_integer": ["5", "'6'", "None", "2.0"],
    "DEFINE_float": ["0.5", "1", "'0.25'", "None"],
    "DEFINE_string": ["'text'", "None", "'7'"],
    "DEFINE_boolean": ["True", "False", "'true'", "'false'", "None", "1"],
    "DEFINE_bool": ["True", "False", "'true'", "None"],
    "DEFINE_enum": ["'a'", "None"],
    "DEFINE_list": ["'a,b'", "['x', 'y']", "None", "''"],
}


@st.composite
def flags_program(draw):
    module = draw(st.sampled_from(sorted(FLAG_MODULES)), label="module")
    import_line, prefix = FLAG_MODULES[module]
    lines, names = [import_line], []
    for _ in range(draw(st.integers(1, 3), label="flags")):
        define = draw(st.sampled_from(DEFINES), label="define")
        name = f"flag_{next(_COUNTER)}"  # absl's FLAGS is global: every flag of the run needs its own name
        default = draw(st.sampled_from(FLAG_DEFAULTS[define]), label="default")
        extra = ", ['a', 'b']" if define == "DEFINE_enum" else ""
        keyword = draw(st.booleans(), label="keywords")
        if keyword:
            lines.append(f"{prefix}.{define}(name={name!r}, default={default}{extra.replace(', [', ', enum_values=[')}, "
                         f"help='h')")
        else:
            lines.append(f"{prefix}.{define}({name!r}, {default}{extra}, 'h')")
        names.append(name)
    lines.append(f"FLAGS = {prefix}.FLAGS")
    reads = [f"v{i} = FLAGS.{name}" for i, name in enumerate(names)]
    return "\n".join(lines) + "\n", "\n".join(reads) + "\n", names, module


def real_flags(definitions: str, reads: str):
    """The namespace of ``definitions`` then ``reads`` run for real, with the flags parsed as
    app.run parses them before main; None when absl rejects a definition."""
    tf()
    from absl import flags

    namespace: dict = {}
    try:
        exec(compile(definitions, "<program>", "exec"), namespace)  # noqa: S102 -- a generated flags program
    except (ValueError, TypeError, flags.Error):
        return None
    flags.FLAGS(["prog"], known_only=True)  # what app.run does before main
    exec(compile(reads, "<program>", "exec"), namespace)  # noqa: S102
    return namespace


@examples(80)
@given(program=flags_program())
def test_flag_defaults(program):
    definitions, reads, names, module = program
    namespace = real_flags(definitions, reads)
    if namespace is None:
        return  # absl rejects the definition
    variables = interpret(definitions + reads).globals.vars
    for i, name in enumerate(names):
        agree(module, claimed(variables.get(f"v{i}")), namespace[f"v{i}"], f"{definitions}{reads}v{i}")


@examples(40)
@given(program=flags_program())
def test_flags_an_imported_module_defines(program):
    """absl's FLAGS is one object per process: a module that imports the one defining the flags reads
    them (``Flags.*``). Our value, read through the project loader, must be absl's."""
    import ast
    import os
    import tempfile

    from tfshapelint.analysis.interpreter import Interpreter
    from tfshapelint.project.loader import ProjectLoader
    from tfshapelint.project.resolve import Resolver

    definitions, reads, names, module = program
    namespace = real_flags(definitions, reads)
    if namespace is None:
        return  # absl rejects the definition
    import_line, prefix = FLAG_MODULES[module]
    reader = f"{import_line}\nimport defs\nFLAGS = {prefix}.FLAGS\n" + reads
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("defs.py", definitions), ("main.py", reader)):
            with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        interpreter = Interpreter(ast.parse(reader), source=reader, loader=ProjectLoader(Resolver()),
                                  path=os.path.join(folder, "main.py"))
        interpreter.run()
    for i, name in enumerate(names):
        agree("Flags.*", claimed(interpreter.globals.vars.get(f"v{i}")), namespace[f"v{i}"],
              f"{definitions}{reader}v{i}")
