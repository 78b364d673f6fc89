"""The extension point of publication: what other apps do when a tender is published.

`tenders.services.tender_approve_and_publish` runs every registered hook
inside its transaction, right after the tender became `published` (its
`published_at` set and saved, its `tender.published` audit event written) and
before its notifications are queued. A hook is called as
`hook(tender=tender, actor=approver)` with the tender row still locked; it may
write its own rows and audit events in that same transaction. If it raises,
the whole publication rolls back: the tender stays awaiting approval and
nothing of it is on the record.

The bidding work registers the generation of the tender's keys here, from its
AppConfig.ready():

    from tenders.publication import register_publish_hook
    register_publish_hook(generate_tender_keys)

No hook is registered by the tenders app itself.
"""

from collections.abc import Callable

PublishHook = Callable[..., None]

_hooks: list[PublishHook] = []


def register_publish_hook(hook: PublishHook) -> PublishHook:
    """Run `hook` at every publication, after those registered before it (once only)."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def unregister_publish_hook(hook: PublishHook) -> None:
    if hook in _hooks:
        _hooks.remove(hook)


def publish_hooks() -> tuple[PublishHook, ...]:
    return tuple(_hooks)


def run_publish_hooks(*, tender, actor) -> None:
    for hook in publish_hooks():
        hook(tender=tender, actor=actor)
