"""Suppliers: a company's one registration, its documents and its verification."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import TimeStampedModel
from core.storage import private_storage_callable


# States are adjectives: each label has its translation context (not the verbs
# "Verify", "Suspend", "Debar" of the officer's buttons).
class SupplierState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("supplier state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("supplier state", "Submitted for verification")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("supplier state", "Changes requested")
    VERIFIED = "verified", pgettext_lazy("supplier state", "Verified")
    SUSPENDED = "suspended", pgettext_lazy("supplier state", "Suspended")
    DEBARRED = "debarred", pgettext_lazy("supplier state", "Debarred")


class Supplier(FSMModelMixin, TimeStampedModel):
    """A company registered once, relied on for every tender."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="supplier",
        verbose_name=_("organisation"),
    )
    legal_name = models.CharField(_("legal name"), max_length=300)
    legal_name_fa = models.CharField(_("legal name in Persian"), max_length=300, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    tax_id = models.CharField(_("tax identification number"), max_length=64, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    address_line = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    cpv_codes = models.JSONField(_("business categories (CPV)"), default=list, blank=True)

    state = FSMField(
        _("state"), default=SupplierState.DRAFT, choices=SupplierState.choices, protected=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    suspension_reason = models.TextField(_("suspension reason"), blank=True)
    # Bilingual (core.bilingual): the reason in the language it was written in.
    debarment_reason = models.TextField(_("debarment reason in English"), blank=True)
    debarment_reason_fa = models.TextField(_("debarment reason in Persian"), blank=True)
    debarred_from = models.DateField(_("debarred from"), null=True, blank=True)
    debarred_until = models.DateField(_("debarred until"), null=True, blank=True)
    # Set by the daily expiry job while a required document has expired.
    documents_expired_since = models.DateField(
        _("required documents expired since"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                condition=~Q(registration_number=""),
                name="supplier_unique_registration_per_country",
            )
        ]

    def __str__(self):
        return self.legal_name

    # --- state machine: only services call these (see suppliers/services.py) ---

    @transition(
        field=state,
        source=[SupplierState.DRAFT, SupplierState.CHANGES_REQUESTED],
        target=SupplierState.SUBMITTED,
    )
    def submit(self, *, at):
        self.submitted_at = at

    @transition(field=state, source=SupplierState.SUBMITTED, target=SupplierState.CHANGES_REQUESTED)
    def request_changes(self):
        pass

    @transition(field=state, source=SupplierState.SUBMITTED, target=SupplierState.VERIFIED)
    def verify(self, *, at):
        self.verified_at = at

    @transition(field=state, source=SupplierState.VERIFIED, target=SupplierState.SUSPENDED)
    def suspend(self, *, grounds):
        self.suspension_reason = grounds

    @transition(field=state, source=SupplierState.SUSPENDED, target=SupplierState.VERIFIED)
    def reinstate(self):
        self.suspension_reason = ""

    @transition(
        field=state,
        source=[SupplierState.VERIFIED, SupplierState.SUSPENDED],
        target=SupplierState.DEBARRED,
    )
    def debar(self, *, grounds, start, until, grounds_fa=""):
        self.debarment_reason = grounds
        self.debarment_reason_fa = grounds_fa
        self.debarred_from = start
        self.debarred_until = until
        self.suspension_reason = ""

    @transition(field=state, source=SupplierState.DEBARRED, target=SupplierState.VERIFIED)
    def end_debarment(self):
        self.debarment_reason = ""
        self.debarment_reason_fa = ""
        self.debarred_from = None
        self.debarred_until = None


class DocumentKind(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration_certificate", _("Registration certificate")
    TAX_CLEARANCE = "tax_clearance", _("Tax clearance certificate")
    SOCIAL_SECURITY = "social_security", _("Social security clearance")
    LICENCE = "licence", _("Professional licence")
    ARTICLES_OF_ASSOCIATION = "articles_of_association", _("Articles of association")
    FINANCIAL_STATEMENT = "financial_statement", _("Financial statement")
    OTHER = "other", _("Other document")


def document_upload_to(instance, filename):
    """A server-generated name: the uploaded name is kept only as data."""
    return f"suppliers/{instance.supplier_id}/{uuid.uuid4().hex}"


class SupplierDocument(TimeStampedModel):
    """One version of one kind of document. New versions never overwrite old ones."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="documents", verbose_name=_("supplier")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current version"), default=True)
    file = models.FileField(
        _("file"), storage=private_storage_callable, upload_to=document_upload_to, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # The day the expiry warning was sent, so it is sent once per version.
    expiry_warned_on = models.DateField(_("expiry warning sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "kind", "version"], name="supplier_document_unique_version"
            ),
            models.UniqueConstraint(
                fields=["supplier", "kind"],
                condition=Q(is_current=True),
                name="supplier_document_one_current_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class ChangeRequest(TimeStampedModel):
    """An officer's request for changes, with a reason per field or document."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="change_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.supplier} · {self.created_at:%Y-%m-%d}"


class ChangeRequestItem(models.Model):
    class Target(models.TextChoices):
        FIELD = "field", _("Field")
        DOCUMENT = "document", _("Document")

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="items"
    )
    target_type = models.CharField(_("about a"), max_length=10, choices=Target.choices)
    # A field name of Supplier, or a DocumentKind value.
    target = models.CharField(_("what"), max_length=64)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("requested change")
        verbose_name_plural = _("requested changes")

    def __str__(self):
        return f"{self.target}: {self.reason}"
