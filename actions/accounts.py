"""Persons, keys, tokens and account settings (ACTIVITIES.md §1, CONTRACT §4.2)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.security import check_password_hash

from app import auth, change_events, directory, throttle
from app.encoding import Boolean, Integer, String
from app.errors import (AuthFailure, InvalidParameterValue, MissingParameter, NotFound,
                        Unauthorised, echo)
from app.models import ROLES, ApiKey, CallerRole, Computer, EventAction, Person, Role
from app.store import accounts as store

from .base import Action
from .registry import register

# Compared against when the e-mail is unknown, so both failures cost the same time.
_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


def _expiry_field() -> Integer:
    return Integer(minimum=1, maximum=43200, load_default=None,
                   metadata={"doc": "Token lifetime in minutes (default 1440, at most 43200)."})


def _person_email() -> String:
    return String(required=True, metadata={"doc": "The person's e-mail address."})


def _token_result(call: Any, subject: Person | Computer, minutes: int | None,
                  key: ApiKey | None = None) -> dict:
    """The token object; with the ``accounts`` extra, also the accounts the subject may
    use (one: its own, the default)."""
    token, expires = auth.issue_token(call.config["SECRET_KEY"], subject,
                                      minutes or call.config["TOKEN_DEFAULT_MINUTES"], key)
    account = subject.account
    result = {
        "token": token,
        "expires": datetime.fromtimestamp(expires, timezone.utc).strftime(auth.TIMESTAMP_FORMAT),
        "email": subject.email if isinstance(subject, Person) else None,
        "name": subject.name if isinstance(subject, Person) else subject.title,
        "account": account.name,
    }
    if "accounts" in call.extras:
        result["accounts"] = [{"name": account.name, "title": account.title, "default": True}]
    return result


class _AccountChoice(Schema):
    account = String(load_default=None, metadata={
        "doc": "The account to log in to (default: the person's own)."})


def _check_account(subject: Person | Computer, args: dict[str, Any]) -> None:
    """Refuse a login that names an account the subject does not belong to."""
    wanted = args.get("account")
    if wanted is not None and wanted != subject.account.name:
        raise AuthFailure(f"No access to the account {echo(wanted)}")


def _login_attempt(call: Any, identity: str) -> throttle.LoginAttempt:
    """The throttle of a login by ``identity`` from the caller's address, checked already."""
    attempt = throttle.LoginAttempt(call.config, identity, call.client_address)
    attempt.check()
    return attempt


@register
class Login(Action):
    """Exchange an e-mail and password for a bearer token."""

    role = CallerRole.PUBLIC
    errors = ("AuthFailure", "TooManyRequests")

    class Args(Schema):
        email = _person_email()
        password = String(required=True, metadata={"doc": "The person's password."})
        expiry_minutes = _expiry_field()

    class ExtendedArgs(Args, _AccountChoice):
        email = String(load_default=None, metadata={
            "doc": "The person's e-mail address (or give ``username``)."})
        username = String(load_default=None, metadata={
            "doc": "The person's username instead of the e-mail: the person of that name "
                   "in ``account``, or without it the only one store-wide."})

    def run(self, args: dict[str, Any]) -> dict:
        email, username = args["email"], args.get("username")
        if email is not None:
            attempt = _login_attempt(self.call, throttle.email_subject(email))
            person = store.person_by_email(email)
        elif username is None:
            raise MissingParameter("email")
        else:
            attempt = _login_attempt(self.call, throttle.username_subject(username))
            person = store.person_by_username(username, args.get("account"))
        stored = person.password_hash if person is not None and person.password_hash else None
        valid = check_password_hash(stored or _DUMMY_HASH, args["password"])
        if person is None or stored is None or not valid or person.disabled:
            attempt.failed()
            raise AuthFailure("Invalid email or password" if email is not None
                              else "Invalid username or password")
        _check_account(person, args)
        attempt.succeeded()
        return _token_result(self.call, person, args["expiry_minutes"])


@register
class LoginWithAccessKey(Action):
    """Exchange an access key and its secret for a bearer token."""

    role = CallerRole.PUBLIC
    errors = ("AuthFailure", "InvalidCredentials", "TooManyRequests")

    class Args(Schema):
        access_key = String(required=True, metadata={"doc": "The access key."})
        secret_key = String(required=True, metadata={"doc": "The secret key."})
        expiry_minutes = _expiry_field()

    def run(self, args: dict[str, Any]) -> dict:
        attempt = _login_attempt(self.call, throttle.key_subject(args["access_key"]))
        key = auth.find_key(args["access_key"])
        if key is None or not auth.same_secret(key.secret_key, args["secret_key"]):
            attempt.failed()
            raise AuthFailure("Invalid access key or secret key")
        attempt.succeeded()
        caller = auth.caller_for_key(key)
        subject = caller.person if caller.person is not None else caller.computer
        assert subject is not None, "a key belongs to a person or a computer"
        return _token_result(self.call, subject, args["expiry_minutes"], key)


