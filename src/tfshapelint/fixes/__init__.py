"""Fixes as libcst codemods.

A rule's finding carries a ``FixDraft`` (draft.py): the syntax node to change and which codemod
to apply, as plain data. Only when a fix is wanted (``--fix``, ``--diff``, the JSON and SARIF
``fix`` objects, the language server's code actions) does resolve.py parse the file with libcst,
find the node by its position, transform it (codemods.py) and check the result: it parses, the
finding is gone when the file is linted again, and no new finding appears; otherwise the fix is
dropped with a note. This package's ``__init__`` and draft.py never import libcst.

A rule adds a fix with one of draft.py's constructors; a TF 0.x ``tf.concat(axis, values)`` rule,
for instance::

    fix = keywords_in_order(error.node, ("axis", "values"), ("values", "axis"),
                            "pass values= and axis= by keyword (TensorFlow >= 1.0's order)")
    return Draft(node=error.node, message=message, fix=fix)
"""
