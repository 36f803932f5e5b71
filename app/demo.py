"""Realistic demo data (``actiongate seed-demo``), written with bulk inserts."""
from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any, Iterator

import click
from peewee import fn

from . import directory
from .activity_factory import VERBS, summarize
from .activity_state import derive_group_status
from .auth import new_key_pair
from .bulkload import REBUILD_THRESHOLD, indexes_rebuilt_after, insert_rows, insert_tuples
from .db import finish_bulk_load, vacuum_after_bulk_load
from .demo_catalogue import seed_catalogue
from .models import (FINAL_STATUSES, Account, Activity, ActivityStatus, ApiKey, Computer,
                     ComputerAnnotation, ComputerTag, NetworkDevice, Package, PackageStatus,
                     Person, Role, database, utcnow)
from .store.rows import RowShape

DEMO_ADMIN_EMAIL = "admin@demo.example"
PACKAGES = ("python3-twisted", "python3-flask", "nginx", "postgresql-15", "redis-server",
            "openssh-server", "curl", "git", "vim", "htop", "tmux", "docker.io", "rsync",
            "libssl3", "bash", "coreutils", "systemd", "apparmor", "firefox", "thunderbird",
            "libreoffice", "gimp", "inkscape", "python3-django", "nodejs", "golang",
            "openjdk-17-jre", "zsh", "emacs", "ansible")
DISTRIBUTIONS = (("22.04", "jammy"), ("20.04", "focal"), ("24.04", "noble"))
ROLES_OF_KIND = {"laptop": ("laptop", "desktop-apps"), "server": ("server", "web"),
                 "db": ("server", "database"), "desktop": ("desktop", "desktop-apps")}
#: child statuses with their weights; groups derive their own status from these
CHILD_STATUSES = ((ActivityStatus.SUCCEEDED, 50), (ActivityStatus.FAILED, 6),
                  (ActivityStatus.CANCELED, 5), (ActivityStatus.DELIVERED, 8),
                  (ActivityStatus.UNDELIVERED, 15), (ActivityStatus.UNAPPROVED, 8),
                  (ActivityStatus.SCHEDULED, 8))


def demo_keys(email: str) -> dict[str, str] | None:
    """The first live key of the person with ``email``, if the demo was seeded already."""
    key = (ApiKey.select().join(Person).where((Person.email_key == email)
                                              & (ApiKey.revoked == False))  # noqa: E712
           .order_by(ApiKey.id).first())
    return None if key is None else {"email": email, "access_key": key.access_key,
                                     "secret_key": key.secret_key}


def print_keys(keys: dict[str, str], uri: str = "http://127.0.0.1:8080/api/") -> None:
    """Print the demo admin's keys and a ready-to-paste ``landscape-api`` example."""
    click.echo(f"\nDemo admin {keys['email']}:")
    click.echo(f"  access key: {keys['access_key']}\n  secret key: {keys['secret_key']}\n")
    click.echo("Try it with the official client (pip install landscape-api-py3):\n")
    click.echo(f"  export LANDSCAPE_API_KEY='{keys['access_key']}'")
    click.echo(f"  export LANDSCAPE_API_SECRET='{keys['secret_key']}'")
    click.echo(f"  export LANDSCAPE_API_URI='{uri}'")
    click.echo("  landscape-api get-activities --limit 3 "
               "--query 'status:succeeded computer:tag:laptop'\n")


def _next_id(model: Any) -> int:
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def _seed_people(account: Account, creators: int) -> tuple[list[int], dict[str, str]]:
    domain = f"{account.name}.example"
    admin = directory.create_person(account, email=f"admin@{domain}", name="Jane Doe",
                                    username="jane", role=Role.ADMIN, groups=["packager"],
                                    password="demo-password")
    key = directory.issue_key(admin)
    directory.create_person(account, email=f"manager@{domain}", name="Mark Manager",
                            username="mark", role=Role.MANAGER, groups=["packager", "gtk-sig"],
                            password="demo-password")
    directory.create_person(account, email=f"auditor@{domain}", name="Alice Auditor",
                            username="alice", role=Role.AUDITOR, password="demo-password")
    for index in range(max(0, creators - 3)):
        directory.create_person(account, email=f"operator{index:03d}@{domain}",
                                name=f"Operator {index:03d}", username=f"op{index:03d}",
                                role=Role.MANAGER)
    ids = [p.id for p in Person.select(Person.id).where(Person.account == account)]
    return ids, {"email": admin.email, "access_key": key.access_key,
                 "secret_key": key.secret_key}


