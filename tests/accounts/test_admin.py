"""The Django admin for platform administrators: behind 2FA, and every change through a service."""

import pytest

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from accounts.services import api_token_create
from audit.models import Event
from tests.accounts.conftest import event_actions
from tests.factories import OrganisationFactory, UserFactory, login, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_member(Role.PLATFORM_ADMIN, is_staff=True)
    login(client, admin)
    client.admin = admin
    return client


def test_the_admin_signs_in_through_the_platform_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"


@pytest.mark.parametrize("role", [Role.SUPPLIER_ADMIN, Role.PROCUREMENT_OFFICER, Role.AUDITOR])
def test_a_signed_in_person_who_is_not_staff_is_refused_not_looped(client, role):
    login(client, make_member(role))
    before = Event.objects.count()

    response = client.get("/admin/", follow=True)

    # one hop to the admin's login, which refuses with the platform's own 403 page
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert '<h1 class="h3">Access denied</h1>' in response.content.decode()
    assert Event.objects.count() == before


def test_a_staff_admin_without_a_verified_session_is_sent_to_the_code_step(client):
    admin = make_member(Role.PLATFORM_ADMIN, is_staff=True)
    client.force_login(admin)

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/?next=%2Fadmin%2Faccounts%2Fuser%2F"


@pytest.mark.parametrize("model", ["user", "organisation", "membership", "apitoken"])
def test_the_lists_open(admin_client, model):
    assert admin_client.get(f"/admin/accounts/{model}/").status_code == 200


@pytest.mark.parametrize("model", ["user", "organisation", "membership", "apitoken"])
def test_staff_without_the_platform_admin_role_see_nothing(client, model):
    staff = make_member(Role.AUDITOR, is_staff=True)
    login(client, staff)

    assert client.get(f"/admin/accounts/{model}/").status_code == 403


def test_granting_a_membership_in_the_admin_goes_through_the_service(admin_client):
    person = UserFactory()
    entity = OrganisationFactory(kind=OrganisationKind.PROCURING_ENTITY)

    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": person.pk, "organisation": entity.pk, "role": Role.APPROVER},
    )

    assert response.status_code == 302
    assert Membership.objects.filter(user=person, organisation=entity, role="approver").exists()
    assert event_actions() == ["membership.granted"]
    assert Event.objects.get().actor_user == admin_client.admin


def test_a_role_that_does_not_fit_is_a_form_error(admin_client):
    person = UserFactory()
    supplier = OrganisationFactory(kind=OrganisationKind.SUPPLIER)

    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": person.pk, "organisation": supplier.pk, "role": Role.AUDITOR},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "role": ["This role cannot be given in this kind of organisation."]
    }
    assert not Membership.objects.filter(user=person).exists()
    assert Event.objects.count() == 0


def test_granting_a_held_role_again_is_a_form_error(admin_client):
    person = make_member(Role.BIDDER)
    supplier = person.memberships.get().organisation

    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": person.pk, "organisation": supplier.pk, "role": Role.BIDDER},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Membership with this User, Organisation and Role already exists."
    ]
    assert Membership.objects.filter(user=person).count() == 1
    assert Event.objects.count() == 0


def test_a_revoked_role_can_be_granted_again_in_the_admin(admin_client):
    person = make_member(Role.BIDDER)
    membership = person.memberships.get()
    Membership.objects.filter(pk=membership.pk).update(is_active=False)

    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": person.pk, "organisation": membership.organisation_id, "role": Role.BIDDER},
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is True
    assert Membership.objects.filter(user=person).count() == 1
    assert event_actions() == ["membership.granted"]


def test_a_refusal_from_the_service_is_shown_and_changes_nothing(admin_client, monkeypatch):
    # given a grant that the service refuses after the form accepted it (a race, say)
    from accounts import admin as accounts_admin
    from accounts.exceptions import MembershipExists

    def refuse(**kwargs):
        raise MembershipExists()

    monkeypatch.setattr(accounts_admin, "membership_grant", refuse)
    person = UserFactory()
    supplier = OrganisationFactory(kind=OrganisationKind.SUPPLIER)

    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": person.pk, "organisation": supplier.pk, "role": Role.BIDDER},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["This person already holds this role in this organisation."]
    assert not Membership.objects.filter(user=person).exists()
    assert Event.objects.count() == 0


def test_revoking_memberships_with_the_admin_action(admin_client):
    person = make_member(Role.EVALUATOR)
    membership = person.memberships.get()

    response = admin_client.post(
        "/admin/accounts/membership/",
        {"action": "revoke_memberships", "_selected_action": [membership.pk]},
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    assert event_actions() == ["membership.revoked"]


def test_creating_and_deactivating_an_organisation(admin_client):
    response = admin_client.post(
        "/admin/accounts/organisation/add/",
        {"kind": "procuring_entity", "name": "Ministry of Health", "name_fa": "", "country": "IR"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Ministry of Health")

    response = admin_client.post(
        f"/admin/accounts/organisation/{organisation.pk}/change/",
        {"name": "Ministry of Health", "name_fa": "وزارت بهداشت", "country": "IR"},
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name_fa == "وزارت بهداشت"
    assert organisation.is_active is False  # the unchecked box
    assert event_actions() == ["organisation.created", "organisation.updated"]
    assert Event.objects.last().payload == {
        "name_fa": {"from": "", "to": "وزارت بهداشت"},
        "is_active": {"from": True, "to": False},
    }


def test_deactivating_a_user(admin_client):
    person = UserFactory(name="Someone")

    response = admin_client.post(
        f"/admin/accounts/user/{person.pk}/change/", {"name": "Someone", "is_active": ""}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active is False
    assert event_actions() == ["user.updated"]
    assert Event.objects.get().payload == {"is_active": {"from": True, "to": False}}


def test_a_non_superuser_admin_cannot_make_staff(admin_client):
    person = UserFactory(name="Someone")

    admin_client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {"name": "Someone", "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )

    person.refresh_from_db()
    assert person.is_staff is False
    assert person.is_superuser is False
    assert Event.objects.count() == 0


def test_revoking_tokens_with_the_admin_action(admin_client):
    holder = UserFactory()
    token, _raw = api_token_create(actor=holder, name="leaked", expires_in_days=30)

    admin_client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert event_actions() == ["api_token.created", "api_token.revoked"]
    assert Event.objects.last().actor_user == admin_client.admin
    page = admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.token_hash not in page


def test_users_cannot_be_added_or_deleted_in_the_admin(admin_client):
    person = UserFactory()

    assert admin_client.get("/admin/accounts/user/add/").status_code == 403
    assert admin_client.post(f"/admin/accounts/user/{person.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=person.pk).exists()
