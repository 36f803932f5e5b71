"""PostgreSQL faults (unreachable, its database dropped or recreated empty, its sessions
terminated, a lock held for longer than the busy timeout) answer 503 ``StoreUnavailable``,
and the gateway serves again without a restart once the store is back.

The tests run on a scratch database of their own next to the suite's.
"""
from __future__ import annotations

import socket
from urllib.parse import urlparse

import psycopg2
import pytest

from app import create_app
from app.db import make_database, upgrade_schema
from app.models import database

from ..conftest import TEST_SECRET, Api, Key

pytestmark = pytest.mark.postgres

BUSY_TIMEOUT = 0.3
UNKNOWN_KEY = Key("K" * 20, "s" * 40)


@pytest.fixture
def admin(db_url):
    """An autocommit connection to the suite's database, to create and drop the scratch one."""
    connection = psycopg2.connect(db_url)
    connection.autocommit = True
    yield connection.cursor()
    connection.close()


@pytest.fixture
def scratch_url(db_url, admin):
    name = urlparse(db_url).path.lstrip("/") + "_scratch"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {name}")
    yield urlparse(db_url)._replace(path="/" + name).geturl()
    database.obj.close_all()
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _app(url: str):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": TEST_SECRET,
                       "BUSY_TIMEOUT": BUSY_TIMEOUT})


@pytest.fixture
def app(scratch_url):
    """Overrides the suite's ``app``: the scratch database with its schema."""
    application = _app(scratch_url)
    upgrade_schema()
    yield application
    database.obj.close_all()


def _assert_unavailable(answer, reason: str) -> None:
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert answer.headers["Retry-After"] == "5"
    assert answer.get_json() == {
        "error": "StoreUnavailable",
        "message": f"The service is unavailable: {reason}. Retry later."}


def _scratch_name(app) -> str:
    return urlparse(app.config["DATABASE_URL"]).path.lstrip("/")


def test_lock_timeout_is_the_configured_busy_timeout(db_url):
    db = make_database(db_url, pooled=False, busy_timeout=1.5)
    db.connect()
    try:
        assert db.execute_sql("SHOW lock_timeout").fetchone() == ("1500ms",)
    finally:
        db.close()


def test_unreachable_server_answers_503(db_url):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        port = sock.getsockname()[1]
        url = urlparse(db_url)._replace(netloc=f"postgres@127.0.0.1:{port}").geturl()
        client = _app(url).test_client()
        _assert_unavailable(client.get("/healthz"), "the store cannot be reached")
        answer = Api(client).call("GetAccount", key=UNKNOWN_KEY)
        assert answer.body == client.get("/healthz").get_json()


def _terminate_sessions(admin, name: str) -> None:
    """``pg_terminate_backend`` every session of the database, and wait until they ended."""
    sessions = "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    admin.execute(f"SELECT pg_terminate_backend(pid) {sessions}", (name,))
    while True:
        admin.execute(f"SELECT count(*) {sessions}", (name,))
        if admin.fetchone() == (0,):
            return


def test_terminated_sessions_are_discarded_not_reused(app, client, api, tenant, admin):
    assert api.call("GetAccount", key=tenant.auditor).status == 200
    _terminate_sessions(admin, _scratch_name(app))
    answer = api.call("GetAccount", key=tenant.auditor)
    assert (answer.status, answer.body["name"]) == (200, "acme")


def test_dropped_database_answers_503_and_serves_again_once_recreated(app, client, tenant,
                                                                      admin):
    api = Api(client)
    assert api.call("GetAccount", key=tenant.auditor).status == 200
    name = _scratch_name(app)
    admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    _assert_unavailable(client.get("/healthz"), "the store cannot be reached")
    assert api.call("GetAccount", key=tenant.auditor).status == 503

    admin.execute(f"CREATE DATABASE {name}")
    missing = "the store's schema is missing (run actiongate init-db)"
    _assert_unavailable(client.get("/healthz"), missing)
    answer = api.call("GetAccount", key=UNKNOWN_KEY)
    assert (answer.status, answer.error) == (503, "StoreUnavailable")

    upgrade_schema()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert api.call("GetAccount", key=UNKNOWN_KEY).error == "AuthFailure"


def test_lock_held_past_the_busy_timeout_answers_503(app, client, api, tenant, scratch_url):
    holder = psycopg2.connect(scratch_url)
    try:
        holder.cursor().execute("LOCK TABLE account IN ACCESS EXCLUSIVE MODE")
        answer = api.call("GetAccount", key=tenant.auditor)
        assert (answer.status, answer.body) == (503, {
            "error": "StoreUnavailable",
            "message": "The service is unavailable: the store is locked by another writer. "
                       "Retry later."})
    finally:
        holder.rollback()
        holder.close()
    assert api.call("GetAccount", key=tenant.auditor).status == 200
