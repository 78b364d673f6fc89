"""How every form on the platform renders: Bootstrap 5 classes, errors tied to fields.

`FORM_RENDERER = "core.forms.BootstrapFormRenderer"` makes `{{ form }}` and
`{{ field.as_field_group }}` use templates/forms/. Django itself already marks
an invalid input with `aria-invalid="true"` and points its `aria-describedby`
at the help text (`<id>_helptext`) and the errors (`<id>_error`); the
templates give those elements their ids.
"""

import datetime
from pathlib import Path

import django.forms
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt, from_current_timezone
from django.template.backends.django import DjangoTemplates as DjangoTemplatesBackend
from django.utils import timezone, translation
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import jalali, money
from .exceptions import InvalidMoney
from .validators import EARLIEST_DATE, LATEST_DATE, validate_plausible_date

CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
SELECT_WIDGETS = (forms.Select, forms.SelectMultiple)


def bootstrap_class(widget) -> str:
    """The Bootstrap class of a widget's input, or "" for hidden inputs."""
    if widget.is_hidden:
        return ""
    if isinstance(widget, CHECK_WIDGETS):
        return "form-check-input"
    if isinstance(widget, SELECT_WIDGETS):
        return "form-select"
    if isinstance(widget, forms.ColorInput):
        return "form-control form-control-color"
    return "form-control"


class BootstrapBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [bootstrap_class(widget), widget.attrs.get("class", ""), attrs.get("class", "")]
        if self.errors and not widget.is_hidden:
            classes.append("is-invalid")
        css = " ".join(dict.fromkeys(c for c in " ".join(classes).split() if c))
        if css:
            attrs["class"] = css
        return attrs


class BootstrapFormRenderer(DjangoTemplates):
    """Django's renderer, looking in the project's templates/ first."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField

    @cached_property
    def engine(self):
        return DjangoTemplatesBackend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(settings.BASE_DIR) / "templates",
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "panjereforms",
                "OPTIONS": {},
            }
        )


def add_domain_error(form, error, *, field_map=None, default_field=None) -> None:
    """Show a service's refusal (a `DomainError`) on the form: the one way HTML pages do it.

    On the field the error names (`error.field`, renamed by `field_map` when
    the form calls it differently) if the form has it; else on `default_field`;
    else above the form, as a non-field error.
    """
    problems = (error.params or {}).get("problems") if isinstance(error.params, dict) else None
    if problems:
        # Several refusals at once (e.g. a whole wizard step): each on its own field.
        for problem in problems:
            field = (field_map or {}).get(problem.get("field"), problem.get("field"))
            if field not in form.fields:
                field = default_field if default_field in form.fields else None
            form.add_error(field, problem["message"])
        return
    field = (field_map or {}).get(error.field, error.field)
    if field not in form.fields:
        field = default_field if default_field in form.fields else None
    form.add_error(field, str(error.message))


class MoneyWidget(forms.MultiWidget):
    """An amount (text, read in the active language) and a currency list, side by side."""

    template_name = "core/widgets/money.html"
    # The currency proposed for an empty amount (None: the platform's first, PANJERE_CURRENCIES).
    default_currency = None

    def __init__(self, attrs=None):
        super().__init__(
            widgets={
                "amount": forms.TextInput(
                    attrs={"inputmode": "decimal", "dir": "ltr", "aria-label": _("Amount")}
                ),
                "currency": forms.Select(attrs={"aria-label": _("Currency")}),
            },
            attrs=attrs,
        )

    def decompress(self, value):
        if value is None:
            return [None, self.default_currency or money.default_currency()]
        return [money.money_json(value)["amount"], value.currency.code]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The form gives every input Bootstrap's form-control; a list is a form-select.
        currency = context["widget"]["subwidgets"][1]["attrs"]
        currency["class"] = currency.get("class", "").replace("form-control", "form-select")
        return context


class MoneyFormField(forms.MultiValueField):
    """An amount and its currency, one of PANJERE_CURRENCIES: cleans to a `core.money.Money`.

    The amount may be written as the active language writes numbers (Persian
    digits and separators too). More decimals than the currency has, or a
    negative amount, are refused here with the message the service would give
    (`core.money.clean_money`). Optional (`required=False`): a blank amount is
    zero in the chosen currency.
    """

    widget = MoneyWidget

    def __init__(self, *, required=True, **kwargs):
        fields = (
            forms.CharField(required=False, max_length=60),
            forms.ChoiceField(choices=money.currency_choices),
        )
        super().__init__(fields=fields, require_all_fields=False, required=required, **kwargs)
        self.widget.widgets[1].choices = self.fields[1].choices

    def propose(self, currency) -> None:
        """Propose `currency` (a code) for an empty amount, e.g. the tender's for a new lot."""
        self.widget.default_currency = currency

    def only(self, currency) -> None:
        """Offer `currency` (a code) alone: an amount whose currency may not change."""
        self.fields[1].choices = [c for c in money.currency_choices() if c[0] == currency] or [
            (currency, currency)
        ]
        self.widget.widgets[1].choices = self.fields[1].choices
        self.propose(currency)

    def compress(self, data_list):
        amount, currency = [*data_list, None, None][:2]
        currency = currency or money.default_currency()
        if not amount:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return money.Money(0, currency)
        try:
            return money.clean_money(
                money.parse_money(amount, currency, field=None, localized=True), field=None
            )
        except InvalidMoney as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None


