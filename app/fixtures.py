"""The fixture format of CONTRACT §6.1: import (one transaction) and export.

A fixture is one JSON object of lists ("sections"). Each :class:`Section` knows its allowed
keys, how to load one record and how to dump an account's records; other modules (the
catalogue) append their sections to :data:`SECTIONS`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable

from peewee import DatabaseError

from . import directory
from .db import finish_bulk_load
from .errors import ApiError
from .models import (Account, Activity, ActivityStatus, ApiKey, Computer, ComputerAnnotation,
                     ComputerTag, NetworkDevice, Person, Role, database)
from .timefmt import from_wire, to_wire


class FixtureError(Exception):
    """A record could not be imported; the message names it."""


@dataclass
class Section:
    """One list of a fixture."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    load: Callable[[dict], None]
    dump: Callable[[Account, bool], list[dict]]

    def check(self, record: Any) -> None:
        if not isinstance(record, dict):
            raise FixtureError("expected an object")
        unknown = sorted(set(record) - set(self.required) - set(self.optional))
        if unknown:
            raise FixtureError(f"unknown key(s): {', '.join(unknown)}")
        missing = [key for key in self.required if key not in record]
        if missing:
            raise FixtureError(f"missing key(s): {', '.join(missing)}")


def _time(record: dict, key: str) -> datetime | None:
    value = record.get(key)
    if value is None:
        return None
    try:
        return from_wire(value)
    except (TypeError, ValueError):
        raise FixtureError(f"{key} must be YYYY-MM-DDTHH:MM:SSZ, not {value!r}") from None


def _account(name: Any) -> Account:
    account = Account.get_or_none(Account.name == name)
    if account is None:
        raise FixtureError(f"unknown account {name!r}")
    return account


# --- accounts, persons ----------------------------------------------------------------------

def _load_account(record: dict) -> None:
    directory.create_account(record["name"], record.get("title", ""),
                             bool(record.get("require_approval", False)))


def _dump_accounts(account: Account, secrets: bool) -> list[dict]:
    return [{"name": account.name, "title": account.title,
             "require_approval": account.require_approval}]


def _load_keys(owner: Person | Computer, keys: Any) -> None:
    for key in keys or ():
        if not isinstance(key, dict) or set(key) - {"access_key", "secret_key", "revoked"}:
            raise FixtureError("keys must be objects with access_key, secret_key, revoked")
        issued = directory.issue_key(owner, key["access_key"], key["secret_key"])
        if key.get("revoked"):
            ApiKey.update(revoked=True).where(ApiKey.id == issued.id).execute()


def _dump_keys(owner_field: Any, owner_id: int) -> list[dict]:
    return [{"access_key": k.access_key, "secret_key": k.secret_key, "revoked": k.revoked}
            for k in ApiKey.select().where(owner_field == owner_id).order_by(ApiKey.id)]


def _load_person(record: dict) -> None:
    person = directory.create_person(
        _account(record["account"]), email=record["email"], name=record["name"],
        username=record.get("username"), role=record.get("role", Role.AUDITOR),
        groups=record.get("groups", ()), password=record.get("password"),
        password_hash=record.get("password_hash"), person_id=record.get("id"))
    if record.get("disabled"):
        Person.update(disabled=True).where(Person.id == person.id).execute()
    _load_keys(person, record.get("keys"))


def _dump_persons(account: Account, secrets: bool) -> list[dict]:
    out = []
    for person in Person.select().where(Person.account == account).order_by(Person.id):
        data = {"id": person.id, "account": account.name, **directory.person_json(person)}
        if secrets:
            data["password_hash"] = person.password_hash
            data["keys"] = _dump_keys(ApiKey.person, person.id)
        out.append(data)
    return out


# --- computers ------------------------------------------------------------------------------

COMPUTER_FIELDS = ("title", "hostname", "distribution", "codename", "access_group",
                   "needs_reboot")


def _load_computer(record: dict) -> None:
    values = {key: record[key] for key in COMPUTER_FIELDS if key in record}
    values.setdefault("hostname", record["title"])
    for key in ("last_ping_time", "registration_time"):
        if key in record:
            values[key] = _time(record, key)
    if "id" in record:
        values["id"] = record["id"]
    computer = Computer.create(account=_account(record["account"]), **values)
    tags = record.get("tags") or []
    if tags:
        ComputerTag.insert_many([{"computer": computer.id, "name": t}
                                 for t in dict.fromkeys(tags)]).execute()
    annotations = record.get("annotations") or {}
    if annotations:
        ComputerAnnotation.insert_many([{"computer": computer.id, "key": k, "value": v}
                                        for k, v in annotations.items()]).execute()
    macs, ips = record.get("mac_addresses") or [], record.get("ip_addresses") or []
    devices = [{"computer": computer.id, "position": i,
                "mac_address": macs[i] if i < len(macs) else None,
                "ip_address": ips[i] if i < len(ips) else None}
               for i in range(max(len(macs), len(ips)))]
    if devices:
        NetworkDevice.insert_many(devices).execute()
    _load_keys(computer, record.get("keys"))


