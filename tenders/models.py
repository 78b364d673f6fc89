"""Tenders: the notice, its lots, its committees, its amendments and clarifications.

The tender's lifecycle is the `state` field below; only the services in
`tenders/services/` call its transitions (through `audit.transitions.run_transition`,
which saves the state and writes the audit event in one transaction).
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from core import bilingual, units
from core.exactjson import ExactJSONDecoder, ExactJSONEncoder
from core.models import TimeStampedModel
from core.money import AmountField, CurrencyField, MoneyField
from core.storage import private_storage_callable

# The text search configuration of the public search: "simple", as PostgreSQL has no
# Persian stemmer (tenders.selectors.search_public_tenders uses the same).
SEARCH_CONFIG = "simple"


# A state is an adjective ("Open" the state, not "Open" the button): each label has its
# translation context, so that Persian reads «بسته‌شده», never the verb.
class TenderState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("tender state", "Draft")
    AWAITING_APPROVAL = "awaiting_approval", pgettext_lazy("tender state", "Awaiting approval")
    PUBLISHED = "published", pgettext_lazy("tender state", "Published")
    CLOSED = "closed", pgettext_lazy("tender state", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("tender state", "Cancelled")
    UNSUCCESSFUL = "unsuccessful", pgettext_lazy("tender state", "Unsuccessful")


# States in which a tender that was published stays public (a draft cancelled before
# publication is in `cancelled` too, but was never public: see `Tender.is_public`).
PUBLIC_STATES = (
    TenderState.PUBLISHED,
    TenderState.CLOSED,
    TenderState.CANCELLED,
    TenderState.UNSUCCESSFUL,
)


class ProcurementMethod(models.TextChoices):
    # «باز», the open procedure, not «باز کردن», the verb.
    OPEN = "open", pgettext_lazy("procurement method", "Open")
    RESTRICTED = "restricted", pgettext_lazy("procurement method", "Restricted")
    RFQ = "rfq", _("Request for quotations")


class MainCategory(models.TextChoices):
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    SERVICES = "services", _("Services")


class EnvelopeScheme(models.TextChoices):
    SINGLE = "single", _("Single envelope")
    TWO = "two", _("Two envelopes: technical, then financial")


class EvaluationMethod(models.TextChoices):
    LOWEST_PRICE = "lowest_price", _("Lowest evaluated price")
    WEIGHTED_SCORING = "weighted_scoring", _("Weighted scoring")
    QCBS = "qcbs", _("Quality- and cost-based selection")


class Tender(FSMModelMixin, TimeStampedModel):
    """A procuring entity's call for bids, from its draft to its closing."""

    buyer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="tenders",
        verbose_name=_("buyer"),
    )
    reference = models.CharField(_("reference"), max_length=48, unique=True)
    # OCDS open contracting id: TENDER_OCID_PREFIX + "-" + reference, fixed at creation.
    ocid = models.CharField(_("OCID"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_fa = models.CharField(_("title in Persian"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_fa = models.TextField(_("description in Persian"), blank=True)
    procurement_method = models.CharField(
        _("procurement method"), max_length=16, choices=ProcurementMethod.choices
    )
    main_category = models.CharField(
        _("main category"), max_length=16, choices=MainCategory.choices
    )
    cpv_code = models.CharField(_("CPV code"), max_length=10)
    additional_cpv_codes = models.JSONField(_("additional CPV codes"), default=list, blank=True)
    # " 45233120-6 45000000-7": every code, each after a space, for prefix matching in SQL.
    cpv_index = models.CharField(_("CPV index"), max_length=2000, editable=False, db_index=True)
    # Each amount with its currency (core.money): the lots' values are in the estimate's
    # currency too (tenders.selectors.lot_values).
    estimated_value_amount = AmountField(_("estimated value"))
    estimated_value_currency = CurrencyField(_("currency of the estimated value"))
    estimated_value = MoneyField()
    document_fee_amount = AmountField(_("document fee"), default=0)
    document_fee_currency = CurrencyField(_("document fee currency"))
    document_fee = MoneyField()
    envelope_scheme = models.CharField(
        _("envelope scheme"),
        max_length=8,
        choices=EnvelopeScheme.choices,
        default=EnvelopeScheme.SINGLE,
    )
    evaluation_method = models.CharField(
        _("evaluation method"),
        max_length=20,
        choices=EvaluationMethod.choices,
        default=EvaluationMethod.LOWEST_PRICE,
    )
    # {"criteria": [{"name": ..., "weight": ...}], "technical_threshold": ...}
    evaluation_config = models.JSONField(
        _("evaluation configuration"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    # suppliers.models.DocumentKind values every bidder must hold, and what it must declare.
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    # Bilingual (core.bilingual): the list in English and the list in Persian.
    required_declarations = models.JSONField(
        _("required declarations in English"), default=list, blank=True
    )
    required_declarations_fa = models.JSONField(
        _("required declarations in Persian"), default=list, blank=True
    )

    clarification_deadline = models.DateTimeField(
        _("clarification deadline"), null=True, blank=True
    )
    submission_deadline = models.DateTimeField(
        _("submission deadline"), null=True, blank=True, db_index=True
    )
    opening_at = models.DateTimeField(_("opening time"), null=True, blank=True)

    opening_threshold = models.PositiveSmallIntegerField(
        _("opening threshold (k of n)"), null=True, blank=True
    )
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CommitteeMembership",
        related_name="tender_committees",
        verbose_name=_("committee members"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders_to_approve",
        verbose_name=_("approver"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tenders_created",
        verbose_name=_("procurement officer"),
    )

    state = FSMField(
        _("state"), default=TenderState.DRAFT, choices=TenderState.choices, protected=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted for approval by"),
    )
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    # The approver's reasons the last time the tender was returned to its officer.
    return_reasons = models.TextField(_("reasons for returning"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Public: shown on the notice.
    # Bilingual (core.bilingual): the reason in English, in Persian, or both.
    cancellation_reason = models.TextField(_("reason for cancellation in English"), blank=True)
    cancellation_reason_fa = models.TextField(_("reason for cancellation in Persian"), blank=True)
    unsuccessful_reason = models.TextField(_("reason the tender was unsuccessful"), blank=True)
    # The public search's document (titles and descriptions in both languages), kept by the
    # database trigger below on PostgreSQL, with a GIN index (migration 0005, PostgreSQL
    # only); always empty on SQLite, which searches with icontains
    # (tenders.selectors.search_public_tenders).
    search_document = SearchVectorField(_("search document"), null=True, editable=False)

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value_amount__gte=0),
                name="tender_estimated_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(document_fee_amount__gte=0), name="tender_document_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(opening_threshold__isnull=True) | Q(opening_threshold__gte=2),
                name="tender_opening_threshold_at_least_two",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submission_deadline"], name="tender_due_idx"),
            # The public list's order among public tenders (selectors.public_tenders): pages
            # read the index in order, deep pages skip over it without touching the table.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="tender_public_order_idx",
                condition=Q(state__in=PUBLIC_STATES, published_at__isnull=False),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="search_document",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=(
                    f"NEW.search_document := to_tsvector('{SEARCH_CONFIG}', "
                    "coalesce(NEW.title, '') || ' ' || coalesce(NEW.title_fa, '') || ' ' || "
                    "coalesce(NEW.description, '') || ' ' || coalesce(NEW.description_fa, '')); "
                    "RETURN NEW;"
                ),
            )
        ]

    def __str__(self):
        return f"{self.reference} · {self.title}"

    def save(self, *args, **kwargs):
        # The CPV index follows the codes it is made of, whoever saves them.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"cpv_code", "additional_cpv_codes"} & set(update_fields):
            self.cpv_index = "".join(f" {code}" for code in self.cpv_codes)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "cpv_index"}
        super().save(*args, **kwargs)

    @property
    def organisation_id(self):
        """The organisation whose roles act on the tender (accounts.permissions)."""
        return self.buyer_id

    @property
    def cpv_codes(self) -> list[str]:
        return [self.cpv_code, *(c for c in self.additional_cpv_codes if c != self.cpv_code)]

    @property
    def is_public(self) -> bool:
        """Whether the public may read it: published once, whatever happened since."""
        return self.published_at is not None and self.state in PUBLIC_STATES

    # --- state machine: only services call these (see tenders/services/) ---

    @transition(field=state, source=TenderState.DRAFT, target=TenderState.AWAITING_APPROVAL)
    def submit_for_approval(self, *, by, at):
        self.submitted_by = by
        self.submitted_at = at

    @transition(field=state, source=TenderState.AWAITING_APPROVAL, target=TenderState.DRAFT)
    def return_to_draft(self, *, reasons):
        self.return_reasons = reasons

    @transition(field=state, source=TenderState.AWAITING_APPROVAL, target=TenderState.PUBLISHED)
    def approve_and_publish(self, *, by, at):
        self.approved_by = by
        self.published_at = at
        self.return_reasons = ""

    @transition(field=state, source=TenderState.PUBLISHED, target=TenderState.CLOSED)
    def close(self, *, at):
        self.closed_at = at

    @transition(field=state, source=TenderState.CLOSED, target=TenderState.PUBLISHED)
    def reopen_after_outage(self):
        """Only the outage rule reopens: a deadline that passed while the platform was down."""
        self.closed_at = None

    @transition(
        field=state,
        source=[
            TenderState.DRAFT,
            TenderState.AWAITING_APPROVAL,
            TenderState.PUBLISHED,
            TenderState.CLOSED,
        ],
        target=TenderState.CANCELLED,
    )
    def cancel(self, *, grounds, at, grounds_fa=""):
        self.cancellation_reason = grounds
        self.cancellation_reason_fa = grounds_fa
        self.cancelled_at = at

    @transition(field=state, source=TenderState.CLOSED, target=TenderState.UNSUCCESSFUL)
    def declare_unsuccessful(self, *, grounds):
        self.unsuccessful_reason = grounds


class CommitteeKind(models.TextChoices):
    OPENING = "opening", _("Opening committee")
    EVALUATION = "evaluation", _("Evaluation committee")


class CommitteeMembership(models.Model):
    tender = models.ForeignKey(
        Tender,
        on_delete=models.CASCADE,
        related_name="committee_memberships",
        verbose_name=_("tender"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tender_committee_memberships",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("committee"), max_length=16, choices=CommitteeKind.choices)

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "user", "kind"], name="committee_membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"

    def audit_repr(self) -> str:
        """How the audit trail names it: without the member's name (personal data)."""
        return f"{self.kind} committee member #{self.user_id}"


class Lot(TimeStampedModel):
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="lots", verbose_name=_("tender")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    # Bilingual (core.bilingual): English and Persian, at least one title.
    title = models.CharField(_("title in English"), max_length=300, blank=True)
    title_fa = models.CharField(_("title in Persian"), max_length=300, blank=True)
    description = models.TextField(_("description in English"), blank=True)
    description_fa = models.TextField(_("description in Persian"), blank=True)
    estimated_value_amount = AmountField(_("estimated value"))
    estimated_value_currency = CurrencyField(_("currency of the estimated value"))
    estimated_value = MoneyField()
    bid_security_amount = AmountField(_("bid security amount"), default=0)
    bid_security_currency = CurrencyField(_("bid security currency"))
    bid_security = MoneyField()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="lot_unique_number"),
            models.CheckConstraint(
                condition=Q(estimated_value_amount__gte=0), name="lot_estimated_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(bid_security_amount__gte=0), name="lot_bid_security_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {bilingual.both(self.title, self.title_fa)}"


class Item(models.Model):
    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, related_name="items", verbose_name=_("lot")
    )
    # Bilingual (core.bilingual): English and Persian, at least one.
    description = models.CharField(_("description in English"), max_length=500, blank=True)
    description_fa = models.CharField(_("description in Persian"), max_length=500, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    # A UN/ECE Recommendation 20 code (core.units); an item written before the
    # list keeps its free text when no code matched it.
    unit = models.CharField(
        _("unit"), max_length=32, help_text=_("UN/ECE Recommendation 20 code, such as KGM or MTK.")
    )
    cpv_code = models.CharField(_("CPV code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["lot", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="item_quantity_positive"),
        ]

    def __str__(self):
        description = bilingual.both(self.description, self.description_fa)
        return f"{description} ({self.quantity} {self.unit})"

    @property
    def unit_is_coded(self) -> bool:
        return units.is_valid(self.unit)

    @property
    def unit_label(self) -> str:
        """The unit's name in the active language (the free text of an uncoded one)."""
        return units.label(self.unit)


class Amendment(models.Model):
    """A numbered, dated corrigendum to a published tender, with what it changed."""

    tender = models.ForeignKey(
        Tender, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("tender")
    )
    number = models.PositiveIntegerField(_("number"))
    # The database time of the amending transaction (set by the service).
    created_at = models.DateTimeField(_("amended at"))
    # None when the platform itself amended (the outage rule).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("amended by"),
    )
    # Bilingual (core.bilingual): English, Persian or both.
    summary = models.CharField(_("summary in English"), max_length=500, blank=True)
    summary_fa = models.CharField(_("summary in Persian"), max_length=500, blank=True)
    material = models.BooleanField(_("material"), default=False)
    # {field: {"from": old, "to": new}} in JSON values (datetimes ISO 8601 UTC, money as
    # core.money.money_json's {"amount": "12.50", "currency": "EUR"}).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    notice = models.TextField(_("notice in English"), blank=True)
    notice_fa = models.TextField(_("notice in Persian"), blank=True)
    outage = models.ForeignKey(
        "Outage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("outage"),
    )

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="amendment_unique_number"),
        ]

    def __str__(self):
        return f"{self.tender.reference} amendment {self.number}"


class Clarification(models.Model):
    """A supplier's question and the officer's answer. The asker is never public."""

    tender = models.ForeignKey(
        Tender, on_delete=models.PROTECT, related_name="clarifications", verbose_name=_("tender")
    )
    number = models.PositiveIntegerField(_("number"))
    # Private: never shown to the public or to other suppliers.
    asked_by_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by (organisation)"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    # Bilingual (core.bilingual): each text in the language it was written in.
    question = models.TextField(_("question in English"), blank=True)
    question_fa = models.TextField(_("question in Persian"), blank=True)
    asked_at = models.DateTimeField(_("asked at"))
    answer = models.TextField(_("answer in English"), blank=True)
    answer_fa = models.TextField(_("answer in Persian"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "number"], name="clarification_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.tender.reference} Q{self.number}"


class Outage(models.Model):
    """A window in which the platform was unavailable, recorded by a platform administrator."""

    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="outage_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"


class Follow(models.Model):
    """A user who wants to hear about every change to a tender."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tender_follows",
        verbose_name=_("user"),
    )
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="follows", verbose_name=_("tender")
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "tender"], name="follow_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.tender.reference}"

    def audit_repr(self) -> str:
        """How the audit trail names it: without the follower's name (personal data)."""
        return f"follower #{self.user_id} → {self.tender.reference}"


class ReminderKind(models.TextChoices):
    DAY = "24h", _("24 hours before the submission deadline")
    HOUR = "1h", _("1 hour before the submission deadline")


class TenderReminder(models.Model):
    """A deadline reminder sent to a follower: one row per tender, user and kind, ever."""

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("tender")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tender_reminders",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=ReminderKind.choices)
    # The submission deadline the reminder was about (an amendment may move it).
    deadline = models.DateTimeField(_("submission deadline"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "user", "kind"], name="tender_reminder_unique"
            ),
        ]

    def __str__(self):
        return f"{self.tender_id} · {self.user_id} · {self.kind}"


class Release(models.Model):
    """An OCDS release, frozen as published: the open-data trace of one change to a tender.

    Written by `tenders.ocds.release_record` in the transaction of the service
    that made the change; never updated afterwards.
    """

    tender = models.ForeignKey(
        Tender, on_delete=models.PROTECT, related_name="releases", verbose_name=_("tender")
    )
    ocid = models.CharField(_("OCID"), max_length=100, db_index=True)
    # 1, 2, 3… per tender: the order in which its releases were made.
    sequence = models.PositiveIntegerField(_("sequence"))
    release_id = models.CharField(_("release id"), max_length=160, unique=True)
    tag = models.CharField(_("tag"), max_length=32)
    date = models.DateTimeField(_("date"), db_index=True)
    amendment = models.OneToOneField(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="release",
        verbose_name=_("amendment"),
    )
    # Amounts are JSON numbers written exactly, and read back as Decimals (core.exactjson).
    data = models.JSONField(_("release"), encoder=ExactJSONEncoder, decoder=ExactJSONDecoder)

    class Meta:
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "sequence"], name="release_unique_sequence"),
        ]

    def __str__(self):
        return self.release_id


class ReleaseHead(models.Model):
    """How many OCDS releases have been published: one row, advanced with every release.

    `tenders.ocds.release_record` advances it in the transaction that stores
    the release, holding the audit chain head's lock first (`audit.services.hold_chain`),
    so the count grows in commit order: a reader who sees N sees every release
    counted up to N. The public list keys what it reuses on it: every change
    the public sees publishes a release, and nothing else moves it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    count = models.BigIntegerField(_("releases published"), default=0)

    class Meta:
        verbose_name = _("OCDS releases published")

    def __str__(self):
        return str(self.count)


def tender_document_path(instance, filename):
    # The stored name is never the uploaded one: that is kept as data (original_name).
    return f"tenders/{instance.tender_id}/{instance.sha256}"


class TenderDocument(models.Model):
    """One version of a tender document. Public once the tender is; SHA-256 shown on the notice."""

    tender = models.ForeignKey(
        Tender, on_delete=models.PROTECT, related_name="documents", verbose_name=_("tender")
    )
    # The title that names the document across its versions, in the language it
    # was written in; title_fa, its Persian beside an English one (core.bilingual).
    title = models.CharField(_("title"), max_length=300)
    title_fa = models.CharField(_("title in Persian"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current version"), default=True)
    file = models.FileField(
        _("file"),
        upload_to=tender_document_path,
        storage=private_storage_callable,
        max_length=300,
    )
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"))
    # The amendment that published this version after publication; None for a draft's upload.
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("amendment"),
    )
    # Set on the version that was current when an amendment withdrew the document; the
    # version stays listed (and downloadable) in the history.
    withdrawn_by_amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawn_documents",
        verbose_name=_("withdrawn by amendment"),
    )

    class Meta:
        verbose_name = _("tender document")
        verbose_name_plural = _("tender documents")
        ordering = ["tender", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "title", "version"], name="tender_document_unique_version"
            ),
            models.UniqueConstraint(
                fields=["tender", "title"],
                condition=Q(is_current=True),
                name="tender_document_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def titles(self) -> dict:
        """{"en", "fa"}: its title by language, for core.bilingual.local_text(titles, "")."""
        english, persian = bilingual.pair(self.title, self.title_fa)
        return {"en": english, "fa": persian}


class Invitation(models.Model):
    """A supplier invited to a restricted tender; the list is part of what the approver approves.

    Who is invited is never public (collusion): the notice shows how many only.
    """

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("tender")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        related_name="tender_invitations",
        verbose_name=_("supplier"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # The database time of the inviting transaction (core.clock.db_now, set by the service).
    invited_at = models.DateTimeField(_("invited at"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["tender", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "supplier"], name="invitation_unique"),
        ]

    def __str__(self):
        return f"{self.tender_id} · {self.supplier_id}"


class EnvelopeKind(models.TextChoices):
    """The envelopes of a bid, each sealed to its own tender key (docs/sealing.md)."""

    SINGLE = "single", _("Single envelope")
    TECHNICAL = "technical", _("Technical envelope")
    FINANCIAL = "financial", _("Financial envelope")


class MemberKey(models.Model):
    """A committee member's opening key: the public key and the key file made on their device.

    `key_file` is the member key file (panjere_client.member_keys) exactly as
    the member's browser or CLI wrote it: the private key in it is encrypted
    under the member's passphrase, which never reaches the server. A member has
    at most one current key; a rotated key is retired, not deleted, because the
    shares of tenders published with it stay sealed to it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opening_keys",
        verbose_name=_("member"),
    )
    public_key = models.CharField(_("public key (base64)"), max_length=44)
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64, unique=True)
    key_file = models.TextField(_("encrypted key file"))
    created_at = models.DateTimeField(_("created at"))
    rewrapped_at = models.DateTimeField(_("passphrase changed at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening key")
        verbose_name_plural = _("opening keys")
        ordering = ["user", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(retired_at__isnull=True),
                name="member_key_one_current",
            )
        ]

    def __str__(self):
        return self.fingerprint

    def audit_repr(self) -> str:
        return f"opening key {self.fingerprint}"


