"""The one-window dashboard: what needs the user's action, from every app, by urgency."""

import pytest
from django.urls import reverse

from accounts.models import OrganisationKind, Role
from core.dashboard import ActionItem
from home import dashboard
from tests.factories import OrganisationFactory, UserFactory, login, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(monkeypatch):
    """The only panel of the dashboard during one test: it shows `panel.items[user.pk]`.

    The apps' own panels are set aside so that the test sees exactly its items;
    the list is restored afterwards.
    """
    items_by_user = {}

    def test_panel(user):
        return items_by_user.get(user.pk, [])

    test_panel.items = items_by_user
    monkeypatch.setattr(dashboard, "PANELS", (test_panel,))
    return test_panel


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    # given an anonymous visitor
    # when they open the dashboard
    response = client.get("/dashboard/")

    # then they are sent to the login page, to come back afterwards
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/dashboard/"


def test_a_user_sees_the_items_a_panel_returns_grouped_by_urgency(client, panel):
    # given a panel with an urgent, an informative and a pressing item for one user
    user = UserFactory()
    panel.items[user.pk] = [
        ActionItem(title="Read the amended notice", url="/t/9/", level="info"),
        ActionItem(
            title="Sign the contract", detail="Deadline today", url="/c/1/", count=2, level="danger"
        ),
        ActionItem(title="Renew your tax clearance", level="warning"),
    ]
    login(client, user)

    # when they open the dashboard
    response = client.get("/dashboard/")

    # then the items appear under their urgency, the most urgent first
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a class="fw-semibold" href="/c/1/">Sign the contract</a>' in html
    assert '<div class="small">Deadline today</div>' in html
    assert '<bdi dir="ltr">2</bdi>' in html
    assert '<span class="fw-semibold">Renew your tax clearance</span>' in html
    assert '<a class="fw-semibold" href="/t/9/">Read the amended notice</a>' in html
    positions = [
        html.index("Needs your action now"),
        html.index("Sign the contract"),
        html.index("Needs your action soon"),
        html.index("Renew your tax clearance"),
        html.index("For your information"),
        html.index("Read the amended notice"),
    ]
    assert positions == sorted(positions)
    assert [item.title for item in response.context["groups"][0]["items"]] == ["Sign the contract"]
    assert "Nothing needs your action right now." not in html


def test_a_user_does_not_see_another_users_items(client, panel):
    # given an item for one user only
    owner, other = UserFactory(), UserFactory()
    panel.items[owner.pk] = [ActionItem(title="Answer the clarification", level="warning")]
    login(client, other)

    # when another user opens the dashboard
    response = client.get("/dashboard/")

    # then they see the empty state, not the item
    html = response.content.decode()
    assert "Answer the clarification" not in html
    assert "Nothing needs your action right now." in html


def test_the_empty_state_when_nothing_needs_action(client, panel):
    # given a user nobody needs anything from
    user = UserFactory()
    login(client, user)

    # when they open the dashboard
    response = client.get("/dashboard/")

    # then the page says so, and that they hold no role yet
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "Nothing needs your action right now." in html
    assert "You do not hold a role in any organisation yet." in html


def test_the_dashboard_lists_the_users_organisations_and_roles(client):
    # given a user who is a bidder for one supplier and an evaluator for a buyer
    supplier = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="Atlas Trading")
    buyer = OrganisationFactory(
        kind=OrganisationKind.PROCURING_ENTITY, name="Ministry of Roads", name_fa="وزارت راه"
    )
    user = make_member(Role.BIDDER, organisation=supplier)
    make_member(Role.EVALUATOR, organisation=buyer, user=user)
    revoked = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="Old Company")
    make_member(Role.SUPPLIER_ADMIN, organisation=revoked, user=user)
    user.memberships.filter(organisation=revoked).update(is_active=False)
    login(client, user)

    # when they open the dashboard in English, then in Persian
    english = client.get("/dashboard/").content.decode()
    persian = client.get("/dashboard/", headers={"accept-language": "fa"}).content.decode()

    # then each active membership shows its organisation, role and kind
    assert '<span class="fw-semibold">Atlas Trading</span>' in english
    assert "Bidder · Supplier" in english
    assert '<span class="fw-semibold">Ministry of Roads</span>' in english
    assert "Evaluator · Procuring entity" in english
    assert "Old Company" not in english
    assert '<span class="fw-semibold">وزارت راه</span>' in persian
    assert "ارزیاب · دستگاه مناقصه‌گزار" in persian


def test_an_item_of_an_unplanned_level_is_shown_as_information(client, panel):
    # given a panel that returns an item with a level the dashboard does not know
    user = UserFactory()
    panel.items[user.pk] = [ActionItem(title="Try the new search", level="success")]
    login(client, user)

    # when the user opens the dashboard
    response = client.get("/dashboard/")

    # then the item is still shown, under information
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(group["level"], [item.title for item in group["items"]]) for group in groups] == [
        ("info", ["Try the new search"])
    ]