@register
class RevokeTokens(Action):
    """Invalidate every bearer token issued to the caller so far."""

    role = CallerRole.AUDITOR
    writes = True

    def run(self, args: dict[str, Any]) -> dict:
        store.revoke_tokens(self.person)
        return {"revoked": True}


@register
class GetPersons(Action):
    """List the persons of the caller's account."""

    role = CallerRole.MANAGER

    def run(self, args: dict[str, Any]) -> list:
        return [directory.person_json(p) for p in store.persons_of(self.account)]


_role_field = String(validate=validate.OneOf(ROLES), load_default=Role.AUDITOR,
                     metadata={"doc": "auditor, manager or admin."})


@register
class CreatePerson(Action):
    """Create a person in the caller's account."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("DuplicatePerson",)

    class Args(Schema):
        email = String(required=True, metadata={"doc": "E-mail address (unique)."})
        name = String(required=True, validate=validate.Length(1, 256),
                      metadata={"doc": "Full name."})
        username = String(load_default=None, metadata={"doc": "User name in the account."})
        role = _role_field
        groups = fields.List(String(), load_default=list, metadata={"doc": "Group names."})
        password = String(load_default=None, metadata={"doc": "Initial password."})

    def run(self, args: dict[str, Any]) -> dict:
        person = directory.create_person(self.account, **args)
        change_events.person_created(person)
        return directory.person_json(person)


@register
class EditPerson(Action):
    """Change a person's name, role or groups."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("UnknownPerson",)

    class Args(Schema):
        email = _person_email()
        name = String(load_default=None, validate=validate.Length(1, 256))
        role = String(validate=validate.OneOf(ROLES), load_default=None)
        groups = fields.List(String(), load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        person = directory.find_person(self.account, args["email"])
        before = directory.person_json(person)
        store.edit_person(person, {key: args[key] for key in ("name", "role")
                                   if args[key] is not None})
        if args["groups"] is not None:
            directory.set_groups(person, directory.validate_groups(args["groups"]))
        after = directory.person_json(person)
        changed = {key: after[key] for key in ("name", "role", "groups")
                   if after[key] != before[key]}
        if changed:
            change_events.person_changed(person, EventAction.EDITED, {"changed": changed})
        return after


@register
class DisablePerson(Action):
    """Disable a person: their keys and tokens stop working."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("UnknownPerson",)

    class Args(Schema):
        email = _person_email()

    def run(self, args: dict[str, Any]) -> dict:
        person = directory.find_person(self.account, args["email"])
        if not person.disabled:
            change_events.person_changed(person, EventAction.DISABLED,
                                         {"from": "enabled", "to": "disabled"})
        return directory.person_json(store.disable_person(person))


@register
class CreateAPIKey(Action):
    """Create an access/secret key pair for yourself, or (admins) for another person."""

    role = CallerRole.AUDITOR
    writes = True
    errors = ("UnknownPerson", "Unauthorised")

    class Args(Schema):
        email = String(load_default=None, metadata={"doc": "Whose key (default: yours)."})

    def run(self, args: dict[str, Any]) -> dict:
        me = self.person
        person = me
        if args["email"] is not None and args["email"].lower() != me.email_key:
            if me.role != Role.ADMIN:
                raise Unauthorised()
            person = directory.find_person(self.account, args["email"])
        key = directory.issue_key(person)
        change_events.key_changed(key, person, EventAction.CREATED)
        return {"access_key": key.access_key, "secret_key": key.secret_key}


@register
class RevokeAPIKey(Action):
    """Revoke an access key of the caller's account."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("UnknownAPIKey",)

    class Args(Schema):
        access_key = String(required=True, metadata={"doc": "The access key to revoke."})

    def run(self, args: dict[str, Any]) -> dict:
        key = store.account_key(self.account, args["access_key"])
        if key is None:
            raise NotFound(f"Unknown access key '{echo(args['access_key'])}'", code="UnknownAPIKey")
        if not key.revoked:
            change_events.key_changed(key, key.person or key.computer, EventAction.REVOKED)
        store.revoke_key(key)
        return {"access_key": key.access_key, "revoked": True}


def _account_json(account: Any) -> dict:
    return {"name": account.name, "title": account.title,
            "require_approval": account.require_approval}


@register
class GetAccount(Action):
    """The caller's account and its settings."""

    role = CallerRole.AUDITOR

    def run(self, args: dict[str, Any]) -> dict:
        return _account_json(self.account)


@register
class SetAccountSettings(Action):
    """Change the account's title or whether new activities need approval."""

    role = CallerRole.ADMIN
    writes = True

    class Args(Schema):
        title = String(load_default=None, validate=validate.Length(1, 256))
        require_approval = Boolean(load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        changes = {k: v for k, v in args.items() if v is not None}
        if not changes:
            raise InvalidParameterValue("arguments", "", "give title or require_approval")
        store.change_settings(self.account, changes)
        return _account_json(self.account)
