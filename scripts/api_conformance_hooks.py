"""Schemathesis hooks for scripts/api-conformance.sh: what a JSON Schema cannot say about our API.

- `application/x-ndjson` bodies are sequences of Event objects (openapi.yaml describes them as an array):
  each element is written as one JSON line.
- An event timestamp must lie between 1970 and one day after *the server's clock*, which a schema cannot
  say: timestamps outside that window (numbers, decimal strings, RFC 3339 dates) are moved to now, so a
  "valid" case stays valid on every day of the year.
- Ids are limited to 256 UTF-8 bytes while `maxLength` counts characters: schema-valid cases whose ids are
  within 256 characters but over 256 bytes are not generated.
- Schemathesis' negative mode can mutate one `anyOf` branch into a value another branch accepts (a timestamp
  string "became integer"): a "schema-violating request accepted" failure whose body the schema in fact
  accepts is dropped, after checking the body against openapi.yaml with a JSON Schema validator.
"""

import datetime
import json
import time
from pathlib import Path

import schemathesis
import yaml
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ID_BYTES = 256
ID_FIELDS = ("user", "item", "id")
PATH_IDS = ("user", "item")


@schemathesis.serializer("application/x-ndjson")
def ndjson(context, value):
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


def _within_window(stamp, latest):
    if isinstance(stamp, bool):
        return True
    if isinstance(stamp, (int, float)):
        return 0 <= stamp <= latest
    if isinstance(stamp, str):
        try:
            return 0 <= float(stamp) <= latest
        except ValueError:
            pass
        try:
            moment = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00").replace("z", "+00:00"))
            return moment.tzinfo is None or 0 <= moment.timestamp() <= latest
        except (ValueError, OverflowError, OSError):
            return True
    return True


@schemathesis.hook
def map_body(context, body):
    now = time.time()
    for event in _events(body):
        if not _within_window(event.get("timestamp"), now):
            event["timestamp"] = now
    return body


@schemathesis.hook
def filter_body(context, body):
    if body is None:
        return True
    return not any(_over_byte_limit(event.get(field)) for event in _events(body) for field in ID_FIELDS)


@schemathesis.hook
def filter_path_parameters(context, path_parameters):
    if not isinstance(path_parameters, dict):
        return True
    return not any(_over_byte_limit(path_parameters.get(name)) for name in PATH_IDS)


_SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "openapi.yaml").read_text(encoding="utf-8"))
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


@schemathesis.hook
def filter_failure(context, failure, case, response):
    # Only operations whose one input is the body: there the body alone decides whether the case is valid.
    if getattr(failure, "code", None) != "ST201" or (case.operation.method.upper(), case.operation.path) != ("POST", "/events"):
        return True
    media_type = (case.media_type or "application/json").split(";")[0].strip()
    schema = _body_schema(case.operation.path, case.operation.method, media_type)
    if schema is None or not isinstance(case.body, (dict, list)):
        return True
    return not OAS31Validator(_rebase(schema), registry=_REGISTRY).is_valid(case.body)
