"""The operator interface (CONTRACT §6): the ``actiongate`` console script."""
from __future__ import annotations

import calendar
import json
import os
import sys
import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup

from query_language.values import parse_date

from . import change_events, directory, fixtures
from .db import refresh_statistics, upgrade_schema
from .errors import ApiError
from .models import Account, EventAction, Role, database
from .store import events


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("init-db")
def init_db_command() -> None:
    """Create or upgrade the schema (idempotent)."""
    version = upgrade_schema()
    click.echo(f"Schema is at version {version}.")


@click.command("analyze")
def analyze_command() -> None:
    """Refresh the query planner's statistics (run it as the store grows: SQLite never
    gathers them by itself)."""
    started = time.perf_counter()
    refresh_statistics()
    click.echo(f"Statistics refreshed in {time.perf_counter() - started:.1f} s.")


@click.command("create-account")
@click.argument("name")
@click.option("--title", default="", help="Human-readable title.")
def create_account_command(name: str, title: str) -> None:
    """Create an account."""
    try:
        with database.atomic():
            account = directory.create_account(name, title)
    except ApiError as error:
        _fail(error.message)
    click.echo(f"Account {account.name} created.")


@click.command("create-person")
@click.option("--account", "account_name", required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--username", default=None)
@click.option("--role", type=click.Choice([role.value for role in reversed(Role)]),
              default=Role.AUDITOR.value)
@click.option("--group", "groups", multiple=True, help="Group membership (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def create_person_command(account_name: str, email: str, name: str, username: str | None,
                          role: str, groups: tuple[str, ...], password_stdin: bool) -> None:
    """Create a person in an account."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        with database.atomic():
            person = directory.create_person(
                directory.find_account(account_name), email=email, name=name,
                username=username, role=role, groups=groups, password=password)
            change_events.person_created(person)
    except ApiError as error:
        _fail(error.message)
    click.echo(f"Person {person.email} created (id {person.id}).")


@click.command("create-key")
@click.option("--email", required=True)
def create_key_command(email: str) -> None:
    """Create an API key for a person; prints it as one line of JSON."""
    from .models import Person
    person = Person.get_or_none(Person.email_key == email.lower())
    if person is None:
        _fail(f"Unknown person '{email}'")
    with database.atomic():
        key = directory.issue_key(person)
        change_events.key_changed(key, person, EventAction.CREATED)
    click.echo(json.dumps({"access_key": key.access_key, "secret_key": key.secret_key}))


@click.command("unblock")
@click.option("--email", "emails", multiple=True, help="A throttled e-mail (repeatable).")
@click.option("--access-key", "access_keys", multiple=True,
              help="A throttled access key (repeatable).")
@click.option("--address", "addresses", multiple=True,
              help="A throttled client address (repeatable; IPv6 clears its /64).")
@click.option("--all", "everything", is_flag=True, help="Clear every failed-login counter.")
def unblock_command(emails: tuple[str, ...], access_keys: tuple[str, ...],
                    addresses: tuple[str, ...], everything: bool) -> None:
    """Clear failed-login throttles (README "Security decisions")."""
    from . import throttle
    subjects = ([throttle.email_subject(e) for e in emails]
                + [throttle.key_subject(k) for k in access_keys]
                + [throttle.address_subject(a) for a in addresses])
    if everything == bool(subjects):
        _fail("give --email, --access-key or --address, or --all")
    cleared = throttle.unblock_all() if everything else throttle.unblock(subjects)
    click.echo(f"Cleared {cleared} failed-login counter(s).")


@click.command("import")
@click.argument("file", type=click.File("r"))
def import_command(file) -> None:
    """Load a fixture file (``-`` for stdin) in one transaction."""
    try:
        document = json.load(file)
    except json.JSONDecodeError as error:
        _fail(f"not valid JSON: {error}")
    try:
        counts = fixtures.import_fixture(document)
    except fixtures.FixtureError as error:
        _fail(str(error))
    click.echo("Imported " + ", ".join(f"{n} {name}" for name, n in counts.items()) + ".")


@click.command("export")
@click.option("--account", "account_name", default=None)
@click.option("--with-secrets", is_flag=True, help="Include keys and password hashes.")
def export_command(account_name: str | None, with_secrets: bool) -> None:
    """Write the fixture format to stdout."""
    if account_name is not None:
        accounts = list(Account.select().where(Account.name == account_name))
        if not accounts:
            _fail(f"Unknown account '{account_name}'")
    else:
        accounts = list(Account.select().order_by(Account.id))
    json.dump(fixtures.export_fixture(accounts, with_secrets), sys.stdout, indent=1)
    sys.stdout.write("\n")


@click.command("seed-demo")
@click.option("--computers", default=50, show_default=True)
@click.option("--activities", default=2000, show_default=True)
@click.option("--creators", default=3, show_default=True, help="Persons creating activities.")
@click.option("--account", "account_name", default="demo", show_default=True)
def seed_demo_command(computers: int, activities: int, creators: int, account_name: str) -> None:
    """Fill the store with realistic demo data and print the demo admin's keys."""
    from .demo import print_keys, seed
    upgrade_schema()
    keys = seed(account_name, computers=computers, activities=activities, creators=creators,
                progress=True)
    print_keys(keys)


#: the shipped gunicorn settings (timeouts, limits, access log with the request id)
GUNICORN_CONFIG = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8080", show_default=True)
@click.option("--workers", default=None, type=int,
              help="Default: ACTIONGATE_WORKERS, else 2 × CPUs + 1.")
def serve_command(bind: str, workers: int | None) -> None:
    """Serve the gateway with gunicorn and the shipped gunicorn.conf.py."""
    upgrade_schema()
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG),
            "--bind", bind]
    if workers:
        argv += ["--workers", str(workers)]
    os.execv(sys.executable, [*argv, "wsgi:app"])