def _seed_computers(account: Account, count: int, rng: random.Random) -> dict[int, str]:
    """Create ``count`` computers; returns id → kind (laptop, server, db, desktop)."""
    first = _next_id(Computer)
    kinds = {}
    computers, tags, annotations, devices, keys = [], [], [], [], []
    now = utcnow()
    for offset in range(count):
        cid = first + offset
        kind = rng.choice(("laptop", "laptop", "server", "db", "desktop"))
        version, codename = rng.choice(DISTRIBUTIONS)
        name = f"{kind}-{offset + 1:05d}"
        kinds[cid] = kind
        computers.append({"id": cid, "account": account.id, "title": name.title(),
                          "hostname": f"{name}.demo.example", "distribution": version,
                          "codename": codename,
                          "access_group": "servers" if kind in ("server", "db") else "global",
                          "needs_reboot": rng.random() < 0.1,
                          "last_ping_time": now - timedelta(minutes=rng.randint(0, 600)),
                          "registration_time": now - timedelta(days=rng.randint(30, 900))})
        tags += [{"computer": cid, "name": tag} for tag in ROLES_OF_KIND[kind]]
        annotations.append({"computer": cid, "key": "owner",
                            "value": rng.choice(("jane", "mark", "alice", "ops"))})
        devices.append({"computer": cid, "position": 0,
                        "mac_address": "52:54:00:%02x:%02x:%02x" % (
                            offset >> 16 & 255, offset >> 8 & 255, offset & 255),
                        "ip_address": f"10.{offset >> 16 & 255}.{offset >> 8 & 255}."
                                      f"{offset & 255}"})
        access, secret = new_key_pair()
        keys.append({"access_key": access, "secret_key": secret, "computer": cid,
                     "creation_time": now})
    for model, rows in ((Computer, computers), (ComputerTag, tags),
                        (ComputerAnnotation, annotations), (NetworkDevice, devices),
                        (ApiKey, keys)):
        insert_rows(model, rows)
    return kinds


def _seed_packages(account: Account) -> list[tuple[int, str]]:
    existing = {p.name for p in Package.select(Package.name).where(Package.account == account)}
    rows = [{"account": account.id, "name": name, "summary": f"The {name} package",
             "status": PackageStatus.APPROVED, "monitor": "true"} for name in PACKAGES
            if name not in existing]
    insert_rows(Package, rows)
    return [(p.id, p.name) for p in Package.select(Package.id, Package.name)
            .where(Package.account == account).order_by(Package.id)]


#: the columns of :func:`_activity_rows`' tuples, in order
#: the columns of a seeded activity, each with the name its rows give it
SEED_ROW = RowShape(
    "SeedActivity", id=Activity.id, account=Activity.account, type=Activity.type,
    summary=Activity.summary, status=Activity.activity_status, creator=Activity.creator,
    computer=Activity.computer_id, parent=Activity.parent, created=Activity.creation_time,
    modified=Activity.modification_time, delivered=Activity.delivery_time,
    completed=Activity.completion_time, approved=Activity.approval_time,
    deliver_after=Activity.deliver_after_time, result_text=Activity.result_text,
    result_code=Activity.result_code, progress=Activity.progress, changes=Activity.changes,
    package_ids=Activity.package_ids)
ACTIVITY_FIELDS = SEED_ROW.columns
_SeedActivity = SEED_ROW.Row
RESULTS = {ActivityStatus.SUCCEEDED: ("Done.", 0),
           ActivityStatus.FAILED: ("E: dpkg was interrupted", 100)}
#: one group in this many is instead a long-running pocket sync without computer or creator
SYNC_SHARE = 50
#: seeded activities were created over the last year
SEED_SPAN_MINUTES = 60 * 24 * 365


