"""The rules a tender's data must follow, each failing with a field-tied DomainError.

Two levels: the `clean_*` and `check_*` functions run on every write (a
draft may be incomplete, but what it holds is valid), and
`readiness_problems` lists everything still missing or no longer true
before a tender is submitted for approval and again when it is approved.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import holds_role, members_of
from core import cpv, jalali, units
from core.exceptions import DomainError
from core.validators import validate_plausible_date

from .exceptions import (
    InvalidAmount,
    InvalidApprover,
    InvalidCommittee,
    InvalidDate,
    InvalidEvaluationConfig,
    InvalidTenderField,
    InvitationsNotAllowed,
    NoLots,
    PeriodTooShort,
    TooFewInvitations,
    UnknownCpvCode,
)
from .models import EnvelopeScheme, EvaluationMethod, MainCategory, ProcurementMethod

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$")
QUANTITY_PLACES = Decimal("0.001")
# Digits before the decimal point that a Decimal(18, 3) column holds.
QUANTITY_MAX = Decimal(10) ** 15
HUNDRED = Decimal(100)


# --- single values -----------------------------------------------------------------


def _as_list(values, *, field: str) -> list:
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        raise InvalidTenderField(_("Give a list."), field=field)
    return list(values)


def clean_text(value, *, field: str, required: bool = False, max_length: int | None = None) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise InvalidTenderField(_("This field is required."), field=field)
    if max_length is not None and len(text) > max_length:
        raise InvalidTenderField(
            _("At most %(max)s characters.") % {"max": max_length},
            field=field,
            params={"max": max_length},
        )
    return text


def require_one(english: str, persian: str, *, field: str) -> None:
    """Refuse a bilingual pair (core.bilingual) with neither variant: the error is on `field`."""
    if not english and not persian:
        raise InvalidTenderField(_("Write it in English, in Persian or in both."), field=field)


def clean_unit(value, *, field: str = "unit") -> str:
    """A unit of measure as its UN/ECE Recommendation 20 code (core.units).

    The code itself, or a common spelling of it ("kg", "m²", "متر مربع").
    """
    text = "" if value is None else str(value).strip()
    if not text:
        raise InvalidTenderField(_("This field is required."), field=field)
    code = text if units.is_valid(text) else units.match(text)
    if not code:
        raise InvalidTenderField(
            _("Choose a unit from the list (UN/ECE Recommendation 20 codes, such as KGM or MTK)."),
            field=field,
            params={"unit": text},
        )
    return code


def clean_reference(value) -> str:
    reference = "" if value is None else str(value).strip()
    if not REFERENCE_PATTERN.match(reference):
        raise InvalidTenderField(
            _(
                "A reference has 1 to 48 letters, digits, dots, hyphens or underscores, "
                "and starts with a letter or a digit."
            ),
            field="reference",
        )
    return reference


def ocid_for(reference: str) -> str:
    return f"{settings.TENDER_OCID_PREFIX}-{reference}"


def clean_choice(value, choices, *, field: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise InvalidTenderField(
            _("“%(value)s” is not one of the choices.") % {"value": value},
            field=field,
            params={"value": value},
        )
    return value


def clean_cpv(value, *, field: str, required: bool = True) -> str:
    code = "" if value is None else str(value).strip()
    if not code and not required:
        return ""
    if not cpv.is_valid(code):
        raise UnknownCpvCode(
            _("“%(code)s” is not a CPV 2008 code.") % {"code": code},
            field=field,
            params={"code": code},
        )
    return code


def clean_cpv_list(values, *, field: str) -> list[str]:
    cleaned = []
    for value in _as_list(values, field=field):
        code = clean_cpv(value, field=field)
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


def _decimal(value, *, field: str, error=InvalidAmount) -> Decimal:
    if isinstance(value, float):
        # Quantities are exact (amounts are core.money.Money): a float is a programming error.
        raise TypeError(f"{field}: pass a Decimal, an int or a string, never a float.")
    if isinstance(value, bool):
        raise TypeError(f"{field}: a boolean is not an amount.")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise error(_("Enter a number."), field=field) from None
    if not number.is_finite():
        raise error(_("Enter a number."), field=field)
    return number


def clean_quantity(value, *, field: str = "quantity") -> Decimal:
    quantity = _decimal(value, field=field)
    if quantity <= 0:
        raise InvalidAmount(_("The quantity must be greater than zero."), field=field)
    if quantity != quantity.quantize(QUANTITY_PLACES):
        raise InvalidAmount(_("At most three decimal places."), field=field)
    if quantity >= QUANTITY_MAX:
        raise InvalidAmount(_("The quantity is too large."), field=field)
    return quantity.quantize(QUANTITY_PLACES)


def clean_required_documents(values) -> list[str]:
    from suppliers.models import DocumentKind

    cleaned = []
    for value in _as_list(values, field="required_documents"):
        if value not in DocumentKind.values:
            raise InvalidTenderField(
                _("“%(value)s” is not a kind of supplier document.") % {"value": value},
                field="required_documents",
                params={"value": value},
            )
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def clean_declarations(values, *, field: str = "required_declarations") -> list[str]:
    cleaned = []
    for value in _as_list(values, field=field):
        text = clean_text(value, field=field, max_length=1000)
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def clean_datetime(value, *, field: str) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        raise InvalidDate(_("Give a date and time with its time zone."), field=field)
    try:
        validate_plausible_date(value)
    except ValidationError as exc:
        # Year 1 or 9999: converting it to UTC, or adding a day, would overflow.
        raise InvalidDate(" ".join(exc.messages), field=field) from None
    return value.astimezone(datetime.UTC)


def clean_threshold(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise InvalidCommittee(
            _("The opening threshold must be a whole number of at least 2."),
            field="opening_threshold",
        )
    return value


# --- evaluation ----------------------------------------------------------------------


def _weight(value, *, field: str) -> Decimal:
    if isinstance(value, float):
        # Weights arrive from JSON; their decimal text is what the buyer typed.
        value = repr(value)
    return _decimal(value, field=field, error=InvalidEvaluationConfig)


def _number_text(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def clean_evaluation(method: str, config, envelope_scheme: str) -> dict:
    """The evaluation configuration for `method`, normalised (weights as decimal text).

    Lowest price takes no criteria. Weighted scoring takes criteria
    [{"name", "weight"}] whose weights sum to 100. Quality- and cost-based
    selection takes such criteria and a technical threshold (0 < t ≤ 100), and
    needs two envelopes: the technical one is scored before any price is seen.
    """
    clean_choice(method, EvaluationMethod, field="evaluation_method")
    config = _evaluation_settings(config)
    criteria = config.get("criteria") or []
    threshold = config.get("technical_threshold")
    if method == EvaluationMethod.LOWEST_PRICE:
        if criteria or threshold is not None:
            raise InvalidEvaluationConfig(
                _("The lowest evaluated price takes no criteria and no technical threshold."),
                field="evaluation_config",
            )
        return {}
    result: dict = {"criteria": clean_criteria(criteria)}
    if method == EvaluationMethod.WEIGHTED_SCORING:
        if threshold is not None:
            raise InvalidEvaluationConfig(
                _("Only quality- and cost-based selection has a technical threshold."),
                field="evaluation_config",
            )
        return result
    # Quality- and cost-based selection.
    result["technical_threshold"] = _clean_technical_threshold(threshold)
    if envelope_scheme != EnvelopeScheme.TWO:
        raise InvalidEvaluationConfig(
            _("Quality- and cost-based selection needs two envelopes."),
            field="envelope_scheme",
        )
    return result


def _evaluation_settings(config) -> dict:
    """The configuration as a dict of the known settings (None is no settings)."""
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise InvalidEvaluationConfig(field="evaluation_config")
    unknown = set(config) - {"criteria", "technical_threshold"}
    if unknown:
        raise InvalidEvaluationConfig(
            _("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            field="evaluation_config",
        )
    return dict(config)


def clean_criteria(criteria) -> list[dict]:
    """Named criteria, each name once, positive weights adding up to 100 (as decimal text)."""
    if not isinstance(criteria, list) or not criteria:
        raise InvalidEvaluationConfig(
            _("Give at least one criterion with its weight."), field="evaluation_config"
        )
    cleaned, names, total = [], set(), Decimal(0)
    for criterion in criteria:
        name, weight = _clean_criterion(criterion)
        if name.casefold() in names:
            raise InvalidEvaluationConfig(
                _("Two criteria are named “%(name)s”.") % {"name": name},
                field="evaluation_config",
            )
        names.add(name.casefold())
        total += weight
        cleaned.append({"name": name, "weight": _number_text(weight)})
    if total != HUNDRED:
        raise InvalidEvaluationConfig(
            _("The weights add up to %(total)s; they must add up to 100.")
            % {"total": _number_text(total)},
            field="evaluation_config",
            params={"total": _number_text(total)},
        )
    return cleaned


def _clean_criterion(criterion) -> tuple[str, Decimal]:
    """One criterion's name and its weight (greater than zero)."""
    if not isinstance(criterion, dict) or set(criterion) - {"name", "weight"}:
        raise InvalidEvaluationConfig(
            _("Each criterion has a name and a weight."), field="evaluation_config"
        )
    name = clean_text(criterion.get("name"), field="evaluation_config", max_length=200)
    if not name:
        raise InvalidEvaluationConfig(_("Each criterion needs a name."), field="evaluation_config")
    weight = _weight(criterion.get("weight"), field="evaluation_config")
    if weight <= 0:
        raise InvalidEvaluationConfig(
            _("The weight of “%(name)s” must be greater than zero.") % {"name": name},
            field="evaluation_config",
        )
    return name, weight


