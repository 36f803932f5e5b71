"""Wire arguments (CONTRACT §3): turning request parameters into an action's arguments.

The official client sends every argument as a string: lists as ``name.1``, ``name.2``…,
mappings as ``name.KEY``, booleans as ``true``/``false``, dates as ISO-8601 and files as
``filename$$<base64>``. :func:`decode_arguments` groups the raw parameters by the action's
marshmallow schema and loads them; the field classes below parse the individual strings.
"""
from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache
from typing import Any, Iterable, Mapping
from urllib.parse import unquote

from marshmallow import Schema, ValidationError, fields, missing

from query_language import parse_date

from .errors import InvalidParameterValue, MissingParameter, UnknownParameter

#: Parameters that belong to the transport (routing and signing), not to the action.
TRANSPORT_PARAMETERS = frozenset({
    "action", "version", "access_key_id", "signature_method", "signature_version",
    "timestamp", "signature",
})

#: Signed 64-bit range: anything wider cannot be bound as a SQL integer.
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1

_INDEX = re.compile(r"[1-9][0-9]{0,8}\Z")


def split_pairs(text: str, errors: str = "replace") -> list[tuple[str, str]]:
    """``urllib.parse.parse_qsl(text, keep_blank_values=True, errors=errors)``, with the
    common case (nothing to unquote) a plain split: ``&``-separated pairs, empty ones
    skipped, ``+`` as a space, then percent-decoding as UTF-8."""
    pairs = []
    for pair in text.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in name or "+" in name:
            name = unquote(name.replace("+", " "), errors=errors)
        if "%" in value or "+" in value:
            value = unquote(value.replace("+", " "), errors=errors)
        pairs.append((name, value))
    return pairs


class Params:
    """The union of query-string and form parameters, in arrival order."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs = list(pairs)

    def transport(self) -> dict[str, str]:
        """The transport parameters, each checked to be given at most once (the first one
        given twice → ``InvalidParameterValue`` with its first value)."""
        found: dict[str, str] = {}
        for key, value in self.pairs:
            if key in TRANSPORT_PARAMETERS:
                if key in found:
                    raise InvalidParameterValue(key, found[key], "given more than once")
                found[key] = value
        return found

    def arguments(self) -> list[tuple[str, str]]:
        """Every non-transport parameter."""
        return [(k, v) for k, v in self.pairs if k not in TRANSPORT_PARAMETERS]


def _wire_kind(field: fields.Field) -> str:
    if isinstance(field, fields.List):
        return "list"
    if isinstance(field, fields.Dict):
        return "mapping"
    return "scalar"


@lru_cache(maxsize=256)
def _wire_fields(schema: Schema) -> dict[str, fields.Field]:
    """The schema's loadable fields by wire name (schemas are built once per action)."""
    return {field.data_key or name: field for name, field in schema.fields.items()
            if not field.dump_only}


def refuse_repeated_names(schema: Schema, pairs: list[tuple[str, str]]) -> None:
    """Refuse a name given more than once (``InvalidParameterValue`` naming it), except the
    bare name of a list argument (``name=a&name=b``, whose pairs are all signed).

    Whatever the kind (scalar, list item ``name.N``, mapping key ``name.KEY``), a second
    value of one name is a value the signer may never have seen.
    """
    if len({key for key, _ in pairs}) == len(pairs):
        return
    declared = _wire_fields(schema)
    seen: set[str] = set()
    for key, value in pairs:
        if key in seen and not isinstance(declared.get(key), fields.List):
            raise InvalidParameterValue(key, value, "given more than once")
        seen.add(key)


