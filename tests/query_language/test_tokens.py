"""The tokenizer: kinds, texts and positions; quoting; whitespace; look-ahead helpers."""
from __future__ import annotations

import re
import sys

import pytest

from query_language.tokens import END, SPACE, Token, Tokenizer, quote, unquote


def tokens_of(source: str) -> list[tuple[str, str, int]]:
    tokenizer = Tokenizer(source)
    found = []
    while not tokenizer.check(END):
        token = tokenizer.read()
        found.append((token.kind, token.text, token.position))
    return found


TOKENS = [
    ("", []),
    ("   ", []),
    ("word", [("WORD", "word", 0)]),
    ("  a  b ", [("WORD", "a", 2), ("WORD", "b", 5)]),
    ("status:failed", [("WORD", "status:failed", 0)]),
    ("a:b:c", [("WORD", "a:b:c", 0)]),
    ("(a)", [("LPAREN", "(", 0), ("WORD", "a", 1), ("RPAREN", ")", 2)]),
    ("a(b)c", [("WORD", "a", 0), ("LPAREN", "(", 1), ("WORD", "b", 2), ("RPAREN", ")", 3),
               ("WORD", "c", 4)]),
    ('"two words"', [("QUOTED", '"two words"', 0)]),
    ('""', [("QUOTED", '""', 0)]),
    ('"a(b)c"', [("QUOTED", '"a(b)c"', 0)]),
    ('"x" "y"', [("QUOTED", '"x"', 0), ("QUOTED", '"y"', 4)]),
    ('title:"A Computer"', [("WORD", "title:", 0), ("QUOTED", '"A Computer"', 6)]),
    ('computer:(tag:a)', [("WORD", "computer:", 0), ("LPAREN", "(", 9),
                          ("WORD", "tag:a", 10), ("RPAREN", ")", 15)]),
    (r'"say \"hi\" \\ bye"', [("QUOTED", r'"say \"hi\" \\ bye"', 0)]),
]

KEYWORDS = [
    ("a AND b", ["WORD", "AND", "WORD"]),
    ("a OR b", ["WORD", "OR", "WORD"]),
    ("NOT a", ["NOT", "WORD"]),
    ("a and b or not c", ["WORD"] * 6),
    ("And Or Not", ["WORD"] * 3),
    ("ANDROID ORB NOTE", ["WORD"] * 3),
    ("AND:x OR:y NOT:z", ["WORD"] * 3),
    ("NOT(a)OR(b)", ["NOT", "LPAREN", "WORD", "RPAREN", "OR", "LPAREN", "WORD", "RPAREN"]),
    ('"AND" "OR"', ["QUOTED", "QUOTED"]),
]

WHITESPACE = ["a\tb", "a\nb", "a\r\nb", "a\u00a0b", "a\u2003b", "a\u3000b", "a \t\u00a0 b"]


@pytest.mark.parametrize(("source", "expected"), TOKENS)
def test_tokens(source, expected):
    assert tokens_of(source) == expected


@pytest.mark.parametrize(("source", "kinds"), KEYWORDS)
def test_keywords_are_upper_case_whole_words(source, kinds):
    assert [kind for kind, _, _ in tokens_of(source)] == kinds


@pytest.mark.parametrize("source", WHITESPACE)
def test_any_unicode_whitespace_separates(source):
    assert [text for _, text, _ in tokens_of(source)] == ["a", "b"]


def test_end_token_is_at_the_end_after_trailing_whitespace():
    tokenizer = Tokenizer("a  ")
    tokenizer.read()
    assert tokenizer.next == Token("END", "", 3)
    assert tokenizer.last_end == 1


def test_check_consume_and_adjacency():
    tokenizer = Tokenizer('key:"v" (x')
    assert tokenizer.check("WORD") and not tokenizer.check("QUOTED")
    assert tokenizer.consume("QUOTED") is None
    assert tokenizer.consume("WORD") == Token("WORD", "key:", 0)
    assert tokenizer.check_adjacent("QUOTED")
    tokenizer.read()
    assert tokenizer.check("LPAREN") and not tokenizer.check_adjacent("LPAREN")


UNQUOTED = [
    ('""', ""),
    ('"plain"', "plain"),
    (r'"a\"b"', 'a"b'),
    (r'"a\\b"', "a\\b"),
    (r'"\\\""', '\\"'),
    ('"(:)"', "(:)"),
]


@pytest.mark.parametrize(("text", "value"), UNQUOTED)
def test_unquote_and_quote_are_inverse(text, value):
    assert unquote(text) == value
    assert quote(value) == text


def test_space_is_what_backslash_s_matches():
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    assert re.findall(f"[{SPACE}]", every_character) == re.findall(r"\s", every_character)


@pytest.mark.parametrize("source", ['"' + '\\"' * 2000, 'a "b" "c\\x" ' + '"d' * 1000])
def test_a_bad_quote_takes_the_rest_of_the_query_as_one_token(source):
    # Split up front, each later quote would otherwise be rescanned to the end: quadratic.
    from query_language import tokens
    pairs = tokens._TOKEN.findall(source)
    bad = next(text for _, text in pairs if text.startswith('"') and
               not tokens._QUOTED.fullmatch(text))
    assert source.endswith(bad) and pairs[-1] == ("", "")
