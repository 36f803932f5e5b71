"""A client of the Swarm dialect (``/api/v11/``) over the Flask test client, and events
recorded straight into the log (the tests of the reads do not depend on which changes
write events)."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from app.models import database
from app.store import events

from ..conftest import Response, Tenant


def basic(username: str, ticket: str) -> dict[str, str]:
    """An HTTP Basic ``Authorization`` header."""
    encoded = base64.b64encode(f"{username}:{ticket}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Swarm:
    """Calls ``/api/v11`` with the given ``Authorization`` header."""

    client: Any
    headers: dict[str, str]

    def get(self, path: str, *, headers: dict[str, str] | None = None,
            **params: Any) -> Response:
        answer = self.client.get("/api/v11" + path, query_string=params,
                                 headers=self.headers if headers is None else headers)
        return Response(answer.status_code, answer.get_json())

    def post(self, body: Any = None, *, form: dict[str, Any] | None = None,
             raw: str | None = None, content_type: str = "application/json",
             headers: dict[str, str] | None = None, path: str = "/activity") -> Response:
        headers = self.headers if headers is None else headers
        if form is not None:
            answer = self.client.post("/api/v11" + path, data=form, headers=headers)
        else:
            answer = self.client.post("/api/v11" + path,
                                      data=raw if raw is not None else json.dumps(body),
                                      content_type=content_type, headers=headers)
        return Response(answer.status_code, answer.get_json())

    def entries(self, path: str = "/activity", **params: Any) -> list[dict[str, Any]]:
        answer = self.get(path, **params)
        assert answer.status == 200, answer.body
        return answer.body["data"]["activity"]

    def ids(self, path: str = "/activity", **params: Any) -> list[int]:
        return [item["id"] for item in self.entries(path, fields="id", **params)]


def add_event(tenant: Tenant, actor: str | None = "admin-acme", *, type: str = "activity",
              action: str = "canceled", target: str = "activity 85",
              streams: list[str] | None = None, followers: list[str] | None = None,
              at: int = 1_700_000_000, **extra: Any) -> int:
    """Record one event in ``tenant``'s log and return its id."""
    with database.atomic():
        events.record(tenant.account.id, actor, [events.NewEvent(
            type=type, action=action, target=target, streams=streams or [],
            followers=followers or [], **extra)], at=at)
        return database.execute_sql("SELECT MAX(id) FROM event").fetchone()[0]
