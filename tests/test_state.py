"""The analysis state (analysis.state): join, leq and widen over variables and object entries."""

from tfshapelint.analysis.state import ABSENT, State, join, leq, widen
from tfshapelint.domain.values import UNKNOWN, Const, ObjectVal, TensorVal
from tfshapelint.shapes.shape import fmt


def tensor(*sizes):
    return TensorVal(shape=tuple(sizes))


def test_join_keeps_what_every_path_agrees_on_and_loses_the_rest():
    same = tensor(2, 3)
    a = State({"x": same, "n": Const(1), "only_a": Const(0)})
    b = State({"x": same, "n": Const(1)})
    joined = join([a, b])
    assert joined.vars["x"] is same
    assert joined.vars["n"].value == 1
    assert joined.vars["only_a"] is UNKNOWN


def test_join_of_sizes_that_differ_makes_them_unknown():
    joined = join([State({"x": tensor(2, 3)}), State({"x": tensor(4, 3)})])
    assert fmt(joined.vars["x"].shape).endswith("x3")
    assert not fmt(joined.vars["x"].shape).startswith(("2", "4"))


def test_join_ignores_ended_paths():
    live = State({"x": tensor(2, 3)})
    assert join([live, State({"x": tensor(4, 5)}, dead=True)]).vars["x"] is live.vars["x"]
    assert join([State({}, dead=True)]).dead


def test_join_of_object_entries_one_path_wrote():
    table = {"units": Const(3)}
    key = (id(table), "units")
    wrote = State({}, {key: (table, "units", Const(4))})
    created = State({}, {(id(table), "rate"): (table, "rate", Const(1))})
    joined = join([wrote, State({}), created])
    assert joined.entries[key][2] is not Const(3) and joined.entries[key][2] != Const(4)  # 3 or 4: not a constant
    assert joined.entries[(id(table), "rate")][2] is UNKNOWN  # absent on the other paths


def test_leq_holds_for_a_state_that_adds_nothing():
    x = tensor(2, 3)
    older = State({"x": x, "n": Const(1)})
    assert leq(State({"x": x, "n": Const(1)}), older)
    assert not leq(State({"x": tensor(4, 3), "n": Const(1)}), older)
    assert not leq(State({"x": x}), older)  # a name fewer: not the same variables
    assert leq(State({"x": x, "n": Const(5)}), State({"x": x, "n": UNKNOWN}))


def test_leq_of_object_entries_counts_the_objects_the_state_reaches():
    x = tensor(2, 3)
    layer = ObjectVal("Layer", {"t": x})
    table = layer.attrs
    older = State({"layer": layer})
    assert leq(State({"layer": layer}, {(id(table), "t"): (table, "t", x)}), older)
    assert not leq(State({"layer": layer}, {(id(table), "u"): (table, "u", x)}), older)  # u absent before
    assert not leq(State({"layer": layer}, {(id(table), "t"): (table, "t", tensor(4, 3))}), older)
    made = ObjectVal("Layer", {})  # made by the pass: no variable leads to it
    assert leq(State({"layer": layer}, {(id(made.attrs), "u"): (made.attrs, "u", x)}), older)
    assert not leq(State({}, {(id(made.attrs), "u"): (made.attrs, "u", x)}), State({}), roots=lambda: [made])


def test_widen_forgets_what_still_changes_and_keeps_the_rest():
    kept, grown = tensor(2, 3), tensor(8, 3)
    older = State({"kept": kept, "grown": tensor(4, 3)})
    widened = widen(older, State({"kept": kept, "grown": grown}))
    assert widened.vars["kept"] is kept
    assert widened.vars["grown"] is UNKNOWN
    table = {"t": tensor(1)}
    entry = widen(State({}), State({}, {(id(table), "t"): (table, "t", tensor(2))}))
    assert entry.entries[(id(table), "t")][2] is UNKNOWN
    assert ABSENT is not UNKNOWN


def test_a_list_summary_is_covered_by_one_of_unknown_length_and_the_same_element():
    from tfshapelint.analysis.state import covers
    from tfshapelint.domain.sequences import LIST, SequenceSummary

    element = tensor(28, 28)
    older = SequenceSummary(None, element, LIST)
    assert covers(older, SequenceSummary(None, element, LIST))
    assert covers(older, SequenceSummary(5, element, LIST))
    assert not covers(SequenceSummary(5, element, LIST), SequenceSummary(None, element, LIST))
    assert not covers(older, SequenceSummary(None, tensor(3, 3), LIST))
