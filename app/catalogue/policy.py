"""What new packages and branches must look like: names, namespaces, the namespace policy."""
from __future__ import annotations

import re
from typing import Iterable

from app.errors import ApiError, Conflict, echo
from app.models import Account, Package

#: pkgdb2's PKGDB2_NAMESPACE_POLICY: the branches a namespace may have (others: any)
NAMESPACE_POLICY: dict[str, tuple[str, ...]] = {"modules": ("master",)}
#: pkgdb2's PKGDB2_BUGZILLA_URL: a numeric review_url is a bug of this tracker
BUGZILLA_URL = "https://bugzilla.redhat.com"
PACKAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,199}\Z")
NAMESPACE = re.compile(r"[a-z][a-z0-9-]{0,63}\Z")


def check_new_package(name: str, namespace: str, branches: Iterable[str]) -> None:
    """The namespace policy first (as pkgdb2), then the name and namespace."""
    check_namespace_policy(namespace, branches)
    check_name(name, namespace)


def refuse_existing(account: Account, name: str, namespace: str, message: str) -> None:
    """409 ``DuplicatePackage`` with ``message`` when the package exists already."""
    if Package.select().where((Package.account == account) & (Package.name == name)
                              & (Package.namespace == namespace)).exists():
        raise Conflict(message, code="DuplicatePackage")


def check_name(name: str, namespace: str) -> None:
    """A new package's name and namespace (400 ``InvalidParameterValue``)."""
    if not PACKAGE_NAME.match(name):
        raise ApiError("pkgname: Invalid package name (letters, digits, '.', '_', '+' "
                       "and '-', starting with a letter or digit)", code="InvalidParameterValue")
    if not NAMESPACE.match(namespace):
        raise ApiError("namespace: Invalid namespace (lower-case letters, digits and '-')",
                       code="InvalidParameterValue")


def check_namespace_policy(namespace: str, branches: Iterable[str]) -> None:
    """pkgdb2: ``<bad, …> not allowed by namespace policy <ns>: <allowed, …>`` (400)."""
    allowed = NAMESPACE_POLICY.get(namespace)
    if allowed is None:
        return
    bad = [branch for branch in branches if branch not in allowed]
    if bad:
        raise ApiError(f"{echo(', '.join(bad))} not allowed by namespace policy {namespace}: "
                       f"{', '.join(allowed)}", code="InvalidParameterValue")


def review_url(value: str | None) -> str | None:
    """A bare bug number becomes a link to the bug tracker."""
    if value is not None and value.strip().isdigit():
        return f"{BUGZILLA_URL}/{value.strip()}"
    return value
