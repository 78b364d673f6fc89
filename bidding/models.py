"""Bids and their envelopes (ciphertext only), and the signed receipts of submissions.

A bid is one version of a supplier's offer for one lot. Its envelopes are
stored, sealed, in the `envelopes` storage; the server never holds a key that
opens them. The bid's lifecycle is `state` below; only `bidding.services`
calls its transitions (through `audit.transitions.run_transition`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from .storage import envelope_storage_callable


def envelope_path(instance, filename: str) -> str:
    """The name the service chose (bids/<tender>/<random>.pje): nothing about the bid in it."""
    return filename


class BidState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Superseded by a resubmission")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnvelopeKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical envelope")
    FINANCIAL = "financial", _("Financial envelope")
    SINGLE = "single", _("Single envelope")


class Bid(FSMModelMixin, models.Model):
    """One version of a supplier's sealed bid for a lot."""

    tender = models.ForeignKey(
        "tenders.Tender", on_delete=models.PROTECT, related_name="bids", verbose_name=_("tender")
    )
    lot = models.ForeignKey(
        "tenders.Lot", on_delete=models.PROTECT, related_name="bids", verbose_name=_("lot")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.PROTECT,
        related_name="bids",
        verbose_name=_("supplier"),
    )
    version = models.PositiveIntegerField(_("version"))
    state = FSMField(
        _("state"), default=BidState.SUBMITTED, choices=BidState.choices, protected=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # The database time of the submitting transaction, read after its locks.
    submitted_at = models.DateTimeField(_("submitted at"))
    # The client's Idempotency-Key: a retried upload returns this bid, never makes a second.
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Set by a material amendment published after the submission; cleared when the supplier
    # confirms the bid (or replaced by a resubmission).
    confirmation_requested_by = models.ForeignKey(
        "tenders.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmation requested by amendment"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["tender", "lot", "supplier", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "supplier", "version"], name="bid_unique_version"
            ),
            models.UniqueConstraint(
                fields=["lot", "supplier"],
                condition=Q(state="submitted"),
                name="bid_one_current_per_lot",
            ),
            models.UniqueConstraint(
                fields=["supplier", "idempotency_key"], name="bid_unique_idempotency_key"
            ),
        ]

    def __str__(self):
        return f"{self.tender_id}/{self.lot_id}/{self.supplier_id} v{self.version}"

    def audit_repr(self) -> str:
        return f"bid {self.pk} (lot {self.lot_id}, version {self.version})"

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.SUPERSEDED)
    def supersede(self):
        """A resubmission replaced it; it stays sealed and is never opened."""

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.WITHDRAWN)
    def withdraw(self, *, at):
        self.withdrawn_at = at


class Envelope(models.Model):
    """One sealed envelope of a bid: where its ciphertext is, and the ciphertext's hash and size."""

    bid = models.ForeignKey(
        Bid, on_delete=models.PROTECT, related_name="envelopes", verbose_name=_("bid")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EnvelopeKind.choices)
    file = models.FileField(
        _("ciphertext"), storage=envelope_storage_callable, max_length=300, upload_to=envelope_path
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("envelope")
        verbose_name_plural = _("envelopes")
        ordering = ["bid", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "kind"], name="envelope_unique_kind"),
            models.UniqueConstraint(fields=["file"], name="envelope_unique_file"),
        ]

    def __str__(self):
        return f"{self.kind} {self.sha256}"


class Receipt(models.Model):
    """The platform's signed receipt of a submission, exactly as it was handed to the supplier."""

    bid = models.OneToOneField(
        Bid, on_delete=models.PROTECT, related_name="receipt", verbose_name=_("bid")
    )
    document = models.JSONField(_("signed receipt"))
    audit_seq = models.BigIntegerField(_("audit sequence number"))

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return f"receipt of bid {self.bid_id}"
