"""Tests of the query language: tokenizer, parser, errors, compiler and properties."""