def _dump_computers(account: Account, secrets: bool) -> list[dict]:
    out = []
    for computer in Computer.select().where(Computer.account == account).order_by(Computer.id):
        devices = list(NetworkDevice.select().where(NetworkDevice.computer == computer)
                       .order_by(NetworkDevice.position))
        data = {"id": computer.id, "account": account.name,
                **{key: getattr(computer, key) for key in COMPUTER_FIELDS},
                "tags": sorted(t.name for t in computer.tag_rows),
                "annotations": {a.key: a.value for a in computer.annotation_rows.order_by(
                    ComputerAnnotation.key)},
                "mac_addresses": [d.mac_address for d in devices if d.mac_address],
                "ip_addresses": [d.ip_address for d in devices if d.ip_address],
                "last_ping_time": to_wire(computer.last_ping_time),
                "registration_time": to_wire(computer.registration_time)}
        if secrets:
            data["keys"] = _dump_keys(ApiKey.computer, computer.id)
        out.append(data)
    return out


# --- activities -----------------------------------------------------------------------------

ACTIVITY_TIMES = ("creation_time", "modification_time", "delivery_time", "completion_time",
                  "approval_time", "deliver_after_time", "deliver_before_time")
ACTIVITY_VALUES = ("type", "activity_status", "summary", "result_text", "result_code",
                   "progress", "changes", "package_ids")


def _same_account(model: Any, record_id: Any, account: Account, what: str) -> int | None:
    if record_id is None:
        return None
    row = model.get_or_none((model.id == record_id) & (model.account == account))
    if row is None:
        raise FixtureError(f"{what} {record_id} is not a record of account {account.name!r}")
    return row.id


def _load_activity(record: dict) -> None:
    account = _account(record["account"])
    values: dict[str, Any] = {key: record[key] for key in ACTIVITY_VALUES if key in record}
    values.setdefault("activity_status", ActivityStatus.UNDELIVERED)
    for key in ACTIVITY_TIMES:
        if key in record:
            values[key] = _time(record, key)
    values["computer_id"] = _same_account(Computer, record.get("computer_id"), account,
                                          "computer_id")
    values["creator"] = _same_account(Person, record.get("creator_id"), account, "creator_id")
    values["parent"] = _same_account(Activity, record.get("parent_id"), account, "parent_id")
    if "id" in record:
        values["id"] = record["id"]
    Activity.create(account=account, **values)


def _dump_activities(account: Account, secrets: bool) -> list[dict]:
    out = []
    for activity in Activity.select().where(Activity.account == account).order_by(Activity.id):
        data = {"id": activity.id, "account": account.name,
                **{key: getattr(activity, key) for key in ACTIVITY_VALUES},
                "parent_id": activity.parent_id, "computer_id": activity.computer_id,
                "creator_id": activity.creator_id}
        data.update({key: to_wire(getattr(activity, key)) for key in ACTIVITY_TIMES})
        out.append(data)
    return out


SECTIONS: list[Section] = [
    Section("accounts", ("name",), ("title", "require_approval"), _load_account,
            _dump_accounts),
    Section("persons", ("account", "email", "name"),
            ("id", "username", "role", "groups", "password", "password_hash", "disabled",
             "keys"), _load_person, _dump_persons),
    Section("computers", ("account", "title"),
            ("id", "hostname", "distribution", "codename", "access_group", "tags",
             "annotations", "mac_addresses", "ip_addresses", "needs_reboot", "keys",
             "last_ping_time", "registration_time"), _load_computer, _dump_computers),
    Section("activities", ("account", "type"),
            ("id", "activity_status", "summary", "parent_id", "computer_id", "creator_id",
             "result_text", "result_code", "progress", "changes", "package_ids")
            + ACTIVITY_TIMES, _load_activity, _dump_activities),
]


def import_fixture(document: Any) -> dict[str, int]:
    """Load a fixture in one transaction; returns the number of records per section.

    Any bad record raises :class:`FixtureError` naming it, and nothing is written.
    """
    if not isinstance(document, dict):
        raise FixtureError("a fixture is one JSON object")
    known = {section.name for section in SECTIONS}
    unknown = sorted(set(document) - known)
    if unknown:
        raise FixtureError(f"unknown section(s): {', '.join(unknown)}")
    counts: dict[str, int] = {}
    with database.atomic():
        for section in SECTIONS:
            records = document.get(section.name) or []
            if not isinstance(records, list):
                raise FixtureError(f"{section.name} must be a list")
            for index, record in enumerate(records):
                try:
                    section.check(record)
                    section.load(record)
                except FixtureError as error:
                    raise FixtureError(f"{section.name}[{index}]: {error}") from None
                except ApiError as error:
                    raise FixtureError(f"{section.name}[{index}]: {error.message}") from None
                except (KeyError, TypeError, ValueError, AttributeError) as error:
                    raise FixtureError(f"{section.name}[{index}]: invalid value ({error})"
                                       ) from None
                except DatabaseError as error:
                    raise FixtureError(f"{section.name}[{index}]: rejected by the store "
                                       f"({type(error).__name__})") from None
            counts[section.name] = len(records)
        finish_bulk_load()
    return counts


def export_fixture(accounts: Iterable[Account], with_secrets: bool = False) -> dict[str, list]:
    """Every record of ``accounts`` in the fixture format (secrets only when asked)."""
    document: dict[str, list] = {section.name: [] for section in SECTIONS}
    for account in accounts:
        for section in SECTIONS:
            document[section.name].extend(section.dump(account, with_secrets))
    return document


def _register_catalogue() -> None:
    """The catalogue's sections come after activities (they refer to accounts only)."""
    from .fixtures_catalogue import CATALOGUE_SECTIONS
    SECTIONS.extend(CATALOGUE_SECTIONS)


_register_catalogue()
