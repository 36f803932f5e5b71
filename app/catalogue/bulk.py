"""All-or-nothing bulk actions over ``pkgnames × branches``.

:func:`resolve` looks every pair up in three queries and files a refusal for each pair whose
package, collection or listing is missing; the action's own rules file more; the action then
calls :meth:`Refusals.raise_if_any` before it changes anything, so one bad pair changes
nothing and the 400 ``MultiError`` lists every bad pair as ``ns/name@branch => reason``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from app.errors import ApiError, MultiError
from app.models import Account, Collection, CollectionStatus, Package, PackageListing

from . import lookup


@dataclass(frozen=True)
class Pair:
    """One (package, branch) of a bulk action, with its listing."""

    package: Package
    collection: Collection
    listing: PackageListing

    @property
    def label(self) -> str:
        """``ns/name``."""
        return lookup.package_label(self.package.namespace, self.package.name)

    @property
    def item(self) -> str:
        """``ns/name@branch``: the pair as refusal lines name it."""
        return f"{self.label}@{self.collection.branchname}"


@dataclass(frozen=True)
class Sentences:
    """pkgdb2's sentences for a missing package, collection or listing (they differ per
    action); each is formatted with ``label`` (ns/name), ``name`` and ``branch``."""

    package: str
    collection: str
    listing: str


#: ``update_pkg_poc`` (orphan, reassign)
POC_SENTENCES = Sentences("No package found by this name",
                          "No collection found by the name of {branch}",
                          "The package {label} could not be found in the collection {branch}.")
#: ``update_pkg_status`` (retire, unretire)
STATUS_SENTENCES = Sentences("No package found by this name",
                             "No collection found by this name",
                             "No package {label} found in collection {branch}")
#: ``unorphan_package``
UNORPHAN_SENTENCES = Sentences("No package found by this name",
                               "No collection found by this name",
                               'Package "{label}" is not in the collection {branch}')
#: ``package/critpath``
CRITPATH_SENTENCES = Sentences("No package found by this name: {label}",
                               "No collection found by the name of {branch}",
                               "{label} was not found in the collection {branch}")


@dataclass
class Refusals:
    """The ``(item, code, reason)`` failures of one bulk action."""

    failures: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, item: str, error: ApiError) -> None:
        self.failures.append((item, error.code, error.message))

    def check(self, pair: Pair, rule: Callable[[], object]) -> bool:
        """Run ``rule``; file its refusal against ``pair``. True when it passed."""
        try:
            rule()
        except ApiError as error:
            self.add(pair.item, error)
            return False
        return True

    def raise_if_any(self) -> None:
        if self.failures:
            raise MultiError(self.failures)


def resolve(account: Account, names: Iterable[str], branches: Iterable[str], namespace: str,
            sentences: Sentences, refusals: Refusals, *, eol: bool = True) -> list[Pair]:
    """The pairs (names × branches, in argument order) that exist; the others are refused.

    With ``eol=False`` a listing on an EOL collection counts as missing.
    """
    names, branches = list(dict.fromkeys(names)), list(dict.fromkeys(branches))
    packages = lookup.packages_named(account, names, namespace)
    collections = lookup.collections_named(account, branches)
    listings = lookup.listings_of(packages.values(), collections.values())
    pairs = []
    for name in names:
        for branch in branches:
            values = {"label": lookup.package_label(namespace, name), "name": name,
                      "branch": branch}
            item = f"{values['label']}@{branch}"
            package, collection = packages.get(name), collections.get(branch)
            if package is None:
                refusals.add(item, lookup.unknown_package(sentences.package.format(**values)))
                continue
            if collection is None:
                refusals.add(item, lookup.unknown_collection(
                    sentences.collection.format(**values)))
                continue
            listing = listings.get((package.id, collection.id))
            if listing is None or (not eol and collection.status == CollectionStatus.EOL):
                refusals.add(item, lookup.unknown_listing(sentences.listing.format(**values)))
                continue
            listing.collection = collection
            listing.package = package
            pairs.append(Pair(package, collection, listing))
    return pairs


def invalid_change(message: str) -> ApiError:
    """A listing in the wrong status for the change (``InvalidPackageStatusChange``)."""
    return ApiError(message, code="InvalidPackageStatusChange")
