"""frozen_trees: in a run of files, each tree is frozen out of the collector's scans once parsed, and
freed all the same when the next file starts; outside such a run the collector is left alone."""

from __future__ import annotations

import gc
import weakref

import pytest

from tfshapelint import frozen_trees, linter

PROGRAM = """import tensorflow as tf

def model(x):
    return tf.matmul(x, tf.zeros([3, 4]))

y = model(tf.zeros([2, {size}]))
"""


@pytest.fixture
def trees(monkeypatch):
    """Weak references to the trees the linter parses, in order."""
    parsed = []
    parse = linter.parse

    def keeping(source, path):
        tree = parse(source, path)
        parsed.append(weakref.ref(tree))
        return tree

    monkeypatch.setattr(linter, "parse", keeping)
    return parsed


def test_a_tree_is_frozen_while_analysed_and_freed_when_the_next_file_starts(trees):
    frozen_before = gc.get_freeze_count()
    with frozen_trees.files_in_a_row():
        first = linter.lint_source(PROGRAM.format(size=5), "first.py")
        assert gc.get_freeze_count() > frozen_before
        assert trees[0]() is not None
        second = linter.lint_source(PROGRAM.format(size=3), "second.py")
        assert trees[0]() is None  # the first file's state was collected, and its tree with it
        assert trees[1]() is not None
    assert gc.get_freeze_count() == 0  # unfrozen when the run ends
    assert [f.code for f in first] == ["TSL004"] and second == []


def test_the_frozen_objects_do_not_grow_with_the_files(trees):
    counts = []
    with frozen_trees.files_in_a_row():
        for _ in range(6):
            linter.lint_source(PROGRAM.format(size=5), "again.py")
            counts.append(gc.get_freeze_count())
    assert max(counts[2:]) <= counts[1] * 1.1
    assert [tree() for tree in trees[:-1]] == [None] * 5


def test_outside_a_run_the_collector_is_left_alone(trees):
    gc.unfreeze()
    findings = linter.lint_source(PROGRAM.format(size=5), "alone.py")
    assert gc.get_freeze_count() == 0
    assert [f.code for f in findings] == ["TSL004"]


def test_findings_are_the_same_in_a_run_and_alone():
    sources = [PROGRAM.format(size=size) for size in (5, 3, 7)]
    alone = [linter.lint_source(source, f"f{index}.py") for index, source in enumerate(sources)]
    with frozen_trees.files_in_a_row():
        in_a_run = [linter.lint_source(source, f"f{index}.py") for index, source in enumerate(sources)]
    assert in_a_run == alone
