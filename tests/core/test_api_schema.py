"""The OpenAPI document is valid and declares every problem+json answer the API gives."""

import json

import jsonschema
import pytest
from drf_spectacular.validation import validate_schema

from core.api import PROBLEM_CONTENT_TYPE

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "patch", "delete"}
EVERYWHERE = {"400", "401", "403", "404", "406", "429", "500"}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    return json.loads(response.content)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_schema_is_a_valid_openapi_3_document(schema):
    # then it validates against the OpenAPI 3.0 specification's JSON schema
    validate_schema(schema)
    assert schema["openapi"].startswith("3.0")
    assert schema["info"]["title"] == "Panjere API"
    # and the notifications endpoints are in it
    assert {"/api/v1/notifications/", "/api/v1/notifications/{id}/read/"} <= set(schema["paths"])


def test_every_operation_documents_its_problem_responses(schema):
    # then every operation lists the errors any request may get, as problem+json
    reference = {"$ref": "#/components/schemas/Problem"}
    operations = list(_operations(schema))
    assert len(operations) >= 4
    for path, method, operation in operations:
        expected = EVERYWHERE | ({"415"} if "requestBody" in operation else set())
        assert expected <= set(operation["responses"]), (path, method)
        for status, response in operation["responses"].items():
            if status[0] in "45":
                # no error is ever documented as plain JSON
                assert set(response["content"]) == {PROBLEM_CONTENT_TYPE}, (path, method, status)
        for status in expected:
            assert "schema" in operation["responses"][status]["content"][PROBLEM_CONTENT_TYPE]
    # and where a view declares nothing more precise, the schema is the shared Problem
    listing = schema["paths"]["/api/v1/notifications/"]["get"]["responses"]
    for status in EVERYWHERE:
        assert listing[status]["content"] == {PROBLEM_CONTENT_TYPE: {"schema": reference}}


def test_the_problem_schema_describes_rfc_9457(schema):
    problem = schema["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "code"]
    assert set(problem["properties"]) == {
        "type",
        "title",
        "status",
        "code",
        "detail",
        "instance",
        "errors",
        "params",
    }


def test_real_problem_answers_match_the_documented_schema(client, schema):
    # given the documented problem schema
    problem = schema["components"]["schemas"]["Problem"]

    # when the API answers with errors of several kinds
    answers = [
        client.get("/api/v1/notifications/"),  # 401
        client.get("/api/v1/nothing/"),  # 404 from Django
        client.post("/api/v1/notifications/read-all/"),  # 401 on a write
    ]

    # then each body validates against it
    for answer in answers:
        assert answer["Content-Type"] == PROBLEM_CONTENT_TYPE
        jsonschema.validate(answer.json(), problem)


def test_the_bearer_token_is_documented(schema):
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (pnj_…), created under “My account”.",
    }
