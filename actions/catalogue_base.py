"""What every catalogue action shares: the calling :class:`Actor`, queries, the log."""
from __future__ import annotations

from functools import cached_property
from typing import Any, Iterable, Sequence

from peewee import ColumnBase

from marshmallow import Schema

from app.catalogue import bulk, events, log
from app.catalogue.fields import MonitorStatus, flag, name, names, namespace
from app.db import advisory_lock
from app.encoding import String
from app.catalogue.permissions import Actor, actor_for
from query_language import Vocabulary, compile_query

from .base import Action
from app.models import CallerRole, EventAction

#: the first key of the catalogue writers' advisory locks ("Ctlg")
CATALOGUE_LOCK_SPACE = 0x43746C67


CATALOGUE_QUERY_DOC = "A filter in the query language (QUERY.md §3.3–3.4)."


class CatalogueAction(Action):
    """An action on the caller's catalogue."""

    def before_writing(self) -> None:
        # Catalogue changes validate before they write; serialising them per account keeps
        # two concurrent changes from both passing validation on PostgreSQL.
        advisory_lock(CATALOGUE_LOCK_SPACE, self.account.id)

    @cached_property
    def actor(self) -> Actor:
        return actor_for(self.person)

    def filter(self, source: str | None, vocabulary: Vocabulary) -> ColumnBase | None:
        """The compiled ``query`` argument (``None`` when absent or blank)."""
        if source is None:
            return None
        return compile_query(source, vocabulary, account_id=self.account.id)

    def log(self, lines: Iterable[tuple[int | None, str]]) -> None:
        """Write the change's success messages to the catalogue log."""
        log.record(self.account, self.actor.username, lines)

    def record(self, drafts: Sequence[events.Draft],
               followers: events.Followers | None = None) -> None:
        """Write the change's events (DIALECTS.md §3), acted by the caller."""
        events.record(self.account, self.actor.username, drafts, followers)


BULK_ERRORS = ("MultiError", "UnknownPackage", "UnknownCollection", "UnknownListing",
               "InvalidPackageStatusChange")


class BulkAction(CatalogueAction):
    """A change of listings over ``pkgnames × branches``."""

    role = CallerRole.MANAGER
    writes = True
    errors = BULK_ERRORS
    #: pkgdb2's sentences for a missing package, collection or listing
    sentences: bulk.Sentences
    #: whether a listing on an EOL collection counts
    eol = True

    def pairs(self, args: dict[str, Any], refusals: bulk.Refusals) -> list[bulk.Pair]:
        return bulk.resolve(self.account, args["pkgnames"], args["branches"],
                            args["namespace"], self.sentences, refusals, eol=self.eol)

    def record_listings(self, pairs: list[bulk.Pair], verb: EventAction, old: str,
                        new: str | bool, joining: str | None = None) -> None:
        """One event per listing, set-based; call it once the change is allowed, before its
        updates (see :func:`app.catalogue.events.record_listing_changes`)."""
        events.record_listing_changes(self.account, self.actor.username, pairs, verb, old, new,
                                      joining)

    def done(self, lines: list[tuple[int, str]]) -> dict:
        self.log(lines)
        return {"messages": [message for _, message in lines]}


class PairArgs(Schema):
    pkgnames = names("The package names.")
    branches = names("The branch names.")
    namespace = namespace()


class NewPackageArgs(Schema):
    """What describes a new package (CreatePackage, RequestPackage)."""

    pkgname = name("The package name.", required=True)
    summary = String(required=True, metadata={"doc": "One-line summary."})
    description = String(load_default=None, metadata={"doc": "Description."})
    review_url = String(required=True, metadata={"doc": "The review (URL or bug number)."})
    upstream_url = String(load_default=None, metadata={"doc": "The upstream project."})
    branches = names("The branches.")
    namespace = namespace()
    monitoring_status = MonitorStatus(load_default="true",
                                      metadata={"doc": "true, false or nobuild."})
    koschei = flag("Monitored by koschei.")
