"""The actiongate query language (spec: QUERY.md): one parser, several vocabularies.

Grammar (each rule is also the docstring of its ``_Parser.parse_*`` method)::

    query       = [ conjunction ] END             (empty or blank: matches everything)
    conjunction = disjunction { ["AND"] disjunction }     (juxtaposition = AND)
    disjunction = unary { "OR" unary }
    unary       = "NOT" unary | primary
    primary     = "(" conjunction ")" | term
    term        = KEY ":" value | value            (a bare value is free text)
    value       = WORD | QUOTED
    computer_value = term | "(" conjunction ")"    (the value of ``computer:``)
    QUOTED      = '"' { any char but '"' or '\\' | '\\"' | '\\\\' } '"'
    WORD        = a run of characters other than whitespace, '"', '(' and ')'

So ``NOT`` binds tightest, then ``OR``, then ``AND``: ``a b OR c`` is ``a AND (b OR c)``.
Keywords are upper case only; ``KEY:value`` splits at the first colon; a WORD ending in a
colon may carry a quoted value (``title:"A Computer"``) and ``computer:`` a parenthesised
query (``computer:(tag:a OR tag:b)``), both without whitespace after the colon.

Translation: :func:`compile_query` turns the tree into a Peewee expression through a
:class:`~query_language.vocabularies.Vocabulary`, an explicit table of criteria
(the store layer declares the vocabularies that name its columns): ``AND``,
``OR`` and ``NOT`` become SQL ``AND``, ``OR`` and ``NOT``, each ``KEY:value`` the
criterion's expression with the value bound as a parameter, ``computer:`` a sub-select of
the caller's account's computers, and free text a case-insensitive ``LIKE`` with ``%``,
``_`` and ``\\`` escaped.  Every problem is an :class:`InvalidQuery` with a span.

Self-contained: imports Peewee and the standard library, nothing of the project.
"""
from __future__ import annotations

from .compiler import compile_node, compile_query
from .errors import InvalidQuery
from .nodes import And, ComputerTerm, Node, Not, Or, Term, Text
from .parser import MAX_DEPTH, MAX_QUERY_LENGTH, MAX_TERMS, check_length, parse
from .values import parse_date
from .vocabularies import Criterion, Related, Subquery, Vocabulary

__all__ = [
    "MAX_DEPTH", "MAX_QUERY_LENGTH", "MAX_TERMS", "And", "ComputerTerm", "Criterion",
    "InvalidQuery", "Node", "Not", "Or", "Related", "Subquery", "Term", "Text", "Vocabulary",
    "check_length", "compile_node", "compile_query", "parse", "parse_date",
]
