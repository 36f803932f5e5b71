"""Who a key or a token stands for: the authentication lookups, kept per worker for at most
:data:`FRESH_FOR` seconds.

Every request reads its key (or its token's person or computer) with its account. A hot
caller's row is served again from this process for up to a second, so a hot request runs
no lookup query; a change to a key, person or account reaches every worker and gateway
instance within that second without any message between them, because the store stays the
one place the state lives (README, "Credential changes take up to 1 second"). The worker
that makes such a change forgets its rows at once (:func:`forget`).

Only rows found are kept (an access key created a moment ago works at once everywhere),
and rows, never verdicts: the caller checks every signature against the secret of the row
and every token against the row's generation, on every request.
"""
from __future__ import annotations

from threading import Lock
from time import monotonic
from typing import Any, Callable, Generic, Hashable, TypeVar

from peewee import JOIN, fn

from app.models import Account, ApiKey, Computer, Person
from app.prepared import PreparedQuery

from .rows import RowShape

#: seconds a row read from the store is served again (the bound README documents)
FRESH_FOR = 1.0
#: rows kept per lookup; past this the stale ones go, and all of them if none is stale
MOST_ROWS = 4096

K = TypeVar("K", bound=Hashable)

_ALL: list[RecentRows[Any]] = []


class RecentRows(Generic[K]):
    """The rows one lookup found, each served again until :data:`FRESH_FOR` seconds after
    its read began (the read sees every change committed before it began, so a change is
    seen by every request starting :data:`FRESH_FOR` seconds after its commit)."""

    def __init__(self, lookup: Callable[[K], Any]) -> None:
        self._lookup = lookup
        self._rows: dict[K, tuple[float, Any]] = {}
        #: bumped by :meth:`clear`: a read that began before a clear does not keep its row
        self._epoch = 0
        self._lock = Lock()
        _ALL.append(self)

    def get(self, key: K) -> Any:
        """The row for ``key`` (``None`` when the store has none), fresh enough."""
        began = monotonic()
        held = self._rows.get(key)
        if held is not None and began - held[0] < FRESH_FOR:
            return held[1]
        epoch = self._epoch
        row = self._lookup(key)
        with self._lock:
            if row is None:
                self._rows.pop(key, None)
            elif epoch == self._epoch:
                if len(self._rows) >= MOST_ROWS:
                    self._drop_stale(began)
                self._rows[key] = (began, row)
        return row

    def _drop_stale(self, now: float) -> None:
        kept = {key: held for key, held in self._rows.items() if now - held[0] < FRESH_FOR}
        self._rows = kept if len(kept) < MOST_ROWS else {}

    def clear(self) -> None:
        """Forget every row: the next request of each caller reads the store."""
        with self._lock:
            self._epoch += 1
            self._rows = {}


def forget() -> None:
    """Forget every kept row in this process: called by each change to a key, person,
    computer or account, and when the process binds another database."""
    for rows in _ALL:
        rows.clear()


# --- the lookups ------------------------------------------------------------------------


#: a key with its person or computer and their account
KEY_ROW = RowShape(
    "KeyRow", key_id=ApiKey.id, secret=ApiKey.secret_key, revoked=ApiKey.revoked,
    person_id=ApiKey.person, computer_id=ApiKey.computer, role=Person.role,
    disabled=Person.disabled, email=Person.email, name=Person.name, username=Person.username,
    person_gen=Person.token_generation, title=Computer.title,
    computer_gen=Computer.token_generation, account_id=Account.id, account_name=Account.name,
    account_title=Account.title, require_approval=Account.require_approval)

#: a person with their account (a token's subject)
PERSON_ROW = RowShape(
    "PersonRow", person_id=Person.id, role=Person.role, disabled=Person.disabled,
    email=Person.email, name=Person.name, username=Person.username,
    person_gen=Person.token_generation, account_id=Account.id, account_name=Account.name,
    account_title=Account.title, require_approval=Account.require_approval)

#: a computer with its account (an agent token's subject)
COMPUTER_ROW = RowShape(
    "ComputerRow", computer_id=Computer.id, title=Computer.title,
    computer_gen=Computer.token_generation, account_id=Account.id, account_name=Account.name,
    account_title=Account.title, require_approval=Account.require_approval)


def _build_key_lookup() -> Any:
    return (ApiKey.select(*KEY_ROW.columns)
            .join(Person, JOIN.LEFT_OUTER, on=(ApiKey.person == Person.id))
            .switch(ApiKey)
            .join(Computer, JOIN.LEFT_OUTER, on=(ApiKey.computer == Computer.id))
            .switch(ApiKey)
            .join(Account, on=(Account.id == fn.COALESCE(Person.account, Computer.account)))
            .where(ApiKey.access_key == "access_key"))


#: stand-in ids: no row has a negative id, so they never occur as constants in a query
_ID = -7_351_911

KEY_LOOKUP = PreparedQuery(_build_key_lookup, access_key="access_key")
_PERSON_LOOKUP = PreparedQuery(
    lambda: Person.select(*PERSON_ROW.columns).join(Account).where(Person.id == _ID), id=_ID)
_COMPUTER_LOOKUP = PreparedQuery(
    lambda: Computer.select(*COMPUTER_ROW.columns).join(Account).where(Computer.id == _ID),
    id=_ID)
_KEY_STATE = PreparedQuery(
    lambda: ApiKey.select(ApiKey.revoked).where(ApiKey.id == _ID), id=_ID)


def _one(query: PreparedQuery, shape: RowShape | None = None, **values: object) -> Any:
    found = query.execute(**values).fetchone()
    return None if found is None or shape is None else shape.row(found)


def _key_revoked(key_id: int) -> Any:
    found = _KEY_STATE.execute(id=key_id).fetchone()
    return None if found is None else bool(found[0])


_keys: RecentRows[str] = RecentRows(lambda access_key: _one(KEY_LOOKUP, KEY_ROW,
                                                            access_key=access_key))
_persons: RecentRows[int] = RecentRows(lambda id: _one(_PERSON_LOOKUP, PERSON_ROW, id=id))
_computers: RecentRows[int] = RecentRows(lambda id: _one(_COMPUTER_LOOKUP, COMPUTER_ROW, id=id))
_key_states: RecentRows[int] = RecentRows(_key_revoked)


def key_row(access_key: str) -> Any:
    """The :data:`KEY_ROW` of ``access_key`` (revoked keys too), or None."""
    return _keys.get(access_key)


def person_row(person_id: int) -> Any:
    """The :data:`PERSON_ROW` of the person ``person_id``, or None."""
    return _persons.get(person_id)


def computer_row(computer_id: int) -> Any:
    """The :data:`COMPUTER_ROW` of the computer ``computer_id``, or None."""
    return _computers.get(computer_id)


def key_revoked(key_id: int) -> bool | None:
    """Whether the key ``key_id`` is revoked; None when it does not exist (any more)."""
    result: bool | None = _key_states.get(key_id)
    return result
