"""Who is calling: SigV2 signatures, bearer tokens and roles (CONTRACT §4)."""
from __future__ import annotations

import base64
import hmac
import re
import secrets
import string
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, Iterable, Mapping

from flask import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from query_language.internals import without_defaults

from .store import credentials
from .store.accounts import account_by_name, person_by_username
from .errors import (AuthFailure, InvalidCredentials, InvalidSignature, RequestExpired,
                     SignatureDoesNotMatch, Unauthorised, echo)
from .models import ROLES, Account, ApiKey, CallerRole, Computer, Person

ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES)}
#: Roles an action may require; ``public`` needs no caller, ``agent`` a computer's key.
ACTION_ROLES = tuple(CallerRole)
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
TOKEN_SALT = "actiongate.bearer-token"

#: the client's %Y-%m-%dT%H:%M:%SZ, parsed without strptime (slow and locale-aware)
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")
_EPOCH = datetime(1970, 1, 1)
ACCESS_KEY = re.compile(r"[A-Z0-9]{20}\Z")
SECRET_KEY = re.compile(r"[A-Za-z0-9+/]{40}\Z")
_ACCESS_ALPHABET = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


@dataclass(frozen=True)
class Caller:
    """The authenticated party of a request: a person or a computer's agent."""

    account: Account
    person: Person | None = None
    computer: Computer | None = None

    @property
    def role(self) -> str:
        if self.computer is not None:
            return CallerRole.AGENT
        return self.person.role  # type: ignore[union-attr]

    def may(self, required: str) -> bool:
        """Whether this caller may run an action that requires ``required``."""
        if required == CallerRole.PUBLIC:
            return True
        if required == CallerRole.AGENT or self.computer is not None:
            return required == CallerRole.AGENT and self.computer is not None
        return ROLE_RANK[self.role] >= ROLE_RANK[required]


def new_key_pair() -> tuple[str, str]:
    """A fresh (access key, secret key): 20 chars ``[A-Z0-9]``, 40 chars of base64's alphabet."""
    access = "".join(secrets.choice(_ACCESS_ALPHABET) for _ in range(20))
    secret = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40))
    return access, secret


#: what ``quote(text, safe="~")`` leaves alone
_UNRESERVED_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_.-~")
_unreserved = _UNRESERVED_CHARACTERS.issuperset
#: what ``quote(text, safe="~")`` writes for each byte of ``text`` in UTF-8
_QUOTED_BYTES = tuple(chr(byte) if chr(byte) in _UNRESERVED_CHARACTERS else f"%{byte:02X}"
                      for byte in range(256))


def _escape(text: str) -> str:
    """``quote(text, safe="~")`` (errors alike: a lone surrogate cannot be encoded)."""
    return "".join(map(_QUOTED_BYTES.__getitem__, text.encode()))


def _quote(text: str) -> str:
    """``quote(text, safe="~")``; most values need no escaping at all."""
    return text if _unreserved(text) else _escape(text)


def same_secret(expected: str, provided: str) -> bool:
    """Constant-time comparison of two texts (any characters: compare_digest refuses
    non-ASCII ``str``, and a caller may send anything)."""
    return hmac.compare_digest(expected.encode(), provided.encode())


_NAME = itemgetter(0)


