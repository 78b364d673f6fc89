"""The tenders API: public reading, and the buyer's and supplier's actions through the services."""

import pytest

from core.money import Money, money_json
from tenders.models import Release, Tender
from tests.factories import login
from tests.suppliers.factories import supplier_in_state

from .factories import complete_fields, outsider, tender_in_state

pytestmark = pytest.mark.django_db

API = "/api/v1/tenders"


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_the_public_list_shows_published_tenders_only(client):
    # given a draft and a published tender
    tender_in_state("draft")
    published, team = tender_in_state("published")

    # when anyone lists the tenders
    response = client.get(f"{API}/")

    # then only the published one is there
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": published.pk,
                "reference": published.reference,
                "ocid": published.ocid,
                "title": "Resurfacing of the Karaj-Chalus road",
                "title_fa": "بهسازی جاده کرج-چالوس",
                "buyer": {"id": team.buyer.pk, "name": "Roads Authority", "name_fa": ""},
                "procurement_method": "open",
                "main_category": "works",
                "cpv_codes": ["45233120-6"],
                "estimated_value": {"amount": "125000000000.00", "currency": "IRR"},
                "state": "published",
                "published_at": "2029-06-01T12:30:00+03:30",
                "submission_deadline": "2029-07-06T12:30:00+03:30",
            }
        ],
    }


def test_the_public_list_filters_and_searches(client):
    # given two published tenders of different categories
    works, _team = tender_in_state("published")
    goods, _team = tender_in_state(
        "published", main_category="goods", title="Laptops", cpv_code="30213100-6"
    )

    # when filtered by category, CPV and words
    by_category = client.get(f"{API}/", {"main_category": "goods"}).json()
    by_cpv = client.get(f"{API}/", {"cpv": "452"}).json()
    by_words = client.get(f"{API}/", {"q": "laptops"}).json()

    # then
    assert [t["id"] for t in by_category["results"]] == [goods.pk]
    assert [t["id"] for t in by_cpv["results"]] == [works.pk]
    assert [t["id"] for t in by_words["results"]] == [goods.pk]


def test_a_draft_is_not_public_but_its_officer_sees_it(client):
    # given a draft
    tender, team = tender_in_state("draft")

    # when the public, then the officer, ask for it
    anonymous = client.get(f"{API}/{tender.pk}/")
    login(client, team.officer)
    officer = client.get(f"{API}/{tender.pk}/")

    # then the public gets a 404 problem, the officer the draft with its lots
    _problem(anonymous, 404, "tender.not_found")
    assert officer.status_code == 200
    body = officer.json()
    assert (body["state"], body["ocds_record_url"]) == ("draft", None)
    assert [lot["title"] for lot in body["lots"]] == ["Section 1"]
    assert [item["unit"] for item in body["lots"][0]["items"]] == ["MTK", "TNE"]


def test_the_whole_workflow_through_the_api(client):
    # given a buyer's team
    _tender, team = tender_in_state("draft")
    fields = complete_fields(team)
    payload = {
        "buyer": team.buyer.pk,
        **{
            name: value
            for name, value in fields.items()
            if name not in {"approver", "opening_committee", "evaluation_committee"}
        },
        "approver": team.approver.pk,
        "opening_committee": [user.pk for user in team.opening],
        "evaluation_committee": [user.pk for user in team.evaluation],
    }
    payload = {
        k: (
            money_json(v)
            if isinstance(v, Money)
            else str(v)
            if not isinstance(v, list | int | str)
            else v
        )
        for k, v in payload.items()
    }

    # when the officer drafts it, adds a lot and submits; the approver approves
    login(client, team.officer)
    created = client.post(f"{API}/drafts/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    lot = client.post(
        f"{API}/{pk}/lots/",
        {
            "title": "Section 1",
            "estimated_value": {"amount": "60000000000.00", "currency": "IRR"},
            "items": [{"description": "Asphalt", "quantity": "10", "unit": "t"}],
        },
        content_type="application/json",
    )
    assert lot.status_code == 201, lot.content
    assert client.post(f"{API}/{pk}/submit/").json()["state"] == "awaiting_approval"
    login(client, team.approver)
    approved = client.post(f"{API}/{pk}/approve/")

    # then it is public, with its OCDS record
    assert approved.status_code == 200, approved.content
    tender = Tender.objects.get(pk=pk)
    assert approved.json()["state"] == "published"
    assert approved.json()["ocds_record_url"] == f"/api/v1/ocds/records/{tender.ocid}/"
    assert Release.objects.get(tender=tender).tag == "tender"
    assert client.get(f"/api/v1/ocds/records/{tender.ocid}/").status_code == 200


