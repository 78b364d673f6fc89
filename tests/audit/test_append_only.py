"""Audit events can be added, never changed or removed: by the model, and by PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, models, transaction

from audit.models import MAINTENANCE_SETTING, AppendOnlyError, ChainHead, Event

from .factories import head, make_events

pytestmark = pytest.mark.django_db

SNAPSHOT_FIELDS = ("seq", "action", "payload", "reason", "prev_hash", "hash")


def _snapshot():
    return list(Event.objects.order_by("seq").values_list(*SNAPSHOT_FIELDS))


@pytest.fixture
def three_events():
    events = make_events(3)
    if connection.vendor == "postgresql":
        # Run the deferred foreign-key checks of these inserts now: PostgreSQL
        # will not TRUNCATE a table with trigger events still pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return events, _snapshot(), head()


# --- The model refuses, on every database ---------------------------------------------


def test_an_event_cannot_be_saved_again(three_events):
    # given a stored event, changed in memory
    _, before, head_before = three_events
    event = Event.objects.get(seq=2)
    event.reason = "rewritten"

    # when it is saved
    with pytest.raises(AppendOnlyError, match="cannot be updated"):
        event.save()

    # then nothing changed
    assert _snapshot() == before
    assert head() == head_before


def test_an_event_cannot_be_deleted(three_events):
    _, before, head_before = three_events

    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        Event.objects.get(seq=2).delete()

    assert _snapshot() == before
    assert head() == head_before


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda qs: qs.update(reason="rewritten"), id="update"),
        pytest.param(lambda qs: qs.delete(), id="delete"),
        pytest.param(
            lambda qs: qs.bulk_update(list(qs), ["reason"]),
            id="bulk_update",
        ),
        pytest.param(
            lambda qs: qs.update_or_create(seq=2, defaults={"reason": "rewritten"}),
            id="update_or_create",
        ),
    ],
)
def test_a_queryset_cannot_change_or_remove_events(three_events, change):
    _, before, head_before = three_events

    with pytest.raises(AppendOnlyError):
        change(Event.objects.filter(seq=2))

    assert _snapshot() == before
    assert head() == head_before


# --- PostgreSQL refuses whatever the client ---------------------------------------------


def _refused(sql, params=(), match="append-only|Cannot"):
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET reason = 'rewritten' WHERE seq = 2",
        "UPDATE audit_event SET payload = '{}'::jsonb",
        "DELETE FROM audit_event WHERE seq = 2",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
        "TRUNCATE audit_event, audit_chainhead",
    ],
)
def test_postgres_refuses_raw_sql_that_changes_events(three_events, sql):
    _, before, head_before = three_events

    _refused(sql)

    assert _snapshot() == before
    assert head() == head_before


@pytest.mark.postgres
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda qs: qs.update(reason="rewritten"), id="update"),
        pytest.param(lambda qs: qs.delete(), id="delete"),
    ],
)
def test_postgres_refuses_an_orm_write_that_goes_around_the_model(three_events, change):
    # given a plain queryset, without the model's append-only guards
    _, before, head_before = three_events
    unguarded = models.QuerySet(Event).filter(seq=2)

    # when it changes an event, then the database refuses
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete rows from audit_event"),
        transaction.atomic(),
    ):
        change(unguarded)

    assert _snapshot() == before
    assert head() == head_before


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_chainhead",
        "UPDATE audit_chainhead SET seq = 1, hash = repeat('0', 64)",
        "TRUNCATE audit_chainhead",
    ],
)
def test_postgres_refuses_moving_the_chain_head_back(three_events, sql):
    _, before, head_before = three_events

    _refused(sql)

    assert head() == head_before
    assert _snapshot() == before


@pytest.mark.postgres
def test_postgres_lets_a_maintenance_session_truncate_and_nothing_else(three_events):
    # given the maintenance setting, on for this transaction only
    _, before, _ = three_events
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [MAINTENANCE_SETTING])
        # then UPDATE and DELETE of events stay refused
        _refused("UPDATE audit_event SET reason = 'rewritten'")
        _refused("DELETE FROM audit_event")
        # and TRUNCATE goes through
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_event, audit_chainhead")
        assert Event.objects.count() == 0
        assert not ChainHead.objects.exists()
        transaction.set_rollback(True)

    # when the transaction is over, the setting is off again and TRUNCATE refused
    assert _snapshot() == before
    _refused("TRUNCATE audit_event")
    assert _snapshot() == before
