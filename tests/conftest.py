"""Shared fixtures: a clean store per test (SQLite by default, PostgreSQL by URL), the app,
a signing API helper and account factories.

``ACTIONGATE_TEST_DATABASE_URL=postgresql://…`` runs the whole suite on PostgreSQL; without it
each run uses a fresh SQLite file and tests marked ``postgres`` skip with a reason.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest
from peewee import PostgresqlDatabase
from werkzeug.security import generate_password_hash

from app import auth, create_app, directory
from app.db import make_database, upgrade_schema
from app.models import ALL_MODELS, Account, Person, database

TEST_SECRET = "test-secret-key"
#: cheap hashes of "pw-<role>": real scrypt hashing would dominate the suite's run time
_FAST_HASHES = {role: generate_password_hash("pw-" + role, method="pbkdf2:sha256:1")
                for role in ("admin", "manager", "auditor")}


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The store every test uses; PostgreSQL must be reachable when its URL is given."""
    url = os.environ.get("ACTIONGATE_TEST_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("store") / "actiongate.db")
    probe = make_database(url, pooled=False)
    try:
        probe.connect()
    except Exception as error:  # noqa: BLE001 - any failure means "unreachable"
        pytest.exit(f"PostgreSQL at {url} is unreachable: {error}", returncode=3)
    # Each run starts from a clean schema.
    database.initialize(probe)
    probe.drop_tables(ALL_MODELS, safe=True, cascade=True)
    probe.close()
    return url


@pytest.fixture(scope="session")
def is_postgres(db_url: str) -> bool:
    return db_url.startswith("postgres")


def _truncate_all() -> None:
    db = database.obj
    with db.connection_context():
        if isinstance(db, PostgresqlDatabase):
            tables = ", ".join(m._meta.table_name for m in ALL_MODELS
                               if m._meta.table_name != "schema_version")
            db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            with db.atomic():
                for model in reversed(ALL_MODELS):
                    if model._meta.table_name != "schema_version":
                        model.delete().execute()


@pytest.fixture
def app(db_url: str, tmp_path):
    """An app bound to a clean store; the test runs with a connection open."""
    application = create_app({"TESTING": True, "DATABASE_URL": db_url,
                              "SECRET_KEY": TEST_SECRET})
    upgrade_schema()
    _truncate_all()
    database.connect(reuse_if_open=True)
    yield application
    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class Response:
    """A decoded API answer."""

    status: int
    body: Any

    @property
    def error(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None


@dataclass
class Key:
    access_key: str
    secret_key: str


@dataclass
class Api:
    """Calls the gateway through the Flask test client, signing like the official client."""

    client: Any

    def call(self, action: str, *, key: Key | None = None, token: str | None = None,
             version: str = "2011-08-01", method: str = "POST", timestamp: str | None = None,
             extra_transport: dict[str, str] | None = None, **arguments: Any) -> Response:
        """Call ``action`` with keyword ``arguments`` (see :meth:`call_with`)."""
        return self.call_with(action, arguments, key=key, token=token, version=version,
                              method=method, timestamp=timestamp,
                              extra_transport=extra_transport)

    def call_with(self, action: str, arguments: dict[str, Any], *, key: Key | None = None,
                  token: str | None = None, version: str = "2011-08-01", method: str = "POST",
                  timestamp: str | None = None,
                  extra_transport: dict[str, str] | None = None) -> Response:
        """Call ``action`` with an argument dict (for names such as ``key`` or ``method``)."""
        params = {k: _wire(v) for k, v in _flatten(arguments)}
        params.update({"action": action, "version": version})
        headers = {}
        if key is not None:
            params.update({"access_key_id": key.access_key, "signature_method": "HmacSHA256",
                           "signature_version": "2",
                           "timestamp": timestamp or time.strftime(auth.TIMESTAMP_FORMAT,
                                                                   time.gmtime())})
            params.update(extra_transport or {})
            params["signature"] = auth.sign(key.secret_key, method, "localhost", "/api/",
                                            params)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if method == "POST":
            answer = self.client.post("/api/", data=params, headers=headers)
        else:
            answer = self.client.get("/api/", query_string=params, headers=headers)
        return Response(answer.status_code, answer.get_json())


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flatten(arguments: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Encode lists as ``name.N`` and dicts as ``name.KEY`` like the official client."""
    for name, value in arguments.items():
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value, 1):
                yield f"{name}.{index}", item
        elif isinstance(value, dict):
            for key, item in value.items():
                yield f"{name}.{key}", item
        else:
            yield name, value


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@dataclass
class Tenant:
    """An account with one person (and key) per role."""

    account: Account
    persons: dict[str, Person] = field(default_factory=dict)
    keys: dict[str, Key] = field(default_factory=dict)

    @property
    def admin(self) -> Key:
        return self.keys["admin"]

    @property
    def manager(self) -> Key:
        return self.keys["manager"]

    @property
    def auditor(self) -> Key:
        return self.keys["auditor"]


@pytest.fixture
def make_tenant(app):
    """Factory: ``make_tenant("acme")`` → a :class:`Tenant` with admin/manager/auditor keys."""

    def make(name: str = "acme", *, require_approval: bool = False) -> Tenant:
        with database.atomic():
            account = directory.create_account(name, name.title(), require_approval)
            tenant = Tenant(account)
            for role in ("admin", "manager", "auditor"):
                person = directory.create_person(
                    account, email=f"{role}@{name}.example", name=f"{role.title()} {name}",
                    username=f"{role}-{name}", role=role,
                    groups=["packager"] if role != "auditor" else [],
                    password_hash=_FAST_HASHES[role])
                key = directory.issue_key(person)
                tenant.persons[role] = person
                tenant.keys[role] = Key(key.access_key, key.secret_key)
        return tenant

    return make


@pytest.fixture
def tenant(make_tenant) -> Tenant:
    return make_tenant("acme")


def pytest_collection_modifyitems(config, items):
    if (os.environ.get("ACTIONGATE_TEST_DATABASE_URL") or "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set ACTIONGATE_TEST_DATABASE_URL="
                                   "postgresql://postgres@127.0.0.1:5432/test")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
