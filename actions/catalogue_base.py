"""What every catalogue action shares: the calling :class:`Actor`, queries, the log."""
from __future__ import annotations

from functools import cached_property
from typing import Iterable

from peewee import ColumnBase

from app.catalogue import log
from app.catalogue.permissions import Actor, actor_for
from app.encoding import String
from query_language import Vocabulary, compile_query

from .base import Action


def query_field() -> String:
    return String(max_length=4096, load_default=None,
                  metadata={"doc": "A filter in the query language (QUERY.md §3.3–3.4)."})


class CatalogueAction(Action):
    """An action on the caller's catalogue."""

    @cached_property
    def actor(self) -> Actor:
        return actor_for(self.call.caller.person)

    def filter(self, source: str | None, vocabulary: Vocabulary) -> ColumnBase | None:
        """The compiled ``query`` argument (``None`` when absent or blank)."""
        if source is None:
            return None
        return compile_query(source, vocabulary, account_id=self.account.id)

    def log(self, lines: Iterable[tuple[int | None, str]]) -> None:
        """Write the change's success messages to the catalogue log."""
        log.record(self.account, self.actor.username, lines)
