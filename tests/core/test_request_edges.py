"""What a probe of the running platform sends answers 4xx, never 500, and changes nothing.

A NUL character in any address, a JSON body nested 100,000 deep or larger than
the upload limit, an e-mail address longer than its column, a date in year 1
or 9999: each is refused by a shared layer (core.middleware.RequestGuardMiddleware,
core.api's problem handler, core.validators, the model's max_length on the form
or serializer field), so every URL pattern, form and endpoint is walked here,
not only the ones the probe tried.
"""

import json

import pytest
from django.apps import apps
from django.conf import settings as django_settings

from accounts.models import Role
from tests.factories import login, make_member

from .routes import fill, has_text_parameter, routes

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
OUR_APPS = {"accounts", "audit", "core", "suppliers", "tenders"}


def everything() -> dict:
    """Every row of the platform's own tables: what a refusal must leave as it was."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
    }


@pytest.fixture
def nothing_written():
    import contextlib

    @contextlib.contextmanager
    def watch():
        before = everything()
        yield
        assert everything() == before

    return watch


def assert_bad_request(response, detail=None):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    if response.wsgi_request.path.startswith("/api/"):
        assert response["Content-Type"] == PROBLEM
        body = response.json()
        assert body["code"] == "api.bad_request"
        assert body["title"] == "Bad request."
        if detail is not None:
            assert body["detail"] == detail
    else:
        assert response.templates[0].name == "400.html"


@pytest.fixture
def signed_in(client):
    """A superuser platform administrator who passed the second factor: every door is open."""
    user = make_member(Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True)
    login(client, user)
    return client


# --- NUL characters: every URL pattern -------------------------------------------------------

NUL_IN_ADDRESS = "The address holds a NUL character."


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
def test_a_nul_character_in_any_path_is_a_400(client, signed_in, who, nothing_written):
    # given every route with a text parameter, that parameter set to a NUL character
    if who == "anonymous":
        client.logout()
    paths = [fill(route, text="%00") for route in routes() if has_text_parameter(route)]
    assert "/tenders/%00/" in paths
    assert "/api/v1/ocds/records/%00/" in paths

    with nothing_written():
        for path in paths:
            for method in ("get", "post"):
                # when anyone asks for it
                response = getattr(client, method)(path)

                # then the answer is a plain 400, before any view runs
                assert_bad_request(response, NUL_IN_ADDRESS)


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
def test_a_nul_character_in_any_query_string_is_a_400(client, signed_in, who, nothing_written):
    # given every route of the platform, with a NUL character in its query string
    if who == "anonymous":
        client.logout()
    paths = [fill(route, text="x") for route in routes()]

    with nothing_written():
        for path in paths:
            for query in ("q=%00", "%00=1", "page=1&next=/%00"):
                # when anyone asks for it
                response = client.get(f"{path}?{query}")

                # then the answer is a 400
                assert_bad_request(response, NUL_IN_ADDRESS)


def test_the_probes_nul_paths_answer_the_styled_page_and_a_problem(client):
    page = client.get("/tenders/%00/")
    api = client.get("/api/v1/ocds/records/%00/")

    assert page.status_code == 400
    assert "The request could not be understood." in page.content.decode()
    assert api.status_code == 400
    assert api.json() == {
        "type": "urn:panjere:problem:api.bad_request",
        "title": "Bad request.",
        "status": 400,
        "code": "api.bad_request",
        "detail": "The address holds a NUL character.",
        "instance": "/api/v1/ocds/records/%00/",
    }


# --- JSON bodies: every API endpoint ----------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
TOO_DEEP = "The JSON body is nested more than 32 levels deep."


def _api_paths():
    return [fill(route, text="x") for route in routes() if route.startswith("api/")]


@pytest.mark.parametrize("who", ["anonymous", "signed in"])
def test_a_json_body_nested_100000_deep_is_a_400_everywhere(
    client, signed_in, who, nothing_written
):
    # given every API route
    if who == "anonymous":
        client.logout()
    paths = _api_paths()
    assert "/api/v1/tenders/drafts/" in paths

    with nothing_written():
        for path in paths:
            for method in ("post", "put", "patch"):
                # when a body nested 100,000 deep is sent
                response = getattr(client, method)(path, DEEP, content_type="application/json")

                # then it is refused before the parser recurses
                assert_bad_request(response, TOO_DEEP)


def test_the_depth_limit_is_32_levels(signed_in, nothing_written):
    def nested(depth):
        return json.dumps({"title": json.loads("[" * (depth - 1) + "]" * (depth - 1))})

    with nothing_written():
        refused = signed_in.post("/api/v1/tenders/drafts/", nested(33), "application/json")
        parsed = signed_in.post("/api/v1/tenders/drafts/", nested(32), "application/json")

    assert_bad_request(refused, TOO_DEEP)
    # the view read it, and its serializer refused it for what it says
    assert parsed.status_code == 400
    assert parsed.json()["code"] == "api.invalid"


def test_a_nul_character_in_a_json_string_is_a_400(signed_in, nothing_written):
    with nothing_written():
        response = signed_in.post(
            "/api/v1/suppliers/",
            {"legal_name": "Alborz\u0000", "country": "IR", "evaluation": {"a": ["\u0000"]}},
            "application/json",
        )

    assert_bad_request(response, "The JSON body holds a NUL character.")


def test_a_json_body_over_the_upload_limit_is_a_413(signed_in, nothing_written):
    # given a body one byte over DATA_UPLOAD_MAX_MEMORY_SIZE
    limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"legal_name": "x" * limit, "country": "IR"})

    # when it is posted
    with nothing_written():
        response = signed_in.post("/api/v1/suppliers/", body, "application/json")

    # then
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "urn:panjere:problem:api.too_large",
        "title": "The request body is too large.",
        "status": 413,
        "code": "api.too_large",
        "detail": f"Send at most {limit} bytes.",
        "instance": "/api/v1/suppliers/",
    }


def test_a_form_body_over_the_upload_limit_is_a_413_through_drf(signed_in, nothing_written):
    # given a url-encoded body DRF reads whole
    body = "legal_name=" + "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + "&country=IR"

    with nothing_written():
        response = signed_in.post(
            "/api/v1/suppliers/", body, content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code == 413
    assert response.json()["code"] == "api.too_large"


def test_a_json_body_over_the_limit_to_a_page_is_the_400_page(signed_in, nothing_written):
    body = json.dumps({"x": "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    with nothing_written():
        response = signed_in.post("/suppliers/register/", body, "application/json")

    assert_bad_request(response)


# --- Text longer than its column: the model's max_length on every form and serializer ----------

LONG_EMAIL = "a" * 290 + "@example.org"  # 302 characters: a valid address, longer than 254
LONG_URL = "https://alborz.example/" + "a" * 250  # a valid address, longer than 200


@pytest.fixture
def draft_supplier(client):
    from tests.suppliers.factories import registered_supplier

    supplier, admin = registered_supplier(documents=False)
    login(client, admin)
    return supplier


def test_a_long_representative_email_is_a_form_error(client, draft_supplier, nothing_written):
    with nothing_written():
        response = client.post(
            f"/suppliers/{draft_supplier.pk}/edit/representatives/",
            {"email": LONG_EMAIL, "name": "Reza", "role": "bidder"},
        )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Ensure this value has at most 254 characters (it has 302)."]
    }


def test_a_long_representative_email_is_a_400_by_api(client, draft_supplier, nothing_written):
    with nothing_written():
        response = client.post(
            f"/api/v1/suppliers/{draft_supplier.pk}/representatives/",
            {"email": LONG_EMAIL, "name": "Reza", "role": "bidder"},
            "application/json",
        )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["Ensure this field has no more than 254 characters."]
    }


ADDRESS = {
    "address_line": "12 Valiasr Street",
    "city": "Tehran",
    "postal_code": "1411713111",
    "contact_email": "office@alborz.example",
    "contact_phone": "+982188776655",
    "website": "",
}


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [("contact_email", LONG_EMAIL, 254), ("website", LONG_URL, 200)],
)
def test_long_contact_details_are_refused_by_page_and_api(
    client, draft_supplier, nothing_written, field, value, limit
):
    with nothing_written():
        page = client.post(
            f"/suppliers/{draft_supplier.pk}/edit/address/", {**ADDRESS, field: value}
        )
        api = client.patch(
            f"/api/v1/suppliers/{draft_supplier.pk}/", {field: value}, "application/json"
        )

    assert page.status_code == 200
    assert page.context["form"].errors == {
        field: [f"Ensure this value has at most {limit} characters (it has {len(value)})."]
    }
    assert api.status_code == 400
    assert api.json()["errors"] == {
        field: [f"Ensure this field has no more than {limit} characters."]
    }


# Text fields with no max_length, and why that is safe. Any other is a finding.
FORM_FIELDS_WITHOUT_MAX_LENGTH = {
    # passwords are hashed, never stored as typed
    "accounts.forms.LoginForm.password",
    "accounts.forms.PasswordChangeForm.new_password1",
    "accounts.forms.PasswordChangeForm.new_password2",
    "accounts.forms.PasswordChangeForm.old_password",
    "accounts.forms.SetPasswordForm.new_password1",
    "accounts.forms.SetPasswordForm.new_password2",
    "accounts.forms.SignUpForm.password1",
    "accounts.forms.SignUpForm.password2",
    # free text in unbounded columns, or parsed into lines: tenders.validation bounds each part
    "tenders.buyer_forms.AmendForm.description",
    "tenders.buyer_forms.AmendForm.description_fa",
    "tenders.buyer_forms.AmendForm.notice",
    "tenders.buyer_forms.BasicsForm.description",
    "tenders.buyer_forms.BasicsForm.description_fa",
    "tenders.buyer_forms.EvaluationForm.criteria",
    "tenders.buyer_forms.LotForm.description",
    "tenders.buyer_forms.LotForm.description_fa",
    "tenders.buyer_forms.RequirementsForm.required_declarations",
    "tenders.buyer_forms.RequirementsForm.required_declarations_fa",
}

# API request fields with no maxLength: the tender services check every one of them
# (tenders.validation.clean_text with the column's length, or a closed set of values).
API_FIELDS_WITHOUT_MAX_LENGTH = {
    "supplier_review_request_changes items[].target",
    *(
        f"{operation} {name}"
        for operation in ("tenders_create", "tenders_update")
        for name in (
            "cpv_code",
            "description",
            "description_fa",
            "main_category",
            "procurement_method",
            "reference",
            "title",
            "title_fa",
        )
    ),
    *(
        f"{operation} {prefix}{name}"
        for operation, prefix in (
            ("tenders_items_add", ""),
            ("tenders_items_update", ""),
            ("tenders_lots_add", "items[]."),
        )
        for name in ("cpv_code", "description", "description_fa", "unit")
    ),
    *(
        f"{operation} {name}"
        for operation in ("tenders_lots_add", "tenders_lots_update")
        for name in ("description", "description_fa", "title", "title_fa")
    ),
    # each language variant is bounded by the service like its English twin
    "tenders_amend notice",
    "tenders_amend notice_fa",
    "tenders_amend summary",
    "tenders_amend summary_fa",
    "tenders_cancel reason",
    "tenders_cancel reason_fa",
    "tenders_clarifications_answer answer",
    "tenders_clarifications_answer answer_fa",
    "tenders_clarifications_ask question",
    "tenders_clarifications_ask question_fa",
    "tenders_declare_unsuccessful reason",
    "tenders_documents_upload title",
    "tenders_documents_upload title_fa",
    "tenders_outages_record reason",
    "tenders_return reason",
}


def test_every_form_text_field_is_bounded():
    from django import forms

    from .inputs import form_fields

    unbounded = {
        name
        for name, field in form_fields()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.ChoiceField)
        and field.max_length is None
    }

    assert sorted(unbounded - FORM_FIELDS_WITHOUT_MAX_LENGTH) == []
    assert sorted(FORM_FIELDS_WITHOUT_MAX_LENGTH - unbounded) == []


def test_every_api_text_field_is_bounded_in_the_schema():
    from .inputs import request_body_fields

    unbounded = {
        f"{operation} {name}"
        for operation, name, schema in request_body_fields()
        if schema.get("type") == "string"
        and "maxLength" not in schema
        and "enum" not in schema
        and schema.get("format") not in {"date", "date-time", "binary", "decimal"}
    }

    assert sorted(unbounded - API_FIELDS_WITHOUT_MAX_LENGTH) == []
    assert sorted(API_FIELDS_WITHOUT_MAX_LENGTH - unbounded) == []


@pytest.mark.parametrize("field", ["reference", "title", "title_fa"])
def test_the_tender_services_bound_their_text(signed_in, nothing_written, field):
    # given an officer and a draft (the API fields the schema leaves unbounded)
    from tests.tenders.factories import tender_in_state

    tender, team = tender_in_state("draft")
    login(signed_in, team.officer)

    with nothing_written():
        response = signed_in.patch(
            f"/api/v1/tenders/{tender.pk}/", {field: "x" * 5000}, "application/json"
        )

    assert response.status_code == 422
    assert response.json()["code"] == "tender.invalid_field"
    assert list(response.json()["errors"]) == [field]
