"""Year 1 and year 9999 in every date field, by page and by API: a clear refusal, nothing changed.

A date-time in year 1 in Tehran's zone is before year 1 in UTC, so converting it
overflowed into a 500; year 9999 overflows as soon as a day is added. Forms,
filters and API fields refuse dates outside 1900-2999 (core.validators); the
tender services refuse them for their API too; and a last net
(core.middleware, core.api) answers 400 to any OverflowError. Every date input
found in the platform's forms, filters, request bodies and query parameters
must be in CASES below: a new one fails `test_every_date_input_is_walked`.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from core.clock import frozen_at
from tests.factories import login, make_member
from tests.suppliers.factories import PDF, registered_supplier, supplier_in_state
from tests.tenders.factories import NOW, tender_in_state

from .inputs import filter_fields, form_fields, query_parameters, request_body_fields
from .test_request_edges import everything

pytestmark = pytest.mark.django_db

REFUSALS = (
    "Enter a date between the years 1900 and 2999.",
    "A date or number in the request is out of range.",
)
YEARS = {
    "datetime": ("0001-01-01T00:00", "9999-12-31T23:59"),
    "date": ("0001-01-01", "9999-12-31"),
}


@dataclass(frozen=True)
class Case:
    """One date input: where it is, who may use it, and how a value is sent."""

    covers: tuple[str, ...]  # form fields `module.Form.field`, or `operationId field`
    who: str
    method: str
    url: str  # may name {draft}, {published}, {supplier}, {verified}
    kind: str  # "datetime" or "date"
    data: dict  # the rest of a valid request; "{value}" marks where the date goes
    encoding: str = "form"  # form, json, multipart or query
    # A filter of the audit trail may still answer such a date (a search that finds nothing;
    # on SQLite year 1 is refused by the net): audit/ is being rewritten, and its filters will
    # take core.validators.validate_plausible_date there.
    may_answer: bool = False


def _tender_times(prefix=""):
    return {
        "clarification_deadline": "2029-06-21T12:30",
        "submission_deadline": "2029-07-06T12:30",
        "opening_at": "2029-07-06T13:30",
    }


def _with(field, data):
    return {**data, field: "{value}"}


def _cases() -> list[Case]:
    cases = []
    for field in ("clarification_deadline", "submission_deadline", "opening_at"):
        cases += [
            Case(
                (f"tenders.buyer_forms.TimelineForm.{field}",),
                "officer",
                "post",
                "/buyer/tenders/{draft}/timeline/",
                "datetime",
                _with(field, {**_tender_times(), "opening_threshold": 2}),
            ),
            Case(
                (f"tenders.buyer_forms.AmendForm.{field}",),
                "officer",
                "post",
                "/buyer/tenders/{published}/amend/",
                "datetime",
                _with(field, {"summary": "New dates", **_tender_times()}),
            ),
            Case(
                (f"tenders_create {field}",),
                "officer",
                "post",
                "/api/v1/tenders/drafts/",
                "datetime",
                _with(
                    field,
                    {
                        "buyer": "{buyer}",
                        "reference": "T-DATES-1",
                        "title": "Dates",
                        "procurement_method": "open",
                        "main_category": "works",
                        "cpv_code": "45233120-6",
                        "estimated_value": {"amount": "1000.00", "currency": "IRR"},
                    },
                ),
                "json",
            ),
            Case(
                (f"tenders_update {field}",),
                "officer",
                "patch",
                "/api/v1/tenders/{draft}/",
                "datetime",
                _with(field, {}),
                "json",
            ),
            Case(
                (f"tenders_amend changes.{field}",),
                "officer",
                "post",
                "/api/v1/tenders/{published}/amendments/",
                "datetime",
                {"summary": "New dates", "changes": {field: "{value}"}},
                "json",
            ),
        ]
    for field in ("starts_at", "ends_at"):
        times = {"starts_at": "2029-05-01T10:00", "ends_at": "2029-05-01T11:00"}
        cases += [
            Case(
                (f"tenders.buyer_forms.OutageForm.{field}",),
                "platform_admin",
                "post",
                "/buyer/tenders/outages/",
                "datetime",
                _with(field, {**times, "reason": "Down"}),
            ),
            Case(
                (f"tenders_outages_record {field}",),
                "platform_admin",
                "post",
                "/api/v1/tenders/outages/",
                "datetime",
                _with(field, {**times, "reason": "Down"}),
                "json",
            ),
        ]
    for field in ("issued_on", "expires_on"):
        dates = {"kind": "tax_clearance", "issued_on": "2026-01-10", "expires_on": "2030-01-01"}
        cases += [
            Case(
                (f"suppliers.forms.DocumentForm.{field}",),
                "supplier_admin",
                "post",
                "/suppliers/{supplier}/edit/documents/",
                "date",
                _with(field, dates),
                "multipart",
            ),
            Case(
                (f"suppliers_documents_upload {field}",),
                "supplier_admin",
                "post",
                "/api/v1/suppliers/{supplier}/documents/",
                "date",
                _with(field, dates),
                "multipart",
            ),
        ]
    cases += [
        Case(
            ("suppliers.review_forms.DebarForm.until",),
            "platform_admin",
            "post",
            "/suppliers/review/{verified}/debar/",
            "date",
            {"reason": "Collusion", "until": "{value}"},
        ),
        Case(
            ("supplier_review_debar until",),
            "platform_admin",
            "post",
            "/api/v1/supplier-review/{verified}/debar/",
            "date",
            {"reason": "Collusion", "until": "{value}"},
            "json",
        ),
    ]
    for field in ("deadline_from", "deadline_to"):
        cases += [
            Case(
                (f"tenders.filters.PublicTenderFilter.{field}",),
                "anonymous",
                "get",
                "/tenders/",
                "date",
                {field: "{value}"},
                "query",
            ),
            Case(
                (f"tenders_list {field}",),
                "anonymous",
                "get",
                "/api/v1/tenders/",
                "date",
                {field: "{value}"},
                "query",
            ),
        ]
    for field in ("submitted_from", "submitted_to"):
        cases += [
            Case(
                (f"suppliers.review_filters.ReviewFilter.{field}",),
                "verifier",
                "get",
                "/suppliers/review/",
                "date",
                {field: "{value}"},
                "query",
            ),
            Case(
                (f"supplier_review_queue {field}",),
                "verifier",
                "get",
                "/api/v1/supplier-review/",
                "date",
                {field: "{value}"},
                "query",
            ),
        ]
    for field in ("from", "to"):
        cases += [
            Case(
                # The page's EventSearch shares the API's EventFilter time filters.
                (f"audit.filters.EventFilter.{field}", f"audit.filters.EventSearch.{field}"),
                "auditor",
                "get",
                "/audit/",
                "datetime",
                {field: "{value}"},
                "query",
                may_answer=True,
            ),
            Case(
                (f"audit_events_list {field}",),
                "auditor",
                "get",
                "/api/v1/audit/events/",
                "datetime",
                {field: "{value}"},
                "query",
                may_answer=True,
            ),
        ]
    for field in ("since", "until"):
        cases.append(
            Case(
                (f"ocds_release_list {field}",),
                "anonymous",
                "get",
                "/api/v1/ocds/releases/",
                "datetime",
                {field: "{value}"},
                "query",
            )
        )
    return cases


CASES = _cases()


@pytest.fixture
def world():
    """The people and objects the cases need, at the tenders' fixed database time."""
    with frozen_at(NOW):
        draft, team = tender_in_state("draft")
        published, _team = tender_in_state("published", team)
        supplier, supplier_admin = registered_supplier(documents=False)
        verified, _admin, _reviewer = supplier_in_state("verified", registration_number="777")
        people = {
            "officer": team.officer,
            "verifier": make_member(Role.VERIFIER),
            "platform_admin": make_member(Role.PLATFORM_ADMIN),
            "supplier_admin": supplier_admin,
            "auditor": make_member(Role.AUDITOR),
            "anonymous": None,
        }
        objects = {
            "draft": draft.pk,
            "published": published.pk,
            "supplier": supplier.pk,
            "verified": verified.pk,
            "buyer": team.buyer.pk,
        }
        yield people, objects


