"""Computers (ACTIVITIES.md §2): selecting them by query, their JSON, registration, tags,
annotations, renaming and removal. Tag and annotation changes are set-based statements.

Decisions: computers are listed by id; ``with_hardware`` is accepted (the official client
may send it) and answers an empty ``hardware`` list, since no hardware is inventoried.
Tag and annotation actions whose query selects nothing answer ``[]`` (like a bulk status
change); actions that create activities answer 404 ``UnknownComputers`` instead.
"""
from __future__ import annotations

import re
from typing import Any, Collection, Iterable, Mapping

from peewee import Case, ColumnBase, chunked, fn

from query_language import compile_query

from . import change_events, directory
from .errors import BadRequest, NotFound, echo
from .idset import in_ids, in_texts
from .store.credentials import forget
from .store.rows import DictShape, field
from .store.vocabularies import COMPUTER_VOCABULARY
from .models import (Account, ApiKey, Computer, ComputerAnnotation, ComputerTag, EventAction,
                     NetworkDevice, database, utcnow)
from .timefmt import time_field

TAG = re.compile(r"[A-Za-z0-9._-]{1,128}\Z")
TITLE_MAX = 256
#: rows per INSERT or CASE UPDATE: below SQLite's bound-parameter limit
INSERT_BATCH = 500

#: The GetComputers object: the column each member comes from (``tags`` is filled after)
COMPUTER = DictShape("computer", [
    field("id", Computer.id), field("title", Computer.title),
    field("hostname", Computer.hostname), field("distribution", Computer.distribution),
    field("codename", Computer.codename), field("access_group", Computer.access_group),
    field("tags", text="[]"),
    time_field("last_ping_time", Computer.last_ping_time),
    time_field("registration_time", Computer.registration_time),
    field("needs_reboot", Computer.needs_reboot, text="bool($0)"),
])


def check_tags(tags: Iterable[str], code: str = "InvalidTag", noun: str = "tag") -> list[str]:
    """Tags de-duplicated in order; a bad one is 400 ``InvalidTag``."""
    tags = list(dict.fromkeys(tags))
    for tag in tags:
        if not TAG.match(tag):
            raise BadRequest(f"Invalid {noun} '{echo(tag)}': expected 1 to 128 letters, digits, "
                             "'-', '_' or '.'", code=code)
    return tags


def check_title(title: str, computer_id: int | None = None) -> str:
    """A title of 1 to 256 characters, not blank; else 400 ``InvalidTitle``."""
    if not title.strip() or len(title) > TITLE_MAX:
        about = f" for computer {computer_id}" if computer_id is not None else ""
        raise BadRequest(f"Invalid title '{echo(title)}'{about}: expected 1 to {TITLE_MAX} "
                         "characters, not all blank", code="InvalidTitle")
    return title


def matching(account_id: int, query: str) -> ColumnBase:
    """The account's computers matching a computer query (InvalidQuery when it is wrong)."""
    where = Computer.account == account_id
    condition = compile_query(query, COMPUTER_VOCABULARY, account_id=account_id)
    return where if condition is None else where & condition


def require_computers(where: ColumnBase, query: str) -> list[int]:
    """The ids of the computers matching ``where`` (compiled from ``query``), ascending;
    selecting none is 404 ``UnknownComputers``."""
    select = Computer.select(Computer.id).where(where).order_by(Computer.id)
    ids = [row[0] for row in database.execute(select)]
    if not ids:
        raise NotFound(f"No computer matches the query '{echo(query)}'", code="UnknownComputers")
    return ids


def require_ids(account_id: int, ids: Iterable[int]) -> list[int]:
    """The given computer ids, de-duplicated and ascending; any not in the account is 404."""
    wanted = sorted(set(ids))
    query = Computer.select(Computer.id).where((Computer.account == account_id)
                                               & in_ids(Computer.id, wanted))
    missing = set(wanted) - {row[0] for row in database.execute(query)}
    if missing:
        listed = ", ".join(str(i) for i in sorted(missing))
        raise NotFound(f"Unknown computer ids: {echo(listed)}", code="UnknownComputer")
    return wanted


