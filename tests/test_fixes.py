"""Fixes as libcst codemods: each codemod on its own, the fix layer's checks, and every rule's fix
applied to its bad fixtures (the result lints clean, fixing again changes nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfshapelint.findings import Codemod, Finding, Fix
from tfshapelint.fix import fix_source
from tfshapelint.fixes.resolve import resolve
from tfshapelint.linter import lint_source

ROOT = Path(__file__).resolve().parent.parent


def finding_at(line: int, column: int, end_line: int, end_column: int, kind: str, **params) -> Finding:
    return Finding(path="f.py", line=line, column=column, code="TSL000", name="test", message="m",
                   fix=Fix("do it", "safe", codemod=Codemod(kind, line, column, end_line, end_column, params)))


def codemod(source: str, span: tuple, kind: str, **params) -> tuple[str, list]:
    """The source with one codemod applied to the node at ``span`` (checked to parse only), and the notes."""
    finding = finding_at(*span, kind, **params)
    notes: list = []
    resolve(source, [finding], notes=notes)
    if finding.fix is None:
        return source, notes
    [edit] = finding.fix.edits
    lines = source.splitlines(keepends=True)
    start = sum(len(line) for line in lines[:edit.line - 1]) + edit.column - 1
    end = sum(len(line) for line in lines[:edit.end_line - 1]) + edit.end_column - 1
    return source[:start] + edit.content + source[end:], notes


def span_of(source: str, text: str) -> tuple:
    """The (line, column, end line, end column) of the first ``text`` in ``source``, 1-based."""
    start = source.index(text)
    end = start + len(text)
    before, through = source[:start], source[:end]
    return (before.count("\n") + 1, start - (before.rfind("\n") + 1) + 1,
            through.count("\n") + 1, end - (through.rfind("\n") + 1) + 1)


# -- the generic keyword codemod: positional call -> keywords in a new order ---------------------------

CONCAT = ("concat", ["axis", "values"], ["values", "axis"])
SPLIT = ("split", ["axis", "num_or_size_splits", "value"], ["value", "num_or_size_splits", "axis"])


@pytest.mark.parametrize("call, expected, order", [
    ("tf.concat(1, outputs)", "tf.concat(values=outputs, axis=1)", CONCAT),
    ("tf.split(0, 28, x)", "tf.split(value=x, num_or_size_splits=28, axis=0)", SPLIT),
    ("tf.concat(1, [a, b], name='joined')", "tf.concat(values=[a, b], axis=1, name='joined')", CONCAT),
    ("tf.concat(1, outputs,)", "tf.concat(values=outputs, axis=1,)", CONCAT),
    ("tf.concat(\n    1,  # the feature axis\n    outputs,\n)",
     "tf.concat(\n    values=outputs,  # the feature axis\n    axis=1,\n)", CONCAT),
    ("tf.concat( 1 ,  (a  +  b) )", "tf.concat( values=(a  +  b) ,  axis=1 )", CONCAT),
])
def test_keywords_codemod_reorders_by_keyword_keeping_the_layout(call, expected, order):
    _, written, wanted = order
    source = f"import tensorflow as tf\ny = {call}\n"
    fixed, notes = codemod(source, span_of(source, call), "keywords", written=written, order=wanted)
    assert notes == [] and fixed == f"import tensorflow as tf\ny = {expected}\n"


@pytest.mark.parametrize("call, why", [
    ("tf.concat(1)", "exactly 2 positional"),
    ("tf.concat(1, a, b)", "exactly 2 positional"),
    ("tf.concat(*args)", "unpacks"),
    ("tf.concat(1, values=a)", "exactly 2 positional"),
    ("tf.concat(1, a, axis=0)", "already names"),
])
def test_keywords_codemod_refuses_calls_it_cannot_rewrite(call, why):
    source = f"import tensorflow as tf\ny = {call}\n"
    fixed, notes = codemod(source, span_of(source, call), "keywords", written=["axis", "values"],
                           order=["values", "axis"])
    assert fixed == source and len(notes) == 1 and why in notes[0]


def test_keywords_draft_checks_its_order():
    from tfshapelint.fixes.draft import keywords_in_order

    with pytest.raises(ValueError):
        keywords_in_order(None, ["axis", "values"], ["values", "dim"], "m")


# -- replace and wrap ---------------------------------------------------------------------------------

def test_replace_keeps_parentheses_and_comments_around():
    source = "import tensorflow as tf\nw = tf.zeros([(4 * 4 * 64), 10])  # the weight\n"
    fixed, notes = codemod(source, span_of(source, "4 * 4 * 64"), "replace", text="7 * 7 * 64")
    assert notes == [] and fixed == source.replace("4 * 4 * 64", "7 * 7 * 64")


@pytest.mark.parametrize("imports, expected", [
    ("import tensorflow as tf", "tf.squeeze(pred, axis=-1) - y"),
    ("import tensorflow.compat.v1 as tf1", "tf1.squeeze(pred, axis=-1) - y"),
    ("import tensorflow", "tensorflow.squeeze(pred, axis=-1) - y"),
])
def test_wrap_uses_the_name_the_file_imports(imports, expected):
    source = f"{imports}\nloss = pred - y\n"
    fixed, notes = codemod(source, span_of(source, "pred"), "wrap", module="tensorflow", function="squeeze",
                           extra=["axis=-1"])
    assert notes == [] and fixed == f"{imports}\nloss = {expected}\n"


def test_wrap_keeps_the_operands_parentheses_outside():
    source = "import tensorflow as tf\nloss = (a @ w) - y\n"
    fixed, _ = codemod(source, span_of(source, "a @ w"), "wrap", module="tensorflow", function="squeeze",
                       extra=["axis=-1"])
    assert fixed == "import tensorflow as tf\nloss = (tf.squeeze(a @ w, axis=-1)) - y\n"


def test_wrap_without_a_plain_import_is_dropped_with_a_note():
    source = "from tensorflow import squeeze\nloss = pred - y\n"
    fixed, notes = codemod(source, span_of(source, "pred"), "wrap", module="tensorflow", function="squeeze",
                           extra=["axis=-1"])
    assert fixed == source and "is not imported" in notes[0]


def test_a_span_that_is_no_node_is_dropped_with_a_note():
    source = "import tensorflow as tf\nw = tf.zeros([4 * 4 * 64, 10])\n"
    fixed, notes = codemod(source, span_of(source, "zeros([4"), "replace", text="7")
    assert fixed == source and "not where the finding says" in notes[0]


def test_a_codemod_whose_result_does_not_parse_is_dropped():
    source = "import tensorflow as tf\nw = tf.zeros([4, 10])\n"
    fixed, notes = codemod(source, span_of(source, "4"), "replace", text="4 +")
    assert fixed == source and "does not parse" in notes[0]


# -- the checks after linting again ---------------------------------------------------------------------

def test_a_fix_that_leaves_its_finding_is_dropped():
    source = ("import tensorflow as tf\nx = tf.zeros([8, 7, 7, 64])\nw = tf.Variable(tf.zeros([4 * 4 * 64, 10]))\n"
              "y = tf.matmul(tf.reshape(x, [-1, 7 * 7 * 64]), w)\n")
    [finding] = lint_source(source, "f.py")
    finding.fix.codemod.params["text"] = "5 * 5 * 64"  # a wrong size: the finding stays
    notes: list = []
    resolve(source, [finding], lambda text: lint_source(text, "f.py"), notes)
    assert finding.fix is None and "still there" in notes[0]


def test_an_unsafe_flatten_fix_that_would_break_the_weight_is_dropped():
    source = (ROOT / "fixtures" / "TSL002" / "widened_conv_flatten_tf1_bad.py").read_text()
    notes: list = []
    fixed, count = fix_source(source, lambda text: lint_source(text, "f.py"), True, notes=notes)
    assert count == 0 and fixed == source
    assert "new finding (TSL001" in notes[0]


# -- every fix on its rule's bad fixtures ---------------------------------------------------------------

FIXED = {  # fixture -> a line of its fixed text
    "TSL001/convnet_tf1_bad.py": "[7*7*64, 1024]",
    "TSL011/tf0_argument_order_bad.py": "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_, logits=y)",
    "TSL011/onehot_to_sparse_loss_bad.py": "(labels=tf.argmax(y, -1), logits=logits)",
    "TSL011/label_ids_column_sparse_bad.py": "(labels=tf.squeeze(class_ids, axis=-1), logits=logits)",
    "TSL012/linear_regression_eager_bad.py": "residual = tf.squeeze(pred, axis=-1) - y",
    "TSL012/constant_targets_eager_bad.py": "residual = y_true - tf.squeeze(y_pred, axis=-1)",
    "TSL002/tf_layers_flatten_tf1_bad.py": "7 * 7 * 64",
    "TSL015/concat_bidirectional_tf1_bad.py": "features = tf.concat(values=[forward, backward], axis=1)",
    "TSL015/split_rnn_steps_tf1_bad.py": "rows = tf.split(value=rows, num_or_size_splits=n_steps, axis=0)",
    "TSL015/nce_word2vec_tf1_bad.py": ("tf.nn.nce_loss(weights=nce_weights, biases=nce_biases, labels=train_labels, "
                                       "inputs=embed, num_sampled=num_sampled, num_classes=vocabulary_size)"),
    "TSL015/pack_timesteps_tf1_bad.py": "outputs = tf.stack(steps, axis=1)",
    "TSL015/unpack_timesteps_tf1_bad.py": "steps = tf.unstack(x, axis=1)",
    "TSL015/mul_dropout_mask_tf2_bad.py": "dropped = tf.multiply(features, keep) / 0.8",
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fix_of_a_bad_fixture_lints_clean_and_is_idempotent(name):
    path = ROOT / "fixtures" / name
    source = path.read_text()

    def lint(text: str) -> list:
        return lint_source(text, str(path))

    notes: list = []
    fixed, count = fix_source(source, lint, True, notes=notes)
    assert count >= 1 and notes == []
    assert FIXED[name] in fixed
    assert lint(fixed) == []
    assert fix_source(fixed, lint, True) == (fixed, 0)
    changed = [i for i, (a, b) in enumerate(zip(source.splitlines(), fixed.splitlines())) if a != b]
    assert len(changed) == count and len(source.splitlines()) == len(fixed.splitlines())


@pytest.mark.parametrize("name", ["TSL015/select_mask_tf1_bad.py", "TSL015/batch_matmul_attention_tf2_bad.py",
                                  "TSL015/concat_dim_keyword_tf2_bad.py"])
def test_tf0_calls_without_one_certain_rewrite_get_no_fix(name):
    """tf.where broadcasts where tf.select picked rows; batch_matmul's third argument is adj_x;
    old keywords are not rewritten (yet)."""
    path = ROOT / "fixtures" / name
    findings = lint_source(path.read_text(), str(path))
    assert [f.code for f in findings] == ["TSL015"] and findings[0].fix is None


def test_every_fixable_bad_fixture_is_fixed_clean_or_its_fix_dropped():
    """All fixtures: a fix applied leaves no finding of its code on its line, and never a new one."""
    for path in sorted((ROOT / "fixtures").rglob("*_bad.py")):
        if "projects" in path.parts:
            continue
        source = path.read_text()
        before = lint_source(source, str(path))
        if not any(f.fix is not None for f in before):
            continue
        fixed, count = fix_source(source, lambda text: lint_source(text, str(path)), True)
        after = {(f.code, f.line) for f in lint_source(fixed, str(path))}
        assert after <= {(f.code, f.line) for f in before}, path
        assert count == 0 or len(after) < len(before), path