def _fill(value, objects, date):
    if isinstance(value, dict):
        return {key: _fill(item, objects, date) for key, item in value.items()}
    if value == "{value}":
        return date
    if value == "{buyer}":
        return objects["buyer"]
    return value


def _send(client, case, objects, date):
    url = case.url.format(**objects)
    data = _fill(case.data, objects, date)
    if case.encoding == "json":
        return getattr(client, case.method)(url, data, "application/json")
    if case.encoding == "query":
        return client.get(url, data)
    if case.encoding == "multipart":
        data["file"] = SimpleUploadedFile("certificate.pdf", PDF, "application/pdf")
    return getattr(client, case.method)(url, data)


@pytest.mark.parametrize("case", CASES, ids=[case.covers[0] for case in CASES])
def test_a_date_out_of_range_is_refused_and_changes_nothing(client, world, case):
    # given the person who may use this input
    people, objects = world
    if people[case.who] is not None:
        login(client, people[case.who])

    for year, date in zip((1, 9999), YEARS[case.kind], strict=True):
        # when the date is year 1 or 9999
        before = everything()
        with frozen_at(NOW):
            response = _send(client, case, objects, date)

        # then it is refused, clearly (a field error, a problem, or the 400 page), nothing written
        assert response.status_code < 500, (year, response.content[:500])
        assert everything() == before
        if case.may_answer and response.status_code == 200:
            continue
        text = response.content.decode()
        if case.url.startswith("/api/"):
            assert response.status_code in {400, 422}
            assert response["Content-Type"] == "application/problem+json"
            assert any(refusal in text for refusal in REFUSALS), text
        elif response.status_code == 400 and response.templates[0].name == "400.html":
            assert "The request could not be understood." in text
        else:
            assert response.status_code in {200, 400}
            assert REFUSALS[0] in text, text[:2000]


def test_every_date_input_is_walked():
    # given every date field of every form and filter, and every date in the API
    from django import forms

    found = {
        name
        for name, field in [*form_fields(), *filter_fields()]
        if isinstance(field, forms.DateField | forms.DateTimeField)
    }
    found |= {
        f"{operation} {name}"
        for operation, name, schema in [*request_body_fields(), *query_parameters()]
        if schema.get("format") in {"date", "date-time"}
    }
    # (the amendment's `changes` is a free object in the schema: its dates are listed by hand)
    walked = {name for case in CASES for name in case.covers}

    # then the walk covers exactly them
    assert sorted(found - walked) == []
    assert sorted(walked - found) == sorted(
        f"tenders_amend changes.{field}"
        for field in ("clarification_deadline", "submission_deadline", "opening_at")
    )


def test_the_bounds_themselves_are_accepted():
    from core.validators import validate_plausible_date

    validate_plausible_date(datetime.date(1900, 1, 1))
    validate_plausible_date(datetime.datetime(2999, 12, 31, 23, 59, tzinfo=datetime.UTC))
