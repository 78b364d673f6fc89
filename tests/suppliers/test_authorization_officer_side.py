"""Who may use the officers' side: only the oversight body's verifying officers (and its
administrators), and for debarments its administrators alone.

Every refused request (the supplier's own members, a bidder of another
company, a buyer's procurement officer, an evaluator, an auditor, the anonymous
public; a verifying officer for debarments; a verifying officer without a
second factor) changes nothing and writes no audit event and no outbox row.
"""

import pytest

from accounts.models import Role
from audit.models import Event
from core.models import OutboxMessage
from suppliers.models import Supplier
from tests.factories import login, make_member

from .factories import officer, supplier_in_state

pytestmark = pytest.mark.django_db

POSTS = {
    "verify": {"note": "ok"},
    "request-changes": {"field_city": "Wrong city"},
    "suspend": {"reason": "r"},
    "reinstate": {"reason": "r"},
    "debar": {"reason": "r", "until": "2099-01-01"},
    "end-debarment": {"reason": "r"},
}
API_POSTS = {
    **POSTS,
    "request-changes": {"items": [{"target_type": "field", "target": "city", "reason": "Wrong"}]},
}
# The state in which each decision would be legal, so a refusal is the role's alone.
LEGAL_FROM = {
    "verify": "submitted",
    "request-changes": "submitted",
    "suspend": "verified",
    "reinstate": "suspended",
    "debar": "verified",
    "end-debarment": "debarred",
}


def records():
    return Event.objects.count(), OutboxMessage.objects.count()


def _user(who, supplier_admin):
    if who == "supplier_member":
        return supplier_admin
    if who == "bidder":
        return make_member(Role.BIDDER)
    if who == "evaluator":
        return make_member(Role.EVALUATOR)
    if who == "procurement_officer":
        return make_member(Role.PROCUREMENT_OFFICER)
    if who == "auditor":
        return make_member(Role.AUDITOR)
    return None


NOT_OFFICERS = [
    "anonymous",
    "supplier_member",
    "bidder",
    "procurement_officer",
    "evaluator",
    "auditor",
]


@pytest.mark.parametrize("who", NOT_OFFICERS)
def test_only_officers_see_the_queue_and_a_registration(client, who):
    # given
    supplier, admin, _reviewer = supplier_in_state("submitted")
    user = _user(who, admin)
    if user is not None:
        login(client, user)

    # when
    pages = [client.get("/suppliers/review/"), client.get(f"/suppliers/review/{supplier.pk}/")]
    apis = [
        client.get("/api/v1/supplier-review/"),
        client.get(f"/api/v1/supplier-review/{supplier.pk}/"),
    ]

    # then
    for response in pages:
        if user is None:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=/suppliers/review/")
        else:
            assert response.status_code == 403
            assert supplier.legal_name not in response.content.decode()
    for response in apis:
        assert response.status_code == (401 if user is None else 403)
        assert response["Content-Type"] == "application/problem+json"
        assert supplier.legal_name not in response.content.decode()


@pytest.mark.parametrize("who", NOT_OFFICERS)
@pytest.mark.parametrize("decision", list(POSTS))
def test_only_officers_decide(client, who, decision):
    # given
    state = LEGAL_FROM[decision]
    supplier, admin, _reviewer = supplier_in_state(state)
    user = _user(who, admin)
    if user is not None:
        login(client, user)
    before = records()

    # when
    page = client.post(f"/suppliers/review/{supplier.pk}/{decision}/", POSTS[decision])
    api = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/{decision}/",
        API_POSTS[decision],
        content_type="application/json",
    )

    # then
    assert page.status_code == (302 if user is None else 403)
    assert api.status_code == (401 if user is None else 403)
    assert api["Content-Type"] == "application/problem+json"
    assert Supplier.objects.get(pk=supplier.pk).state == state
    assert records() == before


@pytest.mark.parametrize("decision", ["debar", "end-debarment"])
def test_a_verifying_officer_does_not_decide_debarments(client, decision):
    # given a verifying officer, not an administrator of the oversight body
    state = LEGAL_FROM[decision]
    supplier, _admin, reviewer = supplier_in_state(state)
    login(client, reviewer)
    before = records()

    # when
    detail = client.get(f"/suppliers/review/{supplier.pk}/")
    page = client.post(f"/suppliers/review/{supplier.pk}/{decision}/", POSTS[decision])
    api = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/{decision}/",
        API_POSTS[decision],
        content_type="application/json",
    )

    # then the form is not offered, and posting it anyway is refused
    assert detail.context["offered"]["debar"] is False
    assert detail.context["offered"]["end_debarment"] is False
    assert f"/{decision}/" not in detail.content.decode()
    assert page.status_code == 403
    assert (api.status_code, api.json()["code"]) == (403, "api.permission_denied")
    assert Supplier.objects.get(pk=supplier.pk).state == state
    assert records() == before


def test_an_officer_without_the_second_factor_is_sent_to_enter_it(client):
    # given an officer signed in with a password only
    supplier, _admin, _reviewer = supplier_in_state("submitted")
    client.force_login(officer())
    before = records()

    # when
    page = client.get("/suppliers/review/")
    post = client.post(f"/suppliers/review/{supplier.pk}/verify/", {"note": ""})
    api = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/verify/", {}, content_type="application/json"
    )

    # then
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/two-factor/")
    assert post.status_code == 302
    assert (api.status_code, api.json()["code"]) == (403, "accounts.two_factor_required")
    assert Supplier.objects.get(pk=supplier.pk).state == "submitted"
    assert records() == before


def test_a_decision_needs_a_post(client):
    # given
    supplier, _admin, reviewer = supplier_in_state("submitted")
    login(client, reviewer)
    before = records()

    # when
    response = client.get(f"/suppliers/review/{supplier.pk}/verify/")

    # then
    assert response.status_code == 405
    assert Supplier.objects.get(pk=supplier.pk).state == "submitted"
    assert records() == before


def test_a_buyers_procurement_officer_cannot_verify_a_supplier_nor_read_its_documents(client):
    # given a submitted registration, and a procurement officer of some buyer
    supplier, _admin, _reviewer = supplier_in_state("submitted")
    document = supplier.documents.order_by("pk").first()
    login(client, make_member(Role.PROCUREMENT_OFFICER))
    before = records()

    # when the officer tries to verify it by page and by API, and to read its documents
    page = client.post(f"/suppliers/review/{supplier.pk}/verify/", {"note": "ok"})
    api = client.post(
        f"/api/v1/supplier-review/{supplier.pk}/verify/", {}, content_type="application/json"
    )
    documents = client.get(f"/api/v1/suppliers/{supplier.pk}/documents/")
    download = client.get(f"/suppliers/{supplier.pk}/documents/{document.pk}/download/")

    # then each is refused, and nothing changed or was recorded
    assert page.status_code == 403
    assert (api.status_code, api["Content-Type"], api.json()["code"]) == (
        403,
        "application/problem+json",
        "api.permission_denied",
    )
    assert (documents.status_code, documents["Content-Type"]) == (403, "application/problem+json")
    assert download.status_code == 403
    assert Supplier.objects.get(pk=supplier.pk).state == "submitted"
    assert Supplier.objects.get(pk=supplier.pk).verified_at is None
    assert records() == before
