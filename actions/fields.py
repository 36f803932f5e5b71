"""Argument fields shared by the action families."""
from __future__ import annotations

from typing import Any

from app.encoding import String
from query_language import check_length


class Query(String):
    """A query in the language of QUERY.md.

    A query longer than ``query_language.MAX_QUERY_LENGTH`` is ``InvalidQuery`` (the
    parser's own refusal) while the arguments are read, whatever the action: one limit and
    one error code for every ``query`` argument.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            check_length(value)
        return super()._deserialize(value, attr, data, **kwargs)


def query_field(doc: str, **kwargs: Any) -> Query:
    """A ``query`` argument, optional and empty unless ``required=True`` or another
    ``load_default`` is given."""
    if not kwargs.get("required"):
        kwargs.setdefault("load_default", "")
    return Query(metadata={"doc": doc}, **kwargs)
