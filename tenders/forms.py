"""The supplier's forms on the public notice: ask a question."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AskForm(forms.Form):
    """A question about the tender, asked for one of the user's companies."""

    supplier = forms.ModelChoiceField(
        queryset=None,
        label=_("Asked for"),
        help_text=_("Your company. It is never shown to the public or to other suppliers."),
        empty_label=None,
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone will read the question and its answer; not who asked it."),
    )

    def __init__(self, *args, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers
        if len(suppliers) == 1:
            self.fields["supplier"].initial = suppliers[0].pk
            self.fields["supplier"].widget = forms.HiddenInput()
