from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for the platform's models: creation and update times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # An outside call (mail, the payment gateway) is under way, outside any transaction;
    # `available_at` is when its lease ends and the sweep may try again (same key).
    SENDING = "sending", _("Sending")
    PROCESSED = "processed", _("Processed")
    # The handler failed OUTBOX_MAX_ATTEMPTS times: an operator must look at it.
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """A side effect a service asked for, written in the service's own transaction.

    Written only by `core.outbox.enqueue`; run by its topic's handler
    (`core.outbox.process`) after the transaction committed. The payload holds
    ids and public values only: never a password, token, key or bid plaintext.
    """

    topic = models.CharField(_("topic"), max_length=100, db_index=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The sweep does not dispatch the message before this time (retry backoff).
    available_at = models.DateTimeField(_("available at"), default=timezone.now)
    # When the sweep last re-dispatched it: the sweep re-sends a message at most
    # once per OUTBOX_SWEEP_AFTER_SECONDS, however long the queue is.
    swept_at = models.DateTimeField(_("swept at"), null=True, blank=True)
    # When the handler finished successfully.
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's query: pending messages whose time has come.
            models.Index(
                fields=["available_at"],
                name="outbox_pending_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.topic} ({self.status})"


class UsedFormToken(models.Model):
    """A one-time form token (core.formtokens) that a submission has used.

    The unique nonce is what stops a form sent twice (a double click, a reload,
    the back button) from acting twice: the second insert fails. `result_url`
    is where the first submission went, so the second is sent there too; empty
    while the first is still being handled.
    """

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    result_url = models.CharField(_("result URL"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")

    def __str__(self):
        return self.nonce


class IdempotencyKey(models.Model):
    """An API request sent with an `Idempotency-Key` header, and the answer it got.

    Keyed per user: the same key from another user is another request. The
    fingerprint (method, path and body) tells a retry from a different request
    reusing the key. `status` is null while the first request is being handled.
    """

    user_id = models.BigIntegerField(_("user id"))
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    # The answer's bytes as the client received them, replayed byte for byte.
    body = models.BinaryField(_("body"), blank=True, default=b"")
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="idempotency_key_per_user"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