def _clean_technical_threshold(threshold) -> str:
    """The minimum technical score, out of 100 (0 < t ≤ 100), as decimal text."""
    if threshold is None:
        raise InvalidEvaluationConfig(
            _("Give the technical threshold (the minimum technical score, out of 100)."),
            field="evaluation_config",
        )
    threshold = _weight(threshold, field="evaluation_config")
    if not Decimal(0) < threshold <= HUNDRED:
        raise InvalidEvaluationConfig(
            _("The technical threshold must be more than 0 and at most 100."),
            field="evaluation_config",
        )
    return _number_text(threshold)


# --- dates -----------------------------------------------------------------------------


def check_dates(
    *,
    clarification_deadline,
    submission_deadline,
    opening_at,
    now: datetime.datetime,
    future: set[str],
) -> None:
    """The dates named in `future` are after `now`; all dates given are in order.

    The order: clarification deadline < submission deadline ≤ opening time.
    """
    dates = {
        "clarification_deadline": clarification_deadline,
        "submission_deadline": submission_deadline,
        "opening_at": opening_at,
    }
    for field in ("clarification_deadline", "submission_deadline", "opening_at"):
        if field in future and dates[field] is not None and dates[field] <= now:
            raise InvalidDate(_("This date must be in the future."), field=field)
    if (
        clarification_deadline is not None
        and submission_deadline is not None
        and clarification_deadline >= submission_deadline
    ):
        raise InvalidDate(
            _("The clarification deadline must be before the submission deadline."),
            field="clarification_deadline",
        )
    if (
        submission_deadline is not None
        and opening_at is not None
        and (opening_at < submission_deadline)
    ):
        raise InvalidDate(
            _("The opening cannot be before the submission deadline."), field="opening_at"
        )


