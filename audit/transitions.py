"""Run a django-fsm transition with its audit event, in one transaction.

Services call `run_transition`; nothing else changes a state. The transition
method itself only changes its own model's fields; this helper checks that it
may run, runs it, saves the changed fields and appends the audit event, all
inside one atomic block, so there is no state change without its event and
no event without its change. It lives in audit, not core: core imports no
app, and recording the event is what makes a transition a transition here.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed, can_proceed

from core.exceptions import InvalidTransition

from .services import record


def run_transition(
    instance,
    transition,
    *,
    actor,
    action: str,
    reason: str = "",
    payload: dict | None = None,
    update_fields: list[str] | tuple[str, ...] = (),
    error: type[InvalidTransition] = InvalidTransition,
    organisation=None,
    role: str = "",
    **kwargs,
):
    """Run the bound transition method `transition` on `instance` and audit it.

    `update_fields` names the fields the transition changes besides the state;
    `organisation` and `role` say in which capacity the actor acted (recorded
    on the audit event).
    Raises `error` (an `InvalidTransition`) when the transition is not allowed
    from the current state; nothing is written then.
    """
    field_name = transition._django_fsm.field.name
    from_state = getattr(instance, field_name)
    if not can_proceed(transition):
        raise error(
            _("“%(action)s” is not possible while the state is “%(state)s”.")
            % {"action": transition.__name__.replace("_", " "), "state": from_state},
            params={"from": from_state, "transition": transition.__name__},
        )
    with transaction.atomic():
        try:
            result = transition(**kwargs)
        except TransitionNotAllowed as exc:
            raise error(params={"from": from_state, "transition": transition.__name__}) from exc
        to_state = getattr(instance, field_name)
        instance.save(update_fields=[field_name, *update_fields])
        record(
            action=action,
            actor=actor,
            obj=instance,
            reason=reason,
            organisation=organisation,
            role=role,
            payload={"from": from_state, "to": to_state, **(payload or {})},
        )
    return result
