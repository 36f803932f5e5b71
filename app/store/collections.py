"""Collections (branches) of an account: listing, creating, changing their status."""
from __future__ import annotations

from typing import Any

from peewee import ColumnBase

from app.catalogue.patterns import matches
from app.models import Account, Collection, utcnow


def find_collections(account: Account, pattern: str | None, statuses: list[str],
                     condition: ColumnBase | None) -> list[Collection]:
    """The account's collections whose branch name matches ``pattern``, in one of
    ``statuses`` and matching the compiled ``condition`` (each when given), by id."""
    query = Collection.select().where(Collection.account == account)
    if pattern is not None:
        query = query.where(matches(Collection.branchname, pattern))
    if statuses:
        query = query.where(Collection.status.in_(statuses))
    if condition is not None:
        query = query.where(condition)
    return list(query.order_by(Collection.id))


def clash(account: Account, *, branchname: str, dist_tag: str, name: str, version: str
          ) -> str | None:
    """What a new collection would share with one of the account's (``branchname``,
    ``dist_tag`` or ``name and version``), or None."""
    mine = Collection.account == account
    clashes = (("branchname", Collection.branchname == branchname),
               ("dist_tag", Collection.dist_tag == dist_tag),
               ("name and version", (Collection.name == name) & (Collection.version == version)))
    for what, condition in clashes:
        if Collection.select().where(mine & condition).exists():
            return what
    return None


def create_collection(account: Account, **columns: Any) -> Collection:
    """A new collection of the account with these columns, created and updated now."""
    now = utcnow()
    return Collection.create(account=account, date_created=now, date_updated=now, **columns)


def set_collection_status(collection: Collection, status: str) -> None:
    """Change the collection's status (and its update time)."""
    Collection.update(status=status, date_updated=utcnow()).where(
        Collection.id == collection.id).execute()