def minimum_period(method: str) -> datetime.timedelta:
    return datetime.timedelta(days=settings.TENDER_MIN_PERIOD_DAYS[method])


def check_min_period(*, method: str, published_at, submission_deadline) -> None:
    """Between publication and the submission deadline, at least the method's minimum."""
    period = minimum_period(method)
    if submission_deadline - published_at < period:
        earliest = published_at + period
        raise PeriodTooShort(
            _(
                "A tender by the “%(method)s” method needs at least %(days)s days between "
                "publication and the submission deadline: the deadline must be on or after "
                "%(earliest)s (Tehran time)."
            )
            % {
                "method": ProcurementMethod(method).label,
                "days": period.days,
                "earliest": jalali.as_typed(earliest),
            },
            field="submission_deadline",
            params={"min_days": period.days, "earliest": earliest.isoformat()},
        )


# --- people ------------------------------------------------------------------------------


def check_committee_members(buyer_id, users, *, field: str) -> None:
    ids = [user.pk for user in users]
    if len(set(ids)) != len(ids):
        raise InvalidCommittee(_("A person is named twice in the committee."), field=field)
    outsiders = set(ids) - members_of(buyer_id, ids)
    if outsiders:
        names = sorted(str(user) for user in users if user.pk in outsiders)
        raise InvalidCommittee(
            _("Committee members must be members of the buyer: %(names)s is not.")
            % {"names": ", ".join(names)},
            field=field,
            params={"user_ids": sorted(outsiders)},
        )


def check_opening_threshold(threshold, opening_size: int) -> None:
    if threshold is not None and threshold > opening_size:
        raise InvalidCommittee(
            _(
                "The opening threshold (%(k)s) cannot exceed the number of opening committee "
                "members (%(n)s)."
            )
            % {"k": threshold, "n": opening_size},
            field="opening_threshold",
            params={"k": threshold, "n": opening_size},
        )


def check_approver(approver, *, buyer_id, officer_ids) -> None:
    """The approver holds the approver role in the buyer and is none of its officers."""
    if approver is None:
        return
    if approver.pk in set(officer_ids):
        raise InvalidApprover(
            _("The officer who prepares a tender cannot be its approver."), field="approver"
        )
    if not holds_role(approver, buyer_id, Role.APPROVER):
        raise InvalidApprover(
            _("%(name)s is not an approver of the buyer.") % {"name": str(approver)},
            field="approver",
        )


# --- the whole tender ---------------------------------------------------------------------


