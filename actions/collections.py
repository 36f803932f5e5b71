"""Collections: GetCollections, CreateCollection, SetCollectionStatus (pkgdb2 /api/collection*)."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from app.catalogue import lookup
from app.catalogue.fields import choice, flag, name
from app.catalogue.patterns import matches
from app.catalogue.serialize import collection_json
from app.errors import Conflict
from app.models import COLLECTION_STATUSES, Collection, utcnow
from app.store.vocabularies_catalogue import COLLECTION_VOCABULARY

from .catalogue_base import CatalogueAction, query_field
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
        query = query_field()

    def run(self, args: dict[str, Any]) -> dict:
        query = Collection.select().where(Collection.account == self.account)
        statuses = list(dict.fromkeys(args["clt_status"]))
        if args["pattern"] is not None:
            query = query.where(matches(Collection.branchname, args["pattern"]))
        if statuses:
            query = query.where(Collection.status.in_(statuses))
        condition = self.filter(args["query"], COLLECTION_VOCABULARY)
        if condition is not None:
            query = query.where(condition)
        found = list(query.order_by(Collection.id))
        if args["pattern"] is None and not statuses:
            found.sort(key=lambda c: c.name)
        else:
            rank = {status: index for index, status in enumerate(statuses)}
            found.sort(key=lambda c: (rank.get(c.status, 0), c.branchname))
        return {"collections": [collection_json(c) for c in found]}


@register
class CreateCollection(CatalogueAction):
    """Create a collection (catalogue admins)."""

    role = "admin"
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
        mine = Collection.account == self.account
        clashes = (("branchname", Collection.branchname == args["branchname"]),
                   ("dist_tag", Collection.dist_tag == args["dist_tag"]),
                   ("name and version", (Collection.name == args["clt_name"])
                    & (Collection.version == args["clt_version"])))
        for what, condition in clashes:
            if Collection.select().where(mine & condition).exists():
                raise Conflict(f"Could not add Collection to the database: a collection with "
                               f"this {what} already exists", code="DuplicateCollection")
        now = utcnow()
        collection = Collection.create(
            account=self.account, name=args["clt_name"], version=args["clt_version"],
            status=args["clt_status"], branchname=args["branchname"],
            dist_tag=args["dist_tag"], koji_name=args["kojiname"],
            allow_retire=args["allow_retire"], date_created=now, date_updated=now)
        message = f'Collection "{collection.branchname}" created'
        self.log([(None, message)])
        return {"messages": [message]}


@register
class SetCollectionStatus(CatalogueAction):
    """Change a collection's status (catalogue admins)."""

    role = "admin"
    writes = True
    errors = ("UnknownCollection",)

    class Args(Schema):
        branch = name("The collection's branch name.", required=True)
        clt_status = choice(COLLECTION_STATUSES, "Active, EOL or Under Development.",
                            required=True)

    def run(self, args: dict[str, Any]) -> dict:
        branch, status = args["branch"], args["clt_status"]
        collection = lookup.find_collection(self.account, branch,
                                            f'Could not find collection "{branch}"')
        if collection.status == status:
            return {"messages": [f'Collection "{branch}" already had this status']}
        message = f'Collection updated from "{collection.status}" to "{status}"'
        Collection.update(status=status, date_updated=utcnow()).where(
            Collection.id == collection.id).execute()
        self.log([(None, message)])
        return {"messages": [message]}
