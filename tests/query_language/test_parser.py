"""The parser: exact trees for each grammar rule, precedence, quoting, spans and rendering."""
from __future__ import annotations

import pytest

from query_language import And, ComputerTerm, Not, Or, Term, Text, parse


def A(*items):  # noqa: N802 - short builders keep the tables readable
    return And(items)


def O(*items):  # noqa: N802, E743
    return Or(items)


def T(key, value):  # noqa: N802
    return Term(key, value)


def X(value):  # noqa: N802
    return Text(value)


def C(query):  # noqa: N802
    return ComputerTerm(query)


EMPTY = ["", " ", "\t\n", "\u00a0\u2003"]

# QUERY.md §1: NOT binds tightest, then OR, then AND (juxtaposition is AND).
PRECEDENCE = [
    ("appserver tag:server OR distribution:jammy",
     A(X("appserver"), O(T("tag", "server"), T("distribution", "jammy")))),
    ("tag:a OR tag:b access-group:x OR access-group:y",
     A(O(T("tag", "a"), T("tag", "b")), O(T("access-group", "x"), T("access-group", "y")))),
    ("a b OR c", A(X("a"), O(X("b"), X("c")))),
    ("a AND b OR c", A(X("a"), O(X("b"), X("c")))),
    ("a OR b c", A(O(X("a"), X("b")), X("c"))),
    ("a OR b AND c OR d", A(O(X("a"), X("b")), O(X("c"), X("d")))),
    ("NOT a OR b", O(Not(X("a")), X("b"))),
    ("NOT a b", A(Not(X("a")), X("b"))),
    ("a OR NOT b", O(X("a"), Not(X("b")))),
    ("NOT NOT a", Not(Not(X("a")))),
    ("a OR b OR c", O(X("a"), X("b"), X("c"))),
    ("a b c", A(X("a"), X("b"), X("c"))),
    ("a AND b c AND d", A(X("a"), X("b"), X("c"), X("d"))),
]

GROUPS = [
    ("(a)", X("a")),
    ("((a))", X("a")),
    ("(a b) OR c", O(A(X("a"), X("b")), X("c"))),
    ("(a b) c", A(A(X("a"), X("b")), X("c"))),
    ("a (b c)", A(X("a"), A(X("b"), X("c")))),
    ("(a OR b) OR c", O(O(X("a"), X("b")), X("c"))),
    ("NOT (a OR b)", Not(O(X("a"), X("b")))),
    ("NOT(a)", Not(X("a"))),
    ("x(a)y", A(X("x"), X("a"), X("y"))),
    ("(a)(b)", A(X("a"), X("b"))),
]

TERMS = [
    ("status:failed", T("status", "failed")),
    ("annotation:key:value", T("annotation", "key:value")),
    ("a:b:c:", T("a", "b:c:")),
    ("creator:jane@example.com", T("creator", "jane@example.com")),
    ('title:"A Computer"', T("title", "A Computer")),
    ('creator:"jane doe@example.com"', T("creator", "jane doe@example.com")),
    ('tag:""', T("tag", "")),
    ('tag:"OR"', T("tag", "OR")),
    ("tag:OR", T("tag", "OR")),
    ("AND:x", T("AND", "x")),
    ("Status:failed", T("Status", "failed")),
    ('"http://example.com"', X("http://example.com")),
    ('"two words"', X("two words")),
    ('""', X("")),
    ("or", X("or")),
    ("and not", A(X("and"), X("not"))),
    ('"AND"', X("AND")),
    ("naïve 日本", A(X("naïve"), X("日本"))),
    ('title:"A"B', A(T("title", "A"), X("B"))),
    ('a"b"', A(X("a"), X("b"))),
]

ESCAPES = [
    (r'"say \"hi\""', X('say "hi"')),
    (r'"back\\slash"', X("back\\slash")),
    (r'title:"a\"b\\c"', T("title", 'a"b\\c')),
    (r'"\\"', X("\\")),
]

DATES = [
    ("created-after:2011", T("created-after", "2011")),
    ("created-after:2011-01-02T03:04:05Z", T("created-after", "2011-01-02T03:04:05Z")),
    ("created-before:2011-01-02T03:04+02:00", T("created-before", "2011-01-02T03:04+02:00")),
    ("created-after:2011-01 created-before:2011-02",
     A(T("created-after", "2011-01"), T("created-before", "2011-02"))),
]

