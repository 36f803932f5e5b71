"""The request fuzzer shared by ``tests/test_fuzz.py`` (bounded, in-process) and
``bench/fuzz.py`` (100,000 requests against gunicorn).

One generator draws every request through a :class:`Chooser`: :class:`HypothesisChooser`
lets hypothesis shrink a failing request to a small one, :class:`RandomChooser` (a seeded
``random.Random``) draws a hundred thousand quickly. What the fuzzer sends is declared in
:data:`ROUTES`: the action route ``/api/`` is drawn from the action registry (every
registered action, its marshmallow fields and their wire encodings); every REST dialect of
``app.dialects`` is derived from its declaration (routes, path converters, query and body
schemas, ``error_schema``) by :func:`dialect_route`, so a new dialect is fuzzed by both suites
without a change here. Requests are signed correctly (SigV2 over exactly the pairs the
gateway will receive) with a real key of the role drawn, so that they reach the actions.
"""
from __future__ import annotations

import base64
import json
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol, Sequence, TypeVar
from urllib.parse import quote, urlencode

from hypothesis import strategies as st
from marshmallow import Schema, fields

from actions import registry
from actions.fields import Query
from app import auth, directory
from app.dialects import Dialect, dialects
from app.dialects import Route as DialectRoute
from app.encoding import Boolean, DateTime, File, Integer
from app.models import Account, ApiKey, Computer, Person

T = TypeVar("T")

#: the longest query string the generator sends: gunicorn refuses longer request lines with
#: its own HTML 414 before the gateway sees them (a documented limit), so longer go by POST
MAX_QUERY_STRING = 3000
VERSIONS = ("2011-08-01", "2013-11-04")
#: characters a drawn text is made of: plain, URL-significant, control, wide and odd ones
PALETTE = ("abcxyzABC019 -_.~:()\"'\\%&=+;,/?#*@!$[]{}<>|^`\t\n\r\x00\x7f\x1b"
           "éß中文😀\u202e\ufeff\u0301\u2028")
#: words the gateway's data and languages contain, so that drawn values often mean something
WORDS = ("laptop", "server", "web", "db", "desktop", "jammy", "22.04", "global", "rpms",
         "f41", "f42", "master", "el9", "python3-flask", "nginx", "curl", "bash", "packager",
         "gtk-sig", "jane", "mark", "alice", "orphan", "commit", "approveacls", "watchbugzilla",
         "Approved", "Awaiting Review", "Obsolete", "Removed", "Active", "Retired", "true",
         "false", "nobuild", "request.branch", "request.package", "demo", "nobody@demo.example",
         "x@y.example", "ChangePackagesRequest", "RestartRequest", "succeeded", "failed",
         "undelivered", "unapproved", "canceled", "delivered", "scheduled")
QUERIES = ("", " ", "status:succeeded", "computer:tag:laptop", "status:failed computer:id:1",
           "id:1", "id:999999999999999999999", "parent-id:2", "NOT type:RestartRequest",
           "computer:(tag:server OR tag:laptop)", "created-after:2011-01",
           "created-before:2030-13-45", "creator:admin@demo.example", "type:Bogus", "tag:web",
           "hostname:host1", "title:\"a b\"", "annotation:k:v", "distribution:22.04",
           "name:python*", "namespace:rpms", "branch:f41", "status:Approved", "poc:jane",
           "critpath:true", "monitor:nobuild", "koschei:false", "user:jane", "package:curl",
           "action:request.branch", "from:2011-01-01", "(", ")", "((((((((((x))))))))))",
           "a OR", "NOT", "\"unterminated", "x:", ":y", "status:", "computer:", "\\",
           "id:1 AND id:2 OR NOT id:3", "x" * 5000)
DATES = ("2011-08-18T08:07:00Z", "2011-01", "2030", "2011-08-18", "2011-13-45", "0000-00-00",
         "2011-08-18T25:00:00Z", "yesterday", "9" * 30)
INTEGERS = ("0", "1", "2", "3", "5", "10", "20", "40", "-1", "+7", " 4 ", "1.5", "1e3",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "9" * 40,
            "", "abc", "٣")
