"""Factories for the accounts every test needs: users, organisations, roles."""

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import TWO_FACTOR_ROLES, Membership, Organisation, OrganisationKind, Role, User

KIND_OF_ROLE = {
    Role.SUPPLIER_ADMIN: OrganisationKind.SUPPLIER,
    Role.BIDDER: OrganisationKind.SUPPLIER,
    Role.PROCUREMENT_OFFICER: OrganisationKind.PROCURING_ENTITY,
    Role.COMMITTEE_MEMBER: OrganisationKind.PROCURING_ENTITY,
    Role.EVALUATOR: OrganisationKind.PROCURING_ENTITY,
    Role.APPROVER: OrganisationKind.PROCURING_ENTITY,
    Role.CONTRACT_MANAGER: OrganisationKind.PROCURING_ENTITY,
    Role.AUDITOR: OrganisationKind.OVERSIGHT,
    Role.VERIFIER: OrganisationKind.OVERSIGHT,
    Role.PLATFORM_ADMIN: OrganisationKind.OVERSIGHT,
}

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.PROCURING_ENTITY
    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "IR"


def make_member(role: str, *, organisation=None, user=None, totp=True, **user_fields):
    """A user holding `role` in an organisation of the right kind.

    Roles that need two-factor authentication get a confirmed TOTP device
    unless `totp=False`.
    """
    organisation = organisation or OrganisationFactory(kind=KIND_OF_ROLE[Role(role)])
    user = user or UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if totp and role in TWO_FACTOR_ROLES and not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def login(client, user):
    """Log `user` in on the test client, second factor included when they have one."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
