"""System checks of core: the outbox's topic map, the accepted currencies and the money
fields, and the database role the application runs as."""

import moneyed
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from . import money
from .dbroles import runtime_problems


@register()
def outbox_handlers_import(app_configs, **kwargs):
    """Every path in settings.OUTBOX_HANDLERS imports and is callable (else messages would fail)."""
    errors = []
    for topic, path in sorted(getattr(settings, "OUTBOX_HANDLERS", {}).items()):
        try:
            function = import_string(path)
        except ImportError as exc:
            errors.append(
                Error(
                    f"The outbox handler of {topic!r}, {path!r}, cannot be imported: {exc}",
                    id="core.E001",
                )
            )
            continue
        if not callable(function):
            errors.append(
                Error(
                    f"The outbox handler of {topic!r}, {path!r}, is not callable.", id="core.E002"
                )
            )
    return errors


@register()
def currencies_known(app_configs, **kwargs):
    """PANJERE_CURRENCIES names ISO 4217 currencies whose minor units the columns can hold."""
    codes = list(getattr(settings, "PANJERE_CURRENCIES", []))
    if not codes:
        return [Error("PANJERE_CURRENCIES is empty: name at least one currency.", id="core.E003")]
    errors = []
    for code in codes:
        try:
            currency = moneyed.get_currency(code)
        except moneyed.CurrencyDoesNotExist:
            errors.append(
                Error(f"PANJERE_CURRENCIES: {code!r} is not an ISO 4217 code.", id="core.E003")
            )
            continue
        if money.minor_units(currency) > money.AMOUNT_DECIMAL_PLACES:
            errors.append(
                Error(
                    f"PANJERE_CURRENCIES: {code} has more minor units than an amount column "
                    f"holds ({money.AMOUNT_DECIMAL_PLACES}).",
                    id="core.E003",
                )
            )
    return errors


@register(checks.Tags.models)
def money_fields_have_columns(app_configs, **kwargs):
    """Every `MoneyField` named `x` sits beside an `AmountField` `x_amount` and a
    `CurrencyField` `x_currency`."""
    errors = []
    for model in apps.get_models():
        for name, field in money.money_fields(model).items():
            for column, kind in zip(
                field.columns, (money.AmountField, money.CurrencyField), strict=True
            ):
                concrete = next((f for f in model._meta.fields if f.name == column), None)
                if not isinstance(concrete, kind):
                    errors.append(
                        Error(
                            f"{model._meta.label}.{name} is a MoneyField: it needs a "
                            f"{kind.__name__} named {column!r}.",
                            obj=model,
                            id="core.E004",
                        )
                    )
    return errors


@checks.register(checks.Tags.database)
def runtime_role_check(app_configs=None, databases=None, **kwargs):
    """The runtime role cannot get around the append-only tables (core.dbroles).

    Runs with `check --database default` (and `--deploy`): an error where
    PANJERE_REQUIRE_LEAST_PRIVILEGE is on (production), a warning elsewhere.
    """
    if not databases or "default" not in databases:
        return []
    level = checks.Error if settings.PANJERE_REQUIRE_LEAST_PRIVILEGE else checks.Warning
    return [
        level(
            f"The database role of DATABASE_URL could rewrite the audit trail: {problem}.",
            hint=(
                "Run `manage.py migrate` as the owner (DATABASE_MIGRATE_URL) and connect as the "
                "runtime role (docs/deployment.md, 'Database roles')."
            ),
            id="panjere.E001" if level is checks.Error else "panjere.W001",
        )
        for problem in runtime_problems()
    ]
