"""The dim algebra: normal forms, provable (in)equality, ceil-division."""

from tfshapelint.shapes import dims
from tfshapelint.shapes.shape import fmt, join, num_elements

symbol = dims.Symbols("tests/test_dims.py").named  # each call a fresh symbol, printed as given


def test_ints_stay_ints():
    assert dims.add(3, 4) == 7
    assert dims.mul(7, dims.mul(7, 64)) == 3136
    assert dims.ceil_div(7, 2) == 4
    assert dims.floor_div(7, 2) == 3


def test_normal_form_makes_equal_expressions_equal():
    n = symbol("N")
    a = dims.mul(dims.add(n, 1), 2)
    b = dims.add(dims.mul(2, n), 2)
    assert dims.equal(a, b) is True
    assert a == b and hash(a) == hash(b)


def test_cancelled_expression_becomes_int():
    n = symbol("N")
    assert dims.sub(dims.add(n, 5), n) == 5
    assert dims.div_exact(dims.mul(n, 3136), n) == 3136


def test_fraction_of_batch_is_provably_not_the_batch():
    n = symbol("N")
    rows = dims.div_exact(dims.mul(n, 3136), 1024)
    assert str(rows) == "49*N/16"
    assert dims.equal(rows, n) is False


def test_symbol_against_int_is_undecided():
    n = symbol("N")
    assert dims.equal(n, 10) is None
    assert dims.equal(n, None) is None
    assert dims.equal(symbol("N"), n) is None  # two different symbols may be equal


def test_sum_of_positive_terms_differs_from_zero_and_from_smaller_constants():
    n = symbol("N")
    assert dims.equal(dims.add(n, 1), 0) is False
    assert dims.equal(dims.add(n, 3), 2) is False
    assert dims.equal(dims.sub(n, 3), 0) is None  # N may be 3


def test_ceil_div_of_symbol():
    h = symbol("H")
    half = dims.ceil_div(h, 2)
    assert str(half) == "ceil(H/2)"
    assert dims.equal(half, dims.ceil_div(h, 2)) is True
    assert dims.equal(dims.ceil_div(dims.mul(h, 4), 2), dims.mul(h, 2)) is True
    # ceil((2H + 3) / 2) = H + 2
    assert dims.equal(dims.ceil_div(dims.add(dims.mul(h, 2), 3), 2), dims.add(h, 2)) is True


def test_ceil_of_symbol_against_constant_is_undecided():
    h = symbol("H")
    assert dims.equal(dims.mul(dims.ceil_div(h, 2), 64), 1024) is None


def test_floor_div_is_ceil_of_shifted():
    h = symbol("H")
    assert dims.equal(dims.floor_div(h, 2), dims.ceil_div(dims.sub(h, 1), 2)) is True


def test_positivity():
    n = symbol("N")
    assert dims.provably_positive(n) is True
    assert dims.provably_positive(dims.sub(1, n)) is None  # 1 - N may be 0
    assert dims.provably_positive(dims.neg(n)) is False
    assert dims.provably_positive(0) is False
    assert dims.provably_positive(None) is None


def test_unknown_propagates():
    n = symbol("N")
    assert dims.add(n, None) is None
    assert dims.mul(None, 3) is None
    assert dims.ceil_div(None, 2) is None


def test_shapes_format_and_join():
    n = symbol("N")
    assert fmt((n, 7, 7, 64)) == "Nx7x7x64"
    assert fmt((None, 3)) == "?x3"
    assert fmt(None) == "<unknown rank>"
    assert fmt(()) == "scalar"
    assert fmt((dims.add(n, 1), 2)) == "(N + 1)x2"
    assert num_elements((n, 7, 7, 64)) == dims.mul(n, 3136)
    assert join((n, 7), (n, 8)) == (n, None)
    assert join((1, 2), (1, 2, 3)) is None


def test_substitute_binds_symbols_and_keeps_the_others():
    n, m = symbol("N"), symbol("M")
    (n_atom,), (m_atom,) = n.atoms(), m.atoms()
    expr = dims.add(dims.mul(4, n), dims.mul(n, m))  # 4N + NM
    assert dims.substitute(expr, {n_atom: 32}) == dims.add(128, dims.mul(32, m))
    assert dims.substitute(expr, {n_atom: 32, m_atom: 2}) == 192
    assert dims.substitute(expr, {n_atom: m}) == dims.add(dims.mul(4, m), dims.mul(m, m))
    assert dims.substitute(expr, {n_atom: None}) is None
    assert dims.substitute(7, {n_atom: 3}) == 7


def test_substitute_evaluates_ceil_divisions_and_fractions():
    n = symbol("N")
    (atom,) = n.atoms()
    assert dims.substitute(dims.ceil_div(n, 2), {atom: 7}) == 4
    assert dims.substitute(dims.div_exact(dims.mul(49, n), 16), {atom: 16}) == 49
    assert not isinstance(dims.substitute(dims.div_exact(dims.mul(49, n), 16), {atom: 3}), int)
    assert dims.evaluate(dims.div_exact(dims.mul(49, n), 16), {atom: 3}) is None
