"""Every kind of InvalidQuery: the exact message, span and caret rendering."""
from __future__ import annotations

import pytest

from app.store.vocabularies import ACTIVITY_VOCABULARY, COMPUTER_VOCABULARY
from query_language import InvalidQuery, compile_query, parse
from query_language.errors import did_you_mean


def error_of(source: str, vocabulary=ACTIVITY_VOCABULARY) -> InvalidQuery:
    with pytest.raises(InvalidQuery) as info:
        compile_query(source, vocabulary, account_id=1)
    return info.value


def lines(*text: str) -> str:
    return "\n".join(text)


SYNTAX_ERRORS = [
    ("status:", lines(
        "Expected a value after 'status:' (at position 7)",
        "    status:",
        "           ^")),
    ("status: failed", lines(
        "Expected a value after 'status:' (at position 7)",
        "    status: failed",
        "           ^")),
    ("computer: tag:x", lines(
        "Expected a value after 'computer:' (at position 9)",
        "    computer: tag:x",
        "             ^")),
    ("computer:tag:", lines(
        "Expected a value after 'tag:' (at position 13)",
        "    computer:tag:",
        "                 ^")),
    ("tag:(a)", lines(
        "Expected a value after 'tag:' (at position 4)",
        "    tag:(a)",
        "        ^")),
    ("(status:failed", lines(
        "Unclosed parenthesis opened at position 0",
        "    (status:failed",
        "    ^")),
    ("a (b (c) d", lines(
        "Unclosed parenthesis opened at position 2",
        "    a (b (c) d",
        "      ^")),
    ("(", lines(
        "Unclosed parenthesis opened at position 0",
        "    (",
        "    ^")),
    ('search "abc', lines(
        "Unterminated quoted string starting at position 7",
        '    search "abc',
        "           ~~~^")),
    ('title:"abc\\', lines(
        "Unterminated quoted string starting at position 6",
        '    title:"abc\\',
        "          ~~~~^")),
    ("status:failed) x", lines(
        "Unexpected ')' at position 13",
        "    status:failed) x",
        "                 ^")),
    ("()", lines(
        "Unexpected ')' at position 1",
        "    ()",
        "     ^")),
    ("NOT )", lines(
        "Unexpected ')' at position 4",
        "    NOT )",
        "        ^")),
    ("OR status:failed", lines(
        "'OR' needs a term on both sides (at position 0)",
        "    OR status:failed",
        "    ~^")),
    ("a OR", lines(
        "'OR' needs a term on both sides (at position 2)",
        "    a OR",
        "      ~^")),
    ("(a OR) b", lines(
        "'OR' needs a term on both sides (at position 3)",
        "    (a OR) b",
        "       ~^")),
    ("a AND AND b", lines(
        "'AND' needs a term on both sides (at position 6)",
        "    a AND AND b",
        "          ~~^")),
    ("NOT OR a", lines(
        "'OR' needs a term on both sides (at position 4)",
        "    NOT OR a",
        "        ~^")),
    ("a NOT", lines(
        "Expected a term after 'NOT' (at position 5)",
        "    a NOT",
        "         ^")),
    ('"a\\b"', lines(
        "Expected '\"' or '\\' after '\\' in quoted string (at position 2)",
        '    "a\\b"',
        "      ~^")),
    (":x", lines(
        "Expected a criterion before ':' (at position 0)",
        "    :x",
        "    ^")),
    ("a\t)", lines(  # whitespace is shown as spaces so that the marker stays aligned
        "Unexpected ')' at position 2",
        "    a )",
        "      ^")),
]

LIMITS = [
    ("x" * 4097, "Query is too long", 4096, 1),
    ("a " * 257, "Query has too many terms", 512, 1),
    ("(" * 33 + "a" + ")" * 33, "Query is nested too deeply", 32, 1),
    ("NOT " * 33 + "a", "Query is nested too deeply", 128, 3),
    ("computer:" * 33 + "a", "Query is nested too deeply", 288, 8),
    ("NOT (" * 16 + "NOT a" + ")" * 16, "Query is nested too deeply", 80, 3),
]

AT_THE_LIMITS = [
    "x" * 4096,
    "a " * 256,
    "(" * 32 + "a" + ")" * 32,
    "NOT " * 32 + "a",
    "computer:" * 32 + "a",
]