def test_the_officer_cannot_approve_own_tender_and_nothing_is_written(client, nothing_written):
    # given a tender awaiting approval
    tender, team = tender_in_state("awaiting_approval")
    login(client, team.officer)

    # when its officer tries to approve it
    with nothing_written():
        response = client.post(f"{API}/{tender.pk}/approve/")

    # then a 403 problem, the tender unchanged, no release
    _problem(response, 403, "tender.four_eyes")
    assert Tender.objects.get(pk=tender.pk).state == "awaiting_approval"
    assert not Release.objects.exists()


def test_an_amendment_through_the_api_and_its_refusals(client, nothing_written):
    # given a published tender
    tender, team = tender_in_state("published")

    # when an outsider, then the officer with an unknown field, then the officer, amend it
    login(client, outsider())
    with nothing_written():
        outsider_answer = client.post(
            f"{API}/{tender.pk}/amendments/",
            {"summary": "x", "changes": {"title": "Y"}},
            content_type="application/json",
        )
    login(client, team.officer)
    with nothing_written():
        not_amendable = client.post(
            f"{API}/{tender.pk}/amendments/",
            {"summary": "x", "changes": {"procurement_method": "rfq"}},
            content_type="application/json",
        )
    amended = client.post(
        f"{API}/{tender.pk}/amendments/",
        {"summary": "Title corrected", "changes": {"title": "Road"}},
        content_type="application/json",
    )

    # then 403 and 422 problems with nothing written, then the amendment, public
    _problem(outsider_answer, 403, "api.permission_denied")
    assert not_amendable.status_code == 422
    assert not_amendable["Content-Type"] == "application/problem+json"
    assert amended.status_code == 201
    assert client.get(f"{API}/{tender.pk}/amendments/").json() == [
        {
            "number": 1,
            "created_at": "2029-06-01T12:30:00+03:30",
            "summary": "Title corrected",
            "summary_fa": "",
            "material": False,
            "changes": {"title": {"from": "Resurfacing of the Karaj-Chalus road", "to": "Road"}},
            "notice": "",
            "notice_fa": "",
        }
    ]
    assert Release.objects.filter(tender=tender).count() == 2


def test_a_cancelled_tender_cannot_be_cancelled_again(client, nothing_written):
    # given a cancelled published tender
    tender, team = tender_in_state("published")
    login(client, team.officer)
    first = client.post(f"{API}/{tender.pk}/cancel/", {"reason": "Budget withdrawn"})
    assert first.json()["state"] == "cancelled"

    # when cancelled again
    with nothing_written():
        again = client.post(f"{API}/{tender.pk}/cancel/", {"reason": "Twice"})

    # then a 409 problem
    _problem(again, 409, "tender.invalid_transition")


def test_questions_answers_and_following(client):
    # given a published tender and a verified supplier
    tender, team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")

    # when the supplier asks, follows, and the officer answers
    login(client, admin)
    asked = client.post(
        f"{API}/{tender.pk}/clarifications/",
        {"supplier": supplier.pk, "question": "Is night work allowed?"},
    )
    followed = client.post(f"{API}/{tender.pk}/follow/")
    login(client, team.officer)
    answered = client.post(f"{API}/{tender.pk}/clarifications/1/answer/", {"answer": "Yes."})
    client.logout()
    public = client.get(f"{API}/{tender.pk}/clarifications/")

    # then the public sees the question and answer, never who asked
    assert (asked.status_code, followed.status_code, answered.status_code) == (201, 204, 200)
    assert public.json() == [
        {
            "number": 1,
            "question": "Is night work allowed?",
            "question_fa": "",
            "asked_at": "2029-06-01T12:30:00+03:30",
            "answer": "Yes.",
            "answer_fa": "",
            "answered_at": "2029-06-01T12:30:00+03:30",
        }
    ]
    assert tender.follows.filter(user=admin).exists()


def test_anonymous_writes_are_refused_with_401(client):
    # given a published tender
    tender, _team = tender_in_state("published")

    # when anonymous callers try to write
    answers = [
        client.post(f"{API}/{tender.pk}/clarifications/", {"supplier": 1, "question": "?"}),
        client.post(f"{API}/{tender.pk}/follow/"),
        client.post(f"{API}/{tender.pk}/cancel/", {"reason": "x"}),
    ]

    # then each is a 401 or 403 problem (session auth answers 403 without a challenge)
    for response in answers:
        assert response.status_code in {401, 403}
        assert response["Content-Type"] == "application/problem+json"
    assert Tender.objects.get(pk=tender.pk).state == "published"


def test_unfollow_through_the_api(client):
    # given a user following a published tender
    tender, _team = tender_in_state("published")
    user = outsider()
    login(client, user)
    assert client.post(f"{API}/{tender.pk}/follow/").status_code == 204

    # when they unfollow it
    response = client.delete(f"{API}/{tender.pk}/follow/")

    # then
    assert response.status_code == 204
    assert not tender.follows.filter(user=user).exists()
