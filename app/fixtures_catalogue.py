"""The catalogue's fixture sections (CONTRACT §6.1): collections, packages, package_listings,
acls and admin_actions, in that order (later sections refer to earlier records by name)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from peewee import JOIN

from .catalogue.serialize import DATE_FORMAT, date_text, monitor_value
from .prepared import PreparedQuery
from .fixtures import FixtureError, Section, _account
from .models import (ACL_STATUSES, ACLS, ADMIN_ACTION_STATUSES, ADMIN_ACTIONS,
                     COLLECTION_STATUSES, ORPHAN, PACKAGE_STATUSES, Account, AclStatus,
                     AdminAction, AdminActionStatus, Collection, CollectionStatus, ListingACL,
                     Package, PackageListing, PackageStatus)
from .timefmt import WIRE_FORMAT


def _choice(record: dict, key: str, choices: tuple[str, ...], default: Any) -> Any:
    value = record.get(key, default)
    if value not in choices:
        raise FixtureError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _date(record: dict, key: str) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` (the catalogue's form) or ``YYYY-MM-DDTHH:MM:SSZ``."""
    value = record.get(key)
    if value is None:
        return None
    for form in (DATE_FORMAT, WIRE_FORMAT):
        try:
            return datetime.strptime(value, form)
        except (TypeError, ValueError):
            continue
    raise FixtureError(f"{key} must be YYYY-MM-DD HH:MM:SS, not {value!r}")


