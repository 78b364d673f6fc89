"""`manage.py two_factor_enrolment EMAIL`: an administrator's one-time enrolment link.

For an official who cannot receive the e-mailed link (the first superuser made
with `createsuperuser`, an address not verified yet, a lost mailbox): an
administrator checks who they are, runs this, and hands the printed link over.
The link works once, for that account only, after its password, and expires
after TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES. It is on the audit trail as
`user.two_factor_enrolment_issued` (by the platform administrator named with
--by, or by the operator).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.emails import enrolment_url
from accounts.models import User, normalise_email
from accounts.services import two_factor_enrolment_issue
from core.exceptions import DomainError


class Command(BaseCommand):
    help = "Print a one-time link with which a user sets up their authenticator."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account that sets up an authenticator.")
        parser.add_argument(
            "--by", metavar="EMAIL", help="The platform administrator issuing it (recorded)."
        )

    def handle(self, *args, email, by=None, **options):
        user = User.objects.filter(email__iexact=normalise_email(email), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with the address {email}.")
        actor = None
        if by:
            actor = User.objects.filter(email__iexact=normalise_email(by), is_active=True).first()
            if actor is None:
                raise CommandError(f"No active account with the address {by}.")
        try:
            enrolment, token = two_factor_enrolment_issue(user=user, actor=actor)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(enrolment_url(token))
        self.stderr.write(
            f"Works once, for {user.email} after their password, until "
            f"{enrolment.expires_at.isoformat()} "
            f"({settings.TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES} minutes)."
        )
