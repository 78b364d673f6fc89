"""How every form on the platform renders: Bootstrap 5 classes, errors tied to fields.

`FORM_RENDERER = "core.forms.BootstrapFormRenderer"` makes `{{ form }}` and
`{{ field.as_field_group }}` use templates/forms/. Django itself already marks
an invalid input with `aria-invalid="true"` and points its `aria-describedby`
at the help text (`<id>_helptext`) and the errors (`<id>_error`); the
templates give those elements their ids.
"""

from pathlib import Path

import django.forms
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as DjangoTemplatesBackend
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import money
from .exceptions import InvalidMoney

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