@click.command("demo")
@click.option("--bind", default="127.0.0.1:8080", show_default=True)
@click.pass_context
def demo_command(ctx: click.Context, bind: str) -> None:
    """Initialise the store, seed demo data once, print the keys and serve."""
    from .demo import DEMO_ADMIN_EMAIL, demo_keys, print_keys, seed
    upgrade_schema()
    keys = demo_keys(DEMO_ADMIN_EMAIL) or seed("demo", computers=50, activities=2000,
                                                 progress=True)
    print_keys(keys, uri=f"http://{bind}/api/")
    ctx.invoke(serve_command, bind=bind)


@click.command("prune-events")
@click.option("--before", "before", required=True, metavar="DATE",
              help="Delete the events older than this UTC date or time (2026-01, "
                   "2026-01-31, 2026-01-31T12:00Z, …).")
def prune_events_command(before: str) -> None:
    """Delete old events, in batches of 10,000 (one transaction each); prints how many."""
    try:
        cutoff = calendar.timegm(parse_date(before).timetuple())
    except ValueError:
        _fail(f"Invalid date '{before}': expected YYYY, YYYY-MM, YYYY-MM-DD or "
              "YYYY-MM-DDTHH[:MM[:SS]], optionally with Z or ±HH:MM")
    with database.connection_context():
        total = events.count_before(cutoff)
        deleted = 0
        with click.progressbar(length=total, label="Deleting events", file=sys.stderr) as bar:
            while True:
                with database.atomic():
                    batch = events.prune_batch(cutoff)
                if not batch:
                    break
                deleted += batch
                bar.update(batch)
    click.echo(f"Deleted {deleted} events before {before}.")


COMMANDS = (init_db_command, analyze_command, create_account_command, create_person_command,
            create_key_command, import_command, export_command, seed_demo_command,
            serve_command, demo_command, unblock_command, prune_events_command)


def init_app(app: Flask) -> None:
    """Attach the operator commands to the app's CLI (``flask --app wsgi …`` works too)."""
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from . import create_app
    return create_app()


main = FlaskGroup(create_app=_create_app, add_default_commands=False,
                  add_version_option=False, load_dotenv=False,
                  help="actiongate operator commands.")