# --- JSON ----------------------------------------------------------------------------------


def computers_json(where: ColumnBase, *, limit: int | None = None, offset: int = 0,
                   with_network: bool = False, with_annotations: bool = False,
                   with_hardware: bool = False) -> list[dict[str, Any]]:
    """The computers matching ``where`` in the GetComputers shape, by id."""
    query = Computer.select(*COMPUTER.columns).where(where).order_by(Computer.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    computers = [COMPUTER.render(row) for row in database.execute(query)]
    by_id = {computer["id"]: computer for computer in computers}
    if not by_id:
        return computers
    for cid, name in _rows(ComputerTag, (ComputerTag.computer, ComputerTag.name), by_id,
                           ComputerTag.name):
        by_id[cid]["tags"].append(name)
    if with_annotations:
        for computer in computers:
            computer["annotations"] = {}
        for cid, key, value in _rows(ComputerAnnotation, (
                ComputerAnnotation.computer, ComputerAnnotation.key, ComputerAnnotation.value),
                by_id, ComputerAnnotation.key):
            by_id[cid]["annotations"][key] = value
    if with_network:
        for computer in computers:
            computer["network_devices"] = []
        for cid, mac, ip in _rows(NetworkDevice, (
                NetworkDevice.computer, NetworkDevice.mac_address, NetworkDevice.ip_address),
                by_id, NetworkDevice.position):
            by_id[cid]["network_devices"].append({"mac_address": mac, "ip_address": ip})
    if with_hardware:
        for computer in computers:
            computer["hardware"] = []
    return computers


def count(where: ColumnBase) -> int:
    """How many computers match ``where`` (all pages of :func:`computers_json` together)."""
    return Computer.select().where(where).count()


def by_ids(ids: Collection[int], account_id: int | None = None) -> list[dict[str, Any]]:
    """The computers ``ids`` in the GetComputers shape (only the account's when
    ``account_id`` is given; otherwise they are already checked to be the caller's)."""
    where = in_ids(Computer.id, ids)
    return computers_json(where if account_id is None else where
                          & (Computer.account == account_id))


def _rows(model: Any, columns: tuple, computer_ids: Collection[int], order: Any):
    owner = columns[0]
    query = (model.select(*columns).where(in_ids(owner, computer_ids))
             .order_by(owner, order))
    return database.execute(query)


# --- changes --------------------------------------------------------------------------------


def register(account: Account, *, title: str, hostname: str, distribution: str = "",
             codename: str = "", access_group: str = "global",
             tags: Iterable[str] = ()) -> tuple[Computer, ApiKey]:
    """A new computer with its tags and its agent's key."""
    tags = check_tags(tags)
    computer = Computer.create(account=account, title=check_title(title), hostname=hostname,
                               distribution=distribution, codename=codename,
                               access_group=access_group, registration_time=utcnow())
    if tags:
        ComputerTag.insert_many([{"computer": computer.id, "name": t} for t in tags]).execute()
    change_events.computer_registered(account.id, computer.id, tags)
    return computer, directory.issue_key(computer)


def add_tags(account_id: int, query: str, tags: list[str]) -> list[int]:
    """Tag the matching computers; returns those that lacked one of ``tags``."""
    having_all = (ComputerTag.select(ComputerTag.computer)
                  .where(in_texts(ComputerTag.name, tags)).group_by(ComputerTag.computer)
                  .having(fn.COUNT(ComputerTag.name) >= len(tags)))
    lacking = Computer.select(Computer.id).where(
        matching(account_id, query) & ~Computer.id.in_(having_all))
    changed = sorted(row[0] for row in database.execute(lacking))
    _insert_ignoring_existing(ComputerTag, [ComputerTag.computer, ComputerTag.name],
                              [(cid, tag) for cid in changed for tag in tags])
    if changed:
        change_events.computers_tagged(account_id, EventAction.TAGGED,
                                       in_ids(Computer.id, changed), tags)
    return changed


def remove_tags(account_id: int, query: str, tags: list[str]) -> list[int]:
    """Untag the matching computers; returns those that had one of ``tags``."""
    changed = _delete_rows(account_id, query, ComputerTag, ComputerTag.name, tags)
    if changed:
        change_events.computers_tagged(account_id, EventAction.UNTAGGED,
                                       in_ids(Computer.id, changed), tags)
    return changed


def set_annotation(account_id: int, query: str, key: str, value: str = "") -> list[int]:
    """Set ``key`` to ``value`` on the matching computers; returns those that changed."""
    where = matching(account_id, query)
    same = ComputerAnnotation.select(ComputerAnnotation.computer).where(
        (ComputerAnnotation.key == key) & (ComputerAnnotation.value == value))
    changed_query = Computer.select(Computer.id).where(where & ~Computer.id.in_(same))
    changed = sorted(row[0] for row in database.execute(changed_query))
    if changed:
        ComputerAnnotation.update(value=value).where(
            (ComputerAnnotation.key == key) & in_ids(ComputerAnnotation.computer, changed)
        ).execute()
        _insert_ignoring_existing(
            ComputerAnnotation, [ComputerAnnotation.computer, ComputerAnnotation.key,
                                 ComputerAnnotation.value], [(cid, key, value) for cid in changed])
    return changed


def remove_annotation(account_id: int, query: str, key: str) -> list[int]:
    """Remove ``key`` from the matching computers; returns those that had it."""
    return _delete_rows(account_id, query, ComputerAnnotation, ComputerAnnotation.key, [key])


def rename(account_id: int, titles: Mapping[int, str]) -> list[int]:
    """Give each computer its new title, one ``UPDATE … CASE`` per batch of computers;
    returns the ids, ascending."""
    ids = require_ids(account_id, titles)
    for batch in chunked(sorted(titles.items()), INSERT_BATCH):
        where = in_ids(Computer.id, [cid for cid, _ in batch])
        change_events.computers_renamed(account_id, where & (Computer.title != Case(
            Computer.id, batch)), Case(Computer.id, batch))
        Computer.update(title=Case(Computer.id, batch)).where(where).execute()
    return ids


def remove(account_id: int, computer_ids: Iterable[int]) -> list[int]:
    """Delete computers (their tags, annotations, devices and keys go with them)."""
    ids = require_ids(account_id, computer_ids)
    change_events.computers(account_id, EventAction.REMOVED, in_ids(Computer.id, ids))
    for model in (ComputerTag, ComputerAnnotation, NetworkDevice):
        model.delete().where(in_ids(model.computer, ids)).execute()
    ApiKey.delete().where(in_ids(ApiKey.computer, ids)).execute()
    Computer.delete().where(in_ids(Computer.id, ids)).execute()
    forget()
    return ids


def _insert_ignoring_existing(model: Any, fields: list, rows: list[tuple]) -> None:
    """Insert ``rows`` in batches; rows that exist already (by a unique index) are kept."""
    for batch in chunked(rows, INSERT_BATCH):
        model.insert_many(batch, fields).on_conflict_ignore().execute()


def _delete_rows(account_id: int, query: str, model: Any, name_field: Any,
                 names: list[str]) -> list[int]:
    computers = Computer.select(Computer.id).where(matching(account_id, query))
    holders = model.select(model.computer).where(
        in_texts(name_field, names) & model.computer.in_(computers)).distinct()
    changed = sorted(row[0] for row in database.execute(holders))
    if changed:
        model.delete().where(in_texts(name_field, names)
                             & in_ids(model.computer, changed)).execute()
    return changed