class TenderKey(models.Model):
    """A tender's public key for one envelope kind, made at publication.

    The private key is never stored: it exists only as the committee's sealed
    shares (KeyShare), from which k members together rebuild it at the opening.
    """

    tender = models.ForeignKey(
        Tender, on_delete=models.PROTECT, related_name="sealing_keys", verbose_name=_("tender")
    )
    kind = models.CharField(_("envelope"), max_length=16, choices=EnvelopeKind.choices)
    public_key = models.CharField(_("public key (base64)"), max_length=44)
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64, unique=True)
    threshold = models.PositiveSmallIntegerField(_("shares needed (k)"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("tender key")
        verbose_name_plural = _("tender keys")
        ordering = ["tender", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "kind"], name="tender_key_one_per_kind"),
            models.CheckConstraint(condition=Q(threshold__gte=2), name="tender_key_threshold"),
        ]

    def __str__(self):
        return f"{self.tender_id} · {self.kind} · {self.fingerprint}"


class KeyShare(models.Model):
    """One committee member's share of a tender key, sealed to that member's opening key."""

    tender_key = models.ForeignKey(
        TenderKey, on_delete=models.PROTECT, related_name="shares", verbose_name=_("tender key")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    member_key = models.ForeignKey(
        MemberKey, on_delete=models.PROTECT, related_name="shares", verbose_name=_("opening key")
    )
    # HPKE enc || ciphertext || tag of the 33-byte share, base64 (panjere_client.shares).
    sealed_share = models.TextField(_("sealed share (base64)"))

    class Meta:
        verbose_name = _("sealed key share")
        verbose_name_plural = _("sealed key shares")
        ordering = ["tender_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender_key", "member"], name="key_share_one_per_member"
            )
        ]

    def __str__(self):
        return f"{self.tender_key_id} · {self.member_id}"
