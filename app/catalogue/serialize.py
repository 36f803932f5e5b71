"""The catalogue's JSON shapes, with pkgdb2's field names (``../seeds/pkgdb2-api.txt``)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from app.models import Acl, AclStatus, AdminAction, Collection, ListingACL, Package, PackageListing

from .pending import shown_status

DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
#: the synthetic ACL pkgdb2 shows on every listing of a package's info
PROVENPACKAGER = {"fas_name": "group::provenpackager", "acl": Acl.COMMIT,
                  "status": AclStatus.APPROVED}
#: packages provenpackagers may not commit to (pkgdb2's PKGS_NOT_PROVENPACKAGER)
NOT_PROVENPACKAGER: frozenset[str] = frozenset()


def date_text(moment: datetime | None) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` (collections, pending ACLs)."""
    return None if moment is None else moment.strftime(DATE_FORMAT)


def monitor_value(stored: str) -> bool | str:
    """The wire value of the monitoring flag: true, false or ``"nobuild"``."""
    return stored == "true" if stored in ("true", "false") else stored


def collection_json(collection: Collection) -> dict[str, Any]:
    """A collection as GetCollections shows it (the owner stays hidden)."""
    return {"name": collection.name, "version": collection.version,
            "branchname": collection.branchname, "status": collection.status,
            "koji_name": collection.koji_name, "dist_tag": collection.dist_tag,
            "allow_retire": collection.allow_retire,
            "date_created": date_text(collection.date_created),
            "date_updated": date_text(collection.date_updated)}


def package_json(package: Package, acls: list | None = None) -> dict[str, Any]:
    """A package; ``acls`` is its listings where asked for, else empty."""
    return {"name": package.name, "namespace": package.namespace,
            "summary": package.summary, "description": package.description,
            "status": package.status, "review_url": package.review_url,
            "upstream_url": package.upstream_url, "creation_date": package.creation_date,
            "monitor": monitor_value(package.monitor),
            "koschei_monitor": package.koschei_monitor, "acls": acls or []}


def acl_json(acl: ListingACL) -> dict[str, str]:
    return {"fas_name": acl.fas_name, "acl": acl.acl, "status": acl.status}


def listing_json(listing: PackageListing, *, package: dict | None,
                 acls: list[ListingACL] | None = None,
                 provenpackager: bool = False) -> dict[str, Any]:
    """A listing; ``acls`` when given (plus provenpackager's commit, if asked, on a listing
    that has ACLs)."""
    data: dict[str, Any] = {"point_of_contact": listing.point_of_contact,
                            "critpath": listing.critpath, "status": listing.status,
                            "status_change": listing.status_change, "package": package,
                            "collection": collection_json(listing.collection)}
    if acls is not None:
        data["acls"] = [acl_json(acl) for acl in acls]
        if acls and provenpackager:
            data["acls"].append(dict(PROVENPACKAGER))
    return data


def action_json(action: AdminAction, collections: dict[int, Collection], now: float
                ) -> dict[str, Any]:
    """An admin action with its package (or null) and collections (``collections`` maps
    the account's collection ids to collections, so a list costs no query per action)."""
    return {"id": action.id, "action": action.action, "user": action.user,
            "status": shown_status(action, now),
            "package": package_json(action.package) if action.package_id else None,
            "collection": collection_json(collections[action.collection_id]),
            "from_collection": (collection_json(collections[action.from_collection_id])
                                if action.from_collection_id else None),
            "info": action.info or {}, "message": action.message,
            "date_created": action.date_created, "date_updated": action.date_updated}
