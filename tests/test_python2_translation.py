"""The Python 2 -> Python 3 translation (tfshapelint.python2): every construct, line for line,
strings and comments untouched, columns mapped back, and files it must leave alone."""

from __future__ import annotations

import ast
import io
import tokenize

import pytest

from tfshapelint.python2 import translate
from tfshapelint.python2.tokens import tokenize as python2_tokens


@pytest.mark.parametrize("python2, python3", [
    ('print "Iter " + str(step)', 'print("Iter " + str(step))'),
    ('print "loss", loss,', 'print("loss", loss, end=" ")'),
    ("print", "print()"),
    ('print >>sys.stderr, "error:", e', 'print (file=sys.stderr, *( "error:", e,))'),
    ("print >>log", "print (file=log)"),
    ('print ("a"), b', 'print(("a"), b)'),
    ("if ok: print 'ok'", "if ok: print('ok')"),
    ("x = 1; print x; y = 2", "x = 1; print(x); y = 2"),
    ("exec code", "exec(code)"),
    ("exec code in scope", "exec(code, scope)"),
    ("exec code in globals_, locals_", "exec(code, globals_, locals_)"),
    ("raise ValueError, 'bad size %d' % n", "raise ValueError('bad size %d' % n)"),
    ("raise E, V, tb", "raise E(V).with_traceback(tb)"),
    ("label = `step`", "label = repr(step)"),
    ("same = a <> b", "same = a != b"),
    ("os.makedirs(path, 0755)", "os.makedirs(path, 0o755)"),
    ("n = 10L + 0x1fL + 00", "n = 10 + 0x1f + 00"),
    ("pattern = ur'\\d+' + UR'x'", "pattern = r'\\d+' + R'x'"),
    ("key = lambda (k, v): v", "key = lambda _tuple_param_1: [ v for (k, v) in [_tuple_param_1]][0]"),
    ("f = lambda (a, b), c: a + c", "f = lambda _tuple_param_1, c: [ a + c for (a, b) in [_tuple_param_1]][0]"),
    ("def area((w, h)): return w * h", "def area(_tuple_param_1): (w, h) = _tuple_param_1; return w * h"),
])
def test_each_python2_construct_becomes_python3(python2, python3):
    source = "import sys\n" + python2 + "\n"
    translation = translate(source)
    assert translation is not None
    assert translation.text == "import sys\n" + python3 + "\n"
    ast.parse(translation.text)


def test_except_with_a_comma_and_a_tuple_of_exceptions():
    source = "try:\n    pass\nexcept (IOError, OSError), e:\n    pass\nexcept ValueError, e:\n    raise\n"
    assert translate(source).text == ("try:\n    pass\nexcept (IOError, OSError) as e:\n    pass\n"
                                      "except ValueError as e:\n    raise\n")


def test_tuple_parameters_of_a_def_are_unpacked_before_the_first_statement():
    source = 'def f(x, (w, h)=(2, 3), *rest):\n    """Doc."""\n    return x * w * h\n'
    text = translate(source).text
    assert text.splitlines()[:2] == ["def f(x, _tuple_param_1=(2, 3), *rest):",
                                     '    (w, h) = _tuple_param_1; """Doc."""']
    namespace: dict = {}
    exec(compile(text, "f.py", "exec"), namespace)  # noqa: S102 - a function made by the test
    assert namespace["f"](5) == 30


def test_a_tuple_parameter_before_a_compound_statement_is_not_translated():
    assert translate("def f((a, b)):\n    if a:\n        print a\n") is None


def test_print_function_import_keeps_print_a_name():
    source = "from __future__ import print_function\nprint('x', file=f)\nexec code\n"
    assert translate(source).text == "from __future__ import print_function\nprint('x', file=f)\nexec(code)\n"


def test_strings_and_comments_are_never_changed():
    source = ('s = "print `x` <> 0777 10L"  # print `y` <> 0777\n'
              "t = '''raise E, 'm'\nexcept E, e:'''\n"
              'print s, `t`\n')
    translation = translate(source)
    assert _strings_and_comments(translation.text) == _strings_and_comments(source.replace("print s, `t`", ""))


def test_every_line_keeps_its_number_and_untranslated_lines_their_text():
    source = 'import tensorflow as tf\n\nprint "a"\nx = tf.zeros([2])  # note\r\nprint x,\n'
    translation = translate(source)
    before, after = source.splitlines(), translation.text.splitlines()
    assert len(before) == len(after)
    assert [number for number, (a, b) in enumerate(zip(before, after), 1) if a != b] == [3, 5]
    assert translation.reading.translated_lines == {3, 5}


def test_positions_of_nodes_on_translated_lines_are_the_files():
    source = 'print >>sys.stderr, "loss", tf.matmul(a, b)  # über\n'
    translation = translate(source)
    tree = translation.restore(ast.parse(translation.text))
    call = next(node for node in ast.walk(tree) if isinstance(node, ast.Call) and ast.unparse(node.func) == "tf.matmul")
    assert (call.col_offset, call.end_col_offset) == (source.index("tf.matmul"), source.index(")  #") + 1)
    assert ast.get_source_segment(source, call) == "tf.matmul(a, b)"


def test_non_ascii_before_an_edit_is_counted_in_bytes():
    source = 'print "é", `x`\n'
    translation = translate(source)
    tree = translation.restore(ast.parse(translation.text))
    name = next(node for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == "x")
    assert ast.get_source_segment(source, name) == "x"


@pytest.mark.parametrize("source", [
    "x = (1,\n",  # unfinished: a syntax error of any Python
    "print('python 3')\nx = [\n",
    "def f(:\n    pass\n",
    "s = 'unterminated\n",
    "x = $y\n",
    "x = `a\n",  # a lone backtick
    "print('already a call')\nraise ValueError('fine')\nx = (\n",  # nothing of Python 2 in it
])
def test_files_without_python2_to_translate_are_left_alone(source):
    assert translate(source) is None


def test_the_tokenizer_keeps_offsets_and_bracket_depths():
    tokens = python2_tokens("f(a, [b])\n")
    assert [(t.text, t.depth) for t in tokens if t.kind == "op"] == [("(", 0), (",", 1), ("[", 1), ("]", 1), (")", 0)]
    assert all("f(a, [b])\n"[t.start:t.end] == t.text for t in tokens if t.kind != "newline")
    assert tokens[-1].kind == "newline"


def _strings_and_comments(text: str) -> list[str]:
    return [token.string for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type in (tokenize.STRING, tokenize.COMMENT)]
