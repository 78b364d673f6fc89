"""The schema and the answers agree: the lists that answer pages are documented as pages.

tests/api_schema_check.py validates every API answer of the suite against the
schema; these tests show that it refuses a mismatch, and pin the three lists a
probe found documented as arrays while answering paginated objects.
"""

import json

import pytest
from django.http import JsonResponse

from tests.api_schema_check import SchemaMismatch, _schema, check

PAGED = {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/api/v1/accounts/tokens/", "PaginatedApiTokenList"),
        ("/api/v1/suppliers/mine/", "PaginatedSupplierSummaryOutputList"),
        ("/api/v1/suppliers/{id}/documents/", "PaginatedDocumentOutputList"),
    ],
)
def test_the_lists_that_answer_pages_are_documented_as_pages(path, component):
    operation = _schema()["paths"][path]["get"]

    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]

    assert schema == {"$ref": f"#/components/schemas/{component}"}
    properties = _schema()["components"]["schemas"][component]["properties"]
    assert sorted(properties) == ["count", "next", "previous", "results"]


def test_an_answer_the_schema_does_not_promise_fails_the_test():
    # a bare array where a page is documented
    with pytest.raises(SchemaMismatch, match="is not of type 'object'"):
        check("get", "/api/v1/accounts/tokens/", JsonResponse([], safe=False))
    # a page whose item lacks a documented field
    page = {**PAGED, "count": 1, "results": [{"id": 1}]}
    with pytest.raises(SchemaMismatch, match=r"at results/0: '\w+' is a required property"):
        check("get", "/api/v1/accounts/tokens/", JsonResponse(page))
    # a status the operation does not document
    with pytest.raises(SchemaMismatch, match="documents only"):
        check("get", "/api/v1/accounts/tokens/", JsonResponse(PAGED, status=418))
    # an operation the schema does not have
    with pytest.raises(SchemaMismatch, match="no such operation"):
        check("put", "/api/v1/accounts/me/", JsonResponse({}, status=200))


def test_a_documented_answer_passes():
    check("get", "/api/v1/accounts/tokens/", JsonResponse(PAGED))
    problem = {
        "type": "urn:panjere:problem:api.not_found",
        "title": "Not found.",
        "status": 404,
        "code": "api.not_found",
    }
    response = JsonResponse(problem, status=404, content_type="application/problem+json")
    check("get", "/api/v1/nowhere/", response)
    assert json.loads(response.content) == problem


def test_every_write_documents_the_domains_conflict_and_rule_errors():
    for path_item in _schema()["paths"].values():
        for method, operation in path_item.items():
            if method in {"post", "put", "patch", "delete"}:
                assert {"409", "422"} <= set(operation["responses"]), operation["operationId"]
