"""pkgdb2's text formats of its extras (``/api/bugzilla``, ``/api/notify``, ``/api/vcs``,
``/api/critpath``, ``/api/monitored``, ``/api/koschei``), from the reports' JSON results."""
from __future__ import annotations

from typing import Any, Callable

from ..models import Acl

BUGZILLA_HEADER = ("# Package Database VCS Acls\n"
                   "# Text Format\n"
                   "# Collection|Package|Description|Owner|Initial QA|Initial CCList\n"
                   "# Backslashes (\\) are escaped as \\u005c Pipes (|) are escaped as "
                   "\\u007c\n\n")
VCS_HEADER = "# VCS ACLs\n# avail|@groups,users|namespace/package/branch\n\n"


def _escaped(text: str | None) -> str:
    return (text or "").replace("\\", "\\u005c").replace("|", "\\u007c")


def _cc(holders: dict[str, list[str]]) -> str:
    return ",".join(holders["groups"] + holders["people"])


def bugzilla(result: dict[str, Any]) -> str:
    """``Collection|Package|Summary|Owner||CC`` lines under pkgdb2's header."""
    lines = [BUGZILLA_HEADER]
    for collection in sorted(result["bugzillaAcls"]):
        packages = result["bugzillaAcls"][collection]
        for package in sorted(packages):
            entry = packages[package]
            lines.append(f"{collection}|{package}|{_escaped(entry['summary'])}|"
                         f"{entry['owner']}||{_cc(entry['cclist'])}\n")
    return "".join(lines)


def notify(result: dict[str, Any]) -> str:
    """``package|user1,user2`` lines."""
    return "".join(f"{package}|{','.join(users)}\n"
                   for package, users in result["packages"].items())


def vcs(result: dict[str, Any]) -> str:
    """``avail | @provenpackager,@group,users | namespace/package/branch`` lines."""
    lines = [VCS_HEADER]
    for namespace in sorted(key for key in result if key != "title"):
        for package in sorted(result[namespace]):
            for branch in sorted(result[namespace][package]):
                holders = result[namespace][package][branch][Acl.COMMIT]
                who = ",".join([f"@{group}" for group in holders["groups"]]
                               + holders["people"])
                lines.append(f"avail | {who} | {namespace}/{package}/{branch}\n")
    return "".join(lines)


def critpath(result: dict[str, Any]) -> str:
    """``== branch ==`` then ``* package`` lines."""
    lines = []
    for branch in sorted(result["pkgs"]):
        lines.append(f"== {branch} ==\n")
        lines.extend(f"* {name}\n" for name in result["pkgs"][branch])
    return "".join(lines)


def package_names(result: dict[str, Any]) -> str:
    """``# Number of packages: n`` then one name a line."""
    return "".join([f"# Number of packages: {result['total_packages']}\n"]
                   + [f"{name}\n" for name in result["packages"]])


#: the text renderers, by action
TEXT: dict[str, Callable[[dict[str, Any]], str]] = {
    "GetBugzillaACLs": bugzilla, "GetNotifyList": notify, "GetVCSACLs": vcs,
    "GetCritpathPackages": critpath, "GetMonitoredPackages": package_names,
    "GetKoscheiPackages": package_names,
}