COMPUTER = [
    ("computer:tag:server", C(T("tag", "server"))),
    ("computer:id:4", C(T("id", "4"))),
    ('computer:title:"A Computer"', C(T("title", "A Computer"))),
    ("computer:laptop", C(X("laptop"))),
    ('computer:"two words"', C(X("two words"))),
    ("computer:annotation:k:v", C(T("annotation", "k:v"))),
    ("computer:(tag:server OR tag:laptop)", C(O(T("tag", "server"), T("tag", "laptop")))),
    ("computer:(tag:a NOT tag:b)", C(A(T("tag", "a"), Not(T("tag", "b"))))),
    ("computer:(tag:a)", C(T("tag", "a"))),
    ("computer:computer:tag:a", C(C(T("tag", "a")))),
    ("NOT computer:tag:a OR status:failed", O(Not(C(T("tag", "a"))), T("status", "failed"))),
    ("computer:tag:a computer:tag:b", A(C(T("tag", "a")), C(T("tag", "b")))),
    ("computer:(computer:(a))", C(C(X("a")))),
]

WHITESPACE = [
    ("a\tb", A(X("a"), X("b"))),
    ("a\u00a0b", A(X("a"), X("b"))),
    ("\u2003 a \n\n OR\u3000b  ", O(X("a"), X("b"))),
    ("( a )", X("a")),
    ('title:"a\tb"', T("title", "a\tb")),
]


@pytest.mark.parametrize("source", EMPTY)
def test_empty_or_blank_query_is_none(source):
    assert parse(source) is None


@pytest.mark.parametrize(("source", "tree"),
                         PRECEDENCE + GROUPS + TERMS + ESCAPES + DATES + COMPUTER + WHITESPACE)
def test_tree(source, tree):
    assert parse(source) == tree


SPANS = [
    ("status:failed", (0, 13)),
    ('  title:"A b"  ', (2, 13)),
    ("a b", (0, 3)),
    ("(a b) c", (0, 7)),
    ("x (a OR b)", (0, 10)),
    ("NOT (a)", (0, 7)),
    ("computer:(tag:a)", (0, 16)),
]


@pytest.mark.parametrize(("source", "span"), SPANS)
def test_span_covers_the_source_of_the_node(source, span):
    assert parse(source).span == span


def test_spans_of_nested_terms():
    tree = parse('x computer:title:"A b" NOT y')
    text, computer, negation = tree.items
    assert (text.span, computer.span, negation.span) == ((0, 1), (2, 22), (23, 28))
    assert computer.query.span == (11, 22)
    assert computer.query.value_span == (17, 22)
    assert negation.operand.span == (27, 28)


def test_spans_do_not_take_part_in_equality():
    assert parse("  tag:a") == Term("tag", "a", (9, 9))


CANONICAL = [
    ("a AND b", "a b"),
    ("  a   OR\tb ", "a OR b"),
    ("(a b) c", "(a b) c"),
    ("a (b OR c)", "a b OR c"),
    ("(a OR b) OR c", "(a OR b) OR c"),
    ("NOT (a b)", "NOT (a b)"),
    ("NOT(a)", "NOT a"),
    ('title:"A Computer"', 'title:"A Computer"'),
    ('tag:"x"', "tag:x"),
    ('tag:""', 'tag:""'),
    ('"plain"', "plain"),
    ('"a:b"', '"a:b"'),
    ('"OR"', '"OR"'),
    ("or", "or"),
    (r'"q\"uote"', r'"q\"uote"'),
    ('"(x)"', '"(x)"'),
    ("computer:(tag:a OR tag:b)", "computer:(tag:a OR tag:b)"),
    ("computer:(tag:a)", "computer:tag:a"),
    ('computer:"a:b"', 'computer:"a:b"'),
    ('computer:title:"A b"', 'computer:title:"A b"'),
    ("annotation:k:v", "annotation:k:v"),
]


@pytest.mark.parametrize(("source", "canonical"), CANONICAL)
def test_str_is_canonical_and_parses_back(source, canonical):
    tree = parse(source)
    assert str(tree) == canonical
    assert parse(canonical) == tree
