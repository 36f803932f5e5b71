"""The catalogue behind the seed's write examples (``pkgdb2-api.txt``) as a fixture document
(``app.fixtures.import_fixture``): the packages, branches and people that give each
example's placeholders (``$USER``, ``$PACKAGE``, ``$BRANCH``…) a meaning.

Accounts: ``writes`` (the package, ACL and admin-action examples), ``clt`` (no collections:
the new collection ``F-20``), ``request`` (no packages: pingou requests guake) and
``outsider`` (pingou there is not a packager). People log in with HTTP Basic
``<username>@<account>.example`` and the password ``pw-<username>``.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from werkzeug.security import generate_password_hash

#: (account, username, role, groups) of the people the examples act as
PEOPLE = (
    ("writes", "pingou", "admin", ("packager",)),   # catalogue admin, guake's POC
    ("writes", "ralph", "manager", ("packager",)),  # a packager, no admin
    ("writes", "toshio", "manager", ("packager",)),
    ("writes", "guest", "auditor", ()),
    ("clt", "pingou", "admin", ("packager",)),
    ("clt", "ralph", "manager", ("packager",)),
    ("request", "pingou", "manager", ("packager",)),
    ("outsider", "pingou", "manager", ()),
)
FOUR_ACLS = ("commit", "watchbugzilla", "watchcommits", "approveacls")


def email(account: str, username: str) -> str:
    return f"{username}@{account}.example"


def password(username: str) -> str:
    return f"pw-{username}"


@cache
def _password_hash(username: str) -> str:
    """Hashed once per test run (hashing is deliberately slow)."""
    return generate_password_hash(password(username))


def _collection(account: str, branch: str, version: str, status: str,
                allow_retire: bool = False, name: str = "Fedora") -> dict[str, Any]:
    return {"account": account, "branchname": branch, "name": name, "version": version,
            "status": status, "koji_name": branch, "dist_tag": f".{branch}",
            "allow_retire": allow_retire}


def document() -> dict[str, list[dict[str, Any]]]:
    """The fixture document of the write examples."""
    doc: dict[str, list[dict[str, Any]]] = {
        "accounts": [{"name": name, "title": name.title()}
                     for name in ("writes", "clt", "request", "outsider")],
        "persons": [{"account": account, "email": email(account, user), "name": user.title(),
                     "username": user, "role": role, "groups": list(groups),
                     "password_hash": _password_hash(user)}
                    for account, user, role, groups in PEOPLE],
        "collections": [], "packages": [], "package_listings": [], "acls": [],
        "admin_actions": []}
    for account in ("writes", "request", "outsider"):
        doc["collections"] += [
            _collection(account, "master", "devel", "Under Development", allow_retire=True),
            _collection(account, "f20", "20", "Active"),
            _collection(account, "f18", "18", "Active")]
    _packages(doc)
    doc["admin_actions"].append({
        "account": "writes", "action": "request.branch", "user": "ralph",
        "status": "Awaiting Review", "package": "guake", "collection": "el6"})
    doc["collections"].append(_collection("writes", "el6", "6", "Active", True, "Fedora EPEL"))
    return doc


def _packages(doc: dict[str, list[dict[str, Any]]]) -> None:
    def package(name: str, **fields: Any) -> None:
        doc["packages"].append({"account": "writes", "name": name,
                                "summary": f"The {name} package", **fields})

    def listing(name: str, branch: str, poc: str, status: str = "Approved") -> None:
        doc["package_listings"].append({"account": "writes", "package": name,
                                        "collection": branch, "point_of_contact": poc,
                                        "status": status})
        if poc != "orphan":
            doc["acls"] += [{"account": "writes", "package": name, "collection": branch,
                             "fas_name": poc, "acl": acl, "status": "Approved"}
                            for acl in FOUR_ACLS]

    # guake: pingou's, on master, f20 and f18; monitoring and koschei off
    package("guake", summary="Drop-down terminal for GNOME", monitor=False,
            koschei_monitor=False)
    for branch in ("master", "f20", "f18"):
        listing("guake", branch, "pingou")
    # tilda: orphaned on f20 (unorphan)
    package("tilda")
    listing("tilda", "f20", "orphan", "Orphaned")
    # kupfer: ralph's on f20, which does not allow retiring (retire refused)
    package("kupfer")
    listing("kupfer", "f20", "ralph")
    # zsh-old: retired on f20 (unretire)
    package("zsh-old")
    listing("zsh-old", "f20", "orphan", "Retired")
