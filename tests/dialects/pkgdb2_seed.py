"""The catalogue of the seed's examples (``pkgdb2-api.txt``) as a fixture document
(``app.fixtures.import_fixture``).

The seed's examples come from different pkgdb2 instances and contradict each other (all
collections are three, yet ``el*`` finds three EPEL ones; pingou is guake's point of
contact here and only R-ALL's there), so each group of examples gets an account of its own
holding exactly the data its answers show.
"""
from __future__ import annotations

from typing import Any

GUAKE_DESCRIPTION = ("Guake is a drop-down terminal for Gnome Desktop Environment, so you "
                     "just need to press a key to invoke him, and press again to hide.")
GUAKE_DESCRIPTION_OLD = ("Guake is a drop-down terminal for Gnome Desktop Environment, so you "
                         "just need to press a key to invoke him,and press again to hide.")
TILDA_DESCRIPTION = ("Tilda is a Linux terminal taking after the likeness of many classic "
                     "terminals from first person shooter games, Quake, Doom and Half-Life "
                     "(to name a few), where the terminal has no border and is hidden from "
                     "the desktop until a key is pressed.")
R_ALL_SUMMARY = "Data of T- and B-cell Acute Lymphocytic Leukemia"

#: account → the examples it serves
ACCOUNTS = ("clt", "epel", "packagers", "acl", "pkgs", "stats", "guake", "guak", "search",
            "actions", "action")
#: how many packages pingou is point of contact of / co-maintains (the stats example)
STATS = {"master": (60, 12), "f19": (60, 12), "f20": (60, 12), "EL-6": (12, 8)}


def _collection(account: str, branch: str, name: str, version: str, status: str,
                koji: str | None = None, allow_retire: bool = False,
                dist_tag: str | None = None) -> dict[str, Any]:
    return {"account": account, "branchname": branch, "name": name, "version": version,
            "status": status, "koji_name": koji or branch, "allow_retire": allow_retire,
            "dist_tag": dist_tag or f".{branch}", "date_created": "2014-05-14 12:36:15",
            "date_updated": "2014-05-14 12:36:15"}


class _Document:
    def __init__(self) -> None:
        self.sections: dict[str, list[dict[str, Any]]] = {
            "accounts": [], "persons": [], "collections": [], "packages": [],
            "package_listings": [], "acls": [], "admin_actions": []}

    def add(self, section: str, **record: Any) -> None:
        self.sections[section].append(record)

    def listing(self, account: str, package: str, branch: str, poc: str,
                acls: tuple[tuple[str, str, str], ...] = (), **fields: Any) -> None:
        self.add("package_listings", account=account, package=package, collection=branch,
                 point_of_contact=poc, **fields)
        for user, acl, status in acls:
            self.add("acls", account=account, package=package, collection=branch,
                     fas_name=user, acl=acl, status=status)


