"""The buyer's forms: parse what the officer typed; the services validate the rest."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.selectors import users_with_role
from core import units
from core.forms import BilingualRequiredMixin, LocalisedDateTimeField, MoneyFormField

from .models import EnvelopeScheme, EvaluationMethod, MainCategory, ProcurementMethod

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, *, required=False):
    """A moment in the platform's time zone: Jalali in Persian, datetime-local in English."""
    return LocalisedDateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=gettext_lazy("In the platform's time zone (Tehran)."),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class BasicsForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=48)
    title = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300)
    title_fa = forms.CharField(
        label=gettext_lazy("Title (Persian)"), max_length=300, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Description (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_fa = forms.CharField(
        label=gettext_lazy("Description (Persian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    procurement_method = forms.ChoiceField(
        label=gettext_lazy("Procurement method"), choices=ProcurementMethod.choices
    )
    main_category = forms.ChoiceField(
        label=gettext_lazy("Main category"), choices=MainCategory.choices
    )
    cpv_code = forms.CharField(
        label=gettext_lazy("CPV code"),
        max_length=10,
        help_text=gettext_lazy("The main CPV 2008 code with its check digit, e.g. 45233120-6."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    estimated_value = MoneyFormField(label=gettext_lazy("Estimated value"))
    document_fee = MoneyFormField(label=gettext_lazy("Document fee"), required=False)

    field_names = (
        "reference",
        "title",
        "title_fa",
        "description",
        "description_fa",
        "procurement_method",
        "main_category",
        "cpv_code",
        "estimated_value",
        "document_fee",
    )


class LotForm(BilingualRequiredMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Lot title (English)"), max_length=300, required=False
    )
    title_fa = forms.CharField(
        label=gettext_lazy("Lot title (Persian)"), max_length=300, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Description (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description_fa = forms.CharField(
        label=gettext_lazy("Description (Persian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    estimated_value = MoneyFormField(label=gettext_lazy("Estimated value"))
    bid_security = MoneyFormField(label=gettext_lazy("Bid security"), required=False)

    bilingual_required = ("title",)
    field_names = (
        "title",
        "title_fa",
        "description",
        "description_fa",
        "estimated_value",
        "bid_security",
    )

    def __init__(self, *args, currency=None, **kwargs):
        """`currency`: the one proposed for the amounts, the tender's estimate's."""
        super().__init__(*args, **kwargs)
        if currency:
            for name in ("estimated_value", "bid_security"):
                self.fields[name].propose(currency)


class ItemForm(BilingualRequiredMixin, forms.Form):
    description = forms.CharField(
        label=gettext_lazy("Item description (English)"), max_length=500, required=False
    )
    description_fa = forms.CharField(
        label=gettext_lazy("Item description (Persian)"), max_length=500, required=False
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity"), max_digits=18, decimal_places=3, min_value=0
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=units.choices)
    cpv_code = forms.CharField(
        label=gettext_lazy("CPV code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    bilingual_required = ("description",)
    field_names = ("description", "description_fa", "quantity", "unit", "cpv_code")


class RequirementsForm(forms.Form):
    required_documents = forms.MultipleChoiceField(
        label=gettext_lazy("Supplier documents every bidder must hold"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_declarations = forms.CharField(
        label=gettext_lazy("Declarations every bidder must make (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One declaration per line."),
    )

    def __init__(self, *args, **kwargs):
        from suppliers.models import DocumentKind

        super().__init__(*args, **kwargs)
        self.fields["required_documents"].choices = DocumentKind.choices

    required_declarations_fa = forms.CharField(
        label=gettext_lazy("The same declarations in Persian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One declaration per line; a reader sees the list in their language."
        ),
    )

    def clean_required_declarations(self):
        return _lines(self.cleaned_data["required_declarations"])

    def clean_required_declarations_fa(self):
        return _lines(self.cleaned_data["required_declarations_fa"])


class TimelineForm(forms.Form):
    clarification_deadline = _datetime_field(gettext_lazy("Clarification deadline"))
    submission_deadline = _datetime_field(gettext_lazy("Submission deadline"))
    opening_at = _datetime_field(gettext_lazy("Opening time"))

    field_names = ("clarification_deadline", "submission_deadline", "opening_at")


class EvaluationForm(forms.Form):
    envelope_scheme = forms.ChoiceField(
        label=gettext_lazy("Envelope scheme"), choices=EnvelopeScheme.choices
    )
    evaluation_method = forms.ChoiceField(
        label=gettext_lazy("Evaluation method"), choices=EvaluationMethod.choices
    )
    criteria = forms.CharField(
        label=gettext_lazy("Criteria and weights"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=gettext_lazy(
            "One criterion per line: its name, “=”, its weight (e.g. “Experience = 40”). "
            "The weights add up to 100. Leave empty for the lowest evaluated price."
        ),
    )
    technical_threshold = forms.DecimalField(
        label=gettext_lazy("Technical threshold"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=gettext_lazy(
            "Quality- and cost-based selection only: the minimum technical score out of 100."
        ),
    )

    def clean_criteria(self):
        criteria = []
        for line in _lines(self.cleaned_data["criteria"]):
            name, sep, weight = line.rpartition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(
                    _("Write each criterion as “name = weight”: “%(line)s” is not.")
                    % {"line": line}
                )
            try:
                value = Decimal(weight.strip())
            except InvalidOperation:
                raise forms.ValidationError(
                    _("“%(weight)s” is not a number.") % {"weight": weight.strip()}
                ) from None
            criteria.append({"name": name.strip(), "weight": str(value)})
        return criteria

    def evaluation_config(self) -> dict:
        config = {}
        if self.cleaned_data["criteria"]:
            config["criteria"] = self.cleaned_data["criteria"]
        if self.cleaned_data.get("technical_threshold") is not None:
            config["technical_threshold"] = str(self.cleaned_data["technical_threshold"])
        return config

    @staticmethod
    def initial_for(tender) -> dict:
        config = tender.evaluation_config or {}
        return {
            "envelope_scheme": tender.envelope_scheme,
            "evaluation_method": tender.evaluation_method,
            "criteria": "\n".join(
                f"{item['name']} = {item['weight']}" for item in config.get("criteria", [])
            ),
            "technical_threshold": config.get("technical_threshold"),
        }


def members_with_role(buyer, role):
    return users_with_role(buyer, role)


class CommitteesForm(forms.Form):
    approver = forms.ModelChoiceField(
        label=gettext_lazy("Approver"), queryset=User.objects.none(), required=False
    )
    opening_committee = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Opening committee"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opening_threshold = forms.IntegerField(
        label=gettext_lazy("Opening threshold (k of n)"),
        required=False,
        min_value=2,
        help_text=gettext_lazy("How many opening committee members must act together (2 or more)."),
    )
    evaluation_committee = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Evaluation committee"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, buyer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = members_with_role(buyer, Role.APPROVER)
        self.fields["opening_committee"].queryset = members_with_role(buyer, Role.COMMITTEE_MEMBER)
        self.fields["evaluation_committee"].queryset = members_with_role(buyer, Role.EVALUATOR)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AmendForm(forms.Form):
    """The amendable fields, filled with the current values; only the changed ones are sent."""

    summary = forms.CharField(label=gettext_lazy("Summary of the amendment"), max_length=500)
    material = forms.BooleanField(
        label=gettext_lazy("Material amendment"),
        required=False,
        help_text=gettext_lazy(
            "A material change must leave enough days before the submission deadline. "
            "A change of the tender documents is always material."
        ),
    )
    notice = forms.CharField(
        label=gettext_lazy("Notice"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    title = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300)
    title_fa = forms.CharField(
        label=gettext_lazy("Title (Persian)"), max_length=300, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Description (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_fa = forms.CharField(
        label=gettext_lazy("Description (Persian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    estimated_value = MoneyFormField(label=gettext_lazy("Estimated value"))
    document_fee = MoneyFormField(label=gettext_lazy("Document fee"))
    clarification_deadline = _datetime_field(gettext_lazy("Clarification deadline"), required=True)
    submission_deadline = _datetime_field(gettext_lazy("Submission deadline"), required=True)
    opening_at = _datetime_field(gettext_lazy("Opening time"), required=True)

    change_names = (
        "title",
        "title_fa",
        "description",
        "description_fa",
        "estimated_value",
        "document_fee",
        "clarification_deadline",
        "submission_deadline",
        "opening_at",
    )

    # How many new documents (or new versions) one submission of the page can carry.
    document_rows = 3

    def __init__(self, *args, current_titles=(), currencies=None, **kwargs):
        """`currencies`: {amount field: its currency}, which an amendment keeps."""
        super().__init__(*args, **kwargs)
        for name, currency in (currencies or {}).items():
            self.fields[name].only(currency)
        for row in range(1, self.document_rows + 1):
            self.fields[f"document_title_{row}"] = forms.CharField(
                label=gettext_lazy("Document title"),
                max_length=300,
                required=False,
                help_text=gettext_lazy(
                    "The title of a current document publishes its next version."
                ),
            )
            self.fields[f"document_file_{row}"] = forms.FileField(
                label=gettext_lazy("File"), required=False
            )
        if current_titles:
            self.fields["withdraw"] = forms.MultipleChoiceField(
                label=gettext_lazy("Withdraw these documents"),
                choices=[(title, title) for title in current_titles],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy(
                    "A withdrawn document stays in the public history, marked withdrawn."
                ),
            )

    @property
    def change_fields(self):
        return [self[name] for name in ("summary", "material", "notice", *self.change_names)]

    @property
    def document_fields(self):
        """The new documents' rows, each (title field, file field)."""
        return [
            (self[f"document_title_{row}"], self[f"document_file_{row}"])
            for row in range(1, self.document_rows + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for row in range(1, self.document_rows + 1):
            title = cleaned.get(f"document_title_{row}")
            upload = cleaned.get(f"document_file_{row}")
            if title and not upload and f"document_file_{row}" not in self.errors:
                self.add_error(f"document_file_{row}", _("Choose the file of this document."))
            if upload and not title and f"document_title_{row}" not in self.errors:
                self.add_error(f"document_title_{row}", _("Give the document a title."))
        return cleaned

    def _filled_rows(self) -> list[int]:
        return [
            row
            for row in range(1, self.document_rows + 1)
            if self.cleaned_data.get(f"document_file_{row}")
        ]

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.change_names if name in self.changed_data
        }

    def documents_to_publish(self) -> list[tuple]:
        """The new documents as the service takes them: [(title, uploaded file)]."""
        return [
            (self.cleaned_data[f"document_title_{row}"], self.cleaned_data[f"document_file_{row}"])
            for row in self._filled_rows()
        ]

    def titles_to_withdraw(self) -> list[str]:
        return list(self.cleaned_data.get("withdraw") or [])

    def field_map(self) -> dict:
        """The service's names for the document rows (`documents.0.file`) → this form's fields."""
        mapping = {}
        for index, row in enumerate(self._filled_rows()):
            mapping[f"documents.{index}.title"] = f"document_title_{row}"
            mapping[f"documents.{index}.file"] = f"document_file_{row}"
        return mapping


class OutageForm(forms.Form):
    starts_at = _datetime_field(gettext_lazy("Start"), required=True)
    ends_at = _datetime_field(gettext_lazy("End"), required=True)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Document title"),
        max_length=300,
        help_text=gettext_lazy("Upload under the same title to add a new version."),
    )
    title_fa = forms.CharField(
        label=gettext_lazy("Title in Persian"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Beside an English title, for Persian readers (a new version keeps the last one)."
        ),
    )
    file = forms.FileField(label=gettext_lazy("File"))


class InvitationSearchForm(forms.Form):
    """Find suppliers to invite (a GET form: works without JavaScript)."""

    q = forms.CharField(
        label=gettext_lazy("Supplier name or registration number"),
        max_length=100,
        required=False,
    )


class InvitationForm(forms.Form):
    """The supplier to invite or to remove; the service checks that it may be invited."""

    supplier = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