BOOLEANS = ("true", "false", "TRUE", "1", "0", "yes", "no", "maybe", "")
AUTH_MODES = ("signed",) * 14 + ("bearer", "unsigned", "bad-signature", "expired",
                                 "unknown-key")
CONTENT_TYPES = (("application/x-www-form-urlencoded",) * 8
                 + ("multipart/form-data", "application/json", "text/plain", None,
                    "application/x-www-form-urlencoded; charset=latin-1"))


class Chooser(Protocol):
    """Where the generator's randomness comes from."""

    def integer(self, low: int, high: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...

    def chance(self, percent: int) -> bool: ...

    def text(self, max_size: int) -> str: ...


class RandomChooser:
    """Draws from a seeded ``random.Random`` (fast: the long run in ``bench/``)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def chance(self, percent: int) -> bool:
        return self.rng.randrange(100) < percent

    def text(self, max_size: int) -> str:
        return "".join(self.rng.choices(PALETTE, k=self.rng.randint(0, max_size)))


class HypothesisChooser:
    """Draws through hypothesis's ``st.data()`` (shrinkable: the bounded run in ``tests/``)."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(options))

    def chance(self, percent: int) -> bool:
        # hypothesis shrinks towards 0: let 0 be the likelier outcome
        value = self.data.draw(st.integers(0, 99))
        return value < percent if percent >= 50 else value >= 100 - percent

    def text(self, max_size: int) -> str:
        return self.data.draw(st.text(alphabet=st.sampled_from(PALETTE) | st.characters(
            exclude_categories=("Cs",)), max_size=max_size))


@dataclass(frozen=True)
class Credentials:
    """What the fuzzer signs with: ``(access key, secret key)`` and a bearer token by role
    (``admin``, ``manager``, ``auditor``, ``agent``), and the host it signs for."""

    keys: Mapping[str, tuple[str, str]]
    tokens: Mapping[str, str] = field(default_factory=dict)
    host: str = "localhost"


def credentials_for(account: Account, token_secret: str, host: str = "localhost"
                    ) -> Credentials:
    """A live key and a bearer token of each role of ``account`` (issuing keys where a
    person has none), and of one of its computers' agents."""
    keys: dict[str, tuple[str, str]] = {}
    tokens: dict[str, str] = {}
    for role in ("admin", "manager", "auditor"):
        person = (Person.select().where((Person.account == account) & (Person.role == role)
                                        & (Person.disabled == False))  # noqa: E712
                  .order_by(Person.id).first())
        if person is None:
            continue
        live = (ApiKey.person == person) & (ApiKey.revoked == False)  # noqa: E712
        key = ApiKey.select().where(live).order_by(ApiKey.id).first() or directory.issue_key(
            person)
        keys[role] = (key.access_key, key.secret_key)
        tokens[role] = auth.issue_token(token_secret, person, 60)[0]
    # the newest computer: the ids the fuzzer draws (RemoveComputers) rarely reach it
    computer = (Computer.select().where(Computer.account == account)
                .order_by(Computer.id.desc()).first())
    if computer is not None:
        key = ApiKey.get_or_none(ApiKey.computer == computer) or directory.issue_key(computer)
        keys["agent"] = (key.access_key, key.secret_key)
        tokens["agent"] = auth.issue_token(token_secret, computer, 60)[0]
    return Credentials(keys, tokens, host)


@dataclass
class FuzzRequest:
    """One HTTP request, independent of the client that sends it."""

    route: str
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: what the request is about, for reports (the action's name, the endpoint)
    label: str = ""

    @property
    def target(self) -> str:
        """The request target: path and query string."""
        return self.path + ("?" + urlencode(self.query) if self.query else "")

    def all_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.content_type is not None:
            headers["Content-Type"] = self.content_type
        return headers


@dataclass(frozen=True)
class Route:
    """A family of requests the fuzzer sends: how to draw one, and how its 4xx look.

    ``envelope(body)`` says whether a decoded 4xx body is the route's error envelope;
    ``text_answers``: a success may be ``text/plain`` (pkgdb2's text reports).
    """

    name: str
    draw: Callable[[Chooser, Credentials], FuzzRequest]
    envelope: Callable[[Any], bool]
    #: a dialect's: draws a request of one of its declared routes
    draw_route: Callable[[Chooser, Credentials, DialectRoute], FuzzRequest] | None = None
    text_answers: bool = False


#: every route the fuzzers cover, by name (see :func:`declare_route`)
ROUTES: dict[str, Route] = {}


def declare_route(route: Route) -> Route:
    """Add ``route`` to what both fuzzers send."""
    ROUTES[route.name] = route
    return route


def draw_request(chooser: Chooser, credentials: Credentials,
                 routes: Sequence[str] | None = None) -> FuzzRequest:
    """One request of one of the declared routes (all of them unless ``routes`` says)."""
    route = ROUTES[chooser.choice(sorted(routes or ROUTES))]
    return route.draw(chooser, credentials)


def problems(request: FuzzRequest, status: int, content_type: str | None,
             body: bytes) -> list[str]:
    """What is wrong with an answer: a 5xx, a body that is not JSON, a 4xx without the
    route's error envelope (empty when the answer is fine)."""
    found = []
    if status >= 500:
        found.append(f"{status}")
    if (status < 400 and ROUTES[request.route].text_answers
            and (content_type or "").startswith("text/plain")):
        return found
    try:
        decoded = json.loads(body)
    except ValueError:
        return found + ["non-JSON"]
    if not (content_type or "").startswith("application/json"):
        found.append(f"content type {content_type}")
    if 400 <= status < 500 and not ROUTES[request.route].envelope(decoded):
        found.append("no error envelope")
    return found


# --- the action route /api/ -----------------------------------------------------------------


def action_envelope(body: Any) -> bool:
    """CONTRACT §2: ``{"error": CODE, "message": TEXT, …}``."""
    return (isinstance(body, dict) and isinstance(body.get("error"), str)
            and isinstance(body.get("message"), str))


def draw_text(chooser: Chooser) -> str:
    """A value: a known word most often, else drawn text, sometimes very long."""
    kind = chooser.integer(0, 9)
    if kind < 5:
        return chooser.choice(WORDS)
    if kind < 9:
        return chooser.text(12)
    return chooser.choice(("x" * 300, "é" * 70_000, "a,b,c", "%00", "$$", "\x00"))


def draw_scalar(chooser: Chooser, field_: fields.Field | None) -> str:
    """A wire value for one field, usually of the field's kind."""
    if chooser.chance(10) or field_ is None:
        return draw_text(chooser)
    if isinstance(field_, Query):
        return chooser.choice(QUERIES)
    if isinstance(field_, (Integer, fields.Integer)):
        return chooser.choice(INTEGERS)
    if isinstance(field_, Boolean):
        return chooser.choice(BOOLEANS)
    if isinstance(field_, DateTime):
        return chooser.choice(DATES)
    if isinstance(field_, File):
        payload = base64.b64encode(chooser.text(20).encode()).decode()
        return chooser.choice((f"a.deb$${payload}", "a.deb$$!!", "no-separator"))
    return draw_text(chooser)


def _wire_fields(schema: Schema) -> list[tuple[str, fields.Field]]:
    return [(f.data_key or name, f) for name, f in schema.fields.items() if not f.dump_only]


def draw_argument(chooser: Chooser, name: str, field_: fields.Field) -> list[tuple[str, str]]:
    """The wire pairs of one argument: ``name=v``, ``name.N=v`` or ``name.KEY=v`` (and the
    odd encodings a hand-written script or an attacker may send)."""
    if isinstance(field_, fields.List):
        item = field_.inner
        if chooser.chance(2):  # a long list (SQL parameter limits), of short values
            return [(f"{name}.{index}", str(index))
                    for index in range(1, chooser.choice((999, 3000)) + 1)]
        count = chooser.integer(0, 4)
        style = chooser.integer(0, 9)
        if style < 7:
            return [(f"{name}.{index}", draw_scalar(chooser, item))
                    for index in range(1, count + 1)]
        if style < 9:
            return [(name, draw_scalar(chooser, item)) for _ in range(count)]
        return [(f"{name}.{chooser.choice(('0', '1', '01', 'x', '', '-1', '9' * 12))}",
                 draw_scalar(chooser, item))]
    if isinstance(field_, fields.Dict):
        keys = [chooser.choice(("1", "2", "3", "0", "x", "", "a.b")) if chooser.chance(70)
                else chooser.text(5) for _ in range(chooser.integer(0, 3))]
        pairs = [(f"{name}.{key}", draw_scalar(chooser, field_.value_field)) for key in keys]
        return pairs if not chooser.chance(10) else [(name, draw_text(chooser))]
    return [(name, draw_scalar(chooser, field_))]


def draw_action_pairs(chooser: Chooser, action: str | None = None
                      ) -> tuple[str, list[tuple[str, str]]]:
    """An action name (usually a registered one, ``action`` when given) and argument pairs
    for it."""
    if action is None:
        action = chooser.choice(sorted(registry.ACTIONS)) if chooser.chance(95) else (
            chooser.choice(("", "getactivities", "GetActivities ", "__class__", "x" * 300)))
    pairs: list[tuple[str, str]] = []
    action_class = registry.ACTIONS.get(action)
    if action_class is not None:
        for name, field_ in _wire_fields(action_class.args_schema):
            if chooser.chance(85 if field_.required else 50):
                pairs.extend(draw_argument(chooser, name, field_))
    for _ in range(3):  # names the action does not declare
        if not chooser.chance(8):
            break
        pairs.append((chooser.choice(("colour", "query.1", "limit.x", "", ".", "tags.",
                                      "signature_version", chooser.text(8))),
                      draw_text(chooser)))
    if pairs and chooser.chance(4):  # a name given twice: refused, signed or not
        pairs.insert(chooser.integer(0, len(pairs)), chooser.choice(pairs))
    return action, pairs


def draw_action_request(chooser: Chooser, credentials: Credentials,
                        action: str | None = None) -> FuzzRequest:
    """A request of the action route: ``GET|POST /api/?action=…``, signed as drawn (of
    ``action`` when it is given)."""
    action, arguments = draw_action_pairs(chooser, action)
    transport = [("action", action)] if chooser.chance(98) else []
    if chooser.chance(90):
        transport.append(("version", chooser.choice(VERSIONS) if chooser.chance(95)
                          else chooser.text(6)))
    lengthy = len(urlencode(arguments)) >= MAX_QUERY_STRING
    method = "GET" if chooser.chance(40) and not lengthy else "POST"
    content_type = None
    if method == "POST":
        content_type = (chooser.choice(CONTENT_TYPES) if not lengthy
                        else "application/x-www-form-urlencoded")
    form_body = content_type is not None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data"))
    in_body = [form_body and (lengthy or chooser.chance(70)) for _ in arguments]
    query = [pair for pair, body in zip(arguments, in_body) if not body]
    body = [pair for pair, body in zip(arguments, in_body) if body]
    if content_type == "multipart/form-data":
        body = [(_quoted(name), value) for name, value in body]
    query.extend(transport)
    mode = chooser.choice(AUTH_MODES)
    role = _draw_role(chooser, credentials, action)
    headers: dict[str, str] = {}
    if mode == "bearer" and credentials.tokens:
        headers["Authorization"] = "Bearer " + credentials.tokens.get(
            role, next(iter(credentials.tokens.values())))
    elif mode != "unsigned":
        access, secret = credentials.keys[role]
        stamp = time.time() - (3600 if mode == "expired" else 0)
        query.extend([("access_key_id", "Z" * 20 if mode == "unknown-key" else access),
                      ("signature_method", "HmacSHA256"), ("signature_version", "2"),
                      ("timestamp", time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime(stamp)))])
        # exactly the pairs the gateway receives: the query string's, then the form's
        signature = auth.sign(secret, method, credentials.host, "/api/", query + body)
        query.append(("signature", signature if mode != "bad-signature" else signature[::-1]))
    request = FuzzRequest("actions", method, "/api/", query=query, headers=headers,
                          content_type=content_type, label=action)
    encode_body(chooser, request, body)
    return request


def _draw_role(chooser: Chooser, credentials: Credentials, action: str) -> str:
    """Mostly a role the action allows (so that the request reaches it), else any."""
    action_class = registry.ACTIONS.get(action)
    allowed = [role for role in sorted(credentials.keys) if action_class is not None
               and (role == "agent") == (action_class.role == "agent")
               and auth.ROLE_RANK.get(role, 0) >= auth.ROLE_RANK.get(action_class.role, 0)]
    return chooser.choice(allowed if allowed and chooser.chance(80)
                          else sorted(credentials.keys))


def encode_body(chooser: Chooser, request: FuzzRequest, pairs: list[tuple[str, str]]) -> None:
    """Write ``pairs`` as the request's body in its content type (junk when it has none)."""
    content_type = request.content_type or ""
    if content_type.startswith("application/x-www-form-urlencoded"):
        request.body = urlencode(pairs).encode()
    elif content_type == "multipart/form-data":
        boundary = uuid.uuid4().hex
        request.content_type = f"multipart/form-data; boundary={boundary}"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{_quoted(name)}"'
                 f"\r\n\r\n{value}\r\n" for name, value in pairs]
        request.body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    elif request.method == "POST" and chooser.chance(50):
        request.body = chooser.choice((b"{}", b'{"action": "GetActivities"}', b"\xff\xfe",
                                       b"a=b&c", chooser.text(30).encode()))


