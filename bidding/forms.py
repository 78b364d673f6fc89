from django import forms
from django.utils.translation import gettext_lazy as _


class ReceiptVerifyForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt (JSON)"),
        widget=forms.Textarea(attrs={"rows": 12, "dir": "ltr", "spellcheck": "false"}),
        max_length=20000,
    )
