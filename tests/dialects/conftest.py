"""Fixtures of the wire-dialect tests: a Landscape v2 client over the Flask test client and a
small fleet (computers, a group with children, lone activities) in two accounts."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from ..activities.conftest import Machine, activities, make_computer  # noqa: F401
from ..conftest import Response, Tenant


@dataclass
class V2:
    """Calls ``/api/v2/`` with JSON bodies and a bearer token."""

    client: Any
    token: str | None = None

    def _headers(self, token: str | None) -> dict[str, str]:
        token = token or self.token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, *, token: str | None = None, **params: Any) -> Response:
        answer = self.client.get("/api/v2" + path, query_string=params,
                                 headers=self._headers(token))
        return Response(answer.status_code, answer.get_json())

    def post(self, path: str, body: Any = None, *, token: str | None = None,
             raw: str | bytes | None = None, content_type: str = "application/json"
             ) -> Response:
        data = raw if raw is not None else json.dumps(body)
        answer = self.client.post("/api/v2" + path, data=data, content_type=content_type,
                                  headers=self._headers(token))
        return Response(answer.status_code, answer.get_json())

    def login(self, email: str, password: str) -> str:
        answer = self.post("/login", {"email": email, "password": password})
        assert answer.status == 200, answer.body
        return answer.body["token"]


def login_as(v2: V2, tenant: Tenant, role: str) -> str:
    """A token of the tenant's person of ``role`` (passwords are ``pw-<role>``)."""
    return v2.login(tenant.persons[role].email, "pw-" + role)


@pytest.fixture
def v2(client) -> V2:
    return V2(client)


@pytest.fixture
def tokens(v2, tenant) -> dict[str, str]:
    """A token per role of ``tenant``."""
    return {role: login_as(v2, tenant, role) for role in ("admin", "manager", "auditor")}


@dataclass
class Fleet:
    """What :func:`fleet` created (ids)."""

    laptop: Machine
    server: Machine
    group: int
    children: list[int]
    lone_group: int
    lone_child: int
    waiting: int
    held: int
    foreign: int


@pytest.fixture
def fleet(tenant, make_tenant, make_computer, activities) -> Fleet:  # noqa: F811
    """Oldest first: a group on two computers (succeeded, failed), a group of one child on
    one computer (undelivered), an undelivered and an unapproved activity on the server;
    another account's activity."""
    laptop = make_computer(tenant.account, "laptop1", tags=["laptop"])
    server = make_computer(tenant.account, "server1", tags=["server"])
    jane = tenant.persons["admin"]
    changes = [{"package": "nginx", "type": "install", "version": "1.2", "complemented": False}]
    group, children = activities.group(tenant.account, ["succeeded", "failed"],
                                       [laptop, server], creator=jane,
                                       summary="Install package nginx", changes=changes,
                                       package_ids=[7])
    lone_group, (lone_child,) = activities.group(tenant.account, ["undelivered"], [server],
                                                 creator=jane, summary="Restart")
    waiting = activities.one(tenant.account, "undelivered", computer=server, creator=jane)
    held = activities.one(tenant.account, "unapproved", computer=server)
    other = make_tenant("other")
    foreign = activities.one(other.account, "undelivered")
    return Fleet(laptop, server, group, children, lone_group, lone_child, waiting, held,
                 foreign)


@dataclass
class Acronis:
    """Calls ``/api/task_manager/v2/`` with a bearer token from ``/api/2/idp/token``."""

    client: Any
    token: str | None = None

    def authenticate(self, key: Any) -> str:
        answer = self.client.post("/api/2/idp/token", data={"grant_type": "client_credentials"},
                                  auth=(key.access_key, key.secret_key))
        assert answer.status_code == 200, answer.get_json()
        self.token = answer.get_json()["access_token"]
        return self.token

    def get(self, path: str, **params: Any) -> Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = self.client.get("/api/task_manager/v2" + path, query_string=params,
                                 headers=headers)
        return Response(answer.status_code, answer.get_json())

    def walk(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list, page after page through the cursors."""
        items: list[dict[str, Any]] = []
        while True:
            answer = self.get(path, **params)
            assert answer.status == 200, answer.body
            items += answer.body["items"]
            after = answer.body["paging"]["cursors"].get("after")
            if after is None:
                return items
            params["after"] = after


@pytest.fixture
def acronis(client, tenant) -> Acronis:
    """An Acronis client authenticated with the tenant's auditor key."""
    caller = Acronis(client)
    caller.authenticate(tenant.keys["auditor"])
    return caller