def _quoted(name: str) -> str:
    # A name the multipart encoding cannot carry as is would not be received as signed.
    return re.sub(r'["\r\n\\]', "_", name)


declare_route(Route("actions", draw_action_request, action_envelope))


# --- REST dialects: derived from their declarations, fuzzed like the action route -------------

#: path segments of an ``<int:…>`` converter: ids that exist, edge and out-of-range numbers
#: (a huge one still matches the converter) and non-numbers (the router's own 404)
PATH_IDS = ("1", "2", "3", "5", "10", "40", "0", "00", "2147483647", "2147483648",
            "9223372036854775808", "9" * 40, "-1", "x", "1.5", "%00")
#: JSON values of a JSON body's fields: right kinds, wrong kinds, edges
JSON_VALUES: tuple[Any, ...] = (None, True, False, 0, 1, -1, 2.0, 2.5, 2147483648,
                                9223372036854775808, 10 ** 40, "", "1", [], {}, [1], {"a": 1},
                                "\ud800", "\x00", float("inf"))
#: bodies that are not what a JSON route reads
JUNK_BODIES = (b"", b"{", b"[]", b"null", b"1", b'"x"', b"\xff\xfe", b"a=b&c", b'{"a":' * 600,
               b'{"\\ud800": 1}', b'{"query": "\\ud800"}', b"[" * 100_000)
