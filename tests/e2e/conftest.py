"""End-to-end fixtures: the gateway under gunicorn on a free loopback port, and the official
``landscape-api`` client (library and CLI) pointed at it, unmodified."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from app.cli import GUNICORN_CONFIG
from bench.servers import stop

from ..conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(db_url: str, instance: Path, *options: str, **environment: str) -> Iterator[str]:
    """gunicorn serving ``wsgi:app`` on ``db_url`` with ``options`` and extra ``environment``
    variables; yields its base URL."""
    port = _free_port()
    env = dict(os.environ, ACTIONGATE_DATABASE_URL=db_url, ACTIONGATE_SECRET_KEY=TEST_SECRET,
               ACTIONGATE_INSTANCE_PATH=str(instance), PYTHONPATH=str(ROOT), **environment)
    # /healthz answers 200 only once the store has the code's schema.
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "init-db"], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    log = open(instance / "gunicorn.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "--bind",
         f"127.0.0.1:{port}", *options, "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            pytest.fail("gunicorn did not start:\n" + (instance / "gunicorn.log").read_text())
        time.sleep(0.1)
    yield base
    stop(process)
    log.close()


@pytest.fixture(scope="session")
def server(db_url: str, tmp_path_factory: pytest.TempPathFactory):
    """gunicorn serving ``wsgi:app`` on the test store; yields the API URI."""
    with gunicorn(db_url, tmp_path_factory.mktemp("instance"), "--workers", "2",
                  "--threads", "4", "--graceful-timeout", "2") as base:
        yield base + "/api/"


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def landscape_cli(server):
    """Run the official ``landscape-api`` CLI with LANDSCAPE_API_KEY/SECRET/URI set."""

    def run(key, *argv: str) -> CliResult:
        env = dict(os.environ, LANDSCAPE_API_KEY=key.access_key,
                   LANDSCAPE_API_SECRET=key.secret_key, LANDSCAPE_API_URI=server)
        done = subprocess.run([sys.executable, "-m", "landscape_api", *argv], env=env,
                              capture_output=True, text=True, timeout=60)
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def landscape_api(server):
    """Factory: ``landscape_api(key)`` → the official client's ``API`` object."""
    from landscape_api.base import API

    def make(key, **kwargs):
        return API(server, key.access_key, key.secret_key, **kwargs)

    return make
