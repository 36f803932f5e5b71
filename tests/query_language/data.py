"""A small store for query tests: two accounts, their computers, persons and activities.

:func:`seed` works on whatever database ``app.models.database`` is bound to (its tables
created) and returns the ids the tests refer to by name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.models import (Account, Activity, Computer, ComputerAnnotation, ComputerTag,
                        NetworkDevice, Person, database)


@dataclass
class Dataset:
    """Ids by name: ``accounts["acme"]``, ``computers["web1"]``, ``activities["restart"]``."""

    accounts: dict[str, int] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    computers: dict[str, int] = field(default_factory=dict)
    activities: dict[str, int] = field(default_factory=dict)

    @property
    def acme(self) -> int:
        return self.accounts["acme"]

    def activity_names(self, ids: list[int]) -> set[str]:
        return _names(self.activities, ids)

    def computer_names(self, ids: list[int]) -> set[str]:
        return _names(self.computers, ids)


def _names(ids_by_name: dict[str, int], ids: list[int]) -> set[str]:
    return {name for name, value in ids_by_name.items() if value in ids}


#: name → (account, title, hostname, distribution, codename, access group, needs reboot,
#:          tags, annotations, network devices as (mac, ip))
COMPUTERS = {
    "web1": ("acme", "Web One", "web1.example.com", "22.04", "jammy", "global", False,
             ["server", "web"], {"rack": "r1-north"}, [("00:16:3E:AA:BB:01", "10.0.0.1")]),
    "laptop": ("acme", "Jane's Laptop", "LAPTOP.example.com", "20.04", "focal", "staff", True,
               ["laptop"], {"owner": "jane"},
               [("00:16:3e:aa:bb:02", "10.0.1.2"), (None, "fe80::1")]),
    "db": ("acme", "DB 100%", "db_1", "22.04", "jammy", "global", False,
           ["server", "Server"], {}, []),
    "other-web1": ("globex", "Web One", "web1.example.com", "22.04", "jammy", "global", True,
                   ["server", "laptop"], {"rack": "r1-north"}, [("00:16:3e:aa:bb:01", "10.0.0.1")]),
}

#: name → (account, type, summary, status, creator, computer, parent, creation time)
ACTIVITIES = {
    "group": ("acme", "ActivityGroup", "Install packages nginx and curl", "delivered", "jane",
              None, None, datetime(2011, 1, 10, 12, 0, 0)),
    "install-web1": ("acme", "ChangePackagesRequest", "Install packages nginx and curl",
                     "succeeded", "jane", "web1", "group", datetime(2011, 1, 10, 12, 0, 0)),
    "install-laptop": ("acme", "ChangePackagesRequest", "Install packages nginx and curl",
                       "delivered", "jane", "laptop", "group", datetime(2011, 1, 10, 12, 0, 0)),
    "restart": ("acme", "RestartRequest", "Restart computer", "failed", "bob", "laptop", None,
                datetime(2011, 2, 1, 0, 0, 0)),
    "script": ("acme", "ExecuteScriptRequest", "Run 100% of script_1", "unapproved", None, "db",
               None, datetime(2011, 3, 5, 8, 30, 0)),
    # Inconsistent on purpose: an acme activity naming globex's computer and person, so that
    # the tests can show that sub-selects never reach into another account.
    "stray": ("acme", "ShutdownRequest", "Shut down", "undelivered", "eve", "other-web1", None,
              datetime(2011, 1, 20, 0, 0, 0)),
    "other-restart": ("globex", "RestartRequest", "Restart computer", "succeeded", "eve",
                      "other-web1", None, datetime(2011, 1, 15, 0, 0, 0)),
}

#: name → (account, e-mail)
PERSONS = {
    "jane": ("acme", "Jane.Doe@Example.com"),
    "bob": ("acme", "bob@example.com"),
    "eve": ("globex", "eve@example.com"),
}


def seed() -> Dataset:
    """Insert the data set into the bound database and return its ids."""
    data = Dataset()
    with database.atomic():
        for name in ("acme", "globex"):
            data.accounts[name] = Account.create(name=name, title=name.title()).id
        for name, (account, email) in PERSONS.items():
            data.persons[name] = Person.create(
                account=data.accounts[account], email=email, email_key=email.lower(),
                name=name.title(), username=name).id
        for name, row in COMPUTERS.items():
            data.computers[name] = _create_computer(data, *row)
        for name, (account, type_, summary, status, creator, computer, parent,
                   created) in ACTIVITIES.items():
            data.activities[name] = Activity.create(
                account=data.accounts[account], type=type_, summary=summary,
                activity_status=status, creator=data.persons.get(creator),
                computer_id=data.computers.get(computer), parent=data.activities.get(parent),
                creation_time=created, modification_time=created).id
    return data


def _create_computer(data: Dataset, account: str, title: str, hostname: str,
                     distribution: str, codename: str, access_group: str, needs_reboot: bool,
                     tags: list[str], annotations: dict[str, str],
                     devices: list[tuple[str | None, str | None]]) -> int:
    computer = Computer.create(
        account=data.accounts[account], title=title, hostname=hostname,
        distribution=distribution, codename=codename, access_group=access_group,
        needs_reboot=needs_reboot)
    for tag in tags:
        ComputerTag.create(computer=computer, name=tag)
    for key, value in annotations.items():
        ComputerAnnotation.create(computer=computer, key=key, value=value)
    for position, (mac, ip) in enumerate(devices):
        NetworkDevice.create(computer=computer, position=position, mac_address=mac,
                             ip_address=ip)
    return computer.id
