"""Schemathesis hooks for scripts/api-conformance.sh: what openapi.yaml cannot say about our API, and nothing more.

Each hook's docstring says which rule it stands in for and why a schema cannot carry it.
"""

import datetime
import json
import re
import time
import unicodedata
from pathlib import Path
from urllib.parse import unquote, unquote_plus, urlsplit

import schemathesis
import yaml
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ID_BYTES = 256
ID_FIELDS = ("user", "item", "id")
PATH_IDS = ("user", "item")
# 0000-01-01T00:00:00+23:59, the earliest event time the server takes (openapi.yaml's Timestamp minimum).
EARLIEST_TIMESTAMP = -62167305540
# Default-ignorable code points and format characters outside the Basic Multilingual Plane: the schemas'
# `pattern` lists the BMP ones, but ECMA and Python regular expressions share no escape for these.
SUPPLEMENTARY_INVISIBLE = ((0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3),
                           (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))

_SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "openapi.yaml").read_text(encoding="utf-8"))
# The id pattern is `^[^controls]*[^invisible and controls][^controls]*$`: its middle class is what "visible" means.
_VISIBLE_BMP = re.compile(re.findall(r"\[\^[^\]]*\]", _SPEC["components"]["schemas"]["ItemID"]["pattern"])[1])


@schemathesis.serializer("application/x-ndjson")
def ndjson(context, value):
    """Writes an `application/x-ndjson` body: openapi.yaml describes it as an array of Event objects (JSON
    Schema has no type for "a sequence of JSON texts"); each element goes on a line of its own. Anything else
    (a negative case's string or number) is written as one JSON text, which the server must refuse."""
    if isinstance(value, list):
        return "".join(json.dumps(element) + "\n" for element in value).encode("utf-8")
    return json.dumps(value).encode("utf-8")


def _events(body):
    if isinstance(body, dict):
        return [body]
    if isinstance(body, list):
        return [event for event in body if isinstance(event, dict)]
    return []


def _over_byte_limit(text):
    return isinstance(text, str) and len(text) <= ID_BYTES < len(text.encode("utf-8", "surrogatepass"))


def _invisible_beyond_pattern(text):
    """True for a string the schema's pattern accepts but the server refuses: no control character, every
    character invisible (whitespace, format or default-ignorable), one of them outside the BMP."""
    if not isinstance(text, str) or not text or any(unicodedata.category(char) == "Cc" for char in text):
        return False
    def invisible(char):
        code = ord(char)
        if code > 0xFFFF:
            return any(low <= code <= high for low, high in SUPPLEMENTARY_INVISIBLE)
        return _VISIBLE_BMP.fullmatch(char) is None
    return all(invisible(char) for char in text) and any(ord(char) > 0xFFFF for char in text)


def _bad_id(text):
    return _over_byte_limit(text) or _invisible_beyond_pattern(text)


def _timestamp_beyond_schema(stamp, latest):
    """True when a timestamp the schema accepts is outside what the server takes: later than the server's
    clock plus a day, or a decimal string below the floor (a `pattern` cannot compare numbers)."""
    if isinstance(stamp, bool):
        return False
    if isinstance(stamp, (int, float)):
        # Below the floor breaks the schema's `minimum`: a negative case, left as it is.
        return stamp > latest
    if isinstance(stamp, str):
        try:
            value = float(stamp)
            return not EARLIEST_TIMESTAMP <= value <= latest
        except ValueError:
            pass
        try:
            moment = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00").replace("z", "+00:00"))
            return moment.tzinfo is not None and moment.timestamp() > latest
        except (ValueError, OverflowError, OSError):
            return False  # year 0000 (Python's datetime starts at 0001) is never in the future
    return False


@schemathesis.hook
def map_body(context, body):
    """Moves event timestamps the server refuses although the schema allows them to the current time.

    The upper bound is the server's clock plus one day (for clients whose clocks run ahead): a schema is a
    fixed document and cannot name a bound that moves with the clock, while generated dates run up to 9999.
    Decimal strings below the floor (0000-01-01T00:00:00+23:59) are moved too: a regular expression cannot
    compare numbers. Numbers below the floor are left alone: the schema's `minimum` says they are invalid."""
    now = time.time()
    for event in _events(body):
        if _timestamp_beyond_schema(event.get("timestamp"), now):
            event["timestamp"] = now
    return body


@schemathesis.hook
def filter_body(context, body):
    """Drops bodies with an id the schema allows but the server refuses: over 256 bytes of UTF-8 within 256
    characters (`maxLength` counts characters, the server bytes), or made only of supplementary-plane format
    and default-ignorable characters (the `pattern` can list BMP characters only)."""
    if body is None:
        return True
    return not any(_bad_id(event.get(field)) for event in _events(body) for field in ID_FIELDS)


