"""The base class of every action and the context it runs in."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

from marshmallow import RAISE, Schema

from app.auth import Caller
from app.models import Account, CallerRole, Person
from app.store import events
from app.store.transactions import transaction


class NoArguments(Schema):
    """The argument schema of actions that take none."""

    class Meta:
        unknown = RAISE


@dataclass(frozen=True)
class Call:
    """What an action knows about the request: who calls, with which API version, settings."""

    caller: Caller | None
    version: str
    config: Mapping[str, Any]
    #: the client's network address (login throttling counts failures per address)
    client_address: str | None = None
    #: optional parts of the result a wire dialect asks for (``count``, ``children``,
    #: ``computer``, ``accounts``); the legacy endpoint asks for none
    extras: frozenset[str] = frozenset()

    @property
    def account(self) -> Account:
        """The caller's account (every action but the public ones has one)."""
        assert self.caller is not None, "public actions have no account"
        return self.caller.account


@dataclass(frozen=True)
class ExtendedResult:
    """An action's result with the :attr:`Call.extras` that were asked for.

    ``value`` is what the legacy endpoint gets; ``count`` the total number of matches of a
    page; ``children`` each group's children (a list, by group id); ``computers`` the
    computer object of each group whose children all run on one computer (by group id).
    """

    value: Any
    count: int | None = None
    children: Mapping[int, Any] = field(default_factory=dict)
    computers: Mapping[int, Any] = field(default_factory=dict)
    #: the caller's account (``id``, ``name``, ``title``), with the ``account`` extra
    account: Mapping[str, Any] | None = None
    #: each listed activity's computer title (by computer id), with the ``computer_titles``
    #: extra
    computer_titles: Mapping[int, str] = field(default_factory=dict)
    #: the signed cursor of the page after this one (``None``: no more items)
    after: str | None = None


class Action:
    """One RPC action: a name, the role it needs, an argument schema and :meth:`run`.

    Subclasses are registered with :func:`actions.registry.register`; the dispatcher
    creates one instance per request.
    """

    #: the wire name, e.g. ``GetActivities`` (defaults to the class name)
    name: ClassVar[str] = ""
    #: ``public``, ``auditor``, ``manager``, ``admin`` or ``agent``
    role: ClassVar[CallerRole] = CallerRole.AUDITOR
    #: the marshmallow schema of the arguments
    Args: ClassVar[type[Schema]] = NoArguments
    #: the schema of the arguments the wire dialects may give: ``Args`` plus options the
    #: legacy wire does not expose (defaults to ``Args``)
    ExtendedArgs: ClassVar[type[Schema] | None] = None
    #: error codes the action can answer with (published by ``GetSchema``)
    errors: ClassVar[tuple[str, ...]] = ()
    #: run inside one database transaction (every action that changes the store)
    writes: ClassVar[bool] = False
    #: the schema instances, built once per class
    args_schema: ClassVar[Schema]
    extended_args_schema: ClassVar[Schema]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__
        cls.args_schema = cls.Args()
        # An inherited ExtendedArgs extends the inherited Args only.
        extended = cls.__dict__.get("ExtendedArgs") or (
            None if "Args" in cls.__dict__ else cls.ExtendedArgs)
        cls.extended_args_schema = extended() if extended is not None else cls.args_schema

    def __init__(self, call: Call) -> None:
        self.call = call

    @property
    def account(self) -> Account:
        return self.call.account

    @property
    def caller(self) -> Caller:
        """Who calls (every action but the public ones has a caller)."""
        assert self.call.caller is not None, "public actions have no caller"
        return self.call.caller

    @property
    def person(self) -> Person:
        """The calling person (a computer's key calls agent actions only)."""
        assert self.caller.person is not None, "agent actions have no person"
        return self.caller.person

    def execute(self, args: dict[str, Any]) -> Any:
        """Run the action, inside a transaction when it :attr:`writes`."""
        if not self.writes:
            return self.run(args)
        caller = self.call.caller
        actor = caller.person.username if caller is not None and caller.person else None
        with transaction(), events.acting(actor):
            self.before_writing()
            return self.run(args)

    def before_writing(self) -> None:
        """Called inside the transaction of a writing action, before :meth:`run`."""

    def run(self, args: dict[str, Any]) -> Any:
        """Do the work and return the JSON-ready result."""
        raise NotImplementedError
