#!/usr/bin/env python3
"""Validate every YAML file of the repository.

- every *.yml / *.yaml file parses with PyYAML (all documents of a multi-document file);
- openapi.yaml is a valid OpenAPI 3.1 document (openapi-spec-validator), has every route of
  the API (every route the README promises), and each of its examples matches the schema beside it;
- every Kubernetes object under deploy/kubernetes/ has apiVersion, kind and metadata.name, matches
  the Kubernetes API schema of each version in KUBERNETES_VERSIONS (kubernetes-validate, which bundles
  the schemas and works offline; strict, so a misspelt field is an error), and each Deployment probes
  /healthz (liveness) and /readyz (readiness) and runs one replica with the Recreate strategy — or, in the
  split topology on PostgreSQL (a --role), takes its store from a Secret and runs at least two API replicas.

Run it in the build venv (`make venv` fills it from scripts/requirements.txt):
    python3 -m venv .build-venv && .build-venv/bin/pip install -r scripts/requirements.txt
    .build-venv/bin/python scripts/validate-yaml.py
Exits 1 and names each failure; prints a one-line summary either way.
"""

import os
import sys
from pathlib import Path

try:
    import kubernetes_validate
    import yaml
    from jsonschema import FormatChecker
    from openapi_schema_validator import OAS31Validator
    from openapi_spec_validator import validate as validate_openapi
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:
    sys.exit(
        f"validate-yaml: missing Python package ({error.name}); run "
        "`python3 -m venv .build-venv && .build-venv/bin/pip install -r scripts/requirements.txt` "
        "and then `.build-venv/bin/python scripts/validate-yaml.py`"
    )

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRECTORIES = {".git", "var", ".swiftpm", "node_modules"}
KUBERNETES_DIRECTORY = ROOT / "deploy" / "kubernetes"
OPENAPI_FILE = ROOT / "openapi.yaml"
# The Kubernetes releases whose API schemas every object must match: the oldest one deploy/kubernetes/
# supports and the newest one kubernetes-validate bundles.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")