#: converters in a Flask route path: ``<int:activity_id>``, ``<name>``
PATH_VARIABLE = re.compile(r"<(?:(\w+):)?(\w+)>")


def envelope_of(error_schema: type[Schema]) -> Callable[[Any], bool]:
    """Whether a decoded 4xx body is an instance of a dialect's declared ``error_schema``."""
    schema = error_schema()

    def envelope(body: Any) -> bool:
        return isinstance(body, dict) and not schema.validate(body)

    return envelope


def draw_path(chooser: Chooser, dialect: Dialect, route: DialectRoute) -> str:
    """The route's path with its converters filled (ids for ``int``), sometimes a path the
    dialect does not serve."""
    if chooser.chance(4):
        return dialect.base_path + chooser.choice(("/nowhere", "/", "/../api/", "/%00",
                                                   "/activities/1/x", "//activities"))

    def fill(match: re.Match) -> str:
        value = draw_text(chooser)
        if match.group(1) == "int":
            value = chooser.choice(PATH_IDS) if chooser.chance(90) else chooser.choice(INTEGERS)
        return quote(value, safe="%")[:MAX_QUERY_STRING // 4]

    return dialect.base_path + PATH_VARIABLE.sub(fill, route.path)


def draw_query_pairs(chooser: Chooser, schema: type[Schema] | None) -> list[tuple[str, str]]:
    """Query parameters of a route's ``query`` schema (each field of its kind, or not), and
    now and then a name it does not declare or a name given twice."""
    pairs: list[tuple[str, str]] = []
    if schema is not None:
        for name, field_ in _wire_fields(schema()):
            if chooser.chance(60):
                value = (chooser.choice(QUERIES) if name == "query" and chooser.chance(70)
                         else draw_scalar(chooser, field_))
                pairs.append((name, value))
    if chooser.chance(8):
        pairs.append((chooser.choice(("colour", "limit.1", "", "query[]")), draw_text(chooser)))
    if pairs and chooser.chance(4):
        pairs.append(chooser.choice(pairs))
    # gunicorn refuses longer request lines with its own HTML 414 (a documented limit)
    return [pair for pair in pairs if len(urlencode([pair])) < MAX_QUERY_STRING // 4]


def draw_json_value(chooser: Chooser, field_: fields.Field) -> Any:
    """A JSON value for one body field: usually of the field's kind."""
    if chooser.chance(15):
        return chooser.choice(JSON_VALUES)
    if isinstance(field_, fields.List):
        if chooser.chance(3):  # past the id limits
            return list(range(1, chooser.choice((1001, 5000)) + 1))
        return [draw_json_value(chooser, field_.inner) for _ in range(chooser.integer(0, 4))]
    if isinstance(field_, fields.Integer):
        return chooser.choice((1, 2, 3, 5, 10, 40, 0, -1, 2147483648, 2.0, "3", True))
    if isinstance(field_, fields.String) and field_.name == "query":
        return chooser.choice(QUERIES)
    return draw_text(chooser)


def draw_json_body(chooser: Chooser, schema: type[Schema] | None) -> bytes:
    """A JSON object of a route's ``body`` schema's fields (or none, or junk)."""
    if chooser.chance(8):
        return chooser.choice(JUNK_BODIES)
    body: dict[str, Any] = {}
    for name, field_ in _wire_fields(schema()) if schema is not None else ():
        if chooser.chance(85 if field_.required else 50):
            body[name] = draw_json_value(chooser, field_)
    if chooser.chance(8):
        body[chooser.choice(("colour", "", "activity_ids ", chooser.text(6)))] = draw_text(chooser)
    return json.dumps(body).encode()


def dialect_route(dialect: Dialect) -> Route:
    """The fuzzer's route of a dialect: each request is one of the dialect's declared
    routes (or an unknown path, or a wrong method), its ``int`` path ids, query parameters
    and JSON body drawn from the route's declarations, sent with a bearer token of a drawn
    role (sometimes none or a bad one) in a drawn content type; its 4xx must be the
    dialect's ``error_schema``."""

    def draw(chooser: Chooser, credentials: Credentials, route: DialectRoute | None = None
             ) -> FuzzRequest:
        route = route or chooser.choice(dialect.routes)
        method = route.method if chooser.chance(95) else chooser.choice(
            ("GET", "POST", "PUT", "DELETE", "PATCH"))
        headers = {}
        if credentials.tokens and chooser.chance(90):
            token = credentials.tokens[chooser.choice(sorted(credentials.tokens))]
            headers["Authorization"] = "Bearer " + (token if chooser.chance(95) else
                                                    chooser.choice(("x", token[:-2], "")))
        request = FuzzRequest(dialect.name, method, draw_path(chooser, dialect, route),
                              query=draw_query_pairs(chooser, route.query), headers=headers,
                              label=f"{route.method} {dialect.base_path}{route.path}")
        if method == "GET" and not chooser.chance(5):
            return request
        request.content_type = ("application/json" if chooser.chance(75)
                                else chooser.choice(CONTENT_TYPES))
        if request.content_type == "application/json":
            request.body = draw_json_body(chooser, route.body)
        else:
            encode_body(chooser, request, [(name, draw_text(chooser)) for name, _ in
                                           _wire_fields(route.body())] if route.body else [])
        return request

    return Route(dialect.name, draw, envelope_of(dialect.error_schema), draw_route=draw,
                 text_answers=any(route.text_response for route in dialect.routes))


for _dialect in dialects():
    declare_route(dialect_route(_dialect))
