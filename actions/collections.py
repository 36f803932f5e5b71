"""Collections: GetCollections, CreateCollection, SetCollectionStatus (pkgdb2 /api/collection*)."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from app.catalogue import events, lookup
from app.catalogue.fields import choice, flag, name
from app.catalogue.serialize import collection_json
from app.errors import Conflict, echo
from app.models import COLLECTION_STATUSES, CallerRole
from app.store.collections import (clash, create_collection, find_collections,
                                   set_collection_status)
from app.store.vocabularies_catalogue import COLLECTION_VOCABULARY

from .catalogue_base import CATALOGUE_QUERY_DOC, CatalogueAction
from .fields import query_field
from .registry import register

_required = validate.Length(min=1, error="This field is required.")


@register
class GetCollections(CatalogueAction):
    """List the collections, all by name, or those matching a pattern or statuses by
    status then branch name."""

    errors = ("InvalidQuery",)

    class Args(Schema):
        pattern = name("A branch name glob (* and ?).", load_default=None)
        clt_status = fields.List(choice(COLLECTION_STATUSES, "A collection status."),
                                 load_default=list,
                                 metadata={"doc": "Only collections in these statuses."})
        query = query_field(CATALOGUE_QUERY_DOC, load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        statuses = list(dict.fromkeys(args["clt_status"]))
        found = find_collections(self.account, args["pattern"], statuses,
                                 self.filter(args["query"], COLLECTION_VOCABULARY))
        if args["pattern"] is None and not statuses:
            found.sort(key=lambda c: c.name)
        else:
            rank = {status: index for index, status in enumerate(statuses)}
            found.sort(key=lambda c: (rank.get(c.status, 0), c.branchname))
        return {"collections": [collection_json(c) for c in found]}


@register
class CreateCollection(CatalogueAction):
    """Create a collection (catalogue admins)."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("DuplicateCollection",)

    class Args(Schema):
        clt_name = name("The collection name (Fedora).", required=True, validate=_required)
        #: not ``version``: that name is the transport's API version (CONTRACT §1)
        clt_version = name("The version (20, devel).", required=True, validate=_required)
        clt_status = choice(COLLECTION_STATUSES, "Active, EOL or Under Development.",
                            required=True)
        branchname = name("The branch name (f20), unique.", required=True, validate=_required)
        dist_tag = name("The dist tag (.fc20), unique.", required=True, validate=_required)
        kojiname = name("The name in koji.", required=True, validate=_required)
        allow_retire = flag("Whether packagers may retire packages on it.")

    def run(self, args: dict[str, Any]) -> dict:
        what = clash(self.account, branchname=args["branchname"], dist_tag=args["dist_tag"],
                     name=args["clt_name"], version=args["clt_version"])
        if what is not None:
            raise Conflict(f"Could not add Collection to the database: a collection with "
                           f"this {what} already exists", code="DuplicateCollection")
        collection = create_collection(
            self.account, name=args["clt_name"], version=args["clt_version"],
            status=args["clt_status"], branchname=args["branchname"],
            dist_tag=args["dist_tag"], koji_name=args["kojiname"],
            allow_retire=args["allow_retire"])
        message = f'Collection "{collection.branchname}" created'
        self.log([(None, message)])
        self.record([events.collection_created(collection)])
        return {"messages": [message]}


@register
class SetCollectionStatus(CatalogueAction):
    """Change a collection's status (catalogue admins)."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("UnknownCollection",)

    class Args(Schema):
        branch = name("The collection's branch name.", required=True)
        clt_status = choice(COLLECTION_STATUSES, "Active, EOL or Under Development.",
                            required=True)

    def run(self, args: dict[str, Any]) -> dict:
        branch, status = args["branch"], args["clt_status"]
        collection = lookup.find_collection(self.account, branch,
                                            f'Could not find collection "{echo(branch)}"')
        if collection.status == status:
            return {"messages": [f'Collection "{branch}" already had this status']}
        message = f'Collection updated from "{collection.status}" to "{status}"'
        set_collection_status(collection, status)
        self.log([(None, message)])
        self.record([events.collection_status_changed(collection, collection.status, status)])
        return {"messages": [message]}