@schemathesis.hook
def filter_path_parameters(context, path_parameters):
    """The same as `filter_body` for the user and item ids in paths."""
    if not isinstance(path_parameters, dict):
        return True
    return not any(_bad_id(path_parameters.get(name)) for name in PATH_IDS)


@schemathesis.hook
def filter_query(context, query):
    """The same as `filter_body` for the item ids of `exclude`."""
    if not isinstance(query, dict):
        return True
    exclude = query.get("exclude")
    items = exclude if isinstance(exclude, list) else [exclude]
    return not any(_bad_id(item) for item in items)


_REGISTRY = Registry().with_resource("urn:recsmith-openapi", Resource.from_contents(_SPEC, default_specification=DRAFT202012))


def _body_schema(path, method, media_type):
    operation = _SPEC["paths"].get(path, {}).get(method.lower(), {})
    return operation.get("requestBody", {}).get("content", {}).get(media_type, {}).get("schema")


def _rebase(schema):
    """Points the spec's local `#/components/...` references at the registered spec document."""
    if isinstance(schema, dict):
        return {key: ("urn:recsmith-openapi" + value if key == "$ref" and isinstance(value, str) and value.startswith("#")
                      else _rebase(value)) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_rebase(value) for value in schema]
    return schema


def _resolve(node):
    """Follows local `$ref`s of the spec."""
    while isinstance(node, dict) and "$ref" in node:
        target = _SPEC
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _is_valid(schema, value):
    return OAS31Validator(_rebase(schema), registry=_REGISTRY).is_valid(value)


def _query_value(raw, schema):
    """A raw query value as the server reads it for `schema`: `+` is a space, an array (form style, not
    exploded) splits on literal commas before percent-decoding, an integer is its decimal digits."""
    schema = _resolve(schema)
    if schema.get("type") == "array":
        return [unquote_plus(piece) for piece in raw.split(",")]
    text = unquote_plus(raw)
    if schema.get("type") == "integer" and re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    return text


def _sent_request_is_valid(case, response):
    """Whether the path and query the server received satisfy the operation's parameters in openapi.yaml."""
    item = _SPEC["paths"].get(case.operation.path, {})
    declared = [_resolve(parameter) for parameter in item.get("parameters", [])
                + item.get(case.operation.method.lower(), {}).get("parameters", [])]
    parameters = {(parameter["name"], parameter["in"]): parameter for parameter in declared}
    url = urlsplit(response.request.url)
    template, sent = case.operation.path.split("/"), url.path.split("/")
    if len(template) != len(sent):
        return False
    for expected, actual in zip(template, sent):
        if expected.startswith("{"):
            parameter = parameters[(expected[1:-1], "path")]
            value = unquote(actual)
            if _bad_id(value) or not _is_valid(parameter["schema"], value):
                return False
        elif expected != actual:
            return False
    seen = set()
    for piece in filter(None, url.query.split("&")):
        raw_name, _, raw = piece.partition("=")
        name = unquote_plus(raw_name)
        parameter = parameters.get((name, "query"))
        if parameter is None or name in seen:
            return False  # the server refuses unknown and repeated parameters
        seen.add(name)
        value = _query_value(raw, parameter["schema"])
        if any(_bad_id(element) for element in (value if isinstance(value, list) else [value])):
            return False
        if not _is_valid(parameter["schema"], value):
            return False
    return all(name in seen for (name, location), parameter in parameters.items()
               if location == "query" and parameter.get("required"))


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Drops a "schema-violating request accepted" (ST201) failure when the request the server received in
    fact satisfies openapi.yaml, so that accepting it was right. Schemathesis judges the case before it is
    serialised, and serialising can undo a mutation:

    - `POST /events`: its negative mode can mutate one `anyOf` branch into a value another branch accepts (a
      timestamp string that "became" an integer); the body, that operation's one input, is checked with a JSON
      Schema validator.
    - Operations without a body: a query string has no types, so a mutation can vanish on the way (`k` as an
      empty object is no `k` at all; `exclude` as the boolean `false` is the one-item list `false`). The path
      and query as sent are checked the way the server reads them (see `_query_value`), unknown or repeated
      parameters counting as invalid.
    """
    if getattr(failure, "code", None) != "ST201":
        return True
    if (case.operation.method.upper(), case.operation.path) == ("POST", "/events"):
        media_type = (case.media_type or "application/json").split(";")[0].strip()
        schema = _body_schema(case.operation.path, case.operation.method, media_type)
        if schema is None or not isinstance(case.body, (dict, list)):
            return True
        return not _is_valid(schema, case.body)
    if case.operation.method.upper() in ("GET", "HEAD", "OPTIONS") and response is not None:
        return not _sent_request_is_valid(case, response)
    return True
