"""The append-only, hash-chained record of every action on the platform.

Append-only holds at three levels:

- in Python: the models and their querysets refuse to update or delete
  (which also protects the SQLite demo, where there are no triggers);
- in PostgreSQL's rights: the application's runtime role holds only the
  rights each table declares in `RUNTIME_PRIVILEGES` (`core.dbroles`), never
  UPDATE or DELETE of an event, never TRUNCATE, never ownership;
- in PostgreSQL's triggers (migration 0003): an event is inserted only in the
  slot the chain head reserved and only linked to the event before it; the
  head only moves forward one slot at a time; nothing is updated, deleted or
  truncated. The triggers read no session setting, so no `SET` lets a client
  around them; only the owner of the tables can disable them, and what the
  owner does is caught by the signed checkpoints held outside the database.

Personal data stays out of the hashed rows: an event names its actor by a
pseudonym (`Person`), whose name and e-mail address can be erased without
changing a hash.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}: append-only, cannot be updated.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}: append-only, cannot be updated.")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}: append-only, cannot be updated.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}: append-only, cannot be deleted.")

    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or removed."""

    # What the application's database role may do (core.dbroles): add and read.
    RUNTIME_PRIVILEGES = ("SELECT", "INSERT")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}: append-only, cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}: append-only, cannot be deleted.")


class Person(models.Model):
    """Who a pseudonym on the chain is: the only place the trail keeps personal data.

    Events name their actor by `pseudonym`; its name and e-mail address live
    here, outside every hash, so that an erasure (`audit.services.person_erase`)
    blanks them while the chain still verifies.
    """

    # Read, add, and change a name or blank it; never remove a pseudonym.
    RUNTIME_PRIVILEGES = ("SELECT", "INSERT", "UPDATE")

    pseudonym = models.CharField(_("pseudonym"), max_length=36, primary_key=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_person",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("person on the record")
        verbose_name_plural = _("people on the record")
        indexes = [models.Index(fields=["email"], name="audit_person_email_idx")]

    def __str__(self):
        return self.name or self.email or self.pseudonym

    def audit_repr(self) -> str:
        return self.pseudonym

    @property
    def erased(self) -> bool:
        return self.erased_at is not None


class Event(AppendOnlyModel):
    """One action on the record. Written only by `audit.services.record`."""

    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)
    # The acting person's pseudonym (hashed); null for the platform itself.
    actor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("actor"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # A role's code (accounts.models.Role); accounts gives its name.
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    @property
    def actor_name(self) -> str:
        """Who acted, as people read it (name, else e-mail); empty for the platform or erased."""
        if self.actor_id is None:
            return ""
        return self.actor.name or self.actor.email

    @property
    def actor_user(self):
        """The account that acted, where it still exists; None for the platform."""
        return None if self.actor_id is None else self.actor.user


class ChainHead(models.Model):
    """The chain's last sequence number, hash and Merkle frontier: the row appends lock.

    Made by migration 0003 and never removed: without it `record` refuses and
    `audit verify` fails, rather than silently starting a new chain.
    """

    # Read, lock, and write the Merkle frontier. The sequence number and hash move only
    # through the event insert trigger (owned by the tables' owner), one event at a time.
    RUNTIME_PRIVILEGES = ("SELECT", "UPDATE (frontier)")

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # The hashes of the perfect Merkle subtrees making up the tree of `seq`
    # leaves, largest first, 32 bytes each (audit.merkle.frontier_pack).
    frontier = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_chain_head")]

    def __str__(self):
        return f"#{self.seq} {self.hash}"


class MerkleNode(AppendOnlyModel):
    """A complete subtree of the trail's Merkle tree, stored as it closes.

    Node (level, index) is the Merkle tree hash of leaves
    [index·2^level, (index+1)·2^level). Only levels of `STORED_LEVEL` and above
    are stored; lower ones are recomputed from at most 2^STORED_LEVEL events.
    Any proof then reads O(log n) rows.
    """

    STORED_LEVEL = 4

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField(_("level"))
    index = models.BigIntegerField(_("index"))
    hash = models.BinaryField(_("hash"), max_length=32)

    class Meta:
        verbose_name = _("Merkle tree node")
        verbose_name_plural = _("Merkle tree nodes")

    def __str__(self):
        return f"({self.level}, {self.index})"


class Checkpoint(AppendOnlyModel):
    """The trail's Merkle root at a size, signed with the platform's Ed25519 key.

    Public: outsiders keep copies, and a trail rewritten later no longer
    matches them.
    """

    size = models.BigIntegerField(_("tree size"), primary_key=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"))
    log = models.CharField(_("log"), max_length=200)
    key_id = models.CharField(_("key id"), max_length=32)
    signature = models.CharField(_("signature"), max_length=100)

    class Meta:
        verbose_name = _("signed checkpoint")
        verbose_name_plural = _("signed checkpoints")
        ordering = ["-size"]

    def __str__(self):
        return f"{self.size} {self.root_hash}"
