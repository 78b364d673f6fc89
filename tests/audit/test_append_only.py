"""The trail can be added to, never changed or removed: by the models, and by PostgreSQL.

On PostgreSQL the application connects as the runtime role, which holds no
right to change an event and cannot alter, disable or replace a trigger;
each way around that a reviewer found with the application's own
credentials is tried here, and refused.
"""

import pytest
from django.db import DatabaseError, connection, models, transaction

from audit.models import AppendOnlyError, ChainHead, Checkpoint, Event, MerkleNode, Person
from audit.services import checkpoint_take, person_for

from .factories import head, make_events

pytestmark = pytest.mark.django_db

SNAPSHOT_FIELDS = ("seq", "action", "payload", "reason", "prev_hash", "hash")


def _snapshot():
    return (
        list(Event.objects.order_by("seq").values_list(*SNAPSHOT_FIELDS)),
        head(),
        list(MerkleNode.objects.order_by("level", "index").values_list("level", "index", "hash")),
        list(Checkpoint.objects.values_list("size", "root_hash")),
        list(Person.objects.values_list("pseudonym", "name", "email")),
    )


@pytest.fixture
def trail(django_user_model):
    events = make_events(20)
    person_for(django_user_model.objects.create_user(email="p@x.example", name="P"))
    checkpoint_take()
    if connection.vendor == "postgresql":
        # Run the deferred foreign-key checks of these inserts now: PostgreSQL
        # will not TRUNCATE a table with trigger events still pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return events, _snapshot()


# --- The models refuse, on every database ---------------------------------------------


def test_an_event_cannot_be_saved_again(trail):
    _, before = trail
    event = Event.objects.get(seq=2)
    event.reason = "rewritten"

    with pytest.raises(AppendOnlyError, match="cannot be updated"):
        event.save()

    assert _snapshot() == before


@pytest.mark.parametrize("model", [Event, MerkleNode, Checkpoint])
def test_an_append_only_row_cannot_be_deleted(trail, model):
    _, before = trail

    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        model.objects.all()[0].delete()

    assert _snapshot() == before


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda qs: qs.update(reason="rewritten"), id="update"),
        pytest.param(lambda qs: qs.delete(), id="delete"),
        pytest.param(lambda qs: qs.bulk_update(list(qs), ["reason"]), id="bulk_update"),
        pytest.param(
            lambda qs: qs.update_or_create(seq=2, defaults={"reason": "rewritten"}),
            id="update_or_create",
        ),
    ],
)
def test_a_queryset_cannot_change_or_remove_events(trail, change):
    _, before = trail

    with pytest.raises(AppendOnlyError):
        change(Event.objects.filter(seq=2))

    assert _snapshot() == before


# --- PostgreSQL refuses the runtime role, whatever it sends ---------------------------


def _refused(sql, match):
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


DENIED = "permission denied|must be owner"


