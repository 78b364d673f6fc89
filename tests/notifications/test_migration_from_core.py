"""The Notification model moved from core to notifications: existing rows survive `migrate`."""

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from core.dbroles import grant_runtime

# Migrations run as the owner of the schema, as `manage.py migrate` does; the runtime
# role is granted its rights on the tables they (re)create afterwards.
connection = connections["owner"]

# Before the move: core held the model, notifications did not exist.
BEFORE = [("notifications", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_notifications_written_before_the_move_are_kept_with_their_links():
    # given a database as it was before the move, with notifications in core's table
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    OldOutboxMessage = old.get_model("core", "OutboxMessage")
    OldNotification = old.get_model("core", "Notification")
    user = User.objects.using("owner").create(email="reader@example.org", name="Reader")
    message = OldOutboxMessage.objects.using("owner").create(topic="core.notify", payload={})
    OldNotification.objects.using("owner").create(
        recipient=user, kind="tender.published", title="Published", language="fa", source=message
    )
    OldNotification.objects.using("owner").create(
        recipient=user, kind="tender.closed", title="Closed", language="en"
    )

    # when the move's migrations run
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    new = _migrate(latest)
    grant_runtime()

    # then the rows are in the notifications app's table, with their recipient and source
    Notification = new.get_model("notifications", "Notification")
    assert Notification._meta.db_table == "notifications_notification"
    assert list(
        Notification.objects.using("owner")
        .order_by("pk")
        .values_list("title", "language", "recipient__email", "source__topic")
    ) == [
        ("Published", "fa", "reader@example.org", "core.notify"),
        ("Closed", "en", "reader@example.org", None),
    ]
    assert "core_notification" not in connection.introspection.table_names()
