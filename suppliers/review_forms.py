"""The officers' decision forms. Each one posts to its own URL; none needs JavaScript."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import LocalisedDateField

from .models import ChangeRequestItem, DocumentKind, Supplier
from .services import PROFILE_FIELDS

FIELD_PREFIX = "field_"
DOCUMENT_PREFIX = "document_"


def _reason_field(label=None, *, required=True, help_text=""):
    return forms.CharField(
        label=label or _("Reason"),
        required=required,
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    """A decision's form; its ids are prefixed by its name so several fit on one page."""

    name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.name}_%s")
        super().__init__(*args, **kwargs)


class VerifyForm(DecisionForm):
    name = "verify"
    note = _reason_field(
        _("Note"),
        required=False,
        help_text=_("Kept on the record with the decision."),
    )


class RequestChangesForm(DecisionForm):
    """One reason per field and per kind of document; at least one is required."""

    name = "request_changes"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field_name in PROFILE_FIELDS:
            label = Supplier._meta.get_field(field_name).verbose_name
            self.fields[f"{FIELD_PREFIX}{field_name}"] = _reason_field(
                capfirst(label), required=False
            )
        for kind, label in DocumentKind.choices:
            self.fields[f"{DOCUMENT_PREFIX}{kind}"] = _reason_field(label, required=False)
        for field in self.fields.values():
            field.widget.attrs.update(rows=2, **{"class": "form-control-sm"})

    def field_reasons(self):
        return [self[f"{FIELD_PREFIX}{name}"] for name in PROFILE_FIELDS]

    def document_reasons(self):
        return [self[f"{DOCUMENT_PREFIX}{kind}"] for kind in DocumentKind.values]

    def clean(self):
        cleaned = super().clean()
        if not self.items():
            raise forms.ValidationError(
                _("Give a reason for at least one field or document."), code="reason_required"
            )
        return cleaned

    def items(self) -> list[dict]:
        """The reasons given, as `supplier_request_changes` takes them."""
        data = getattr(self, "cleaned_data", {})
        items = []
        for name in PROFILE_FIELDS:
            reason = data.get(f"{FIELD_PREFIX}{name}", "")
            if reason:
                items.append(
                    {
                        "target_type": ChangeRequestItem.Target.FIELD,
                        "target": name,
                        "reason": reason,
                    }
                )
        for kind in DocumentKind.values:
            reason = data.get(f"{DOCUMENT_PREFIX}{kind}", "")
            if reason:
                items.append(
                    {
                        "target_type": ChangeRequestItem.Target.DOCUMENT,
                        "target": kind,
                        "reason": reason,
                    }
                )
        return items


class SuspendForm(DecisionForm):
    name = "suspend"
    reason = _reason_field()


class ReinstateForm(DecisionForm):
    name = "reinstate"
    reason = _reason_field()


class DebarForm(DecisionForm):
    name = "debar"
    reason = _reason_field(help_text=_("Published on the public debarment list."))
    until = LocalisedDateField(
        label=_("Debarred until"),
        help_text=_("The day the debarment ends."),
    )


class EndDebarmentForm(DecisionForm):
    name = "end_debarment"
    reason = _reason_field()