VALUE_ERRORS = [
    ("stauts:failed", ACTIVITY_VOCABULARY, lines(
        "Unknown criterion 'stauts'. Did you mean 'status'?",
        "    stauts:failed",
        "    ~~~~~^")),
    ("Status:failed", ACTIVITY_VOCABULARY, lines(
        "Unknown criterion 'Status'. Did you mean 'status'?",
        "    Status:failed",
        "    ~~~~~^")),
    ("foo:bar", ACTIVITY_VOCABULARY, lines(
        "Unknown criterion 'foo' (expected one of: completed-ge, completed-gt, completed-le, "
        "completed-lt, computer, created-after, created-before, created-ge, created-gt, "
        "created-le, created-lt, creator, id, parent-id, status, type, updated-ge, "
        "updated-gt, updated-le, updated-lt)",
        "    foo:bar",
        "    ~~^")),
    ("computer:(tagg:x)", ACTIVITY_VOCABULARY, lines(
        "Unknown criterion 'tagg'. Did you mean 'tag'?",
        "    computer:(tagg:x)",
        "              ~~~^")),
    ("computer:tag:x", COMPUTER_VOCABULARY, lines(
        "Unknown criterion 'computer' (expected one of: access-group, annotation, "
        "distribution, hostname, id, ip, mac, needs, tag, title)",
        "    computer:tag:x",
        "    ~~~~~~~^")),
    ("status:done", ACTIVITY_VOCABULARY, lines(
        "Invalid status 'done' (expected one of: canceled, delivered, failed, scheduled, "
        "succeeded, undelivered, unapproved)",
        "    status:done",
        "           ~~~^")),
    ("id:abc", ACTIVITY_VOCABULARY, lines(
        "Invalid id 'abc' (expected a non-negative integer)",
        "    id:abc",
        "       ~~^")),
    ("parent-id:-1", ACTIVITY_VOCABULARY, lines(
        "Invalid parent-id '-1' (expected a non-negative integer)",
        "    parent-id:-1",
        "              ~^")),
    ("id:99999999999999999999", COMPUTER_VOCABULARY, lines(
        "Invalid id '99999999999999999999' (too large)",
        "    id:99999999999999999999",
        "       ~~~~~~~~~~~~~~~~~~~^")),
    ("created-after:2011-13", ACTIVITY_VOCABULARY, lines(
        "Invalid date '2011-13'",
        "    created-after:2011-13",
        "                  ~~~~~~^")),
    ('created-before:"2011 01"', ACTIVITY_VOCABULARY, lines(
        "Invalid date '2011 01'",
        '    created-before:"2011 01"',
        "                   ~~~~~~~~^")),
    ("type:ChangePackageRequest", ACTIVITY_VOCABULARY, lines(
        "Invalid type 'ChangePackageRequest' (expected a known activity type). "
        "Did you mean 'ChangePackagesRequest'?",
        "    type:ChangePackageRequest",
        "         ~~~~~~~~~~~~~~~~~~~^")),
    ("type:Foo", ACTIVITY_VOCABULARY, lines(
        "Invalid type 'Foo' (expected a known activity type)",
        "    type:Foo",
        "         ~~^")),
    ("needs:restart", COMPUTER_VOCABULARY, lines(
        "Invalid needs 'restart' (expected one of: reboot)",
        "    needs:restart",
        "          ~~~~~~^")),
    ("annotation::v", COMPUTER_VOCABULARY, lines(
        "Invalid annotation ':v' (expected KEY or KEY:VALUE)",
        "    annotation::v",
        "               ~^")),
]

BAD_DATES = ["2011-13", "2011-02-30", "11-01-01", "2011-1-1", "2011-01-01T24", "2011-01-01T10:60",
             "2011-01-01T10:00:60", "2011-01-01 10:00", "2011-01-01T10+2", "2011-01-01T10+24:00",
             "2011-01-01T10:00Z+01:00", "0000", "0001-01-01T00:00+00:01", "9999-12-31T23:59-00:01",
             "２０１１", "2011-01-01t10", ""]


@pytest.mark.parametrize(("source", "rendered"), SYNTAX_ERRORS)
def test_syntax_error(source, rendered):
    error = error_of(source)
    assert str(error) == rendered
    assert error.message == rendered.split("\n")[0]
    assert error.source == source


@pytest.mark.parametrize(("source", "message", "position", "length"), LIMITS)
def test_limits(source, message, position, length):
    with pytest.raises(InvalidQuery) as info:
        parse(source)
    assert (info.value.message, info.value.position, info.value.length) == (
        message, position, length)


def test_too_long_shows_where_the_limit_is():
    rendered = str(error_of("a" * 4099)).split("\n")
    assert rendered[0] == "Query is too long"
    assert rendered[2] == "    " + " " * 4096 + "~~^"


@pytest.mark.parametrize("source", AT_THE_LIMITS)
def test_exactly_at_the_limits_is_fine(source):
    assert parse(source) is not None


@pytest.mark.parametrize(("source", "vocabulary", "rendered"), VALUE_ERRORS)
def test_value_error(source, vocabulary, rendered):
    assert str(error_of(source, vocabulary)) == rendered


def test_value_error_attributes_for_the_gateway():
    error = error_of("status:failed stauts:failed")
    assert (error.message, error.position, error.length) == (
        "Unknown criterion 'stauts'. Did you mean 'status'?", 14, 6)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("date", BAD_DATES)
def test_invalid_dates(date):
    assert error_of(f'created-after:"{date}"').message == f"Invalid date '{date}'"


def test_errors_come_out_left_to_right():
    assert error_of('a) "unterminated').message == "Unexpected ')' at position 1"
    assert error_of('(a "unterminated').message == (
        "Unterminated quoted string starting at position 3")
    assert error_of("stauts:x status:done").message.startswith("Unknown criterion 'stauts'")


DID_YOU_MEAN = [
    ("stauts", ["status", "id"], ". Did you mean 'status'?"),
    ("STATUS", ["status"], ". Did you mean 'status'?"),
    ("xyz", ["status", "id"], ""),
    ("x", [], ""),
]


@pytest.mark.parametrize(("word", "choices", "hint"), DID_YOU_MEAN)
def test_did_you_mean(word, choices, hint):
    assert did_you_mean(word, choices) == hint
