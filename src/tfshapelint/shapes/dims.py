"""Dimension algebra.

A dim is one of:
  * an ``int`` (a known size),
  * an :class:`Expr` (a polynomial with rational coefficients over positive atoms: symbols such
    as the batch ``N``, and ceil-divisions of expressions by positive integer constants),
  * ``None`` (unknown).

Expressions are kept in a normal form (a sorted tuple of monomials), so two dims are equal
exactly when their normal forms are equal. An expression whose only term is a constant is
always turned back into an ``int``. Every atom stands for a size, hence an integer >= 1; that is
what makes ``49*N/16 != N`` provable.

A symbol is named by where it was made, not by a counter: the analysis that made it (its
``scope``: the module's path and which run of it, see :class:`Symbols`) and its ``serial``, the
order in which that analysis made it. Two symbols are the same unknown size exactly when both
agree; that is what lets a shape be pickled, or a module's summary be computed, in one process and
compared with the same in another. Two analyses must never share a scope (else an ``N`` of one
would equal an ``N`` of the other, and ``N`` vs ``2*N`` would be a false finding): each analysis
makes its symbols through a :class:`Symbols` of its own scope.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Optional, Union

Dim = Union[int, "Expr", None]


class Atom:
    """A positive integer quantity that the algebra treats as an opaque variable."""

    __slots__ = ()

    def sort_key(self) -> tuple:
        raise NotImplementedError


class Symbol(Atom):
    """A named unknown size: the ``None`` batch of a placeholder, a function parameter, ...

    ``name`` is what messages print (``N``, ``N2``); ``scope`` and ``serial`` are what it is (the
    analysis that made it, and which of that analysis' symbols it is). ``origin`` says where it comes
    from, for messages that show it ("the batch of placeholder `y`"); set once, when the analysis
    learns it, and not part of what it is."""

    __slots__ = ("name", "scope", "serial", "origin", "_hash")

    def __init__(self, name: str, scope: str, serial: int, origin: Optional[str] = None):
        self.name = name
        self.scope = scope
        self.serial = serial
        self.origin = origin
        self._hash = hash((scope, serial))

    def sort_key(self) -> tuple:
        # By name and module, not by the order of the analyses: the order in which a process analyses
        # the project's modules must not change how an expression prints (``N + M``, never ``M + N``).
        return (0, self.name, self.scope, self.serial)

    def made_key(self) -> tuple:
        """Orders symbols by their making: within one analysis, the order it made them in."""
        return (self.scope, self.serial)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Symbol) and self.serial == other.serial and self.scope == other.scope

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        # not the cached hash: a string's hash differs from one process to the next
        return (Symbol, (self.name, self.scope, self.serial, self.origin))

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Symbol({self.name!r}, {self.scope!r}, {self.serial})"


class Symbols:
    """Makes the symbols of one analysis: ``scope`` names the analysis (a module's path and which
    run of it: ``analysis_scope``), so that no other analysis can make a symbol equal to one of
    these; each new symbol gets the next serial, so no two of these are equal either. Names print
    numbered per base, in order: ``N``, ``N2``, ``N3``."""

    __slots__ = ("scope", "made", "_counts")

    def __init__(self, scope: str):
        self.scope = scope
        self.made = 0
        self._counts: dict[str, int] = {}

    def new(self, base: str) -> Expr:
        """A fresh symbolic size printed as ``base`` (``base2``, ... after the first)."""
        count = self._counts.get(base, 0) + 1
        self._counts[base] = count
        return self.named(base if count == 1 else f"{base}{count}")

    def named(self, name: str) -> Expr:
        """A fresh symbolic size printed as ``name``, as given (two may print alike, never compare equal)."""
        self.made += 1
        return Expr.of(Symbol(name, self.scope, self.made))


def analysis_scope(path: Optional[str], run: str) -> str:
    """The scope of one analysis: the module's path and which run of it (``"linted"``, the file
    itself; ``"imported"``, the module as an import runs it; ``"own-errors"``, the module run as
    a linted file to learn its own errors). One loader runs each module at most once per run kind,
    and a linted file is analysed once; whatever else a process analyses never meets these values."""
    return f"{path or ''}#{run}"


class CeilDiv(Atom):
    """``ceil(expr / divisor)`` for an expression that does not reduce to an int."""

    __slots__ = ("expr", "divisor")

    def __init__(self, expr: Expr, divisor: int):
        self.expr = expr
        self.divisor = divisor

    def sort_key(self) -> tuple:
        return (1, self.divisor, self.expr.sort_key())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CeilDiv) and self.divisor == other.divisor and self.expr == other.expr

    def __hash__(self) -> int:
        return hash((self.divisor, self.expr))

    def __str__(self) -> str:
        return f"ceil({self.expr}/{self.divisor})"


# A monomial is a sorted tuple of (atom, power); the empty tuple is the constant monomial.
Monomial = tuple


def _mono_key(mono: Monomial) -> tuple:
    return tuple((atom.sort_key(), power) for atom, power in mono)


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    powers: dict[Atom, int] = {}
    order: dict[Atom, tuple] = {}
    for atom, power in a + b:
        powers[atom] = powers.get(atom, 0) + power
        order[atom] = atom.sort_key()
    return tuple(sorted(powers.items(), key=lambda item: order[item[0]]))


class Expr:
    """A polynomial in normal form: ``terms`` maps monomials to non-zero Fractions."""

    __slots__ = ("terms", "_key")

    def __init__(self, terms: dict):
        self.terms = {mono: coef for mono, coef in terms.items() if coef != 0}
        self._key = tuple(sorted(((_mono_key(m), c) for m, c in self.terms.items())))

    # -- construction ---------------------------------------------------------------------------
    @staticmethod
    def of(value: Dim) -> Expr:
        if isinstance(value, Expr):
            return value
        if isinstance(value, Atom):
            return Expr({((value, 1),): Fraction(1)})
        return Expr({(): Fraction(value)})

    def normalize(self) -> Dim:
        """Return an int when the expression is a whole constant."""
        if not self.terms:
            return 0
        if len(self.terms) == 1 and () in self.terms:
            value = self.terms[()]
            if value.denominator == 1:
                return int(value)
        return self

    def sort_key(self) -> tuple:
        return self._key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def constant(self) -> Fraction:
        return self.terms.get((), Fraction(0))

    def atoms(self) -> set:
        return {atom for mono in self.terms for atom, _ in mono}

    # -- printing -------------------------------------------------------------------------------
    def __str__(self) -> str:
        parts = []
        for mono, coef in sorted(self.terms.items(), key=lambda item: (-len(item[0]), _mono_key(item[0]))):
            factors = []
            for atom, power in mono:
                text = str(atom)
                factors.append(text if power == 1 else f"{text}^{power}")
            numerator = abs(coef.numerator)
            body = "*".join(([str(numerator)] if numerator != 1 or not factors else []) + factors)
            if coef.denominator != 1:
                body = f"{body}/{coef.denominator}"
            sign = "-" if coef < 0 else "+"
            parts.append((sign, body))
        text = ""
        for index, (sign, body) in enumerate(parts):
            if index == 0:
                text = ("-" if sign == "-" else "") + body
            else:
                text += f" {sign} {body}"
        return text

    def __repr__(self) -> str:
        return f"Expr({self})"


# -- public operations on dims (int | Expr | None) ----------------------------------------------


def lone_symbol(dim: Dim) -> Optional[Symbol]:
    """The symbol ``dim`` is, when it is exactly one (``N``, not ``2*N`` or ``N+1``)."""
    if not isinstance(dim, Expr) or len(dim.terms) != 1:
        return None
    ((mono, coef),) = dim.terms.items()
    if coef != 1 or len(mono) != 1 or mono[0][1] != 1 or not isinstance(mono[0][0], Symbol):
        return None
    return mono[0][0]


def symbols_of(dim: Dim) -> set:
    """Every symbol ``dim`` is made of, inside ceil-divisions too."""
    if not isinstance(dim, Expr):
        return set()
    found = set()
    for atom in dim.atoms():
        if isinstance(atom, Symbol):
            found.add(atom)
        elif isinstance(atom, CeilDiv):
            found |= symbols_of(atom.expr)
    return found


def is_known(dim: Dim) -> bool:
    return isinstance(dim, int)


def add(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    ea, eb = Expr.of(a), Expr.of(b)
    terms = dict(ea.terms)
    for mono, coef in eb.terms.items():
        terms[mono] = terms.get(mono, Fraction(0)) + coef
    return Expr(terms).normalize()


def neg(a: Dim) -> Dim:
    if a is None:
        return None
    if isinstance(a, int):
        return -a
    return Expr({m: -c for m, c in a.terms.items()}).normalize()


def sub(a: Dim, b: Dim) -> Dim:
    return add(a, neg(b))


def mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    ea, eb = Expr.of(a), Expr.of(b)
    terms: dict = {}
    for (ma, ca), (mb, cb) in itertools.product(ea.terms.items(), eb.terms.items()):
        mono = _mono_mul(ma, mb)
        terms[mono] = terms.get(mono, Fraction(0)) + ca * cb
    return Expr(terms).normalize()


def product(dims) -> Dim:
    result: Dim = 1
    for dim in dims:
        result = mul(result, dim)
    return result


def div_exact(a: Dim, b: Dim) -> Dim:
    """``a / b`` where the caller knows the quotient is a size (e.g. the ``-1`` of a reshape).

    Division by an int scales the coefficients (giving ``49*N/16``); division by an expression is
    only done when it cancels exactly, otherwise the result is unknown.
    """
    if a is None or b is None or b == 0:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return Expr({(): Fraction(a, b)}).normalize()
    if isinstance(b, int):
        return Expr({m: c / b for m, c in Expr.of(a).terms.items()}).normalize()
    # b is an expression: cancel it only when it is a single monomial dividing every term of a.
    if len(b.terms) != 1:
        return a_div_same(a, b)
    (b_mono, b_coef), = b.terms.items()
    b_powers = dict(b_mono)
    terms = {}
    for mono, coef in Expr.of(a).terms.items():
        powers = dict(mono)
        for atom, power in b_powers.items():
            if powers.get(atom, 0) < power:
                return None
            powers[atom] -= power
        new_mono = tuple(sorted(((at, p) for at, p in powers.items() if p), key=lambda item: item[0].sort_key()))
        terms[new_mono] = terms.get(new_mono, Fraction(0)) + coef / b_coef
    return Expr(terms).normalize()


def a_div_same(a: Dim, b: Dim) -> Dim:
    """``a / b`` for a multi-term ``b``: only the case ``a == k * b`` is resolved."""
    if a == b:
        return 1
    return None


def ceil_div(a: Dim, k: int) -> Dim:
    """``ceil(a / k)`` for a positive int ``k``."""
    if a is None:
        return None
    if k == 1:
        return a
    if isinstance(a, int):
        return -(-a // k)
    # Pull out the part of a that k divides exactly: ceil((k*q + r)/k) = q + ceil(r/k).
    whole: dict = {}
    rest: dict = {}
    for mono, coef in a.terms.items():
        if mono and coef.denominator == 1 and coef.numerator % k == 0:
            whole[mono] = coef / k
        else:
            rest[mono] = coef
    rest_expr = Expr(rest).normalize()
    if isinstance(rest_expr, int):
        return add(Expr(whole).normalize(), -(-rest_expr // k))
    if any(c.denominator != 1 for c in rest_expr.terms.values()):
        return None  # ceil of a fraction of a symbol: keep it simple and unknown
    return add(Expr(whole).normalize(), Expr.of(CeilDiv(rest_expr, k)))


def floor_div(a: Dim, k: int) -> Dim:
    """``a // k`` for a positive int ``k`` (= ``ceil((a - k + 1) / k)``)."""
    if a is None:
        return None
    if isinstance(a, int):
        return a // k
    return ceil_div(add(a, 1 - k), k)


