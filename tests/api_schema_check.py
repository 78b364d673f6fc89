"""Every JSON answer the tests receive from the API must match the OpenAPI schema.

Registered for the whole suite from tests/conftest.py. Each request that Django's
test client (or DRF's APIClient, which is one) sends under /api/v1/ is looked
up in the schema drf-spectacular generates from the code (/api/schema/): its
operation must be documented, the answer's status must be one of that
operation's responses, its content type one of that response's, and its JSON
body must validate against that response's schema (jsonschema). A mismatch
fails the test at the request that revealed it: the schema is what clients
build against, so a list documented as an array that answers a paginated object
is a bug in the one or the other.

A test that must see an answer the schema does not promise (a view made up for
the test) is marked `@pytest.mark.no_schema_check`.
"""

import copy
import json
import re
from functools import cache

import pytest
from django.test.client import Client

API_PREFIX = "/api/v1/"
JSON_TYPES = {"application/json", "application/problem+json"}
# Answered before any operation is chosen (an unknown path or method, a refused probe):
# these carry the generic problem body, whatever the path.
GENERIC_STATUSES = {400, 404, 405, 406, 413, 415, 429}


class SchemaMismatch(AssertionError):
    pass


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "no_schema_check: do not check this test's API answers against the schema"
    )


@cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(urlconf="config.urls").get_schema(request=None, public=True)


def _nullable_to_json_schema(node):
    """OpenAPI 3.0's `nullable: true` in the JSON Schema jsonschema checks."""
    if isinstance(node, list):
        return [_nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node and "$ref" not in node and "allOf" not in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@cache
def _components() -> dict:
    return _nullable_to_json_schema(copy.deepcopy(_schema().get("components", {})))


@cache
def _paths() -> list[tuple[re.Pattern, dict]]:
    """The schema's path templates as patterns, literal ones first (`drafts/` before `{id}/`)."""
    routes = []
    for template, item in _schema()["paths"].items():
        parts = re.split(r"\{[^}]+\}", template)
        pattern = re.compile("^" + "[^/]+".join(map(re.escape, parts)) + "$")
        routes.append((len(parts), pattern, item))
    return [(pattern, item) for _count, pattern, item in sorted(routes, key=lambda r: r[0])]


def _operation(path: str, method: str) -> dict | None:
    for pattern, item in _paths():
        if pattern.match(path):
            return item.get(method)
    return None


@cache
def _validator(operation_id: str, status: str, content_type: str):
    from jsonschema import Draft202012Validator

    operation = next(
        op
        for item in _schema()["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("operationId") == operation_id
    )
    schema = operation["responses"][status]["content"][content_type].get("schema", {})
    root = {**_nullable_to_json_schema(copy.deepcopy(schema)), "components": _components()}
    return Draft202012Validator(root)


def _problem_validator():
    return _validator_for_component("Problem")


@cache
def _validator_for_component(name: str):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": _components()}
    )


def check(method: str, path: str, response) -> None:
    """Raise SchemaMismatch if `response` is not what the schema promises."""
    if not path.startswith(API_PREFIX) or method in {"head", "options"}:
        return
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in JSON_TYPES or getattr(response, "streaming", False):
        return
    if not response.content:
        return
    body = json.loads(response.content)
    operation = _operation(path, method)
    where = f"{method.upper()} {path} → {response.status_code}"
    if operation is None:
        if response.status_code in GENERIC_STATUSES and content_type == "application/problem+json":
            errors = list(_problem_validator().iter_errors(body))
            if errors:
                raise SchemaMismatch(f"{where}: not a problem: {errors[0].message}")
            return
        raise SchemaMismatch(f"{where}: the schema has no such operation")
    responses = operation.get("responses", {})
    status = str(response.status_code)
    if status not in responses:
        raise SchemaMismatch(
            f"{where}: {operation['operationId']} documents only {sorted(responses)}"
        )
    content = responses[status].get("content", {})
    if content_type not in content:
        raise SchemaMismatch(
            f"{where}: {operation['operationId']} {status} is documented as "
            f"{sorted(content) or 'no body'}, answered {content_type}"
        )
    errors = sorted(
        _validator(operation["operationId"], status, content_type).iter_errors(body),
        key=lambda error: list(error.absolute_path),
    )
    if errors:
        error = errors[0]
        location = "/".join(str(part) for part in error.absolute_path) or "(the body)"
        raise SchemaMismatch(
            f"{where}: {operation['operationId']} answers what its schema does not allow "
            f"at {location}: {error.message}"
        )


@pytest.fixture(autouse=True)
def _api_answers_match_the_schema(request, monkeypatch):
    if request.node.get_closest_marker("no_schema_check"):
        yield
        return
    original = Client.request

    def checked_request(self, **environ):
        response = original(self, **environ)
        check(environ["REQUEST_METHOD"].lower(), environ["PATH_INFO"], response)
        return response

    monkeypatch.setattr(Client, "request", checked_request)
    yield
