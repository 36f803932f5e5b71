"""Opt-in replay protection (``ACTIONGATE_REJECT_REPLAYS``): the signature of a request for
a writing action is accepted once.

Accepted signatures are kept in the store, so that every worker and gateway instance
refuses a second use; the primary key on the signature makes the check one atomic insert.
A signature is kept until its timestamp has left the validity window for good, after which
the timestamp check refuses it anyway.
"""
from __future__ import annotations

import random
import time

from .errors import RequestReplayed
from .models import SeenSignature

#: the clock of expiries (tests replace it)
clock = time.time
#: the share of accepted signatures that also delete the expired ones
PRUNE_CHANCE = 0.01


def accept_once(signature: str, window: int) -> None:
    """Record a verified ``signature``; ``RequestReplayed`` when it was accepted before.

    ``window`` is the signature window: a timestamp is valid up to ``window`` seconds in
    the future and stays so for ``window`` seconds after that, so the signature is kept
    for twice the window from now.
    """
    now = clock()
    inserted = (SeenSignature.insert(signature=signature, expires=now + 2 * window)
                .on_conflict_ignore().as_rowcount().execute())
    if not inserted:
        raise RequestReplayed()
    if random.random() < PRUNE_CHANCE:
        prune(now)


def prune(now: float) -> int:
    """Delete the signatures whose window has passed; returns how many."""
    return SeenSignature.delete().where(SeenSignature.expires < now).execute()
