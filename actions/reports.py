"""The pkgdb2 "extras" as JSON: critpath, pending ACLs, groups, monitored, koschei, retired,
bugzilla, notify and VCS reports. Each reads its rows through :mod:`app.store.reports` (one
or two queries) and only shapes them in Python."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from marshmallow import Schema

from app.catalogue import fields as arg
from app.catalogue.fields import flag, name, names
from app.catalogue.lookup import version_key
from app.catalogue.permissions import group_of
from app.catalogue.serialize import NOT_PROVENPACKAGER, date_text
from app.models import ORPHAN, Acl
from app.store import reports

from .catalogue_base import CatalogueAction
from .registry import register

TITLE = "Fedora Package Database -- {}"


def _holders(names_: list[str], *, at: bool = False) -> dict[str, list[str]]:
    """``{"groups": […], "people": […]}`` of ACL holders, sorted; groups without their
    ``group::`` prefix (with ``@`` when ``at``)."""
    groups = sorted({("@" if at else "") + group for n in names_ if (group := group_of(n))})
    return {"groups": groups, "people": sorted({n for n in names_ if not group_of(n)})}


def _names_report(packages: list[str]) -> dict:
    return {"packages": packages, "total_packages": len(packages)}


@register
class GetCritpathPackages(CatalogueAction):
    """Critical-path packages per branch: the given branches, or every live Fedora one."""

    class Args(Schema):
        branches = names("Only these branches.", required=False)

    def run(self, args: dict[str, Any]) -> dict:
        pkgs: dict[str, list[str]] = {}
        for _, branch, package in reports.critpath_listings(self.account, args["branches"]):
            pkgs.setdefault(branch, []).append(package)
        return {"pkgs": pkgs}


@register
class GetPendingACLs(CatalogueAction):
    """ACL requests Awaiting Review on live Approved listings (those ``username`` may decide:
    as point of contact or approveacls holder)."""

    class Args(Schema):
        username = name("Only requests this user can approve.", load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        rows = reports.pending_acls(self.account, args["username"])
        pending = [{"package": row.name, "namespace": row.namespace, "user": row.fas_name,
                    "collection": row.branchname, "acl": row.acl, "status": row.status,
                    "since": date_text(row.date_created)} for row in rows]
        return {"pending_acls": pending, "total_requests_pending": len(pending)}


@register
class GetGroups(CatalogueAction):
    """Groups that are point of contact of, or hold Approved ACLs on, live Approved listings."""

    def run(self, args: dict[str, Any]) -> dict:
        groups = sorted({group_of(user) or "" for user in reports.group_holders(self.account)})
        return {"groups": groups, "total_groups": len(groups)}


@register
class GetMonitoredPackages(CatalogueAction):
    """Packages monitored by release-monitoring (``monitor`` true or nobuild)."""

    def run(self, args: dict[str, Any]) -> dict:
        return _names_report(reports.monitored_packages(self.account))


@register
class GetKoscheiPackages(CatalogueAction):
    """Packages monitored by koschei."""

    def run(self, args: dict[str, Any]) -> dict:
        return _names_report(reports.koschei_packages(self.account))


@register
class GetRetiredPackages(CatalogueAction):
    """Packages retired on every live collection of a name (default Fedora)."""

    class Args(Schema):
        collection = name("The collection name (default Fedora).", load_default="Fedora")

    def run(self, args: dict[str, Any]) -> dict:
        packages = reports.retired_packages(self.account, args["collection"])
        return {"collection": args["collection"], "packages": packages,
                "total_packages": len(packages)}


@register
class GetBugzillaACLs(CatalogueAction):
    """Per collection name and package: the bugzilla owner (the point of contact on the
    highest version, a person before ``orphan``), the watchers to CC and the summary."""

    class Args(Schema):
        collection = name("Only this collection name.", load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        listings, watchers = reports.bugzilla_listings(self.account, args["collection"])
        cc: dict[tuple[str, int], set[str]] = defaultdict(set)
        for collection, package_id, user in watchers:
            cc[(collection, package_id)].add(user)
        best: dict[tuple[str, int], tuple] = {}
        for collection, version, package_id, package, namespace, summary, poc in listings:
            rank = (poc != ORPHAN, version_key(version))
            key = (collection, package_id)
            if key in cc and (key not in best or rank > best[key][0]):
                best[key] = (rank, package, namespace, summary, poc)
        out: dict[str, dict] = {}
        for (collection, package_id), (_, package, namespace, summary, poc) in sorted(
                best.items(), key=lambda item: (item[0][0], item[1][1], item[1][2])):
            shown = package if namespace == "rpms" else f"{package} {namespace.capitalize()}"
            owner = f"@{group_of(poc)}" if group_of(poc) else poc
            out.setdefault(collection, {})[shown] = {
                "owner": owner, "cclist": _holders(sorted(cc[(collection, package_id)] - {poc}),
                                                   at=True),
                "qacontact": None, "summary": summary}
        return {"bugzillaAcls": out, "title": TITLE.format("Bugzilla ACLs")}


@register
class GetNotifyList(CatalogueAction):
    """Per package, who is notified of changes: Approved commit, approveacls and
    watchcommits holders on Approved listings with a point of contact."""

    class Args(Schema):
        name = arg.name("Only this collection name.", load_default=None)
        #: not ``version``: that name is the transport's API version (CONTRACT §1)
        clt_version = arg.name("Only this collection version.", load_default=None)
        eol = flag("Include EOL collections.")
        namespace = flag("Name packages ns/name.")

    def run(self, args: dict[str, Any]) -> dict:
        rows = reports.notified(self.account, args["name"], args["clt_version"], args["eol"])
        packages: dict[str, set[str]] = defaultdict(set)
        for namespace, package, user in rows:
            packages[f"{namespace}/{package}" if args["namespace"] else package].add(user)
        return {"packages": {key: sorted(packages[key]) for key in sorted(packages)},
                "eol": args["eol"], "name": args["name"], "version": args["clt_version"],
                "title": TITLE.format("Notification List")}


@register
class GetVCSACLs(CatalogueAction):
    """Who may commit where: per namespace, package and branch, the Approved commit
    holders of Approved or Orphaned listings, plus provenpackager."""

    class Args(Schema):
        eol = flag("Include EOL collections.")
        collection = name("Only this branch.", load_default=None)
        namespace = name("Only this namespace.", load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        rows = reports.committers(self.account, args["eol"], args["collection"],
                                  args["namespace"])
        holders: dict[tuple[str, str, str], list[str]] = {}
        for namespace, package, branch, user in rows:
            holders.setdefault((namespace, package, branch), []).extend([user] if user else [])
        out: dict[str, Any] = {}
        for (namespace, package, branch), users in holders.items():
            shown = _holders(users)
            if package not in NOT_PROVENPACKAGER:
                shown["groups"] = ["provenpackager"] + shown["groups"]
            out.setdefault(namespace, {}).setdefault(package, {})[branch] = {Acl.COMMIT: shown}
        out["title"] = TITLE.format("VCS ACLs")
        return out