def group_arguments(schema: Schema, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Group raw ``(name, value)`` pairs by the schema's fields, by their wire kind.

    Raises ``UnknownParameter`` for names the schema does not declare and
    ``InvalidParameterValue`` for a name given more than once (see
    :func:`refuse_repeated_names`).
    """
    pairs = list(pairs)
    refuse_repeated_names(schema, pairs)
    declared = _wire_fields(schema)
    scalars: dict[str, str] = {}
    indexed: dict[str, list[tuple[int, str]]] = {}
    bare: dict[str, list[str]] = {}
    mappings: dict[str, dict[str, str]] = {}
    for key, value in pairs:
        field = declared.get(key)
        if field is not None:
            kind = _wire_kind(field)
            if kind == "list":
                bare.setdefault(key, []).append(value)
            elif kind == "mapping":
                raise InvalidParameterValue(key, value, f"use {key}.KEY=VALUE")
            else:
                scalars[key] = value
            continue
        prefix, dot, suffix = key.partition(".")
        field = declared.get(prefix) if dot else None
        kind = _wire_kind(field) if field is not None else None
        if kind == "list" and _INDEX.match(suffix):
            indexed.setdefault(prefix, []).append((int(suffix), value))
        elif kind == "mapping" and suffix:
            mappings.setdefault(prefix, {})[suffix] = value
        else:
            raise UnknownParameter(key)
    grouped: dict[str, Any] = dict(scalars)
    for name in set(indexed) | set(bare):
        items = [value for _, value in sorted(indexed.get(name, ()), key=lambda p: p[0])]
        grouped[name] = items + bare.get(name, [])
    grouped.update(mappings)
    return grouped


def decode_arguments(schema: Schema, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Load wire parameters through ``schema``; errors become the contract's 400s."""
    grouped = group_arguments(schema, pairs)
    try:
        return load(schema, grouped)
    except ValidationError as error:
        raise _argument_error(schema, error.messages, grouped) from None


#: the wire names of a schema's fields and ``(wire name, name, field)`` of each
_Fields = tuple[frozenset[str], tuple[tuple[str, str, fields.Field], ...]]


@lru_cache(maxsize=256)
def _field_by_field(schema: Schema) -> _Fields | None:
    """The wire names and ``(wire name, name, field)`` of each loadable field of a schema
    that ``Schema.load`` reads field by field and nothing else: one item, no partial
    loading, no hooks (validators, pre- and post-processing), results stored under the
    fields' names. None for any other schema."""
    if (schema.many or schema.partial is not None or schema.dict_class is not dict
            or any(type(schema).resolve_hooks().values())
            or any(field.attribute is not None for field in schema.load_fields.values())):
        return None
    plan = tuple((field.data_key if field.data_key is not None else name, name, field)
                 for name, field in schema.load_fields.items())
    return frozenset(wire for wire, _, _ in plan), plan


def load(schema: Schema, data: dict[str, Any]) -> dict[str, Any]:
    """``schema.load(data)``: for a schema of :func:`_field_by_field` given only names it
    declares, each field's ``deserialize`` in the schema's order, as ``Schema.load`` calls
    it; any other schema, name or a field's refusal goes through ``schema.load`` itself."""
    found = _field_by_field(schema)
    if found is None or not found[0].issuperset(data):
        return schema.load(data)
    loaded = {}
    try:
        for wire, name, field in found[1]:
            value = field.deserialize(data.get(wire, missing), wire, data)
            if value is not missing:
                loaded[name] = value
    except ValidationError:
        return schema.load(data)  # raises with every field's messages
    return loaded


def _argument_error(schema: Schema, messages: Any, grouped: Mapping[str, Any]) -> Exception:
    name = sorted(messages)[0] if isinstance(messages, dict) else "arguments"
    problem = messages[name] if isinstance(messages, dict) else messages
    field = schema.fields.get(name)
    wire_name = (field.data_key or name) if field is not None else name
    if name == "_schema":
        return InvalidParameterValue("arguments", "", _first_message(problem))
    if wire_name not in grouped:
        return MissingParameter(wire_name)
    value = grouped[wire_name]
    if isinstance(problem, dict):  # a list or mapping item failed: name the item
        index = sorted(problem, key=str)[0]
        item = problem[index]
        if isinstance(value, list) and isinstance(index, int) and index < len(value):
            return InvalidParameterValue(f"{wire_name}.{index + 1}", value[index],
                                         _first_message(item))
        return InvalidParameterValue(wire_name, index, _first_message(item))
    if isinstance(value, dict):
        value = ",".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, list):
        value = ",".join(value)
    return InvalidParameterValue(wire_name, value, _first_message(problem))


def _first_message(problem: Any) -> str:
    while isinstance(problem, (list, dict)):
        if not problem:
            return "invalid"
        problem = problem[0] if isinstance(problem, list) else next(iter(problem.values()))
    return str(problem).rstrip(".")


# --- fields -------------------------------------------------------------------------------


class Boolean(fields.Field):
    """``true``/``false`` (also ``1``/``0`` and ``yes``/``no``), any case."""

    TRUE = frozenset({"true", "1", "yes"})
    FALSE = frozenset({"false", "0", "no"})

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError("expected true or false")


class Integer(fields.Integer):
    """A base-10 integer bounded to what SQL can bind (64-bit signed) unless narrowed."""

    def __init__(self, *, minimum: int = INT_MIN, maximum: int = INT_MAX, **kwargs) -> None:
        super().__init__(strict=False, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip()
        if not re.fullmatch(r"[-+]?[0-9]{1,20}", text):
            raise ValidationError("expected an integer")
        number = int(text)
        if not self.minimum <= number <= self.maximum:
            raise ValidationError(f"expected an integer from {self.minimum} to {self.maximum}")
        return number


class DateTime(fields.Field):
    """An ISO-8601 date or time (any precision of QUERY.md §4), as naive UTC.

    Parsed by the query language's ``parse_date``, so that ``deliver_after=2011-01`` and
    ``created-after:2011-01`` mean the same instant.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_date(str(value).strip())
        except ValueError:
            raise ValidationError("expected an ISO-8601 date such as 2011-08-18T08:07:00Z"
                                  ) from None


class File(fields.Field):
    """``filename$$<base64>`` → ``(filename, bytes)``."""

    def _deserialize(self, value, attr, data, **kwargs):
        name, sep, payload = str(value).partition("$$")
        if not sep:
            raise ValidationError("expected filename$$<base64 contents>")
        try:
            return name, base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("the file contents are not valid base64") from None


class String(fields.String):
    """A string with a maximum length (the wire has no other limit)."""

    def __init__(self, *, max_length: int = 65536, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(f"longer than {self.max_length} characters")
        if "\x00" in text:
            raise ValidationError("contains a NUL character")
        return text
