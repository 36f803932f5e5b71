"""Packagers: GetPackagers, GetPackagerACLs, GetPackagerPackages, GetPackagerStats
(pkgdb2 /api/packager*)."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields
from peewee import JOIN, Case, fn

from app.catalogue.fields import Limit, choice, flag, name, names, page_field, page_total
from app.catalogue.patterns import matches
from app.catalogue.serialize import listing_json, package_json
from app.errors import NotFound
from app.models import ACLS, Collection, ListingACL, Package, PackageListing

from .catalogue_base import CatalogueAction
from .registry import register

WATCH_ACLS = ("watchcommits", "watchbugzilla")


def _acl_rows(account: Any, user: str, eol: bool) -> Any:
    """The user's ACL rows with their listing, package and collection."""
    query = (ListingACL.select(ListingACL, PackageListing, Package, Collection)
             .join(PackageListing).join(Package).switch(PackageListing).join(Collection)
             .where((Package.account == account) & (ListingACL.fas_name == user)))
    return query if eol else query.where(Collection.status != "EOL")


def _unknown_packager(message: str) -> NotFound:
    return NotFound(message, code="UnknownPackager")


@register
class GetPackagers(CatalogueAction):
    """Users and groups holding an Approved ACL on a non-EOL listing, sorted."""

    class Args(Schema):
        pattern = name("A name glob (* and ?).", load_default="*")

    def run(self, args: dict[str, Any]) -> dict:
        rows = (ListingACL.select(ListingACL.fas_name).distinct()
                .join(PackageListing).join(Package).switch(PackageListing).join(Collection)
                .where((Package.account == self.account) & (ListingACL.status == "Approved")
                       & (Collection.status != "EOL")
                       & matches(ListingACL.fas_name, args["pattern"]))
                .order_by(ListingACL.fas_name).tuples())
        return {"packagers": [fas_name for (fas_name,) in rows]}


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
        query = _acl_rows(self.account, user, args["eol"])
        if args["acls"]:
            query = query.where(ListingACL.acl.in_(args["acls"]))
        if args["poc"] is not None:
            is_poc = PackageListing.point_of_contact == user
            query = query.where(is_poc if args["poc"] else ~is_poc)
        page, limit = args["page"], args["limit"]
        if args["count"]:
            return {"acls_count": query.count(), "page": page, "page_total": 1}
        total = query.count()
        if total == 0:
            raise _unknown_packager("No ACL found for this user")
        rows = query.order_by(ListingACL.id).paginate(page, limit)
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
        rows = _acl_rows(self.account, user, args["eol"]).where(
            ListingACL.status == "Approved")
        if args["branches"]:
            rows = rows.where(Collection.branchname.in_(args["branches"]))
        poc, comaintained, watched = {}, {}, {}
        for row in rows:
            listing, package = row.listing, row.listing.package
            if row.acl == "commit" and listing.status == "Approved":
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
        collections = Collection.select().where(Collection.account == self.account)
        if not args["eol"]:
            collections = collections.where(Collection.status != "EOL")
        is_poc = PackageListing.point_of_contact == user
        counted = (ListingACL.select(
            PackageListing.collection,
            fn.COUNT(fn.DISTINCT(Case(None, [(is_poc, PackageListing.package)]))),
            fn.COUNT(fn.DISTINCT(Case(None, [(~is_poc, PackageListing.package)]))))
            .join(PackageListing).join(Collection, JOIN.INNER)
            .where((Collection.account == self.account) & (Collection.status != "EOL")
                   & (ListingACL.fas_name == user) & (ListingACL.acl == "commit")
                   & (ListingACL.status == "Approved") & (PackageListing.status == "Approved"))
            .group_by(PackageListing.collection).tuples())
        counts = {collection: (pocs, others) for collection, pocs, others in counted}
        return {c.branchname: dict(zip(("point of contact", "co-maintainer"),
                                       counts.get(c.id, (0, 0))))
                for c in collections.order_by(Collection.id)}