def equal(a: Dim, b: Dim) -> bool | None:
    """True when provably equal, False when provably different, None when it cannot be decided."""
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    diff = sub(a, b)
    if diff == 0:
        return True
    if isinstance(diff, int):
        return False
    return False if _provably_nonzero(diff) else None


def _provably_nonzero(expr: Expr) -> bool:
    """Every atom is an integer >= 1, so a polynomial whose coefficients (constant included) all
    share one sign, and are not all zero, cannot be zero."""
    signs = {coef > 0 for coef in expr.terms.values()}
    return len(signs) == 1


def provably_positive(a: Dim) -> bool | None:
    """True if ``a >= 1`` for every value of its atoms, False if ``a <= 0`` always, else None."""
    if a is None:
        return None
    if isinstance(a, int):
        return a >= 1
    coefs = a.terms
    if all(c > 0 for m, c in coefs.items() if m) and coefs.get((), Fraction(0)) >= 0:
        # each monomial is >= 1, so the sum is >= the sum of the coefficients
        return True if sum(coefs.values()) >= 1 else None
    if all(c < 0 for m, c in coefs.items() if m) and coefs.get((), Fraction(0)) <= 0:
        return False
    return None


def divides(a: Dim, b: Dim) -> bool | None:
    """Whether ``b`` is a multiple of ``a`` (both sizes); None when it cannot be decided."""
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a != 0 and b % a == 0
    if isinstance(a, int) and a != 0:
        coefs = Expr.of(b).terms.values()
        if all(c.denominator == 1 and c.numerator % a == 0 for c in coefs):
            return True
        return None
    return True if a == b else None


