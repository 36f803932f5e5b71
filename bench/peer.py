"""A typical peer: the benchmark's signed ``GetActivities`` written the straightforward way.

Flask with its form parsing, Peewee model objects (the key, its person and account through
their foreign keys, the page's activities with their creators), a marshmallow schema to
dump them and ``jsonify``: what a team would write first with the same libraries. Same
store, same signature check (``app.auth.sign``), same query language and the same answer
as the gateway (``tests/bench/test_peer.py``); only the one action, and no error envelope
beyond a status and a message. ``bench.instructions`` counts it beside the gateway and
hello-world; ``bench.run`` serves it under gunicorn (``bench.peer:app``, the store from
``ACTIONGATE_DATABASE_URL``).
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from typing import Any

from flask import Flask, Response, abort, jsonify, request
from marshmallow import Schema, fields
from peewee import JOIN

from app.auth import TIMESTAMP_FORMAT, same_secret, sign
from app.db import init_database
from app.models import Activity, ApiKey, Person, database
from app.store.vocabularies import ACTIVITY_VOCABULARY
from query_language import compile_query

#: how far a request's timestamp may be from now, as the gateway's default
WINDOW = 15 * 60


class CreatorSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()


class ActivitySchema(Schema):
    """The legacy activity object (ACTIVITIES.md §3)."""

    id = fields.Integer()
    type = fields.String()
    summary = fields.String()
    activity_status = fields.String()
    creator = fields.Nested(CreatorSchema, allow_none=True)
    computer_id = fields.Integer(allow_none=True)
    parent_id = fields.Integer(attribute="parent_id", allow_none=True)
    creation_time = fields.DateTime(format=TIMESTAMP_FORMAT)
    modification_time = fields.DateTime(format=TIMESTAMP_FORMAT)
    delivery_time = fields.DateTime(format=TIMESTAMP_FORMAT, allow_none=True)
    completion_time = fields.DateTime(format=TIMESTAMP_FORMAT, allow_none=True)
    approval_time = fields.DateTime(format=TIMESTAMP_FORMAT, allow_none=True)
    deliver_after_time = fields.DateTime(format=TIMESTAMP_FORMAT, allow_none=True)
    deliver_before_time = fields.DateTime(format=TIMESTAMP_FORMAT, allow_none=True)
    result_text = fields.String(allow_none=True)
    result_code = fields.Integer(allow_none=True)
    progress = fields.Integer(allow_none=True)
    package_ids = fields.Raw()
    changes = fields.Raw()


activity_schema = ActivitySchema(many=True)


def _authenticate(params: dict[str, str]) -> ApiKey:
    key = ApiKey.get_or_none(ApiKey.access_key == params.get("access_key_id", ""))
    if key is None or key.revoked or key.person is None or key.person.disabled:
        abort(401)
    expected = sign(key.secret_key, request.method, request.host, request.path, params)
    if not same_secret(expected, params.get("signature", "")):
        abort(403)
    stamp = datetime.strptime(params.get("timestamp", ""), TIMESTAMP_FORMAT)
    if abs(stamp.replace(tzinfo=timezone.utc).timestamp() - time.time()) > WINDOW:
        abort(403)
    return key


def create_peer_app(database_url: str) -> Flask:
    """The peer's WSGI application on the store at ``database_url``."""
    peer = Flask(__name__)
    init_database(database_url)

    @peer.before_request
    def connect() -> None:
        database.connect(reuse_if_open=True)

    @peer.teardown_request
    def disconnect(exc: BaseException | None) -> None:
        if not database.is_closed():
            database.close()

    @peer.route("/api/", methods=["GET", "POST"])
    def api() -> Response:
        params = {**request.args.to_dict(), **request.form.to_dict()}
        key = _authenticate(params)
        if params.get("action") != "GetActivities":
            abort(400)
        account = key.person.account
        where = Activity.account == account.id
        condition = compile_query(params.get("query", ""), ACTIVITY_VOCABULARY,
                                  account_id=account.id)
        if condition is not None:
            where &= condition
        activities = (Activity.select(Activity, Person)
                      .join(Person, JOIN.LEFT_OUTER, on=(Activity.creator == Person.id))
                      .where(where)
                      .order_by(Activity.creation_time.desc(), Activity.id.desc())
                      .limit(int(params.get("limit", 1000))).offset(int(params.get("offset", 0))))
        return jsonify(activity_schema.dump(list(activities)))

    return peer


def _from_environment() -> Any:
    url = os.environ.get("ACTIONGATE_DATABASE_URL")
    return create_peer_app(url) if url else None


#: for gunicorn (``bench.peer:app``)
app = _from_environment()
