"""Fixtures of the activity-management tests: computers with agent keys, activities in any
status (groups with derived statuses), catalogue packages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

import pytest

from app import inventory
from app.activity_state import GROUP, derive_group_status
from app.models import Account, Activity, Package, Person, database

from ..conftest import Key, Response

T0 = datetime(2012, 3, 6, 18, 52, 9)


@dataclass
class Machine:
    """A registered computer and its agent's key."""

    id: int
    title: str
    key: Key


@pytest.fixture
def make_computer(app):
    """Factory: ``make_computer(account, "laptop1", tags=["laptop"])`` → :class:`Machine`."""

    def make(account: Account, title: str, *, tags: Iterable[str] = (), **fields: Any
             ) -> Machine:
        with database.atomic():
            computer, key = inventory.register(
                account, title=title, hostname=fields.pop("hostname", f"{title}.example"),
                tags=tags, **fields)
        return Machine(computer.id, title, Key(key.access_key, key.secret_key))

    return make


class Activities:
    """Creates activities directly in the store (bypassing the actions under test)."""

    def __init__(self) -> None:
        self.clock = T0

    def tick(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    def one(self, account: Account, status: str = "undelivered", *,
            type: str = "ChangePackagesRequest", computer: Machine | int | None = None,
            parent: int | None = None, creator: Person | None = None, **fields: Any) -> int:
        computer_id = computer.id if isinstance(computer, Machine) else computer
        values = {"account": account.id, "type": type, "activity_status": status,
                  "summary": fields.pop("summary", f"{type} {status}"),
                  "computer_id": computer_id, "parent": parent,
                  "creator": creator.id if creator else None,
                  "creation_time": fields.pop("creation_time", self.tick()), **fields}
        values.setdefault("modification_time", values["creation_time"])
        if status in ("succeeded", "failed", "canceled"):
            values.setdefault("completion_time", values["creation_time"])
        with database.atomic():
            return Activity.insert(values).execute()

    def group(self, account: Account, statuses: Sequence[str],
              computers: Sequence[Machine], *, creator: Person | None = None,
              **fields: Any) -> tuple[int, list[int]]:
        """A group whose children have ``statuses`` (on ``computers``, cycling)."""
        created = self.tick()
        parent = self.one(account, derive_group_status(statuses), type=GROUP,
                          creator=creator, creation_time=created, **fields)
        children = [self.one(account, status, computer=computers[i % len(computers)],
                             parent=parent, creator=creator, creation_time=created, **fields)
                    for i, status in enumerate(statuses)]
        return parent, children


@pytest.fixture
def activities(app) -> Activities:
    return Activities()


@pytest.fixture
def packages(app):
    """Factory: ``packages(account, "nginx", "curl")`` adds catalogue packages; → ids."""

    def add(account: Account, *names: str, namespace: str = "rpms") -> list[int]:
        with database.atomic():
            return [Package.create(account=account, name=name, namespace=namespace).id
                    for name in names]

    return add


def status_of(*ids: int) -> list[str]:
    """The stored statuses of ``ids``, in that order."""
    found = dict(Activity.select(Activity.id, Activity.activity_status)
                 .where(Activity.id.in_(ids)).tuples())
    return [found[i] for i in ids]


def row(activity_id: int) -> Activity:
    return Activity.get_by_id(activity_id)


@pytest.fixture
def call_raw(api, client):
    """``call_raw(key, "Action", {"key": "owner"})``: arguments whose names clash with
    :meth:`Api.call`'s own (``key``), sent with a bearer token obtained for ``key``."""

    def call(key: Key, action: str, params: dict[str, Any]) -> Response:
        token = api.call("LoginWithAccessKey", access_key=key.access_key,
                         secret_key=key.secret_key).body["token"]
        answer = client.post("/api/", data={"action": action, **params},
                             headers={"Authorization": f"Bearer {token}"})
        return Response(answer.status_code, answer.get_json())

    return call
