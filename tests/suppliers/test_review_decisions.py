"""Each officer's decision, through the review pages and through the API.

A decision changes the state, writes one audit event with the actor and the
reason, and one outbox row telling the supplier; a refused one changes
nothing and writes neither.
"""

import pytest

from audit.models import Event
from core.models import OutboxMessage
from suppliers.models import ChangeRequest, Supplier
from tests.factories import login

from .factories import oversight_admin, supplier_in_state

pytestmark = pytest.mark.django_db

# name: (from state, page path, page data, API body, by oversight?, to state, reason)
DECISIONS = {
    "verify": (
        "submitted",
        "verify",
        {"note": "Checked against the companies registry"},
        {"note": "Checked against the companies registry"},
        False,
        "verified",
        "Checked against the companies registry",
    ),
    "request_changes": (
        "submitted",
        "request-changes",
        {"field_tax_id": "Does not match the certificate", "document_tax_clearance": "Expired"},
        {
            "items": [
                {
                    "target_type": "field",
                    "target": "tax_id",
                    "reason": "Does not match the certificate",
                },
                {"target_type": "document", "target": "tax_clearance", "reason": "Expired"},
            ]
        },
        False,
        "changes_requested",
        "Tax identification number: Does not match the certificate\n"
        "Tax clearance certificate: Expired",
    ),
    "suspend": (
        "verified",
        "suspend",
        {"reason": "Bank guarantee forged"},
        {"reason": "Bank guarantee forged"},
        False,
        "suspended",
        "Bank guarantee forged",
    ),
    "reinstate": (
        "suspended",
        "reinstate",
        {"reason": "The guarantee was genuine"},
        {"reason": "The guarantee was genuine"},
        False,
        "verified",
        "The guarantee was genuine",
    ),
    "debar": (
        "verified",
        "debar",
        {"reason": "Collusion in tender T-9", "until": "2099-12-31"},
        {"reason": "Collusion in tender T-9", "until": "2099-12-31"},
        True,
        "debarred",
        "Collusion in tender T-9",
    ),
    "end_debarment": (
        "debarred",
        "end-debarment",
        {"reason": "Appeal upheld"},
        {"reason": "Appeal upheld"},
        True,
        "verified",
        "Appeal upheld",
    ),
}

OUTBOX_KINDS = {
    "verify": "supplier.verified",
    "request_changes": "supplier.changes_requested",
    "suspend": "supplier.suspended",
    "reinstate": "supplier.reinstated",
    "debar": "supplier.debarred",
    "end_debarment": "supplier.debarment_ended",
}
ACTIONS = {
    "verify": "supplier.verified",
    "request_changes": "supplier.changes_requested",
    "suspend": "supplier.suspended",
    "reinstate": "supplier.reinstated",
    "debar": "supplier.debarred",
    "end_debarment": "supplier.debarment_ended",
}


def records():
    return Event.objects.count(), OutboxMessage.objects.count()


def _setup(name):
    start, oversight = DECISIONS[name][0], DECISIONS[name][4]
    supplier, admin, reviewer = supplier_in_state(start)
    actor = oversight_admin() if oversight else reviewer
    return supplier, admin, actor


def _assert_decided(name, supplier, admin, actor, before):
    start, _path, _page, _api, _oversight, to_state, reason = DECISIONS[name]
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert supplier.state == to_state
    assert records() == (before[0] + 1, before[1] + 1)
    event = Event.objects.order_by("-seq").first()
    assert (event.action, event.actor_user, event.reason) == (ACTIONS[name], actor, reason)
    assert (event.object_type, event.object_id) == ("suppliers.supplier", str(supplier.pk))
    assert (event.payload["from"], event.payload["to"]) == (start, to_state)
    message = OutboxMessage.objects.order_by("-pk").first()
    assert message.payload["kind"] == OUTBOX_KINDS[name]
    assert message.payload["recipients"] == [admin.pk]
    assert message.payload["url"] == f"/suppliers/{supplier.pk}/"
    return supplier


@pytest.mark.parametrize("name", list(DECISIONS))
def test_a_decision_through_the_page(client, name):
    # given
    supplier, admin, actor = _setup(name)
    login(client, actor)
    before = records()
    path, data = DECISIONS[name][1], DECISIONS[name][2]

    # when
    response = client.post(f"/suppliers/review/{supplier.pk}/{path}/", data)

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/suppliers/review/{supplier.pk}/"
    supplier = _assert_decided(name, supplier, admin, actor, before)
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert followed.context["supplier"].state == supplier.state
    assert len(list(followed.context["messages"])) == 1


@pytest.mark.parametrize("name", list(DECISIONS))
def test_a_decision_through_the_api(client, name):
    # given
    supplier, admin, actor = _setup(name)
    login(client, actor)
    before = records()
    path, body = DECISIONS[name][1], DECISIONS[name][3]

    # when
    response = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/{path}/", body, content_type="application/json"
    )

    # then
    assert response.status_code == 200, response.content
    supplier = _assert_decided(name, supplier, admin, actor, before)
    assert response.json()["state"] == supplier.state
    assert response.json()["timeline"][-1]["action"] == ACTIONS[name]


def test_the_debarment_dates_and_reason(client):
    # given
    supplier, _admin, actor = _setup("debar")
    login(client, actor)

    # when
    client.post(
        f"/suppliers/review/{supplier.pk}/debar/",
        {"reason": "Collusion in tender T-9", "until": "2099-12-31"},
    )

    # then
    supplier.refresh_from_db()
    assert supplier.debarment_reason == "Collusion in tender T-9"
    assert str(supplier.debarred_until) == "2099-12-31"
    assert supplier.debarred_from is not None


