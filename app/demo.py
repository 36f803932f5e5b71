"""Realistic demo data (``actiongate seed-demo``), written with bulk inserts."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Iterator

import click
from peewee import chunked, fn

from . import directory
from .auth import new_key_pair
from .db import reset_sequences
from .models import (ALL_MODELS, Account, Activity, ApiKey, Computer, ComputerAnnotation,
                     ComputerTag, NetworkDevice, Package, Person, database, utcnow)

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
CHILD_STATUSES = (("succeeded", 50), ("failed", 6), ("canceled", 5), ("delivered", 8),
                  ("undelivered", 15), ("unapproved", 8), ("scheduled", 8))
CHUNK = 500


def derive_group_status(statuses: list[str]) -> str:
    """The stored status of an ActivityGroup from its children's (ACTIVITIES.md §3.2)."""
    present = set(statuses)
    if not present:
        return "succeeded"
    for status in ("unapproved", "delivered", "undelivered", "scheduled"):
        if status in present:
            return status
    if present == {"canceled"}:
        return "canceled"
    return "failed" if "failed" in present else "succeeded"


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


def _insert(model: Any, rows: list[dict]) -> None:
    for batch in chunked(rows, CHUNK):
        model.insert_many(batch).execute()


def _seed_people(account: Account, creators: int) -> tuple[list[int], dict[str, str]]:
    domain = f"{account.name}.example"
    admin = directory.create_person(account, email=f"admin@{domain}", name="Jane Doe",
                                    username="jane", role="admin", groups=["packager"],
                                    password="demo-password")
    key = directory.issue_key(admin)
    directory.create_person(account, email=f"manager@{domain}", name="Mark Manager",
                            username="mark", role="manager", groups=["packager", "gtk-sig"],
                            password="demo-password")
    directory.create_person(account, email=f"auditor@{domain}", name="Alice Auditor",
                            username="alice", role="auditor", password="demo-password")
    for index in range(max(0, creators - 3)):
        directory.create_person(account, email=f"operator{index:03d}@{domain}",
                                name=f"Operator {index:03d}", username=f"op{index:03d}",
                                role="manager")
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
        _insert(model, rows)
    return kinds


def _seed_packages(account: Account) -> list[tuple[int, str]]:
    existing = {p.name for p in Package.select(Package.name).where(Package.account == account)}
    rows = [{"account": account.id, "name": name, "summary": f"The {name} package",
             "status": "Approved", "monitor": "true"} for name in PACKAGES
            if name not in existing]
    _insert(Package, rows)
    return [(p.id, p.name) for p in Package.select(Package.id, Package.name)
            .where(Package.account == account).order_by(Package.id)]


def _activity_rows(account: Account, total: int, computers: list[int], creators: list[int],
                   packages: list[tuple[int, str]], rng: random.Random) -> Iterator[dict]:
    """Yield groups (a parent then its children) until ``total`` rows were produced."""
    next_id = _next_id(Activity)
    statuses, weights = zip(*CHILD_STATUSES)
    now = utcnow()
    produced = 0
    while produced < total:
        size = min(total - produced - 1, rng.randint(1, 8))
        created = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365))
        creator = rng.choice(creators)
        chosen = rng.sample(packages, k=min(len(packages), rng.randint(1, 3)))
        kind = rng.random()
        if kind < 0.7 and chosen:
            child_type, change_type = "ChangePackagesRequest", rng.choice(
                ("install", "remove", "upgrade"))
            verb = {"install": "Install", "remove": "Remove", "upgrade": "Upgrade"}[change_type]
            summary = f"{verb} packages " + " and ".join(name for _, name in chosen)
            changes = [{"package": name, "type": change_type,
                        "version": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}-1",
                        "complemented": False} for _, name in chosen]
            package_ids = [pid for pid, _ in chosen]
        else:
            child_type = "RestartRequest" if kind < 0.85 else "ShutdownRequest"
            summary = "Restart computer" if child_type == "RestartRequest" else "Shutdown computer"
            changes, package_ids = [], []
        parent_id = next_id
        next_id += 1
        children = []
        for _ in range(max(size, 0)):
            status = rng.choices(statuses, weights)[0]
            final = status in ("succeeded", "failed", "canceled")
            delivered = status in ("delivered", "succeeded", "failed")
            done = created + timedelta(minutes=rng.randint(1, 120))
            children.append({
                "id": next_id, "account": account.id, "type": child_type, "summary": summary,
                "activity_status": status, "creator": creator,
                "computer_id": rng.choice(computers), "parent": parent_id,
                "creation_time": created, "modification_time": done if final else created,
                "delivery_time": done if delivered else None,
                "completion_time": done if final else None,
                "approval_time": None,
                "deliver_after_time": now + timedelta(days=1) if status == "scheduled" else None,
                "deliver_before_time": None,
                "result_text": {"succeeded": "Done.", "failed": "E: dpkg was interrupted"}.get(
                    status), "result_code": {"succeeded": 0, "failed": 100}.get(status),
                "progress": None, "changes": changes, "package_ids": package_ids})
            next_id += 1
        child_statuses = [c["activity_status"] for c in children]
        group_status = derive_group_status(child_statuses)
        final_group = all(s in ("succeeded", "failed", "canceled") for s in child_statuses)
        yield {"id": parent_id, "account": account.id, "type": "ActivityGroup",
               "summary": summary, "activity_status": group_status, "creator": creator,
               "computer_id": None, "parent": None, "creation_time": created,
               "modification_time": max([c["modification_time"] for c in children],
                                        default=created),
               "delivery_time": None,
               "completion_time": max((c["completion_time"] for c in children), default=None)
               if final_group and children else (created if not children else None),
               "approval_time": None, "deliver_after_time": None, "deliver_before_time": None,
               "result_text": None, "result_code": None, "progress": None,
               "changes": changes, "package_ids": package_ids}
        yield from children
        produced += 1 + len(children)


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
        rows = _activity_rows(account, activities, computer_ids, creator_ids, packages, rng)
        bar = click.progressbar(length=activities, label="Seeding activities",
                                hidden=not progress)
        with bar:
            for batch in chunked(rows, CHUNK):
                Activity.insert_many(batch).execute()
                bar.update(len(batch))
        reset_sequences(ALL_MODELS)
    return keys