# The routes the README and docs/ARCHITECTURE.md promise; openapi.yaml must describe each one.
CONTRACT_ROUTES = [
    ("post", "/events"),
    ("get", "/users/{user}/recommendations"),
    ("get", "/items/{item}/similar"),
    ("get", "/items"),
    ("post", "/items"),
    ("get", "/items/{item}"),
    ("put", "/items/{item}"),
    ("patch", "/items/{item}"),
    ("delete", "/items/{item}"),
    ("get", "/users/{user}"),
    ("put", "/users/{user}"),
    ("patch", "/users/{user}"),
    ("delete", "/users/{user}"),
    ("post", "/retrain"),
    ("get", "/models"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
]
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that rejects a mapping key repeated in one mapping (PyYAML keeps the last). Merge keys
    (`<<: *anchor`, as docker-compose files use them) are allowed, and a key beside one overrides the merged value."""


def _construct_unique_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def yaml_files():
    """Every YAML file under the repository root, skipping build output and local state."""
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(
            name for name in subdirectories
            if name not in SKIPPED_DIRECTORIES and not name.startswith(".build")
        )
        for name in sorted(files):
            if name.endswith((".yml", ".yaml")):
                yield Path(directory) / name


def relative(path):
    return path.relative_to(ROOT).as_posix()


def escape_pointer(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def check_openapi(spec, failures):
    """Validate the document, the contract's routes and every example against its schema."""
    try:
        validate_openapi(spec)
    except Exception as error:  # the validator raises several unrelated types
        failures.append(f"openapi.yaml: not a valid OpenAPI document: {error}")
        return 0

    paths = spec.get("paths", {})
    for method, route in CONTRACT_ROUTES:
        if method not in paths.get(route, {}):
            failures.append(f"openapi.yaml: {method.upper()} {route} is missing")

    operation_ids = {}
    for route, item in paths.items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                operation_id = operation.get("operationId")
                if operation_id in operation_ids:
                    failures.append(
                        f"openapi.yaml: operationId {operation_id} used by "
                        f"{operation_ids[operation_id]} and {method.upper()} {route}"
                    )
                operation_ids[operation_id] = f"{method.upper()} {route}"

    registry = Registry().with_resource(
        "urn:recsmith:openapi", Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    checked = 0
    for pointer, example in examples_with_schemas(spec, ""):
        validator = OAS31Validator(
            {"$ref": f"urn:recsmith:openapi#{pointer}"},
            registry=registry,
            format_checker=FormatChecker(),
        )
        for problem in validator.iter_errors(example):
            failures.append(f"openapi.yaml: example for {pointer} does not match its schema: {problem.message}")
        checked += 1
    return checked


def examples_with_schemas(node, pointer, in_schema=False):
    """Yield (JSON pointer of a schema, an example) for every example in the document.

    Covers media types and parameters (`example`, `examples.*.value` beside a `schema`) and
    schemas' own `example` and `examples` list.
    """
    if isinstance(node, dict):
        if isinstance(node.get("schema"), dict):
            if "example" in node:
                yield f"{pointer}/schema", node["example"]
            for example in (node.get("examples") or {}).values():
                if isinstance(example, dict) and "value" in example:
                    yield f"{pointer}/schema", example["value"]
        elif in_schema:
            if "example" in node:
                yield pointer, node["example"]
            if isinstance(node.get("examples"), list):
                for example in node["examples"]:
                    yield pointer, example
        for key, value in node.items():
            child_in_schema = in_schema or key == "schema" or pointer == "/components/schemas"
            if in_schema and key in ("example", "examples"):
                continue
            yield from examples_with_schemas(value, f"{pointer}/{escape_pointer(key)}", child_in_schema)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from examples_with_schemas(value, f"{pointer}/{index}", in_schema)


def check_kubernetes(path, documents, failures):
    """Check the shape every Kubernetes object needs, and what the Deployment must promise."""
    objects = 0
    for number, document in enumerate(documents, start=1):
        where = f"{relative(path)} (document {number})"
        if document is None:
            continue
        if not isinstance(document, dict):
            failures.append(f"{where}: a Kubernetes object must be a mapping")
            continue
        for field in ("apiVersion", "kind"):
            if not document.get(field):
                failures.append(f"{where}: missing {field}")
        kind = document.get("kind")
        if kind == "Kustomization":
            for resource in document.get("resources", []):
                if not (path.parent / resource).exists():
                    failures.append(f"{where}: resource {resource} does not exist")
            continue
        if not (document.get("metadata") or {}).get("name"):
            failures.append(f"{where}: missing metadata.name")
        objects += 1
        check_kubernetes_schema(where, document, failures)
        if kind == "Deployment":
            check_deployment(where, document, failures)
    return objects


def check_kubernetes_schema(where, document, failures):
    """Validate one object against the bundled API schema of each release in KUBERNETES_VERSIONS."""
    if not document.get("apiVersion") or not document.get("kind"):
        return
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            field = ".".join(str(part) for part in error.path) or "(object)"
            failures.append(f"{where}: Kubernetes {version} schema: {field}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError:
            failures.append(f"{where}: Kubernetes {version} has no {document['kind']} in {document['apiVersion']}")


def check_deployment(where, deployment, failures):
    """A Recsmith Deployment on SQLite runs one replica, replaced with Recreate; one of the split topology
    (a `--role` in its args) reads its PostgreSQL store's URL from a Secret, and its API replicas are at least two.
    Either way the containers probe /healthz (liveness) and /readyz (readiness)."""
    spec = deployment.get("spec") or {}
    containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
    if not containers:
        failures.append(f"{where}: no containers")
    roles = [role_of(container) for container in containers]
    if any(roles):
        for container in containers:
            store = next((variable for variable in container.get("env") or [] if variable.get("name") == "RECSMITH_STORE"), None)
            if not ((store or {}).get("valueFrom") or {}).get("secretKeyRef"):
                failures.append(f"{where}: container {container.get('name', '?')}: RECSMITH_STORE must come from a Secret")
        if "api" in roles and (spec.get("replicas") or 0) < 2:
            failures.append(f"{where}: API replicas must be at least 2")
    else:
        if spec.get("replicas") != 1:
            failures.append(f"{where}: replicas must be 1 (SQLite has one writer)")
        if (spec.get("strategy") or {}).get("type") != "Recreate":
            failures.append(f"{where}: strategy must be Recreate (two pods must never share the store)")
    for container in containers:
        name = container.get("name", "?")
        for probe, expected in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            actual = ((container.get(probe) or {}).get("httpGet") or {}).get("path")
            if actual != expected:
                failures.append(
                    f"{where}: container {name}: {probe}.httpGet.path is {actual!r}, expected {expected!r}"
                )


def role_of(container):
    """The value after --role in a container's args (None without one)."""
    arguments = [str(argument) for argument in container.get("args") or []]
    if "--role" in arguments and arguments.index("--role") + 1 < len(arguments):
        return arguments[arguments.index("--role") + 1]
    return None


def main():
    failures = []
    files = documents_total = kubernetes_objects = examples = 0
    openapi_seen = False
    for path in yaml_files():
        files += 1
        try:
            with path.open(encoding="utf-8") as stream:
                documents = list(yaml.load_all(stream, Loader=UniqueKeyLoader))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            failures.append(f"{relative(path)}: does not parse: {error}")
            continue
        documents_total += len(documents)
        if path == OPENAPI_FILE:
            openapi_seen = True
            if len(documents) != 1 or not isinstance(documents[0], dict):
                failures.append("openapi.yaml: must hold exactly one mapping")
            else:
                examples = check_openapi(documents[0], failures)
        elif KUBERNETES_DIRECTORY in path.parents:
            kubernetes_objects += check_kubernetes(path, documents, failures)
    if not openapi_seen:
        failures.append("openapi.yaml: not found at the repository root")

    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    verdict = "FAILED" if failures else "ok"
    print(
        f"validate-yaml: {verdict}: {files} files, {documents_total} documents, "
        f"{kubernetes_objects} Kubernetes objects, {examples} OpenAPI examples checked, "
        f"{len(failures)} failures"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
