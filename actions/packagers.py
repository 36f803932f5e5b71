"""Packagers: GetPackagers, GetPackagerACLs, GetPackagerPackages, GetPackagerStats
(pkgdb2 /api/packager*)."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from app.catalogue.fields import Limit, choice, flag, name, names, page_field, page_total
from app.catalogue.serialize import listing_json, package_json
from app.errors import NotFound
from app.models import ACLS, Acl, PackageStatus
from app.store.packagers import AclRows, packager_names, packager_stats

from .catalogue_base import CatalogueAction
from .registry import register

WATCH_ACLS = (Acl.WATCHCOMMITS, Acl.WATCHBUGZILLA)


def _unknown_packager(message: str) -> NotFound:
    return NotFound(message, code="UnknownPackager")


@register
class GetPackagers(CatalogueAction):
    """Users and groups holding an Approved ACL on a non-EOL listing, sorted."""

    class Args(Schema):
        pattern = name("A name glob (* and ?).", load_default="*")

    def run(self, args: dict[str, Any]) -> dict:
        return {"packagers": packager_names(self.account, args["pattern"])}


@register
class GetPackagerACLs(CatalogueAction):
    """A user's ACLs (any status) with their listings, in ACL order."""

    errors = ("UnknownPackager",)

    class Args(Schema):
        packagername = name("The user (or group::NAME).", required=True)
        acls = fields.List(choice(ACLS, "An ACL."), load_default=list,
                           metadata={"doc": "Only these ACLs."})
        eol = flag("Include EOL collections.")
        poc = flag("Only listings the user is (true) or is not (false) the point of "
                   "contact of.", default=None)
        limit = Limit()
        page = page_field()
        count = flag("Return the number of ACLs only.")

    def run(self, args: dict[str, Any]) -> dict:
        user = args["packagername"]
        query = AclRows(self.account, user, eol=args["eol"], acls=args["acls"], poc=args["poc"])
        page, limit = args["page"], args["limit"]
        if args["count"]:
            return {"acls_count": query.count(), "page": page, "page_total": 1}
        total = query.count()
        if total == 0:
            raise _unknown_packager("No ACL found for this user")
        rows = query.page(page, limit)
        return {"acls": [{"fas_name": row.fas_name, "acl": row.acl, "status": row.status,
                          "packagelist": listing_json(
                              row.listing, package=package_json(row.listing.package))}
                         for row in rows],
                "page": page, "page_total": page_total(total, limit)}


@register
class GetPackagerPackages(CatalogueAction):
    """The packages a user is point of contact of, co-maintains (Approved commit on an
    Approved listing) or watches."""

    errors = ("UnknownPackager",)

    class Args(Schema):
        packagername = name("The user (or group::NAME).", required=True)
        branches = names("Only these branches.", required=False)
        eol = flag("Include EOL collections.")

    def run(self, args: dict[str, Any]) -> dict:
        user = args["packagername"]
        rows = AclRows(self.account, user, eol=args["eol"], approved=True,
                       branches=args["branches"])
        poc: dict[int, Any] = {}
        comaintained: dict[int, Any] = {}
        watched: dict[int, Any] = {}
        for row in rows:
            listing, package = row.listing, row.listing.package
            if row.acl == Acl.COMMIT and listing.status == PackageStatus.APPROVED:
                target = poc if listing.point_of_contact == user else comaintained
                target[package.id] = package
            elif row.acl in WATCH_ACLS:
                watched[package.id] = package
        watched = {k: v for k, v in watched.items() if k not in poc and k not in comaintained}
        result = {key: [package_json(p) for p in sorted(found.values(),
                                                        key=lambda p: (p.name, p.id))]
                  for key, found in (("point of contact", poc), ("co-maintained", comaintained),
                                     ("watch", watched))}
        if not any(result.values()):
            raise _unknown_packager("No ACLs found for that user")
        return result


@register
class GetPackagerStats(CatalogueAction):
    """Per live branch (all with ``eol``), how many packages the user is point of contact
    of and co-maintains (Approved commit on an Approved listing)."""

    class Args(Schema):
        packagername = name("The user (or group::NAME).", required=True)
        eol = flag("Include EOL collections (always zero).")

    def run(self, args: dict[str, Any]) -> dict:
        user = args["packagername"]
        stats = packager_stats(self.account, user, args["eol"])
        return {branch: dict(zip(("point of contact", "co-maintainer"), counts))
                for branch, counts in stats.items()}
