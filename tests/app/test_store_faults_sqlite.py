"""SQLite faults (a write lock held elsewhere, a read-only file, a file that cannot be
opened, a missing or older schema) answer 503 ``StoreUnavailable`` and the gateway serves
again once the fault is gone.

Each test has its own SQLite file, whatever store the rest of the suite runs on.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from app import create_app
from app.config import from_environment
from app.db import SCHEMA_VERSION, make_database, upgrade_schema
from app.models import SchemaVersion, database

from ..conftest import TEST_SECRET, Api, Key

BUSY_TIMEOUT = 0.2
UNAVAILABLE = "StoreUnavailable"
UNKNOWN_KEY = Key("K" * 20, "s" * 40)


def _sqlite_app(path, **config):
    application = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                              "SECRET_KEY": TEST_SECRET, "BUSY_TIMEOUT": BUSY_TIMEOUT,
                              **config})
    return application


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "store.db"


@pytest.fixture
def app(store_path):
    """Overrides the suite's ``app``: a schema-complete SQLite store of this test's own."""
    application = _sqlite_app(store_path)
    upgrade_schema()
    database.connect(reuse_if_open=True)
    yield application
    database.obj.close_all()


def _close_every_connection() -> None:
    """Empty the pool, as a freshly started worker would have it."""
    database.obj.close_all()


def _assert_unavailable(answer, reason: str) -> None:
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert answer.headers["Retry-After"] == "5"
    assert answer.get_json() == {
        "error": UNAVAILABLE, "message": f"The service is unavailable: {reason}. Retry later."}


def _settings_call(api, tenant):
    return api.call("SetAccountSettings", key=tenant.admin, title="Renamed")


# --- the busy timeout --------------------------------------------------------------------


@pytest.mark.parametrize("pooled", [True, False], ids=["pooled", "single"])
def test_effective_busy_timeout_is_the_configured_one(tmp_path, pooled):
    db = make_database(f"sqlite:///{tmp_path / 'x.db'}", pooled=pooled, busy_timeout=1.5)
    db.connect()
    try:
        assert db.execute_sql("PRAGMA busy_timeout").fetchone() == (1500,)
    finally:
        db.close()


def test_app_connections_use_the_configured_busy_timeout(app, client):
    assert database.execute_sql("PRAGMA busy_timeout").fetchone() == (200,)


def test_busy_timeout_is_read_from_the_environment():
    assert from_environment({"ACTIONGATE_BUSY_TIMEOUT": "2.5"}) == {"BUSY_TIMEOUT": 2.5}


# --- a write lock held by another connection ----------------------------------------------


def test_write_lock_held_elsewhere_answers_503_then_serves_once_released(
        app, client, api, tenant, store_path):
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        answer = client.post("/api/", data=_signed_settings(tenant))
        _assert_unavailable(answer, "the store is locked by another writer")
        _assert_unavailable(client.get("/healthz"), "the store is locked by another writer")
    finally:
        holder.rollback()
        holder.close()
    assert _settings_call(api, tenant).status == 200
    assert client.get("/healthz").status_code == 200


def _signed_settings(tenant) -> dict[str, str]:
    """A signed SetAccountSettings form body (to read the raw response's headers)."""
    import time

    from app import auth
    params = {"action": "SetAccountSettings", "version": "2011-08-01", "title": "Renamed",
              "access_key_id": tenant.admin.access_key, "signature_method": "HmacSHA256",
              "signature_version": "2",
              "timestamp": time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime())}
    params["signature"] = auth.sign(tenant.admin.secret_key, "POST", "localhost", "/api/",
                                    params)
    return params


# --- a read-only file ---------------------------------------------------------------------


@pytest.fixture
def read_only(store_path):
    """Make the database file unwritable (``chattr +i`` as well when running as root, whom
    file modes do not stop); yields a function that makes it writable again."""
    as_root = os.geteuid() == 0

    def restore() -> None:
        if as_root:
            subprocess.run(["chattr", "-i", str(store_path)], check=False)
        os.chmod(store_path, 0o644)

    def make() -> None:
        _close_every_connection()
        os.chmod(store_path, 0o444)
        if as_root and subprocess.run(["chattr", "+i", str(store_path)],
                                      capture_output=True).returncode != 0:
            restore()
            pytest.skip("running as root on a file system without chattr +i")

    yield make, restore
    restore()


def test_read_only_file_answers_503_to_writes_and_recovers_without_restart(
        app, client, api, tenant, read_only):
    make, restore = read_only
    make()
    answer = client.post("/api/", data=_signed_settings(tenant))
    _assert_unavailable(answer, "the store cannot be written")
    _assert_unavailable(client.get("/healthz"), "the store cannot be written")
    assert api.call("GetAccount", key=tenant.auditor).status == 200  # reads still work
    restore()
    # The connections opened read-only were discarded, not pooled: writes work again.
    assert _settings_call(api, tenant).status == 200
    assert client.get("/healthz").status_code == 200


# --- a store that cannot be opened, a missing or older schema -----------------------------


def test_unopenable_file_answers_503(tmp_path):
    (tmp_path / "directory.db").mkdir()
    client = _sqlite_app(tmp_path / "directory.db").test_client()
    _assert_unavailable(client.get("/healthz"), "the store cannot be reached")
    answer = Api(client).call("GetAccount", key=UNKNOWN_KEY)
    assert answer.status == 503
    assert answer.body == client.get("/healthz").get_json()


def test_missing_schema_answers_503_until_init_db(tmp_path):
    application = _sqlite_app(tmp_path / "empty.db")
    client = application.test_client()
    reason = "the store's schema is missing (run actiongate init-db)"
    _assert_unavailable(client.get("/healthz"), reason)
    answer = Api(client).call("GetAccount", key=UNKNOWN_KEY)
    assert answer.status == 503
    assert answer.body["message"] == f"The service is unavailable: {reason}. Retry later."
    upgrade_schema()
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_older_schema_answers_503(app, client):
    with database.atomic():
        SchemaVersion.update(version=SCHEMA_VERSION - 1).execute()
    _assert_unavailable(client.get("/healthz"),
                        f"the store's schema is at version {SCHEMA_VERSION - 1}, older than "
                        f"this code's {SCHEMA_VERSION} (run actiongate init-db)")


def test_newer_schema_answers_503(app, client):
    with database.atomic():
        SchemaVersion.update(version=SCHEMA_VERSION + 1).execute()
    _assert_unavailable(client.get("/healthz"),
                        f"the store's schema is at version {SCHEMA_VERSION + 1}, newer than "
                        f"this code's {SCHEMA_VERSION}")


def test_a_driver_error_that_is_no_store_fault_stays_an_internal_error(app, api, tenant,
                                                                       monkeypatch):
    from actions import accounts

    def broken_sql(self, args):
        database.execute_sql("SELEC 1")

    monkeypatch.setattr(accounts.GetAccount, "run", broken_sql)
    answer = api.call("GetAccount", key=tenant.auditor)
    assert (answer.status, answer.error) == (500, "InternalError")


def test_healthz_is_ok_when_the_store_can_serve(app, client):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_json()) == (200, {"status": "ok"})
