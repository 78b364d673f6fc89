"""The append-only, hash-chained record of every action on the platform.

Append-only is enforced twice: here in Python (the model and its queryset
refuse to update or delete), and on PostgreSQL by triggers that refuse UPDATE,
DELETE and TRUNCATE of `audit_event` whatever the client. The hash chain
(`audit.chain`) and `manage.py audit verify` detect what a database owner
could still do by disabling the triggers.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

GENESIS_HASH = "0" * 64

# The PostgreSQL session setting that lets a TRUNCATE of the audit tables
# through: `SET panjere.audit_maintenance = 'on'`. Only the test suite's
# database flush (tests/audit_flush.py) and a deliberate maintenance session
# set it; UPDATE and DELETE of events stay refused even then.
MAINTENANCE_SETTING = "panjere.audit_maintenance"


def _refuse_truncate(name: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.Before,
        operation=pgtrigger.Truncate,
        func=(
            f"IF current_setting('{MAINTENANCE_SETTING}', true) IS DISTINCT FROM 'on' THEN "
            "RAISE EXCEPTION 'The audit trail is append-only: TRUNCATE of % is refused', "
            "TG_TABLE_NAME; "
            "END IF; "
            "RETURN NULL;"
        ),
    )


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only: they cannot be updated.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events are append-only: they cannot be updated.")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError("Audit events are append-only: they cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only: they cannot be deleted.")

    delete.queryset_only = True


class Event(models.Model):
    """One action on the record. Written only by `audit.services.record`."""

    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            _refuse_truncate("refuse_truncate"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only: they cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only: they cannot be deleted.")

    @property
    def role_label(self) -> str:
        """The role's name in the active language (the stored code if unknown)."""
        return Role(self.role).label if self.role in Role.values else self.role


class ChainHead(models.Model):
    """The chain's last sequence number and hash: the row appends lock."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        triggers = [
            # The head only moves forward; removing it would restart the chain.
            pgtrigger.Protect(name="keep_head", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="head_forward_only",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(new__seq__lt=pgtrigger.F("old__seq")),
            ),
            _refuse_truncate("refuse_truncate"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.hash}"
