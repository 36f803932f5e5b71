"""pkgdb2's success sentences (``lib/utils.log``), which scripts grep: keep them verbatim."""
from __future__ import annotations


def owner_update(agent: str, package: str, previous: str, new: str, branch: str) -> str:
    return (f"user: {agent} changed point of contact of package: {package} from: "
            f"{previous} to: {new} on branch: {branch}")


def status_update(agent: str, package: str, previous: str, new: str, branch: str) -> str:
    return (f"user: {agent} updated package: {package} status from: {previous} to {new} "
            f"on branch: {branch}")


def acl_update(agent: str, user: str, acl: str, package: str, previous: str | None,
               new: str, branch: str) -> str:
    return (f"user: {agent} set for {user} acl: {acl} of package: {package} from: "
            f"{previous or ''} to: {new} on branch: {branch}")


def package_request(agent: str, package: str, branch: str) -> str:
    return f"user: {agent} request package: {package} on branch {branch}"


def action_update(agent: str, action_id: int, package: str, old: str, new: str,
                  message: str | None) -> str:
    line = f"user: {agent} updated action: {action_id} of {package} from `{old}` to `{new}`"
    return f"{line} with message: {message}" if message else line


def unorphaned(label: str, branch: str, poc: str) -> str:
    return f"Package {label} has been unorphaned on {branch} by {poc}"


def critpath_update(label: str, branch: str, critpath: bool) -> str:
    return f"{label}: critpath updated on {branch} to {critpath}"