def is_batch_like(a: Dim) -> bool:
    """A dim that is symbolic (not a plain number): what a ``-1`` reshape may rescale."""
    return isinstance(a, Expr)


def fmt(dim: Dim) -> str:
    if dim is None:
        return "?"
    text = str(dim)
    if isinstance(dim, Expr) and len(dim.terms) > 1:
        return f"({text})"
    return text


def substitute(dim: Dim, bindings: dict) -> Dim:
    """``dim`` with each atom bound in ``bindings`` (``{Symbol: Dim}``) replaced by its size: a
    ``run`` binds a placeholder's ``None`` batch to the fed array's size. Atoms not bound stay; an
    atom bound to an unknown size makes the result unknown."""
    if not isinstance(dim, Expr) or not bindings or not symbols_of(dim) & bindings.keys():
        return dim  # nothing bound: the very same dim (callers compare by identity)
    total: Dim = 0
    for mono, coef in dim.terms.items():
        term: Dim = Expr({(): coef}).normalize()
        for atom, power in mono:
            value = _substitute_atom(atom, bindings)
            for _ in range(power):
                term = mul(term, value)
        total = add(total, term)
    return total


def _substitute_atom(atom: Atom, bindings: dict) -> Dim:
    if atom in bindings:
        return bindings[atom]
    if isinstance(atom, CeilDiv):
        inner = substitute(atom.expr, bindings)
        return ceil_div(inner, atom.divisor) if inner is not None else None
    return Expr.of(atom)


def evaluate(dim: Dim, values: dict):
    """The int ``dim`` is once every atom takes its value in ``values``; None if an atom has none."""
    result = substitute(dim, values)
    return result if isinstance(result, int) else None
