"""Accounts, persons and keys: the operations shared by the CLI, fixtures and actions."""
from __future__ import annotations

import re
from typing import Iterable

from werkzeug.security import generate_password_hash

from .auth import ACCESS_KEY, SECRET_KEY, new_key_pair
from .errors import Conflict, InvalidParameterValue, NotFound, echo
from .models import ROLES, Account, ApiKey, Computer, Person, PersonGroup, Role

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\Z")
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}\Z")
_GROUP = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")


def create_account(name: str, title: str = "", require_approval: bool = False) -> Account:
    """Create an account with a slug ``name``; duplicates are 409 ``DuplicateAccount``."""
    if not _SLUG.match(name):
        raise InvalidParameterValue("name", name, "expected a lower-case slug")
    if Account.get_or_none(Account.name == name) is not None:
        raise Conflict(f"Account '{echo(name)}' already exists", code="DuplicateAccount")
    return Account.create(name=name, title=title or name, require_approval=require_approval)


def find_account(name: str) -> Account:
    """The account called ``name`` or 404 ``UnknownAccount``."""
    account = Account.get_or_none(Account.name == name)
    if account is None:
        raise NotFound(f"Unknown account '{echo(name)}'", code="UnknownAccount")
    return account


def validate_groups(groups: Iterable[str]) -> list[str]:
    """Group names, de-duplicated in order; bad names are ``InvalidParameterValue``."""
    result: list[str] = []
    for group in groups:
        if not _GROUP.match(group):
            raise InvalidParameterValue("groups", group, "expected a group name")
        if group not in result:
            result.append(group)
    return result


def create_person(account: Account, *, email: str, name: str, username: str | None = None,
                  role: str = Role.AUDITOR, groups: Iterable[str] = (),
                  password: str | None = None, person_id: int | None = None,
                  password_hash: str | None = None) -> Person:
    """Create a person; e-mails are unique store-wide, usernames per account."""
    if not _EMAIL.match(email):
        raise InvalidParameterValue("email", email, "expected an e-mail address")
    if role not in ROLES:
        raise InvalidParameterValue("role", role, "expected one of: " + ", ".join(ROLES))
    username = username or email.split("@", 1)[0]
    if Person.get_or_none(Person.email_key == email.lower()) is not None:
        raise Conflict(f"A person with e-mail {echo(email)} already exists", code="DuplicatePerson")
    if Person.get_or_none((Person.account == account) & (Person.username == username)):
        raise Conflict(f"A person with username {echo(username)} already exists",
                       code="DuplicatePerson")
    if password is not None:
        password_hash = generate_password_hash(password)
    fields = {"id": person_id} if person_id is not None else {}
    person = Person.create(account=account, email=email, email_key=email.lower(), name=name,
                           username=username, role=role, password_hash=password_hash, **fields)
    set_groups(person, validate_groups(groups))
    return person


def set_groups(person: Person, groups: list[str]) -> None:
    """Replace a person's groups."""
    PersonGroup.delete().where(PersonGroup.person == person).execute()
    if groups:
        PersonGroup.insert_many([{"person": person.id, "name": g} for g in groups]).execute()


def person_groups(person: Person) -> list[str]:
    """A person's group names, sorted."""
    return sorted(g.name for g in PersonGroup.select(PersonGroup.name)
                  .where(PersonGroup.person == person))


def person_json(person: Person) -> dict:
    """The wire shape of a person."""
    return {"id": person.id, "email": person.email, "name": person.name,
            "username": person.username, "role": person.role,
            "groups": person_groups(person), "disabled": person.disabled}


def issue_key(owner: Person | Computer, access_key: str | None = None,
              secret_key: str | None = None) -> ApiKey:
    """A new key pair for a person or a computer (or the given pair, from a fixture)."""
    if access_key is None or secret_key is None:
        access_key, secret_key = new_key_pair()
    if not ACCESS_KEY.match(str(access_key)):
        raise InvalidParameterValue("access_key", access_key, "expected 20 characters A-Z 0-9")
    if not SECRET_KEY.match(str(secret_key)):
        raise InvalidParameterValue("secret_key", "…", "expected 40 base64 characters")
    if ApiKey.get_or_none(ApiKey.access_key == access_key) is not None:
        raise Conflict(f"Access key {echo(access_key)} already exists", code="DuplicateKey")
    owner_field = "person" if isinstance(owner, Person) else "computer"
    return ApiKey.create(access_key=access_key, secret_key=secret_key, **{owner_field: owner})


def find_person(account: Account, email: str) -> Person:
    """The account's person with that e-mail (any case) or 404 ``UnknownPerson``."""
    person = Person.get_or_none((Person.email_key == email.lower()) & (Person.account == account))
    if person is None:
        raise NotFound(f"Unknown person '{echo(email)}'", code="UnknownPerson")
    return person
