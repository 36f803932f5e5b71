"""Properties: rendering round-trips, and no input raises anything but InvalidQuery."""
from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.store.vocabularies import ACTIVITY_VOCABULARY, COMPUTER_VOCABULARY
from query_language import (MAX_DEPTH, And, ComputerTerm, InvalidQuery, Not, Or, Term, Text,
                            compile_query, parse)

pytestmark = pytest.mark.property

SETTINGS = settings(max_examples=200, deadline=None)

KEYS = st.one_of(
    st.sampled_from(["status", "tag", "id", "title", "annotation", "AND", "OR", "NOT", "x"]),
    st.from_regex(r'[^\s"():]+', fullmatch=True).filter(lambda key: key != "computer"),
)
VALUES = st.one_of(
    st.sampled_from(["", "failed", "a:b", "two words", 'say "hi"', "back\\slash", "(x)", "OR",
                     "AND", "NOT", "or", "\u00a0", "é"]),
    st.text(max_size=12),
)
LEAVES = st.one_of(st.builds(Term, KEYS, VALUES), st.builds(Text, VALUES))


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    several = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.one_of(st.builds(And, several), st.builds(Or, several), st.builds(Not, children),
                     st.builds(ComputerTerm, children))


TREES = st.recursive(LEAVES, _extend, max_leaves=12)


def height(node) -> int:
    if isinstance(node, (And, Or)):
        return 1 + max(height(item) for item in node.items)
    if isinstance(node, Not):
        return 1 + height(node.operand)
    if isinstance(node, ComputerTerm):
        return 1 + height(node.query)
    return 1


SIGNIFICANT = st.lists(st.sampled_from(
    ['"', "\\", "(", ")", ":", " ", "\t", "\u00a0", "a", "b", "AND", "OR", "NOT", "computer",
     "tag", "status", "id", "1", "2011-01"]), max_size=30).map("".join)

CRAFTED = [
    "(" * 10000,
    ")" * 10000,
    "NOT " * 10000,
    "(" * 1000 + "a" + ")" * 1000,
    "(" * 4096,
    "NOT " * 1024,
    "computer:" * 455,
    "computer:(" * 400,
    '"' * 10001,
    '"' * 4095,
    "\\" * 4096,
    '"\\' * 2048,
    "a OR " * 819,
    "OR " * 1365,
    ":" * 4096,
    "a:" * 2048,
    "id:" + "9" * 4093,
    'x "' + "\\\\" * 2000,
    "status:" + "\u00a0" * 4000,
]


def only_invalid_query(source: str) -> None:
    for vocabulary in (ACTIVITY_VOCABULARY, COMPUTER_VOCABULARY):
        try:
            compile_query(source, vocabulary, account_id=1)
        except InvalidQuery as error:
            assert 0 <= error.position <= len(source)
            assert error.position + error.length <= len(source)
            str(error)


@SETTINGS
@given(TREES)
def test_rendered_tree_parses_back_to_an_equal_tree(tree):
    # Each level of the tree nests the rendered query at most twice (NOT or computer:, then
    # parentheses); deeper trees are valid trees that the parser refuses on purpose.
    assume(2 * height(tree) <= MAX_DEPTH)
    source = str(tree)
    assert parse(source) == tree
    assert str(parse(source)) == source


@SETTINGS
@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_invalid_query(source):
    only_invalid_query(source)


@SETTINGS
@given(SIGNIFICANT)
def test_arbitrary_syntax_raises_only_invalid_query(source):
    only_invalid_query(source)


@SETTINGS
@given(SIGNIFICANT)
def test_whatever_parses_renders_canonically(source):
    try:
        tree = parse(source)
    except InvalidQuery:
        return
    if tree is not None:
        assert parse(str(tree)) == tree


@pytest.mark.parametrize("source", CRAFTED, ids=lambda source: f"{source[:12]!r}x{len(source)}")
def test_crafted_inputs_raise_only_invalid_query(source):
    only_invalid_query(source)