class BilingualRequiredMixin:
    """A form whose bilingual pairs (core.bilingual) need at least one variant.

    `bilingual_required`: the English field names of the pairs (`x` for `x` and
    `x_fa`); both left empty puts the error on `x`.
    """

    bilingual_required: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.bilingual_required:
            if name in self.errors or f"{name}_fa" in self.errors:
                continue
            if not cleaned.get(name) and not cleaned.get(f"{name}_fa"):
                self.add_error(name, _("Write it in English, in Persian or in both."))
        return cleaned


GREGORIAN = "gregorian"
JALALI = "jalali"


def active_calendar() -> str:
    """The calendar people read and type dates in: Jalali in Persian, Gregorian otherwise."""
    return JALALI if (translation.get_language() or "").startswith("fa") else GREGORIAN


class LocalisedDateInput(forms.DateInput):
    """A date in the active language's calendar.

    Gregorian: the browser's own date input (ISO value). Jalali: a plain text
    input, left to right, that works without JavaScript; the field's help text
    shows the format. `calendar` (set by the field) fixes the calendar, e.g. for
    the API, which speaks ISO 8601 whatever the language.
    """

    iso_type = "date"
    iso_format = "%Y-%m-%d"
    inputmode = "decimal"  # digits and a separator on a phone's keypad
    calendar = None

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format=format or self.iso_format)

    def _calendar(self) -> str:
        return self.calendar or active_calendar()

    def _jalali(self, value) -> str:
        return jalali.format_date(value)

    def format_value(self, value):
        if self._calendar() == JALALI and isinstance(value, datetime.date):
            return self._jalali(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if self._calendar() == JALALI:
            widget["type"] = "text"
            widget["attrs"] = {
                **widget["attrs"],
                "inputmode": self.inputmode,
                "autocomplete": "off",
            }
        else:
            widget["type"] = self.iso_type
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Written in Python, not through a template: the public list's filters render
        # on every request, and one template include per input was its cost.
        widget = self.get_context(name, value, attrs)["widget"]
        if widget["value"] is None:
            return format_html(
                '<input type="{}" name="{}"{}>', widget["type"], name, flatatt(widget["attrs"])
            )
        return format_html(
            '<input type="{}" name="{}" value="{}"{}>',
            widget["type"],
            name,
            str(widget["value"]),
            flatatt(widget["attrs"]),
        )


class LocalisedDateTimeInput(LocalisedDateInput):
    """A moment in the platform's time zone, in the active language's calendar."""

    iso_type = "datetime-local"
    iso_format = "%Y-%m-%dT%H:%M"
    inputmode = "text"  # a date, a space and a time: the full keyboard

    def _jalali(self, value) -> str:
        if isinstance(value, datetime.datetime):
            return jalali.format_datetime(value)
        return jalali.format_date(value)


def _in_persian_digits(text) -> str:
    text = str(text)
    return text.translate(money.PERSIAN_DIGITS) if active_calendar() == JALALI else text


class _LocalisedTemporalMixin:
    """What the date and the date-time fields share: the calendar follows the active language."""

    default_validators = [validate_plausible_date]
    calendar = None
    jalali_example = ""

    def __init__(self, *, help_text="", **kwargs):
        self.base_help_text = help_text
        super().__init__(help_text=lazy(self._help_text, str)(), **kwargs)
        self.use_calendar(self.calendar)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.help_text = lazy(copy._help_text, str)()
        return copy

    def use_calendar(self, calendar) -> None:
        """Fix the calendar (GREGORIAN for the API), or None to follow the active language."""
        self.calendar = calendar
        self.widget.calendar = calendar

    def _calendar(self) -> str:
        return self.calendar or active_calendar()

    def _help_text(self) -> str:
        base = str(self.base_help_text or "")
        if self._calendar() != JALALI:
            return base
        hint = self.jalali_hint() % {"example": _in_persian_digits(self.jalali_example)}
        return f"{base} {hint}" if base else hint

    def _invalid(self, value):
        return ValidationError(
            self.jalali_invalid(),
            code="invalid",
            params={
                "value": _in_persian_digits(str(value).strip()),
                "example": _in_persian_digits(self.jalali_example),
            },
        )

    def _out_of_range(self):
        return ValidationError(
            gettext("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={
                "earliest": jalali.format_date(EARLIEST_DATE),
                "latest": jalali.format_date(LATEST_DATE),
            },
        )

    def to_python(self, value):
        if self._calendar() != JALALI:
            if isinstance(value, str):
                value = jalali.latin_digits(value)
            return super().to_python(value)
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return self.from_date(value)
        try:
            return self.from_text(str(value))
        except jalali.OutOfRange:
            raise self._out_of_range() from None
        except jalali.NotAJalaliDate:
            raise self._invalid(value) from None

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            # The plausible years, quoted in the calendar the person typed in.
            if self._calendar() == JALALI and any(
                e.code == "date_out_of_range" for e in error.error_list
            ):
                raise self._out_of_range() from None
            raise


class LocalisedDateField(_LocalisedTemporalMixin, forms.DateField):
    """A date: Jalali (1405/09/12, Persian or Latin digits) in Persian, ISO (2026-12-03) otherwise.

    Cleans to a Gregorian `datetime.date`. A date outside the plausible years
    (core.validators) is a form error, quoted in the field's calendar.
    """

    widget = LocalisedDateInput
    jalali_example = "1405/09/12"

    @staticmethod
    def jalali_hint():
        return gettext("Persian calendar, e.g. %(example)s.")

    @staticmethod
    def jalali_invalid():
        return gettext(
            "“%(value)s” is not a date in the Persian calendar. Write it as %(example)s."
        )

    def from_date(self, value):
        return value.date() if isinstance(value, datetime.datetime) else value

    def from_text(self, text):
        return jalali.parse_date(text)


class LocalisedDateTimeField(_LocalisedTemporalMixin, forms.DateTimeField):
    """A moment in the platform's time zone: Jalali (1405/09/12 14:30) in Persian, ISO otherwise.

    Cleans to an aware datetime: what was typed is read as the time on the
    platform's clocks (TIME_ZONE, Asia/Tehran), so 1405/09/12 14:30 is
    2026-12-03 11:00 UTC. A Jalali date without a time is its midnight.
    """

    widget = LocalisedDateTimeInput
    jalali_example = "1405/09/12 14:30"

    @staticmethod
    def jalali_hint():
        return gettext("Persian calendar, e.g. %(example)s.")

    @staticmethod
    def jalali_invalid():
        return gettext(
            "“%(value)s” is not a date and time in the Persian calendar. Write it as %(example)s."
        )

    def from_date(self, value):
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime(value.year, value.month, value.day)
        return self._aware(value, value)

    def from_text(self, text):
        return self._aware(jalali.parse_datetime(text), text)

    def _aware(self, value, typed):
        if timezone.is_aware(value):
            return value
        try:
            return from_current_timezone(value)
        except ValidationError:
            # A clock change skipped or repeated that hour (Tehran kept summer time until 2022).
            raise ValidationError(
                gettext(
                    "%(value)s did not happen, or happened twice, in the platform's time zone."
                ),
                code="ambiguous_timezone",
                params={"value": _in_persian_digits(str(typed).strip())},
            ) from None
