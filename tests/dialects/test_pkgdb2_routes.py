"""Every pkgdb2 route is served as declared and with its trailing slash toggled or a slash
doubled: never a redirect, never a 500, always pkgdb2's envelope; without credentials 401
in that envelope (GETs of a public catalogue aside)."""
from __future__ import annotations

import re

import pytest

from app.dialects import pkgdb2

from ..catalogue.conftest import catalogue  # noqa: F401
from .test_pkgdb2_writes import basic

_VALUES = {"pattern": "gu*", "packagername": "manager-acme", "pkgname": "guake",
           "namespace": "rpms", "actionid": "1", "bzid": "1234", "url_branch": "f20",
           "status": "1"}
ROUTES = pkgdb2.ROUTES


def _concrete(path: str) -> str:
    return re.sub(r"<(\w+)>", lambda match: _VALUES[match[1]], path)


def _variants(path: str) -> list[str]:
    toggled = path[:-1] if path.endswith("/") else path + "/"
    doubled = path.replace("/", "//", 1) if path.count("/") > 1 else path
    return [path, toggled, doubled]


def _call(client, route, path, headers):
    if route.method == "GET":
        return client.get("/pkgdb/api" + path, headers=headers)
    return client.post("/pkgdb/api" + path, data={}, headers=headers)


@pytest.fixture
def guake(catalogue):  # noqa: F811
    return catalogue.package("guake", ("master", "f20"))


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_no_route_redirects_or_fails(client, guake, route):
    for path in _variants(_concrete(route.path)):
        answer = _call(client, route, path, basic("admin"))
        assert answer.status_code < 500 and answer.status_code not in (301, 302, 307, 308), (
            path, answer.status_code)
        if answer.mimetype == "application/json":
            body = answer.get_json()
            assert body.get("output", "ok") in ("ok", "notok"), (path, body)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.action != "GetVersion"],
                         ids=[f"{r.method} {r.path}" for r in ROUTES if r.action != "GetVersion"])
def test_without_credentials_every_route_is_401_in_the_envelope(client, guake, route):
    answer = _call(client, route, _concrete(route.path), {})
    assert (answer.status_code, answer.get_json()) == (
        401, {"output": "notok", "error": "Authentication required"})
