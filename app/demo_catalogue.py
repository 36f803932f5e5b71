"""The demo catalogue (``seed-demo``): Fedora-like collections (one EOL), a few hundred
packages listed on several branches, ACLs in every status, orphaned and retired listings,
and admin actions waiting for review. Written with bulk inserts."""
from __future__ import annotations

import random
import time
from typing import Any

from . import directory
from .bulkload import insert_rows
from .catalogue.acls import maintainer_acls
from .models import (ACL_STATUSES, ACLS, ORPHAN, Account, Acl, AclStatus, AdminAction,
                     AdminActionStatus, AdminActionType, Collection, CollectionStatus,
                     ListingACL, Package, PackageListing, PackageStatus, Role, utcnow)

#: (branch, name, version, status, allow_retire, dist_tag)
COLLECTIONS = (
    ("master", "Fedora", "devel", CollectionStatus.UNDER_DEVELOPMENT, True, ".fc41"),
    ("f40", "Fedora", "40", CollectionStatus.ACTIVE, False, ".fc40"),
    ("f39", "Fedora", "39", CollectionStatus.ACTIVE, False, ".fc39"),
    ("f38", "Fedora", "38", CollectionStatus.ACTIVE, False, ".fc38"),
    ("f37", "Fedora", "37", CollectionStatus.EOL, False, ".fc37"),
    ("epel9", "Fedora EPEL", "9", CollectionStatus.ACTIVE, True, ".el9"),
    ("epel8", "Fedora EPEL", "8", CollectionStatus.ACTIVE, True, ".el8"),
    ("el6", "Fedora EPEL", "6", CollectionStatus.EOL, True, ".el6"),
)
#: demo packagers beyond the demo's own persons (jane, mark): (username, groups)
PACKAGERS = (("pingou", ("python-sig",)), ("remi", ()), ("kevin", ()), ("ralph", ()),
             ("tibbs", ("perl-sig",)), ("limb", ()), ("spot", ("perl-sig",)),
             ("churchyard", ("python-sig",)), ("decathorpe", ()), ("besser82", ()))
FAMILIES = (("python3-", ("requests", "flask", "django", "numpy", "pytest", "click", "jinja2",
                          "attrs", "six", "lxml", "pyyaml", "sqlalchemy", "peewee", "arrow",
                          "pillow", "cryptography", "urllib3", "idna", "chardet", "docutils")),
            ("perl-", ("Moose", "DBI", "JSON", "Try-Tiny", "Test-Simple", "URI", "libwww",
                       "YAML", "Date-Manip", "Text-CSV")),
            ("rubygem-", ("rake", "rspec", "nokogiri", "rack", "thor", "bundler", "json")),
            ("golang-github-", ("spf13-cobra", "stretchr-testify", "pkg-errors", "google-uuid",
                                "sirupsen-logrus", "gorilla-mux")),
            ("R-", ("ALL", "BiocGenerics", "ggplot2", "Rcpp", "dplyr")),
            ("nodejs-", ("lodash", "express", "semver", "chalk", "minimist")),
            ("", ("guake", "tilda", "tilix", "clive", "gnome-terminal", "htop", "btop",
                  "neovim", "kitty", "alacritty", "fish", "ripgrep", "fd-find", "bat",
                  "hyperfine", "jq", "yq", "tig", "meld", "gitg")))


def _seed_packagers(account: Account) -> list[str]:
    for username, groups in PACKAGERS:
        directory.create_person(account, email=f"{username}@{account.name}.example",
                                name=username.title(), username=username, role=Role.MANAGER,
                                groups=("packager", *groups))
    return ["jane", "mark"] + [username for username, _ in PACKAGERS]


def _seed_collections(account: Account, now: Any) -> dict[str, int]:
    insert_rows(Collection, [{"account": account.id, "name": name, "version": version,
                              "status": status, "branchname": branch, "dist_tag": tag,
                              "koji_name": branch, "allow_retire": allow,
                              "date_created": now, "date_updated": now}
                             for branch, name, version, status, allow, tag in COLLECTIONS])
    return dict(Collection.select(Collection.branchname, Collection.id)
                .where(Collection.account == account).tuples())


def _package_names(rng: random.Random, count: int) -> list[str]:
    names = [prefix + stem for prefix, stems in FAMILIES for stem in stems]
    serial = 0
    while len(names) < count:
        serial += 1
        prefix, stems = rng.choice(FAMILIES)
        names.append(f"{prefix}{rng.choice(stems)}-{serial}".lstrip("-"))
    return names[:count]


def _seed_packages(account: Account, rng: random.Random, count: int) -> dict[str, int]:
    existing = {name for (name,) in Package.select(Package.name)
                .where(Package.account == account).tuples()}
    now = float(int(time.time()))
    rows = []
    for name in _package_names(rng, count):
        if name in existing:
            continue
        rows.append({"account": account.id, "name": name, "summary": f"The {name} package",
                     "description": f"{name} for the demo catalogue.",
                     "review_url": f"https://bugzilla.redhat.com/{rng.randint(100000, 999999)}",
                     "upstream_url": f"https://example.org/{name}",
                     "creation_date": now - rng.randint(0, 3 * 365 * 86400),
                     "monitor": rng.choice(("true", "true", "false", "nobuild")),
                     "koschei_monitor": rng.random() < 0.1})
    insert_rows(Package, rows)
    rows = [{"account": account.id, "name": name, "namespace": namespace,
             "summary": f"The {name} {namespace}", "monitor": "false"}
            for name, namespace in (("nodejs", "modules"), ("postgresql", "modules"),
                                    ("httpd", "container"), ("fedora-toolbox", "container"))]
    insert_rows(Package, rows)
    return dict(Package.select(Package.name, Package.id).where(
        (Package.account == account) & (Package.namespace == "rpms")).tuples())


