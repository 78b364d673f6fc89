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
