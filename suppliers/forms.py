"""The supplier's registration forms: one per wizard step. They parse; services decide."""

from django import forms
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import Role, User
from core.forms import LocalisedDateField
from core.templatetags.panjere import localnumber

from . import countries
from .models import DocumentKind, Supplier

# Persian and Arabic-Indic digits, as a Persian keyboard types them.
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def latin_digits(value: str) -> str:
    return value.translate(LATIN_DIGITS) if isinstance(value, str) else value


# Text in either script (a Latin company name on a Persian page) follows its own direction.
AUTO_DIRECTION = {"dir": "auto"}
# Identifiers, addresses of mail and web, phone numbers: always left to right.
LEFT_TO_RIGHT = {"dir": "ltr"}


class LatinDigitsCharField(forms.CharField):
    """A number-like text (registration number, phone…) stored with Latin digits.

    Otherwise the same registration number typed on a Persian keyboard would
    be a different number for the uniqueness check.
    """

    widget = forms.TextInput(attrs=LEFT_TO_RIGHT)

    def to_python(self, value):
        return latin_digits(super().to_python(value))


def _model_label(name: str):
    return capfirst(Supplier._meta.get_field(name).verbose_name)


def _model_max_length(name: str, model=Supplier) -> int:
    """The column's length, so that a longer value is a form error, not a database error."""
    return model._meta.get_field(name).max_length


def _country_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Country"),
        choices=[("", "—")],  # set per request, in the active language
        help_text=_("Where the company is registered."),
        **kwargs,
    )


class CountryChoicesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries.choices()]


class RegisterForm(CountryChoicesMixin, forms.Form):
    legal_name = forms.CharField(
        label=_model_label("legal_name"),
        max_length=300,
        help_text=_("As written on the registration certificate."),
        widget=forms.TextInput(AUTO_DIRECTION),
    )
    country = _country_field()


class CompanyForm(CountryChoicesMixin, forms.Form):
    legal_name = forms.CharField(
        label=_model_label("legal_name"), max_length=300, widget=forms.TextInput(AUTO_DIRECTION)
    )
    legal_name_fa = forms.CharField(
        label=_model_label("legal_name_fa"),
        max_length=300,
        required=False,
        widget=forms.TextInput({"dir": "rtl", "lang": "fa"}),
    )
    # The fields a submission needs are required here too; the rest may stay empty.
    registration_number = LatinDigitsCharField(
        label=_model_label("registration_number"),
        max_length=64,
        help_text=_("Unique in the country of registration."),
    )
    tax_id = LatinDigitsCharField(label=_model_label("tax_id"), max_length=64)
    country = _country_field()

    field_names = ("legal_name", "legal_name_fa", "registration_number", "tax_id", "country")

    def clean(self):
        cleaned = super().clean()
        _check_identifiers(self, cleaned.get("country", ""), ["registration_number"])
        return cleaned


def _check_identifiers(form, country: str, names) -> None:
    """The numbers whose shape the company's country fixes (suppliers.countries)."""
    for name in names:
        value = form.cleaned_data.get(name)
        if not value:
            continue
        value = countries.normalised_identifier(country, name, value)
        form.cleaned_data[name] = value
        problem = countries.identifier_problem(country, name, value)
        if problem:
            form.add_error(name, problem)


class AddressForm(forms.Form):
    address_line = forms.CharField(
        label=_model_label("address_line"), max_length=300, widget=forms.TextInput(AUTO_DIRECTION)
    )
    city = forms.CharField(
        label=_model_label("city"), max_length=100, widget=forms.TextInput(AUTO_DIRECTION)
    )
    postal_code = LatinDigitsCharField(
        label=_model_label("postal_code"), max_length=20, required=False
    )
    contact_email = forms.EmailField(
        label=_model_label("contact_email"),
        max_length=_model_max_length("contact_email"),
        widget=forms.EmailInput(LEFT_TO_RIGHT),
    )
    contact_phone = PhoneNumberField(
        label=_model_label("contact_phone"),
        max_length=32,
        help_text=_("With the country code, e.g. +98 21 8877 6655."),
        widget=forms.TextInput({**LEFT_TO_RIGHT, "type": "tel", "autocomplete": "tel"}),
        error_messages={
            "invalid": _("Enter a phone number that can be called, e.g. +98 21 8877 6655.")
        },
    )
    website = forms.URLField(
        label=_model_label("website"),
        max_length=_model_max_length("website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(LEFT_TO_RIGHT),
    )

    field_names = (
        "address_line",
        "city",
        "postal_code",
        "contact_email",
        "contact_phone",
        "website",
    )

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # A number written without its country code is read as one of the company's country.
        self.country = country
        self.fields["contact_phone"].region = country or None

    def clean_contact_phone(self):
        number = self.cleaned_data["contact_phone"]
        return number.as_e164 if number else ""

    def clean(self):
        cleaned = super().clean()
        _check_identifiers(self, self.country, ["postal_code"])
        return cleaned


class CpvSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the CPV vocabulary"),
        required=False,
        max_length=100,
        help_text=_("A word (e.g. “road”, “software”) or the start of a code (e.g. 4523)."),
    )


class CpvCodeForm(forms.Form):
    """Add a code typed in full; the ticked search results come as the `add` list."""

    code = LatinDigitsCharField(
        label=_("Add a code directly"),
        required=False,
        max_length=10,
        help_text=_("The full code with its check digit, e.g. 45233120-6."),
    )


class RepresentativeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=_model_max_length("email", User),
        widget=forms.EmailInput(LEFT_TO_RIGHT),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(AUTO_DIRECTION),
        help_text=_("Needed when the person has no Panjere account yet: we invite them."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.BIDDER, Role.BIDDER.label),
            (Role.SUPPLIER_ADMIN, Role.SUPPLIER_ADMIN.label),
        ],
        help_text=_(
            "A bidder prepares and submits bids; an administrator also manages this registration."
        ),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    issued_on = LocalisedDateField(label=_("Issued on"), input_formats=["%Y-%m-%d"])
    expires_on = LocalisedDateField(
        label=_("Expires on"),
        input_formats=["%Y-%m-%d"],
        required=False,
        help_text=_("Leave empty if it does not expire."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, PNG or JPEG file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, max_bytes: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if max_bytes:
            mebibytes = max_bytes / (1024 * 1024)
            self.fields["file"].help_text = _("A PDF, PNG or JPEG file of at most %(size)s MB.") % {
                "size": localnumber(f"{mebibytes:g}")
            }


def flag_requested_changes(form, reasons: dict[str, list[str]]) -> None:
    """Mark the fields an officer asked to change, with the officer's reasons."""
    for name, texts in reasons.items():
        if name not in form.fields:
            continue
        field = form.fields[name]
        css = field.widget.attrs.get("class", "")
        field.widget.attrs["class"] = f"{css} border-warning border-2".strip()
        reason = format_html(
            '<span class="text-warning-emphasis fw-semibold">{}</span> <bdi>{}</bdi>',
            _("Change requested:"),
            " ".join(texts),
        )
        field.help_text = (
            format_html("{}<br>{}", reason, field.help_text) if field.help_text else reason
        )
