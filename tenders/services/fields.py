"""The fields a tender service may set, each with its cleaner, and values as audits show them."""

import datetime
from decimal import Decimal

from django.db.models import Model
from moneyed import Money

from core.money import clean_money, money_json

from .. import validation
from ..models import EnvelopeScheme, EvaluationMethod, MainCategory, ProcurementMethod

DATE_FIELDS = ("clarification_deadline", "submission_deadline", "opening_at")
EVALUATION_FIELDS = ("evaluation_method", "evaluation_config", "envelope_scheme")


def _text(name, max_length=None, required=False):
    return lambda value: validation.clean_text(
        value, field=name, required=required, max_length=max_length
    )


def _choice(name, choices):
    return lambda value: validation.clean_choice(value, choices, field=name)


def _money(name):
    return lambda value: clean_money(value, field=name)


def _date(name):
    return lambda value: validation.clean_datetime(value, field=name)


def _approver(value):
    if value is not None and not isinstance(value, Model):
        raise TypeError("approver: pass a User or None.")
    return value


# What an officer may set while the tender is a draft, and how each is cleaned.
DRAFT_FIELDS = {
    "reference": validation.clean_reference,
    "title": _text("title", 300, required=True),
    "title_fa": _text("title_fa", 300),
    "description": _text("description"),
    "description_fa": _text("description_fa"),
    "procurement_method": _choice("procurement_method", ProcurementMethod),
    "main_category": _choice("main_category", MainCategory),
    "cpv_code": lambda value: validation.clean_cpv(value, field="cpv_code"),
    "additional_cpv_codes": lambda value: validation.clean_cpv_list(
        value, field="additional_cpv_codes"
    ),
    "estimated_value": _money("estimated_value"),
    "document_fee": _money("document_fee"),
    "envelope_scheme": _choice("envelope_scheme", EnvelopeScheme),
    "evaluation_method": _choice("evaluation_method", EvaluationMethod),
    # Checked with the method and the envelope scheme (validation.clean_evaluation).
    "evaluation_config": lambda value: {} if value is None else value,
    "required_documents": validation.clean_required_documents,
    "required_declarations": validation.clean_declarations,
    "required_declarations_fa": lambda value: validation.clean_declarations(
        value, field="required_declarations_fa"
    ),
    "clarification_deadline": _date("clarification_deadline"),
    "submission_deadline": _date("submission_deadline"),
    "opening_at": _date("opening_at"),
    "opening_threshold": validation.clean_threshold,
    "approver": _approver,
}
# What an amendment may change once the tender is public. The method, the envelope
# scheme, the evaluation and the committees are fixed at publication: the tender's
# keys and the bidders' sealed envelopes depend on them. An amount may change, its
# currency not (MONEY_FIELDS): the lots, fixed too, are in the estimate's currency.
AMENDABLE_FIELDS = (
    "title",
    "title_fa",
    "description",
    "description_fa",
    "additional_cpv_codes",
    "estimated_value",
    "document_fee",
    "required_documents",
    "required_declarations",
    "required_declarations_fa",
    "clarification_deadline",
    "submission_deadline",
    "opening_at",
)
# Bilingual pairs (core.bilingual): either variant may be empty, not both
# (validation.require_one, checked on the lot or item as it will be saved).
LOT_FIELDS = {
    "title": _text("title", 300),
    "title_fa": _text("title_fa", 300),
    "description": _text("description"),
    "description_fa": _text("description_fa"),
    "estimated_value": _money("estimated_value"),
    "bid_security": _money("bid_security"),
}
# The tender's amounts (core.money.MoneyField), whose currency an amendment keeps.
MONEY_FIELDS = ("estimated_value", "document_fee")
ITEM_FIELDS = {
    "description": _text("description", 500),
    "description_fa": _text("description_fa", 500),
    "quantity": validation.clean_quantity,
    "unit": validation.clean_unit,
    "cpv_code": lambda value: validation.clean_cpv(value, field="cpv_code", required=False),
}


def jsonable(value):
    """A value as it appears in an audit payload or an amendment's diff."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, Money):
        return money_json(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return value
