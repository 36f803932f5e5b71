"""Failed-login throttling, shared by every worker and gateway instance through the store.

Each failed ``Login`` or ``LoginWithAccessKey`` counts against two subjects: the identity it
named (``email:…`` or ``key:…``) and the client's address (``address:…``; IPv6 by /64, as
one host usually holds a whole /64). Past a number of free failures, a subject must wait
before its next attempt, twice as long after each further failure. The wait is checked
before the password is hashed, so a throttled flood costs one indexed read per request.
The per-address allowance is larger than the per-identity one: an address that hammers one
e-mail blocks that e-mail and itself, never other persons logging in from elsewhere.
"""
from __future__ import annotations

import ipaddress
import math
import random
import time
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from peewee import Case

from .errors import TooManyRequests
from .models import FailedLogin

#: the clock of failures and waits (tests replace it)
clock = time.time
#: counters of subjects without a failure for this many seconds are forgotten
FORGET_AFTER = 3600.0
#: the wait after the first failure past the free ones, doubled after each further one
FIRST_DELAY = 1.0
#: the longest wait
LONGEST_DELAY = 900.0
#: the share of failures that also delete forgotten counters
PRUNE_CHANCE = 0.01
#: identities are cut to this length (the longest e-mail address is 254 characters)
_LONGEST_IDENTITY = 320


@dataclass(frozen=True)
class Limit:
    """How many failures a subject may have before it waits, and how long."""

    free_failures: int

    def delay(self, failures: int) -> float:
        """Seconds to wait after the last of ``failures`` failures."""
        beyond = failures - self.free_failures
        if beyond < 0:
            return 0.0
        return min(FIRST_DELAY * 2 ** min(beyond, 32), LONGEST_DELAY)


def email_subject(email: str) -> str:
    """The throttle subject of a login by e-mail (case-insensitive, as e-mails are)."""
    return "email:" + email.lower()[:_LONGEST_IDENTITY]


def username_subject(username: str) -> str:
    """The throttle subject of a login by username (the pkgdb2 dialect's HTTP Basic)."""
    return "username:" + username[:_LONGEST_IDENTITY]


def key_subject(access_key: str) -> str:
    """The throttle subject of a login by access key."""
    return "key:" + access_key[:_LONGEST_IDENTITY]


def address_subject(address: str | None) -> str:
    """The throttle subject of a client address: the address, or its /64 for IPv6."""
    text = (address or "unknown").split("/")[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return "address:" + text[:64]
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return "address:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return "address:" + str(ip)


def client_address(remote_addr: str | None, forwarded_for: str | None,
                   trust_forwarded: bool) -> str | None:
    """The client's address: the one the trusted proxy appended to ``X-Forwarded-For`` (the
    last; earlier ones are the client's to choose) when behind a proxy, else the peer's."""
    if trust_forwarded and forwarded_for:
        return forwarded_for.split(",")[-1].strip() or remote_addr
    return remote_addr


class LoginAttempt:
    """One login attempt: :meth:`check` before verifying the secret, then record the outcome
    with :meth:`failed` or :meth:`succeeded`."""

    def __init__(self, config: Mapping[str, Any], identity: str, address: str | None) -> None:
        self.identity = identity
        self.address = address_subject(address)
        self.limits = {identity: Limit(config["LOGIN_FREE_FAILURES"]),
                       self.address: Limit(config["LOGIN_FREE_FAILURES_PER_ADDRESS"])}

    def check(self) -> None:
        """Refuse the attempt (429 with ``Retry-After``) while either subject must wait."""
        now = clock()
        rows = (FailedLogin.select(FailedLogin.subject, FailedLogin.failures,
                                   FailedLogin.last_failure)
                .where(FailedLogin.subject.in_(list(self.limits))).tuples())
        wait = max((last + self.limits[subject].delay(failures) - now
                    for subject, failures, last in rows if now - last < FORGET_AFTER),
                   default=0.0)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(f"Too many failed logins: try again in {seconds} seconds",
                                  retry_after=seconds)

    def failed(self) -> None:
        """Count a failure against the identity and the address, atomically in the store."""
        now = clock()
        existing = FailedLogin.last_failure
        (FailedLogin
         .insert_many([(subject, 1, now) for subject in self.limits],
                      fields=[FailedLogin.subject, FailedLogin.failures,
                              FailedLogin.last_failure])
         .on_conflict(conflict_target=[FailedLogin.subject], update={
             FailedLogin.failures: Case(None, [(existing < now - FORGET_AFTER, 1)],
                                        FailedLogin.failures + 1),
             FailedLogin.last_failure: Case(None, [(existing > now, existing)], now)})
         .execute())
        if random.random() < PRUNE_CHANCE:
            prune(now)

    def succeeded(self) -> None:
        """A successful login clears its identity's failures (not its address's)."""
        FailedLogin.delete().where(FailedLogin.subject == self.identity).execute()


def prune(now: float) -> int:
    """Delete the counters that are forgotten anyway; returns how many."""
    return FailedLogin.delete().where(FailedLogin.last_failure < now - FORGET_AFTER).execute()


def unblock(subjects: Iterable[str]) -> int:
    """Clear the failures of these subjects; returns how many were counting."""
    wanted = list(subjects)
    return FailedLogin.delete().where(FailedLogin.subject.in_(wanted)).execute()


def unblock_all() -> int:
    """Clear every failure counter; returns how many there were."""
    return FailedLogin.delete().execute()
