from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin, _user_has_perm
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import TimeStampedModel


def normalise_email(email: str) -> str:
    """The one spelling of an address that the platform stores and compares."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Addresses are stored lower-case; signing in is case-insensitive.
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an email address; acts through memberships."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=8, blank=True)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def audit_repr(self) -> str:
        """How the audit trail names a user: by number; the name is personal data."""
        return f"user #{self.pk}"

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_perm(self, perm, obj=None):
        """Django's answer, except that Panjere's named permissions obey their rules alone.

        Django lets an active superuser hold every permission; Panjere's
        (accounts.permissions.Perm) still ask for a verified address and keep
        organisation scoping, so they go to the backends (the rules) directly.
        """
        from .permissions import Perm

        if perm in Perm._value2member_map_:
            return _user_has_perm(self, perm, obj)
        return super().has_perm(perm, obj)


class OrganisationKind(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier")
    PROCURING_ENTITY = "procuring_entity", _("Procuring entity")
    OVERSIGHT = "oversight", _("Oversight body")


class Role(models.TextChoices):
    SUPPLIER_ADMIN = "supplier_admin", _("Supplier administrator")
    BIDDER = "bidder", _("Bidder")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    EVALUATOR = "evaluator", _("Evaluator")
    APPROVER = "approver", _("Approver")
    CONTRACT_MANAGER = "contract_manager", _("Contract manager")
    AUDITOR = "auditor", _("Auditor")
    VERIFIER = "verifier", _("Verifying officer")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# Which roles each kind of organisation can give its members.
ROLES_BY_KIND = {
    OrganisationKind.SUPPLIER: {Role.SUPPLIER_ADMIN, Role.BIDDER},
    OrganisationKind.PROCURING_ENTITY: {
        Role.PROCUREMENT_OFFICER,
        Role.COMMITTEE_MEMBER,
        Role.EVALUATOR,
        Role.APPROVER,
        Role.CONTRACT_MANAGER,
    },
    OrganisationKind.OVERSIGHT: {Role.AUDITOR, Role.VERIFIER, Role.PLATFORM_ADMIN},
}
# Every buyer-side, oversight and auditor role must use two-factor authentication.
TWO_FACTOR_ROLES = (
    ROLES_BY_KIND[OrganisationKind.PROCURING_ENTITY] | ROLES_BY_KIND[OrganisationKind.OVERSIGHT]
)


class Organisation(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=300)
    name_fa = models.CharField(_("name in Persian"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, default="IR")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(TimeStampedModel):
    """A user's role in an organisation. One row per role held."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def audit_repr(self) -> str:
        """How the audit trail names it: the role's code, the user by number, the organisation."""
        return f"user #{self.user_id} · {self.role} · {self.organisation}"


class ApiToken(TimeStampedModel):
    """A personal API token. Only its SHA-256 is stored; the holder sees it once.

    The token reads `pnj_<prefix>_<secret>`; the prefix finds the row, the hash
    of the whole token proves it.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Whether the session that made it had passed two-factor authentication. A
    # token made without it never serves a user whose roles require 2FA.
    second_factor_verified = models.BooleanField(
        _("made with two-factor authentication"), default=False
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} (pnj_{self.prefix}_…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class EnrolmentMethod(models.TextChoices):
    EMAIL = "email", _("one-time link sent to the verified email address")
    ADMINISTRATOR = "administrator", _("one-time link issued by an administrator")


class TwoFactorEnrolment(TimeStampedModel):
    """A second proof, besides the password, that lets a user set up an authenticator.

    Its link (signed with the secret key, naming this row) works once and only
    until `expires_at`; opening it in a session lets that session, signed in as
    `user`, confirm one authenticator.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("user")
    )
    method = models.CharField(_("method"), max_length=16, choices=EnrolmentMethod.choices)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor enrolment")
        verbose_name_plural = _("two-factor enrolments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.get_method_display()})"


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MembershipInvitation(FSMModelMixin, TimeStampedModel):
    """An offer of a role in an organisation, which the person accepts or declines.

    Nobody is attached to an organisation by their e-mail address alone: the
    membership exists only once the invited person has accepted, signed in.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="membership_invitations",
        verbose_name=_("invited person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=InvitationState.choices,
        default=InvitationState.PENDING,
        protected=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(state="pending"),
                name="membership_invitation_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def audit_repr(self) -> str:
        """How the audit trail names it: the role's code, the user by number, the organisation."""
        return f"invitation of user #{self.user_id} · {self.role} · {self.organisation}"

    @transition(field=state, source=InvitationState.PENDING, target=InvitationState.ACCEPTED)
    def accept(self, *, at):
        self.decided_at = at

    @transition(field=state, source=InvitationState.PENDING, target=InvitationState.DECLINED)
    def decline(self, *, at):
        self.decided_at = at