def canonical_query(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """The percent-encoded parameter string the client signs (``signature`` excluded).

    Every pair counts, sorted by name; pairs of one name (a hand-written script's bare
    ``name=a&name=b`` list) keep their order, so that the signature covers each value an
    action receives and the order it receives them in.
    """
    pairs = params.items() if isinstance(params, Mapping) else params
    return "&".join([f"{_quote(k)}={_quote(v)}"
                     for k, v in sorted(pairs, key=_NAME) if k != "signature"])


def sign(secret_key: str, method: str, host: str, path: str,
         params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """The SigV2 HMAC-SHA256 signature, base64-encoded, exactly as the official client makes it."""
    to_sign = f"{method}\n{host}\n{path}\n{canonical_query(params)}"
    digest = hmac.digest(secret_key.encode(), to_sign.encode(), "sha256")
    return base64.b64encode(digest).decode()


def _check_timestamp(value: str | None, window: int, now: float) -> None:
    if not value:
        raise AuthFailure("The request must contain the parameter timestamp")
    try:
        stamp = ((datetime.fromisoformat(value[:-1]) - _EPOCH).total_seconds()
                 if _TIMESTAMP.match(value) else None)
    except ValueError:  # a field out of range, e.g. month 13
        stamp = None
    if stamp is None:
        raise RequestExpired(f"Request has expired. Timestamp date is {echo(value)}")
    if stamp < now - window:
        raise RequestExpired(f"Request has expired. Timestamp date is {value}")
    if stamp > now + window:
        raise RequestExpired(f"Request has expired. Timestamp date is {value} is in the future")


def _hosts(request: Request, trust_forwarded: bool) -> list[str]:
    host = request.headers.get("X-Forwarded-Host") if trust_forwarded else None
    host = (host or request.headers.get("Host", "")).split(",")[0].strip()
    return [host] if host == host.lower() else [host, host.lower()]


def verify_signed_request(request: Request, transport: Mapping[str, str],
                          arguments: list[tuple[str, str]], *, window: int,
                          trust_forwarded_host: bool = False, now: float | None = None) -> ApiKey:
    """Check a SigV2-signed request and return the key that signed it."""
    version = transport.get("signature_version")
    if version != "2":
        raise InvalidSignature(f"SignatureVersion '{echo(version)}' not supported")
    method = transport.get("signature_method")
    if method != "HmacSHA256":
        raise InvalidSignature(f"SignatureMethod '{echo(method)}' not supported")
    access_key = transport["access_key_id"]
    key = find_key(access_key)
    if key is None:
        raise AuthFailure(f"No user with access key '{echo(access_key)}'")
    provided = transport.get("signature") or ""
    # Exactly the pairs received: a name given twice is either refused before this point
    # or signed twice (a bare list), never reduced to one value.
    params = [*arguments, *transport.items()]
    if not any(same_secret(sign(key.secret_key, request.method, host, request.path, params),
                           provided)
               for host in _hosts(request, trust_forwarded_host)):
        raise SignatureDoesNotMatch()
    _check_timestamp(transport.get("timestamp"), window, time.time() if now is None else now)
    return key


def find_key(access_key: str) -> ApiKey | None:
    """The key with its person or computer and their account (``None`` for an unknown or
    malformed access key); read through the per-worker rows of
    :mod:`app.store.credentials`, at most a second old."""
    if not ACCESS_KEY.match(access_key):
        return None
    row = credentials.key_row(access_key)
    if row is None:
        return None
    # New objects for each request (actions may change them); every field a caller needs
    # is given, and the defaults (creation times) would only be computed to be wrong.
    key = without_defaults(ApiKey, id=row.key_id, access_key=access_key,
                           secret_key=row.secret, revoked=bool(row.revoked),
                           person=row.person_id, computer=row.computer_id)
    key.owner_account = _account(row)
    key.owner_person = None if row.person_id is None else _person(row)
    key.owner_computer = None if row.computer_id is None else _computer(row)
    return key


def _account(row: Any) -> Account:
    return without_defaults(Account, id=row.account_id, name=row.account_name,
                            title=row.account_title, require_approval=bool(row.require_approval))


def _person(row: Any) -> Person:
    return without_defaults(
        Person, id=row.person_id, account=row.account_id, role=row.role,
        disabled=bool(row.disabled), email=row.email, email_key=row.email.lower(),
        name=row.name, username=row.username, token_generation=row.person_gen)


def _computer(row: Any) -> Computer:
    return without_defaults(Computer, id=row.computer_id, account=row.account_id,
                            title=row.title, token_generation=row.computer_gen)


def caller_for_key(key: ApiKey) -> Caller:
    """The caller a (non-revoked) key from :func:`find_key` stands for; disabled persons
    are refused."""
    if key.revoked:
        raise InvalidCredentials("The access key has been revoked")
    if key.person_id is not None:
        person = key.owner_person
        if person.disabled:
            raise InvalidCredentials("The user is disabled")
        return Caller(account=key.owner_account, person=person)
    return Caller(account=key.owner_account, computer=key.owner_computer)


# --- bearer tokens ---------------------------------------------------------------------------


#: verified tokens a :class:`_Tokens` recognises by their text; past this it starts over
MOST_TOKENS = 4096


class _Tokens:
    """Signs and verifies the bearer tokens of one secret key.

    A token that verified once is recognised again by its exact text: the same text
    verifies the same way, and another text (one character changed) is verified in full.
    Its age and expiry are checked on every use, its person or computer read again.
    """

    def __init__(self, secret_key: str) -> None:
        self.serializer = URLSafeTimedSerializer(secret_key, salt=TOKEN_SALT)
        #: token → (payload, when it was signed, in epoch seconds)
        self._verified: dict[str, tuple[Any, int]] = {}

    def payload(self, token: str, max_age: int) -> Any:
        """The payload of a token signed with this key at most ``max_age`` seconds ago."""
        known = self._verified.get(token)
        if known is None:
            try:
                payload, signed = self.serializer.loads(token, max_age=max_age,
                                                        return_timestamp=True)
            except BadSignature:
                raise AuthFailure("Invalid or expired token") from None
            known = payload, int(signed.timestamp())
            if len(self._verified) >= MOST_TOKENS:
                self._verified = {}
            self._verified[token] = known
        age = int(time.time()) - known[1]  # as itsdangerous counts it
        if not 0 <= age <= max_age:
            raise AuthFailure("Invalid or expired token")
        return known[0]


@lru_cache(maxsize=8)
def _tokens(secret_key: str) -> _Tokens:
    return _Tokens(secret_key)


def issue_token(secret_key: str, subject: Person | Computer, minutes: int,
                key: ApiKey | None = None) -> tuple[str, int]:
    """A bearer token for a person (``pid``) or a computer's agent (``cid``) and its expiry.

    A token issued through an access key names it (``kid``): revoking the key revokes it.
    """
    expires = int(time.time()) + minutes * 60
    claim = "pid" if isinstance(subject, Person) else "cid"
    payload = {claim: subject.id, "gen": subject.token_generation, "exp": expires}
    if key is not None:
        payload["kid"] = key.id
    return _tokens(secret_key).serializer.dumps(payload), expires


def caller_for_token(secret_key: str, token: str, max_minutes: int) -> Caller:
    """Verify a bearer token; expired, forged or revoked tokens are ``AuthFailure``.

    Its person or computer (and key) are read through the per-worker rows of
    :mod:`app.store.credentials`, at most a second old.
    """
    payload = _tokens(secret_key).payload(token, max_minutes * 60)
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
        raise AuthFailure("Invalid or expired token")
    if payload["exp"] < time.time():
        raise AuthFailure("Invalid or expired token")
    subject_id = payload.get("pid", payload.get("cid"))
    row = None
    if type(subject_id) is int:
        row = (credentials.person_row(subject_id) if "pid" in payload
               else credentials.computer_row(subject_id))
    generation = None if row is None else (
        row.person_gen if "pid" in payload else row.computer_gen)
    if row is None or generation != payload.get("gen"):
        raise AuthFailure("Token is no longer valid")
    if "kid" in payload and not _key_in_force(payload["kid"]):
        raise AuthFailure("Token is no longer valid")
    if "pid" in payload:
        if row.disabled:
            raise AuthFailure("Token is no longer valid")
        return Caller(account=_account(row), person=_person(row))
    return Caller(account=_account(row), computer=_computer(row))


def is_token(secret_key: str, text: str) -> bool:
    """Whether ``text`` carries a bearer token's signature (valid or not, expired or not):
    what tells a token from a password where either may be given."""
    valid, _ = _tokens(secret_key).serializer.loads_unsafe(text)
    return bool(valid)


def email_of_username(username: str) -> str | None:
    """The e-mail of the one person called ``username``; None when no person or persons
    of several accounts are (they log in by e-mail)."""
    if "\x00" in username:  # no username has one, and PostgreSQL cannot compare it
        return None
    person = person_by_username(username, None)
    return person.email if person is not None else None


def _key_in_force(key_id: Any) -> bool:
    """Whether the key a token was issued through still exists and is not revoked."""
    return type(key_id) is int and credentials.key_revoked(key_id) is False


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def public_reader(account_name: str | None) -> Caller | None:
    """An anonymous auditor of the account ``account_name`` (a public catalogue), or None
    when no such account is configured."""
    account = account_by_name(account_name) if account_name else None
    if account is None:
        return None
    # never saved: it only carries the reader's role and account
    return Caller(account=account, person=Person(account=account, username="anonymous",
                                                 name="anonymous", email="",
                                                 role=CallerRole.AUDITOR))


def authorise(caller: Caller, required: str) -> None:
    """Refuse a caller whose role is below ``required`` (or of the wrong kind)."""
    if not caller.may(required):
        raise Unauthorised()
