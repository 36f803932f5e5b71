"""Operations: ``actiongate serve`` runs gunicorn with the shipped ``gunicorn.conf.py``, and
every response carries an ``X-Request-Id``."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest
from hypothesis import given, strategies as st

from app import cli

ROOT = cli.GUNICORN_CONFIG.parent


class Exec(Exception):
    """Raised instead of replacing the test process."""


@pytest.fixture
def exec_argv(monkeypatch):
    captured: list[list[str]] = []

    def fake_execv(path, argv):
        captured.append(argv)
        raise Exec()

    monkeypatch.setattr(cli.os, "execv", fake_execv)
    return captured


def test_serve_runs_gunicorn_with_the_shipped_config(runner, exec_argv):
    runner.invoke(cli.serve_command, ["--bind", "127.0.0.1:9999"])
    assert exec_argv == [[sys.executable, "-m", "gunicorn", "--config",
                          str(ROOT / "gunicorn.conf.py"), "--bind", "127.0.0.1:9999",
                          "wsgi:app"]]
    assert cli.GUNICORN_CONFIG.is_file()


def test_serve_workers_option_overrides_the_config(runner, exec_argv):
    runner.invoke(cli.serve_command, ["--workers", "3"])
    assert exec_argv[0][-3:] == ["--workers", "3", "wsgi:app"]


def _gunicorn_settings(**environ: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", str(cli.GUNICORN_CONFIG),
         "--print-config", "wsgi:app"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **environ},
        capture_output=True, text=True, timeout=60, check=True)
    return dict(re.findall(r"^(\w+)\s+= (.*)$", done.stdout, re.MULTILINE))


def test_gunicorn_config_sets_timeouts_limits_and_the_request_id_log():
    settings = _gunicorn_settings(ACTIONGATE_WORKERS="3", ACTIONGATE_THREADS="2")
    assert {name: settings[name] for name in (
        "workers", "threads", "timeout", "graceful_timeout", "limit_request_line",
        "limit_request_fields", "limit_request_field_size", "accesslog")} == {
        "workers": "3", "threads": "2", "timeout": "60", "graceful_timeout": "30",
        "limit_request_line": "8190", "limit_request_fields": "100",
        "limit_request_field_size": "8190", "accesslog": "-"}
    assert "%({x-request-id}o)s" in settings["access_log_format"]


def test_response_carries_a_generated_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-Id"])
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]


@given(st.binary(min_size=16, max_size=16))
def test_a_generated_request_id_is_what_uuid4_makes_of_its_random_bytes(random):
    from app.request_id import uuid4_hex

    assert uuid4_hex(random) == uuid.UUID(bytes=random, version=4).hex


def test_a_sane_request_id_is_answered_back(client):
    answer = client.get("/api/?action=Nope", headers={"X-Request-Id": "lb-7f3a:91.2"})
    assert (answer.status_code, answer.headers["X-Request-Id"]) == (400, "lb-7f3a:91.2")


@pytest.mark.parametrize("given", ['a b', 'x"y', "z" * 129, ""])
def test_an_insane_request_id_is_replaced(client, given):
    answer = client.get("/healthz", headers={"X-Request-Id": given})
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["X-Request-Id"])


def test_internal_error_message_names_the_request_id(client, monkeypatch):
    from actions import registry

    def explode(self, args):
        raise RuntimeError("boom")

    monkeypatch.setattr(registry.get("GetVersion"), "run", explode)
    answer = client.post("/api/", data={"action": "GetVersion"},
                         headers={"X-Request-Id": "req-42"})
    assert (answer.status_code, answer.headers["X-Request-Id"]) == (500, "req-42")
    assert answer.get_json() == {"error": "InternalError",
                                 "message": "An internal error occurred (request id req-42)."}
