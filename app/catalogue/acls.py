"""ACL rows: granting a point of contact its ACLs, obsoleting them, setting one ACL."""
from __future__ import annotations

from typing import Iterable

from peewee import EXCLUDED, chunked

from app.idset import in_ids
from app.models import ACLS, Acl, AclStatus, ListingACL, utcnow

from .permissions import group_of

CHUNK = 400


def maintainer_acls(user: str) -> tuple[str, ...]:
    """The ACLs a point of contact gets: all four, without ``approveacls`` for a group."""
    return tuple(a for a in ACLS if not (a == Acl.APPROVEACLS and group_of(user) is not None))


def upsert(changes: Iterable[tuple[int, str, str, str]]) -> None:
    """Set ACLs, inserting missing rows: ``(listing id, user, acl, status)`` each."""
    now = utcnow()
    rows = [{"listing": listing, "fas_name": user, "acl": acl, "status": status,
             "date_created": now} for listing, user, acl, status in changes]
    for batch in chunked(rows, CHUNK):
        (ListingACL.insert_many(batch)
         .on_conflict(conflict_target=[ListingACL.listing, ListingACL.fas_name, ListingACL.acl],
                      update={ListingACL.status: EXCLUDED.status})
         .execute())


def grant_maintainer(listing_ids: Iterable[int], user: str) -> None:
    """The point of contact ``user`` gets its ACLs Approved on those listings."""
    upsert((listing, user, acl, AclStatus.APPROVED) for listing in listing_ids
           for acl in maintainer_acls(user))


def obsolete_maintainer(listing_ids: list[int], user: str) -> None:
    """``user``'s Approved commit and approveacls on those listings become Obsolete."""
    (ListingACL.update(status=AclStatus.OBSOLETE)
     .where(in_ids(ListingACL.listing, listing_ids) & (ListingACL.fas_name == user)
            & ListingACL.acl.in_((Acl.COMMIT, Acl.APPROVEACLS))
            & (ListingACL.status == AclStatus.APPROVED))
     .execute())


def obsolete_all(listing_ids: list[int]) -> None:
    """Every ACL on those listings becomes Obsolete (retirement)."""
    ListingACL.update(status=AclStatus.OBSOLETE).where(
        in_ids(ListingACL.listing, listing_ids)).execute()