def test_the_change_request_keeps_each_reason(client):
    # given
    supplier, _admin, actor = _setup("request_changes")
    login(client, actor)

    # when
    client.post(
        f"/suppliers/review/{supplier.pk}/request-changes/", DECISIONS["request_changes"][2]
    )

    # then
    request = ChangeRequest.objects.get(supplier=supplier)
    assert request.requested_by == actor
    assert sorted(request.items.values_list("target_type", "target", "reason")) == [
        ("document", "tax_clearance", "Expired"),
        ("field", "tax_id", "Does not match the certificate"),
    ]


# --- Refusals: nothing changes, nothing is recorded --------------------------------------


def _assert_unchanged(supplier, state, before):
    assert Supplier.objects.get(pk=supplier.pk).state == state
    assert records() == before


@pytest.mark.parametrize("name", ["suspend", "reinstate", "end_debarment", "debar"])
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_missing_reason_is_refused(client, name, blank):
    # given
    supplier, _admin, actor = _setup(name)
    start = DECISIONS[name][0]
    login(client, actor)
    before = records()
    path = DECISIONS[name][1]
    data = {"reason": blank, "until": "2099-12-31"}

    # when
    page = client.post(f"/suppliers/review/{supplier.pk}/{path}/", data)
    api = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/{path}/", data, content_type="application/json"
    )

    # then
    assert page.status_code == 400
    form = page.context["forms"][name]
    assert form.errors == {"reason": ["This field is required."]}
    assert "The decision was not recorded: correct the form below." in page.content.decode()
    assert api.status_code == 422
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "supplier.reason_required"
    assert api.json()["errors"] == {"reason": ["A reason is required."]}
    _assert_unchanged(supplier, start, before)


def test_requesting_changes_without_any_reason_is_refused(client):
    # given
    supplier, _admin, actor = _setup("request_changes")
    login(client, actor)
    before = records()

    # when
    page = client.post(f"/suppliers/review/{supplier.pk}/request-changes/", {"field_tax_id": "  "})
    empty = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/request-changes/",
        {"items": []},
        content_type="application/json",
    )
    blank = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/request-changes/",
        {"items": [{"target_type": "field", "target": "city", "reason": ""}]},
        content_type="application/json",
    )
    unknown = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/request-changes/",
        {"items": [{"target_type": "field", "target": "state", "reason": "Wrong"}]},
        content_type="application/json",
    )

    # then
    assert page.status_code == 400
    assert page.context["forms"]["request_changes"].non_field_errors() == [
        "Give a reason for at least one field or document."
    ]
    assert (empty.status_code, empty.json()["code"]) == (422, "supplier.reason_required")
    assert (blank.status_code, blank.json()["code"]) == (422, "supplier.reason_required")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {
        "items": {"0": {"target": ["Unknown field or document kind."]}}
    }
    _assert_unchanged(supplier, "submitted", before)
    assert not ChangeRequest.objects.exists()


def test_a_debarment_ending_in_the_past_is_refused(client):
    # given
    supplier, _admin, actor = _setup("debar")
    login(client, actor)
    before = records()
    data = {"reason": "Fraud", "until": "2020-01-01"}

    # when
    page = client.post(f"/suppliers/review/{supplier.pk}/debar/", data)
    api = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/debar/", data, content_type="application/json"
    )
    no_date = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/debar/",
        {"reason": "Fraud"},
        content_type="application/json",
    )

    # then
    assert page.status_code == 422
    assert page.context["forms"]["debar"].errors == {
        "until": ["The end date must be in the future."]
    }
    assert (api.status_code, api.json()["code"]) == (422, "supplier.invalid_date")
    assert no_date.status_code == 400
    assert list(no_date.json()["errors"]) == ["until"]
    _assert_unchanged(supplier, "verified", before)


@pytest.mark.parametrize(
    ("state", "name", "data"),
    [
        ("verified", "verify", {"note": ""}),
        ("changes_requested", "verify", {"note": ""}),
        ("verified", "request_changes", {"field_city": "Wrong city"}),
        ("submitted", "suspend", {"reason": "No"}),
        ("verified", "reinstate", {"reason": "No"}),
        ("submitted", "debar", {"reason": "No", "until": "2099-01-01"}),
        ("verified", "end_debarment", {"reason": "No"}),
    ],
)
def test_an_illegal_transition_is_a_clear_refusal(client, state, name, data):
    # given: an oversight admin, who may take every decision the state allows
    supplier, _admin, _reviewer = supplier_in_state(state)
    login(client, oversight_admin())
    before = records()
    path = name.replace("_", "-")

    # when
    page = client.post(f"/suppliers/review/{supplier.pk}/{path}/", data)
    api_body = (
        {"items": [{"target_type": "field", "target": "city", "reason": "Wrong city"}]}
        if name == "request_changes"
        else data
    )
    api = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/{path}/", api_body, content_type="application/json"
    )

    # then
    assert page.status_code == 409
    label = Supplier.objects.get(pk=supplier.pk).get_state_display()
    assert page.context["decision_error"] == (
        f"This decision is not possible now: the registration is “{label}”. "
        "Someone may have decided on it in the meantime."
    )
    assert page.context["offered"][name] is False
    assert api.status_code == 409
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "supplier.invalid_transition"
    _assert_unchanged(supplier, state, before)