def _four(user: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((user, acl, "Approved")
                 for acl in ("watchcommits", "watchbugzilla", "commit", "approveacls"))


def document() -> dict[str, list[dict[str, Any]]]:
    """The fixture document of every account."""
    doc = _Document()
    for account in ACCOUNTS:
        doc.add("accounts", name=account, title=account.title())
    add = doc.add
    # GET /collections: three collections
    add("collections", **_collection("clt", "f20", "Fedora", "20", "Active"))
    add("collections", **_collection("clt", "f17", "Fedora", "17", "EOL", allow_retire=True))
    add("collections", **_collection("clt", "el6", "Fedora EPEL", "6", "Active",
                                     "dist-6E-epel", True))
    # GET /collections?pattern=el*
    for version, status in (("4", "EOL"), ("5", "Active"), ("6", "Active")):
        add("collections", **_collection("epel", f"el{version}", "Fedora EPEL", version,
                                         status, f"dist-{version}E-epel", True))
    # GET /packagers/rem*, ?pattern=pi*
    add("collections", **_collection("packagers", "f20", "Fedora", "20", "Active"))
    for user in ("remi", "pilcher", "pingou"):
        add("packages", account="packagers", name=f"{user}-tools", summary="Tools")
        doc.listing("packagers", f"{user}-tools", "f20", user, ((user, "commit", "Approved"),))
    # GET /packager/acl/pingou (two ACLs of page 1 of 12: 24 ACLs, two per page)
    add("collections", **_collection("acl", "f16", "Fedora", "16", "EOL"))
    add("packages", account="acl", name="R-ALL", summary=R_ALL_SUMMARY,
        creation_date=1384775354.0)
    doc.listing("acl", "R-ALL", "f16", "pingou", (("pingou", "watchcommits", "Approved"),
                                                  ("pingou", "watchbugzilla", "Approved")))
    for number in range(11):
        add("packages", account="acl", name=f"R-more{number:02}", summary="More")
        doc.listing("acl", f"R-more{number:02}", "f16", "pingou",
                    (("pingou", "commit", "Approved"), ("pingou", "watchcommits", "Approved")))
    # GET /packager/package/pingou: point of contact on f20, co-maintainer on master
    add("collections", **_collection("pkgs", "master", "Fedora", "devel", "Under Development"))
    add("collections", **_collection("pkgs", "f20", "Fedora", "20", "Active"))
    add("packages", account="pkgs", name="R-ALL", summary=R_ALL_SUMMARY,
        creation_date=1384775354.0)
    doc.listing("pkgs", "R-ALL", "f20", "pingou", _four("pingou"))
    doc.listing("pkgs", "R-ALL", "master", "ralph",
                _four("ralph") + (("pingou", "commit", "Approved"),))
    # GET /packager/stats/pingou
    _stats(doc)
    # GET /package/guake/
    add("collections", **_collection("guake", "master", "Fedora", "devel",
                                     "Under Development"))
    add("packages", account="guake", name="guake", summary="Drop-down terminal for GNOME",
        description=GUAKE_DESCRIPTION_OLD,
        creation_date=1385365548.0)
    doc.listing("guake", "guake", "master", "pingou", _four("pingou") + (
        ("maxamillion", "watchcommits", "Obsolete"),
        ("maxamillion", "watchbugzilla", "Obsolete")), status_change=1385366044.0)
    # GET /packages/guak*
    add("collections", **_collection("guak", "master", "Fedora", "devel", "Under Development"))
    add("packages", account="guak", name="guake", summary="Drop-down terminal for GNOME",
        description=GUAKE_DESCRIPTION_OLD)
    doc.listing("guak", "guake", "master", "pingou", _four("pingou"))
    # GET /packages/?pattern=guake&pattern=tilda
    add("collections", **_collection("search", "master", "Fedora", "devel",
                                     "Under Development"))
    add("packages", account="search", name="tilda",
        summary="A Gtk based drop down terminal for Linux and Unix",
        description=TILDA_DESCRIPTION, upstream_url="https://github.com/lanoxx/tilda",
        monitor=False, koschei_monitor=False)
    add("packages", account="search", name="guake", summary="Drop-down terminal for GNOME",
        description=GUAKE_DESCRIPTION, upstream_url="http://www.guake.org/", monitor=True,
        koschei_monitor=True)
    for name in ("tilda", "guake"):
        doc.listing("search", name, "master", "pingou", _four("pingou"))
    _admin_actions(doc)
    return doc.sections


def _admin_actions(doc: _Document) -> None:
    """GET /admin/actions (action 8) and GET /admin/action/1."""
    add = doc.add
    add("collections", **_collection("actions", "epel7", "Fedora EPEL", "7", "Active",
                                     dist_tag=".el7"))
    add("collections", **_collection("actions", "f19", "Fedora", "19", "Active",
                                     dist_tag=".fc19"))
    add("packages", account="actions", name="guake", summary="Drop-down terminal for GNOME",
        description=GUAKE_DESCRIPTION, upstream_url="http://guake.org/",
        creation_date=1400063778.0)
    doc.listing("actions", "guake", "f19", "pingou", _four("pingou"))
    add("admin_actions", account="actions", id=8, action="request.branch", user="pingou",
        status="Awaiting Review", package="guake", collection="epel7", from_collection="f19",
        date_created=1402470695.0, date_updated=1402470695.0)
    add("collections", **_collection("action", "epel7", "Fedora EPEL", "7", "Active",
                                     dist_tag=".el7"))
    add("collections", **_collection("action", "master", "Fedora", "devel",
                                     "Under Development", "rawhide", dist_tag=".fc21"))
    add("packages", account="action", name="R-BiocGenerics",
        summary="Generic functions for Bioconductor", creation_date=1397204290.0)
    doc.listing("action", "R-BiocGenerics", "master", "pingou", _four("pingou"))
    add("admin_actions", account="action", id=1, action="request.branch", user="pingou",
        status="Approved", package="R-BiocGenerics", collection="epel7",
        from_collection="master", date_created=1410161489.0, date_updated=1410168952.0)


def _stats(doc: _Document) -> None:
    doc.add("collections", **_collection("stats", "master", "Fedora", "devel",
                                         "Under Development"))
    for branch in ("f20", "f19"):
        doc.add("collections", **_collection("stats", branch, "Fedora", branch[1:], "Active"))
    doc.add("collections", **_collection("stats", "EL-6", "Fedora EPEL", "6", "Active",
                                         "dist-6E-epel", True, dist_tag=".el6"))
    for number in range(72):
        doc.add("packages", account="stats", name=f"pkg{number:02}", summary="A package")
    for branch, (poc, comaintained) in STATS.items():
        for number in range(poc):
            doc.listing("stats", f"pkg{number:02}", branch, "pingou",
                        (("pingou", "commit", "Approved"),))
        for number in range(60, 60 + comaintained):
            doc.listing("stats", f"pkg{number:02}", branch, "ralph",
                        (("ralph", "commit", "Approved"), ("pingou", "commit", "Approved")))
