"""The event log through the legacy endpoint: ``GetEvents`` (DIALECTS.md §3)."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema

from app.encoding import Integer
from app.models import CallerRole
from app.store import event_reads
from app.store.vocabularies import EVENT_VOCABULARY
from query_language import compile_query

from .base import Action
from .fields import query_field
from .registry import register

EVENT_QUERY_DOC = ("Filter: type:T, action:A, stream:S, user:U (the actor's username), "
                   "target:\"activity 85\", id:N; a bare word matches the target or the "
                   "description. Terms combine with AND, OR, NOT and parentheses.")
#: entries per answer by default and at most
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


@register
class GetEvents(Action):
    """The account's event log, newest first: who changed what, when (Swarm's entries)."""

    role = CallerRole.AUDITOR
    errors = ("InvalidQuery",)

    class Args(Schema):
        query = query_field(EVENT_QUERY_DOC)
        after = Integer(minimum=1, load_default=None,
                        metadata={"doc": "Only entries with an id below this one (the "
                                         "last id of the previous page)."})
        limit = Integer(minimum=1, maximum=MAX_LIMIT, load_default=DEFAULT_LIMIT,
                        metadata={"doc": f"The maximum number of entries (1 to {MAX_LIMIT})."})

    def run(self, args: dict[str, Any]) -> list:
        condition = compile_query(args["query"], EVENT_VOCABULARY, account_id=self.account.id)
        return event_reads.page(self.account.id, event_reads.EventFilter(), args["after"],
                                args["limit"], condition, event_reads.ENTRY)
