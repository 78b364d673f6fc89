"""Every page and API route of suppliers and tenders, run as each outsider, against one table.

The routes come from the URLconf: a route of either app that is not in
`TABLE` fails the test, so a new route must say who may reach it. Each is
run as the anonymous public, another company's supplier administrator,
another buyer's procurement officer, the platform's verifying officer and an
auditor, against one buyer's tenders and one company's registration. Pages
answer 302 (to log in), 403, 404, 405 or 200; the API 401/403/404/405 or 200,
its refusals as problem+json. Writes are posted too: a refused write changes
no tender or supplier row and writes no audit event and no outbox row.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from suppliers.models import Supplier, SupplierDocument
from tenders import services as tender_services
from tenders.models import Clarification, Follow, Item, Lot, Tender, TenderDocument
from tests.factories import login, make_member
from tests.suppliers.factories import pdf, registered_supplier, supplier_in_state
from tests.tenders.factories import NOW, eligible_supplier, tender_in_state

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "other_supplier", "other_officer", "verifier", "auditor")
APPS = ("suppliers.", "tenders.")


def app_routes() -> dict[str, str]:
    """{route name: path pattern} of every suppliers and tenders route in the URLconf."""
    routes = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith(APPS):
                name = f"{pattern.callback.__module__}:{pattern.name}"
                routes[name] = "/" + prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "")
    return routes


def build_world() -> tuple[dict, dict]:
    """One buyer's draft and published tenders, one company's registration; the outsiders."""
    with frozen_at(NOW):
        draft, team = tender_in_state("draft")
        draft_document = tender_services.tender_document_upload(
            actor=team.officer, tender=draft, title="Specs", uploaded=pdf("specs.pdf")
        )
        published, _team = tender_in_state("published", team)
        asker, asker_admin = eligible_supplier(legal_name="Asking Builders")
        clarification = tender_services.clarification_ask(
            actor=asker_admin, tender=published, supplier=asker, question="Which asphalt grade?"
        )
        supplier, _admin, _reviewer = supplier_in_state("submitted", registration_number="4242")
        _other, other_admin = registered_supplier(
            legal_name="Other Company", registration_number="4343", documents=False
        )
        people = {
            "anonymous": None,
            "other_supplier": other_admin,
            "other_officer": make_member(Role.PROCUREMENT_OFFICER),
            "verifier": make_member(Role.VERIFIER),
            "auditor": make_member(Role.AUDITOR),
        }
    lot = Lot.objects.filter(tender=draft).order_by("pk").first()
    values = {
        "draft": draft.pk,
        "published": published.pk,
        "ocid": published.ocid,
        "lot": lot.pk,
        "item": Item.objects.filter(lot=lot).order_by("pk").first().pk,
        "draft_doc": draft_document.pk,
        "clarification": clarification.pk,
        "question": clarification.number,
        "asker": asker.pk,
        "release": published.releases.order_by("pk").first().release_id,
        "supplier": supplier.pk,
        "supplier_doc": SupplierDocument.objects.filter(supplier=supplier).order_by("pk")[0].pk,
    }
    return people, values


def snapshot() -> dict:
    """What a refused write must leave as it was."""
    return {
        "tenders": list(Tender.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        "suppliers": list(Supplier.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        "lots": Lot.objects.count(),
        "items": Item.objects.count(),
        "tender_documents": TenderDocument.objects.count(),
        "supplier_documents": SupplierDocument.objects.count(),
        "clarifications": list(Clarification.objects.values_list("pk", "answer")),
        "follows": Follow.objects.count(),
        "events": Event.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def run(client, method: str, path: str):
    if path.startswith("/api/"):
        return getattr(client, method)(path, {}, content_type="application/json")
    return getattr(client, method)(path, {})


REFUSED = {302, 401, 403, 404, 405}


# route name: (path, GET statuses, POST statuses), statuses in the order of PERSONAS:
# anonymous, another company's supplier administrator, another buyer's procurement
# officer, the platform's verifying officer, an auditor. None: the API view does not
# offer the method. `{draft}` is a draft of one buyer (the API's tender routes use it),
# `{published}`/`{ocid}` its published tender, `{supplier}` a submitted registration.
# A page's 302 for the anonymous public is to the log-in page.
TABLE = {
    "suppliers.api:suppliers-api-cpv": ("/api/v1/suppliers/cpv/", (200, 200, 200, 200, 200), None),
    "suppliers.api:suppliers-api-detail": (
        "/api/v1/suppliers/{supplier}/",
        (401, 403, 403, 200, 200),
        None,
    ),
    "suppliers.api:suppliers-api-document-download": (
        "/api/v1/suppliers/{supplier}/documents/{supplier_doc}/download/",
        (401, 403, 403, 200, 200),
        None,
    ),
    "suppliers.api:suppliers-api-documents": (
        "/api/v1/suppliers/{supplier}/documents/",
        (401, 403, 403, 200, 200),
        (401, 403, 403, 415, 415),
    ),
    "suppliers.api:suppliers-api-mine": (
        "/api/v1/suppliers/mine/",
        (401, 200, 200, 200, 200),
        None,
    ),
    "suppliers.api:suppliers-api-register": ("/api/v1/suppliers/", None, (401, 400, 400, 400, 400)),
    "suppliers.api:suppliers-api-representatives": (
        "/api/v1/suppliers/{supplier}/representatives/",
        (401, 403, 403, 200, 200),
        (401, 403, 403, 400, 400),
    ),
    "suppliers.api:suppliers-api-submit": (
        "/api/v1/suppliers/{supplier}/submit/",
        None,
        (401, 403, 403, 403, 403),
    ),
    "suppliers.public_api:debarments-list": (
        "/api/v1/debarments/",
        (200, 200, 200, 200, 200),
        None,
    ),
    "suppliers.public_views:list": (
        "/debarments/",
        (200, 200, 200, 200, 200),
        (405, 405, 405, 405, 405),
    ),
    "suppliers.review_api:supplier-review-debar": (
        "/api/v1/supplier-review/{supplier}/debar/",
        None,
        (401, 403, 403, 403, 403),
    ),
    "suppliers.review_api:supplier-review-detail": (
        "/api/v1/supplier-review/{supplier}/",
        (401, 403, 403, 200, 403),
        None,
    ),
    "suppliers.review_api:supplier-review-end-debarment": (
        "/api/v1/supplier-review/{supplier}/end-debarment/",
        None,
        (401, 403, 403, 403, 403),
    ),
    "suppliers.review_api:supplier-review-queue": (
        "/api/v1/supplier-review/",
        (401, 403, 403, 200, 403),
        None,
    ),
    "suppliers.review_api:supplier-review-reinstate": (
        "/api/v1/supplier-review/{supplier}/reinstate/",
        None,
        (401, 403, 403, 422, 403),
    ),
    "suppliers.review_api:supplier-review-request-changes": (
        "/api/v1/supplier-review/{supplier}/request-changes/",
        None,
        (401, 403, 403, 422, 403),
    ),
    "suppliers.review_api:supplier-review-suspend": (
        "/api/v1/supplier-review/{supplier}/suspend/",
        None,
        (401, 403, 403, 422, 403),
    ),
    "suppliers.review_api:supplier-review-verify": (
        "/api/v1/supplier-review/{supplier}/verify/",
        None,
        (401, 403, 403, 200, 403),
    ),
    "suppliers.review_views:debar": (
        "/suppliers/review/{supplier}/debar/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "suppliers.review_views:detail": (
        "/suppliers/review/{supplier}/",
        (302, 403, 403, 200, 403),
        (405, 405, 405, 405, 405),
    ),
    "suppliers.review_views:end_debarment": (
        "/suppliers/review/{supplier}/end-debarment/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "suppliers.review_views:queue": (
        "/suppliers/review/",
        (302, 403, 403, 200, 403),
        (405, 405, 405, 405, 405),
    ),
    "suppliers.review_views:reinstate": (
        "/suppliers/review/{supplier}/reinstate/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 400, 403),
    ),
    "suppliers.review_views:request_changes": (
        "/suppliers/review/{supplier}/request-changes/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 400, 403),
    ),
    "suppliers.review_views:suspend": (
        "/suppliers/review/{supplier}/suspend/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 400, 403),
    ),
    "suppliers.review_views:verify": (
        "/suppliers/review/{supplier}/verify/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 409, 403),
    ),
    "suppliers.views:detail": (
        "/suppliers/{supplier}/",
        (302, 403, 403, 200, 200),
        (405, 405, 405, 405, 405),
    ),
    "suppliers.views:document_download": (
        "/suppliers/{supplier}/documents/{supplier_doc}/download/",
        (302, 403, 403, 200, 200),
        (405, 405, 405, 405, 405),
    ),
    "suppliers.views:mine": ("/suppliers/", (302, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "suppliers.views:register": (
        "/suppliers/register/",
        (302, 200, 200, 200, 200),
        (302, 200, 200, 200, 200),
    ),
    "suppliers.views:step_address": (
        "/suppliers/{supplier}/edit/address/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "suppliers.views:step_categories": (
        "/suppliers/{supplier}/edit/categories/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "suppliers.views:step_company": (
        "/suppliers/{supplier}/edit/company/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "suppliers.views:step_documents": (
        "/suppliers/{supplier}/edit/documents/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "suppliers.views:step_representatives": (
        "/suppliers/{supplier}/edit/representatives/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "suppliers.views:step_review": (
        "/suppliers/{supplier}/edit/review/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.api.buyer:tenders-api-approve": (
        "/api/v1/tenders/{draft}/approve/",
        None,
        (401, 404, 404, 404, 403),
    ),
    "tenders.api.buyer:tenders-api-cancel": (
        "/api/v1/tenders/{draft}/cancel/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-clarification-answer": (
        "/api/v1/tenders/{draft}/clarifications/{question}/answer/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-create": (
        "/api/v1/tenders/drafts/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-declare-unsuccessful": (
        "/api/v1/tenders/{draft}/declare-unsuccessful/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-invitation": (
        "/api/v1/tenders/{draft}/invitations/{asker}/",
        None,
        None,
    ),
    "tenders.api.buyer:tenders-api-invitations": (
        "/api/v1/tenders/{draft}/invitations/",
        (401, 404, 404, 404, 200),
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-item": (
        "/api/v1/tenders/{draft}/lots/{lot}/items/{item}/",
        None,
        None,
    ),
    "tenders.api.buyer:tenders-api-lot": ("/api/v1/tenders/{draft}/lots/{lot}/", None, None),
    "tenders.api.buyer:tenders-api-lot-items": (
        "/api/v1/tenders/{draft}/lots/{lot}/items/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-lots": (
        "/api/v1/tenders/{draft}/lots/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-outages": (
        "/api/v1/tenders/outages/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-return": (
        "/api/v1/tenders/{draft}/return/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.buyer:tenders-api-submit": (
        "/api/v1/tenders/{draft}/submit/",
        None,
        (401, 404, 404, 404, 403),
    ),
    "tenders.api.public:tenders-api-amendments": (
        "/api/v1/tenders/{draft}/amendments/",
        (404, 404, 404, 404, 404),
        (401, 404, 404, 404, 404),
    ),
    "tenders.api.public:tenders-api-clarifications": (
        "/api/v1/tenders/{draft}/clarifications/",
        (404, 404, 404, 404, 404),
        (401, 400, 400, 400, 400),
    ),
    "tenders.api.public:tenders-api-detail": (
        "/api/v1/tenders/{draft}/",
        (404, 404, 404, 404, 200),
        None,
    ),
    "tenders.api.public:tenders-api-documents": (
        "/api/v1/tenders/{draft}/documents/",
        (404, 404, 404, 404, 200),
        (401, 415, 415, 415, 415),
    ),
    "tenders.api.public:tenders-api-list": ("/api/v1/tenders/", (200, 200, 200, 200, 200), None),
    "tenders.api.public:tenders-api-units": (
        "/api/v1/tenders/units/",
        (200, 200, 200, 200, 200),
        None,
    ),
    "tenders.api.supplier:tenders-api-follow": (
        "/api/v1/tenders/{draft}/follow/",
        None,
        (401, 404, 404, 404, 404),
    ),
    "tenders.api.supplier:tenders-api-invited": (
        "/api/v1/tenders/invited/",
        (401, 200, 200, 200, 200),
        None,
    ),
    "tenders.api.supplier:tenders-api-mine-following": (
        "/api/v1/tenders/mine/following/",
        (401, 200, 200, 200, 200),
        None,
    ),
    "tenders.api.supplier:tenders-api-mine-matching": (
        "/api/v1/tenders/mine/matching/",
        (401, 200, 200, 200, 200),
        None,
    ),
    "tenders.api.supplier:tenders-api-mine-questions": (
        "/api/v1/tenders/mine/questions/",
        (401, 200, 200, 200, 200),
        None,
    ),
    "tenders.buyer_views.detail:amend": (
        "/buyer/tenders/{draft}/amend/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.detail:answer": (
        "/buyer/tenders/{draft}/clarifications/{clarification}/answer/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.detail:approve": (
        "/buyer/tenders/{draft}/approve/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.detail:cancel": (
        "/buyer/tenders/{draft}/cancel/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.detail:detail": (
        "/buyer/tenders/{draft}/",
        (302, 403, 403, 403, 200),
        (405, 405, 405, 405, 405),
    ),
    "tenders.buyer_views.detail:document_download": (
        "/buyer/tenders/{draft}/documents/{draft_doc}/download/",
        (404, 404, 404, 404, 200),
        (405, 405, 405, 405, 405),
    ),
    "tenders.buyer_views.detail:return": (
        "/buyer/tenders/{draft}/return/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.detail:submit": (
        "/buyer/tenders/{draft}/submit/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.detail:unsuccessful": (
        "/buyer/tenders/{draft}/unsuccessful/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.invitations:invitation_remove": (
        "/buyer/tenders/{draft}/invitations/remove/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.invitations:invitations": (
        "/buyer/tenders/{draft}/invitations/",
        (302, 403, 403, 403, 200),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.outages:outages": (
        "/buyer/tenders/outages/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:item_add": (
        "/buyer/tenders/{draft}/lots/{lot}/items/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:item_edit": (
        "/buyer/tenders/{draft}/items/{item}/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:item_remove": (
        "/buyer/tenders/{draft}/items/{item}/remove/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:list": (
        "/buyer/tenders/",
        (302, 403, 200, 403, 403),
        (405, 405, 405, 405, 405),
    ),
    "tenders.buyer_views.wizard:lot_edit": (
        "/buyer/tenders/{draft}/lots/{lot}/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:lot_remove": (
        "/buyer/tenders/{draft}/lots/{lot}/remove/",
        (405, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:new": (
        "/buyer/tenders/new/",
        (302, 403, 200, 403, 403),
        (302, 403, 200, 403, 403),
    ),
    "tenders.buyer_views.wizard:step_basics": (
        "/buyer/tenders/{draft}/basics/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:step_committees": (
        "/buyer/tenders/{draft}/committees/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:step_documents": (
        "/buyer/tenders/{draft}/documents/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:step_evaluation": (
        "/buyer/tenders/{draft}/evaluation/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:step_lots": (
        "/buyer/tenders/{draft}/lots/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:step_requirements": (
        "/buyer/tenders/{draft}/requirements/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.buyer_views.wizard:step_timeline": (
        "/buyer/tenders/{draft}/timeline/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.feeds:feed": ("/tenders/feed/", (200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "tenders.ocds_api:ocds-record": (
        "/api/v1/ocds/records/{ocid}/",
        (200, 200, 200, 200, 200),
        None,
    ),
    "tenders.ocds_api:ocds-release": (
        "/api/v1/ocds/releases/{release}/",
        (200, 200, 200, 200, 200),
        None,
    ),
    "tenders.ocds_api:ocds-releases": ("/api/v1/ocds/releases/", (200, 200, 200, 200, 200), None),
    "tenders.views:ask": (
        "/tenders/{published}/ask/",
        (302, 405, 405, 405, 405),
        (302, 403, 403, 403, 403),
    ),
    "tenders.views:follow": (
        "/tenders/{published}/follow/",
        (302, 405, 405, 405, 405),
        (302, 302, 302, 302, 302),
    ),
    "tenders.views:following": (
        "/tenders/following/",
        (302, 200, 200, 200, 200),
        (302, 405, 405, 405, 405),
    ),
    "tenders.views:invited": (
        "/tenders/invited/",
        (302, 200, 403, 403, 403),
        (302, 405, 405, 405, 405),
    ),
    # The opening committee's keys: nobody in the table sits on a committee.
    "tenders.member_key_views:opening_key": (
        "/tenders/opening-key/",
        (302, 403, 403, 403, 403),
        (302, 403, 403, 403, 403),
    ),
    "tenders.member_key_views:opening_key_download": (
        "/tenders/opening-key/{draft}.json",
        (302, 403, 403, 403, 403),
        (302, 405, 405, 405, 405),
    ),
    "tenders.api.member_keys:tenders-api-opening-key": (
        "/api/v1/tenders/opening-key/",
        (401, 403, 403, 403, 403),
        (401, 403, 403, 403, 403),
    ),
    "tenders.api.member_keys:tenders-api-opening-key-rotate": (
        "/api/v1/tenders/opening-key/rotate/",
        None,
        (401, 403, 403, 403, 403),
    ),
    "tenders.api.member_keys:tenders-api-opening-keys": (
        "/api/v1/tenders/opening-keys/",
        (401, 403, 403, 403, 403),
        None,
    ),
    "tenders.api.member_keys:tenders-api-key-shares": (
        "/api/v1/tenders/{draft}/key-shares/",
        (401, 404, 404, 404, 404),
        None,
    ),
    "tenders.views:list": ("/tenders/", (200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "tenders.views:matching": (
        "/tenders/matching/",
        (302, 200, 403, 403, 403),
        (302, 405, 405, 405, 405),
    ),
    "tenders.views:notice": (
        "/tenders/{ocid}/",
        (200, 200, 200, 200, 200),
        (405, 405, 405, 405, 405),
    ),
    "tenders.views:questions": (
        "/tenders/questions/",
        (302, 200, 403, 403, 403),
        (302, 405, 405, 405, 405),
    ),
    "tenders.views:unfollow": (
        "/tenders/{published}/unfollow/",
        (302, 405, 405, 405, 405),
        (302, 302, 302, 302, 302),
    ),
}


def test_every_route_of_suppliers_and_tenders_is_in_the_table():
    routes = app_routes()

    assert sorted(set(routes) - set(TABLE)) == [], "Add the new routes to TABLE"
    assert sorted(set(TABLE) - set(routes)) == [], "Remove the routes that are gone"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_path_is_its_route(name):
    from django.urls import resolve

    template, _get, _post = TABLE[name]
    path = template.format(**dict.fromkeys(PLACEHOLDERS, 1))
    match = resolve(path)

    assert f"{match.func.__module__}:{match.url_name}" == name


PLACEHOLDERS = (
    "draft",
    "published",
    "ocid",
    "lot",
    "item",
    "draft_doc",
    "clarification",
    "question",
    "asker",
    "release",
    "supplier",
    "supplier_doc",
)


def _check(response, expected: int, *, api: bool, anonymous: bool):
    assert response.status_code == expected
    if api and expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
    if not api and expected == 302 and anonymous:
        assert response["Location"].startswith("/accounts/login/?next=")


def _refused(status: int, *, api: bool, anonymous: bool) -> bool:
    if status == 302:
        return anonymous and not api
    return status in {400, 401, 403, 404, 405, 409, 415, 422}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_answers_each_outsider_as_the_table_says(client, persona):
    # given one buyer's tenders, one company's registration, and the outsider signed in
    people, values = build_world()
    if people[persona] is not None:
        login(client, people[persona])
    anonymous = people[persona] is None
    column = PERSONAS.index(persona)

    for name, (template, gets, posts) in sorted(TABLE.items()):
        path = template.format(**values)
        api = path.startswith("/api/")
        for method, expected in (("get", gets), ("post", posts)):
            if expected is None:
                continue
            status = expected[column]
            before = snapshot()

            # when
            response = run(client, method, path)

            # then the answer is the table's, and a refusal changed nothing
            try:
                _check(response, status, api=api, anonymous=anonymous)
            except AssertionError as exc:
                raise AssertionError(
                    f"{method.upper()} {path} ({name}) as {persona}: "
                    f"{response.status_code}, expected {status}"
                ) from exc
            if method == "post" and _refused(status, api=api, anonymous=anonymous):
                assert snapshot() == before, f"POST {path} as {persona} changed something"
