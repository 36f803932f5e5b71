"""Persons, keys and account settings: the reads and writes of the account actions."""
from __future__ import annotations

from typing import Any

from app.models import Account, ApiKey, Computer, Person

from .credentials import forget


def person_by_email(email: str) -> Person | None:
    """The person with this e-mail (any case; e-mails are unique store-wide), or None."""
    return Person.get_or_none(Person.email_key == email.lower())


def person_by_username(username: str, account: str | None) -> Person | None:
    """The person called ``username`` in the account named ``account`` or, without one, the
    only person of that username store-wide (usernames are unique per account); None when
    there is none, or several."""
    query = Person.select(Person).where(Person.username == username)
    if account is not None:
        query = query.join(Account).where(Account.name == account)
    found = list(query.limit(2))
    return found[0] if len(found) == 1 else None


def account_by_name(name: str) -> Account | None:
    """The account called ``name``, or None."""
    return Account.get_or_none(Account.name == name)


def persons_of(account: Account) -> list[Person]:
    """The account's persons, by id."""
    return list(Person.select().where(Person.account == account).order_by(Person.id))


def revoke_tokens(person: Person) -> None:
    """Invalidate every bearer token issued to the person so far."""
    Person.update(token_generation=Person.token_generation + 1).where(
        Person.id == person.id).execute()
    forget()


def edit_person(person: Person, changes: dict[str, Any]) -> None:
    """Set these attributes of the person and save it."""
    for key, value in changes.items():
        setattr(person, key, value)
    person.save()
    forget()


def disable_person(person: Person) -> Person:
    """Disable the person and invalidate their tokens; the person as stored now."""
    Person.update(disabled=True, token_generation=Person.token_generation + 1).where(
        Person.id == person.id).execute()
    forget()
    return Person.get_by_id(person.id)


def account_key(account: Account, access_key: str) -> ApiKey | None:
    """The key ``access_key`` of a person or computer of the account, or None."""
    key = (ApiKey.select(ApiKey).join(Person, on=(ApiKey.person == Person.id))
           .where((ApiKey.access_key == access_key) & (Person.account == account)).first())
    if key is None:
        key = (ApiKey.select(ApiKey).join(Computer, on=(ApiKey.computer == Computer.id))
               .where((ApiKey.access_key == access_key)
                      & (Computer.account == account)).first())
    return key


def revoke_key(key: ApiKey) -> None:
    """Revoke the key: it authenticates nothing from now on."""
    ApiKey.update(revoked=True).where(ApiKey.id == key.id).execute()
    forget()


def change_settings(account: Account, changes: dict[str, Any]) -> None:
    """Set these settings (``title``, ``require_approval``) of the account and save it."""
    for key, value in changes.items():
        setattr(account, key, value)
    account.save()
    forget()