class _Problems(list):
    """The problems found so far, each check's refusal kept instead of raised."""

    def raise_them(self, many) -> None:
        """Raise the one problem as it is, or several together as a `many` error."""
        if len(self) == 1:
            raise self[0]
        if self:
            raise many(
                " ".join(str(problem) for problem in self),
                params={
                    "problems": [
                        {"field": problem.field, "code": problem.code, "message": str(problem)}
                        for problem in self
                    ]
                },
            )

    def check(self, function, *args, **kwargs) -> None:
        try:
            function(*args, **kwargs)
        except DomainError as error:
            self.append(error)

    def require(self, condition: bool, error: DomainError) -> None:
        if not condition:
            self.append(error)


Problems = _Problems


def readiness_problems(tender, *, now: datetime.datetime, officer_ids) -> list[DomainError]:
    """Everything that stops `tender` from being approved and published at `now`.

    Publication is taken to happen at `now`, so the minimum tendering period
    is counted from it. `officer_ids` are the officers involved (who prepared
    and who submits it), none of whom may be the approver. The problems come
    in the order of the tender's steps: content, dates, committees, approver,
    lots and invitations.
    """
    problems = _Problems()
    _content_problems(problems, tender)
    _date_problems(problems, tender, now=now)
    _committee_problems(problems, tender)
    problems.require(
        tender.approver_id is not None,
        InvalidApprover(_("Choose the approver."), field="approver"),
    )
    problems.check(
        check_approver, tender.approver, buyer_id=tender.buyer_id, officer_ids=officer_ids
    )
    problems.require(tender.lots.exists(), NoLots(field="lots"))
    problems.check(check_invitations, tender)
    return list(problems)


def _content_problems(problems: _Problems, tender) -> None:
    problems.require(
        bool(tender.description or tender.description_fa),
        InvalidTenderField(_("Describe what is being procured."), field="description"),
    )
    problems.check(clean_choice, tender.main_category, MainCategory, field="main_category")
    problems.check(clean_cpv, tender.cpv_code, field="cpv_code")
    problems.check(
        clean_evaluation, tender.evaluation_method, tender.evaluation_config, tender.envelope_scheme
    )


def _date_problems(problems: _Problems, tender, *, now) -> None:
    dates = {
        "clarification_deadline": tender.clarification_deadline,
        "submission_deadline": tender.submission_deadline,
        "opening_at": tender.opening_at,
    }
    for field, value in dates.items():
        problems.require(value is not None, InvalidDate(_("This date is required."), field=field))
    if None in dates.values():
        return
    problems.check(check_dates, **dates, now=now, future=set(dates))
    problems.check(
        check_min_period,
        method=tender.procurement_method,
        published_at=now,
        submission_deadline=tender.submission_deadline,
    )


def _committee_problems(problems: _Problems, tender) -> None:
    from .models import CommitteeKind

    members = {CommitteeKind.OPENING: [], CommitteeKind.EVALUATION: []}
    for membership in tender.committee_memberships.select_related("user"):
        members[membership.kind].append(membership.user)
    opening, evaluation = members[CommitteeKind.OPENING], members[CommitteeKind.EVALUATION]
    problems.require(
        len(opening) >= 2,
        InvalidCommittee(
            _("The opening committee needs at least two members."), field="opening_committee"
        ),
    )
    problems.require(
        tender.opening_threshold is not None,
        InvalidCommittee(
            _("Set how many opening committee members must act together (at least 2)."),
            field="opening_threshold",
        ),
    )
    problems.check(clean_threshold, tender.opening_threshold)
    problems.check(check_opening_threshold, tender.opening_threshold, len(opening))
    problems.require(
        len(evaluation) >= 1,
        InvalidCommittee(
            _("The evaluation committee needs at least one member."),
            field="evaluation_committee",
        ),
    )
    problems.check(check_committee_members, tender.buyer_id, opening, field="opening_committee")
    problems.check(
        check_committee_members, tender.buyer_id, evaluation, field="evaluation_committee"
    )


def check_invitations(tender) -> None:
    """A restricted tender invites enough suppliers; an open or RFQ tender invites none."""
    count = tender.invitations.count()
    if tender.procurement_method == ProcurementMethod.RESTRICTED:
        minimum = settings.TENDER_RESTRICTED_MIN_INVITATIONS
        if count < minimum:
            raise TooFewInvitations(
                _(
                    "A restricted tender needs at least %(minimum)s invited suppliers "
                    "(invited now: %(count)s)."
                )
                % {"minimum": minimum, "count": count},
                field="invitations",
                params={"minimum": minimum, "count": count},
            )
    elif count:
        raise InvitationsNotAllowed(
            _(
                "Only a restricted tender has invited suppliers: remove the invitations "
                "(%(count)s), or make the tender restricted."
            )
            % {"count": count},
            field="invitations",
            params={"count": count},
        )