def _seed_listings(packages: dict[str, int], collections: dict[str, int], packagers: list[str],
                   rng: random.Random) -> list[tuple[int, str, str]]:
    """List every package on master and some other branches; returns (listing, POC, status)."""
    now = float(int(time.time()))
    rows = []
    for name, package in packages.items():
        branches = ["master"] + rng.sample(["f40", "f39", "f38"], k=rng.randint(1, 3))
        if rng.random() < 0.3:
            branches.append(rng.choice(["epel9", "epel8"]))
        if rng.random() < 0.4:
            branches.append(rng.choice(["f37", "el6"]))
        owner = rng.choice(packagers) if rng.random() > 0.08 else "group::python-sig"
        for branch in branches:
            poc, status = owner, PackageStatus.APPROVED
            luck = rng.random()
            if luck < 0.06:
                poc, status = ORPHAN, PackageStatus.ORPHANED
            elif luck < 0.1 and branch != "f37":
                poc, status = ORPHAN, PackageStatus.RETIRED
            rows.append({"package": package, "collection": collections[branch],
                         "point_of_contact": poc, "status": status,
                         "critpath": branch in ("master", "f40") and rng.random() < 0.05,
                         "status_change": now - rng.randint(0, 365 * 86400)})
    insert_rows(PackageListing, rows)
    return list(PackageListing.select(PackageListing.id, PackageListing.point_of_contact,
                                      PackageListing.status)
                .where(PackageListing.package.in_(list(packages.values()))).tuples())


def _seed_acls(listings: list[tuple[int, str, str]], packagers: list[str],
               rng: random.Random) -> None:
    now = utcnow()
    rows = []
    for listing, poc, status in listings:
        held: dict[tuple[str, str], str] = {}
        if status == PackageStatus.APPROVED:
            held.update({(poc, acl): AclStatus.APPROVED for acl in maintainer_acls(poc)})
        else:  # the former point of contact's maintainer ACLs are obsolete now
            former = rng.choice(packagers)
            held.update({(former, acl): AclStatus.OBSOLETE
                         if status == PackageStatus.RETIRED
                         or acl in (Acl.COMMIT, Acl.APPROVEACLS)
                         else AclStatus.APPROVED for acl in ACLS})
        for user in rng.sample(packagers, k=rng.randint(0, 3)):
            for acl in rng.sample(ACLS, k=rng.randint(1, 3)):
                held.setdefault((user, acl), rng.choices(ACL_STATUSES, (60, 15, 8, 10, 7))[0])
        rows += [{"listing": listing, "fas_name": user, "acl": acl, "status": acl_status,
                  "date_created": now} for (user, acl), acl_status in held.items()]
    insert_rows(ListingACL, rows)


def _seed_admin_actions(account: Account, packages: dict[str, int],
                        collections: dict[str, int], packagers: list[str],
                        rng: random.Random) -> None:
    now = float(int(time.time()))
    day = 86400.0
    rows: list[dict[str, Any]] = []
    for index, name in enumerate(("python3-httpx", "rust-ripgrep-core", "perl-Mojolicious",
                                  "golang-github-cli-cli")):
        user = packagers[index % len(packagers)]
        for branch in ("f40", "master"):
            rows.append({"action": AdminActionType.PACKAGE, "user": user,
                         "status": AdminActionStatus.AWAITING_REVIEW, "package": None,
                         "collection": collections[branch], "date_created": now - index * day,
                         "info": {"pkg_name": name, "pkg_summary": f"The {name} package",
                                  "pkg_collection": branch, "pkg_poc": user,
                                  "pkg_status": PackageStatus.APPROVED, "pkg_namespace": "rpms",
                                  "pkg_review_url": "https://bugzilla.redhat.com/2000001",
                                  "pkg_critpath": False, "monitoring_status": True,
                                  "koschei": False, "co-maintainers": []}})
    names = sorted(packages)
    for index, (status, age, message) in enumerate((
            (AdminActionStatus.PENDING, 1, None), (AdminActionStatus.PENDING, 12, None),
            (AdminActionStatus.AWAITING_REVIEW, 3, None), (AdminActionStatus.APPROVED, 40, ""),
            (AdminActionStatus.DENIED, 20, "EPEL 8 lacks a dependency"),
            (AdminActionStatus.BLOCKED, 9, "Waiting for the review"))):
        rows.append({"action": AdminActionType.BRANCH,
                     "user": packagers[(index + 2) % len(packagers)],
                     "status": status, "package": packages[names[index * 7]],
                     "collection": collections["epel8"], "message": message,
                     "date_created": now - age * day, "info": {}})
    retired = (PackageListing.select(PackageListing.package)
               .where(PackageListing.package.in_(list(packages.values()))
                      & (PackageListing.collection == collections["master"])
                      & (PackageListing.status == PackageStatus.RETIRED)).limit(1).scalar())
    if retired is not None:
        rows.append({"action": AdminActionType.UNRETIRE, "user": rng.choice(packagers),
                     "status": AdminActionStatus.AWAITING_REVIEW, "package": retired,
                     "collection": collections["master"], "date_created": now - 2 * day,
                     "info": {}})
    for row in rows:
        row.update(account=account.id, date_updated=row["date_created"])
    insert_rows(AdminAction, rows)


def seed_catalogue(account: Account, rng: random.Random, packages: int = 400) -> None:
    """Give the demo account its catalogue (call inside the seed's transaction)."""
    packagers = _seed_packagers(account)
    collections = _seed_collections(account, utcnow())
    by_name = _seed_packages(account, rng, packages)
    listings = _seed_listings(by_name, collections, packagers, rng)
    _seed_acls(listings, packagers, rng)
    _seed_admin_actions(account, by_name, collections, packagers, rng)
