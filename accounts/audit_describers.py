"""How the audit trail's pages name people, organisations, memberships and API tokens.

Mapped to their object types in `settings.AUDIT_DESCRIBERS` (audit.describers).
"""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.describers import SEARCH_LIMIT, ModelDescriber, in_language
from audit.models import Person

from .models import ApiToken, Membership, Organisation, User


def numbers(ids) -> list[int]:
    """The ids that can be primary keys of an integer-keyed model."""
    return [int(i) for i in ids if str(i).isdigit()]


class UserDescriber(ModelDescriber):
    """A person's account, named as the trail's side table names them (blank once erased)."""

    model = User
    kind = _("Person")
    # A person has no state machine: their one "from"/"to" event is a change of language.
    transition_label = _("Language")

    def names(self, ids):
        people = Person.objects.filter(user_id__in=numbers(ids))
        return {
            str(person.user_id): str(_("Erased person")) if person.erased else str(person)
            for person in people
        }

    def search(self, text):
        return Person.objects.filter(
            Q(name__icontains=text) | Q(email__icontains=text), user__isnull=False
        ).values_list("user_id", flat=True)[:SEARCH_LIMIT]

    def value_label(self, field, value):
        if field == "state":
            return dict(settings.LANGUAGES).get(value)
        return super().value_label(field, value)


class OrganisationDescriber(ModelDescriber):
    model = Organisation
    kind = _("Organisation")

    def names(self, ids):
        return {
            str(organisation.pk): in_language(organisation, "name")
            for organisation in Organisation.objects.filter(pk__in=numbers(ids))
        }

    def search(self, text):
        return Organisation.objects.filter(
            Q(name__icontains=text) | Q(name_fa__icontains=text)
        ).values_list("pk", flat=True)[:SEARCH_LIMIT]


class MembershipDescriber(ModelDescriber):
    model = Membership
    kind = _("Role held")

    def names(self, ids):
        memberships = Membership.objects.filter(pk__in=numbers(ids)).select_related("organisation")
        return {
            str(membership.pk): (
                f"{membership.get_role_display()} · {in_language(membership.organisation, 'name')}"
            )
            for membership in memberships
        }


class ApiTokenDescriber(ModelDescriber):
    model = ApiToken
    kind = _("API token")

    def names(self, ids):
        return {
            str(token.pk): f"{token.name} (pnj_{token.prefix}_…)"
            for token in ApiToken.objects.filter(pk__in=numbers(ids))
        }