def _child_request(rng: random.Random, packages: list[tuple[int, str]]
                   ) -> tuple[str, str, str, str]:
    """``(type, summary, changes JSON, package ids JSON)`` of one group's children."""
    kind = rng.random()
    if kind < 0.7 and packages:
        chosen = rng.sample(packages, k=min(len(packages), rng.randint(1, 3)))
        change_type = rng.choice(("install", "remove", "upgrade"))
        changes = [{"package": name, "type": change_type,
                    "version": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}-1",
                    "complemented": False} for _, name in chosen]
        return ("ChangePackagesRequest", summarize(VERBS[change_type], [n for _, n in chosen]),
                _json(changes), _json([pid for pid, _ in chosen]))
    if kind < 0.85:
        return "RestartRequest", "Restart computer", "[]", "[]"
    return "ShutdownRequest", "Shutdown computer", "[]", "[]"


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _activity_rows(account: Account, total: int, computers: list[int], creators: list[int],
                   packages: list[tuple[int, str]], rng: random.Random) -> Iterator[tuple]:
    """Yield :data:`SEED_ROW` rows: groups (a parent, then its children in every
    status) and a few standalone pocket syncs with progress, until ``total`` rows.

    Groups go back in time evenly over a year as ids grow, as a real history does; it also
    keeps every (…, creation_time, id) index append-only, which makes 1M-row seeds twice as
    fast as random times would.
    """
    next_id = _next_id(Activity)
    statuses, weights = zip(*CHILD_STATUSES)
    now = utcnow()
    minutes_per_row = SEED_SPAN_MINUTES / max(total, 1)
    produced = 0
    while produced < total:
        created = now - timedelta(minutes=1 + int(produced * minutes_per_row))
        if rng.randrange(SYNC_SHARE) == 0 or total - produced == 1:
            progress = rng.randint(1, 99)
            yield _SeedActivity(
                id=next_id, account=account.id, type="SyncPocketRequest",
                summary="Sync pocket 'release' of series 'jammy' in distribution 'ubuntu'",
                status=ActivityStatus.DELIVERED, creator=None, computer=None, parent=None,
                created=created, modified=created, delivered=created, completed=None,
                approved=None, deliver_after=None, result_text=None, result_code=None,
                progress=progress, changes="[]", package_ids="[]")
            next_id += 1
            produced += 1
            continue
        size = min(total - produced - 1, rng.randint(1, 8))
        creator = rng.choice(creators)
        child_type, summary, changes, package_ids = _child_request(rng, packages)
        parent_id = next_id
        children = []
        for child_id in range(parent_id + 1, parent_id + 1 + size):
            status = rng.choices(statuses, weights)[0]
            final = status in FINAL_STATUSES
            delivered = status in (ActivityStatus.DELIVERED, ActivityStatus.SUCCEEDED,
                                   ActivityStatus.FAILED)
            done = created + timedelta(minutes=rng.randint(1, 120))
            text, code = RESULTS.get(status, (None, None))
            children.append(_SeedActivity(
                id=child_id, account=account.id, type=child_type, summary=summary,
                status=status, creator=creator, computer=rng.choice(computers),
                parent=parent_id, created=created,
                modified=done if final or delivered else created,
                delivered=done if delivered else None, completed=done if final else None,
                approved=None,
                deliver_after=(now + timedelta(minutes=rng.randint(60, 60 * 72))
                               if status == ActivityStatus.SCHEDULED else None),
                result_text=text, result_code=code, progress=None, changes=changes,
                package_ids=package_ids))
        child_statuses = [child.status for child in children]
        final_group = set(child_statuses) <= set(FINAL_STATUSES)
        yield _SeedActivity(
            id=parent_id, account=account.id, type="ActivityGroup", summary=summary,
            status=derive_group_status(child_statuses), creator=creator, computer=None,
            parent=None, created=created,
            modified=max((child.modified for child in children), default=created),
            delivered=None,
            completed=max(child.completed for child in children) if final_group else None,
            approved=None, deliver_after=None, result_text=None, result_code=None,
            progress=None, changes=changes, package_ids=package_ids)
        yield from children
        next_id = parent_id + 1 + size
        produced += 1 + size


def seed(account_name: str, *, computers: int = 50, activities: int = 2000, creators: int = 3,
         seed_value: int = 20111, progress: bool = False) -> dict[str, str]:
    """Create a demo account with persons, computers, packages and activities in every status.

    Returns the demo admin's e-mail and keys.
    """
    rng = random.Random(seed_value)
    with database.atomic():
        account = directory.create_account(account_name, "Demo Corp")
        creator_ids, keys = _seed_people(account, creators)
        computer_ids = list(_seed_computers(account, max(computers, 1), rng))
        packages = _seed_packages(account)
        seed_catalogue(account, rng)
        rows = _activity_rows(account, activities, computer_ids, creator_ids, packages, rng)
        bar = click.progressbar(length=activities, label="Seeding activities",
                                hidden=not progress)
        with bar, indexes_rebuilt_after(Activity, activities):
            insert_tuples(ACTIVITY_FIELDS, rows, bar.update)
        finish_bulk_load()
    if activities >= REBUILD_THRESHOLD:
        vacuum_after_bulk_load()
    return keys


def seed_undelivered(account_name: str, count: int) -> dict[str, str]:
    """A demo account whose activities are ``count`` standalone undelivered restarts (the
    bulk-cancel case of the benchmark and the fault tests); returns the admin's keys."""
    keys = seed(account_name, computers=10, activities=0)
    account = Account.get(Account.name == account_name)
    now = utcnow()
    fields = (Activity.account, Activity.type, Activity.summary, Activity.activity_status,
              Activity.creation_time, Activity.modification_time, Activity.changes,
              Activity.package_ids)
    rows = ((account.id, "RestartRequest", "Restart computer", ActivityStatus.UNDELIVERED,
             now - timedelta(seconds=i), now, "[]", "[]") for i in range(count))
    with database.atomic():
        insert_tuples(fields, rows)
        finish_bulk_load()
    vacuum_after_bulk_load()
    return keys