def _epoch(record: dict, key: str) -> dict[str, float]:
    if key not in record:
        return {}
    value = record[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FixtureError(f"{key} must be an epoch timestamp, not {value!r}")
    return {key: float(value)}


def _collection(account: Account, branch: Any, key: str = "collection") -> Collection:
    found = Collection.get_or_none((Collection.account == account)
                                   & (Collection.branchname == branch))
    if found is None:
        raise FixtureError(f"{key} {branch!r} is not a collection of account {account.name!r}")
    return found


def _package(account: Account, record: dict) -> Package:
    name, namespace = record["package"], record.get("namespace", "rpms")
    found = Package.get_or_none((Package.account == account) & (Package.name == name)
                                & (Package.namespace == namespace))
    if found is None:
        raise FixtureError(f"package {namespace}/{name} is not a package of account "
                           f"{account.name!r}")
    return found


# -- collections -----------------------------------------------------------------------------

def _load_collection(record: dict) -> None:
    branch = record["branchname"]
    values = {"name": record.get("name", "Fedora"), "version": record.get("version", branch),
              "status": _choice(record, "status", COLLECTION_STATUSES, CollectionStatus.ACTIVE),
              "branchname": branch, "dist_tag": record.get("dist_tag", f".{branch}"),
              "koji_name": record.get("koji_name"),
              "allow_retire": bool(record.get("allow_retire", False))}
    for key in ("date_created", "date_updated"):
        if key in record:
            values[key] = _date(record, key)
    Collection.create(account=_account(record["account"]), **values)


def _dump_collections(account: Account, secrets: bool) -> list[dict]:
    return [{"account": account.name, "name": c.name, "version": c.version,
             "status": c.status, "branchname": c.branchname, "dist_tag": c.dist_tag,
             "koji_name": c.koji_name, "allow_retire": c.allow_retire,
             "date_created": date_text(c.date_created),
             "date_updated": date_text(c.date_updated)}
            for c in Collection.select().where(Collection.account == account)
            .order_by(Collection.id)]


# -- packages --------------------------------------------------------------------------------

PACKAGE_TEXTS = ("summary", "description", "review_url", "upstream_url")
_MONITOR = {True: "true", False: "false", "nobuild": "nobuild"}


def _load_package(record: dict) -> None:
    values: dict[str, Any] = {key: record[key] for key in PACKAGE_TEXTS if key in record}
    values["namespace"] = record.get("namespace", "rpms")
    values["status"] = _choice(record, "status", PACKAGE_STATUSES, PackageStatus.APPROVED)
    monitor = record.get("monitor", False)
    if not (isinstance(monitor, bool) or monitor == "nobuild"):
        raise FixtureError(f"monitor must be true, false or \"nobuild\", not {monitor!r}")
    values["monitor"] = _MONITOR[monitor]
    values["koschei_monitor"] = bool(record.get("koschei_monitor", False))
    values.update(_epoch(record, "creation_date"))
    if "id" in record:
        values["id"] = record["id"]
    Package.create(account=_account(record["account"]), name=record["name"], **values)


def _dump_packages(account: Account, secrets: bool) -> list[dict]:
    return [{"id": p.id, "account": account.name, "name": p.name, "namespace": p.namespace,
             **{key: getattr(p, key) for key in PACKAGE_TEXTS}, "status": p.status,
             "creation_date": p.creation_date, "monitor": monitor_value(p.monitor),
             "koschei_monitor": p.koschei_monitor}
            for p in Package.select().where(Package.account == account).order_by(Package.id)]


# -- listings and ACLs -----------------------------------------------------------------------

def _load_listing(record: dict) -> None:
    account = _account(record["account"])
    values = {"point_of_contact": record.get("point_of_contact", ORPHAN),
              "status": _choice(record, "status", PACKAGE_STATUSES, PackageStatus.APPROVED),
              "critpath": bool(record.get("critpath", False)),
              **_epoch(record, "status_change")}
    PackageListing.create(package=_package(account, record),
                          collection=_collection(account, record["collection"]), **values)


def _listings(account: Account):
    return (PackageListing.select(PackageListing, Package, Collection)
            .join(Package).switch(PackageListing).join(Collection)
            .where(Package.account == account))


def _dump_listings(account: Account, secrets: bool) -> list[dict]:
    return [{"account": account.name, "package": pl.package.name,
             "namespace": pl.package.namespace, "collection": pl.collection.branchname,
             "point_of_contact": pl.point_of_contact, "status": pl.status,
             "critpath": pl.critpath, "status_change": pl.status_change}
            for pl in _listings(account).order_by(PackageListing.id)]


#: the listing an ACL record names, in one query (ACLs are the bulk of a catalogue)
_LISTING_ID = PreparedQuery(
    lambda: (PackageListing.select(PackageListing.id).join(Package).join(Account)
             .switch(PackageListing).join(Collection)
             .where((Account.name == "account_name") & (Package.name == "package_name")
                    & (Package.namespace == "namespace_name")
                    & (Collection.branchname == "branch_name")
                    & (Collection.account == Account.id))),
    account_name="account_name", package_name="package_name", namespace_name="namespace_name",
    branch_name="branch_name")


def _load_acl(record: dict) -> None:
    row = _LISTING_ID.execute(account_name=record["account"], package_name=record["package"],
                              namespace_name=record.get("namespace", "rpms"),
                              branch_name=record["collection"]).fetchone()
    if row is None:  # say which part is missing
        account = _account(record["account"])
        _package(account, record)
        _collection(account, record["collection"])
        raise FixtureError(f"package {record['package']} has no listing on "
                           f"{record['collection']!r}")
    listing = row[0]
    values = {"fas_name": record["fas_name"], "acl": _choice(record, "acl", ACLS, None),
              "status": _choice(record, "status", ACL_STATUSES, AclStatus.APPROVED)}
    if "date_created" in record:
        values["date_created"] = _date(record, "date_created")
    ListingACL.create(listing=listing, **values)


def _dump_acls(account: Account, secrets: bool) -> list[dict]:
    rows = (ListingACL.select(ListingACL, PackageListing, Package, Collection)
            .join(PackageListing).join(Package).switch(PackageListing).join(Collection)
            .where(Package.account == account).order_by(ListingACL.id))
    return [{"account": account.name, "package": acl.listing.package.name,
             "namespace": acl.listing.package.namespace,
             "collection": acl.listing.collection.branchname, "fas_name": acl.fas_name,
             "acl": acl.acl, "status": acl.status,
             "date_created": date_text(acl.date_created)} for acl in rows]


# -- admin actions ---------------------------------------------------------------------------

def _load_admin_action(record: dict) -> None:
    account = _account(record["account"])
    info = record.get("info") or {}
    if not isinstance(info, dict):
        raise FixtureError("info must be an object")
    values: dict[str, Any] = {
        "action": _choice(record, "action", ADMIN_ACTIONS, None), "user": record["user"],
        "status": _choice(record, "status", ADMIN_ACTION_STATUSES,
                          AdminActionStatus.AWAITING_REVIEW),
        "collection": _collection(account, record["collection"]), "info": info,
        "message": record.get("message"),
        **_epoch(record, "date_created"), **_epoch(record, "date_updated")}
    if record.get("package") is not None:
        values["package"] = _package(account, record)
    if record.get("from_collection") is not None:
        values["from_collection"] = _collection(account, record["from_collection"],
                                                "from_collection")
    if "id" in record:
        values["id"] = record["id"]
    AdminAction.create(account=account, **values)


def _dump_admin_actions(account: Account, secrets: bool) -> list[dict]:
    branches = dict(Collection.select(Collection.id, Collection.branchname)
                    .where(Collection.account == account).tuples())
    out = []
    for action in (AdminAction.select(AdminAction, Package).join(Package, JOIN.LEFT_OUTER)
                   .where(AdminAction.account == account).order_by(AdminAction.id)):
        package = action.package if action.package_id else None
        out.append({"id": action.id, "account": account.name, "action": action.action,
                    "user": action.user, "status": action.status,
                    "package": package.name if package else None,
                    "namespace": package.namespace if package else None,
                    "collection": branches[action.collection_id],
                    "from_collection": branches.get(action.from_collection_id),
                    "info": action.info, "message": action.message,
                    "date_created": action.date_created,
                    "date_updated": action.date_updated})
    return out


CATALOGUE_SECTIONS = [
    Section("collections", ("account", "branchname"),
            ("name", "version", "status", "dist_tag", "koji_name", "allow_retire",
             "date_created", "date_updated"), _load_collection, _dump_collections),
    Section("packages", ("account", "name"),
            ("id", "namespace", "status", "creation_date", "monitor", "koschei_monitor")
            + PACKAGE_TEXTS, _load_package, _dump_packages),
    Section("package_listings", ("account", "package", "collection"),
            ("namespace", "point_of_contact", "status", "critpath", "status_change"),
            _load_listing, _dump_listings),
    Section("acls", ("account", "package", "collection", "fas_name", "acl"),
            ("namespace", "status", "date_created"), _load_acl, _dump_acls),
    Section("admin_actions", ("account", "action", "user", "collection"),
            ("id", "status", "package", "namespace", "from_collection", "info", "message",
             "date_created", "date_updated"), _load_admin_action, _dump_admin_actions),
]