@pytest.mark.dbroles
@pytest.mark.parametrize(
    ("sql", "match"),
    [
        # django-pgtrigger's escape hatch, which its triggers honoured
        pytest.param(
            "SET LOCAL pgtrigger.ignore = '{audit_event:pgtrigger_append_only_7d947}'; "
            "UPDATE audit_event SET reason = 'rewritten' WHERE seq = 2",
            DENIED,
            id="pgtrigger-ignore-then-update",
        ),
        pytest.param(
            "SET LOCAL pgtrigger.ignore = '{audit_event:pgtrigger_append_only_7d947}'; "
            "DELETE FROM audit_event WHERE seq >= 15",
            DENIED,
            id="pgtrigger-ignore-then-delete-the-tail",
        ),
        # the former maintenance switch, which let TRUNCATE through
        pytest.param(
            "SET LOCAL panjere.audit_maintenance = 'on'; TRUNCATE audit_event, audit_chainhead",
            DENIED,
            id="maintenance-setting-then-truncate",
        ),
        pytest.param("TRUNCATE audit_chainhead", DENIED, id="truncate-head"),
        pytest.param("TRUNCATE audit_merklenode", DENIED, id="truncate-tree"),
        pytest.param("TRUNCATE audit_checkpoint", DENIED, id="truncate-checkpoints"),
        pytest.param("TRUNCATE audit_person CASCADE", DENIED, id="truncate-people"),
        # ownership: the runtime role owns nothing it could reconfigure
        pytest.param("ALTER TABLE audit_event DISABLE TRIGGER ALL", DENIED, id="disable-triggers"),
        pytest.param(
            "DROP TRIGGER audit_event_append_only ON audit_event", DENIED, id="drop-trigger"
        ),
        pytest.param(
            "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            DENIED,
            id="replace-trigger-function",
        ),
        pytest.param("SET session_replication_role = replica", DENIED, id="replica-mode"),
        pytest.param("ALTER TABLE audit_event OWNER TO CURRENT_USER", DENIED, id="take-ownership"),
        # the head: only the event insert trigger moves it, one event at a time
        pytest.param("UPDATE audit_chainhead SET seq = 5", DENIED, id="head-back"),
        pytest.param("UPDATE audit_chainhead SET seq = seq + 1", DENIED, id="head-reserve"),
        pytest.param("UPDATE audit_chainhead SET hash = repeat('0', 64)", DENIED, id="head-hash"),
        pytest.param("DELETE FROM audit_chainhead", DENIED, id="head-delete"),
        # events only in the next slot, linked to the one before
        pytest.param(
            "INSERT INTO audit_event (seq, recorded_at, role, action, object_type, object_id, "
            "object_repr, payload, reason, prev_hash, hash) VALUES (500, now(), '', 'forged', "
            "'', '', '', '{}', '', repeat('0', 64), repeat('a', 64))",
            "is not the next one",
            id="event-beyond-the-head",
        ),
        pytest.param(
            "INSERT INTO audit_event (seq, recorded_at, role, action, object_type, object_id, "
            "object_repr, payload, reason, prev_hash, hash) VALUES (21, now(), '', 'forged', "
            "'', '', '', '{}', '', repeat('0', 64), repeat('a', 64))",
            "does not link",
            id="event-not-linked",
        ),
        # the tree, the checkpoints and the people on the record
        pytest.param("UPDATE audit_merklenode SET hash = '\\x00'", DENIED, id="tree-update"),
        pytest.param("DELETE FROM audit_merklenode", DENIED, id="tree-delete"),
        pytest.param("UPDATE audit_checkpoint SET root_hash = 'x'", DENIED, id="checkpoint-update"),
        pytest.param("DELETE FROM audit_checkpoint", DENIED, id="checkpoint-delete"),
        pytest.param("DELETE FROM audit_person", DENIED, id="person-delete"),
    ],
)
def test_the_runtime_role_cannot_get_around_the_trail(trail, sql, match):
    _, before = trail

    _refused(sql, match)

    assert _snapshot() == before


@pytest.mark.dbroles
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda qs: qs.update(reason="rewritten"), id="update"),
        pytest.param(lambda qs: qs.delete(), id="delete"),
    ],
)
def test_an_orm_write_that_goes_around_the_model_is_refused(trail, change):
    # given a plain queryset, without the model's append-only guards
    _, before = trail
    unguarded = models.QuerySet(Event).filter(seq=2)

    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        change(unguarded)

    assert _snapshot() == before


@pytest.mark.dbroles
def test_the_runtime_role_may_write_the_frontier_alone(trail):
    # The frontier is the one column of the head the application writes: a wrong one
    # is caught by `audit verify` (tests/audit/test_audit_verify.py), not hidden.
    with transaction.atomic():
        ChainHead.objects.filter(pk=1).update(frontier=b"")
        assert bytes(ChainHead.objects.get().frontier) == b""
        transaction.set_rollback(True)

    assert _snapshot() == trail[1]
